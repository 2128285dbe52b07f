import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.scanner.areas import template
from dermalase.scanner.order import (
    ORDERS,
    TILE_SHAPES,
    firing_sequence,
    heat_aware_order,
    interleaved_order,
    raster_order,
    row_interleaved_order,
    tile_ranks,
)
from dermalase.scanner.pattern import fractional_lattice, full_field_lattice
from dermalase.scanner.plan import compare_orders

PITCH = 1e-3


def _grid(columns=16, rows=16):
    column = np.tile(np.arange(columns), rows)
    row = np.repeat(np.arange(rows), columns)
    return column * PITCH, row * PITCH, row, column


@pytest.mark.parametrize("name", list(ORDERS))
def test_every_order_is_a_permutation(name):
    pattern = fractional_lattice(template("cheek"), 300e-6, 0.2, lattice="random", passes=2)
    tiles = tile_ranks(pattern.x, pattern.y, 12e-3)
    sequence = firing_sequence(
        pattern.x,
        pattern.y,
        pattern.pitch,
        pattern.row_spacing,
        order=name,
        tile=tiles,
        passes=pattern.pass_index,
        row=pattern.row,
        column=pattern.column,
    )
    assert np.array_equal(np.sort(sequence), np.arange(pattern.spots))


def test_raster_is_boustrophedon():
    x, y, row, column = _grid(4, 3)
    assert raster_order(row, column).tolist() == [0, 1, 2, 3, 7, 6, 5, 4, 8, 9, 10, 11]
    # positions alone give the same order
    assert firing_sequence(x, y, PITCH, PITCH, order="raster").tolist() == [
        0, 1, 2, 3, 7, 6, 5, 4, 8, 9, 10, 11,
    ]  # fmt: skip


def test_interleaved_keeps_consecutive_spots_a_stride_apart():
    x, y, row, column = _grid()
    sequence = interleaved_order(row, column, stride=4)
    jumps = np.hypot(np.diff(x[sequence]), np.diff(y[sequence]))
    # 16 x 16 grid, stride 4: 16 classes of 16 spots; within a class every jump is
    # at least 4 pitches; only the 15 class changes may be shorter
    assert np.count_nonzero(jumps < 4 * PITCH - 1e-12) <= 15
    assert np.median(jumps) >= 4 * PITCH - 1e-12


def test_row_interleaved_sweeps_each_row_with_a_stride():
    x, _, row, column = _grid(15, 4)
    sequence = row_interleaved_order(row, column, stride=3)
    # rows stay in order: the first 15 spots are row 0, then row 1, ...
    assert np.array_equal(row[sequence], np.repeat(np.arange(4), 15))
    jumps = np.abs(np.diff(x[sequence]))[np.diff(row[sequence]) == 0]
    # within a row, 3 sweeps of 5 spots: 4 jumps of 3 pitches per sweep, then a turn
    assert np.count_nonzero(np.isclose(jumps, 3 * PITCH)) == 4 * 3 * 4


def test_tiles_are_visited_in_boustrophedon_order():
    x = np.array([0.5, 1.5, 2.5, 2.5, 1.5, 0.5]) * 10e-3
    y = np.array([0.5, 0.5, 0.5, 1.5, 1.5, 1.5]) * 10e-3
    assert tile_ranks(x, y, 10e-3, origin=(0.0, 0.0)).tolist() == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("shape", list(TILE_SHAPES))
def test_pattern_tiles_partition_the_spots_within_their_size(shape):
    pattern = full_field_lattice(template("cheek"), 1e-3, 0.1)
    size = 8e-3
    tiles = tile_ranks(pattern.x, pattern.y, size, shape=shape, row=pattern.row)
    assert tiles.shape == pattern.x.shape and tiles.min() == 0
    for rank in np.unique(tiles):
        x, y = pattern.x[tiles == rank], pattern.y[tiles == rank]
        # every tile fits inside a disk of the pattern size (its widest extent)
        centre_x, centre_y = 0.5 * (x.max() + x.min()), 0.5 * (y.max() + y.min())
        assert np.hypot(x - centre_x, y - centre_y).max() <= 0.5 * size * np.sqrt(2) + 1e-12
    # a larger pattern needs fewer tiles
    fewer = tile_ranks(pattern.x, pattern.y, 2 * size, shape=shape, row=pattern.row)
    assert fewer.max() < tiles.max()


def test_unknown_tile_shape_is_refused():
    with pytest.raises(InputError, match="square"):
        tile_ranks(np.zeros(2), np.zeros(2), 1e-2, shape="circle")


def test_spots_of_a_tile_are_fired_together():
    pattern = fractional_lattice(template("cheek"), 300e-6, 0.2)
    tiles = tile_ranks(pattern.x, pattern.y, 12e-3)
    sequence = firing_sequence(
        pattern.x,
        pattern.y,
        pattern.pitch,
        pattern.row_spacing,
        order="interleaved",
        tile=tiles,
        row=pattern.row,
        column=pattern.column,
    )
    assert np.all(np.diff(tiles[sequence]) >= 0)


def test_raster_of_an_offset_pass_steps_one_pitch_along_rows():
    # the second pass is offset by half a row spacing; its rows must come from the
    # lattice, not from rounding positions that sit half-way between two rows
    pattern = fractional_lattice(template("cheek"), 300e-6, 0.1, lattice="staggered", passes=2)
    tiles = tile_ranks(pattern.x, pattern.y, 12e-3)
    sequence = firing_sequence(
        pattern.x,
        pattern.y,
        pattern.pitch,
        pattern.row_spacing,
        order="raster",
        tile=tiles,
        passes=pattern.pass_index,
        row=pattern.row,
        column=pattern.column,
    )
    second = sequence[pattern.pass_index[sequence] == 1]
    same_tile = np.diff(tiles[second]) == 0
    jumps = np.hypot(np.diff(pattern.x[second]), np.diff(pattern.y[second]))[same_tile]
    # one pitch along a row, except where a row ends (about one in 40 spots here)
    assert np.mean(np.isclose(jumps, pattern.pitch)) > 0.85


def test_heat_aware_follows_its_score():
    _, _, row, column = _grid()
    raster = raster_order(row, column)

    def prefers_others(sequence):
        is_raster = np.array_equal(sequence, raster)
        return (1.0, 2.0) if is_raster else (1.0, 1.0)

    def prefers_raster(sequence):
        is_raster = np.array_equal(sequence, raster)
        return (1.0, 1.0) if is_raster else (0.5, 0.5)  # cooler, but closer in the window

    chosen = heat_aware_order(row, column, score=prefers_others)
    assert not np.array_equal(chosen, raster)
    assert np.array_equal(heat_aware_order(row, column, score=prefers_raster), raster)


# The must-show: the heat-aware order beats or equals raster on both heat
# figures, across fractional and full-field settings, one and two passes.
@pytest.mark.parametrize(
    ("area", "modality", "diameter", "amount", "rate", "passes"),
    [
        ("cheek", "fractional", 300e-6, 0.05, 300.0, 1),
        ("cheek", "fractional", 300e-6, 0.20, 300.0, 2),
        ("forehead", "fractional", 120e-6, 0.10, 1000.0, 1),
        ("perioral", "fractional", 500e-6, 0.30, 100.0, 1),
        ("cheek", "full-field", 4e-3, 0.15, 20.0, 2),
        ("nose", "full-field", 3e-3, 0.30, 10.0, 1),
    ],
)
def test_heat_aware_never_worse_than_raster(area, modality, diameter, amount, rate, passes):
    amounts = {"coverage": amount} if modality == "fractional" else {"overlap": amount}
    comparison, heat_aware, raster = compare_orders(
        area,
        diameter,
        modality,
        repetition_rate=rate,
        passes=passes,
        heat_per_spot=5e-3,
        pattern_size=6e-3,
        **amounts,
    )
    assert heat_aware.min_spacing_within_window_mm >= raster.min_spacing_within_window_mm
    assert heat_aware.max_bulk_temperature_rise_c <= raster.max_bulk_temperature_rise_c
    assert comparison.temperature_reduction >= 0.0
    assert comparison.spacing_ratio >= 1.0
    # the plan reports the raster figures it compared against
    assert heat_aware.raster_max_bulk_temperature_rise_c == pytest.approx(
        raster.max_bulk_temperature_rise_c
    )


def test_heat_aware_is_cooler_where_row_interleaving_pays():
    # 250 um MTZ at 20 % and 300 Hz in 20 mm tiles: a raster row brings a spot's
    # in-row neighbours back too soon for their heat to have gone; sweeping each row
    # in 5 strides lowers the peak rise (found by a scan of settings)
    comparison, heat_aware, raster = compare_orders(
        "cheek",
        250e-6,
        "fractional",
        coverage=0.20,
        repetition_rate=300.0,
        heat_per_spot=10e-3,
        column_depth=300e-6,
        pattern_size=20e-3,
    )
    assert comparison.temperature_reduction > 0.1 * raster.max_bulk_temperature_rise_c
    assert heat_aware.to_dict()["versus_raster"]["temperature_reduction_c"] > 0.0


def test_unknown_order_is_refused():
    x, y, _, _ = _grid(2, 2)
    with pytest.raises(InputError, match="raster"):
        firing_sequence(x, y, PITCH, PITCH, order="spiral")
