"""Transient 1D bioheat solver through layered skin with a moving ablation front.

The skin is cut into finite volumes from the original surface down. Each step

1. passes the beam through the ejecta over the crater floor: the tissue the
   light removes leaves as a volume fraction ``I / (h u)`` of the space above
   the floor (removal rate over the ejecta velocity), whose extinction
   ``kappa I / (h u)`` takes light out of the beam (``dI/dz = -a I^2``), in
   the crater and in the free plume above the surface, which the beam
   crosses over an equivalent length set by the spot
   (:func:`dermalase.physics.ablation.free_plume_length`); half of what the
   ejecta take leaves upward, half comes back down to the floor (a point of
   a wide spot receives as much scattered light from its neighbours as it
   loses to them);
2. deposits the rest through the remaining tissue by Beer-Lambert (or
   another light-transport model from :mod:`dermalase.physics.transport`),
   with the absorption of the water and the solids each cell holds at that
   moment;
3. lets wet tissue at the boiling point boil its water off (the vapour
   leaves with its heat) and dry tissue heat on with the heat capacity of its
   solids to the decomposition temperature, where it is spent. A spent cell
   leaves at once for us-ms pulses (the light it did not need goes on to the
   cells below within the step, so the depth does not depend on the step),
   or at the end of a sub-us pulse, keeping its share of the light for the
   plume until then; the tissue above a spent cell is blown off with it;
4. conducts heat implicitly (backward Euler) with the per-cell heat capacity,
   perfusion, convection to air at the surface and body temperature at the
   bottom, and boils the water of any cell that conduction takes past 100
   degC;
5. at the wipe after a pass (where one is asked), takes off the desiccated
   layer at the floor: the cells from the floor down that hold no water any
   more leave with their heat, and the next pass meets the tissue that still
   holds water.

Every joule is booked: absorbed = stored + removed with ablated tissue and
vapour + lost at the surface + conducted out of the bottom + carried off by
blood + wiped off with the desiccated layer; the light the ejecta take out
is booked as plume. The damage integral
is accumulated in each cell as the solver goes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from dermalase.constants import gas_constant, water_boiling_point, water_density, water_latent_heat
from dermalase.physics import ablation
from dermalase.physics.transport import Deposition, LightTransport
from dermalase.physics.transport.beer_lambert import BeerLambert
from dermalase.tissue.parameters import choi1999

# Indices of the energy ledger returned by the kernel [J/m^2].
LEDGER = (
    "absorbed",
    "removed",
    "surface",
    "bottom",
    "perfusion",
    "transmitted",
    "plume",
    "wiped",
)


@dataclass(frozen=True)
class Grid:
    """Finite-volume grid in depth below the original surface.

    Parameters
    ----------
    faces : numpy.ndarray
        Cell face depths [m], shape (n + 1,), ``faces[0] == 0``.
    """

    faces: np.ndarray

    @property
    def centres(self) -> np.ndarray:
        """Cell centre depths [m]."""
        return 0.5 * (self.faces[1:] + self.faces[:-1])

    @property
    def widths(self) -> np.ndarray:
        """Cell widths [m]."""
        return np.diff(self.faces)


def make_grid(
    fine_depth: float,
    fine_spacing: float,
    total_depth: float,
    growth: float = 1.06,
    max_spacing: float = 50e-6,
) -> Grid:
    """Uniform fine cells near the surface, then geometrically growing cells.

    Parameters
    ----------
    fine_depth : float
        Depth covered by uniform cells [m]; it must reach below the deepest
        expected ablation and coagulation.
    fine_spacing : float
        Width of the uniform cells [m].
    total_depth : float
        Depth of the domain [m].
    growth : float
        Ratio of neighbouring cell widths below the fine zone [-].
    max_spacing : float
        Largest cell width [m].

    Returns
    -------
    Grid
    """
    n_fine = max(int(np.ceil(fine_depth / fine_spacing)), 1)
    faces = list(np.arange(n_fine + 1) * fine_spacing)
    width = fine_spacing
    while faces[-1] < total_depth:
        width = min(width * growth, max_spacing)
        faces.append(faces[-1] + width)
    return Grid(np.asarray(faces))


@njit(cache=True)
def _tridiagonal(lower, diagonal, upper, rhs, start, out):
    """Thomas algorithm on rows start..n-1 (in place on copies)."""
    n = diagonal.shape[0]
    c_prime = np.empty(n)
    d_prime = np.empty(n)
    c_prime[start] = upper[start] / diagonal[start]
    d_prime[start] = rhs[start] / diagonal[start]
    for i in range(start + 1, n):
        m = diagonal[i] - lower[i] * c_prime[i - 1]
        c_prime[i] = upper[i] / m
        d_prime[i] = (rhs[i] - lower[i] * d_prime[i - 1]) / m
    out[n - 1] = d_prime[n - 1]
    for i in range(n - 2, start - 1, -1):
        out[i] = d_prime[i] - c_prime[i] * out[i + 1]


@njit(cache=True)
def _eject(surface, marked, cap, temperature, widths, bottom_temperature, ledger):
    """Remove every cell down to the deepest spent one; return the new surface.

    Vapour formed below a less absorbing layer blows the layer above it off
    (explosive removal, Welch et al. 1991).
    """
    n = marked.shape[0]
    deepest = -1
    for i in range(surface, n - 1):
        if marked[i]:
            deepest = i
    for i in range(surface, deepest + 1):
        ledger[1] += cap[i] * (temperature[i] - bottom_temperature) * widths[i]
        temperature[i] = bottom_temperature
        marked[i] = False
    return max(surface, deepest + 1)


@njit(cache=True)
def _wipe(surface, water, water0, cap, temperature, widths, bottom_temperature, ledger):
    """Wipe off the desiccated layer at the floor; return the new surface.

    The cells from the floor down that held water and hold none any more
    leave, each with its heat above the reference temperature (booked as
    wiped); the first cell that still holds water stays.
    """
    n = water.shape[0]
    while surface < n - 1 and water[surface] <= 0.0 and water0[surface] > 0.0:
        ledger[7] += cap[surface] * (temperature[surface] - bottom_temperature) * widths[surface]
        temperature[surface] = bottom_temperature
        surface += 1
    return surface


@njit(cache=True)
def _wipes_due(
    t,
    surface,
    wipe_time,
    wiped_after_pulse,
    depth_after_pulse,
    faces_depth,
    water,
    water0,
    cap,
    temperature,
    widths,
    bottom_temperature,
    ledger,
):
    """Carry out every wipe due by time t [s] not done yet; return the new surface.

    A wipe after pulse p records the depth it took off (``wiped_after_pulse``,
    NaN until done) and the crater depth after it (``depth_after_pulse``).
    """
    for p in range(wipe_time.shape[0]):
        if np.isnan(wiped_after_pulse[p]) and wipe_time[p] <= t + 1e-15:
            floor = surface
            surface = _wipe(
                surface, water, water0, cap, temperature, widths, bottom_temperature, ledger
            )
            wiped_after_pulse[p] = faces_depth[surface] - faces_depth[floor]
            depth_after_pulse[p] = faces_depth[surface]
    return surface


@njit(cache=True)
def _boil(i, energy, temperature, water, cap, cap_dry, widths, latent, boil, body, ledger):
    """Spend ``energy`` [J/m^2] boiling the water of cell i; return what is left once dry.

    The vapour leaves with its latent heat and its sensible heat above the
    reference temperature (booked as removed).
    """
    w = widths[i]
    need = water[i] * latent * w
    rho_c_water = (cap[i] - cap_dry[i]) / max(water[i], 1e-30)
    temperature[i] = boil
    if energy < need:
        boiled = energy / (latent * w)
        ledger[1] += energy + boiled * rho_c_water * (boil - body) * w
        water[i] -= boiled
        cap[i] = cap_dry[i] + water[i] * rho_c_water
        return 0.0
    ledger[1] += need + (cap[i] - cap_dry[i]) * (boil - body) * w
    water[i] = 0.0
    cap[i] = cap_dry[i]
    return energy - need


@njit(cache=True)
def _absorb(
    i, e, temperature, water, cap, cap_dry, widths, latent, boil, decomposition, body, ledger
):
    """Give ``e`` [J/m^2] to cell i; return the energy beyond its removal (-1 if it stays).

    Wet tissue heats to the boiling point and boils its water off; dry
    tissue heats on with the heat capacity of its solids to the
    decomposition temperature, where it is spent.
    """
    w = widths[i]
    if water[i] > 0.0:
        room = cap[i] * (boil - temperature[i]) * w
        if e <= room:
            temperature[i] += e / (cap[i] * w)
            return -1.0
        e -= max(room, 0.0)
        e = _boil(i, e, temperature, water, cap, cap_dry, widths, latent, boil, body, ledger)
        if e <= 0.0:
            return -1.0
    room = cap[i] * (decomposition - temperature[i]) * w
    if e < room:
        temperature[i] += e / (cap[i] * w)
        return -1.0
    temperature[i] = decomposition
    return e - max(room, 0.0)


@njit(cache=True)
def _char_thickness(charred, surface, widths):
    """Thickness of the charred cells that remain below the floor [m]."""
    total = 0.0
    for i in range(surface, widths.shape[0]):
        if charred[i]:
            total += widths[i]
    return total


@njit(cache=True)
def _set_absorptance(
    i, absorptance, water, solids, mu_water, mu_solid, widths, absorptance_law, fixed_absorptance
):
    """Cell i's absorptance for the water and solids it holds now.

    A fixed deposition's absorptance (``fixed_absorptance``, one per cell, or
    empty) holds whatever the water does.
    """
    if fixed_absorptance.shape[0] > 0:
        absorptance[i] = fixed_absorptance[i]
    else:
        absorptance[i] = absorptance_law(mu_water * water[i] + mu_solid * solids[i], widths[i])


@njit(cache=True)
def _dry_out(i, water, water0, conductivity, conductivity_dry, widths, resistance, conductance):
    """Set cell i's conductivity for the water it holds now; update its interfaces.

    Linear in the water fraction between the native and the dry value (the
    mixture rule of :func:`dermalase.physics.ablation.dry_conductivity`).
    """
    share = water[i] / water0[i] if water0[i] > 0.0 else 1.0
    k = conductivity_dry[i] + (conductivity[i] - conductivity_dry[i]) * share
    resistance[i] = 0.5 * widths[i] / k
    n = widths.shape[0]
    if i > 0:
        conductance[i] = 1.0 / (resistance[i - 1] + resistance[i])
    if i < n - 1:
        conductance[i + 1] = 1.0 / (resistance[i] + resistance[i + 1])


@njit(cache=True)
def _ejecta_take(irradiance, coefficient, length):
    """Irradiance a layer of ejecta takes from the beam [W/m^2].

    ``dI/dz = -a I^2`` with ``a = coefficient`` [m/W], integrated over
    ``length`` [m]: ``I (1 - 1 / (1 + coefficient I length))``.
    """
    return irradiance * (1.0 - 1.0 / (1.0 + coefficient * irradiance * length))


@njit(cache=True)
def _run(
    widths,
    rho_c,
    cap_dry,
    solids,
    conductivity,
    conductivity_dry,
    water0,
    perfusion_capacity,
    temperature0,
    mu_water,
    mu_solid,
    latent_heat,
    boil,
    decomposition,
    plume_coefficient,
    free_plume_length,
    absorptance_law,
    pulse_start,
    pulse_duration,
    pulse_irradiance,
    pulse_blowoff,
    pulse_efficiency,
    pulse_wipe_time,
    wiped_after_pulse,
    t_end,
    dt_pulse_max,
    dt_growth,
    dt_max,
    h_surface,
    air_temperature,
    bottom_temperature,
    blood_temperature,
    char_temperature,
    damage_a_low,
    damage_ea_low,
    damage_a_high,
    damage_ea_high,
    damage_switch,
    damage_floor,
    snapshot_times,
    fixed_absorptance,
):
    n = widths.shape[0]
    temperature = temperature0.copy()
    water = water0.copy()
    cap = rho_c.copy()
    omega = np.zeros(n)
    peak = temperature0.copy()
    ledger = np.zeros(len(LEDGER))
    surface = 0
    n_pulses = pulse_start.shape[0]
    depth_after_pulse = np.zeros(n_pulses)
    n_snap = snapshot_times.shape[0]
    snapshots = np.empty((n_snap, n))
    snapshot_surface = np.zeros(n_snap, dtype=np.int64)
    next_snap = 0
    faces_depth = np.zeros(n + 1)
    for i in range(n):
        faces_depth[i + 1] = faces_depth[i] + widths[i]
    # half-cell thermal resistances [m^2 K/W] and interface conductances
    # [W/(m^2 K)] between cell i-1 and i; both follow the water a cell holds
    resistance = np.zeros(n)
    for i in range(n):
        resistance[i] = 0.5 * widths[i] / conductivity[i]
    conductance = np.zeros(n + 1)
    for i in range(1, n):
        conductance[i] = 1.0 / (resistance[i - 1] + resistance[i])
    bottom_conductance = conductivity[n - 1] / (0.5 * widths[n - 1])
    lower = np.zeros(n)
    diagonal = np.zeros(n)
    upper = np.zeros(n)
    rhs = np.zeros(n)
    new_t = np.zeros(n)
    absorptance = np.zeros(n)
    marked = np.zeros(n, dtype=np.bool_)
    # char: dry cells that have reached the char temperature, the time each
    # spent dry at or above it [s], and the char left after each pulse [m]
    charred = np.zeros(n, dtype=np.bool_)
    char_time = np.zeros(n)
    char_after_pulse = np.zeros(n_pulses)
    char_pulse = -1
    rate = np.zeros(n)
    rate_temperature = np.full(n, np.nan)
    for i in range(n):
        _set_absorptance(
            i, absorptance, water, solids, mu_water, mu_solid, widths, absorptance_law,
            fixed_absorptance,
        )  # fmt: skip

    t = 0.0
    dt = dt_pulse_max[0] if n_pulses > 0 else 1e-6
    while t < t_end - 1e-15 and surface < n - 1:
        # choose the step: resolve pulses, never step across a pulse edge
        active = -1
        for p in range(n_pulses):
            if pulse_start[p] - 1e-15 <= t < pulse_start[p] + pulse_duration[p] - 1e-15:
                active = p
        if active >= 0 and active != char_pulse:
            # the char the last pulse left, just before this one starts
            if active > 0:
                char_after_pulse[active - 1] = _char_thickness(charred, surface, widths)
            char_pulse = active
        if active >= 0:
            dt = min(dt_pulse_max[active], pulse_duration[active] / 40.0)
            dt = min(dt, pulse_start[active] + pulse_duration[active] - t)
        else:
            dt = min(dt * dt_growth, dt_max)
            for p in range(n_pulses):
                if pulse_start[p] > t + 1e-15:
                    dt = min(dt, pulse_start[p] - t)
                    break
        if next_snap < n_snap and snapshot_times[next_snap] > t:
            dt = min(dt, snapshot_times[next_snap] - t)
        for p in range(n_pulses):
            if pulse_wipe_time[p] > t + 1e-15:
                dt = min(dt, pulse_wipe_time[p] - t)
        dt = min(dt, t_end - t)
        if dt <= 0.0:
            dt = 1e-12

        # 1. laser deposition, with the absorption of the water and solids
        #    each cell holds now
        if active >= 0:
            irradiance = pulse_irradiance[active]
            blowoff = pulse_blowoff[active]
            latent = latent_heat / pulse_efficiency[active]
            # the ejecta over the crater floor: dI/dz = -a I^2 across each
            # removed cell; of what they take, half leaves upward and half
            # comes back down to the floor (a wide spot: as much light is
            # scattered in from the neighbouring tissue as out to it)
            for i in range(surface):
                lost = _ejecta_take(irradiance, plume_coefficient[i], widths[i])
                irradiance -= 0.5 * lost
                ledger[6] += 0.5 * lost * dt
            if surface > 0:
                # and the free plume above the original surface, at the
                # density of the ejecta of the tissue now at the floor
                coefficient = plume_coefficient[min(surface, n - 1)]
                lost = _ejecta_take(irradiance, coefficient, free_plume_length)
                irradiance -= 0.5 * lost
                ledger[6] += 0.5 * lost * dt
            energy_in = irradiance * dt
            e_pass = energy_in
            for i in range(surface, n):
                if e_pass <= 1e-12 * energy_in:
                    break
                absorbed = e_pass * absorptance[i]
                e_pass -= absorbed
                ledger[0] += absorbed
                if marked[i]:
                    ledger[1] += absorbed  # heats the ablation plume
                    continue
                if water[i] > 0.0 and temperature[i] < boil:
                    # wet and below boiling (most cells in the beam): heat
                    heating = absorbed / (cap[i] * widths[i])
                    if temperature[i] + heating <= boil:
                        temperature[i] += heating
                        continue
                water_before = water[i]
                left = _absorb(
                    i,
                    absorbed,
                    temperature,
                    water,
                    cap,
                    cap_dry,
                    widths,
                    latent,
                    boil,
                    decomposition,
                    bottom_temperature,
                    ledger,
                )
                if water[i] <= 0.0 and temperature[i] >= char_temperature:
                    charred[i] = True
                if left >= 0.0:
                    marked[i] = True
                    if blowoff:
                        # the spent cell stays until the pulse ends and the
                        # rest of its share heats the plume
                        ledger[1] += left
                    else:
                        # steady state: the cell leaves once spent; the light
                        # it did not need goes on down
                        ledger[0] -= left
                        e_pass += left
                if water[i] != water_before:
                    _set_absorptance(
                        i, absorptance, water, solids, mu_water, mu_solid, widths,
                        absorptance_law, fixed_absorptance,
                    )  # fmt: skip
                    _dry_out(
                        i,
                        water,
                        water0,
                        conductivity,
                        conductivity_dry,
                        widths,
                        resistance,
                        conductance,
                    )
            ledger[5] += e_pass
            if not blowoff:
                surface = _eject(
                    surface, marked, cap, temperature, widths, bottom_temperature, ledger
                )

        # end of a pulse: blow-off removal and the depth
        for p in range(n_pulses):
            end = pulse_start[p] + pulse_duration[p]
            if t < end <= t + dt + 1e-15:
                surface = _eject(
                    surface, marked, cap, temperature, widths, bottom_temperature, ledger
                )
                depth_after_pulse[p] = faces_depth[surface]

        # 2. implicit conduction with perfusion, convection at the surface
        for i in range(surface, n):
            c = cap[i] * widths[i] / dt
            lower[i] = 0.0
            upper[i] = 0.0
            diagonal[i] = c + perfusion_capacity[i] * widths[i]
            rhs[i] = c * temperature[i] + perfusion_capacity[i] * widths[i] * blood_temperature
            if i > surface:
                lower[i] = -conductance[i]
                diagonal[i] += conductance[i]
            else:
                diagonal[i] += h_surface
                rhs[i] += h_surface * air_temperature
            if i < n - 1:
                upper[i] = -conductance[i + 1]
                diagonal[i] += conductance[i + 1]
            else:
                diagonal[i] += bottom_conductance
                rhs[i] += bottom_conductance * bottom_temperature
        _tridiagonal(lower, diagonal, upper, rhs, surface, new_t)
        ledger[2] += h_surface * (new_t[surface] - air_temperature) * dt
        ledger[3] += bottom_conductance * (new_t[n - 1] - bottom_temperature) * dt
        for i in range(surface, n):
            ledger[4] += perfusion_capacity[i] * widths[i] * (new_t[i] - blood_temperature) * dt
            # damage: trapezoid of the Arrhenius rate over the step (a cell
            # that stays below damage_floor gathers under 1e-9 over the run)
            if temperature[i] > damage_floor or new_t[i] > damage_floor:
                # the rate at the start of the step is the one at the end of
                # the last unless the light heated the cell in between
                if temperature[i] != rate_temperature[i]:
                    rate[i] = damage_rate_scalar(
                        temperature[i],
                        damage_a_low,
                        damage_ea_low,
                        damage_a_high,
                        damage_ea_high,
                        damage_switch,
                    )
                r0 = rate[i]
                r1 = damage_rate_scalar(
                    new_t[i],
                    damage_a_low,
                    damage_ea_low,
                    damage_a_high,
                    damage_ea_high,
                    damage_switch,
                )
                omega[i] += 0.5 * (r0 + r1) * dt
                rate[i] = r1
                rate_temperature[i] = new_t[i]
            temperature[i] = new_t[i]
            # 3. wet tissue that conduction took past the boiling point boils
            if water[i] > 0.0 and temperature[i] > boil:
                excess = cap[i] * (temperature[i] - boil) * widths[i]
                left = _boil(
                    i,
                    excess,
                    temperature,
                    water,
                    cap,
                    cap_dry,
                    widths,
                    latent_heat,
                    boil,
                    bottom_temperature,
                    ledger,
                )
                temperature[i] = boil + left / (cap[i] * widths[i])
                _set_absorptance(
                    i, absorptance, water, solids, mu_water, mu_solid, widths, absorptance_law,
                    fixed_absorptance,
                )  # fmt: skip
                _dry_out(
                    i,
                    water,
                    water0,
                    conductivity,
                    conductivity_dry,
                    widths,
                    resistance,
                    conductance,
                )
            if temperature[i] > peak[i]:
                peak[i] = temperature[i]
            if water[i] <= 0.0 and temperature[i] >= char_temperature:
                charred[i] = True
                char_time[i] += dt
        t += dt
        # 5. the wipe after a pass takes the desiccated layer off the floor
        surface = _wipes_due(
            t,
            surface,
            pulse_wipe_time,
            wiped_after_pulse,
            depth_after_pulse,
            faces_depth,
            water,
            water0,
            cap,
            temperature,
            widths,
            bottom_temperature,
            ledger,
        )
        while next_snap < n_snap and snapshot_times[next_snap] <= t + 1e-15:
            for i in range(n):
                snapshots[next_snap, i] = temperature[i] if i >= surface else np.nan
            snapshot_surface[next_snap] = surface
            next_snap += 1
    # a wipe due at the end of the run (after the last pass)
    surface = _wipes_due(
        max(t, t_end),
        surface,
        pulse_wipe_time,
        wiped_after_pulse,
        depth_after_pulse,
        faces_depth,
        water,
        water0,
        cap,
        temperature,
        widths,
        bottom_temperature,
        ledger,
    )
    if n_pulses > 0:
        char_after_pulse[n_pulses - 1] = _char_thickness(charred, surface, widths)
    for s in range(next_snap, n_snap):
        for i in range(n):
            snapshots[s, i] = temperature[i] if i >= surface else np.nan
        snapshot_surface[s] = surface
    return (
        surface,
        temperature,
        water,
        cap,
        omega,
        peak,
        ledger,
        depth_after_pulse,
        snapshots,
        snapshot_surface,
        charred,
        char_time,
        char_after_pulse,
    )


@njit(cache=True)
def damage_rate_scalar(temperature, a_low, ea_low, a_high, ea_high, switch):
    """Arrhenius rate for one temperature [K] -> [1/s] (kernel version)."""
    if temperature > switch:
        return np.exp(np.log(a_high) - ea_high / (gas_constant * temperature))
    return np.exp(np.log(a_low) - ea_low / (gas_constant * temperature))


@dataclass(frozen=True)
class HeatSolution:
    """Result of :func:`solve_pulses`.

    Attributes
    ----------
    grid : Grid
        The grid [m].
    surface_index : int
        First remaining cell; the crater floor is ``grid.faces[surface_index]``.
    ablation_depth : float
        Crater depth below the original surface [m].
    depth_after_pulse : numpy.ndarray
        Crater depth after each pulse and the wipe that follows it, if any [m].
    wiped_after_pulse : numpy.ndarray
        Depth of the desiccated layer wiped off after each pulse [m]; 0 where
        no wipe follows.
    temperature : numpy.ndarray
        Final temperature per cell [K].
    peak_temperature : numpy.ndarray
        Highest temperature each remaining cell reached [K].
    damage : numpy.ndarray
        Arrhenius integral per cell [-] (meaningless above the floor).
    water_fraction : numpy.ndarray
        Final water volume fraction per cell [-].
    energy : dict
        Energy ledger per unit area [J/m^2]: absorbed, removed, surface,
        bottom, perfusion, transmitted, plume, wiped (the heat the wiped
        layers took with them), stored.
    snapshot_times : numpy.ndarray
        Times of the temperature snapshots [s].
    snapshots : numpy.ndarray
        Temperature per cell at each snapshot [K] (NaN above the floor).
    charred : numpy.ndarray of bool
        Cells that reached the char temperature once dry (meaningless above
        the floor).
    char_time : numpy.ndarray
        Time each cell spent dry at or above the char temperature [s].
    char_after_pulse : numpy.ndarray
        Thickness of the charred tissue remaining below the floor after each
        pulse, taken just before the next pulse (at the end of the run for
        the last) [m].
    """

    grid: Grid
    surface_index: int
    ablation_depth: float
    depth_after_pulse: np.ndarray
    wiped_after_pulse: np.ndarray
    temperature: np.ndarray
    peak_temperature: np.ndarray
    damage: np.ndarray
    water_fraction: np.ndarray
    energy: dict
    snapshot_times: np.ndarray
    snapshots: np.ndarray
    charred: np.ndarray
    char_time: np.ndarray
    char_after_pulse: np.ndarray

    @property
    def char_thickness(self) -> float:
        """Thickness of the charred tissue remaining below the floor at the end [m]."""
        remaining = slice(self.surface_index, None)
        return float(np.sum(self.grid.widths[remaining][self.charred[remaining]]))

    def energy_balance_error(self) -> float:
        """Relative imbalance of the energy ledger [-]."""
        e = self.energy
        out = e["stored"] + e["removed"] + e["surface"] + e["bottom"] + e["perfusion"] + e["wiped"]
        return abs(e["absorbed"] - out) / max(abs(e["absorbed"]), 1e-30)


def solve_pulses(
    grid: Grid,
    *,
    density,
    specific_heat,
    conductivity,
    water_fraction,
    perfusion_capacity,
    initial_temperature,
    water_absorption: float,
    solid_absorption: float,
    decomposition_temperature: float,
    ejecta_extinction: float,
    plume_velocity: float,
    free_plume_length: float,
    pulse_start,
    pulse_duration,
    pulse_fluence,
    pulse_blowoff,
    pulse_efficiency,
    end_time: float,
    pulse_wipe_time=None,
    surface_heat_transfer: float,
    air_temperature: float,
    bottom_temperature: float,
    blood_temperature: float,
    damage_parameters: tuple[float, float, float, float, float],
    snapshot_times=(),
    char_temperature: float = choi1999.char_temperature,
    max_pulse_step=2e-6,
    step_growth: float = 1.25,
    max_step: float = 0.5,
    transport: LightTransport | None = None,
    deposition: Deposition | None = None,
) -> HeatSolution:
    """Run the bioheat solver over a train of pulses on one spot.

    Parameters
    ----------
    grid : Grid
        Finite-volume grid [m].
    density, specific_heat, conductivity : array_like
        Per cell [kg/m^3], [J/(kg K)], [W/(m K)].
    water_fraction : array_like
        Initial water volume fraction per cell [-].
    perfusion_capacity : array_like
        Blood perfusion times blood density and specific heat per cell
        [W/(m^3 K)].
    initial_temperature : array_like
        Temperature per cell at t = 0 [K].
    water_absorption : float
        Absorption coefficient of water at the laser wavelength, including any
        dynamic factor [1/m]; a cell absorbs ``water_absorption * water``.
    solid_absorption : float
        Absorption coefficient of the tissue solids per unit of their volume
        fraction [1/m]; a cell absorbs ``water_absorption * water +
        solid_absorption * (1 - native water)``.
    decomposition_temperature : float
        Temperature at which dry tissue is spent and leaves [K].
    ejecta_extinction : float
        Extinction coefficient of the ejecta over the crater floor per unit
        of their volume fraction [1/m].
    plume_velocity : float
        Velocity at which the ejecta leave [m/s].
    free_plume_length : float
        Length of the free plume above the original surface that the beam
        crosses at the ejecta's density at the surface [m]
        (:func:`dermalase.physics.ablation.free_plume_length`).
    pulse_start, pulse_duration, pulse_fluence : array_like
        Each pulse's start [s], duration [s] and fluence [J/m^2].
    pulse_blowoff : array_like of bool
        True where the pulse ablates in the blow-off regime.
    pulse_efficiency : array_like
        Ablation efficiency of each pulse relative to fresh tissue (0-1] [-].
    end_time : float
        Time to run to [s].
    pulse_wipe_time : array_like, optional
        Time of the wipe that follows each pulse [s], ``inf`` where none
        follows (the default for every pulse). At a wipe the cells from the
        floor down that have lost all their water leave; a wipe due at
        ``end_time`` is carried out at the end of the run.
    surface_heat_transfer : float
        Convective heat transfer coefficient to air [W/(m^2 K)].
    air_temperature, bottom_temperature, blood_temperature : float
        [K].
    damage_parameters : tuple
        (A_low [1/s], Ea_low [J/mol], A_high [1/s], Ea_high [J/mol], switch [K]).
    snapshot_times : array_like
        Times at which to keep the temperature profile [s].
    char_temperature : float
        Temperature at which dry tissue is counted as charred [K] (a label:
        it changes no temperature or energy); by default the 200 degC of
        Choi et al. (1998).
    max_pulse_step : float or array_like
        Largest time step during a pulse [s], one value or one per pulse (a
        sub-ablative pulse moves no front and may take longer steps).
    step_growth, max_step : float
        Time-step controls: growth factor of the step after a pulse [-],
        largest step [s].
    transport : LightTransport, optional
        Light-deposition model whose ``absorptance`` the kernel marches the
        light through the cells with (:mod:`dermalase.physics.transport`);
        Beer-Lambert by default.
    deposition : Deposition, optional
        A fixed light deposition per unit incident fluence (a Monte Carlo
        A(z), :mod:`dermalase.physics.transport.fixed_deposition`):
        ``absorbed`` per cell [J/m^3 per J/m^2], ``transmitted`` and
        ``escaped`` (reflected) [-]. It replaces ``transport``: each cell
        absorbs the share of the light still going down that the profile
        gives it, and the reflected share is booked as ``escaped``.

    Returns
    -------
    HeatSolution
    """
    widths = grid.widths
    rho_c = np.asarray(density, float) * np.asarray(specific_heat, float)
    water0 = np.asarray(water_fraction, float)
    temperature0 = np.asarray(initial_temperature, float)
    starts = np.asarray(pulse_start, float)
    durations = np.asarray(pulse_duration, float)
    irradiance = np.asarray(pulse_fluence, float) / durations
    snaps = np.asarray(sorted(snapshot_times), float)
    wipe_time = (
        np.full(starts.shape, np.inf)
        if pulse_wipe_time is None
        else np.asarray(pulse_wipe_time, float).copy()
    )
    wiped = np.full(starts.shape, np.nan)
    a_low, ea_low, a_high, ea_high, switch = damage_parameters
    transport = BeerLambert() if transport is None else transport
    fixed = np.zeros(0)
    reflected = 0.0
    if deposition is not None:
        # the share of the light entering the tissue that each cell absorbs of
        # what reaches it
        reflected = float(deposition.escaped)
        share = np.asarray(deposition.absorbed, float) * widths / (1.0 - reflected)
        reaching = 1.0 - np.concatenate(([0.0], np.cumsum(share)[:-1]))
        fixed = np.clip(share / np.maximum(reaching, 1e-300), 0.0, 1.0)
        irradiance = irradiance * (1.0 - reflected)
    cap_dry = ablation.solids_heat_capacity(rho_c, water0)
    conductivity = np.asarray(conductivity, float)
    conductivity_dry = ablation.dry_conductivity(conductivity, water0)
    # below this temperature a cell gathers less than 1e-9 of damage over
    # the whole run, and the kernel skips its Arrhenius rate
    negligible = np.log(1e-9 / max(float(end_time), 1e-12))
    damage_floor = min(
        ea_low / (gas_constant * (np.log(a_low) - negligible)),
        ea_high / (gas_constant * (np.log(a_high) - negligible)),
    )
    removal = ablation.removal_enthalpy(water0, rho_c, decomposition_temperature)
    (
        surface,
        temperature,
        water,
        cap,
        omega,
        peak,
        ledger,
        depth_after,
        snapshots,
        _,
        charred,
        char_time,
        char_after,
    ) = _run(
        widths,
        rho_c,
        cap_dry,
        1.0 - water0,
        conductivity,
        conductivity_dry,
        water0,
        np.asarray(perfusion_capacity, float),
        temperature0,
        float(water_absorption),
        float(solid_absorption),
        water_density * water_latent_heat,
        water_boiling_point,
        float(decomposition_temperature),
        ejecta_extinction / (removal * plume_velocity),
        float(free_plume_length),
        transport.absorptance,
        starts,
        durations,
        irradiance,
        np.asarray(pulse_blowoff, np.bool_),
        np.asarray(pulse_efficiency, float),
        wipe_time,
        wiped,
        float(end_time),
        np.broadcast_to(np.asarray(max_pulse_step, float), starts.shape).copy(),
        float(step_growth),
        float(max_step),
        float(surface_heat_transfer),
        float(air_temperature),
        float(bottom_temperature),
        float(blood_temperature),
        float(char_temperature),
        float(a_low),
        float(ea_low),
        float(a_high),
        float(ea_high),
        float(switch),
        float(damage_floor),
        snaps,
        fixed,
    )
    # enthalpy above the bottom temperature, now (remaining cells, with the
    # heat capacity of the water they kept) less at the start (all cells)
    remaining = slice(surface, None)
    stored = float(
        np.sum(cap[remaining] * (temperature[remaining] - bottom_temperature) * widths[remaining])
    ) - float(np.sum(rho_c * (temperature0 - bottom_temperature) * widths))
    energy = dict(zip(LEDGER, (float(x) for x in ledger), strict=True))
    energy["stored"] = stored
    if deposition is not None:
        energy["escaped"] = float(np.sum(np.asarray(pulse_fluence, float)) * reflected)
    return HeatSolution(
        grid=grid,
        surface_index=int(surface),
        ablation_depth=float(grid.faces[surface]),
        depth_after_pulse=depth_after,
        wiped_after_pulse=np.nan_to_num(wiped, nan=0.0),
        temperature=temperature,
        peak_temperature=peak,
        damage=omega,
        water_fraction=water,
        energy=energy,
        snapshot_times=snaps,
        snapshots=snapshots,
        charred=charred,
        char_time=char_time,
        char_after_pulse=char_after,
    )
