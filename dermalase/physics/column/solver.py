"""The numba kernel and the driver of the axisymmetric column bioheat solver.

See :mod:`dermalase.physics.column` for the model; the light is deposited by
a :class:`~dermalase.physics.transport.gaussian_rays.GaussianRays` model, or
given as a fixed deposition per joule (a Monte Carlo run,
:mod:`dermalase.physics.transport.fixed_deposition`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from dermalase.physics.column.grid import ColumnGrid
from dermalase.physics.heat import damage_rate_scalar
from dermalase.physics.transport import Deposition
from dermalase.physics.transport.beer_lambert import cell_absorptance
from dermalase.physics.transport.gaussian_rays import GaussianRays

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
    absorptance,
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

    ``absorptance[j, i]`` is the fraction of a ray's energy that cell (j, i)
    absorbs (from the transport model, frozen at the start of the pulse).
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
            absorbed = e * absorptance[j, i]
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
def _deposit_fixed(
    energy,
    fixed_source,
    water_mu,
    other_mu,
    water_thermal_slope,
    dz,
    temperature,
    latent,
    need,
    water,
    water0,
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
    """Give one time step of a fixed deposition (``energy`` [J] in all) to the cells.

    ``fixed_source[j, i]`` is the share of the pulse energy cell (j, i)
    absorbs in unheated tissue. Without ``water_mu`` (empty) the shares stay
    fixed and a share falling on a removed cell leaves the grid. With the
    absorption of each row's water ``water_mu`` and other chromophores
    ``other_mu`` [1/m], each column of cells is marched from the surface down:
    a cell absorbs its share in proportion to its absorption coefficient now
    against at body temperature (its water part falls with the water left as
    it boils and by ``water_thermal_slope`` [1/K] of itself per kelvin it is
    hotter), and what it does not absorb,
    with what boiled-off cells above pass, continues down the column and is
    absorbed there by Beer-Lambert (``1 - exp(-mu_a dz)`` per cell);
    vaporised cells pass everything. What leaves the bottom is transmitted.
    """
    n_fixed, n_r = fixed_source.shape
    n_z = dz.shape[0]
    bleach = water_mu.shape[0] > 0
    for i in range(n_r):
        carry = 0.0
        for j in range(n_z):
            share = energy * fixed_source[j, i] if j < n_fixed else 0.0
            if share <= 0.0 and carry <= 0.0:
                if j >= n_fixed:
                    break
                continue
            if removed[j, i]:
                if bleach:
                    carry += share
                else:
                    ledger[_ESCAPED] += share
                continue
            given = share
            if bleach:
                left_water = water[j, i] / water0[j] if water0[j] > 0.0 else 0.0
                if need[j, i] > 0.0:
                    left_water *= max(1.0 - latent[j, i] / need[j, i], 0.0)
                hot = max(1.0 - water_thermal_slope * (temperature[j, i] - body_temperature), 0.0)
                mu_then = water_mu[j] + other_mu[j]
                mu_now = water_mu[j] * min(left_water, 1.0) * hot + other_mu[j]
                kept = mu_now / mu_then if mu_then > 0.0 else 1.0
                through = np.exp(-mu_now * dz[j])
                given = share * kept + carry * (1.0 - through)
                carry = share * (1.0 - kept) + carry * through
            left = _absorb(j, i, given, temperature, latent, need, removed, marked, rho_c,
                           volume, ablation_temperature, body_temperature, steady,
                           ledger)  # fmt: skip
            ledger[_ABSORBED] += given - left
            if bleach:
                carry += left
            else:
                ledger[_ESCAPED] += left
            touched[0] = max(touched[0], j)
        ledger[_TRANSMITTED] += carry


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
    absorptance_law,
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
    fixed_source,
    water_mu,
    other_mu,
    water_thermal_slope,
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
    absorptance = np.zeros((n_z, n_r))
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
                        absorptance[j, i] = absorptance_law(water_absorption * water[j, i], dz[j])
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
                absorptance,
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
            if fixed_source.shape[0] > 0:
                _deposit_fixed(power * dt, fixed_source, water_mu, other_mu, water_thermal_slope,
                               dz, temperature,
                               latent, need, water, water0, removed, marked, rho_c, volume,
                               ablation_temperature, body_temperature,
                               not pulse_blowoff[active], ledger, touched)  # fmt: skip
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
    transport: GaussianRays | None,
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
    deposition: Deposition | None = None,
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
    transport : GaussianRays
        The beam and its deposition: the rays it is split into, how they fan
        out below the focus, and the absorptance of the cells they cross
        (:class:`~dermalase.physics.transport.gaussian_rays.GaussianRays`,
        or another model with the same ``rays``, ``paths`` and
        ``absorptance``); None with ``deposition``.
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
    deposition : Deposition, optional
        A fixed light deposition per joule of pulse energy, in place of the
        rays (``transport=None``;
        :mod:`dermalase.physics.transport.fixed_deposition`): ``absorbed``
        per cell [J/m^3 per J], shape (depth, radius); ``transmitted`` and
        ``escaped`` [J per J] leave the grid. Without its
        ``water_absorption`` it does not follow a crater: light that falls on
        removed cells is booked as escaped. With it, cells absorb less as
        their water boils off and pass the rest down their column (see
        ``_deposit_fixed``).

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
    if (transport is None) == (deposition is None):
        raise ValueError("give either a transport model or a fixed deposition")
    if transport is None:
        path, fractions, absorptance = np.zeros((0, grid.shape[0]), np.int64), np.zeros(0), None
    else:
        path, fractions = transport.paths(grid), np.asarray(transport.rays()[1], float)
        absorptance = transport.absorptance
    fixed = np.zeros((0, grid.shape[1]))
    water_mu = other_mu = np.zeros(0)
    if deposition is not None:
        fixed = np.ascontiguousarray(deposition.absorbed * volume)
        fixed = fixed[: int(np.flatnonzero(fixed.any(axis=1)).max(initial=-1)) + 1]
        if deposition.water_absorption is not None:
            water_mu = np.ascontiguousarray(deposition.water_absorption, float)
            other_mu = np.ascontiguousarray(deposition.other_absorption, float)
            if water_mu.shape != (grid.shape[0],) or other_mu.shape != water_mu.shape:
                raise ValueError("water and other absorption need one value per grid row")
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
        cell_absorptance if absorptance is None else absorptance,
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
        fixed,
        water_mu,
        other_mu,
        0.0 if deposition is None else deposition.water_thermal_slope,
    )
    energy = dict(zip(LEDGER, (float(x) for x in ledger), strict=True))
    energy["delivered"] = float(energies.sum())
    # energy launched outside the traced rays never reached the grid
    launched = fractions.sum()
    if deposition is not None:
        launched = fixed.sum() + deposition.transmitted + deposition.escaped
        energy["transmitted"] += float(energies.sum() * deposition.transmitted)
        energy["escaped"] += float(energies.sum() * deposition.escaped)
    energy["escaped"] += float(energies.sum() * (1.0 - launched))
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
