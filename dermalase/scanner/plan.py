"""Scan an area: pattern, firing order, timing and bulk heating in one plan.

:func:`scan_area` composes the stages of a scan, each in a module of its own,
and holds no formula: :mod:`~dermalase.scanner.request` checks the request
(its input, then the device), :mod:`~dermalase.scanner.settings` fills and
checks the settings, :mod:`~dermalase.scanner.residual_heat` finds the heat
each spot leaves, :mod:`~dermalase.scanner.layout` lays the zones,
:mod:`~dermalase.scanner.firing` orders, times and heat-checks them, and
:class:`~dermalase.scanner.scan_plan.ScanPlan` carries the result.

Examples
--------
>>> from dermalase.devices import load_device
>>> plan = scan_area("glabella", 250e-6, "fractional", coverage=0.10, energy=10e-3,
...                  device=load_device("fractional_er_yag"))
>>> plan.to_dict()["order"]
'heat-aware'
"""

from __future__ import annotations

from dermalase import citations
from dermalase.devices import DeviceProfile
from dermalase.forward.effect import TissueEffect
from dermalase.scanner import heating, pattern, timing
from dermalase.scanner.areas import TreatmentArea, check_spot_fits, template
from dermalase.scanner.firing import SCORING_TILE_STRIDE, fire
from dermalase.scanner.layout import lay_zones
from dermalase.scanner.request import (
    MODALITY_NAMES,
    STEP_TOLERANCE,
    check_against_device,
    check_spot_diameter,
    modality_name,
    order_name,
    zone_diameter_of,
)
from dermalase.scanner.residual_heat import ablation_threshold, residual_heat
from dermalase.scanner.scan_plan import PERCENT, ScanPlan
from dermalase.scanner.settings import PATTERN_SIZE, SCANNER_SPEED, scan_settings
from dermalase.tissue.parameters import cold_air
from dermalase.units import MM_PER_M

__all__ = [
    "MODALITY_NAMES",
    "PATTERN_SIZE",
    "PERCENT",
    "SCANNER_SPEED",
    "SCORING_TILE_STRIDE",
    "STEP_TOLERANCE",
    "ScanPlan",
    "ablation_threshold",
    "compare_orders",
    "order_name",
    "scan_area",
    "total_minutes",
]


def scan_area(
    area: TreatmentArea | str,
    spot_diameter: float,
    modality: str,
    *,
    device: DeviceProfile | None = None,
    fluence: float | None = None,
    energy: float | None = None,
    coverage: float | None = None,
    overlap: float | None = None,
    passes: int = 1,
    order: str = "heat-aware",
    lattice: str | None = None,
    profile: str = "top-hat",
    repetition_rate: float | None = None,
    scanner_speed: float | None = None,
    pattern_shape: str | None = None,
    pattern_size: float | None = None,
    move_time: float = timing.MOVE_TIME,
    pass_setup_time: float = timing.PASS_SETUP_TIME,
    heat_per_spot: float | None = None,
    residual_heat_fraction: float | None = None,
    column_depth: float | None = None,
    wavelength: float | None = None,
    window: float | None = None,
    time_horizon: float | None = None,
    pass_offset: float = 0.5,
    min_spacing: float | None = None,
    edge_tolerance: float = 0.0,
    seed: int = 0,
    zone_diameter: float | None = None,
    pulse_duration: float | None = None,
    pulses: int = 1,
    effect: TissueEffect | None = None,
    chilled_air: bool = True,
    heat_transfer_coefficient: float = cold_air.heat_transfer_coefficient,
) -> ScanPlan:
    """Plan the scan of one treatment area.

    Lays the spots (full-field tiling at an overlap, or a fractional lattice at a
    coverage), groups them into the device's pattern tiles, orders them, times
    them, and estimates the bulk heating of the order and of the raster order of
    the same spots. With a ``device`` every setting is checked against it and
    the settings not given are taken from it.

    Parameters
    ----------
    area : TreatmentArea or str
        The area, or the name of a built-in template (:func:`~.areas.template_names`).
    spot_diameter : float
        Beam spot diameter [m]: the full-field spot, or the fractional
        microbeam (checked against the device's spots).
    modality : {"full_field", "fractional"}
        Treatment modality (``full_field`` is accepted too).
    device : DeviceProfile, optional
        The laser. Refuses (:class:`~dermalase.exceptions.RefusalError`) a
        modality, spot, fluence or energy, repetition rate, average power,
        overlap, pass count, pattern shape or size, scanner speed, or a
        fractional coverage off its density steps (by more than 1 point) that
        it cannot deliver; supplies the repetition rate (its highest, within its
        average power), the scanner speed (its highest), the pattern shape (its
        first that tiles) and size (its largest), and the wavelength.
    fluence : float, optional
        Full field: fluence per pulse, mean over the spot [J/m^2]. The local
        fluence map is this times the overlap factors.
    energy : float, optional
        Fractional: energy per microbeam [J].
    coverage : float, optional
        Fractional coverage per pass [-], in (0, 1].
    overlap : float, optional
        Full-field overlap, fraction of the diameter [-].
    passes : int
        Number of passes, each offset from the last.
    order : {"raster", "interleaved", "row-interleaved", "heat-aware"}
        Firing order within a tile (see :mod:`dermalase.scanner.order`). The
        heat-aware order scores its candidates on every fourth pattern tile
        (all tiles when there are fewer than eight), then keeps the winner only
        if, on every spot, it is no worse than raster on either heat figure.
    lattice : str, optional
        ``hexagonal``/``square`` (full field) or ``regular``/``staggered``/``random``
        (fractional); default hexagonal or staggered.
    profile : {"top-hat", "gaussian"}
        Beam profile for the full-field fluence map.
    repetition_rate : float, optional
        Pulse repetition rate [Hz]; required without a device.
    scanner_speed : float, optional
        Beam speed between spots [m/s]; default the device's highest, else 1 m/s.
    pattern_shape : str, optional
        Pattern tile shape (:data:`~dermalase.scanner.order.TILE_SHAPES`).
    pattern_size : float, optional
        Pattern tile size, its widest extent [m]; default the device's largest,
        else 12 mm.
    move_time : float
        Handpiece move between tiles [s] (stated assumption, default 1 s).
    pass_setup_time : float
        Setup before each pass [s] (stated assumption, default 30 s).
    heat_per_spot : float, optional
        Residual heat each spot leaves in the tissue [J]. Default:
        ``residual_heat_fraction`` times the spot energy; without it, the
        forward model's energy ledger of one spot at these settings
        (:mod:`~dermalase.scanner.residual_heat`); without a wavelength or pulse
        duration to simulate, for full field the blow-off residual
        ``min(F, F_th)`` over the spot (:func:`ablation_threshold`), for
        fractional all of the microbeam energy (an upper bound).
    residual_heat_fraction : float, optional
        Fraction of the spot energy left as heat [-].
    column_depth : float, optional
        Depth of fractional columns [m]; with it the heat source is a column
        from the surface to that depth, without it a surface source.
    wavelength : float, optional
        Wavelength for the ablation threshold [m]; default the device's.
    window : float, optional
        Thermal window of the spacing figure [s]; default the spot's relaxation
        time ``d^2 / (16 alpha)``.
    time_horizon : float, optional
        Oldest heat counted [s] (see :func:`heating.bulk_temperature_rise`).
    pass_offset : float
        Shift between passes as a fraction of the lattice spacings [-].
    min_spacing : float, optional
        Minimum centre spacing of the random lattice [m].
    edge_tolerance : float
        How far a full-field spot may reach past the area edge [m]; default 0.
    seed : int
        Seed of the random lattice.
    zone_diameter : float, optional
        Fractional: diameter of the microscopic treatment zone each microbeam
        leaves [m], e.g. a column prediction's MTZ diameter. The lattice is
        laid, the coverage counted and the heat spread on zones of this size;
        the density step is matched through it. Default: the spot diameter.
    pulse_duration : float, optional
        Pulse duration of the spot simulated for its residual heat [s];
        default the shortest of the device's first pulse mode (as dosimetry).
    pulses : int
        Pulses stacked on each spot, for the forward call.
    effect : TissueEffect, optional
        The forward model's effect of one pass over one spot at these settings;
        its ledger gives the residual heat instead of a new forward call.
    chilled_air : bool
        Whether the plan prescribes forced chilled-air cooling
        (:func:`dermalase.clinical.comfort.chilled_air_prescribed`); the bulk rise
        and the epidermal peak are reported with and without it either way.
    heat_transfer_coefficient : float
        Heat-transfer coefficient of the chilled air [W/(m^2 K)]
        (:mod:`dermalase.tissue.parameters.cold_air`).

    Returns
    -------
    ScanPlan

    Raises
    ------
    InputError
        For bad input: an unknown area, modality, order, lattice or shape, a
        coverage outside (0, 1], an overlap out of range, a spot larger than
        the area, missing fluence/energy and heat, a missing repetition rate.
    RefusalError
        For a setting the device cannot deliver.
    """
    if isinstance(area, str):
        area = template(area)
    modality = modality_name(modality)
    check_spot_diameter(spot_diameter)
    zone = zone_diameter_of(modality, spot_diameter, zone_diameter)
    order = order_name(order)
    passes = pattern.check_passes(passes)
    check_spot_fits(area, zone)  # bad input (exit 2) before device refusals (exit 3)
    if device is not None:
        check_against_device(device, modality, spot_diameter, zone, passes, overlap, coverage)
    settings = scan_settings(
        device,
        modality,
        spot_diameter,
        zone,
        fluence=fluence,
        energy=energy,
        repetition_rate=repetition_rate,
        scanner_speed=scanner_speed,
        pattern_shape=pattern_shape,
        pattern_size=pattern_size,
        wavelength=wavelength,
    )
    if pulse_duration is None and device is not None and device.pulse_modes:
        mode = device.pulse_modes[0]
        pulse_duration = (
            mode.pulse_duration.minimum if energy is None else mode.pulse_duration_for(energy)
        )
    heat = residual_heat(
        settings,
        heat_per_spot,
        residual_heat_fraction,
        pulse_duration=pulse_duration,
        pulses=pulses,
        effect=effect,
        area_name=area.name,
    )
    layout = lay_zones(
        area,
        zone,
        modality,
        coverage,
        overlap,
        lattice=lattice,
        passes=passes,
        pass_offset=pass_offset,
        min_spacing=min_spacing,
        seed=seed,
        edge_tolerance=edge_tolerance,
        profile=profile,
    )
    firing = fire(
        layout.pattern,
        order,
        settings,
        heat.per_spot,
        move_time=move_time,
        pass_setup_time=pass_setup_time,
        window=window,
        time_horizon=time_horizon,
        column_depth=column_depth,
        heat_transfer_coefficient=heat_transfer_coefficient,
    )
    sources = citations.merge(
        area.citation_keys,
        heating.SOURCES_CITED,
        cold_air.SOURCES,
        heat.sources,
        device.citation_keys if device is not None else (),
    )
    return ScanPlan.assemble(
        area, settings, heat, layout, firing, device, sources, chilled_air=chilled_air
    )


def total_minutes(plans) -> float:
    """Treatment time of a whole plan: the sum over its areas [min].

    Parameters
    ----------
    plans : iterable of ScanPlan
        One plan per treatment area; each already holds its own handpiece moves
        and pass setups.

    Returns
    -------
    float
        Minutes.
    """
    return float(sum(plan.treatment_minutes for plan in plans))


def compare_orders(
    area: TreatmentArea | str,
    spot_diameter: float,
    modality: str,
    *,
    candidate: str = "heat-aware",
    reference: str = "raster",
    **options,
) -> tuple[heating.OrderComparison, ScanPlan, ScanPlan]:
    """Plan the same scan in two orders and say how much the candidate improves.

    Parameters
    ----------
    area, spot_diameter, modality
        As for :func:`scan_area`.
    candidate, reference : str
        Order names.
    **options
        Other :func:`scan_area` arguments.

    Returns
    -------
    tuple
        The :class:`~dermalase.scanner.heating.OrderComparison`, then the
        candidate plan and the reference plan.
    """
    plans = [
        scan_area(area, spot_diameter, modality, order=name, **options)
        for name in (candidate, reference)
    ]
    figures = [
        heating.HeatFigures(
            plan.min_spacing_within_window_mm / MM_PER_M, plan.max_bulk_temperature_rise_c, 0.0
        )
        for plan in plans
    ]
    return heating.compare_figures(*figures), plans[0], plans[1]
