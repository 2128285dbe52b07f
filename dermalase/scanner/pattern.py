"""Spot patterns: full-field tiling and fractional lattices.

Full field tiles the area with round spots of diameter ``d`` that overlap their
neighbours; fractional places microscopic treatment zones (MTZ) of diameter
``d`` at a chosen coverage. All lengths are SI metres.

Definitions
-----------
overlap
    The fraction of the spot diameter shared by two neighbouring spots in a
    row: the in-row pitch is ``p = d (1 - overlap)``. This is the definition
    that scanner handpieces of Er:YAG devices display (e.g. 10-20 %).
coverage
    The fraction of the area inside MTZ, ``N / A * pi d^2 / 4`` per pass.

Lattice geometry (why there is no gap)
--------------------------------------
The point of the plane farthest from every spot centre of a lattice is a
vertex of its Voronoi diagram, the circumcentre of a Delaunay triangle; round
spots of radius ``r = d/2`` cover the plane exactly when that circumradius is at
most ``r``.

* Square lattice of pitch ``p``: the circumradius is ``p / sqrt(2)``, so the
  spots cover only for ``p <= d / sqrt(2)``, i.e. overlap >= 1 - 1/sqrt(2)
  (29.3 %). A smaller overlap is refused.
* Staggered rows (``hexagonal``), in-row pitch ``p``, row spacing ``h``, odd
  rows shifted by ``p/2``: the Delaunay triangle (0, 0), (p, 0), (p/2, h) has
  circumradius ``(h^2 + p^2/4) / (2 h)``, at most ``r`` for
  ``h <= h_max = (d + sqrt(d^2 - p^2)) / 2``. The row spacing is that of the
  regular hexagonal lattice, ``p sqrt(3)/2``, where this covers (overlap >=
  13.4 %), and ``h_max`` (less 0.1 %) below that, so any overlap in [0, 0.9]
  tiles without a gap.

Examples
--------
>>> from dermalase.scanner.areas import template
>>> pattern = fractional_lattice(template("cheek"), 300e-6, 0.20, lattice="staggered")
>>> abs(achieved_coverage(pattern, template("cheek")) - 0.20) < 0.01
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
import shapely

from dermalase.exceptions import InputError
from dermalase.scanner.areas import TreatmentArea, check_spot_fits

#: Largest full-field overlap accepted [-].
MAX_OVERLAP = 0.9
#: Relative margin kept below the gap-free row spacing of staggered rows [-].
ROW_SPACING_MARGIN = 1e-3
#: Coverage is matched to this many percentage points by adjusting the pitch [-].
COVERAGE_MATCH = 0.0025
#: Gaussian beams are truncated at this many 1/e^2 radii [-] (exp(-8) of the peak).
GAUSSIAN_TRUNCATION = 2.0


@dataclass(frozen=True)
class Pattern:
    """Spot centres of one or more passes, in lattice order.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pass_index : numpy.ndarray
        Pass of each spot (0, 1, ...).
    spot_diameter : float
        Spot or MTZ diameter [m].
    pitch : float
        Spacing of neighbours in a row [m].
    row_spacing : float
        Spacing of rows [m].
    lattice : str
        Lattice name.
    modality : str
        ``"full-field"`` or ``"fractional"``.
    passes : int
        Number of passes.
    """

    x: np.ndarray
    y: np.ndarray
    pass_index: np.ndarray
    spot_diameter: float
    pitch: float
    row_spacing: float
    lattice: str
    modality: str
    passes: int

    @property
    def spots(self) -> int:
        """Number of spots over all passes."""
        return int(self.x.size)

    def spots_per_pass(self) -> np.ndarray:
        """Number of spots in each pass."""
        return np.bincount(self.pass_index, minlength=self.passes)


@dataclass(frozen=True)
class _Lattice:
    pitch: float
    row_spacing: float
    stagger: bool
    jitter: float = 0.0


def _lattice_points(bounds, lattice: _Lattice, offset: tuple[float, float], rng):
    """Centres of a lattice over a bounding box [m], odd rows shifted when staggered."""
    xmin, ymin, xmax, ymax = bounds
    p, h = lattice.pitch, lattice.row_spacing
    rows = np.arange(-1, math.ceil((ymax - ymin) / h) + 2)
    columns = np.arange(-1, math.ceil((xmax - xmin) / p) + 2)
    column_grid, row_grid = np.meshgrid(columns, rows)
    shift = 0.5 * (row_grid % 2) if lattice.stagger else 0.0
    x = xmin + (column_grid + shift) * p + offset[0]
    y = ymin + row_grid * h + offset[1]
    x, y = x.ravel(), y.ravel()
    if lattice.jitter > 0.0:
        radius = lattice.jitter * np.sqrt(rng.random(x.size))
        angle = 2.0 * np.pi * rng.random(x.size)
        x = x + radius * np.cos(angle)
        y = y + radius * np.sin(angle)
    return x, y


def _clip(region, x, y):
    inside = shapely.contains_xy(region, x, y)
    return x[inside], y[inside]


def _pass_offset(lattice: _Lattice, pass_number: int, pass_offset: float):
    fraction = (pass_number * pass_offset) % 1.0
    return fraction * lattice.pitch, fraction * lattice.row_spacing


# --- full field -------------------------------------------------------------------------


def _hexagonal_tiling(spot_diameter: float, overlap: float) -> _Lattice:
    pitch = spot_diameter * (1.0 - overlap)
    gap_free = 0.5 * (spot_diameter + math.sqrt(spot_diameter**2 - pitch**2))
    row_spacing = min(pitch * math.sqrt(3.0) / 2.0, gap_free * (1.0 - ROW_SPACING_MARGIN))
    return _Lattice(pitch, row_spacing, stagger=True)


def _square_tiling(spot_diameter: float, overlap: float) -> _Lattice:
    pitch = spot_diameter * (1.0 - overlap)
    if pitch > spot_diameter / math.sqrt(2.0) * (1.0 + 1e-12):
        raise InputError(
            "overlap",
            f"{overlap:.1%}",
            "a square lattice of round spots leaves gaps unless the pitch is <= d/sqrt(2), "
            f"i.e. overlap >= {1.0 - 1.0 / math.sqrt(2.0):.1%}; use the hexagonal lattice",
        )
    return _Lattice(pitch, pitch, stagger=False)


#: Full-field lattices by name: spot diameter [m], overlap [-] -> lattice.
TILINGS = {"hexagonal": _hexagonal_tiling, "square": _square_tiling}


def full_field_lattice(
    area: TreatmentArea,
    spot_diameter: float,
    overlap: float,
    *,
    lattice: str = "hexagonal",
    passes: int = 1,
    pass_offset: float = 0.5,
    edge_tolerance: float | None = None,
) -> Pattern:
    """Tile an area with overlapping round spots, without gaps.

    Parameters
    ----------
    area : TreatmentArea
        The area; spots avoid its exclusions.
    spot_diameter : float
        Spot diameter [m].
    overlap : float
        Fraction of the diameter shared by neighbours in a row [-], 0 to 0.9.
    lattice : {"hexagonal", "square"}
        Staggered rows or a square grid (see the module notes on gaps).
    passes : int
        Number of passes.
    pass_offset : float
        Shift of each pass along both lattice axes, as a fraction of the pitch and
        of the row spacing [-].
    edge_tolerance : float, optional
        How far a spot disk may reach beyond the area edge or into an exclusion
        [m], 0 to the spot radius; default the radius (every centre lies inside
        the area, which is what leaves no gap deeper than one radius in).

    Returns
    -------
    Pattern

    Raises
    ------
    InputError
        For an overlap out of range, an unknown lattice, a square lattice that
        would leave gaps, a spot that does not fit, or a tolerance out of range.
    """
    check_spot_fits(area, spot_diameter)
    if not 0.0 <= overlap <= MAX_OVERLAP:
        raise InputError("overlap", f"{overlap:.1%}", f"must be between 0 and {MAX_OVERLAP:.0%}")
    build = _lookup(TILINGS, lattice, "lattice")
    radius = 0.5 * spot_diameter
    tolerance = radius if edge_tolerance is None else edge_tolerance
    if not 0.0 <= tolerance <= radius:
        raise InputError("edge_tolerance", tolerance, f"must be between 0 and {radius:g} m")
    geometry = build(spot_diameter, overlap)
    shrink = radius - tolerance
    region = area.polygon_si.buffer(-shrink) if shrink > 0.0 else area.polygon_si
    xs, ys, index = [], [], []
    for number in range(_check_passes(passes)):
        offset = _pass_offset(geometry, number, pass_offset)
        x, y = _clip(region, *_lattice_points(area.bounds_si, geometry, offset, None))
        xs.append(x)
        ys.append(y)
        index.append(np.full(x.size, number, dtype=np.int32))
    pattern = Pattern(
        np.concatenate(xs),
        np.concatenate(ys),
        np.concatenate(index),
        spot_diameter,
        geometry.pitch,
        geometry.row_spacing,
        lattice,
        "full-field",
        passes,
    )
    if pattern.spots == 0:
        raise InputError("spot_diameter", spot_diameter, "no spot fits inside the area")
    return pattern


# --- fractional ---------------------------------------------------------------------------


def _regular(density: float, spot_diameter: float, min_spacing: float | None) -> _Lattice:
    pitch = 1.0 / math.sqrt(density)
    return _Lattice(pitch, pitch, stagger=False)


def _staggered(density: float, spot_diameter: float, min_spacing: float | None) -> _Lattice:
    pitch = math.sqrt(2.0 / (math.sqrt(3.0) * density))
    return _Lattice(pitch, pitch * math.sqrt(3.0) / 2.0, stagger=True)


def _random(density: float, spot_diameter: float, min_spacing: float | None) -> _Lattice:
    base = _staggered(density, spot_diameter, None)
    spacing = min(spot_diameter, 0.75 * base.pitch) if min_spacing is None else min_spacing
    if not 0.0 < spacing <= base.pitch:
        raise InputError(
            "min_spacing",
            f"{spacing * 1e3:g} mm",
            f"must be > 0 and <= the lattice pitch at this coverage ({base.pitch * 1e3:.3g} mm)",
        )
    return _Lattice(base.pitch, base.row_spacing, stagger=True, jitter=0.5 * (base.pitch - spacing))


#: Fractional lattices by name: density [1/m^2], MTZ diameter [m], minimum
#: spacing [m] or None -> lattice. ``random`` is a staggered lattice whose points
#: are jittered uniformly within a disk of radius (pitch - min_spacing)/2, so no
#: two centres are closer than the minimum spacing (a jittered grid; O(N)).
LATTICES = {"regular": _regular, "staggered": _staggered, "random": _random}


def fractional_lattice(
    area: TreatmentArea,
    spot_diameter: float,
    coverage: float,
    *,
    lattice: str = "staggered",
    passes: int = 1,
    pass_offset: float = 0.5,
    min_spacing: float | None = None,
    seed: int = 0,
) -> Pattern:
    """Place MTZ centres inside an area at a chosen coverage.

    The pitch is first set from the density ``coverage / (pi d^2 / 4)``, then
    rescaled (a few iterations of ``p <- p sqrt(N / N_target)``) until the clipped
    count matches the coverage within 0.25 percentage point where the lattice
    allows it.

    Parameters
    ----------
    area : TreatmentArea
        The area; centres avoid its exclusions.
    spot_diameter : float
        MTZ diameter [m].
    coverage : float
        Fraction of the area inside MTZ per pass [-], in (0, 1].
    lattice : {"regular", "staggered", "random"}
        Square grid, hexagonal (staggered rows), or jittered hexagonal.
    passes : int
        Number of passes.
    pass_offset : float
        Shift of each pass along both lattice axes, as a fraction of the pitch
        and of the row spacing [-]; random passes also draw new jitter.
    min_spacing : float, optional
        Smallest centre-to-centre distance of the ``random`` lattice [m]; default
        the MTZ diameter (columns never merge), capped at 3/4 of the pitch so
        that the pattern keeps some randomness at high coverage.
    seed : int
        Seed of the random jitter.

    Returns
    -------
    Pattern

    Raises
    ------
    InputError
        For a coverage outside (0, 1], an unknown lattice, a spot that does not
        fit, or a minimum spacing larger than the pitch.
    """
    check_spot_fits(area, spot_diameter)
    if not 0.0 < coverage <= 1.0:
        raise InputError("coverage", f"{coverage:.4g}", "must be > 0 and <= 1 (0-100 %)")
    build = _lookup(LATTICES, lattice, "lattice")
    spot_area = 0.25 * math.pi * spot_diameter**2
    target = coverage * area.area_m2 / spot_area
    geometry = build(coverage / spot_area, spot_diameter, min_spacing)
    region = area.polygon_si
    xs, ys, index = [], [], []
    for number in range(_check_passes(passes)):
        x, y = _matched_pass(
            area, region, geometry, target, area.area_m2 / spot_area, number, pass_offset, seed
        )
        xs.append(x)
        ys.append(y)
        index.append(np.full(x.size, number, dtype=np.int32))
    return Pattern(
        np.concatenate(xs),
        np.concatenate(ys),
        np.concatenate(index),
        spot_diameter,
        geometry.pitch,
        geometry.row_spacing,
        lattice,
        "fractional",
        passes,
    )


def _matched_pass(area, region, geometry, target, spots_per_area, number, pass_offset, seed):
    """One pass whose clipped count is closest to the target, by rescaling the lattice.

    ``spots_per_area`` is the area over one MTZ area, so one percentage point of
    coverage is ``0.01 * spots_per_area`` spots.
    """
    tolerance = max(COVERAGE_MATCH * spots_per_area, 0.5)
    best = None
    scale = 1.0
    for _ in range(12):
        trial = _Lattice(
            geometry.pitch * scale,
            geometry.row_spacing * scale,
            geometry.stagger,
            geometry.jitter * scale,
        )
        rng = np.random.default_rng([seed, number])
        offset = _pass_offset(trial, number, pass_offset)
        x, y = _clip(region, *_lattice_points(area.bounds_si, trial, offset, rng))
        if best is None or abs(x.size - target) < abs(best[0].size - target):
            best = (x, y)
        if abs(x.size - target) <= tolerance or x.size == 0:
            break
        scale *= math.sqrt(x.size / target)
    return best


def achieved_coverage(pattern: Pattern, area: TreatmentArea) -> float:
    """Mean coverage per pass, ``N a / (passes A)`` with ``a = pi d^2/4`` [-]."""
    spot_area = 0.25 * math.pi * pattern.spot_diameter**2
    return pattern.spots * spot_area / (pattern.passes * area.area_m2)


# --- fluence map --------------------------------------------------------------------------


@numba.njit(cache=True)
def _deposit(values, x, y, x0, y0, cell, radius, gaussian):  # pragma: no cover - compiled
    """Add each spot's fluence, in multiples of the mean single-spot fluence, to a raster."""
    ny, nx = values.shape
    reach = radius * (2.0 if gaussian else 1.0)
    reach2 = reach * reach
    for k in range(x.size):
        i0 = max(math.floor((y[k] - reach - y0) / cell - 0.5), 0)
        i1 = min(math.ceil((y[k] + reach - y0) / cell - 0.5), ny - 1)
        j0 = max(math.floor((x[k] - reach - x0) / cell - 0.5), 0)
        j1 = min(math.ceil((x[k] + reach - x0) / cell - 0.5), nx - 1)
        for i in range(i0, i1 + 1):
            dy = y0 + (i + 0.5) * cell - y[k]
            for j in range(j0, j1 + 1):
                dx = x0 + (j + 0.5) * cell - x[k]
                r2 = dx * dx + dy * dy
                if r2 <= reach2:
                    if gaussian:
                        values[i, j] += 2.0 * math.exp(-2.0 * r2 / (radius * radius))
                    else:
                        values[i, j] += 1.0


#: Beam profiles: whether the profile is Gaussian (1/e^2 diameter = spot
#: diameter, peak twice the mean fluence) rather than top-hat (uniform).
PROFILES = {"top-hat": False, "gaussian": True}


@dataclass(frozen=True)
class FluenceMap:
    """Local fluence from superposed spots on a raster.

    Parameters
    ----------
    values : numpy.ndarray
        Fluence in multiples of the mean single-spot fluence [-], shape (ny, nx).
    hits : numpy.ndarray
        Number of spot disks covering each cell [-] (top-hat count).
    inside : numpy.ndarray
        Cell centre inside the area (exclusions removed).
    interior : numpy.ndarray
        Cell centre at least one spot radius inside the area edges.
    x0, y0 : float
        Lower-left corner of the raster [m].
    cell_size : float
        Cell side [m].
    profile : str
        Beam profile.
    """

    values: np.ndarray
    hits: np.ndarray
    inside: np.ndarray
    interior: np.ndarray
    x0: float
    y0: float
    cell_size: float
    profile: str

    @property
    def min_factor(self) -> float:
        """Smallest local fluence in the interior, in single-spot fluences [-]."""
        return float(self.values[self.interior].min()) if self.interior.any() else math.nan

    @property
    def max_factor(self) -> float:
        """Largest local fluence in the interior, in single-spot fluences [-]."""
        return float(self.values[self.interior].max()) if self.interior.any() else math.nan

    @property
    def covered_fraction(self) -> float:
        """Fraction of the area's cells hit by at least one spot disk [-]."""
        return float((self.hits[self.inside] > 0).mean()) if self.inside.any() else math.nan

    @property
    def interior_gap_fraction(self) -> float:
        """Fraction of interior cells hit by no spot disk [-]."""
        return float((self.hits[self.interior] == 0).mean()) if self.interior.any() else math.nan

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """Raster extent ``(xmin, xmax, ymin, ymax)`` [m]."""
        ny, nx = self.values.shape
        return (self.x0, self.x0 + nx * self.cell_size, self.y0, self.y0 + ny * self.cell_size)


def fluence_map(
    pattern: Pattern,
    area: TreatmentArea,
    *,
    profile: str = "top-hat",
    cell_size: float | None = None,
    max_cells: int = 20_000_000,
) -> FluenceMap:
    """Superpose the spots of all passes on a raster.

    Parameters
    ----------
    pattern : Pattern
        Spots to superpose.
    area : TreatmentArea
        The area, for the inside and interior masks.
    profile : {"top-hat", "gaussian"}
        Beam profile; a Gaussian has its 1/e^2 diameter equal to the spot
        diameter and is truncated at twice its 1/e^2 radius.
    cell_size : float, optional
        Raster cell side [m]; default ``min(0.1 mm, d/20)``, enlarged when the
        raster would exceed ``max_cells``.
    max_cells : int
        Largest raster allowed.

    Returns
    -------
    FluenceMap
    """
    gaussian = _lookup(PROFILES, profile, "profile")
    radius = 0.5 * pattern.spot_diameter
    xmin, ymin, xmax, ymax = area.bounds_si
    margin = 2.0 * radius
    xmin, ymin, xmax, ymax = xmin - margin, ymin - margin, xmax + margin, ymax + margin
    cell = min(1e-4, pattern.spot_diameter / 20.0) if cell_size is None else cell_size
    cell = max(cell, math.sqrt((xmax - xmin) * (ymax - ymin) / max_cells))
    nx, ny = math.ceil((xmax - xmin) / cell), math.ceil((ymax - ymin) / cell)
    hits = np.zeros((ny, nx))
    _deposit(hits, pattern.x, pattern.y, xmin, ymin, cell, radius, False)
    values = hits
    if gaussian:
        values = np.zeros((ny, nx))
        _deposit(values, pattern.x, pattern.y, xmin, ymin, cell, radius, True)
    cx = xmin + (np.arange(nx) + 0.5) * cell
    cy = ymin + (np.arange(ny) + 0.5) * cell
    grid_x, grid_y = np.meshgrid(cx, cy)
    polygon = area.polygon_si
    inside = shapely.contains_xy(polygon, grid_x, grid_y)
    interior = shapely.contains_xy(polygon.buffer(-radius), grid_x, grid_y)
    return FluenceMap(values, hits, inside, interior, xmin, ymin, cell, profile)


# --- shared checks ------------------------------------------------------------------------


def _check_passes(passes: int) -> int:
    if int(passes) != passes or passes < 1:
        raise InputError("passes", passes, "must be a whole number >= 1")
    return int(passes)


def _lookup(registry: dict, name: str, field: str):
    try:
        return registry[name]
    except KeyError:
        raise InputError(field, name, f"choose one of: {', '.join(registry)}") from None
