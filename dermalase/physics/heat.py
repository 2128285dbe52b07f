"""Transient 1D bioheat solver through layered skin with a moving ablation front.

The skin is cut into finite volumes from the original surface down. Each step
(1) deposits the absorbed laser energy through the remaining tissue (by
Beer-Lambert unless another light-transport model from
:mod:`dermalase.physics.transport` is given), (2) lets tissue that reaches
the ablation temperature spend further energy vaporising its water, (3)
removes tissue whose ablation enthalpy is spent (during the pulse in the
steady-state regime, where the light a cell did not need goes on to the
cells below within the same step, so the depth does not depend on the step;
at the end of the pulse in the blow-off regime, where a spent cell keeps
absorbing its share into the plume), and (4) conducts heat implicitly
(backward Euler) with perfusion, convection to air at the surface and body
temperature at the bottom. Every joule is booked: absorbed = stored +
removed with ablated tissue + lost at the surface + conducted out of the
bottom + carried off by blood. The damage integral is accumulated in each
cell as the solver goes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from dermalase.constants import gas_constant
from dermalase.physics.transport import Deposition, LightTransport
from dermalase.physics.transport.beer_lambert import BeerLambert

# Indices of the energy ledger returned by the kernel [J/m^2].
LEDGER = ("absorbed", "removed", "surface", "bottom", "perfusion", "transmitted")


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
def _eject(surface, marked, rho_c, temperature, water, widths, bottom_temperature, ledger):
    """Remove every cell down to the deepest spent one; return the new surface.

    Vapour formed below a less absorbing layer (a dry stratum corneum) blows
    the layer above it off, as in the blow-off picture of ablation.
    """
    n = marked.shape[0]
    deepest = -1
    for i in range(surface, n - 1):
        if marked[i]:
            deepest = i
    for i in range(surface, deepest + 1):
        ledger[1] += rho_c[i] * (temperature[i] - bottom_temperature) * widths[i]
        temperature[i] = bottom_temperature
        water[i] = 0.0
        marked[i] = False
    return max(surface, deepest + 1)


@njit(cache=True)
def _run(
    widths,
    rho_c,
    conductivity,
    water0,
    perfusion_capacity,
    temperature0,
    mu_water,
    ablation_enthalpy,
    ablation_temperature,
    residue_fraction,
    absorptance_law,
    pulse_start,
    pulse_duration,
    pulse_irradiance,
    pulse_blowoff,
    pulse_efficiency,
    t_end,
    dt_pulse_max,
    dt_growth,
    dt_max,
    h_surface,
    air_temperature,
    bottom_temperature,
    blood_temperature,
    damage_a_low,
    damage_ea_low,
    damage_a_high,
    damage_ea_high,
    damage_switch,
    snapshot_times,
    fixed_absorptance,
):
    n = widths.shape[0]
    temperature = temperature0.copy()
    water = water0.copy()
    omega = np.zeros(n)
    peak = temperature0.copy()
    ledger = np.zeros(6)
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
    # interface conductances [W/(m^2 K)] between cell i-1 and i (harmonic mean)
    conductance = np.zeros(n + 1)
    for i in range(1, n):
        conductance[i] = 1.0 / (
            0.5 * widths[i - 1] / conductivity[i - 1] + 0.5 * widths[i] / conductivity[i]
        )
    bottom_conductance = conductivity[n - 1] / (0.5 * widths[n - 1])
    lower = np.zeros(n)
    diagonal = np.zeros(n)
    upper = np.zeros(n)
    rhs = np.zeros(n)
    new_t = np.zeros(n)
    absorptance = np.zeros(n)
    latent = np.zeros(n)
    need = np.ones(n)
    current = -1
    marked = np.zeros(n, dtype=np.bool_)
    sensible_cap = rho_c * (ablation_temperature - bottom_temperature)

    t = 0.0
    dt = dt_pulse_max[0] if n_pulses > 0 else 1e-6
    while t < t_end - 1e-15 and surface < n - 1:
        # choose the step: resolve pulses, never step across a pulse edge
        active = -1
        for p in range(n_pulses):
            if pulse_start[p] - 1e-15 <= t < pulse_start[p] + pulse_duration[p] - 1e-15:
                active = p
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
        dt = min(dt, t_end - t)
        if dt <= 0.0:
            dt = 1e-12

        # 1. laser deposition (absorption frozen at the water present when
        #    the pulse began; vaporised water leaves as vapour)
        if active >= 0:
            irradiance = pulse_irradiance[active]
            blowoff = pulse_blowoff[active]
            if current != active:
                current = active
                for i in range(n):
                    absorptance[i] = absorptance_law(mu_water * water[i], widths[i])
                    if fixed_absorptance.shape[0] > 0:
                        absorptance[i] = fixed_absorptance[i]
                    latent[i] = 0.0
                    # desiccated tissue has less water to drive the explosive
                    # ejection: its ablation enthalpy scales as native/remaining
                    dryness = water0[i] / max(water[i], 1e-3 * water0[i], 1e-12)
                    need[i] = (
                        ablation_enthalpy[i] / pulse_efficiency[active] * dryness - sensible_cap[i]
                    )
            remaining = 1.0
            energy_in = irradiance * dt
            for i in range(surface, n):
                absorbed_fraction = remaining * absorptance[i]
                remaining -= absorbed_fraction
                e = energy_in * absorbed_fraction / widths[i]  # J/m^3
                ledger[0] += energy_in * absorbed_fraction
                if marked[i]:
                    ledger[1] += e * widths[i]  # heats the ablation plume
                    continue
                room = sensible_cap[i] - rho_c[i] * (temperature[i] - bottom_temperature)
                if e <= room:
                    temperature[i] += e / rho_c[i]
                else:
                    temperature[i] = ablation_temperature
                    excess = e - max(room, 0.0)
                    needed = need[i] - latent[i]
                    if excess >= needed:
                        latent[i] += needed
                        marked[i] = True
                        if blowoff:
                            # the spent cell stays until the pulse ends and
                            # its whole share heats the plume
                            ledger[1] += excess * widths[i]
                        else:
                            # steady state: the cell leaves once its need is
                            # paid; the light it did not need goes on down
                            ledger[1] += needed * widths[i]
                            surplus = (excess - needed) * widths[i]
                            ledger[0] -= surplus
                            remaining += surplus / energy_in
                    else:
                        latent[i] += excess
                        ledger[1] += excess * widths[i]
                if remaining < 1e-12:
                    break
            ledger[5] += energy_in * remaining
            # steady state: spent tissue leaves at once, with what lies above it
            if not blowoff:
                surface = _eject(
                    surface, marked, rho_c, temperature, water, widths, bottom_temperature, ledger
                )

        # end of a pulse: blow-off removal, desiccation of what stays, depth
        for p in range(n_pulses):
            end = pulse_start[p] + pulse_duration[p]
            if t < end <= t + dt + 1e-15:
                surface = _eject(
                    surface, marked, rho_c, temperature, water, widths, bottom_temperature, ledger
                )
                for i in range(surface, n):
                    if latent[i] > 0.0:
                        water[i] = max(water[i] * (1.0 - latent[i] / need[i]), 0.0)
                    latent[i] = 0.0
                    marked[i] = False
                # tissue at the floor that lost most of its water is dry residue
                # that leaves with the plume
                dry = surface
                while dry < n - 1 and water[dry] < residue_fraction * water0[dry]:
                    ledger[1] += rho_c[dry] * (temperature[dry] - bottom_temperature) * widths[dry]
                    temperature[dry] = bottom_temperature
                    water[dry] = 0.0
                    dry += 1
                surface = dry
                depth_after_pulse[p] = faces_depth[surface]
                current = -1

        # 2. implicit conduction with perfusion, convection at the surface
        for i in range(surface, n):
            cap = rho_c[i] * widths[i] / dt
            lower[i] = 0.0
            upper[i] = 0.0
            diagonal[i] = cap + perfusion_capacity[i] * widths[i]
            rhs[i] = cap * temperature[i] + perfusion_capacity[i] * widths[i] * blood_temperature
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
            # damage: trapezoid of the Arrhenius rate over the step
            r0 = damage_rate_scalar(
                temperature[i],
                damage_a_low,
                damage_ea_low,
                damage_a_high,
                damage_ea_high,
                damage_switch,
            )
            r1 = damage_rate_scalar(
                new_t[i], damage_a_low, damage_ea_low, damage_a_high, damage_ea_high, damage_switch
            )
            omega[i] += 0.5 * (r0 + r1) * dt
            temperature[i] = new_t[i]
            if new_t[i] > peak[i]:
                peak[i] = new_t[i]
        t += dt
        while next_snap < n_snap and snapshot_times[next_snap] <= t + 1e-15:
            for i in range(n):
                snapshots[next_snap, i] = temperature[i] if i >= surface else np.nan
            snapshot_surface[next_snap] = surface
            next_snap += 1
    for s in range(next_snap, n_snap):
        for i in range(n):
            snapshots[s, i] = temperature[i] if i >= surface else np.nan
        snapshot_surface[s] = surface
    return (
        surface,
        temperature,
        water,
        omega,
        peak,
        ledger,
        depth_after_pulse,
        snapshots,
        snapshot_surface,
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
        Crater depth after each pulse [m].
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
        bottom, perfusion, transmitted, stored.
    snapshot_times : numpy.ndarray
        Times of the temperature snapshots [s].
    snapshots : numpy.ndarray
        Temperature per cell at each snapshot [K] (NaN above the floor).
    """

    grid: Grid
    surface_index: int
    ablation_depth: float
    depth_after_pulse: np.ndarray
    temperature: np.ndarray
    peak_temperature: np.ndarray
    damage: np.ndarray
    water_fraction: np.ndarray
    energy: dict
    snapshot_times: np.ndarray
    snapshots: np.ndarray

    def energy_balance_error(self) -> float:
        """Relative imbalance of the energy ledger [-]."""
        e = self.energy
        out = e["stored"] + e["removed"] + e["surface"] + e["bottom"] + e["perfusion"]
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
    ablation_enthalpy,
    ablation_temperature: float,
    residue_water_fraction: float,
    pulse_start,
    pulse_duration,
    pulse_fluence,
    pulse_blowoff,
    pulse_efficiency,
    end_time: float,
    surface_heat_transfer: float,
    air_temperature: float,
    bottom_temperature: float,
    blood_temperature: float,
    damage_parameters: tuple[float, float, float, float, float],
    snapshot_times=(),
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
    ablation_enthalpy : array_like
        Energy per volume, from body temperature, that removes native tissue
        [J/m^3].
    ablation_temperature : float
        Temperature at which tissue starts to vaporise [K].
    residue_water_fraction : float
        Tissue at the crater floor left with less than this fraction of its
        native water at the end of a pulse leaves as dry residue [-].
    pulse_start, pulse_duration, pulse_fluence : array_like
        Each pulse's start [s], duration [s] and fluence [J/m^2].
    pulse_blowoff : array_like of bool
        True where the pulse ablates in the blow-off regime.
    pulse_efficiency : array_like
        Ablation efficiency of each pulse relative to fresh tissue (0-1] [-].
    end_time : float
        Time to run to [s].
    surface_heat_transfer : float
        Convective heat transfer coefficient to air [W/(m^2 K)].
    air_temperature, bottom_temperature, blood_temperature : float
        [K].
    damage_parameters : tuple
        (A_low [1/s], Ea_low [J/mol], A_high [1/s], Ea_high [J/mol], switch [K]).
    snapshot_times : array_like
        Times at which to keep the temperature profile [s].
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
    (surface, temperature, water, omega, peak, ledger, depth_after, snapshots, _) = _run(
        widths,
        rho_c,
        np.asarray(conductivity, float),
        water0,
        np.asarray(perfusion_capacity, float),
        temperature0,
        float(water_absorption),
        np.asarray(ablation_enthalpy, float),
        float(ablation_temperature),
        float(residue_water_fraction),
        transport.absorptance,
        starts,
        durations,
        irradiance,
        np.asarray(pulse_blowoff, np.bool_),
        np.asarray(pulse_efficiency, float),
        float(end_time),
        np.broadcast_to(np.asarray(max_pulse_step, float), starts.shape).copy(),
        float(step_growth),
        float(max_step),
        float(surface_heat_transfer),
        float(air_temperature),
        float(bottom_temperature),
        float(blood_temperature),
        float(a_low),
        float(ea_low),
        float(a_high),
        float(ea_high),
        float(switch),
        snaps,
        fixed,
    )
    remaining = slice(surface, None)
    stored = float(
        np.sum(
            rho_c[remaining]
            * (temperature[remaining] - temperature0[remaining])
            * widths[remaining]
        )
    )
    # tissue that left carried its initial enthalpy out with it
    stored -= float(
        np.sum(rho_c[:surface] * (temperature0[:surface] - bottom_temperature) * widths[:surface])
    )
    energy = dict(zip(LEDGER, (float(x) for x in ledger), strict=True))
    energy["stored"] = stored
    if deposition is not None:
        energy["escaped"] = float(np.sum(np.asarray(pulse_fluence, float)) * reflected)
    return HeatSolution(
        grid=grid,
        surface_index=int(surface),
        ablation_depth=float(grid.faces[surface]),
        depth_after_pulse=depth_after,
        temperature=temperature,
        peak_temperature=peak,
        damage=omega,
        water_fraction=water,
        energy=energy,
        snapshot_times=snaps,
        snapshots=snapshots,
    )
