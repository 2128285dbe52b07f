"""Transient 2D axisymmetric bioheat solver for one fractional microbeam.

A microbeam drills a narrow column (microscopic treatment zone, MTZ) of
ablated tissue lined by a sleeve of coagulated tissue. The skin is cut into
finite volumes in radius ``r`` and depth ``z`` below the original surface
(rings around the beam axis). Each time step

1. traces the beam down the open crater as a bundle of rays, one per thin
   launch annulus, each carrying the power of its annulus. A ray passes
   void cells unattenuated (the ablation plume is not modelled) and is
   absorbed by Beer-Lambert in the tissue it meets, at the water-scaled
   absorption coefficient frozen at the start of the pulse. With beam
   divergence the rays fan out as a Gaussian beam focused on the skin
   surface, ``r(z) = r(0) sqrt(1 + (z / z_R)^2)``, and rays that leave a
   tapering crater are absorbed in its wall;
2. lets tissue that reaches the ablation temperature spend further energy
   boiling off its water; tissue whose ablation enthalpy is spent leaves at
   once in the steady-state regime (the ray carries the rest of its energy on
   to the tissue below, and the tissue between the ray's entry and the spent
   cell is blown off with it) or at the end of the pulse in the blow-off
   regime (everything above the deepest spent cell of a radial column);
3. conducts heat implicitly by a locally one-dimensional splitting (backward
   Euler in ``r``, then in ``z``), with perfusion, convection to air on every
   face exposed to air (the original surface and the crater wall and floor),
   and body temperature at the outer radius and the bottom;
4. accumulates the Arrhenius damage integral in every remaining cell.

Every joule is booked as in the 1D solver (:mod:`dermalase.physics.heat`,
whose ideas and constants this module follows): absorbed = stored + removed
with ablated tissue + lost to air + conducted out of the domain + carried off
by blood.

At the end of each pulse the water boiled off in cells that stay is removed
from them (raising their ablation enthalpy for the next pulse in proportion
to native over remaining water) and exposed cells left with less than a
residue fraction of their water leave as dry residue. Only the rows down to
a window below the deepest cell the beam has reached are solved; the rows
below are still at body temperature.

References
----------
.. [1] Vogel A, Venugopalan V (2003). Mechanisms of pulsed laser ablation of
   biological tissues. Chem Rev 103:577-644. doi:10.1021/cr010379n
   (blow-off and steady-state ablation, section VII.A).
.. [2] Siegman AE (1986). Lasers. University Science Books, chapter 17
   (Gaussian beam propagation).
.. [3] Henriques FC, Moritz AR (1947). Studies of thermal injury: V. Am J
   Pathol 23(4):530-549 (Arrhenius damage integral).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from dermalase.citations import Citation, register
from dermalase.physics.heat import Grid, damage_rate_scalar, make_grid

_SIEGMAN = Citation(
    key="Siegman1986",
    status="secondary",
    authors="Siegman AE",
    title="Lasers",
    venue="University Science Books, Mill Valley CA (chapter 17: Gaussian beams)",
    year=1986,
    note="Gaussian beam propagation: w(z) = w0 sqrt(1 + (z/z_R)^2), z_R = pi w0^2 / lambda.",
)
#: Gaussian beam optics, for the divergence of the microbeam below its focus.
SIEGMAN_1986 = register(_SIEGMAN)

# Indices of the energy ledger returned by the kernel [J].
LEDGER = (
    "absorbed",
    "removed",
    "surface",
    "boundary",
    "perfusion",
    "transmitted",
    "escaped",
)
_ABSORBED, _REMOVED, _SURFACE, _BOUNDARY, _PERFUSION, _TRANSMITTED, _ESCAPED = range(7)

#: Temperature below which the Arrhenius rate is skipped [K] (45 degC: the
#: Henriques-Moritz rate is 2e-5 1/s there, so a second adds 2e-5 to Omega).
DAMAGE_FLOOR_TEMPERATURE = 318.15


@dataclass(frozen=True)
class ColumnGrid:
    """Axisymmetric finite-volume grid.

    Parameters
    ----------
    radial : Grid
        Cell faces in radius from the beam axis [m], ``faces[0] == 0``.
    axial : Grid
        Cell faces in depth below the original surface [m], ``faces[0] == 0``.
    """

    radial: Grid
    axial: Grid

    @property
    def r(self) -> np.ndarray:
        """Radius of the cell centres [m]."""
        return self.radial.centres

    @property
    def z(self) -> np.ndarray:
        """Depth of the cell centres [m]."""
        return self.axial.centres

    @property
    def shape(self) -> tuple[int, int]:
        """Number of cells (depth, radius)."""
        return self.axial.widths.size, self.radial.widths.size

    @property
    def ring_area(self) -> np.ndarray:
        """Area of each radial ring seen from above [m^2]."""
        faces = self.radial.faces
        return np.pi * (faces[1:] ** 2 - faces[:-1] ** 2)

    @property
    def volume(self) -> np.ndarray:
        """Cell volumes [m^3], shape (depth, radius)."""
        return self.axial.widths[:, None] * self.ring_area[None, :]


def make_column_grid(
    radial_spacing: float,
    fine_radius: float,
    outer_radius: float,
    axial_spacing: float,
    fine_depth: float,
    total_depth: float,
    growth: float = 1.12,
) -> ColumnGrid:
    """Uniform fine cells around the beam and near the surface, then growing cells.

    Parameters
    ----------
    radial_spacing : float
        Width of the fine rings [m].
    fine_radius : float
        Radius covered by fine rings [m]; it must hold the crater and its
        coagulation sleeve.
    outer_radius : float
        Radius of the domain [m].
    axial_spacing : float
        Height of the fine cells [m].
    fine_depth : float
        Depth covered by fine cells [m]; it must hold the column and the
        coagulation below it.
    total_depth : float
        Depth of the domain [m].
    growth : float
        Ratio of neighbouring cell widths outside the fine zones [-].

    Returns
    -------
    ColumnGrid
    """
    radial = make_grid(fine_radius, radial_spacing, outer_radius, growth=growth, max_spacing=200e-6)
    axial = make_grid(fine_depth, axial_spacing, total_depth, growth=growth, max_spacing=100e-6)
    return ColumnGrid(radial, axial)


def rayleigh_length(spot_diameter, wavelength, beam_quality=1.0):
    """Rayleigh length of a beam focused to a spot [m].

    Parameters
    ----------
    spot_diameter : float
        Waist diameter (1/e^2 for a Gaussian beam) [m].
    wavelength : float
        Vacuum wavelength [m].
    beam_quality : float
        Beam propagation factor M^2 [-]; 1 for an ideal Gaussian beam.

    Returns
    -------
    float
        ``z_R = pi w0^2 / (M^2 lambda)`` with ``w0`` half the spot [m].

    Examples
    --------
    The 120 um CO2 microbeam of Hantash et al. (2007):

    >>> round(float(rayleigh_length(120e-6, 10.6e-6)) * 1e3, 2)
    1.07
    """
    waist = 0.5 * np.asarray(spot_diameter, dtype=float)
    return np.pi * waist**2 / (beam_quality * wavelength)


def axial_depth_bound(
    energy: float,
    spot_diameter: float,
    pulses: int,
    ablation_enthalpy: float,
    rayleigh: float,
    beam: str = "gaussian",
) -> float:
    """Deepest column the axis of the beam can drill [m].

    The peak fluence of every pulse spent on ablation at the axis, with the
    axial fluence falling as the beam widens below its focus:
    ``d + d^3 / (3 z_R^2) = N F0 / e_abl`` (the integral of
    ``(w(z) / w0)^2`` from 0 to ``d``), ``F0 = 2 E / (pi w0^2)`` for a
    Gaussian beam and ``E / (pi w0^2)`` for a top-hat.

    Parameters
    ----------
    energy : float
        Energy per pulse [J].
    spot_diameter : float
        Spot diameter at the focus [m].
    pulses : int
        Stacked pulses [-].
    ablation_enthalpy : float
        Energy per volume that removes tissue [J/m^3].
    rayleigh : float
        Rayleigh length [m] (``inf`` for a collimated beam).
    beam : {"gaussian", "top_hat"}
        Beam profile.

    Returns
    -------
    float
        Depth [m].

    Examples
    --------
    20 mJ in a 120 um CO2 microbeam at 1.8 kJ/cm^3, without and with divergence:

    >>> round(axial_depth_bound(20e-3, 120e-6, 1, 1.8e9, float("inf")) * 1e3, 2)
    1.96
    >>> round(axial_depth_bound(20e-3, 120e-6, 1, 1.8e9, 1.067e-3) * 1e3, 2)
    1.31
    """
    half = 0.5 * spot_diameter
    peak = energy * (2.0 if beam == "gaussian" else 1.0) / (np.pi * half**2)
    collimated = pulses * peak / ablation_enthalpy
    if not np.isfinite(rayleigh):
        return float(collimated)
    roots = np.roots([1.0 / (3.0 * rayleigh**2), 0.0, 1.0, -collimated])
    real = roots[np.abs(roots.imag) < 1e-9 * max(collimated, 1e-12)].real
    return float(min(collimated, real.max()))


def mean_irradiance(energy, spot_diameter, pulse_duration):
    """Mean irradiance of a microbeam over its spot [W/m^2].

    Pulse power over the area inside the spot diameter (the 1/e^2 diameter of
    a Gaussian beam, the edge of a top-hat).

    Parameters
    ----------
    energy : float or array_like
        Pulse energy [J].
    spot_diameter : float or array_like
        Spot diameter [m].
    pulse_duration : float or array_like
        Pulse duration [s].

    Returns
    -------
    float or numpy.ndarray
        ``E / (tau pi (d/2)^2)`` [W/m^2].

    Examples
    --------
    Hantash et al. (2007): 30 W on a 120 um spot, about 265 kW/cm^2.

    >>> round(mean_irradiance(30e-3, 120e-6, 1e-3) / 1e7)
    265
    """
    power = np.asarray(energy, dtype=float) / np.asarray(pulse_duration, dtype=float)
    return power / (np.pi * (0.5 * np.asarray(spot_diameter, dtype=float)) ** 2)


def beam_expansion(depth, rayleigh):
    """Beam radius at a depth over its radius at the focus [-].

    ``s(z) = sqrt(1 + (z / z_R)^2)`` for a beam focused on the surface;
    ``rayleigh = inf`` gives a collimated beam.
    """
    depth = np.asarray(depth, dtype=float)
    if not np.isfinite(rayleigh):
        return np.ones_like(depth)
    return np.sqrt(1.0 + (depth / rayleigh) ** 2)


def beam_rays(profile: str, spot_diameter: float, ray_spacing: float, max_radius: float):
    """Split a beam into thin launch annuli (rays) [m, -].

    Parameters
    ----------
    profile : {"gaussian", "top_hat"}
        Irradiance profile at the focus. A Gaussian's ``spot_diameter`` is
        its 1/e^2 diameter; a top-hat's is its edge.
    spot_diameter : float
        Spot diameter [m].
    ray_spacing : float
        Radial width of each launch annulus [m].
    max_radius : float
        Largest launch radius [m]; the power beyond it is returned apart.

    Returns
    -------
    radius : numpy.ndarray
        Launch radius of each ray (area centroid of its annulus) [m].
    fraction : numpy.ndarray
        Fraction of the pulse energy each ray carries [-].
    outside : float
        Fraction of the energy launched beyond ``max_radius`` [-].
    """
    half = 0.5 * spot_diameter
    edge = min(max_radius, 3.0 * half) if profile == "gaussian" else min(max_radius, half)
    n = max(int(np.ceil(edge / ray_spacing * (1 - 1e-12))), 1)
    faces = np.linspace(0.0, edge, n + 1)
    if profile == "gaussian":
        enclosed = 1.0 - np.exp(-2.0 * faces**2 / half**2)
    elif profile == "top_hat":
        enclosed = np.minimum(faces / half, 1.0) ** 2
    else:
        raise ValueError(f"unknown beam profile {profile!r}; use 'gaussian' or 'top_hat'")
    fraction = np.diff(enclosed)
    radius = np.sqrt(0.5 * (faces[1:] ** 2 + faces[:-1] ** 2))
    return radius, fraction, float(1.0 - enclosed[-1])


def ray_paths(grid: ColumnGrid, launch_radius, rayleigh) -> np.ndarray:
    """Radial cell index of each ray in each row [-] (-1 outside the domain).

    Parameters
    ----------
    grid : ColumnGrid
        The grid [m].
    launch_radius : array_like
        Launch radius of each ray at the surface [m].
    rayleigh : float
        Rayleigh length of the beam [m] (``inf`` for no divergence).

    Returns
    -------
    numpy.ndarray
        Shape (rays, rows), int64.
    """
    radius = np.asarray(launch_radius, float)[:, None] * beam_expansion(grid.z, rayleigh)[None, :]
    faces = grid.radial.faces
    index = np.searchsorted(faces, radius, side="right") - 1
    index[radius >= faces[-1]] = -1
    return index.astype(np.int64)


@njit(cache=True)
def _tridiagonal(lower, diagonal, upper, rhs, n, c_prime, d_prime, out):
    """Thomas algorithm on the first n rows."""
    c_prime[0] = upper[0] / diagonal[0]
    d_prime[0] = rhs[0] / diagonal[0]
    for i in range(1, n):
        m = diagonal[i] - lower[i] * c_prime[i - 1]
        c_prime[i] = upper[i] / m
        d_prime[i] = (rhs[i] - lower[i] * d_prime[i - 1]) / m
    out[n - 1] = d_prime[n - 1]
    for i in range(n - 2, -1, -1):
        out[i] = d_prime[i] - c_prime[i] * out[i + 1]


@njit(cache=True)
def _remove(j, i, removed, temperature, rho_c, volume, body_temperature, ledger):
    """Take a cell out of the tissue; its sensible heat leaves with the plume."""
    ledger[_REMOVED] += rho_c[j] * (temperature[j, i] - body_temperature) * volume[j, i]
    temperature[j, i] = body_temperature
    removed[j, i] = True


@njit(cache=True)
def _absorb(
    j,
    i,
    energy,
    temperature,
    latent,
    need,
    removed,
    marked,
    rho_c,
    volume,
    ablation_temperature,
    body_temperature,
    steady,
    ledger,
):
    """Give ``energy`` [J] to a cell; return what a spent cell passes on [J].

    Sensible heating up to the ablation temperature, then boiling (the
    vapour leaves: booked as removed). In the steady-state regime a spent
    cell leaves at once and the energy beyond its need is returned; in the
    blow-off regime it is marked and keeps absorbing into the plume.
    """
    v = volume[j, i]
    if marked[j, i]:
        ledger[_REMOVED] += energy
        return 0.0
    room = rho_c[j] * (ablation_temperature - temperature[j, i]) * v
    if energy <= room:
        temperature[j, i] += energy / (rho_c[j] * v)
        return 0.0
    temperature[j, i] = ablation_temperature
    excess = energy - max(room, 0.0)
    needed = (need[j, i] - latent[j, i]) * v
    if excess < needed:
        latent[j, i] += excess / v
        ledger[_REMOVED] += excess
        return 0.0
    if steady:
        latent[j, i] = need[j, i]
        ledger[_REMOVED] += max(needed, 0.0)
        _remove(j, i, removed, temperature, rho_c, volume, body_temperature, ledger)
        return excess - max(needed, 0.0)
    latent[j, i] += excess / v
    ledger[_REMOVED] += excess
    marked[j, i] = True
    return 0.0


@njit(cache=True)
def _deposit(
    ray_energy,
    path,
    entry,
    mu,
    dz,
    temperature,
    latent,
    need,
    removed,
    marked,
    rho_c,
    volume,
    ablation_temperature,
    body_temperature,
    steady,
    ledger,
    touched,
):
    """Trace every ray of one time step into the tissue.

    ``touched[0]`` is raised to the deepest row that absorbed energy.
    """
    n_rays, n_z = path.shape
    for k in range(n_rays):
        e = ray_energy[k]
        if e <= 0.0:
            continue
        cutoff = 1e-10 * e
        j = entry[k]
        # the ray crosses the open crater (void cells) unattenuated
        while j < n_z:
            i = path[k, j]
            if i < 0 or not removed[j, i]:
                break
            j += 1
        entry[k] = j
        first = j
        while j < n_z and e > cutoff:
            i = path[k, j]
            if i < 0:
                break
            if removed[j, i]:
                j += 1
                continue
            absorbed = e * (1.0 - np.exp(-mu[j, i] * dz[j]))
            e -= absorbed
            left = _absorb(
                j,
                i,
                absorbed,
                temperature,
                latent,
                need,
                removed,
                marked,
                rho_c,
                volume,
                ablation_temperature,
                body_temperature,
                steady,
                ledger,
            )
            ledger[_ABSORBED] += absorbed - left
            if j > touched[0]:
                touched[0] = j
            if removed[j, i]:
                e += left
                # vapour formed below blows off the tissue above it on the ray
                for jj in range(first, j):
                    ii = path[k, jj]
                    if ii >= 0 and not removed[jj, ii]:
                        _remove(
                            jj, ii, removed, temperature, rho_c, volume, body_temperature, ledger
                        )
            j += 1
        if j < n_z and path[k, min(j, n_z - 1)] < 0:
            ledger[_ESCAPED] += e
        else:
            ledger[_TRANSMITTED] += e


@njit(cache=True)
def _end_of_pulse(
    removed,
    marked,
    latent,
    need,
    water,
    water0,
    residue_fraction,
    temperature,
    rho_c,
    volume,
    body_temperature,
    ledger,
):
    """Blow-off removal, desiccation of what stays, dry residue."""
    n_z, n_r = removed.shape
    for i in range(n_r):
        deepest = -1
        for j in range(n_z - 1):
            if marked[j, i]:
                deepest = j
        for j in range(deepest + 1):
            if not removed[j, i]:
                _remove(j, i, removed, temperature, rho_c, volume, body_temperature, ledger)
            marked[j, i] = False
    for j in range(n_z):
        for i in range(n_r):
            if latent[j, i] > 0.0 and not removed[j, i]:
                water[j, i] = max(water[j, i] * (1.0 - latent[j, i] / need[j, i]), 0.0)
            latent[j, i] = 0.0
            marked[j, i] = False
    # exposed tissue that lost most of its water leaves as dry residue
    changed = True
    while changed:
        changed = False
        for i in range(n_r):
            j = 0
            while j < n_z - 1 and removed[j, i]:
                j += 1
            if j < n_z - 1 and water[j, i] < residue_fraction * water0[j]:
                _remove(j, i, removed, temperature, rho_c, volume, body_temperature, ledger)
                changed = True
        for j in range(n_z - 1):
            i = 0
            while i < n_r - 1 and removed[j, i]:
                i += 1
            if 0 < i < n_r - 1 and water[j, i] < residue_fraction * water0[j]:
                _remove(j, i, removed, temperature, rho_c, volume, body_temperature, ledger)
                changed = True


@njit(cache=True)
def _bottom_conductance(j, n_z, area, dz, conductivity):
    """Conductance from row j to body temperature below it [W/K]."""
    if j == n_z - 1:
        return area * conductivity[j] / (0.5 * dz[j])
    return area / (0.5 * dz[j] / conductivity[j] + 0.5 * dz[j + 1] / conductivity[j + 1])


@njit(cache=True)
def _conduct(
    temperature,
    removed,
    n_active,
    dt,
    rho_c,
    conductivity,
    perfusion_capacity,
    dr,
    r_faces,
    dz,
    ring_area,
    volume,
    h_air,
    air_temperature,
    body_temperature,
    blood_temperature,
    ledger,
    lower,
    diagonal,
    upper,
    rhs,
    c_prime,
    d_prime,
    solution,
):
    """One backward-Euler step, split into a radial and an axial sweep.

    Only the first ``n_active`` rows are solved; the rows below are still at
    body temperature and act as a fixed-temperature boundary.
    """
    n_z, n_r = temperature.shape
    # radial sweep, row by row
    for j in range(n_active):
        k_j = conductivity[j]
        for i in range(n_r):
            lower[i] = 0.0
            upper[i] = 0.0
            if removed[j, i]:
                diagonal[i] = 1.0
                rhs[i] = temperature[j, i]
                continue
            cap = rho_c[j] * volume[j, i] / dt
            diagonal[i] = cap
            rhs[i] = cap * temperature[j, i]
            if i > 0:
                if removed[j, i - 1]:
                    g = h_air * 2.0 * np.pi * r_faces[i] * dz[j]
                    diagonal[i] += g
                    rhs[i] += g * air_temperature
                else:
                    g = k_j * 2.0 * np.pi * r_faces[i] * dz[j] / (0.5 * (dr[i - 1] + dr[i]))
                    lower[i] = -g
                    diagonal[i] += g
            if i < n_r - 1:
                if removed[j, i + 1]:
                    g = h_air * 2.0 * np.pi * r_faces[i + 1] * dz[j]
                    diagonal[i] += g
                    rhs[i] += g * air_temperature
                else:
                    g = k_j * 2.0 * np.pi * r_faces[i + 1] * dz[j] / (0.5 * (dr[i] + dr[i + 1]))
                    upper[i] = -g
                    diagonal[i] += g
            else:
                g = k_j * 2.0 * np.pi * r_faces[n_r] * dz[j] / (0.5 * dr[i])
                diagonal[i] += g
                rhs[i] += g * body_temperature
        _tridiagonal(lower, diagonal, upper, rhs, n_r, c_prime, d_prime, solution)
        for i in range(n_r):
            if removed[j, i]:
                continue
            if i > 0 and removed[j, i - 1]:
                g = h_air * 2.0 * np.pi * r_faces[i] * dz[j]
                ledger[_SURFACE] += g * (solution[i] - air_temperature) * dt
            if i < n_r - 1 and removed[j, i + 1]:
                g = h_air * 2.0 * np.pi * r_faces[i + 1] * dz[j]
                ledger[_SURFACE] += g * (solution[i] - air_temperature) * dt
            if i == n_r - 1:
                g = k_j * 2.0 * np.pi * r_faces[n_r] * dz[j] / (0.5 * dr[i])
                ledger[_BOUNDARY] += g * (solution[i] - body_temperature) * dt
            temperature[j, i] = solution[i]
    # axial sweep, column by column, with perfusion
    for i in range(n_r):
        area = ring_area[i]
        for j in range(n_active):
            lower[j] = 0.0
            upper[j] = 0.0
            if removed[j, i]:
                diagonal[j] = 1.0
                rhs[j] = temperature[j, i]
                continue
            cap = rho_c[j] * volume[j, i] / dt
            blood = perfusion_capacity[j] * volume[j, i]
            diagonal[j] = cap + blood
            rhs[j] = cap * temperature[j, i] + blood * blood_temperature
            if j == 0 or removed[j - 1, i]:
                diagonal[j] += h_air * area
                rhs[j] += h_air * area * air_temperature
            else:
                g = area / (0.5 * dz[j - 1] / conductivity[j - 1] + 0.5 * dz[j] / conductivity[j])
                lower[j] = -g
                diagonal[j] += g
            if j < n_active - 1:
                if removed[j + 1, i]:
                    diagonal[j] += h_air * area
                    rhs[j] += h_air * area * air_temperature
                else:
                    g = area / (
                        0.5 * dz[j] / conductivity[j] + 0.5 * dz[j + 1] / conductivity[j + 1]
                    )
                    upper[j] = -g
                    diagonal[j] += g
            else:
                g = _bottom_conductance(j, n_z, area, dz, conductivity)
                diagonal[j] += g
                rhs[j] += g * body_temperature
        _tridiagonal(lower, diagonal, upper, rhs, n_active, c_prime, d_prime, solution)
        for j in range(n_active):
            if removed[j, i]:
                continue
            exposed = 0
            if j == 0 or removed[j - 1, i]:
                exposed += 1
            if j < n_z - 1 and removed[j + 1, i]:
                exposed += 1
            ledger[_SURFACE] += exposed * h_air * area * (solution[j] - air_temperature) * dt
            if j == n_active - 1:
                g = _bottom_conductance(j, n_z, area, dz, conductivity)
                ledger[_BOUNDARY] += g * (solution[j] - body_temperature) * dt
            ledger[_PERFUSION] += (
                perfusion_capacity[j] * volume[j, i] * (solution[j] - blood_temperature) * dt
            )
            temperature[j, i] = solution[j]


@njit(cache=True)
def _run(
    r_faces,
    dr,
    dz,
    ring_area,
    volume,
    rho_c,
    conductivity,
    water0,
    perfusion_capacity,
    body_temperature,
    water_absorption,
    ablation_enthalpy,
    ablation_temperature,
    residue_fraction,
    path,
    ray_fraction,
    pulse_start,
    pulse_duration,
    pulse_energy,
    pulse_blowoff,
    pulse_efficiency,
    capture_times,
    t_end,
    steps_per_pulse,
    dt_growth,
    dt_max,
    window_depth,
    stop_depth,
    h_air,
    air_temperature,
    blood_temperature,
    damage_a_low,
    damage_ea_low,
    damage_a_high,
    damage_ea_high,
    damage_switch,
):
    n_z = dz.shape[0]
    n_r = dr.shape[0]
    n_rays = ray_fraction.shape[0]
    temperature = np.full((n_z, n_r), body_temperature)
    water = np.empty((n_z, n_r))
    for j in range(n_z):
        for i in range(n_r):
            water[j, i] = water0[j]
    omega = np.zeros((n_z, n_r))
    peak = temperature.copy()
    latent = np.zeros((n_z, n_r))
    need = np.ones((n_z, n_r))
    mu = np.zeros((n_z, n_r))
    removed = np.zeros((n_z, n_r), dtype=np.bool_)
    marked = np.zeros((n_z, n_r), dtype=np.bool_)
    before = np.empty((n_z, n_r))
    ledger = np.zeros(7)
    entry = np.zeros(n_rays, dtype=np.int64)
    ray_energy = np.zeros(n_rays)
    n_capture = capture_times.shape[0]
    captured_removed = np.zeros((n_capture, n_z, n_r), dtype=np.bool_)
    captured_omega = np.zeros((n_capture, n_z, n_r))
    next_capture = 0
    n_line = max(n_z, n_r)
    lower = np.zeros(n_line)
    diagonal = np.zeros(n_line)
    upper = np.zeros(n_line)
    rhs = np.zeros(n_line)
    c_prime = np.zeros(n_line)
    d_prime = np.zeros(n_line)
    solution = np.zeros(n_line)
    sensible_cap = np.empty(n_z)
    for j in range(n_z):
        sensible_cap[j] = rho_c[j] * (ablation_temperature - body_temperature)
    z_faces = np.zeros(n_z + 1)
    for j in range(n_z):
        z_faces[j + 1] = z_faces[j] + dz[j]
    n_pulses = pulse_start.shape[0]
    relaxation = t_end - (pulse_start[n_pulses - 1] + pulse_duration[n_pulses - 1])
    current = -1
    n_active = 1
    touched = np.zeros(1, dtype=np.int64)
    t = 0.0
    dt = 0.0
    while t < t_end - 1e-15:
        active = -1
        for p in range(n_pulses):
            if pulse_start[p] - 1e-15 <= t < pulse_start[p] + pulse_duration[p] - 1e-15:
                active = p
        if active >= 0:
            dt = pulse_duration[active] / steps_per_pulse
            dt = min(dt, pulse_start[active] + pulse_duration[active] - t)
        else:
            dt = min(max(dt, 1e-7) * dt_growth, dt_max)
            for p in range(n_pulses):
                if pulse_start[p] > t + 1e-15:
                    dt = min(dt, pulse_start[p] - t)
                    break
        if next_capture < n_capture and capture_times[next_capture] > t:
            dt = min(dt, capture_times[next_capture] - t)
        dt = min(dt, t_end - t)
        if dt <= 0.0:
            dt = 1e-12

        if active >= 0:
            if current != active:
                current = active
                for j in range(n_z):
                    for i in range(n_r):
                        mu[j, i] = water_absorption * water[j, i]
                        latent[j, i] = 0.0
                        dryness = water0[j] / max(water[j, i], 1e-3 * water0[j], 1e-12)
                        need[j, i] = (
                            ablation_enthalpy[j] / pulse_efficiency[active] * dryness
                            - sensible_cap[j]
                        )
            power = pulse_energy[active] / pulse_duration[active]
            for k in range(n_rays):
                ray_energy[k] = power * ray_fraction[k] * dt
            _deposit(
                ray_energy,
                path,
                entry,
                mu,
                dz,
                temperature,
                latent,
                need,
                removed,
                marked,
                rho_c,
                volume,
                ablation_temperature,
                body_temperature,
                not pulse_blowoff[active],
                ledger,
                touched,
            )
            for j in range(n_z):
                for i in range(n_r):
                    if not removed[j, i] and temperature[j, i] > peak[j, i]:
                        peak[j, i] = temperature[j, i]

        for p in range(n_pulses):
            end = pulse_start[p] + pulse_duration[p]
            if t < end <= t + dt + 1e-15:
                _end_of_pulse(
                    removed,
                    marked,
                    latent,
                    need,
                    water,
                    water0,
                    residue_fraction,
                    temperature,
                    rho_c,
                    volume,
                    body_temperature,
                    ledger,
                )
                current = -1
                # stop stacking once the column floor has passed the stop depth
                floor = 0
                for i in range(n_r):
                    for j in range(n_z - 1, -1, -1):
                        if removed[j, i]:
                            floor = max(floor, j + 1)
                            break
                if z_faces[floor] > stop_depth and p < n_pulses - 1:
                    t_end = min(t_end, end + relaxation)
                    n_pulses = p + 1

        # solve only down to a window below the deepest cell the beam reached
        while n_active < n_z and z_faces[n_active] < z_faces[touched[0] + 1] + window_depth:
            n_active += 1
        for j in range(n_active):
            for i in range(n_r):
                before[j, i] = temperature[j, i]
        _conduct(
            temperature,
            removed,
            n_active,
            dt,
            rho_c,
            conductivity,
            perfusion_capacity,
            dr,
            r_faces,
            dz,
            ring_area,
            volume,
            h_air,
            air_temperature,
            body_temperature,
            blood_temperature,
            ledger,
            lower,
            diagonal,
            upper,
            rhs,
            c_prime,
            d_prime,
            solution,
        )
        for j in range(n_active):
            for i in range(n_r):
                if removed[j, i]:
                    continue
                t0 = before[j, i]
                t1 = temperature[j, i]
                if t1 > peak[j, i]:
                    peak[j, i] = t1
                if t0 < DAMAGE_FLOOR_TEMPERATURE and t1 < DAMAGE_FLOOR_TEMPERATURE:
                    continue
                r0 = damage_rate_scalar(
                    t0, damage_a_low, damage_ea_low, damage_a_high, damage_ea_high, damage_switch
                )
                r1 = damage_rate_scalar(
                    t1, damage_a_low, damage_ea_low, damage_a_high, damage_ea_high, damage_switch
                )
                omega[j, i] += 0.5 * (r0 + r1) * dt
        t += dt
        while next_capture < n_capture and capture_times[next_capture] <= t + 1e-15:
            for j in range(n_z):
                for i in range(n_r):
                    captured_removed[next_capture, j, i] = removed[j, i]
                    captured_omega[next_capture, j, i] = omega[j, i]
            next_capture += 1
    for c in range(next_capture, n_capture):
        for j in range(n_z):
            for i in range(n_r):
                captured_removed[c, j, i] = removed[j, i]
                captured_omega[c, j, i] = omega[j, i]
    return (
        temperature,
        peak,
        omega,
        water,
        removed,
        ledger,
        captured_removed,
        captured_omega,
    )


@dataclass(frozen=True)
class ColumnSolution:
    """Result of :func:`solve_column`.

    Attributes
    ----------
    grid : ColumnGrid
        The grid [m].
    removed : numpy.ndarray of bool
        Ablated cells, shape (depth, radius).
    temperature : numpy.ndarray
        Final temperature per cell [K] (body temperature where ablated).
    peak_temperature : numpy.ndarray
        Highest temperature each cell reached while it remained [K].
    damage : numpy.ndarray
        Arrhenius integral per cell [-] (meaningless where ablated).
    water_fraction : numpy.ndarray
        Final water volume fraction per cell [-].
    removed_after_pulse : numpy.ndarray of bool
        Ablated cells after each pulse, taken just before the next pulse
        (after the whole run for the last one), shape (pulses, depth, radius).
    damage_after_pulse : numpy.ndarray
        Arrhenius integral at the same times [-].
    energy : dict
        Energy ledger [J]: delivered, absorbed, removed, surface (to air),
        boundary (out of the domain), perfusion, transmitted (out of the
        bottom unabsorbed), escaped (beam outside the domain), stored.
    """

    grid: ColumnGrid
    removed: np.ndarray
    temperature: np.ndarray
    peak_temperature: np.ndarray
    damage: np.ndarray
    water_fraction: np.ndarray
    removed_after_pulse: np.ndarray
    damage_after_pulse: np.ndarray
    energy: dict

    def energy_balance_error(self) -> float:
        """Relative imbalance of the energy ledger [-].

        ``|absorbed - (stored + removed + surface + boundary + perfusion)|``
        over the absorbed energy.
        """
        e = self.energy
        out = e["stored"] + e["removed"] + e["surface"] + e["boundary"] + e["perfusion"]
        return abs(e["absorbed"] - out) / max(abs(e["absorbed"]), 1e-30)


def solve_column(
    grid: ColumnGrid,
    *,
    density,
    specific_heat,
    conductivity,
    water_fraction,
    perfusion_capacity,
    body_temperature: float,
    water_absorption: float,
    ablation_enthalpy,
    ablation_temperature: float,
    residue_water_fraction: float,
    ray_radius,
    ray_fraction,
    rayleigh: float,
    pulse_start,
    pulse_duration,
    pulse_energy,
    pulse_blowoff,
    end_time: float,
    surface_heat_transfer: float,
    air_temperature: float,
    blood_temperature: float,
    damage_parameters: tuple[float, float, float, float, float],
    pulse_efficiency=None,
    steps_per_pulse: int = 20,
    step_growth: float = 1.5,
    max_step: float = 5e-3,
    window_depth: float = 300e-6,
    stop_depth: float = np.inf,
) -> ColumnSolution:
    """Run the axisymmetric bioheat solver over a train of pulses on one column.

    Parameters
    ----------
    grid : ColumnGrid
        Finite-volume grid [m].
    density, specific_heat, conductivity : array_like
        Per row of cells [kg/m^3], [J/(kg K)], [W/(m K)] (layered skin:
        properties vary with depth only).
    water_fraction : array_like
        Initial water volume fraction per row [-].
    perfusion_capacity : array_like
        Blood perfusion times blood density and specific heat per row
        [W/(m^3 K)].
    body_temperature : float
        Initial temperature, and that of the outer and bottom boundaries [K].
    water_absorption : float
        Absorption coefficient of water at the laser wavelength, including
        any dynamic factor [1/m]; a cell absorbs ``water_absorption * water``.
    ablation_enthalpy : array_like
        Energy per volume, from body temperature, that removes native tissue,
        per row [J/m^3].
    ablation_temperature : float
        Temperature at which tissue water starts to boil off [K].
    residue_water_fraction : float
        Exposed tissue left with less than this fraction of its native water
        at the end of a pulse leaves as dry residue [-].
    ray_radius, ray_fraction : array_like
        Launch radius [m] and energy fraction [-] of each ray
        (:func:`beam_rays`).
    rayleigh : float
        Rayleigh length of the beam focused on the surface [m]; ``inf`` for a
        collimated beam.
    pulse_start, pulse_duration, pulse_energy : array_like
        Each pulse's start [s], duration [s] and energy [J].
    pulse_blowoff : array_like of bool
        True where the pulse ablates in the blow-off regime.
    end_time : float
        Time to run to [s].
    surface_heat_transfer : float
        Convective heat transfer coefficient to air [W/(m^2 K)].
    air_temperature, blood_temperature : float
        [K].
    damage_parameters : tuple
        (A_low [1/s], Ea_low [J/mol], A_high [1/s], Ea_high [J/mol], switch [K]).
    pulse_efficiency : array_like, optional
        Ablation efficiency of each pulse relative to fresh tissue (0-1] [-];
        ones by default.
    steps_per_pulse : int
        Time steps per pulse [-].
    step_growth, max_step : float
        Growth factor of the step between pulses [-] and largest step [s].
    window_depth : float
        Depth solved below the deepest warm or ablated cell [m]; deeper cells
        are still at body temperature and are left out of the solve (the
        heat that reaches the window's bottom is booked as boundary loss).
    stop_depth : float
        Once the column floor passes this depth at the end of a pulse, the
        remaining pulses are not delivered and the run relaxes as after the
        last pulse [m].

    Returns
    -------
    ColumnSolution
    """
    starts = np.asarray(pulse_start, float)
    durations = np.asarray(pulse_duration, float)
    energies = np.asarray(pulse_energy, float)
    efficiency = (
        np.ones(starts.size) if pulse_efficiency is None else np.asarray(pulse_efficiency, float)
    )
    rho_c = np.asarray(density, float) * np.asarray(specific_heat, float)
    water0 = np.asarray(water_fraction, float)
    volume = grid.volume
    path = ray_paths(grid, ray_radius, rayleigh)
    fractions = np.asarray(ray_fraction, float)
    capture = np.append(starts[1:], end_time)
    a_low, ea_low, a_high, ea_high, switch = damage_parameters
    (temperature, peak, omega, water, removed, ledger, removed_after, omega_after) = _run(
        grid.radial.faces,
        grid.radial.widths,
        grid.axial.widths,
        grid.ring_area,
        volume,
        rho_c,
        np.asarray(conductivity, float),
        water0,
        np.asarray(perfusion_capacity, float),
        float(body_temperature),
        float(water_absorption),
        np.asarray(ablation_enthalpy, float),
        float(ablation_temperature),
        float(residue_water_fraction),
        path,
        fractions,
        starts,
        durations,
        energies,
        np.asarray(pulse_blowoff, np.bool_),
        efficiency,
        capture,
        float(end_time),
        float(steps_per_pulse),
        float(step_growth),
        float(max_step),
        float(window_depth),
        float(stop_depth),
        float(surface_heat_transfer),
        float(air_temperature),
        float(blood_temperature),
        float(a_low),
        float(ea_low),
        float(a_high),
        float(ea_high),
        float(switch),
    )
    energy = dict(zip(LEDGER, (float(x) for x in ledger), strict=True))
    energy["delivered"] = float(energies.sum())
    # energy launched outside the traced rays never reached the grid
    energy["escaped"] += float(energies.sum() * (1.0 - fractions.sum()))
    kept = ~removed
    energy["stored"] = float(
        np.sum((rho_c[:, None] * (temperature - body_temperature) * volume)[kept])
    )
    return ColumnSolution(
        grid=grid,
        removed=removed,
        temperature=temperature,
        peak_temperature=np.where(removed, np.nan, peak),
        damage=omega,
        water_fraction=water,
        removed_after_pulse=removed_after,
        damage_after_pulse=omega_after,
        energy=energy,
    )


def _crater_edge(removed_row: np.ndarray) -> int:
    """Number of void cells contiguous from the axis in one row."""
    tissue = np.flatnonzero(~removed_row)
    return int(tissue[0]) if tissue.size else removed_row.size


def _coagulated_extent(centres, damage, face: float, threshold: float) -> float:
    """Distance from ``face`` to where the damage integral falls through ``threshold`` [m].

    ``damage`` runs outward from the first tissue cell beyond ``face``; the
    crossing is interpolated in log(Omega) between the centres of the last
    coagulated and the first intact cell, so that the extent varies smoothly
    with the dose instead of in whole cells.
    """
    above = damage >= threshold
    if not above.size or not above[0]:
        return 0.0
    intact = np.flatnonzero(~above)
    if not intact.size:
        return float(centres[-1] - face)
    n = int(intact[0])
    log_in = np.log(max(damage[n - 1], 1e-300))
    log_out = np.log(max(damage[n], 1e-300))
    log_threshold = np.log(threshold)
    fraction = (log_in - log_threshold) / max(log_in - log_out, 1e-300)
    return float(centres[n - 1] + fraction * (centres[n] - centres[n - 1]) - face)


def column_dimensions(grid: ColumnGrid, removed, damage, threshold: float = 1.0) -> dict:
    """Measure the column and its coagulation sleeve [m].

    Parameters
    ----------
    grid : ColumnGrid
        The grid [m].
    removed : numpy.ndarray of bool
        Ablated cells, shape (depth, radius).
    damage : numpy.ndarray
        Arrhenius integral per cell [-].
    threshold : float
        Damage integral that counts as coagulated [-].

    Returns
    -------
    dict
        ``ablation_depth``: original surface to the deepest point of the
        crater floor; ``ablation_diameter``: crater diameter at the surface;
        ``coagulation_depth``: from the deepest floor point to the deepest
        coagulated point;
        ``coagulation_cuff``: coagulated sleeve around the wall at half the
        ablation depth (below the surface when nothing is ablated);
        ``mtz_diameter``: widest diameter of crater plus sleeve;
        ``total_depth``: ablation plus coagulation depth. All [m]. Crater
        walls are resolved to whole cells; the edge of the coagulated tissue
        is interpolated between cell centres.
    """
    removed = np.asarray(removed, bool)
    damage = np.where(removed, 0.0, np.asarray(damage, float))
    z_faces = grid.axial.faces
    r_faces = grid.radial.faces
    z_centres, r_centres = grid.z, grid.r
    n_z, _ = removed.shape
    # depth of the void contiguous from the surface in each radial column
    tissue_rows = np.where(~removed, np.arange(n_z)[:, None], n_z)
    floor = np.minimum(tissue_rows.min(axis=0), n_z - 1)
    ablation_depth = float(z_faces[floor].max())
    # deepest coagulated point below any floor
    deepest_coagulated = max(
        z_faces[f] + _coagulated_extent(z_centres[f:], damage[f:, i], z_faces[f], threshold)
        for i, f in enumerate(floor)
    )
    coagulation_depth = max(float(deepest_coagulated) - ablation_depth, 0.0)

    def radii(j: int) -> tuple[float, float]:
        edge = _crater_edge(removed[j])
        crater = float(r_faces[edge])
        if edge >= r_centres.size:
            return crater, crater
        sleeve = _coagulated_extent(r_centres[edge:], damage[j, edge:], crater, threshold)
        return crater, crater + sleeve

    ablation_radius, _ = radii(0)
    j_middle = min(int(np.searchsorted(z_faces, 0.5 * ablation_depth, side="right")) - 1, n_z - 1)
    crater_mid, sleeve_mid = radii(max(j_middle, 0))
    total_depth = ablation_depth + coagulation_depth
    last = max(int(np.searchsorted(z_faces, total_depth, side="left")), 1)
    widest = max(radii(j)[1] for j in range(min(last, n_z)))
    return {
        "ablation_depth": ablation_depth,
        "ablation_diameter": 2.0 * ablation_radius,
        "coagulation_depth": coagulation_depth,
        "coagulation_cuff": sleeve_mid - crater_mid,
        "mtz_diameter": 2.0 * widest,
        "total_depth": total_depth,
    }
