"""Fractional simulation of one microbeam: energy, spot and skin in, column out.

This module composes the physics (optics, ablation parameters, the
axisymmetric bioheat solver of :mod:`dermalase.physics.column`, Arrhenius
damage) for one microscopic treatment zone (MTZ); it holds no formula of its
own.

What the model leaves out, and what that does to its predictions:

* the ejecta are one effective extinction (fitted to fractional CO2 channel
  depths in swine, see
  :data:`dermalase.physics.ablation.EJECTA_EXTINCTION`) whose density
  follows the tissue the light removes below each row of the crater
  (mass conservation), leaving at the recoil-driven velocity of the
  pulse's irradiance; they absorb what their Mie albedo does not scatter
  (97 % of the CO2 light they take, half of the Er:YAG light) and scatter
  the rest, the droplets' forward share (Mie) on with the beam and the
  isotropic rest to the floor, the mouth and the wall by the solid angle
  each subtends, less what the ejecta take from it on its way across the
  crater. Refraction and reflection at the wall are not modelled.
  CO2 MTZs stay 1.7-2.7x the 120 um beam (210-320 um from 5 to 380 mJ), so
  the MTZ widens only x1.15 from 5 to 30 mJ (Hantash et al. 2007 saw about
  x2); Er:YAG craters keep the spot's width to ~0.5 mm, and 20 stacked
  pulses still widen toward the mouth with the light sent to their wall
  (20 x 50 mJ on a 250 um spot: a 492 um MTZ at 1.24 mm);
* the dry crater floor reaches the 400 degC decomposition temperature at
  every energy and leaves ~40-45 um of CO2 coagulation below it and a
  ~10-25 um sleeve around the wall (Walsh et al. measured 100 um under CW
  exposure); dried tissue keeps the conductivity of wet tissue;
* the microbeam is taken as focused on the skin surface with the
  divergence of an ideal beam (M^2 = 1 by default);
* stacked pulses do not suffer the empirical repetition-rate loss of the
  full-field model (see :func:`simulate_column`).
"""

from __future__ import annotations

import math

import numpy as np

from dermalase import citations
from dermalase.exceptions import InputError
from dermalase.forward.conditions import (
    AIR_TEMPERATURE,
    SURFACE_HEAT_TRANSFER,
    arrhenius_parameters,
    tissue_profiles,
)
from dermalase.forward.effect import TissueEffect, epidermal_peak
from dermalase.laser import PULSE_DURATION_MAX, PULSE_DURATION_MIN, PULSES_MAX, REPETITION_RATE_MIN
from dermalase.physics import ablation, column, damage
from dermalase.physics.transport import gaussian_rays
from dermalase.tissue import optics
from dermalase.tissue.layers import SkinModel
from dermalase.tissue.parameters import bioheat_common, choi1999, walsh1989_co2

#: Beam profiles, by name: the irradiance profile of the microbeam at focus.
BEAM_PROFILES = ("gaussian", "top_hat")


def default_beam_profile(wavelength: float) -> str:
    """Profile of a fractional microbeam when none is given, by laser line [m].

    ASSUMPTION (no measured microbeam profile of a fractional device was
    found): lines on the 3 um water band (flash-lamp-pumped Er:YAG and
    Er:YSGG rods, which lase in many transverse modes) give a flat
    ``"top_hat"`` spot whose edge is the spot diameter; every other line
    (sealed CO2 tubes, which lase close to the fundamental mode) a
    ``"gaussian"`` spot of that 1/e^2 diameter. With a Gaussian Er:YAG spot
    its wings, 20x over the ablation threshold at the peak, ablate and
    coagulate far outside the spot (a 250 um spot leaves a ~400 um MTZ),
    while published fractional Er:YAG MTZs are about as wide as the spot.
    """
    return "top_hat" if 2.6e-6 <= wavelength <= 3.3e-6 else "gaussian"


#: Pulses at least this long ablate in the steady-state regime [s]. Vogel &
#: Venugopalan (2003, section VII.A) apply the blow-off picture to ns
#: (Q-switched) pulses, where material leaves after the pulse, and the
#: steady-state picture to us-ms pulses (free-running Er:YAG, pulsed CO2),
#: where it leaves during the pulse. A microbeam at tens to hundreds of J/cm^2
#: removes hundreds of um during one pulse, which only the steady-state
#: picture allows. (The 1D full-field solver decides by the thermal relaxation
#: time of the absorbing layer instead, which puts 0.05-1 ms CO2 pulses in the
#: blow-off regime; for Er:YAG both criteria agree.)
STEADY_STATE_MIN_DURATION = 1e-6

#: Default stacking rate of pulses on one column [Hz] (assumption: within the
#: 1-300 Hz and 1-1000 Hz rates of the bundled fractional device files).
COLUMN_STACKING_RATE = 100.0

#: Default time simulated after the last pulse [s]: the coagulation sleeve of
#: a column some 100 um wide stops growing within tens of ms (diffusion time
#: (50 um)^2 / alpha = 25 ms).
RELAXATION = 0.05

#: Spot diameters accepted [m] (20 um to 2 mm, the range of the command line).
SPOT_RANGE = (20e-6, 2e-3)


def _check(value: float, name: str, low: float, high: float, shown: str, scale: float) -> float:
    if not (isinstance(value, int | float) and math.isfinite(value) and low < value <= high):
        raise InputError(
            name, f"{value * scale:g} {shown}", f"must be > {low * scale:g} and <= {high * scale:g}"
        )
    return float(value)


def model_sources(
    skin: SkinModel,
    params: ablation.AblationParameters,
    model: damage.DamageModel,
) -> tuple[str, ...]:
    """Citation keys a column prediction relies on.

    Parameters
    ----------
    skin : SkinModel
        Skin of the area.
    params : AblationParameters
        Ablation parameter set of the wavelength.
    model : DamageModel
        Arrhenius parameter set.

    Returns
    -------
    tuple of str
    """
    return citations.merge(
        skin.sources,
        optics.SOURCES,
        params.sources,
        (model.source,),
        (bioheat_common.CITATION.key, gaussian_rays.SIEGMAN_1986.key),
    )


def simulate_column(
    wavelength: float,
    energy: float,
    spot_diameter: float,
    skin: SkinModel,
    pulse_duration: float = 1e-3,
    pulses: int = 1,
    beam: str | None = None,
    damage_model: str = "henriques_moritz",
    grid_spacing: float | tuple[float, float] | None = None,
    *,
    repetition_rate: float = COLUMN_STACKING_RATE,
    beam_quality: float = 1.0,
    relaxation: float = RELAXATION,
    ablation_parameters: ablation.AblationParameters | None = None,
    steps_per_pulse: int = 20,
    grid_refinement: float | tuple[float, float] = 1.0,
    stop_depth: float | None = None,
) -> TissueEffect:
    """Simulate one fractional microbeam (one or more stacked pulses) on skin.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].
    energy : float
        Energy per pulse of the microbeam [J].
    spot_diameter : float
        Spot diameter at the skin surface [m]: 1/e^2 diameter of a Gaussian
        beam, edge of a top-hat.
    skin : SkinModel
        Layered skin of the area.
    pulse_duration : float
        Duration of each pulse [s].
    pulses : int
        Pulses stacked on the same column [-].
    beam : {"gaussian", "top_hat"}, optional
        Irradiance profile of the microbeam; :func:`default_beam_profile`
        of the line by default.
    damage_model : str
        Name in :data:`dermalase.physics.damage.DAMAGE_MODELS`.
    grid_spacing : float or (float, float), optional
        Fine cell size [m]: a pair (radial, axial), or one axial spacing with
        the radial spacing scaled by the same factor from its default. By
        default the axial spacing is a quarter of the optical penetration
        depth (0.5-5 um) and the radial spacing a twentieth of the spot
        radius (0.5-100 um).
    repetition_rate : float
        Rate of the stacked pulses [Hz].
    beam_quality : float
        Beam propagation factor M^2 of the microbeam (>= 1) [-]; the beam is
        focused on the skin surface and widens below it. 0 gives a collimated
        beam, the limit of a beam guided down the column by its walls.
    relaxation : float
        Time simulated after the last pulse [s].
    ablation_parameters : AblationParameters, optional
        Defaults from :func:`dermalase.physics.ablation.parameters_for_wavelength`.
    steps_per_pulse : int
        Time steps per pulse [-].
    grid_refinement : float or (float, float)
        Factor dividing the default grid spacings when ``grid_spacing`` is
        not given, or a pair (radial, axial) [-].
    stop_depth : float, optional
        Stop stacking once the column floor passes this depth [m]: the
        remaining pulses are not delivered (for response tables, which do not
        hold deeper columns); their ``after_pulse`` entries repeat the last
        column.

    Returns
    -------
    TissueEffect

    Notes
    -----
    Stacked pulses use the floor desiccation the solver models explicitly
    (boiled-off water raises the ablation enthalpy of what stays), but not
    the empirical repetition-rate efficiency of the full-field model: that
    one was fitted to full-field Er:YAG at 1-10 Hz (Kaufmann & Hibst 1996)
    and, extrapolated to the hundreds of Hz at which fractional devices stack
    pulses, it would forbid the deep stacked columns these devices drill.
    """
    _check(energy, "energy", 0.0, 10.0, "mJ", 1e3)
    low, high = SPOT_RANGE
    if not (math.isfinite(spot_diameter) and low <= spot_diameter <= high):
        raise InputError(
            "spot_diameter",
            f"{spot_diameter * 1e6:g} um",
            f"must be {low * 1e6:g}-{high * 1e6:g} um",
        )
    if not (
        math.isfinite(pulse_duration) and PULSE_DURATION_MIN <= pulse_duration <= PULSE_DURATION_MAX
    ):
        raise InputError(
            "pulse_duration",
            f"{pulse_duration * 1e6:g} us",
            f"must be {PULSE_DURATION_MIN * 1e6:g}-{PULSE_DURATION_MAX * 1e6:g} us",
        )
    if int(pulses) != pulses or not 1 <= pulses <= PULSES_MAX:
        raise InputError("pulses", pulses, f"must be a whole number from 1 to {PULSES_MAX}")
    if not (math.isfinite(repetition_rate) and repetition_rate >= REPETITION_RATE_MIN):
        # the solver steps through the time between stacked pulses: the lowest
        # device rate bounds its work
        raise InputError(
            "repetition_rate",
            f"{repetition_rate:g} Hz",
            f"must be >= {REPETITION_RATE_MIN:g} Hz, the lowest rate of any device",
        )
    pulses = int(pulses)
    if beam is None:
        beam = default_beam_profile(wavelength)
    if beam not in BEAM_PROFILES:
        raise InputError("beam", beam, f"known profiles: {', '.join(BEAM_PROFILES)}")
    if pulses > 1 and pulse_duration >= 1.0 / repetition_rate:
        raise InputError(
            "repetition_rate",
            repetition_rate,
            "stacked pulses overlap: the period must exceed the pulse duration",
        )
    params = ablation_parameters or ablation.parameters_for_wavelength(wavelength)
    model = damage.damage_model(damage_model)
    water_absorption = optics.water_absorption_coefficient(wavelength)
    effective_absorption = water_absorption * params.dynamic_absorption_factor
    dermis = skin.layer("papillary_dermis")
    penetration = 1.0 / (effective_absorption * dermis.water_fraction)
    half = 0.5 * spot_diameter
    if not (beam_quality == 0 or 1 <= beam_quality < math.inf):
        raise InputError("beam_quality", beam_quality, "must be 0 (collimated) or >= 1")
    wavelength_rayleigh = (
        math.inf
        if beam_quality == 0
        else float(gaussian_rays.rayleigh_length(spot_diameter, wavelength, beam_quality))
    )

    radial_refinement, axial_refinement = np.broadcast_to(grid_refinement, 2).astype(float)
    default_axial = float(np.clip(penetration / 4.0, 0.5e-6, 5e-6)) / axial_refinement
    default_radial = float(np.clip(half / 20.0, 0.5e-6, 100e-6)) / radial_refinement
    if grid_spacing is None:
        radial_spacing, axial_spacing = default_radial, default_axial
    elif np.ndim(grid_spacing) == 0:
        axial_spacing = float(np.asarray(grid_spacing))
        radial_spacing = default_radial * axial_spacing / default_axial
    else:
        radial_spacing, axial_spacing = (float(x) for x in np.asarray(grid_spacing))

    total = skin.total_thickness
    # the fine zone covers the depth the axis could drill at the effective heat
    # of ablation measured for CW CO2 (losses included), or the line's own
    # heat of ablation where that is larger
    bound = gaussian_rays.axial_depth_bound(
        energy,
        spot_diameter,
        pulses,
        max(params.ablation_enthalpy, walsh1989_co2.heat_of_ablation),
        wavelength_rayleigh,
        beam,
    )
    fine_depth = min(1.05 * bound + 150e-6, 0.95 * total)
    if stop_depth is not None:
        fine_depth = min(fine_depth, stop_depth + 300e-6)
    if grid_spacing is None:
        axial_spacing = max(axial_spacing, fine_depth / (1200.0 * axial_refinement))
    beam_edge = (2.2 if beam == "gaussian" else 1.0) * half
    fine_radius = beam_edge + max(80e-6, 0.1 * half)
    grid = column.make_column_grid(
        radial_spacing,
        fine_radius,
        fine_radius + max(1e-3, fine_radius),
        axial_spacing,
        fine_depth,
        total,
    )
    expansion = float(gaussian_rays.beam_expansion(fine_depth, wavelength_rayleigh))
    rays_per_cell = int(np.clip(np.ceil(4.0 * expansion), 8, 16))
    beam_model = gaussian_rays.GaussianRays(
        beam,
        spot_diameter,
        wavelength_rayleigh,
        radial_spacing / rays_per_cell,
        grid.radial.faces[-1],
    )

    z = grid.z
    interval = 1.0 / repetition_rate
    start = np.arange(pulses) * interval
    blowoff = pulse_duration < STEADY_STATE_MIN_DURATION
    extinction = params.column_ejecta_extinction
    droplet_index = float(optics.water_refractive_index(wavelength))
    albedo = ablation.ejecta_albedo(extinction, effective_absorption, wavelength, droplet_index)
    asymmetry = ablation.ejecta_asymmetry(
        extinction, effective_absorption, wavelength, droplet_index
    )
    solution = column.solve_column(
        grid,
        **tissue_profiles(skin, z),
        # the tissue's starting temperature (body, or precooled by chilled air)
        body_temperature=skin.temperature,
        water_absorption=effective_absorption,
        solid_absorption=params.solid_absorption_ratio * effective_absorption,
        decomposition_temperature=params.decomposition_temperature,
        ejecta_extinction=extinction,
        plume_velocity=params.plume_velocity,
        ejecta_irradiance=float(
            gaussian_rays.mean_irradiance(energy, spot_diameter, pulse_duration)
        ),
        ejecta_albedo=albedo,
        ejecta_asymmetry=asymmetry,
        transport=beam_model,
        pulse_start=start,
        pulse_duration=np.full(pulses, pulse_duration),
        pulse_energy=np.full(pulses, energy),
        pulse_blowoff=np.full(pulses, blowoff),
        end_time=float(start[-1] + pulse_duration + relaxation),
        surface_heat_transfer=SURFACE_HEAT_TRANSFER,
        air_temperature=AIR_TEMPERATURE,
        blood_temperature=bioheat_common.blood_temperature,
        damage_parameters=arrhenius_parameters(model),
        steps_per_pulse=steps_per_pulse,
        stop_depth=np.inf if stop_depth is None else float(stop_depth),
        char_temperature=choi1999.char_temperature,
    )
    after_pulse = tuple(
        column.column_dimensions(grid, removed, omega)
        for removed, omega in zip(
            solution.removed_after_pulse, solution.damage_after_pulse, strict=True
        )
    )
    final = column.column_dimensions(grid, solution.removed, solution.damage)
    dermis_bottom = skin.dermis_bottom
    total_depth = final["total_depth"]
    warnings = []
    exceeds = total_depth > dermis_bottom
    if exceeds:
        warnings.append(
            f"the column and its coagulation reach {total_depth * 1e6:.0f} um, below the "
            f"dermis of the {skin.area} ({dermis_bottom * 1e6:.0f} um)"
        )
    if final["ablation_depth"] + 20e-6 >= fine_depth:
        warnings.append(
            f"the column reaches the depth limit of the model ({fine_depth * 1e6:.0f} um); "
            "its depth is a lower bound"
        )
    # the char label reads Choi et al. (1998)'s char temperature
    sources = citations.merge(model_sources(skin, params, model), (choi1999.CITATION_1998.key,))
    remaining_peak = solution.peak_temperature[~solution.removed]
    ablation_depth = final["ablation_depth"]
    deepest = skin.layer_name_at(total_depth - 1e-9) if final["coagulation_depth"] > 0 else None
    return TissueEffect(
        modality="fractional",
        model="column_2d",
        ablation_depth=ablation_depth,
        coagulation_depth=final["coagulation_depth"],
        total_depth=total_depth,
        peak_temperature=float(np.max(remaining_peak)),
        epidermal_peak_temperature=epidermal_peak(
            solution.peak_temperature, z[:, None], ~solution.removed, skin
        ),
        char_thickness=solution.char_thickness,
        layers_ablated=skin.layers_between(0.0, ablation_depth),
        layers_reached=skin.layers_between(0.0, total_depth),
        deepest_layer_coagulated=deepest,
        exceeds_dermis=bool(exceeds),
        depth_after_pulse=np.array([d["ablation_depth"] for d in after_pulse]),
        regime=("blow_off" if blowoff else "steady_state",) * pulses,
        energy=solution.energy,
        sources=sources,
        solution=solution,
        skin=skin,
        ablation_diameter=final["ablation_diameter"],
        coagulation_cuff=final["coagulation_cuff"],
        mtz_diameter=final["mtz_diameter"],
        after_pulse=after_pulse,
        warnings=warnings,
        conditions={
            "wavelength": float(wavelength),
            "energy": float(energy),
            "spot_diameter": float(spot_diameter),
            "pulse_duration": float(pulse_duration),
            "pulses": pulses,
            "beam": beam,
        },
    )
