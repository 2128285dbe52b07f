"""A microbeam as a bundle of rays, the deposition model of the fractional column.

The beam of one fractional microbeam (a Gaussian or a top-hat profile at its
focus on the skin surface) is split into thin launch annuli, one ray each,
carrying the power of its annulus. With divergence the rays fan out as a
Gaussian beam focused on the surface, ``r(z) = r(0) sqrt(1 + (z / z_R)^2)``
with Rayleigh length ``z_R = pi w0^2 / (M^2 lambda)``. A ray crosses void
cells (the open crater) unattenuated (the ablation plume is not modelled)
and is absorbed by Beer-Lambert in the tissue it meets; rays that leave a
tapering crater are absorbed in its wall, and rays that reach the outer
radius of the grid escape.

References
----------
.. [1] Siegman AE (1986). Lasers. University Science Books, chapter 17
   (Gaussian beam propagation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from dermalase.citations import Citation, register
from dermalase.physics.transport import Deposition
from dermalase.physics.transport.beer_lambert import cell_absorptance

if TYPE_CHECKING:
    from dermalase.physics.column.grid import ColumnGrid

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


@dataclass(frozen=True)
class GaussianRays:
    """The ray model of one microbeam focused on the skin surface.

    Parameters
    ----------
    profile : {"gaussian", "top_hat"}
        Irradiance profile at the focus.
    spot_diameter : float
        Spot diameter at the focus (1/e^2 for a Gaussian, the edge of a
        top-hat) [m].
    rayleigh : float
        Rayleigh length [m] (:func:`rayleigh_length`); ``inf`` for a
        collimated beam.
    ray_spacing : float
        Radial width of each launch annulus [m].
    max_radius : float
        Largest launch radius [m] (the outer radius of the grid); the power
        beyond it escapes.

    Attributes
    ----------
    absorptance : numba cfunc
        Beer-Lambert absorptance of a cell crossed by a ray
        (:func:`~dermalase.physics.transport.beer_lambert.cell_absorptance`),
        for the solver kernel.

    Examples
    --------
    A 120 um Gaussian CO2 microbeam: every ray launched inside 3 w0 carries
    all but 1.5e-8 of the pulse.

    >>> beam = GaussianRays("gaussian", 120e-6, 1.067e-3, 0.5e-6, 1e-3)
    >>> radius, fraction, outside = beam.rays()
    >>> round(float(fraction.sum()) + outside, 12)
    1.0
    """

    profile: str
    spot_diameter: float
    rayleigh: float
    ray_spacing: float
    max_radius: float

    absorptance = cell_absorptance

    def rays(self):
        """Launch radius [m] and energy fraction [-] of each ray, and the fraction outside.

        See :func:`beam_rays`.
        """
        return beam_rays(self.profile, self.spot_diameter, self.ray_spacing, self.max_radius)

    def beam_radius(self, depth):
        """Radius of the spot (1/e^2 or edge) at a depth below the focus [m]."""
        return 0.5 * self.spot_diameter * beam_expansion(depth, self.rayleigh)

    def paths(self, grid: ColumnGrid) -> np.ndarray:
        """Radial cell of each ray in each row of ``grid`` [-] (see :func:`ray_paths`)."""
        radius, _, _ = self.rays()
        return ray_paths(grid, radius, self.rayleigh)

    def deposit(self, grid: ColumnGrid, absorption, removed, incident) -> Deposition:
        """Trace one exposure through a frozen column.

        Parameters
        ----------
        grid : ColumnGrid
            Axisymmetric grid [m].
        absorption : array_like
            Absorption coefficient per cell [1/m], shape (depth, radius).
        removed : array_like of bool
            Ablated cells (the crater), crossed unattenuated.
        incident : float
            Pulse energy [J] (or power [W]).

        Returns
        -------
        Deposition
            ``absorbed`` per cell [J/m^3] (or [W/m^3]); ``transmitted``
            through the bottom of the grid [J]; ``escaped`` past the outer
            radius or launched beyond it [J].
        """
        mu = np.asarray(absorption, float)
        removed = np.asarray(removed, bool)
        radius, fraction, outside = self.rays()
        path = ray_paths(grid, radius, self.rayleigh)
        n_z = grid.shape[0]
        dz = grid.axial.widths
        energy = np.zeros(grid.shape)
        transmitted = 0.0
        escaped = float(incident) * outside
        rows = np.arange(n_z)
        for k in range(path.shape[0]):
            column = path[k]
            leaves = np.flatnonzero(column < 0)
            stop = int(leaves[0]) if leaves.size else n_z
            j, i = rows[:stop], column[:stop]
            optical = np.where(removed[j, i], 0.0, mu[j, i] * dz[j])
            optical_depth = np.concatenate(([0.0], np.cumsum(optical)))
            reaching = float(incident) * fraction[k] * np.exp(-optical_depth)
            np.add.at(energy, (j, i), -np.diff(reaching))
            if stop < n_z:
                escaped += float(reaching[-1])
            else:
                transmitted += float(reaching[-1])
        return Deposition(absorbed=energy / grid.volume, transmitted=transmitted, escaped=escaped)
