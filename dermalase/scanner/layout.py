"""Lay the zones over a treatment area and count the coverage they achieve.

Full field tiles the area with spots at an overlap and maps the local fluence
of one pass; fractional lays a lattice of microscopic treatment zones at a
coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

from dermalase.exceptions import InputError
from dermalase.scanner.areas import TreatmentArea
from dermalase.scanner.pattern import (
    FluenceMap,
    Pattern,
    achieved_coverage,
    fluence_map,
    fractional_lattice,
    full_field_lattice,
)


@dataclass(frozen=True)
class Layout:
    """The zones laid over an area, before any firing order.

    Parameters
    ----------
    pattern : Pattern
        Zone centres of all passes (:class:`~dermalase.scanner.pattern.Pattern`).
    covered_fraction : float
        Achieved coverage per pass [-]; full field: area cells hit by a spot.
    fluence_map : FluenceMap or None
        The full-field fluence raster of one pass (None for fractional).
    """

    pattern: Pattern
    covered_fraction: float
    fluence_map: FluenceMap | None


def lay_zones(
    area: TreatmentArea,
    zone_diameter: float,
    modality: str,
    coverage: float | None,
    overlap: float | None,
    *,
    lattice: str | None,
    passes: int,
    pass_offset: float,
    min_spacing: float | None,
    seed: int,
    edge_tolerance: float,
    profile: str,
) -> Layout:
    """Lay the zones of every pass and count the coverage of one.

    Parameters
    ----------
    area : TreatmentArea
        The area.
    zone_diameter : float
        Diameter of the zone each spot treats [m].
    modality : {"full_field", "fractional"}
        Full field takes an ``overlap``, fractional a ``coverage``.
    coverage, overlap : float or None
        Fractional coverage per pass [-]; full-field overlap, fraction of the
        diameter [-].
    lattice : str or None
        Lattice name; default hexagonal (full field) or staggered (fractional).
    passes : int
        Number of passes.
    pass_offset : float
        Shift between passes as a fraction of the lattice spacings [-].
    min_spacing : float or None
        Minimum centre spacing of the random lattice [m].
    seed : int
        Seed of the random lattice.
    edge_tolerance : float
        How far a full-field spot may reach past the area edge [m].
    profile : {"top-hat", "gaussian"}
        Beam profile for the full-field fluence map.

    Returns
    -------
    Layout
    """
    if modality == "full_field":
        if overlap is None or coverage is not None:
            raise InputError(
                "overlap",
                overlap,
                "full field takes an overlap (fraction of the diameter), no coverage",
            )
        spots = full_field_lattice(
            area,
            zone_diameter,
            overlap,
            lattice=lattice or "hexagonal",
            passes=passes,
            pass_offset=pass_offset,
            edge_tolerance=edge_tolerance,
        )
        raster = fluence_map(
            spots.first_pass(), area, profile=profile, edge_tolerance=edge_tolerance
        )
        return Layout(spots, raster.covered_fraction, raster)
    if coverage is None or overlap is not None:
        raise InputError("coverage", coverage, "fractional takes a coverage (0-1), no overlap")
    spots = fractional_lattice(
        area,
        zone_diameter,
        coverage,
        lattice=lattice or "staggered",
        passes=passes,
        pass_offset=pass_offset,
        min_spacing=min_spacing,
        seed=seed,
    )
    return Layout(spots, achieved_coverage(spots, area), None)
