"""Firing order of the spots: tile by tile, and within a tile by a named order.

The scanner lays the area down one pattern tile at a time (the device's scan
pattern: a square, rectangle, hexagon or line of size ``L``); the handpiece is
then moved to the next tile. The tiles partition the plane and the spots keep
one lattice across tile borders, so neighbouring tiles join at the same
overlap as the spots inside a tile. Tiles are visited in boustrophedon order
(rows of tiles, alternating direction). Tile shapes (:data:`TILE_SHAPES`):

``square``
    Side ``L``.
``rectangle``
    ``L`` wide and ``L/2`` tall (assumption: the device files give one size,
    the widest extent, and no aspect ratio).
``hexagon``
    Regular hexagons, flat side up, ``L`` across the corners (the widest
    extent), in a honeycomb.
``line``
    One lattice row, ``L`` long.

Within a tile the spots are fired in one of the orders of :data:`ORDERS`:

``raster``
    Boustrophedon by lattice rows: consecutive spots are neighbours.
``interleaved``
    Interleaved sub-lattices: the lattice is split into ``stride^2`` classes by
    ``(row mod stride, column mod stride)``; each class is fired in
    boustrophedon order, so consecutive spots are ``stride`` pitches apart, and
    the classes follow a bit-reversed sequence, so consecutive classes are offset
    by about half the stride. A spot's nearest neighbours are fired at least one
    class (``N_tile / stride^2`` spots) earlier or later.
``row-interleaved``
    Rows in turn, as in raster, but each row swept ``stride`` times, every
    ``stride``-th spot, in boustrophedon (residues 0, 2, 4, ..., then 1, 3, ...):
    consecutive spots are ``stride`` pitches apart, and a spot's neighbours in
    the row are fired a sweep (``n_row / stride`` spots) apart, too soon for
    their heat to have arrived.
``heat-aware``
    The raster order or an interleaved or row-interleaved one, whichever the
    heating model scores best: never worse than raster on the minimum spacing
    within the thermal window nor on the peak bulk temperature rise (see
    :func:`heat_aware_order` for why no one order wins everywhere).

Every order is a stable sort on packed integer keys: O(N log N) in time and O(N)
in memory; the heat-aware order scores a fixed number of candidates.

Examples
--------
>>> import numpy as np
>>> x = np.tile(np.arange(4.0), 4) * 1e-3
>>> y = np.repeat(np.arange(4.0), 4) * 1e-3
>>> firing_sequence(x, y, 1e-3, 1e-3, order="raster")[:8].tolist()
[0, 1, 2, 3, 7, 6, 5, 4]
"""

from __future__ import annotations

import math

import numpy as np

from dermalase.exceptions import InputError

#: Default stride of the interleaved order [-]: consecutive spots 4 pitches apart.
INTERLEAVE_STRIDE = 4
#: Strides of the interleaved candidates that the heat-aware order scores [-].
HEAT_AWARE_STRIDES = (2, 4, 8)
#: Default stride of the row-interleaved order [-].
ROW_STRIDE = 5
#: Strides of the row-interleaved candidates that the heat-aware order scores [-].
HEAT_AWARE_ROW_STRIDES = (3, 5)
#: Height over width of a rectangular pattern tile [-] (assumption, see the module notes).
RECTANGLE_ASPECT = 0.5


def lattice_indices(x, y, pitch, row_spacing):
    """Integer lattice row and column of each spot, from its position.

    For spots laid on a lattice with odd rows shifted by half a pitch (or not at
    all), rounding ``y / h`` gives the row and ``x / p + 1/4`` rounded down the
    column. Prefer the indices the pattern generator records
    (:attr:`dermalase.scanner.pattern.Pattern.row`) where they exist.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pitch, row_spacing : float
        Lattice spacings [m].

    Returns
    -------
    tuple of numpy.ndarray
        Row and column (int64).
    """
    row = np.floor((y - y.min()) / row_spacing + 0.5).astype(np.int64)
    column = np.floor((x - x.min()) / pitch + 0.25).astype(np.int64)
    return row, column


def _group_key(group, size):
    return np.zeros(size, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)


def _sort_by(*keys: np.ndarray) -> np.ndarray:
    """Indices sorting by the keys, the last key the most significant (like lexsort).

    The integer keys are packed into one int64 key, which argsort handles faster
    than a lexsort.
    """
    packed = np.zeros(keys[0].size, dtype=np.int64)
    for key in reversed(keys):
        low = key.min()
        packed = packed * (int(key.max() - low) + 1) + (key - low)
    return np.argsort(packed, kind="stable")


def raster_order(
    row: np.ndarray,
    column: np.ndarray,
    group: np.ndarray | None = None,
    score=None,
) -> np.ndarray:
    """Boustrophedon order by rows, within each group.

    Parameters
    ----------
    row, column : numpy.ndarray
        Integer lattice row and column of each spot.
    group : numpy.ndarray, optional
        Rank of the group (pass and tile) of each spot; groups are fired in rank order.
    score : callable, optional
        Not used (the raster order does not depend on heating).

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.
    """
    row, column = np.asarray(row, np.int64), np.asarray(column, np.int64)
    snake = np.where(row % 2 == 0, column, -column)
    return _sort_by(snake, row, _group_key(group, row.size))


def _bit_reversed_ranks(stride: int) -> np.ndarray:
    """Rank of each residue 0..stride-1 in bit-reversed (van der Corput) order."""
    bits = max(int(stride - 1).bit_length(), 1)
    reversed_values = [int(format(value, f"0{bits}b")[::-1], 2) for value in range(stride)]
    return np.argsort(np.argsort(reversed_values, kind="stable"), kind="stable")


def interleaved_order(
    row: np.ndarray,
    column: np.ndarray,
    group: np.ndarray | None = None,
    score=None,
    stride: int = INTERLEAVE_STRIDE,
) -> np.ndarray:
    """Interleaved sub-lattice order: every ``stride``-th row and column in turn.

    Parameters
    ----------
    row, column : numpy.ndarray
        Integer lattice row and column of each spot.
    group : numpy.ndarray, optional
        Rank of the group (pass and tile) of each spot; groups are fired in rank order.
    score : callable, optional
        Not used.
    stride : int
        Rows and columns skipped between consecutive spots [-], >= 2.

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.
    """
    if int(stride) != stride or stride < 2:
        raise InputError("stride", stride, "must be a whole number >= 2")
    row, column = np.asarray(row, np.int64), np.asarray(column, np.int64)
    ranks = _bit_reversed_ranks(int(stride))
    subset = ranks[row % stride] * stride + ranks[column % stride]
    class_row = row // stride
    snake = np.where(class_row % 2 == 0, column, -column)
    return _sort_by(snake, class_row, subset, _group_key(group, row.size))


def _sweep_ranks(stride: int) -> np.ndarray:
    """Rank of each residue 0..stride-1 in the sweep sequence: evens, then odds."""
    sequence = [*range(0, stride, 2), *range(1, stride, 2)]
    ranks = np.empty(stride, dtype=np.int64)
    ranks[sequence] = np.arange(stride)
    return ranks


def row_interleaved_order(
    row: np.ndarray,
    column: np.ndarray,
    group: np.ndarray | None = None,
    score=None,
    stride: int = ROW_STRIDE,
) -> np.ndarray:
    """Rows in turn, each swept ``stride`` times, every ``stride``-th spot per sweep.

    Parameters
    ----------
    row, column : numpy.ndarray
        Integer lattice row and column of each spot.
    group : numpy.ndarray, optional
        Rank of the group (pass and tile) of each spot; groups are fired in rank order.
    score : callable, optional
        Not used.
    stride : int
        Spots skipped along a row between consecutive spots [-], >= 2.

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.
    """
    if int(stride) != stride or stride < 2:
        raise InputError("stride", stride, "must be a whole number >= 2")
    row, column = np.asarray(row, np.int64), np.asarray(column, np.int64)
    sweep = _sweep_ranks(int(stride))[column % stride]
    line = row * stride + sweep
    snake = np.where(line % 2 == 0, column, -column)
    return _sort_by(snake, sweep, row, _group_key(group, row.size))


def heat_aware_order(
    row: np.ndarray,
    column: np.ndarray,
    group: np.ndarray | None = None,
    score=None,
    strides: tuple[int, ...] = HEAT_AWARE_STRIDES,
    row_strides: tuple[int, ...] = HEAT_AWARE_ROW_STRIDES,
) -> np.ndarray:
    """The order, among raster, interleaved and row-interleaved ones, that heats least.

    Parameters
    ----------
    row, column : numpy.ndarray
        Integer lattice row and column of each spot.
    group : numpy.ndarray, optional
        Rank of the group (pass and tile) of each spot; groups are fired in rank order.
    score : callable, optional
        ``score(sequence) -> (min_spacing [m], peak_rise [K])`` of a candidate
        sequence, from the timing and heating models. Without it the
        interleaved order of stride 4 is returned.
    strides : tuple of int
        Strides of the interleaved candidates.
    row_strides : tuple of int
        Strides of the row-interleaved candidates.

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.

    Notes
    -----
    Interleaving sub-lattices keeps spots fired close in time far apart in
    space, but it brings a spot's neighbours back one sub-lattice later; when a
    sub-lattice takes about the diffusion time over a pitch (``p^2 / 4 alpha``),
    that delay is the one at which a neighbour's heat peaks, and a raster sweep
    (whose neighbours are either fired too recently for their heat to arrive or
    long ago) heats less. Row interleaving keeps the raster's progress through
    the tile and only spreads each row's spots over a few sweeps; it often heats
    less than raster, but clipped rows at tile and area edges can leave two
    neighbours fired back to back. The candidates are therefore scored with the
    heating model and the one with the lowest peak rise (then the largest
    spacing) is kept among those whose minimum spacing within the thermal window
    is no smaller than the raster order's and whose peak rise is no larger; the
    raster order itself is a candidate, so the result is never worse than raster
    on either figure.
    """
    if score is None:
        return interleaved_order(row, column, group)
    reference = raster_order(row, column, group)
    best, best_figures = reference, score(reference)
    spacing_floor = best_figures[0] * (1.0 - 1e-12)
    candidates = (
        *((interleaved_order, stride) for stride in strides),
        *((row_interleaved_order, stride) for stride in row_strides),
    )
    for build, stride in candidates:
        candidate = build(row, column, group, stride=stride)
        spacing, peak = score(candidate)
        if spacing >= spacing_floor and (peak, -spacing) < (best_figures[1], -best_figures[0]):
            best, best_figures = candidate, (spacing, peak)
    return best


#: Firing orders by name: (row, column, group, score) -> permutation.
ORDERS = {
    "raster": raster_order,
    "interleaved": interleaved_order,
    "row-interleaved": row_interleaved_order,
    "heat-aware": heat_aware_order,
}


# --- pattern tiles ---------------------------------------------------------------------


def _square_cells(x, y, size, row):
    return np.floor(y / size).astype(np.int64), np.floor(x / size).astype(np.int64)


def _rectangle_cells(x, y, size, row):
    height = RECTANGLE_ASPECT * size
    return np.floor(y / height).astype(np.int64), np.floor(x / size).astype(np.int64)


def _line_cells(x, y, size, row):
    if row is None:
        raise InputError("pattern_shape", "line", "needs the lattice row of each spot")
    return np.asarray(row, np.int64), np.floor(x / size).astype(np.int64)


def _hexagon_cells(x, y, size, row):
    """Honeycomb of flat-topped hexagons, ``size`` across the corners (axial rounding)."""
    radius = 0.5 * size
    q = (2.0 / 3.0) * x / radius
    r = (-x / 3.0 + math.sqrt(3.0) / 3.0 * y) / radius
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    column = rq.astype(np.int64)
    # offset rows ("odd-q"): hexagons of one column stack vertically
    tile_row = rr.astype(np.int64) + (column - (column & 1)) // 2
    return tile_row, column


#: Pattern tile shapes by name: (x, y, size, lattice row) -> (tile row, tile column).
TILE_SHAPES = {
    "square": _square_cells,
    "rectangle": _rectangle_cells,
    "hexagon": _hexagon_cells,
    "line": _line_cells,
}


def tile_ranks(
    x: np.ndarray,
    y: np.ndarray,
    tile_size: float,
    origin: tuple[float, float] | None = None,
    *,
    shape: str = "square",
    row: np.ndarray | None = None,
) -> np.ndarray:
    """Rank of the pattern tile of each spot, tiles visited in boustrophedon order.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    tile_size : float
        Size of the scanner pattern, its widest extent [m].
    origin : tuple of float, optional
        Anchor of the tile grid [m]; default the lowest spot coordinates.
    shape : str
        A name in :data:`TILE_SHAPES`.
    row : numpy.ndarray, optional
        Lattice row of each spot (needed by the ``line`` shape).

    Returns
    -------
    numpy.ndarray
        Rank (0, 1, ...) of each spot's tile; only tiles holding spots are counted.
    """
    if not (math.isfinite(tile_size) and tile_size > 0.0):
        raise InputError("pattern_size", tile_size, "must be > 0 m")
    try:
        cells = TILE_SHAPES[shape]
    except KeyError:
        raise InputError(
            "pattern_shape", shape, f"tiling supports: {', '.join(TILE_SHAPES)}"
        ) from None
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    x0, y0 = (x.min(), y.min()) if origin is None else origin
    tile_row, tile_column = cells(x - x0, y - y0, tile_size, row)
    snake = np.where(tile_row % 2 == 0, tile_column, -tile_column)
    span = int(snake.max() - snake.min()) + 1
    key = (tile_row - tile_row.min()) * span + (snake - snake.min())
    _, rank = np.unique(key, return_inverse=True)
    return rank.reshape(-1).astype(np.int64)


def firing_sequence(
    x: np.ndarray,
    y: np.ndarray,
    pitch: float,
    row_spacing: float,
    *,
    order: str = "heat-aware",
    tile: np.ndarray | None = None,
    passes: np.ndarray | None = None,
    score=None,
    row: np.ndarray | None = None,
    column: np.ndarray | None = None,
) -> np.ndarray:
    """Firing sequence over passes, tiles and the spots of each tile.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pitch, row_spacing : float
        Lattice spacings [m].
    order : str
        A name in :data:`ORDERS`.
    tile : numpy.ndarray, optional
        Tile rank of each spot (:func:`tile_ranks`); default one tile.
    passes : numpy.ndarray, optional
        Pass index of each spot; passes are fired one after another.
    score : callable, optional
        Heating score of a candidate sequence, for the ``heat-aware`` order.
    row, column : numpy.ndarray, optional
        Lattice indices of each spot; default from the positions
        (:func:`lattice_indices`).

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.
    """
    try:
        function = ORDERS[order]
    except KeyError:
        raise InputError("order", order, f"choose one of: {', '.join(ORDERS)}") from None
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    if row is None or column is None:
        row, column = lattice_indices(x, y, pitch, row_spacing)
    tiles = np.zeros(x.size, dtype=np.int64) if tile is None else np.asarray(tile, np.int64)
    pass_key = np.zeros(x.size, dtype=np.int64) if passes is None else np.asarray(passes)
    group = pass_key.astype(np.int64) * (int(tiles.max()) + 1) + tiles
    return function(row, column, group, score)
