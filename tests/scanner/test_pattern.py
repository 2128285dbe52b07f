import itertools
import math

import numpy as np
import pytest
import shapely
from scipy.spatial import cKDTree

from dermalase.exceptions import InputError
from dermalase.scanner.areas import area_from_polygon, template
from dermalase.scanner.pattern import (
    Pattern,
    achieved_coverage,
    coverage_map,
    covering_radius,
    fluence_map,
    fractional_lattice,
    full_field_lattice,
)


@pytest.mark.parametrize("lattice", ["regular", "staggered", "random"])
@pytest.mark.parametrize("coverage", [0.05, 0.15, 0.30, 0.50])
@pytest.mark.parametrize("name", ["cheek", "perioral"])
def test_achieved_coverage_is_within_one_point(lattice, coverage, name):
    area = template(name)
    pattern = fractional_lattice(area, 300e-6, coverage, lattice=lattice, passes=2)
    # independent count per pass: N pi d^2 / 4 over the shapely area
    for number in range(2):
        count = np.count_nonzero(pattern.pass_index == number)
        achieved = count * math.pi * (300e-6) ** 2 / 4 / (area.polygon.area * 1e-6)
        assert abs(achieved - coverage) <= 0.01
    assert achieved_coverage(pattern, area) == pytest.approx(
        pattern.spots * math.pi * (300e-6) ** 2 / 4 / (2 * area.polygon.area * 1e-6)
    )


def _assert_disks_inside(area, pattern, tolerance_mm=0.0):
    """Every spot disk lies inside the outline and outside every exclusion."""
    radius_mm = pattern.spot_diameter / 2 * 1e3
    points = shapely.points(pattern.x * 1e3, pattern.y * 1e3)
    outline = shapely.Polygon(area.polygon.exterior)
    holes = [shapely.Polygon(ring) for ring in area.polygon.interiors]
    assert shapely.contains(outline, points).all()
    for hole in holes:
        assert not shapely.intersects(hole, points).any()
    # distance to the nearest edge (outline or exclusion) is at least the radius
    edge = shapely.distance(area.polygon.boundary, points)
    assert edge.min() >= radius_mm - tolerance_mm - 1e-6


@pytest.mark.parametrize("lattice", ["regular", "staggered", "random"])
def test_no_mtz_outside_the_area_or_in_an_exclusion(lattice):
    area = template("full-face")  # eyes, brows, lips and nostrils excluded
    pattern = fractional_lattice(area, 500e-6, 0.2, lattice=lattice, passes=2)
    _assert_disks_inside(area, pattern)


@pytest.mark.parametrize("lattice", ["hexagonal", "square"])
def test_no_full_field_spot_outside_the_area_or_in_an_exclusion(lattice):
    area = template("full-face")
    pattern = full_field_lattice(area, 3e-3, 0.3, lattice=lattice, passes=2)
    _assert_disks_inside(area, pattern)


def test_edge_tolerance_lets_disks_reach_past_the_edge_by_that_much():
    area = template("perioral")
    pattern = full_field_lattice(area, 3e-3, 0.2, edge_tolerance=1.0e-3)
    edge = shapely.distance(area.polygon.boundary, shapely.points(pattern.x * 1e3, pattern.y * 1e3))
    assert edge.min() >= 0.5 - 1e-6
    assert edge.min() < 1.5  # some disk does cross the edge


def test_random_lattice_keeps_the_minimum_spacing():
    area = template("cheek")
    spacing = 250e-6
    pattern = fractional_lattice(area, 200e-6, 0.2, lattice="random", min_spacing=spacing)
    distance, _ = cKDTree(np.c_[pattern.x, pattern.y]).query(np.c_[pattern.x, pattern.y], k=2)
    assert distance[:, 1].min() >= spacing * (1 - 1e-9)
    # and it is random: the nearest-neighbour distances are not all equal
    assert np.ptp(distance[:, 1]) > 0.1 * spacing


def test_minimum_spacing_survives_the_coverage_match():
    # the coverage match shrinks the lattice a little (MTZ are kept off the edges);
    # the minimum spacing must not shrink with it
    area = template("nose")
    density = 0.2 / (math.pi * (200e-6) ** 2 / 4)
    pitch = math.sqrt(2.0 / (math.sqrt(3.0) * density))
    spacing = 0.95 * pitch
    pattern = fractional_lattice(area, 200e-6, 0.2, lattice="random", min_spacing=spacing)
    distance, _ = cKDTree(np.c_[pattern.x, pattern.y]).query(np.c_[pattern.x, pattern.y], k=2)
    assert distance[:, 1].min() >= spacing * (1 - 1e-9)
    assert abs(achieved_coverage(pattern, area) - 0.2) <= 0.01


def test_passes_are_offset():
    area = template("cheek")
    pattern = fractional_lattice(area, 300e-6, 0.1, lattice="staggered", passes=2)
    first = np.c_[pattern.x, pattern.y][pattern.pass_index == 0]
    second = np.c_[pattern.x, pattern.y][pattern.pass_index == 1]
    distance, _ = cKDTree(first).query(second)
    # half a pitch along both axes puts the second pass well off the first
    assert distance.min() > 0.25 * pattern.pitch


@pytest.mark.parametrize("coverage", [0.0, -0.1, 1.2, math.nan])
def test_coverage_out_of_range_is_refused(coverage):
    with pytest.raises(InputError, match="coverage"):
        fractional_lattice(template("cheek"), 300e-6, coverage)


def test_unreachable_coverage_is_refused():
    # a 2 mm square holds one 1.5 mm MTZ at most: 44 % or nothing, never 20 %
    square = area_from_polygon(shapely.box(0, 0, 2, 2))
    with pytest.raises(InputError, match="cannot be reached"):
        fractional_lattice(square, 1.5e-3, 0.2)


def test_unknown_lattice_is_refused():
    with pytest.raises(InputError, match="staggered"):
        fractional_lattice(template("cheek"), 300e-6, 0.1, lattice="hexagon")


def _uncovered_interior(area, pattern, cell, band):
    """Points at least ``band`` inside the area farther than a radius from every spot."""
    radius = pattern.spot_diameter / 2
    xmin, ymin, xmax, ymax = area.bounds_si
    grid_x, grid_y = np.meshgrid(np.arange(xmin, xmax, cell), np.arange(ymin, ymax, cell))
    interior = shapely.contains_xy(area.polygon_si.buffer(-band), grid_x, grid_y)
    points = np.c_[grid_x[interior], grid_y[interior]]
    assert points.shape[0] > 1000  # the check looks at a real interior
    distance, _ = cKDTree(np.c_[pattern.x, pattern.y]).query(points)
    return int(np.count_nonzero(distance > radius))


@pytest.mark.parametrize(
    ("lattice", "overlap"),
    [
        ("hexagonal", 0.0),
        ("hexagonal", 0.10),
        ("hexagonal", 0.15),
        ("hexagonal", 0.30),
        ("square", 0.30),
        ("square", 0.50),
    ],
)
def test_full_field_leaves_no_gap(lattice, overlap):
    area = template("cheek")
    pattern = full_field_lattice(area, 4e-3, overlap, lattice=lattice)
    # independent check at 0.1 mm with a nearest-spot query, one spot diameter in
    # from every edge (centres stay a radius in, the lattice covers within a radius)
    assert _uncovered_interior(area, pattern, 0.1e-3, 4e-3) == 0
    raster = fluence_map(pattern, area)
    assert raster.interior_gap_fraction == 0.0
    assert raster.min_factor >= 1.0
    assert covering_radius(pattern.pitch, pattern.row_spacing, lattice == "hexagonal") <= 2e-3


def test_square_lattice_below_its_covering_overlap_is_refused():
    # a square lattice covers only for pitch <= d / sqrt(2), overlap >= 29.3 %
    with pytest.raises(InputError, match="sqrt"):
        full_field_lattice(template("cheek"), 4e-3, 0.25, lattice="square")


def test_fluence_max_factor_grows_with_overlap():
    # from 13.4 % overlap on the staggered rows are a regular hexagonal lattice, whose
    # spot density (and so the largest stack of overlapping spots) grows with overlap;
    # below that, rows must close up to leave no gap (module notes), so start at 10 %
    area = template("cheek")
    factors = [
        fluence_map(full_field_lattice(area, 4e-3, overlap), area).max_factor
        for overlap in (0.10, 0.30, 0.50, 0.70)
    ]
    assert all(b >= a for a, b in itertools.pairwise(factors))
    assert factors[-1] > factors[0]


def test_gaussian_single_spot_peaks_at_twice_the_mean_fluence():
    # a Gaussian with 1/e^2 diameter d has peak fluence 2 E / (pi d^2 / 4); sampled at
    # cell centres 0.025 mm from the centre at worst, the peak is within 0.1 %
    area = template("chin")
    single = Pattern(
        np.zeros(1),
        np.zeros(1),
        np.zeros(1, int),
        np.zeros(1, int),
        np.zeros(1, int),
        4e-3,
        3.4e-3,
        3e-3,
        "hexagonal",
        "full_field",
        1,
    )
    raster = fluence_map(single, area, profile="gaussian", cell_size=0.05e-3)
    assert raster.values.max() == pytest.approx(2.0, rel=1e-3)
    # energy: the raster sum times the cell area is one spot's area (truncation exp(-8))
    spot_area = math.pi * 2e-3**2
    assert raster.values.sum() * (0.05e-3) ** 2 == pytest.approx(spot_area, rel=2e-3)


def test_coverage_map_holds_every_mtz_once():
    area = template("cheek")
    pattern = fractional_lattice(area, 250e-6, 0.15)
    raster = coverage_map(pattern.x, pattern.y, pattern.spot_diameter, area, cell_size=1e-3)
    assert raster.hits.sum() == pattern.spots
    # mean over the cells inside is about the requested coverage (edge cells are partial)
    assert np.average(raster.values, weights=raster.inside) == pytest.approx(0.15, abs=0.03)
