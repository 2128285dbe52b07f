"""Non-ablative fractional microbeam: scattered light deposited by Monte Carlo, column out.

At 1470, 1550 and 1927 nm water absorbs 10-140 /cm and dermis scatters
about 120-140 /cm (g = 0.9), so a microbeam spreads and is absorbed over
hundreds of micrometres instead of a few. This module composes

1. the optics of the skin at the wavelength
   (:func:`dermalase.tissue.layer_stack.from_skin`),
2. one Monte Carlo run of the beam in those layers, mapped onto the column
   solver's r-z grid per joule
   (:func:`dermalase.physics.transport.fixed_deposition.column_deposition`,
   cached per wavelength, skin and beam),
3. the axisymmetric bioheat solver with that fixed source
   (:func:`dermalase.physics.column.solve_column`) and the Arrhenius damage
   integral, whose coagulated region (Omega >= 1) is the microscopic
   treatment zone (MTZ).

It holds no formula of its own. Tissue that reaches 100 degC boils in the
solver, and dried tissue heated on to the decomposition temperature of
:data:`dermalase.physics.ablation.CARBON_DIOXIDE` leaves (no ejecta: below
vaporisation there is no crater and no plume); a non-ablative setting never
gets there, and a result that does carries a warning, since the fixed source
does not follow a crater.

What the model leaves out: the fall of water absorption with temperature
(about a third lower at 100 degC near 1.9 um); surface cooling by the
handpiece; the stretching of the tissue and its shrinkage in histology
(simulated MTZs 21 % deeper and 12 % wider than histology, Marqa & Mordon
2014). The microbeam enters unfocused at its surface diameter.
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
from dermalase.forward.fractional import SPOT_RANGE
from dermalase.physics import ablation, column, damage
from dermalase.physics.transport import fixed_deposition
from dermalase.tissue import layer_stack
from dermalase.tissue.layers import SkinModel
from dermalase.tissue.parameters import bioheat_common, lange2002

#: Wavelengths the model serves [m]: the water bands between the visible and
#: the 3 um band, where scattering matters (1.3-2.1 um).
WAVELENGTH_RANGE = (1.3e-6, 2.1e-6)

#: Energy per microbeam accepted [J] (0.1-100 mJ; non-ablative devices
#: deliver up to 70 mJ).
ENERGY_RANGE = (1e-4, 0.1)

#: Pulse durations accepted [s] (0.1-20 ms).
PULSE_DURATION_RANGE = (1e-4, 20e-3)

#: Time simulated after the pulse [s]: a zone 100-200 um wide cools within
#: tens of ms ((100 um)^2 / alpha = 70 ms); damage accrues while it is hot.
RELAXATION = 0.1

#: Depth of the solver's domain [m]: light and heat of these beams stay
#: within 2 mm (the deepest published zones reach about 1.4 mm).
DOMAIN_DEPTH = 2.5e-3


def serves(wavelength: float) -> bool:
    """Whether a laser line is one this model serves (scattering, non-ablative) [m].

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].

    Returns
    -------
    bool
        True inside :data:`WAVELENGTH_RANGE`.

    Examples
    --------
    >>> serves(1550e-9), serves(2940e-9)
    (True, False)
    """
    low, high = WAVELENGTH_RANGE
    return bool(low <= wavelength <= high)


def _check(value, name: str, bounds: tuple[float, float], unit: str, scale: float) -> float:
    low, high = bounds
    if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
        shown = f"{value * scale:g} {unit}" if isinstance(value, int | float) else repr(value)
        raise InputError(name, shown, f"must be {low * scale:g}-{high * scale:g} {unit}")
    return float(value)


def simulate_microbeam(
    wavelength: float,
    energy: float,
    spot_diameter: float,
    skin: SkinModel,
    pulse_duration: float = 3e-3,
    *,
    skin_type: int | str = 2,
    beam: str = "gaussian",
    damage_model: str = "henriques_moritz",
    photons: int = fixed_deposition.PHOTONS,
    seed: int = 0,
    grid_refinement: float = 1.0,
    relaxation: float = RELAXATION,
    water_bleaching: bool = True,
) -> TissueEffect:
    """Simulate one non-ablative microbeam on skin: the coagulation zone it leaves.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m], 1.3-2.1 um.
    energy : float
        Energy of the microbeam [J].
    spot_diameter : float
        Beam diameter at the skin surface [m]: 1/e^2 diameter of a Gaussian,
        edge of a top hat.
    skin : SkinModel
        Layered skin of the area.
    pulse_duration : float
        Duration of the pulse [s].
    skin_type : int or str
        Fitzpatrick type (epidermal melanin; it barely matters here).
    beam : {"gaussian", "top_hat"}
        Irradiance profile.
    damage_model : str
        Name in :data:`dermalase.physics.damage.DAMAGE_MODELS`.
    photons : int
        Monte Carlo packets [-].
    seed : int
        Seed of the Monte Carlo streams.
    grid_refinement : float
        Factor dividing the default cell sizes (2.5 um in depth, a twentieth
        of the spot radius across) [-].
    relaxation : float
        Time simulated after the pulse [s].
    water_bleaching : bool
        Let tissue absorb less as its water boils off and heats
        (:func:`~dermalase.physics.transport.fixed_deposition.with_water_bleaching`);
        False keeps the Monte Carlo deposition of cold tissue throughout.

    Returns
    -------
    TissueEffect
        ``coagulation_depth`` and ``total_depth``: from the surface to the
        deepest coagulated point [m]; ``mtz_diameter``: widest diameter of
        the coagulated zone [m]; ``ablation_depth``: zero unless the tissue
        boiled dry (then with a warning).
    """
    _check(wavelength, "wavelength", WAVELENGTH_RANGE, "nm", 1e9)
    _check(energy, "energy", ENERGY_RANGE, "mJ", 1e3)
    _check(spot_diameter, "spot_diameter", SPOT_RANGE, "um", 1e6)
    _check(pulse_duration, "pulse_duration", PULSE_DURATION_RANGE, "ms", 1e3)
    if beam not in ("gaussian", "top_hat"):
        raise InputError("beam", beam, "known profiles: gaussian, top_hat")
    half = 0.5 * spot_diameter
    total = min(DOMAIN_DEPTH, skin.total_thickness)
    radial_spacing = float(np.clip(half / 20.0, 1e-6, 10e-6)) / grid_refinement
    axial_spacing = 5e-6 / grid_refinement
    fine_radius = 2.2 * half + 250e-6
    grid = column.make_column_grid(
        radial_spacing,
        fine_radius,
        fine_radius + 1e-3,
        axial_spacing,
        min(1.6e-3, 0.95 * total),
        total,
    )
    stack = layer_stack.from_skin(skin, wavelength, skin_type)
    deposition = fixed_deposition.column_deposition(
        stack, grid, half, beam=beam, photons=photons, seed=seed
    )
    if water_bleaching:
        deposition = fixed_deposition.with_water_bleaching(
            deposition, skin, wavelength, grid.z, skin_type
        )
    params = ablation.CARBON_DIOXIDE
    model = damage.damage_model(damage_model)
    z = grid.z
    solution = column.solve_column(
        grid,
        **tissue_profiles(skin, z),
        # the tissue's starting temperature (body, or precooled by chilled air)
        body_temperature=skin.temperature,
        water_absorption=0.0,
        solid_absorption=0.0,
        decomposition_temperature=params.decomposition_temperature,
        # below vaporisation there is no crater and no plume
        ejecta_extinction=0.0,
        plume_velocity=params.plume_velocity,
        ejecta_irradiance=0.0,
        ejecta_albedo=1.0,
        ejecta_asymmetry=0.0,
        transport=None,
        deposition=deposition,
        pulse_start=[0.0],
        pulse_duration=[pulse_duration],
        pulse_energy=[energy],
        pulse_blowoff=[False],
        end_time=pulse_duration + relaxation,
        surface_heat_transfer=SURFACE_HEAT_TRANSFER,
        air_temperature=AIR_TEMPERATURE,
        blood_temperature=bioheat_common.blood_temperature,
        damage_parameters=arrhenius_parameters(model),
        steps_per_pulse=40,
        max_step=2e-3,
        window_depth=total,
    )
    final = column.column_dimensions(grid, solution.removed, solution.damage)
    total_depth = final["total_depth"]
    warnings = []
    if final["ablation_depth"] > 0.0:
        warnings.append(
            f"tissue boiled dry to {final['ablation_depth'] * 1e6:.0f} um: the setting is not "
            "non-ablative, and the fixed light deposition does not follow the crater"
        )
    if total_depth >= 0.95 * grid.axial.faces[-1]:
        warnings.append(
            f"the coagulation reaches the depth limit of the model ({total * 1e6:.0f} um); "
            "its depth is a lower bound"
        )
    exceeds = total_depth > skin.dermis_bottom
    if exceeds:
        warnings.append(
            f"the coagulation reaches {total_depth * 1e6:.0f} um, below the dermis of the "
            f"{skin.area} ({skin.dermis_bottom * 1e6:.0f} um)"
        )
    sources = citations.merge(
        skin.sources,
        stack.sources,
        params.sources,
        (model.source, bioheat_common.CITATION.key, fixed_deposition.WANG_1995.key),
        lange2002.SOURCES if water_bleaching else (),
    )
    remaining_peak = solution.peak_temperature[~solution.removed]
    deepest = skin.layer_name_at(total_depth - 1e-9) if total_depth > 0 else None
    return TissueEffect(
        modality="fractional",
        model="column_2d_monte_carlo",
        ablation_depth=final["ablation_depth"],
        coagulation_depth=final["coagulation_depth"],
        total_depth=total_depth,
        peak_temperature=float(np.max(remaining_peak)),
        epidermal_peak_temperature=epidermal_peak(
            solution.peak_temperature, z[:, None], ~solution.removed, skin
        ),
        char_thickness=solution.char_thickness,
        layers_ablated=skin.layers_between(0.0, final["ablation_depth"]),
        layers_reached=skin.layers_between(0.0, total_depth),
        deepest_layer_coagulated=deepest,
        exceeds_dermis=bool(exceeds),
        depth_after_pulse=np.array([final["ablation_depth"]]),
        regime=("non_ablative",),
        energy=solution.energy,
        sources=sources,
        solution=solution,
        skin=skin,
        ablation_diameter=final["ablation_diameter"],
        coagulation_cuff=final["coagulation_cuff"],
        mtz_diameter=final["mtz_diameter"],
        after_pulse=(final,),
        warnings=warnings,
        conditions={
            "wavelength": float(wavelength),
            "energy": float(energy),
            "spot_diameter": float(spot_diameter),
            "pulse_duration": float(pulse_duration),
            "pulses": 1,
            "beam": beam,
            "photons": int(photons),
        },
    )
