"""Firing order of the spots: tile by tile, and within a tile by a named order.

The scanner covers the area one tile (its scan pattern, a square of side ``L``)
at a time; the handpiece then moves to the next tile. Tiles are visited in
boustrophedon order (rows of tiles, alternating direction). Within a tile the
spots are fired in one of the orders of :data:`ORDERS`:

``raster``
    Boustrophedon by lattice rows: consecutive spots are neighbours.
``interleaved``
    Interleaved sub-lattices: the lattice is split into ``stride^2`` classes by
    ``(row mod stride, column mod stride)``; each class is fired in
    boustrophedon order, so consecutive spots are ``stride`` pitches apart, and
    the classes follow a bit-reversed sequence, so consecutive classes are offset
    by about half the stride. A spot's nearest neighbours are fired at least one
    class (``N_tile / stride^2`` spots) earlier or later.
``heat-aware``
    The raster order or an interleaved one (strides 2, 4, 8), whichever the
    heating model scores best: never worse than raster on the minimum spacing
    within the thermal window nor on the peak bulk temperature rise (see
    :func:`heat_aware_order` for why interleaving alone is not enough).

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

import numpy as np

from dermalase.exceptions import InputError

#: Default stride of the interleaved order [-]: consecutive spots 4 pitches apart.
INTERLEAVE_STRIDE = 4
#: Strides of the interleaved candidates that the heat-aware order scores [-].
HEAT_AWARE_STRIDES = (2, 4, 8)


def _rows_and_columns(x, y, pitch, row_spacing):
    """Integer lattice row and column of each spot (staggered rows round down)."""
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
    x: np.ndarray,
    y: np.ndarray,
    pitch: float,
    row_spacing: float,
    group: np.ndarray | None = None,
    score=None,
) -> np.ndarray:
    """Boustrophedon order by rows, within each group.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pitch : float
        In-row spacing of the lattice [m].
    row_spacing : float
        Row spacing of the lattice [m].
    group : numpy.ndarray, optional
        Rank of the group (tile) of each spot; groups are fired in rank order.
    score : callable, optional
        Not used (the raster order does not depend on heating).

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.
    """
    row, column = _rows_and_columns(x, y, pitch, row_spacing)
    snake = np.where(row % 2 == 0, column, -column)
    return _sort_by(snake, row, _group_key(group, x.size))


def _bit_reversed_ranks(stride: int) -> np.ndarray:
    """Rank of each residue 0..stride-1 in bit-reversed (van der Corput) order."""
    bits = max(int(stride - 1).bit_length(), 1)
    reversed_values = [int(format(value, f"0{bits}b")[::-1], 2) for value in range(stride)]
    return np.argsort(np.argsort(reversed_values, kind="stable"), kind="stable")


def interleaved_order(
    x: np.ndarray,
    y: np.ndarray,
    pitch: float,
    row_spacing: float,
    group: np.ndarray | None = None,
    score=None,
    stride: int = INTERLEAVE_STRIDE,
) -> np.ndarray:
    """Interleaved sub-lattice order: every ``stride``-th row and column in turn.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pitch : float
        In-row spacing of the lattice [m].
    row_spacing : float
        Row spacing of the lattice [m].
    group : numpy.ndarray, optional
        Rank of the group (tile) of each spot; groups are fired in rank order.
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
    row, column = _rows_and_columns(x, y, pitch, row_spacing)
    ranks = _bit_reversed_ranks(int(stride))
    subset = ranks[row % stride] * stride + ranks[column % stride]
    class_row = row // stride
    snake = np.where(class_row % 2 == 0, column, -column)
    return _sort_by(snake, class_row, subset, _group_key(group, x.size))


def heat_aware_order(
    x: np.ndarray,
    y: np.ndarray,
    pitch: float,
    row_spacing: float,
    group: np.ndarray | None = None,
    score=None,
    strides: tuple[int, ...] = HEAT_AWARE_STRIDES,
) -> np.ndarray:
    """The order, among raster and interleaved ones, that heats least.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    pitch : float
        In-row spacing of the lattice [m].
    row_spacing : float
        Row spacing of the lattice [m].
    group : numpy.ndarray, optional
        Rank of the group (tile) of each spot; groups are fired in rank order.
    score : callable, optional
        ``score(sequence) -> (min_spacing [m], peak_rise [K])`` of a candidate
        sequence, from the timing and heating models. Without it the
        interleaved order of stride 4 is returned.
    strides : tuple of int
        Strides of the interleaved candidates.

    Returns
    -------
    numpy.ndarray
        Indices of the spots in firing order.

    Notes
    -----
    Interleaving keeps spots fired close in time far apart in space, but it
    brings a spot's neighbours back one sub-lattice later; when a sub-lattice
    takes about the diffusion time over a pitch (``p^2 / 4 alpha``), that delay
    is the one at which a neighbour's heat peaks, and a raster sweep (whose
    neighbours are either fired too recently for their heat to arrive or long
    ago) heats less. The candidates are therefore scored with the heating
    model and the one with the lowest peak rise is kept among those whose
    minimum spacing within the thermal window is no smaller than the raster
    order's; the raster order itself is a candidate, so the result is never
    worse than raster on either figure.
    """
    if score is None:
        return interleaved_order(x, y, pitch, row_spacing, group)
    reference = raster_order(x, y, pitch, row_spacing, group)
    best, best_figures = reference, score(reference)
    spacing_floor = best_figures[0] * (1.0 - 1e-12)
    for stride in strides:
        candidate = interleaved_order(x, y, pitch, row_spacing, group, stride=stride)
        spacing, peak = score(candidate)
        if spacing >= spacing_floor and (peak, -spacing) < (best_figures[1], -best_figures[0]):
            best, best_figures = candidate, (spacing, peak)
    return best


#: Firing orders by name: (x, y, pitch, row_spacing, group, score) -> permutation.
ORDERS = {
    "raster": raster_order,
    "interleaved": interleaved_order,
    "heat-aware": heat_aware_order,
}


def tile_ranks(
    x: np.ndarray, y: np.ndarray, tile_size: float, origin: tuple[float, float] | None = None
) -> np.ndarray:
    """Rank of the scanner tile of each spot, tiles visited in boustrophedon order.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres [m].
    tile_size : float
        Side of the square scanner pattern [m].
    origin : tuple of float, optional
        Lower-left corner of the tile grid [m]; default the lowest spot coordinates.

    Returns
    -------
    numpy.ndarray
        Rank (0, 1, ...) of each spot's tile; only tiles holding spots are counted.
    """
    if not tile_size > 0.0:
        raise InputError("tile_size", tile_size, "must be > 0 m")
    x0, y0 = (x.min(), y.min()) if origin is None else origin
    tile_row = np.floor((y - y0) / tile_size).astype(np.int64)
    tile_column = np.floor((x - x0) / tile_size).astype(np.int64)
    snake = np.where(tile_row % 2 == 0, tile_column, -tile_column)
    key = tile_row * (2 * (np.abs(tile_column).max() + 1)) + snake
    _, rank = np.unique(key, return_inverse=True)
    return rank.reshape(-1)


def firing_sequence(
    x: np.ndarray,
    y: np.ndarray,
    pitch: float,
    row_spacing: float,
    *,
    order: str = "heat-aware",
    tile_size: float | None = None,
    passes: np.ndarray | None = None,
    score=None,
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
    tile_size : float, optional
        Side of the scanner pattern [m]; default one tile over the whole area.
    passes : numpy.ndarray, optional
        Pass index of each spot; passes are fired one after another.
    score : callable, optional
        Heating score of a candidate sequence, for the ``heat-aware`` order.

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
    tiles = np.zeros(x.size, dtype=np.int64) if tile_size is None else tile_ranks(x, y, tile_size)
    pass_key = np.zeros(x.size, dtype=np.int64) if passes is None else np.asarray(passes)
    group = pass_key.astype(np.int64) * (int(tiles.max()) + 1) + tiles
    return function(x, y, pitch, row_spacing, group, score)
