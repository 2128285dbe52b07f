"""Spot patterns: full-field tiling and fractional lattices.

Full field tiles the area with round spots of diameter ``d`` that overlap their
neighbours; fractional places microscopic treatment zones (MTZ) of diameter
``d`` at a chosen coverage. All lengths are SI metres. Every spot lies wholly
inside the area: its disk reaches neither past the outline nor into an
exclusion (eyes, brows, lips, nostrils), unless a full-field ``edge_tolerance``
lets it.

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
spots of radius ``r = d/2`` cover the plane exactly when that circumradius (the
covering radius ``R``) is at most ``r``.

* Square lattice of pitch ``p``: ``R = p / sqrt(2)``, so the spots cover only
  for ``p <= d / sqrt(2)``, i.e. overlap >= 1 - 1/sqrt(2) (29.3 %). A smaller
  overlap is refused.
* Staggered rows (``hexagonal``), in-row pitch ``p``, row spacing ``h``, odd
  rows shifted by ``p/2``: the Delaunay triangle (0, 0), (p, 0), (p/2, h) has
  circumradius ``(h^2 + p^2/4) / (2 h)``, at most ``r`` for
  ``h_min <= h <= h_max`` with ``h_min, h_max = (d -+ sqrt(d^2 - p^2)) / 2``. The
  row spacing is that of the regular hexagonal lattice, ``p sqrt(3)/2``, where
  this covers (overlap >= 13.4 %), and below that ``h_max`` less 0.1 % of
  ``h_max - h_min`` (at 0 % overlap both are ``r``, and the spots just touch at
  single points), so any overlap in [0, 0.9] tiles without a gap.

Near the edges: spot centres are kept at least ``r - t`` inside the area
(``t`` the edge tolerance, 0 by default), so every point at least
``r - t + R <= 2 r - t`` inside is covered (the lattice point nearest to it is
within ``R`` and so itself far enough inside to be kept). That band is the
*interior* over which the fluence map reports its minimum and maximum; the
strip along the edges is covered only in part, as with any round spot that
must not cross the edge.

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
#: Margin kept below the largest gap-free row spacing of staggered rows, as a
#: fraction of the range of gap-free row spacings [-].
ROW_SPACING_MARGIN = 1e-3
#: Coverage is matched to this fraction (0.25 percentage point) by adjusting the pitch [-].
COVERAGE_MATCH = 0.0025
#: Largest accepted difference between achieved and requested coverage per pass
#: (one percentage point) [-].
COVERAGE_TOLERANCE = 0.01
#: Gaussian beams are truncated at this many 1/e^2 radii [-] (exp(-8) of the peak).
GAUSSIAN_TRUNCATION = 2.0
#: Cell side of the fractional coverage map [m].
COVERAGE_CELL = 1e-3


@dataclass(frozen=True)
class Pattern:
    """Spot centres of one or more passes, in lattice order.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pass_index : numpy.ndarray
        Pass of each spot (0, 1, ...).
    row, column : numpy.ndarray
        Integer lattice row and column of each spot within its pass (before any
        random jitter); the firing orders sort on them.
    spot_diameter : float
        Spot or MTZ diameter [m].
    pitch : float
        Spacing of neighbours in a row [m].
    row_spacing : float
        Spacing of rows [m].
    lattice : str
        Lattice name.
    modality : str
        ``"full_field"`` or ``"fractional"``.
    passes : int
        Number of passes.
    """

    x: np.ndarray
    y: np.ndarray
    pass_index: np.ndarray
    row: np.ndarray
    column: np.ndarray
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

    def first_pass(self) -> Pattern:
        """The spots of the first pass only, as a one-pass pattern."""
        keep = self.pass_index == 0
        return Pattern(
            self.x[keep],
            self.y[keep],
            self.pass_index[keep],
            self.row[keep],
            self.column[keep],
            self.spot_diameter,
            self.pitch,
            self.row_spacing,
            self.lattice,
            self.modality,
            1,
        )


@dataclass(frozen=True)
class _Lattice:
    pitch: float
    row_spacing: float
    stagger: bool
    min_spacing: float = 0.0  # > 0: jitter each point within (pitch - min_spacing) / 2

    def scaled(self, scale: float) -> _Lattice:
        """The same lattice with both spacings scaled; the minimum spacing is kept."""
        return _Lattice(
            self.pitch * scale, self.row_spacing * scale, self.stagger, self.min_spacing
        )

    @property
    def jitter(self) -> float:
        """Radius of the random displacement of each point [m]."""
        return 0.5 * (self.pitch - self.min_spacing) if self.min_spacing > 0.0 else 0.0


def _lattice_points(bounds, lattice: _Lattice, offset: tuple[float, float], rng):
    """Centres, rows and columns of a lattice over a bounding box [m]."""
    xmin, ymin, xmax, ymax = bounds
    p, h = lattice.pitch, lattice.row_spacing
    rows = np.arange(-1, math.ceil((ymax - ymin) / h) + 2)
    columns = np.arange(-1, math.ceil((xmax - xmin) / p) + 2)
    column_grid, row_grid = np.meshgrid(columns, rows)
    shift = 0.5 * (row_grid % 2) if lattice.stagger else 0.0
    x = (xmin + (column_grid + shift) * p + offset[0]).ravel()
    y = (ymin + row_grid * h + offset[1]).ravel()
    if lattice.jitter > 0.0:
        radius = lattice.jitter * np.sqrt(rng.random(x.size))
        angle = 2.0 * np.pi * rng.random(x.size)
        x = x + radius * np.cos(angle)
        y = y + radius * np.sin(angle)
    return x, y, row_grid.ravel(), column_grid.ravel()


def _contains(geometry, x, y) -> np.ndarray:
    """Whether each point lies strictly inside a geometry."""
    return shapely.contains_xy(geometry, x, y)


def _clip(region, x, y, row, column):
    inside = _contains(region, x, y)
    return x[inside], y[inside], row[inside], column[inside]


def _pass_offset(lattice: _Lattice, pass_number: int, pass_offset: float):
    fraction = (pass_number * pass_offset) % 1.0
    return fraction * lattice.pitch, fraction * lattice.row_spacing


def _centre_region(area: TreatmentArea, inset: float):
    """Where spot centres may lie: the area shrunk by ``inset`` [m] (None when nothing is left)."""
    region = area.polygon_si.buffer(-inset) if inset > 0.0 else area.polygon_si
    return None if region.is_empty else region


def _assemble(parts, spot_diameter, lattice: _Lattice, name, modality, passes) -> Pattern:
    x, y, row, column, index = (np.concatenate(values) for values in zip(*parts, strict=True))
    return Pattern(
        x,
        y,
        index,
        row.astype(np.int64),
        column.astype(np.int64),
        spot_diameter,
        lattice.pitch,
        lattice.row_spacing,
        name,
        modality,
        passes,
    )


# --- full field -------------------------------------------------------------------------


def _hexagonal_tiling(spot_diameter: float, overlap: float) -> _Lattice:
    pitch = spot_diameter * (1.0 - overlap)
    half_chord = 0.5 * math.sqrt(max(spot_diameter**2 - pitch**2, 0.0))
    highest = 0.5 * spot_diameter + half_chord  # h_max; h_min is r - half_chord
    row_spacing = min(pitch * math.sqrt(3.0) / 2.0, highest - ROW_SPACING_MARGIN * 2.0 * half_chord)
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


def covering_radius(pitch: float, row_spacing: float, stagger: bool) -> float:
    """Largest distance from a point of the plane to the nearest lattice point [m].

    Parameters
    ----------
    pitch, row_spacing : float
        In-row and row spacing [m].
    stagger : bool
        Whether odd rows are shifted by half a pitch.

    Returns
    -------
    float
        ``sqrt(p^2 + h^2) / 2`` for a rectangular lattice, ``(h^2 + p^2/4) / (2 h)``
        for staggered rows (circumradius of the Delaunay triangle; module notes).
    """
    if stagger:
        return (row_spacing**2 + 0.25 * pitch**2) / (2.0 * row_spacing)
    return 0.5 * math.hypot(pitch, row_spacing)


def full_field_lattice(
    area: TreatmentArea,
    spot_diameter: float,
    overlap: float,
    *,
    lattice: str = "hexagonal",
    passes: int = 1,
    pass_offset: float = 0.5,
    edge_tolerance: float = 0.0,
) -> Pattern:
    """Tile an area with overlapping round spots, without gaps in its interior.

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
    edge_tolerance : float
        How far a spot disk may reach past the area outline or into an exclusion
        [m], 0 (the default: every disk wholly inside) to the spot radius (every
        centre inside).

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
    if not 0.0 <= edge_tolerance <= radius:
        raise InputError("edge_tolerance", edge_tolerance, f"must be between 0 and {radius:g} m")
    geometry = build(spot_diameter, overlap)
    region = _centre_region(area, radius - edge_tolerance)
    parts = []
    for number in range(check_passes(passes)):
        offset = _pass_offset(geometry, number, pass_offset)
        points = _lattice_points(area.bounds_si, geometry, offset, None)
        clipped = _clip(region, *points) if region is not None else [p[:0] for p in points]
        parts.append((*clipped, np.full(clipped[0].size, number, dtype=np.int32)))
    pattern = _assemble(parts, spot_diameter, geometry, lattice, "full_field", passes)
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
    return _Lattice(base.pitch, base.row_spacing, stagger=True, min_spacing=spacing)


#: Fractional lattices by name: density [1/m^2], MTZ diameter [m], minimum
#: spacing [m] or None -> lattice. ``random`` is a staggered lattice whose points
#: are displaced uniformly within a disk of radius (pitch - min_spacing)/2; lattice
#: neighbours are a pitch apart, so no two centres come closer than the minimum
#: spacing (a jittered lattice, O(N) in time and memory).
LATTICES = {"regular": _regular, "staggered": _staggered, "random": _random}


def fractional_lattice(
    area: TreatmentArea,
    zone_diameter: float,
    coverage: float,
    *,
    lattice: str = "staggered",
    passes: int = 1,
    pass_offset: float = 0.5,
    min_spacing: float | None = None,
    seed: int = 0,
) -> Pattern:
    """Place MTZ inside an area at a chosen coverage.

    The pitch is first set from the density ``coverage / (pi d^2 / 4)``, then
    rescaled (a few iterations of ``p <- p sqrt(N / N_target)``) until the clipped
    count matches the coverage within 0.25 percentage point where the lattice
    allows it. Every MTZ disk lies wholly inside the area.

    Parameters
    ----------
    area : TreatmentArea
        The area; MTZ avoid its exclusions.
    zone_diameter : float
        Diameter of the treatment zone each microbeam leaves (MTZ: column
        plus coagulation sleeve) [m]; the microbeam itself is narrower.
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
        fit, a minimum spacing larger than the pitch, or an area too small to
        reach the coverage within one percentage point.
    """
    check_spot_fits(area, zone_diameter)
    if not (math.isfinite(coverage) and 0.0 < coverage <= 1.0):
        raise InputError("coverage", f"{coverage:.4g}", "must be > 0 and <= 1 (0-100 %)")
    build = _lookup(LATTICES, lattice, "lattice")
    spot_area = 0.25 * math.pi * zone_diameter**2
    spots_per_area = area.area_m2 / spot_area
    geometry = build(coverage / spot_area, zone_diameter, min_spacing)
    region = _centre_region(area, 0.5 * zone_diameter)
    parts = []
    for number in range(check_passes(passes)):
        points = _matched_pass(
            area,
            region,
            geometry,
            coverage * spots_per_area,
            spots_per_area,
            number,
            pass_offset,
            seed,
        )
        achieved = points[0].size / spots_per_area
        if abs(achieved - coverage) > COVERAGE_TOLERANCE:
            raise InputError(
                "coverage",
                f"{coverage:.1%}",
                f"cannot be reached in the area {area.name!r} with {zone_diameter * 1e6:g} um "
                f"MTZ kept inside it (pass {number + 1} reaches {achieved:.1%})",
            )
        parts.append((*points, np.full(points[0].size, number, dtype=np.int32)))
    return _assemble(parts, zone_diameter, geometry, lattice, "fractional", passes)


def _matched_pass(area, region, geometry, target, spots_per_area, number, pass_offset, seed):
    """One pass whose clipped count is closest to the target, by rescaling the lattice.

    ``spots_per_area`` is the area over one MTZ area, so one percentage point of
    coverage is ``0.01 * spots_per_area`` spots. A random lattice is never
    shrunk below its minimum spacing.
    """
    if region is None:
        return tuple(np.zeros(0) for _ in range(4))
    tolerance = max(COVERAGE_MATCH * spots_per_area, 0.5)
    smallest = geometry.min_spacing / geometry.pitch
    best = None
    scale = 1.0
    for _ in range(12):
        trial = geometry.scaled(scale)
        rng = np.random.default_rng([seed, number])
        offset = _pass_offset(trial, number, pass_offset)
        points = _clip(region, *_lattice_points(area.bounds_si, trial, offset, rng))
        count = points[0].size
        if best is None or abs(count - target) < abs(best[0].size - target):
            best = points
        if abs(count - target) <= tolerance or count == 0:
            break
        scale = max(scale * math.sqrt(count / target), smallest)
    return best


def achieved_coverage(pattern: Pattern, area: TreatmentArea) -> float:
    """Mean coverage per pass, ``N a / (passes A)`` with ``a = pi d^2/4`` [-]."""
    spot_area = 0.25 * math.pi * pattern.spot_diameter**2
    return pattern.spots * spot_area / (pattern.passes * area.area_m2)


# --- fluence and coverage maps ------------------------------------------------------------


@numba.njit(cache=True)
def _deposit(values, x, y, x0, y0, cell, radius, gaussian):  # pragma: no cover - compiled
    """Add each spot's fluence, in multiples of the mean single-spot fluence, to a raster."""
    ny, nx = values.shape
    reach = radius * (GAUSSIAN_TRUNCATION if gaussian else 1.0)
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
    """Local fluence (full field) or coverage (fractional) on a raster.

    Parameters
    ----------
    values : numpy.ndarray
        Full field: fluence in multiples of the mean single-spot fluence [-];
        fractional: fraction of each cell inside MTZ [-]. Shape (ny, nx).
    hits : numpy.ndarray
        Full field: number of spot disks covering each cell [-] (top-hat count);
        fractional: MTZ centres per cell [-].
    inside : numpy.ndarray
        Cell centre inside the area (exclusions removed).
    interior : numpy.ndarray
        Cell centre in the band where the tiling guarantees no gap (module notes).
    x0, y0 : float
        Lower-left corner of the raster [m].
    cell_size : float
        Cell side [m].
    profile : str
        Beam profile, or ``"coverage"`` for a fractional coverage map.
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
        """Smallest value in the interior (single-spot fluences or coverage) [-]."""
        return float(self.values[self.interior].min()) if self.interior.any() else math.nan

    @property
    def max_factor(self) -> float:
        """Largest value in the interior (single-spot fluences or coverage) [-]."""
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


def _raster(area: TreatmentArea, margin: float, cell: float, max_cells: int):
    xmin, ymin, xmax, ymax = area.bounds_si
    xmin, ymin, xmax, ymax = xmin - margin, ymin - margin, xmax + margin, ymax + margin
    cell = max(cell, math.sqrt((xmax - xmin) * (ymax - ymin) / max_cells))
    nx, ny = math.ceil((xmax - xmin) / cell), math.ceil((ymax - ymin) / cell)
    centre_x = xmin + (np.arange(nx) + 0.5) * cell
    centre_y = ymin + (np.arange(ny) + 0.5) * cell
    grid_x, grid_y = np.meshgrid(centre_x, centre_y)
    return xmin, ymin, cell, grid_x, grid_y


def fluence_map(
    pattern: Pattern,
    area: TreatmentArea,
    *,
    profile: str = "top-hat",
    cell_size: float | None = None,
    max_cells: int = 20_000_000,
    edge_tolerance: float = 0.0,
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
    edge_tolerance : float
        The tolerance the pattern was laid with [m] (see
        :func:`full_field_lattice`); it sets the interior band.

    Returns
    -------
    FluenceMap
        Values in multiples of the mean single-spot fluence; multiply by the
        fluence per pulse [J/m^2] to get the local fluence.
    """
    gaussian = _lookup(PROFILES, profile, "profile")
    radius = 0.5 * pattern.spot_diameter
    cell = min(1e-4, pattern.spot_diameter / 20.0) if cell_size is None else cell_size
    x0, y0, cell, grid_x, grid_y = _raster(area, 2.0 * radius, cell, max_cells)
    hits = np.zeros(grid_x.shape)
    _deposit(hits, pattern.x, pattern.y, x0, y0, cell, radius, False)
    values = hits
    if gaussian:
        values = np.zeros(grid_x.shape)
        _deposit(values, pattern.x, pattern.y, x0, y0, cell, radius, True)
    polygon = area.polygon_si
    inside = _contains(polygon, grid_x, grid_y)
    band = (radius - edge_tolerance) + radius
    interior = _contains(polygon.buffer(-band), grid_x, grid_y)
    return FluenceMap(values, hits, inside, interior, x0, y0, cell, profile)


def coverage_map(
    x: np.ndarray,
    y: np.ndarray,
    spot_diameter: float,
    area: TreatmentArea,
    *,
    cell_size: float = COVERAGE_CELL,
) -> FluenceMap:
    """Local coverage of fractional MTZ: MTZ area per cell area, all passes together.

    Parameters
    ----------
    x, y : numpy.ndarray
        MTZ centres [m].
    spot_diameter : float
        MTZ diameter [m].
    area : TreatmentArea
        The area, for the inside mask.
    cell_size : float
        Cell side [m]; it should hold several MTZ.

    Returns
    -------
    FluenceMap
        ``values`` is ``N_cell pi d^2 / 4 / cell^2`` [-], ``profile`` is ``"coverage"``,
        and the interior is every cell inside the area.
    """
    if not cell_size > 0.0:
        raise InputError("cell_size", cell_size, "must be > 0 m")
    x0, y0, cell, grid_x, grid_y = _raster(area, 0.0, cell_size, 20_000_000)
    ny, nx = grid_x.shape
    counts, _, _ = np.histogram2d(
        y,
        x,
        bins=(ny, nx),
        range=((y0, y0 + ny * cell), (x0, x0 + nx * cell)),
    )
    values = counts * (0.25 * math.pi * spot_diameter**2) / cell**2
    inside = _contains(area.polygon_si, grid_x, grid_y)
    return FluenceMap(values, counts, inside, inside, x0, y0, cell, "coverage")


# --- shared checks ------------------------------------------------------------------------


def check_passes(passes: int) -> int:
    """Return ``passes`` as an int, refusing anything but a whole number >= 1."""
    if isinstance(passes, bool) or int(passes) != passes or passes < 1:
        raise InputError("passes", passes, "must be a whole number >= 1")
    return int(passes)


def _lookup(registry: dict, name: str, field: str):
    try:
        return registry[name]
    except KeyError:
        raise InputError(field, name, f"choose one of: {', '.join(registry)}") from None
