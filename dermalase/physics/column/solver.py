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

from dermalase.constants import water_boiling_point, water_density, water_latent_heat
from dermalase.physics import ablation
from dermalase.physics.column.grid import ColumnGrid
from dermalase.physics.heat import damage_rate_scalar
from dermalase.physics.transport import Deposition
from dermalase.physics.transport.beer_lambert import cell_absorptance
from dermalase.physics.transport.gaussian_rays import GaussianRays
from dermalase.tissue.parameters import choi1999

# Indices of the energy ledger returned by the kernel [J].
LEDGER = (
    "absorbed",
    "removed",
    "surface",
    "boundary",
    "perfusion",
    "transmitted",
    "escaped",
    "plume",
)
_ABSORBED, _REMOVED, _SURFACE, _BOUNDARY, _PERFUSION, _TRANSMITTED, _ESCAPED, _PLUME = range(8)

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
def _remove(j, i, removed, temperature, cap, volume, body_temperature, ledger):
    """Take a cell out of the tissue; its sensible heat leaves with the plume."""
    ledger[_REMOVED] += cap[j, i] * (temperature[j, i] - body_temperature) * volume[j, i]
    temperature[j, i] = body_temperature
    removed[j, i] = True


@njit(cache=True)
def _set_absorptance(j, i, absorptance, water, solids, mu_water, mu_solid, dz, absorptance_law):
    """Absorptance of a cell from the water and the solids it holds now."""
    absorptance[j, i] = absorptance_law(mu_water * water[j, i] + mu_solid * solids[j], dz[j])


@njit(cache=True)
def _boil(j, i, energy, temperature, water, cap, cap_dry, volume, latent_heat, boil, body, ledger):
    """Spend ``energy`` [J] boiling the water of a cell at the boiling point.

    The vapour leaves with its latent heat and its sensible heat above body
    temperature (booked as removed). Returns the energy left once the cell is
    dry [J].
    """
    v = volume[j, i]
    need = water[j, i] * latent_heat * v
    rho_c_water = (cap[j, i] - cap_dry[j]) / max(water[j, i], 1e-30)
    if energy < need:
        boiled = energy / (latent_heat * v)
        ledger[_REMOVED] += energy + boiled * rho_c_water * (boil - body) * v
        water[j, i] -= boiled
        cap[j, i] = cap_dry[j] + water[j, i] * rho_c_water
        temperature[j, i] = boil
        return 0.0
    ledger[_REMOVED] += need + (cap[j, i] - cap_dry[j]) * (boil - body) * v
    water[j, i] = 0.0
    cap[j, i] = cap_dry[j]
    temperature[j, i] = boil
    return energy - need


@njit(cache=True)
def _absorb(
    j,
    i,
    energy,
    temperature,
    water,
    cap,
    cap_dry,
    removed,
    marked,
    volume,
    latent_heat,
    boil,
    decomposition,
    body,
    steady,
    ledger,
):
    """Give ``energy`` [J] to a cell; return what a removed cell passes on [J].

    Wet tissue heats to the boiling point, then boils its water off (the
    vapour leaves); dry tissue heats above it with the heat capacity of its
    solids until it reaches the decomposition temperature and leaves. In the
    steady-state regime a cell that leaves returns the energy it did not
    need; in the blow-off regime it is marked and keeps absorbing into the
    plume until the pulse ends.
    """
    v = volume[j, i]
    if marked[j, i]:
        ledger[_REMOVED] += energy
        return 0.0
    e = energy
    if water[j, i] > 0.0:
        room = cap[j, i] * (boil - temperature[j, i]) * v
        if e <= room:
            temperature[j, i] += e / (cap[j, i] * v)
            return 0.0
        e -= max(room, 0.0)
        temperature[j, i] = max(temperature[j, i], boil)
        e = _boil(
            j, i, e, temperature, water, cap, cap_dry, volume, latent_heat, boil, body, ledger
        )
        if e <= 0.0:
            return 0.0
    room = cap[j, i] * (decomposition - temperature[j, i]) * v
    if e < room:
        temperature[j, i] += e / (cap[j, i] * v)
        return 0.0
    e -= max(room, 0.0)
    temperature[j, i] = decomposition
    if steady:
        _remove(j, i, removed, temperature, cap, volume, body, ledger)
        return e
    ledger[_REMOVED] += e
    marked[j, i] = True
    return 0.0


@njit(cache=True)
def _spread_wall_light(wall_light, wall_energy, removed, r_faces, dz, ledger, ejecta_mu, albedo):
    """Send the light the ejecta of each row scatter to the wall down and up the crater.

    ``wall_light[j]`` [J] leaves the axis at the middle of row j
    isotropically; the wall ring of row ``jj`` (the first tissue cell from
    the axis, at radius ``R``) receives the solid angle its band subtends,
    ``|cos(a_top) - cos(a_bottom)| / 2`` with ``cos(a) = (z - d) / sqrt((z -
    d)^2 + R^2)``, normalised over the rows of the crater so that the light
    is shared out as :func:`_deposit` sent it (the shares of the mouth and
    the floor are taken out there). The light lands where its direction
    meets the wall instead of at the depth it was scattered.

    On its way it crosses the ejecta that fill the crater: along the straight
    path ``L = sqrt((z - d)^2 + R^2)`` their mean extinction between the two
    rows (``ejecta_mu`` [1/m], that of the beam's ejecta in each row) leaves
    ``T = exp(-tau)`` of it. What the ejecta intercept they absorb by
    ``1 - albedo`` and scatter by ``albedo``, again isotropically, which is
    counted as another try along the same path: the wall receives
    ``T / (1 - albedo (1 - T))``, the plume the rest
    ``(1 - albedo)(1 - T) / (1 - albedo (1 - T))``. ``wall_light`` is
    emptied.
    """
    n_z, n_r = removed.shape
    bottom = 0
    while bottom < n_z and removed[bottom, 0]:
        bottom += 1
    if bottom == 0:
        for j in range(n_z):
            if wall_light[j] > 0.0:
                ledger[_PLUME] += wall_light[j]
                wall_light[j] = 0.0
        return
    z_faces = np.zeros(bottom + 1)
    depth_tau = np.zeros(bottom + 1)
    radius = np.zeros(bottom)
    edge = np.zeros(bottom, dtype=np.int64)
    for jj in range(bottom):
        z_faces[jj + 1] = z_faces[jj] + dz[jj]
        depth_tau[jj + 1] = depth_tau[jj] + ejecta_mu[jj] * dz[jj]
        w = 0
        while w < n_r and removed[jj, w]:
            w += 1
        edge[jj] = w
        radius[jj] = r_faces[w]
    weight = np.zeros(bottom)
    for j in range(n_z):
        light = wall_light[j]
        if light <= 0.0:
            continue
        wall_light[j] = 0.0
        if j >= bottom:
            ledger[_PLUME] += light
            continue
        d = 0.5 * (z_faces[j] + z_faces[j + 1])
        total = 0.0
        for jj in range(bottom):
            if edge[jj] >= n_r:
                weight[jj] = 0.0
                continue
            r2 = radius[jj] ** 2
            top = z_faces[jj] - d
            low = z_faces[jj + 1] - d
            weight[jj] = 0.5 * abs(low / np.sqrt(low**2 + r2) - top / np.sqrt(top**2 + r2))
            total += weight[jj]
        if total <= 0.0:
            ledger[_PLUME] += light
            continue
        for jj in range(bottom):
            if weight[jj] <= 0.0:
                continue
            share = light * weight[jj] / total
            # mean extinction of the ejecta between the two rows
            lo = min(j, jj)
            hi = max(j, jj) + 1
            mu = (depth_tau[hi] - depth_tau[lo]) / (z_faces[hi] - z_faces[lo])
            along = 0.5 * (z_faces[jj] + z_faces[jj + 1]) - d
            through = np.exp(-mu * np.sqrt(along**2 + radius[jj] ** 2))
            reached = through / (1.0 - albedo * (1.0 - through))
            wall_energy[jj, edge[jj]] += share * reached
            ledger[_PLUME] += share * (1.0 - reached)


@njit(cache=True)
def _deposit(
    ray_energy,
    path,
    absorptance,
    temperature,
    water,
    cap,
    cap_dry,
    solids,
    removed,
    marked,
    volume,
    r_faces,
    dz,
    latent_heat,
    boil,
    decomposition,
    body,
    steady,
    ledger,
    touched,
    dt,
    plume_coefficient,
    escape,
    floor_share,
    wall_energy,
    mu_water,
    mu_solid,
    absorptance_law,
    first,
    ejecta_albedo,
    ejecta_forward,
    wall_light,
    ablating,
    crossing,
    row_absorbed,
    ejecta_mu,
):
    """Trace every ray of one time step into the tissue, row by row.

    ``absorptance[j, i]`` is the fraction of a ray's energy that cell (j, i)
    absorbs (from the transport model, with the water the cell holds now).

    In the open crater the rays meet the ejecta that the light below drives
    off. Through a row whose open section is ``A`` passes the beam power
    ``P`` of the rays crossing it (summed into ``crossing[j]`` [J]); the
    share ``ablating[j]`` of it that the tissue below the row absorbs
    removes tissue at ``ablating P / h`` per second (``h`` the removal
    enthalpy), which rises through the row at the velocity ``u`` that the
    recoil of the vapour drives
    (:func:`dermalase.physics.ablation.recoil_ejecta_velocity`) as a volume
    fraction ``ablating P / (h u A)`` of the section (mass conservation),
    whose extinction is ``kappa`` times that. With
    ``plume_coefficient[j] = kappa / (h u)``,
    ``dP/dz = -plume_coefficient ablating P^2 / A`` across the row: every
    ray in it keeps ``1 / (1 + plume_coefficient ablating P dz / A)`` of its
    energy. The tissue absorption of each row is summed into
    ``row_absorbed[j]`` [J], from which :func:`_run` updates ``ablating``
    for the next step.
    The ejecta absorb ``1 - ejecta_albedo`` of what they take
    (:func:`dermalase.physics.ablation.ejecta_albedo`), which leaves with
    them. Of what they scatter, the forward share ``ejecta_forward`` (the
    asymmetry parameter g of the droplets,
    :func:`dermalase.physics.ablation.ejecta_asymmetry`; the similarity
    relation counts a phase function of mean cosine g as that share
    unscattered and the rest isotropic) goes on with the ray. Of the
    isotropic rest, the fraction ``floor_share[j]`` (the solid angle of the
    crater floor seen from the axis) goes on down with the ray,
    ``escape[j]`` (that of the mouth) leaves the crater, and the rest is
    collected in ``wall_light[j]`` and sent to the wall rings by the solid
    angle each subtends, through the ejecta on the way, which take part of
    it (:func:`_spread_wall_light`); ``ejecta_mu[j]`` [1/m] is the
    extinction of the ejecta in row j this step. ``touched[0]`` is
    raised to the deepest row that absorbed energy.
    """
    n_rays, n_z = path.shape
    if n_rays == 0:
        return
    n_r = removed.shape[1]
    alive = 0
    for k in range(n_rays):
        first[k] = -1
        if ray_energy[k] > 0.0:
            alive += 1
    cutoff = 1e-10 * max(np.max(ray_energy), 1e-300)
    ejecta_mu[:] = 0.0
    for j in range(n_z):
        if alive == 0:
            break
        # the ejecta in the open part of this row
        power = 0.0
        for k in range(n_rays):
            i = path[k, j]
            if ray_energy[k] > cutoff and i >= 0 and removed[j, i]:
                power += ray_energy[k] / dt
        crossing[j] += power * dt
        keep = 1.0
        if power > 0.0 and plume_coefficient[j] > 0.0:
            w = 0
            while w < n_r and removed[j, w]:
                w += 1
            section = np.pi * r_faces[max(w, 1)] ** 2
            ejecta_mu[j] = plume_coefficient[j] * ablating[j] * power / section
            keep = 1.0 / (1.0 + ejecta_mu[j] * dz[j])
        for k in range(n_rays):
            e = ray_energy[k]
            if e <= cutoff:
                continue
            i = path[k, j]
            if i < 0:
                # the ray leaves the domain through its outer radius
                ledger[_ESCAPED] += e
                ray_energy[k] = 0.0
                alive -= 1
                continue
            if removed[j, i]:
                if keep < 1.0:
                    # the ejecta absorb part of what they take and carry it off
                    taken = e * (1.0 - keep)
                    e -= taken
                    ledger[_PLUME] += taken * (1.0 - ejecta_albedo)
                    scattered = taken * ejecta_albedo
                    # the forward peak of their phase function stays with the
                    # ray (similarity relation); of the isotropic rest, what
                    # goes toward the floor stays with the ray too
                    forward = scattered * ejecta_forward
                    diffuse = scattered - forward
                    e += forward + diffuse * floor_share[j]
                    lost = diffuse * (1.0 - floor_share[j])
                    out = diffuse * escape[j]
                    ledger[_PLUME] += out
                    wall_light[j] += lost - out
                ray_energy[k] = e
                continue
            if first[k] < 0:
                first[k] = j
            absorbed = e * absorptance[j, i]
            e -= absorbed
            was_wet = water[j, i] > 0.0
            left = _absorb(
                j,
                i,
                absorbed,
                temperature,
                water,
                cap,
                cap_dry,
                removed,
                marked,
                volume,
                latent_heat,
                boil,
                decomposition,
                body,
                steady,
                ledger,
            )
            if was_wet and not removed[j, i]:
                _set_absorptance(
                    j, i, absorptance, water, solids, mu_water, mu_solid, dz, absorptance_law
                )
            ledger[_ABSORBED] += absorbed - left
            row_absorbed[j] += absorbed - left
            if j > touched[0]:
                touched[0] = j
            if removed[j, i]:
                e += left
                # vapour formed below blows off the tissue above it on the ray
                for jj in range(first[k], j):
                    ii = path[k, jj]
                    if ii >= 0 and not removed[jj, ii]:
                        _remove(jj, ii, removed, temperature, cap, volume, body, ledger)
            ray_energy[k] = e
            if e <= cutoff:
                ledger[_TRANSMITTED] += e
                ray_energy[k] = 0.0
                alive -= 1
    _spread_wall_light(
        wall_light, wall_energy, removed, r_faces, dz, ledger, ejecta_mu, ejecta_albedo
    )
    # what is left crosses the bottom of the grid
    for k in range(n_rays):
        if ray_energy[k] > 0.0:
            ledger[_TRANSMITTED] += ray_energy[k]
            ray_energy[k] = 0.0


@njit(cache=True)
def _deposit_fixed(
    energy,
    fixed_source,
    water_mu,
    other_mu,
    water_thermal_slope,
    dz,
    temperature,
    water,
    water0,
    cap,
    cap_dry,
    removed,
    marked,
    volume,
    latent_heat,
    boil,
    decomposition,
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
    hotter), and what it does not absorb, with what removed cells above
    pass, continues down the column and is absorbed there by Beer-Lambert
    (``1 - exp(-mu_a dz)`` per cell); removed cells pass everything. What
    leaves the bottom is transmitted.
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
                hot = max(1.0 - water_thermal_slope * (temperature[j, i] - body_temperature), 0.0)
                mu_then = water_mu[j] + other_mu[j]
                mu_now = water_mu[j] * min(left_water, 1.0) * hot + other_mu[j]
                kept = mu_now / mu_then if mu_then > 0.0 else 1.0
                through = np.exp(-mu_now * dz[j])
                given = share * kept + carry * (1.0 - through)
                carry = share * (1.0 - kept) + carry * through
            left = _absorb(j, i, given, temperature, water, cap, cap_dry, removed, marked,
                           volume, latent_heat, boil, decomposition, body_temperature, steady,
                           ledger)  # fmt: skip
            ledger[_ABSORBED] += given - left
            if bleach:
                carry += left
            else:
                ledger[_ESCAPED] += left
            touched[0] = max(touched[0], j)
        ledger[_TRANSMITTED] += carry


@njit(cache=True)
def _heat_walls(
    wall_energy,
    temperature,
    water,
    cap,
    cap_dry,
    solids,
    removed,
    marked,
    volume,
    dr,
    dz,
    latent_heat,
    boil,
    decomposition,
    body,
    steady,
    ledger,
    touched,
    row_absorbed,
    absorptance,
    mu_water,
    mu_solid,
    absorptance_law,
):
    """Give the light the ejecta sent to the crater wall to the wall tissue.

    The light enters the wall of its row and is absorbed by Beer-Lambert
    across the rings, with the water and solids each cell holds. Scattered
    light reaches the wall from every direction: its mean path across a ring
    is twice the ring's radial width (the mean secant of an isotropic flux on
    a plane). A ring that leaves passes on what it did not need; light that
    crosses the outer radius escapes.
    """
    n_z, n_r = wall_energy.shape
    for j in range(n_z):
        for i0 in range(n_r):
            e = wall_energy[j, i0]
            if e <= 0.0:
                continue
            wall_energy[j, i0] = 0.0
            cutoff = 1e-10 * e
            i = i0
            while e > cutoff and i < n_r:
                if removed[j, i]:
                    i += 1
                    continue
                mu = mu_water * water[j, i] + mu_solid * solids[j]
                absorbed = e * absorptance_law(mu, 2.0 * dr[i])
                e -= absorbed
                was_wet = water[j, i] > 0.0
                left = _absorb(
                    j,
                    i,
                    absorbed,
                    temperature,
                    water,
                    cap,
                    cap_dry,
                    removed,
                    marked,
                    volume,
                    latent_heat,
                    boil,
                    decomposition,
                    body,
                    steady,
                    ledger,
                )
                if was_wet and not removed[j, i]:
                    _set_absorptance(
                        j, i, absorptance, water, solids, mu_water, mu_solid, dz, absorptance_law
                    )
                ledger[_ABSORBED] += absorbed - left
                row_absorbed[j] += absorbed - left
                if j > touched[0]:
                    touched[0] = j
                e += left
                i += 1
            if e > 0.0:
                ledger[_ESCAPED] += e


@njit(cache=True)
def _end_of_pulse(removed, marked, temperature, cap, volume, body, ledger):
    """Blow-off removal: everything above the deepest marked cell of each ring."""
    n_z, n_r = removed.shape
    for i in range(n_r):
        deepest = -1
        for j in range(n_z - 1):
            if marked[j, i]:
                deepest = j
        for j in range(deepest + 1):
            if not removed[j, i]:
                _remove(j, i, removed, temperature, cap, volume, body, ledger)
            marked[j, i] = False


@njit(cache=True)
def _phase_change(
    n_active,
    temperature,
    water,
    cap,
    cap_dry,
    solids,
    removed,
    volume,
    dz,
    latent_heat,
    boil,
    decomposition,
    body,
    ledger,
    absorptance,
    mu_water,
    mu_solid,
    absorptance_law,
):
    """Boil the water of wet cells that conduction took above the boiling point.

    The heat above the boiling point boils water off; a cell dried this way
    keeps what is left as sensible heat of its solids. Dry tissue that
    conduction takes to the decomposition temperature leaves.
    """
    n_r = removed.shape[1]
    for j in range(n_active):
        for i in range(n_r):
            if removed[j, i]:
                continue
            if water[j, i] > 0.0 and temperature[j, i] > boil:
                excess = cap[j, i] * (temperature[j, i] - boil) * volume[j, i]
                temperature[j, i] = boil
                left = _boil(
                    j,
                    i,
                    excess,
                    temperature,
                    water,
                    cap,
                    cap_dry,
                    volume,
                    latent_heat,
                    boil,
                    body,
                    ledger,
                )
                temperature[j, i] = boil + left / (cap[j, i] * volume[j, i])
                _set_absorptance(
                    j, i, absorptance, water, solids, mu_water, mu_solid, dz, absorptance_law
                )
            if water[j, i] <= 0.0 and temperature[j, i] >= decomposition:
                _remove(j, i, removed, temperature, cap, volume, body, ledger)


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
    cap,
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
            cap_ij = cap[j, i] * volume[j, i] / dt
            diagonal[i] = cap_ij
            rhs[i] = cap_ij * temperature[j, i]
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
            cap_ij = cap[j, i] * volume[j, i] / dt
            blood = perfusion_capacity[j] * volume[j, i]
            diagonal[j] = cap_ij + blood
            rhs[j] = cap_ij * temperature[j, i] + blood * blood_temperature
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
    cap_dry,
    solids,
    conductivity,
    water0,
    perfusion_capacity,
    body_temperature,
    water_absorption,
    solid_absorption,
    latent_heat,
    boiling_temperature,
    decomposition_temperature,
    plume_coefficient,
    ejecta_albedo,
    ejecta_forward,
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
    cap = np.empty((n_z, n_r))
    for j in range(n_z):
        for i in range(n_r):
            water[j, i] = water0[j]
            cap[j, i] = rho_c[j]
    omega = np.zeros((n_z, n_r))
    peak = temperature.copy()
    absorptance = np.zeros((n_z, n_r))
    removed = np.zeros((n_z, n_r), dtype=np.bool_)
    marked = np.zeros((n_z, n_r), dtype=np.bool_)
    before = np.empty((n_z, n_r))
    wall_energy = np.zeros((n_z, n_r))
    wall_light = np.zeros(n_z)
    ablating = np.ones(n_z)
    crossing = np.zeros(n_z)
    ejecta_mu = np.zeros(n_z)
    row_absorbed = np.zeros(n_z)
    escape = np.zeros(n_z)
    floor_share = np.zeros(n_z)
    ledger = np.zeros(len(LEDGER))
    ray_energy = np.zeros(n_rays)
    first_row = np.zeros(n_rays, dtype=np.int64)
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
                        _set_absorptance(
                            j,
                            i,
                            absorptance,
                            water,
                            solids,
                            water_absorption,
                            solid_absorption,
                            dz,
                            absorptance_law,
                        )
            # light the ejecta scatter leaves through the crater mouth by the
            # solid angle the mouth subtends from the axis at each depth
            mouth = 0
            while mouth < n_r and removed[0, mouth]:
                mouth += 1
            mouth_radius = r_faces[mouth]
            # and reaches the floor by the solid angle the floor subtends
            bottom = 0
            while bottom < n_z and removed[bottom, 0]:
                bottom += 1
            floor_radius = 0.0
            if bottom > 0:
                w = 0
                while w < n_r and removed[bottom - 1, w]:
                    w += 1
                floor_radius = r_faces[w]
            for j in range(n_z):
                depth = 0.5 * (z_faces[j] + z_faces[j + 1])
                escape[j] = 0.5 * (1.0 - depth / np.sqrt(depth**2 + mouth_radius**2))
                floor_share[j] = 0.0
                if j < bottom:
                    height = z_faces[bottom] - depth
                    floor_share[j] = 0.5 * (1.0 - height / np.sqrt(height**2 + floor_radius**2))
            power = pulse_energy[active] / pulse_duration[active]
            for k in range(n_rays):
                ray_energy[k] = power * ray_fraction[k] * dt
        if active >= 0:
            latent = latent_heat / pulse_efficiency[active]
            steady = not pulse_blowoff[active]
            _deposit(
                ray_energy,
                path,
                absorptance,
                temperature,
                water,
                cap,
                cap_dry,
                solids,
                removed,
                marked,
                volume,
                r_faces,
                dz,
                latent,
                boiling_temperature,
                decomposition_temperature,
                body_temperature,
                steady,
                ledger,
                touched,
                dt,
                plume_coefficient[active],
                escape,
                floor_share,
                wall_energy,
                water_absorption,
                solid_absorption,
                absorptance_law,
                first_row,
                ejecta_albedo,
                ejecta_forward,
                wall_light,
                ablating,
                crossing,
                row_absorbed,
                ejecta_mu,
            )
            _heat_walls(
                wall_energy,
                temperature,
                water,
                cap,
                cap_dry,
                solids,
                removed,
                marked,
                volume,
                dr,
                dz,
                latent,
                boiling_temperature,
                decomposition_temperature,
                body_temperature,
                steady,
                ledger,
                touched,
                row_absorbed,
                absorptance,
                water_absorption,
                solid_absorption,
                absorptance_law,
            )
            if fixed_source.shape[0] > 0:
                _deposit_fixed(power * dt, fixed_source, water_mu, other_mu, water_thermal_slope,
                               dz, temperature, water, water0, cap, cap_dry, removed, marked,
                               volume, latent, boiling_temperature, decomposition_temperature,
                               body_temperature, steady, ledger, touched)  # fmt: skip
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
                    temperature,
                    cap,
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
            cap,
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
        _phase_change(
            n_active,
            temperature,
            water,
            cap,
            cap_dry,
            solids,
            removed,
            volume,
            dz,
            latent_heat,
            boiling_temperature,
            decomposition_temperature,
            body_temperature,
            ledger,
            absorptance,
            water_absorption,
            solid_absorption,
            absorptance_law,
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
        # share of the light crossing each open row that the tissue below it
        # absorbs: only that removes tissue and feeds the ejecta (geometric
        # mean with the last step's share, which damps the feedback of the
        # ejecta on their own source)
        below = 0.0
        for j in range(n_z - 1, -1, -1):
            below += row_absorbed[j]
            row_absorbed[j] = 0.0
            if crossing[j] > 0.0:
                share = min(max(below / crossing[j], 1e-3), 1.0)
                ablating[j] = np.sqrt(ablating[j] * share)
            crossing[j] = 0.0
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
        cap,
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
        bottom unabsorbed), escaped (beam outside the domain), plume (light
        the ejecta in the crater took out through its mouth), stored.
    charred : numpy.ndarray of bool
        Remaining cells that reached the char temperature once dry, shape
        (depth, radius). Wet tissue stays at or below the boiling point, so
        a remaining cell whose peak passed the char temperature was dry then
        (its water only falls); the label changes no temperature or energy.
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
    charred: np.ndarray

    @property
    def char_thickness(self) -> float:
        """Thickness of the charred tissue remaining on the column axis [m]."""
        return float(np.sum(self.grid.axial.widths[self.charred[:, 0]]))

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
    solid_absorption: float,
    decomposition_temperature: float,
    ejecta_extinction: float,
    plume_velocity: float,
    ejecta_irradiance,
    ejecta_albedo: float,
    ejecta_asymmetry: float,
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
    char_temperature: float = choi1999.char_temperature,
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
    solid_absorption : float
        Absorption coefficient of the tissue solids (protein) per unit of
        their volume fraction [1/m]; a cell absorbs
        ``water_absorption * water + solid_absorption * (1 - native water)``.
    decomposition_temperature : float
        Temperature at which dry tissue leaves [K].
    ejecta_extinction : float
        Extinction coefficient of the ejecta per unit of their volume
        fraction in the crater, ``3 Q_ext / (4 r)`` for droplets of radius r
        [1/m].
    plume_velocity : float
        Velocity at which the vapour leaves the ablation front [m/s]; its
        recoil drives the ejecta out of the crater
        (:func:`dermalase.physics.ablation.recoil_ejecta_velocity`).
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
    char_temperature : float
        Temperature at which dry tissue that remains is labelled charred [K];
        by default the 200 degC of Choi et al. (1998).

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
    cap_dry = ablation.solids_heat_capacity(rho_c, water0)
    solids = 1.0 - water0
    removal = ablation.removal_enthalpy(water0, rho_c, decomposition_temperature)
    density_rows = np.broadcast_to(np.asarray(density, float), water0.shape)
    # the ejecta of each pulse leave at the velocity its irradiance drives
    drive = np.broadcast_to(np.asarray(ejecta_irradiance, float), starts.shape)
    velocity = ablation.recoil_ejecta_velocity(
        drive[:, None], water0[None, :], removal[None, :], density_rows[None, :], plume_velocity
    )
    plume_coefficient = ablation.ejecta_shielding_coefficient(
        ejecta_extinction, removal[None, :], velocity
    )
    (temperature, peak, omega, water, cap, removed, ledger, removed_after, omega_after) = _run(
        grid.radial.faces,
        grid.radial.widths,
        grid.axial.widths,
        grid.ring_area,
        volume,
        rho_c,
        cap_dry,
        solids,
        np.asarray(conductivity, float),
        water0,
        np.asarray(perfusion_capacity, float),
        float(body_temperature),
        float(water_absorption),
        float(solid_absorption),
        water_density * water_latent_heat,
        water_boiling_point,
        float(decomposition_temperature),
        plume_coefficient,
        float(ejecta_albedo),
        float(ejecta_asymmetry),
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
    energy["stored"] = float(np.sum((cap * (temperature - body_temperature) * volume)[kept]))
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
        charred=~removed & (water <= 0.0) & (peak >= char_temperature),
    )
