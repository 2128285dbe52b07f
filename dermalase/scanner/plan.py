"""Scan an area: pattern, firing order, timing and bulk heating in one plan.

:func:`scan_area` composes :mod:`~dermalase.scanner.pattern`,
:mod:`~dermalase.scanner.order`, :mod:`~dermalase.scanner.timing` and
:mod:`~dermalase.scanner.heating`; it holds no formula of its own.

Examples
--------
>>> plan = scan_area("glabella", 300e-6, "fractional", coverage=0.10,
...                  repetition_rate=300.0, heat_per_spot=2e-3)
>>> plan.to_dict()["order"]
'heat-aware'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dermalase.exceptions import InputError
from dermalase.scanner import heating, pattern, timing
from dermalase.scanner.areas import CITATION as AREA_CITATION
from dermalase.scanner.areas import MM_PER_M, TreatmentArea, template
from dermalase.scanner.order import ORDERS, firing_sequence, tile_ranks

#: Percent per unit fraction.
PERCENT = 100.0


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
        Scanner tile of each spot (rank in visiting order).
    passes : int
        Number of passes.
    area_name : str
        Name of the area.
    area_cm2 : float
        Treatable area [cm^2].
    modality : str
        ``"full-field"`` or ``"fractional"``.
    spot_diameter : float
        Spot or MTZ diameter [m].
    coverage_percent : float
        Achieved coverage per pass [%] (full field: area cells hit by a spot).
    fluence_min_factor, fluence_max_factor : float or None
        Local fluence range inside the area in single-spot fluences [-] (full field).
    firing_seconds : float
        Time spent firing [s].
    treatment_minutes : float
        Duration with moves and pass setups [min].
    tile_moves : int
        Handpiece moves.
    min_spacing_within_window_mm : float
        Smallest distance between spots fired within the thermal window [mm].
    max_bulk_temperature_rise_c : float
        Peak bulk temperature rise before a spot fires [degC, as a difference].
    order : str
        Firing order.
    sources : tuple of str
        Citation keys relied on.
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
    coverage_percent: float
    fluence_min_factor: float | None
    fluence_max_factor: float | None
    firing_seconds: float
    treatment_minutes: float
    tile_moves: int
    min_spacing_within_window_mm: float
    max_bulk_temperature_rise_c: float
    order: str
    sources: tuple[str, ...]

    @property
    def spots(self) -> int:
        """Number of spots over all passes."""
        return int(self.x.size)

    def to_dict(self) -> dict:
        """Summary for JSON output (infinite spacing becomes ``None``)."""
        spacing = self.min_spacing_within_window_mm
        return {
            "area_cm2": round(self.area_cm2, 2),
            "spots": self.spots,
            "passes": self.passes,
            "coverage_percent": round(self.coverage_percent, 2),
            "fluence_min_factor": self.fluence_min_factor,
            "fluence_max_factor": self.fluence_max_factor,
            "firing_seconds": round(self.firing_seconds, 2),
            "treatment_minutes": round(self.treatment_minutes, 2),
            "min_spacing_within_window_mm": None if math.isinf(spacing) else round(spacing, 4),
            "max_bulk_temperature_rise_c": round(self.max_bulk_temperature_rise_c, 3),
            "order": self.order,
        }


def _full_field(area, spot_diameter, coverage, overlap, options):
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
    single_pass = pattern.Pattern(
        spots.x[spots.pass_index == 0],
        spots.y[spots.pass_index == 0],
        spots.pass_index[spots.pass_index == 0],
        spots.spot_diameter,
        spots.pitch,
        spots.row_spacing,
        spots.lattice,
        spots.modality,
        1,
    )
    raster = pattern.fluence_map(single_pass, area, profile=options["profile"])
    return spots, raster.covered_fraction, raster.min_factor, raster.max_factor


def _fractional(area, spot_diameter, coverage, overlap, options):
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
    return spots, pattern.achieved_coverage(spots, area), None, None


#: Pattern builders by modality: (area, d, coverage, overlap, options) ->
#: (pattern, coverage fraction, fluence min factor, fluence max factor).
MODALITIES = {"full-field": _full_field, "fractional": _fractional}


def scan_area(
    area: TreatmentArea | str,
    spot_diameter: float,
    modality: str,
    *,
    coverage: float | None = None,
    overlap: float | None = None,
    passes: int = 1,
    order: str = "heat-aware",
    lattice: str | None = None,
    profile: str = "top-hat",
    repetition_rate: float,
    scanner_speed: float = 1.0,
    tile_size: float = 12e-3,
    move_time: float = timing.MOVE_TIME,
    pass_setup_time: float = timing.PASS_SETUP_TIME,
    heat_per_spot: float,
    source: str = "surface",
    column_depth: float | None = None,
    window: float | None = None,
    time_horizon: float | None = None,
    pass_offset: float = 0.5,
    min_spacing: float | None = None,
    edge_tolerance: float | None = None,
    seed: int = 0,
) -> ScanPlan:
    """Plan the scan of one treatment area.

    Parameters
    ----------
    area : TreatmentArea or str
        The area, or the name of a built-in template.
    spot_diameter : float
        Spot (full field) or MTZ (fractional) diameter [m].
    modality : {"full-field", "fractional"}
        Treatment modality.
    coverage : float, optional
        Fractional coverage per pass [-], in (0, 1].
    overlap : float, optional
        Full-field overlap, fraction of the diameter [-].
    passes : int
        Number of passes.
    order : {"raster", "interleaved", "heat-aware"}
        Firing order within a tile (see :mod:`dermalase.scanner.order`).
    lattice : str, optional
        ``hexagonal``/``square`` (full field) or ``regular``/``staggered``/``random``
        (fractional); default hexagonal or staggered.
    profile : {"top-hat", "gaussian"}
        Beam profile for the full-field fluence map.
    repetition_rate : float
        Pulse repetition rate [Hz].
    scanner_speed : float
        Beam speed between spots [m/s].
    tile_size : float
        Side of the square scanner pattern [m].
    move_time : float
        Handpiece move between tiles [s].
    pass_setup_time : float
        Setup before each pass [s].
    heat_per_spot : float
        Residual heat each spot leaves in the tissue [J].
    source : {"surface", "line"}
        Heat source model (``line`` for deep fractional columns).
    column_depth : float, optional
        Column depth for the line source [m].
    window : float, optional
        Thermal window of the spacing figure [s]; default the spot's relaxation time.
    time_horizon : float, optional
        Oldest heat counted [s] (see :func:`heating.bulk_temperature_rise`).
    pass_offset : float
        Shift between passes as a fraction of the lattice spacings [-].
    min_spacing : float, optional
        Minimum centre spacing of the random lattice [m].
    edge_tolerance : float, optional
        How far a full-field spot may reach past the area edge [m].
    seed : int
        Seed of the random lattice.

    Returns
    -------
    ScanPlan
    """
    if isinstance(area, str):
        area = template(area)
    try:
        build = MODALITIES[modality]
    except KeyError:
        raise InputError("modality", modality, f"choose one of: {', '.join(MODALITIES)}") from None
    options = {
        "lattice": lattice,
        "passes": passes,
        "pass_offset": pass_offset,
        "seed": seed,
        "min_spacing": min_spacing,
        "edge_tolerance": edge_tolerance,
        "profile": profile,
    }
    spots, covered, fluence_min, fluence_max = build(
        area, spot_diameter, coverage, overlap, options
    )
    tiles = tile_ranks(spots.x, spots.y, tile_size)
    evaluated = {}

    def evaluate(candidate):
        x, y = spots.x[candidate], spots.y[candidate]
        times = timing.schedule(
            x,
            y,
            tiles[candidate],
            spots.pass_index[candidate],
            repetition_rate=repetition_rate,
            scanner_speed=scanner_speed,
            move_time=move_time,
            pass_setup_time=pass_setup_time,
        )
        figures = heating.heat_figures(
            x,
            y,
            times.t,
            heat_per_spot,
            spot_diameter=spot_diameter,
            window=window,
            source=source,
            column_depth=column_depth,
            time_horizon=time_horizon,
        )
        evaluated[id(candidate)] = (candidate, times, figures)
        return figures.min_spacing, figures.peak_rise

    sequence = firing_sequence(
        spots.x,
        spots.y,
        spots.pitch,
        spots.row_spacing,
        order=order_name(order),
        tile_size=tile_size,
        passes=spots.pass_index,
        score=evaluate,
    )
    if id(sequence) not in evaluated:
        evaluate(sequence)
    _, times, figures = evaluated[id(sequence)]
    x, y = spots.x[sequence], spots.y[sequence]
    pass_index, tile = spots.pass_index[sequence], tiles[sequence]
    return ScanPlan(
        x,
        y,
        times.t,
        pass_index,
        tile,
        spots.passes,
        area.name,
        area.area_cm2,
        modality,
        spot_diameter,
        covered * PERCENT,
        fluence_min,
        fluence_max,
        times.firing_seconds,
        times.minutes,
        times.tile_moves,
        figures.min_spacing * MM_PER_M,
        figures.peak_rise,
        order_name(order),
        (AREA_CITATION.key, *heating.SOURCES_CITED),
    )


def order_name(name: str) -> str:
    """Return a known order name, or raise InputError listing the known ones."""
    if name not in ORDERS:
        raise InputError("order", name, f"choose one of: {', '.join(ORDERS)}")
    return name


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
