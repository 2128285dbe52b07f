"""Scan an area: pattern, firing order, timing and bulk heating in one plan.

:func:`scan_area` composes :mod:`~dermalase.scanner.pattern`,
:mod:`~dermalase.scanner.order`, :mod:`~dermalase.scanner.timing` and
:mod:`~dermalase.scanner.heating`, and checks every setting against a device
profile when one is given; it holds no formula of its own.

Examples
--------
>>> from dermalase.devices import load_device
>>> plan = scan_area("glabella", 250e-6, "fractional", coverage=0.10, energy=10e-3,
...                  device=load_device("fractional_er_yag"))
>>> plan.to_dict()["order"]
'heat-aware'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from dermalase import citations
from dermalase.devices import DeviceProfile, check, nearest
from dermalase.exceptions import InputError, RefusalError
from dermalase.physics import ablation
from dermalase.scanner import heating, pattern, timing
from dermalase.scanner.areas import MM_PER_M, TreatmentArea, check_spot_fits, template
from dermalase.scanner.order import ORDERS, TILE_SHAPES, firing_sequence, tile_ranks
from dermalase.tissue import optics
from dermalase.tissue.parameters import shori2000
from dermalase.units import J_CM2_PER_J_M2, MJ_PER_J, UM_PER_M

#: Percent per unit fraction.
PERCENT = 100.0
#: Beam speed between spots without a device profile [m/s] (assumption: the
#: 1000 mm/s that the bundled device files assume).
SCANNER_SPEED = 1.0
#: Pattern tile size without a device profile [m] (assumption: within the 2-20 mm
#: that the bundled device files assume).
PATTERN_SIZE = 12e-3
#: The heat-aware order scores its candidates on every this-many-th pattern tile [-].
SCORING_TILE_STRIDE = 4
#: Largest distance between achieved and device-step coverage accepted [-]: one
#: percentage point, the tolerance of the pattern itself.
STEP_TOLERANCE = pattern.COVERAGE_TOLERANCE

#: Modality spellings accepted, by the name used in the plan.
MODALITY_NAMES = {
    "full-field": "full-field",
    "full_field": "full-field",
    "fractional": "fractional",
}


@dataclass(frozen=True)
class ScanPlan:
    """The spot list in firing order with its duration, coverage and heating.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    t : numpy.ndarray
        Firing times from the start of the treatment [s].
    pass_index : numpy.ndarray
        Pass of each spot.
    tile : numpy.ndarray
        Pattern tile of each spot (rank in visiting order).
    passes : int
        Number of passes.
    area_name : str
        Name of the area.
    area_cm2 : float
        Treatable area [cm^2].
    modality : str
        ``"full-field"`` or ``"fractional"``.
    spot_diameter : float
        Beam spot diameter [m]: the full-field spot, or the fractional
        microbeam.
    zone_diameter : float
        Diameter of the zone each spot treats [m], the one laid out and
        counted in the coverage: the spot (full field) or the microscopic
        treatment zone (fractional), which may be wider than its microbeam.
    coverage_percent : float
        Achieved coverage per pass [%]; full field: area cells hit by a spot.
    fluence : float or None
        Fluence per pulse, mean over the spot [J/m^2] (full field).
    energy_per_spot : float or None
        Pulse or microbeam energy [J].
    heat_per_spot : float
        Residual heat per spot used by the heating model [J].
    heat_model : str
        How the residual heat was found.
    fluence_min_factor, fluence_max_factor : float or None
        Local fluence range of one pass in the gap-free interior, in single-spot
        fluences [-] (full field).
    repetition_rate : float
        Pulse repetition rate [Hz].
    scanner_speed : float
        Beam speed between spots [m/s].
    pattern_shape : str
        Pattern tile shape.
    pattern_size : float
        Pattern tile size, its widest extent [m].
    tiles : int
        Pattern tiles laid over all passes (one more than the moves per pass).
    firing_seconds, moving_seconds, setup_seconds : float
        Time firing, moving the handpiece between tiles, and setting up passes [s].
    treatment_minutes : float
        Duration with moves and pass setups [min].
    tile_moves : int
        Handpiece moves.
    window : float
        Thermal window of the spacing figure [s].
    time_horizon : float
        Oldest heat counted in the temperature figure [s].
    min_spacing_within_window_mm : float
        Smallest distance between spots fired within the thermal window [mm].
    max_bulk_temperature_rise_c : float
        Peak bulk temperature rise before a spot fires [degC, as a difference].
    raster_min_spacing_within_window_mm, raster_max_bulk_temperature_rise_c : float
        The same two figures for the raster order of the same spots.
    order : str
        Firing order.
    device : str or None
        Device profile name.
    sources : tuple of str
        Citation keys relied on.
    fluence_map : FluenceMap or None
        The full-field fluence raster of one pass (for figures).
    """

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    pass_index: np.ndarray
    tile: np.ndarray
    passes: int
    area_name: str
    area_cm2: float
    modality: str
    spot_diameter: float
    zone_diameter: float
    coverage_percent: float
    fluence: float | None
    energy_per_spot: float | None
    heat_per_spot: float
    heat_model: str
    fluence_min_factor: float | None
    fluence_max_factor: float | None
    repetition_rate: float
    scanner_speed: float
    pattern_shape: str
    pattern_size: float
    tiles: int
    firing_seconds: float
    moving_seconds: float
    setup_seconds: float
    treatment_minutes: float
    tile_moves: int
    window: float
    time_horizon: float
    min_spacing_within_window_mm: float
    max_bulk_temperature_rise_c: float
    raster_min_spacing_within_window_mm: float
    raster_max_bulk_temperature_rise_c: float
    order: str
    device: str | None
    sources: tuple[str, ...]
    fluence_map: pattern.FluenceMap | None = field(default=None, repr=False, compare=False)

    @property
    def spots(self) -> int:
        """Number of spots over all passes."""
        return int(self.x.size)

    def _fluence_j_cm2(self, factor: float | None) -> float | None:
        if factor is None or self.fluence is None or math.isnan(factor):
            return None
        return round(factor * self.fluence * J_CM2_PER_J_M2, 3)

    def versus_raster(self) -> heating.OrderComparison:
        """How much this order improves on the raster order of the same spots."""
        mine = heating.HeatFigures(
            self.min_spacing_within_window_mm, self.max_bulk_temperature_rise_c, self.window
        )
        raster = heating.HeatFigures(
            self.raster_min_spacing_within_window_mm,
            self.raster_max_bulk_temperature_rise_c,
            self.window,
        )
        return heating.compare_figures(mine, raster)

    def to_dict(self) -> dict:
        """Summary in clinical units for JSON output (infinite spacing becomes ``None``).

        Returns
        -------
        dict
            ``area_cm2``, ``spots``, ``passes``, ``coverage_percent``,
            ``fluence_min_j_cm2`` and ``fluence_max_j_cm2`` (local fluence of one
            full-field pass; ``None`` for fractional), ``firing_seconds``,
            ``treatment_minutes``, ``min_spacing_within_window_mm``,
            ``max_bulk_temperature_rise_c``, ``order``, ``versus_raster`` (the
            same figures for the raster order and the improvement), and the
            settings, timing and sources behind them.
        """
        comparison = self.versus_raster()
        return {
            "area": self.area_name,
            "area_cm2": round(self.area_cm2, 2),
            "modality": self.modality,
            "device": self.device,
            "spot_diameter_um": round(self.spot_diameter * UM_PER_M, 1),
            "zone_diameter_um": round(self.zone_diameter * UM_PER_M, 1),
            "spots": self.spots,
            "passes": self.passes,
            "coverage_percent": round(self.coverage_percent, 2),
            "fluence_j_cm2": _rounded(self.fluence, J_CM2_PER_J_M2, 3),
            "fluence_min_j_cm2": self._fluence_j_cm2(self.fluence_min_factor),
            "fluence_max_j_cm2": self._fluence_j_cm2(self.fluence_max_factor),
            "fluence_min_factor": _rounded(self.fluence_min_factor, 1.0, 4),
            "fluence_max_factor": _rounded(self.fluence_max_factor, 1.0, 4),
            "energy_per_spot_mj": _rounded(self.energy_per_spot, MJ_PER_J, 4),
            "residual_heat_per_spot_mj": _rounded(self.heat_per_spot, MJ_PER_J, 4),
            "heat_model": self.heat_model,
            "repetition_rate_hz": round(self.repetition_rate, 3),
            "scanner_speed_mm_s": round(self.scanner_speed * MM_PER_M, 1),
            "pattern_shape": self.pattern_shape,
            "pattern_size_mm": round(self.pattern_size * MM_PER_M, 2),
            "tiles": self.tiles,
            "tile_moves": self.tile_moves,
            "firing_seconds": round(self.firing_seconds, 2),
            "moving_seconds": round(self.moving_seconds, 2),
            "setup_seconds": round(self.setup_seconds, 2),
            "treatment_minutes": round(self.treatment_minutes, 2),
            "thermal_window_s": round(self.window, 4),
            "heat_horizon_s": round(self.time_horizon, 3),
            "min_spacing_within_window_mm": _spacing(self.min_spacing_within_window_mm),
            "max_bulk_temperature_rise_c": round(self.max_bulk_temperature_rise_c, 3),
            "order": self.order,
            "versus_raster": {
                "raster_min_spacing_within_window_mm": _spacing(
                    self.raster_min_spacing_within_window_mm
                ),
                "raster_max_bulk_temperature_rise_c": round(
                    self.raster_max_bulk_temperature_rise_c, 3
                ),
                "spacing_ratio": None
                if math.isinf(comparison.spacing_ratio)
                else round(comparison.spacing_ratio, 4),
                "temperature_reduction_c": round(comparison.temperature_reduction, 3),
                "temperature_ratio": round(comparison.temperature_ratio, 4),
            },
            "sources": citations.format_sources(self.sources),
        }


def _rounded(value: float | None, scale: float, digits: int) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value * scale, digits)


def _spacing(value_mm: float) -> float | None:
    return None if math.isinf(value_mm) else round(value_mm, 4)


# --- settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    """Settings of one scan after defaults and device checks, SI units."""

    modality: str
    energy: float | None
    fluence: float | None
    repetition_rate: float
    scanner_speed: float
    pattern_shape: str
    pattern_size: float
    wavelength: float | None


def _modality(modality: str) -> str:
    try:
        return MODALITY_NAMES[modality]
    except KeyError:
        raise InputError("modality", modality, "choose one of: full-field, fractional") from None


def _positive(value: float, field_name: str, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(field_name, value, f"must be a finite number in {unit}")
    if value <= 0.0:
        raise InputError(field_name, value, f"must be > 0 {unit}")
    return float(value)


def _spot_energy(modality, spot_diameter, fluence, energy):
    """Fluence [J/m^2] and energy [J] per spot, from whichever was given."""
    spot_area = 0.25 * math.pi * spot_diameter**2
    if modality == "full-field":
        if energy is not None:
            raise InputError(
                "energy", energy, "full field takes a fluence per pulse, not an energy"
            )
        if fluence is None:
            return None, None
        fluence = _positive(fluence, "fluence", "J/m^2")
        return fluence, fluence * spot_area
    if fluence is not None:
        raise InputError("fluence", fluence, "fractional work takes an energy per microbeam")
    if energy is None:
        return None, None
    return None, _positive(energy, "energy", "J")


def _zone_diameter(modality: str, spot_diameter: float, zone_diameter: float | None) -> float:
    """The diameter laid out: the zone (fractional, when given) or the spot [m]."""
    if zone_diameter is None:
        return spot_diameter
    if modality != "fractional":
        raise InputError(
            "zone_diameter", zone_diameter, "applies to fractional work; full field lays its spot"
        )
    if not (
        isinstance(zone_diameter, int | float)
        and math.isfinite(zone_diameter)
        and zone_diameter > 0
    ):
        raise InputError("zone_diameter", zone_diameter, "must be a positive number in m")
    return float(zone_diameter)


def _check_device(
    device: DeviceProfile, modality, spot_diameter, zone_diameter, passes, overlap, coverage
):
    """Refuse what the device cannot deliver (RefusalError) before laying spots.

    The beam spot is checked against the device's spots; a fractional
    coverage, counted on the zones, against its density steps (zones per
    area).
    """
    check(device, "modality", modality.replace("-", "_"))
    check(device, "spot_diameter", spot_diameter)
    check(device, "passes", passes)
    scanner = device.scanner
    if modality == "full-field" and scanner is not None and scanner.overlap is not None:
        check(device, "overlap", overlap)
    if modality == "fractional" and device.density_steps:
        choice = device.density_for_coverage(coverage, spot_diameter, zone_diameter)
        if abs(choice.coverage - coverage) > STEP_TOLERANCE:
            raise RefusalError(
                "device.density_steps",
                f"coverage {coverage:.1%} is not a density step of {device.display_name}; "
                f"the nearest, step {choice.step}, gives {choice.coverage:.1%} "
                f"with {zone_diameter * UM_PER_M:g} um zones",
                device.source_file,
            )


def _settings(
    device: DeviceProfile | None,
    modality: str,
    spot_diameter: float,
    fluence: float | None,
    energy: float | None,
    repetition_rate: float | None,
    scanner_speed: float | None,
    pattern_shape: str | None,
    pattern_size: float | None,
    wavelength: float | None,
) -> _Settings:
    """Fill the defaults from the device and check each setting against it."""
    fluence, energy = _spot_energy(modality, spot_diameter, fluence, energy)
    scanner = device.scanner if device is not None else None
    if device is not None:
        if fluence is not None:
            check(device, "fluence", fluence)
        if modality == "fractional" and energy is not None:
            check(device, "energy", energy)
        wavelength = device.wavelength if wavelength is None else wavelength
    if repetition_rate is None:
        if device is None:
            raise InputError("repetition_rate", "missing", "give it in Hz, or give a device")
        repetition_rate = device.repetition_rate.maximum
        if device.average_power_max is not None and energy:
            repetition_rate = nearest(
                device, "repetition_rate", min(repetition_rate, device.average_power_max / energy)
            )
    repetition_rate = _positive(repetition_rate, "repetition_rate", "Hz")
    if scanner_speed is None:
        scanner_speed = scanner.speed_max if scanner is not None else SCANNER_SPEED
    scanner_speed = _positive(scanner_speed, "scanner_speed", "m/s")
    if pattern_shape is None:
        offered = scanner.pattern_shapes if scanner is not None else ("square",)
        pattern_shape = next((s for s in offered if s in TILE_SHAPES), None)
        if pattern_shape is None:
            raise InputError(
                "pattern_shape",
                ", ".join(offered),
                f"no shape of the device tiles an area; tiling supports {', '.join(TILE_SHAPES)}",
            )
    if pattern_size is None:
        pattern_size = scanner.pattern_size.maximum if scanner is not None else PATTERN_SIZE
    pattern_size = _positive(pattern_size, "pattern_size", "m")
    if pattern_size < spot_diameter:
        raise InputError(
            "pattern_size",
            f"{pattern_size * MM_PER_M:g} mm",
            f"must hold at least one {spot_diameter * MM_PER_M:g} mm spot",
        )
    if device is not None:
        check(device, "repetition_rate", repetition_rate)
        if energy is not None:
            check(device, "average_power", (energy, repetition_rate))
        if scanner is not None:
            check(device, "scanner_speed", scanner_speed)
            check(device, "pattern_shape", pattern_shape)
            check(device, "pattern_size", pattern_size)
    return _Settings(
        modality,
        energy,
        fluence,
        repetition_rate,
        scanner_speed,
        pattern_shape,
        pattern_size,
        wavelength,
    )


def ablation_threshold(wavelength: float) -> tuple[float, tuple[str, ...]]:
    """Blow-off ablation threshold of skin at a wavelength, and its sources.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].

    Returns
    -------
    tuple
        Threshold fluence [J/m^2] (``e_abl / mu_a`` with the ablation
        parameters of :func:`dermalase.physics.ablation.parameters_for_wavelength`
        and the absorption of tissue water), and the citation keys.
    """
    parameters = ablation.parameters_for_wavelength(wavelength)
    absorption = (
        optics.water_absorption_coefficient(wavelength)
        * parameters.dynamic_absorption_factor
        * shori2000.soft_tissue_water
    )
    threshold = float(ablation.blow_off_threshold(parameters.ablation_enthalpy, absorption))
    return threshold, (*parameters.sources, *optics.SOURCES, shori2000.CITATION.key)


def _residual_heat(settings: _Settings, spot_diameter, heat_per_spot, residual_heat_fraction):
    """Residual heat per spot [J], how it was found, and the sources used."""
    if heat_per_spot is not None:
        if not (math.isfinite(heat_per_spot) and heat_per_spot >= 0.0):
            raise InputError("heat_per_spot", heat_per_spot, "must be a finite number >= 0 J")
        return float(heat_per_spot), "given", ()
    if settings.energy is None:
        wanted = "fluence" if settings.modality == "full-field" else "energy"
        raise InputError(wanted, "missing", f"give the {wanted} per spot, or heat_per_spot")
    if residual_heat_fraction is not None:
        if not 0.0 <= residual_heat_fraction <= 1.0:
            raise InputError(
                "residual_heat_fraction", residual_heat_fraction, "must be between 0 and 1"
            )
        return (
            residual_heat_fraction * settings.energy,
            f"{residual_heat_fraction:.0%} of the pulse energy (given)",
            (),
        )
    if settings.modality == "full-field" and settings.wavelength is not None:
        threshold, sources = ablation_threshold(settings.wavelength)
        residual = float(heating.residual_fluence(settings.fluence, threshold))
        spot_area = 0.25 * math.pi * spot_diameter**2
        return (
            residual * spot_area,
            f"blow-off residual: min(fluence, threshold {threshold * J_CM2_PER_J_M2:.2f} J/cm2)",
            sources,
        )
    return settings.energy, "all of the pulse energy (upper bound)", ()


# --- the plan ------------------------------------------------------------------------


def _lay_spots(area, spot_diameter, modality, coverage, overlap, options):
    """The pattern, its coverage [-] and, for full field, its fluence map of one pass."""
    if modality == "full-field":
        if overlap is None or coverage is not None:
            raise InputError(
                "overlap",
                overlap,
                "full field takes an overlap (fraction of the diameter), no coverage",
            )
        spots = pattern.full_field_lattice(
            area,
            spot_diameter,
            overlap,
            lattice=options["lattice"] or "hexagonal",
            passes=options["passes"],
            pass_offset=options["pass_offset"],
            edge_tolerance=options["edge_tolerance"],
        )
        raster = pattern.fluence_map(
            spots.first_pass(),
            area,
            profile=options["profile"],
            edge_tolerance=options["edge_tolerance"],
        )
        return spots, raster.covered_fraction, raster
    if coverage is None or overlap is not None:
        raise InputError("coverage", coverage, "fractional takes a coverage (0-1), no overlap")
    spots = pattern.fractional_lattice(
        area,
        spot_diameter,
        coverage,
        lattice=options["lattice"] or "staggered",
        passes=options["passes"],
        pass_offset=options["pass_offset"],
        min_spacing=options["min_spacing"],
        seed=options["seed"],
    )
    return spots, pattern.achieved_coverage(spots, area), None


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
    modality : {"full-field", "fractional"}
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
        Residual heat each spot leaves in the tissue [J], e.g. from a simulated
        energy ledger. Default: ``residual_heat_fraction`` times the spot
        energy; without it, for full field the blow-off residual
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
    modality = _modality(modality)
    if not (isinstance(spot_diameter, int | float) and math.isfinite(spot_diameter)):
        raise InputError("spot_diameter", spot_diameter, "must be a finite number in m")
    zone = _zone_diameter(modality, spot_diameter, zone_diameter)
    order = order_name(order)
    passes = pattern.check_passes(passes)
    check_spot_fits(area, zone)  # bad input (exit 2) before device refusals (exit 3)
    if device is not None:
        _check_device(device, modality, spot_diameter, zone, passes, overlap, coverage)
    settings = _settings(
        device,
        modality,
        spot_diameter,
        fluence,
        energy,
        repetition_rate,
        scanner_speed,
        pattern_shape,
        pattern_size,
        wavelength,
    )
    heat, heat_model, heat_sources = _residual_heat(
        settings, spot_diameter, heat_per_spot, residual_heat_fraction
    )
    options = {
        "lattice": lattice,
        "passes": passes,
        "pass_offset": pass_offset,
        "seed": seed,
        "min_spacing": min_spacing,
        "edge_tolerance": edge_tolerance,
        "profile": profile,
    }
    spots, covered, raster_map = _lay_spots(area, zone, modality, coverage, overlap, options)
    tiles = tile_ranks(
        spots.x, spots.y, settings.pattern_size, shape=settings.pattern_shape, row=spots.row
    )
    heat_options: dict = {
        "spot_diameter": zone,
        "window": window,
        "source": "surface" if column_depth is None else "line",
        "column_depth": column_depth,
        "time_horizon": time_horizon,
    }

    def evaluate(candidate):
        x, y = spots.x[candidate], spots.y[candidate]
        times = timing.schedule(
            x,
            y,
            tiles[candidate],
            spots.pass_index[candidate],
            repetition_rate=settings.repetition_rate,
            scanner_speed=settings.scanner_speed,
            move_time=move_time,
            pass_setup_time=pass_setup_time,
        )
        return times, heating.heat_figures(x, y, times.t, heat, **heat_options)

    def sequence_of(name, score=None):
        return firing_sequence(
            spots.x,
            spots.y,
            spots.pitch,
            spots.row_spacing,
            order=name,
            tile=tiles,
            passes=spots.pass_index,
            score=score,
            row=spots.row,
            column=spots.column,
        )

    raster = sequence_of("raster")
    raster_times, raster_figures = evaluate(raster)
    if order == "raster":
        sequence, times, figures = raster, raster_times, raster_figures
    else:
        sampled = _scoring_sample(tiles)

        def score(candidate):
            _, sample_figures = evaluate(candidate[sampled[candidate]])
            return sample_figures.min_spacing, sample_figures.peak_rise

        sequence = sequence_of(order, score)
        times, figures = raster_times, raster_figures
        if not np.array_equal(sequence, raster):
            times, figures = evaluate(sequence)
        if order == "heat-aware" and (
            figures.min_spacing < raster_figures.min_spacing
            or figures.peak_rise > raster_figures.peak_rise
        ):
            # scored on a sample, worse on the whole area: the raster order stands
            sequence, times, figures = raster, raster_times, raster_figures
    sources = citations.merge(
        area.citation_keys,
        heating.SOURCES_CITED,
        heat_sources,
        device.citation_keys if device is not None else (),
    )
    return ScanPlan(
        x=spots.x[sequence],
        y=spots.y[sequence],
        t=times.t,
        pass_index=spots.pass_index[sequence],
        tile=tiles[sequence],
        passes=spots.passes,
        area_name=area.name,
        area_cm2=area.area_cm2,
        modality=modality,
        spot_diameter=spot_diameter,
        zone_diameter=zone,
        coverage_percent=covered * PERCENT,
        fluence=settings.fluence,
        energy_per_spot=settings.energy,
        heat_per_spot=heat,
        heat_model=heat_model,
        fluence_min_factor=None if raster_map is None else raster_map.min_factor,
        fluence_max_factor=None if raster_map is None else raster_map.max_factor,
        repetition_rate=settings.repetition_rate,
        scanner_speed=settings.scanner_speed,
        pattern_shape=settings.pattern_shape,
        pattern_size=settings.pattern_size,
        tiles=times.tile_moves + spots.passes,
        firing_seconds=times.firing_seconds,
        moving_seconds=times.moving_seconds,
        setup_seconds=times.setup_seconds,
        treatment_minutes=times.minutes,
        tile_moves=times.tile_moves,
        window=figures.window,
        time_horizon=figures.time_horizon,
        min_spacing_within_window_mm=figures.min_spacing * MM_PER_M,
        max_bulk_temperature_rise_c=figures.peak_rise,
        raster_min_spacing_within_window_mm=raster_figures.min_spacing * MM_PER_M,
        raster_max_bulk_temperature_rise_c=raster_figures.peak_rise,
        order=order,
        device=None if device is None else device.name,
        sources=sources,
        fluence_map=raster_map,
    )


def _scoring_sample(tiles: np.ndarray) -> np.ndarray:
    """Spots of the tiles on which the heat-aware order scores its candidates.

    Every :data:`SCORING_TILE_STRIDE`-th tile in visiting order (all tiles when
    there are few): the candidates are compared on a quarter of the work, and
    the winner is then checked against raster on every spot.
    """
    if tiles.size == 0 or tiles.max() < 2 * SCORING_TILE_STRIDE:
        return np.ones(tiles.size, dtype=bool)
    return tiles % SCORING_TILE_STRIDE == 0


def order_name(name: str) -> str:
    """Return a known order name, or raise InputError listing the known ones."""
    if name not in ORDERS:
        raise InputError("order", name, f"choose one of: {', '.join(ORDERS)}")
    return name


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
