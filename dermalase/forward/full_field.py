"""Full-field simulation of one spot: settings and skin in, tissue effect out.

This module composes the physics (optics, ablation parameters, the bioheat
solver, Arrhenius damage); it holds no formula of its own.
"""

from __future__ import annotations

import numpy as np

from dermalase import citations
from dermalase.forward.conditions import (
    AIR_TEMPERATURE,
    SURFACE_HEAT_TRANSFER,
    arrhenius_parameters,
    tissue_profiles,
)
from dermalase.forward.effect import TissueEffect, epidermal_peak
from dermalase.forward.fractional import STEADY_STATE_MIN_DURATION
from dermalase.laser import LaserSettings
from dermalase.physics import ablation, damage, heat
from dermalase.tissue import optics
from dermalase.tissue.layers import SkinModel
from dermalase.tissue.parameters import bioheat_common, choi1999, yuksel2001

#: Largest time step inside an ablative pulse [s]: resolves the moving
#: ablation front of a 250 µs Er:YAG pulse in 125 steps.
ABLATIVE_PULSE_STEP = 2e-6
#: Largest time step inside a sub-ablative coagulation pulse [s]; the solver
#: also caps every pulse step at a fortieth of the pulse, 12.5 µs for the
#: usual 500 µs coagulation pulse. No front moves, so the backward-Euler
#: heating needs no finer steps (checked against 2 µs steps in the tests).
COAGULATION_PULSE_STEP = 1e-3
#: Spot diameter the free plume is sized by when the settings give none [m]:
#: 3 mm, a spot every bundled full-field device offers (pulsed CO2,
#: Er:YAG and Er:YSGG profiles).
DEFAULT_SPOT = 3e-3


def simulate(
    settings: LaserSettings,
    skin: SkinModel,
    *,
    ablation_parameters: ablation.AblationParameters | None = None,
    damage_model: str = "henriques_moritz",
    relaxation: float = 0.1,
    grid_spacing: float | None = None,
    snapshot_times=(),
) -> TissueEffect:
    """Simulate the pulses of ``settings`` on one spot of ``skin``.

    Parameters
    ----------
    settings : LaserSettings
        Pulses, passes and coagulation train; whether the desiccated layer
        is wiped off after each pass (:attr:`LaserSettings.wiped`).
    skin : SkinModel
        Layered skin of the area.
    ablation_parameters : AblationParameters, optional
        Defaults from :func:`dermalase.physics.ablation.parameters_for_wavelength`.
    damage_model : str
        Name in :data:`dermalase.physics.damage.DAMAGE_MODELS`.
    relaxation : float
        Time simulated after the last pulse [s]; the wipe after the last
        pass, where there is one, comes at its end.
    grid_spacing : float, optional
        Width of the fine cells [m]; by default an eighth of the optical
        penetration depth, between 0.1 and 1 um.
    snapshot_times : array_like
        Times at which to keep temperature profiles [s].

    Returns
    -------
    TissueEffect
    """
    params = ablation_parameters or ablation.parameters_for_wavelength(settings.wavelength)
    model = damage.damage_model(damage_model)
    water_absorption = optics.water_absorption_coefficient(settings.wavelength)
    effective_absorption = water_absorption * params.dynamic_absorption_factor
    epidermis = skin.layer("viable_epidermis")
    mu_tissue = effective_absorption * epidermis.water_fraction

    start, duration, fluence, coagulation = settings.pulse_schedule()
    end_time = float(start[-1] + duration[-1] + relaxation)
    # one regime for every us-ms pulse, as in the column model: material
    # leaves during the pulse; only sub-us pulses confine it to the end
    regimes = [ablation.ablation_regime(d, STEADY_STATE_MIN_DURATION) for d in duration]
    previous_end = np.concatenate(([-np.inf], (start + duration)[:-1]))
    efficiency = ablation.repetition_efficiency(start - previous_end, params.recovery_time)

    # the spot sizes the free plume over it (the settings' spot, else the default)
    spot = settings.spot_diameter or DEFAULT_SPOT
    spacing = grid_spacing or float(np.clip(1.0 / (8.0 * mu_tissue), 0.1e-6, 1.0e-6))
    upper_bound_depth = float(np.sum(fluence) / params.ablation_enthalpy)
    fine_depth = min(upper_bound_depth + 400e-6, 0.8 * skin.total_thickness)
    grid = heat.make_grid(fine_depth, spacing, skin.total_thickness)
    z = grid.centres
    solution = heat.solve_pulses(
        grid,
        **tissue_profiles(skin, z),
        # body temperature, or the skin's precooled temperature (uniform, as in
        # the column model)
        initial_temperature=np.full(z.size, skin.temperature),
        water_absorption=effective_absorption,
        solid_absorption=params.solid_absorption_ratio * effective_absorption,
        decomposition_temperature=params.decomposition_temperature,
        ejecta_extinction=params.ejecta_extinction,
        plume_velocity=params.plume_velocity,
        free_plume_length=float(ablation.free_plume_length(spot)),
        pulse_start=start,
        pulse_duration=duration,
        pulse_fluence=fluence,
        pulse_blowoff=np.array([r == "blow_off" for r in regimes]),
        pulse_efficiency=efficiency,
        end_time=end_time,
        pulse_wipe_time=settings.wipe_schedule(end_time),
        surface_heat_transfer=SURFACE_HEAT_TRANSFER,
        air_temperature=AIR_TEMPERATURE,
        bottom_temperature=skin.temperature,
        blood_temperature=bioheat_common.blood_temperature,
        damage_parameters=arrhenius_parameters(model),
        snapshot_times=snapshot_times,
        char_temperature=choi1999.char_temperature,
        max_pulse_step=np.where(coagulation, COAGULATION_PULSE_STEP, ABLATIVE_PULSE_STEP),
    )
    floor = solution.surface_index
    below = solution.damage[floor:]
    intact = np.flatnonzero(below < 1.0)
    n_coagulated = int(intact[0]) if intact.size else below.size
    coagulation_depth = float(grid.faces[floor + n_coagulated] - grid.faces[floor])
    ablation_depth = solution.ablation_depth
    # the peak of the tissue the last pass left in place, the desiccated
    # layer wiped off after it included (its surface is what a thermal camera
    # sees during the pass)
    left_in_place = int(
        np.argmin(np.abs(grid.faces - (ablation_depth - solution.wiped_after_pulse[-1])))
    )
    remaining_peak = solution.peak_temperature[min(left_in_place, floor) :]
    in_place = np.arange(grid.centres.size) >= min(left_in_place, floor)
    epidermal = epidermal_peak(solution.peak_temperature, grid.centres, in_place, skin)
    deepest = (
        skin.layer_name_at(ablation_depth + coagulation_depth - 1e-9)
        if coagulation_depth > 0
        else None
    )
    sources = citations.merge(
        skin.sources,
        optics.SOURCES,
        params.sources,
        (model.source,),
        (bioheat_common.CITATION.key, choi1999.CITATION_1998.key),
        yuksel2001.SOURCES if settings.wiped else (),
    )
    total_depth = ablation_depth + coagulation_depth
    dermis_bottom = skin.dermis_bottom
    return TissueEffect(
        modality="full_field",
        model="bioheat_1d",
        ablation_depth=ablation_depth,
        coagulation_depth=coagulation_depth,
        total_depth=total_depth,
        peak_temperature=float(remaining_peak.max()),
        epidermal_peak_temperature=epidermal,
        char_thickness=solution.char_thickness,
        layers_ablated=skin.layers_between(0.0, ablation_depth),
        layers_reached=skin.layers_between(0.0, total_depth),
        deepest_layer_coagulated=deepest,
        exceeds_dermis=bool(total_depth > dermis_bottom),
        depth_after_pulse=solution.depth_after_pulse,
        regime=tuple(regimes),
        energy=solution.energy,
        sources=sources,
        solution=solution,
        skin=skin,
        conditions={
            "wavelength": float(settings.wavelength),
            "fluence": float(settings.fluence),
            "pulse_duration": float(settings.pulse_duration),
            "pulses": int(start.size),
            "spot_diameter": float(spot),
        },
    )
