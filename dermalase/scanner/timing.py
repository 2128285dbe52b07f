"""Firing times and treatment duration.

Within a tile each spot waits for the laser and for the mirrors: the interval
before a spot is ``max(1 / repetition_rate, jump / scanner_speed)``, with
``jump`` the distance from the previous spot. Between tiles the handpiece is
moved by hand (``move_time`` per move); before each pass the physician checks
the settings and, for Er:YAG, wipes the ablated debris (``pass_setup_time``).
Both times are stated assumptions with defaults of 1 s per move and 30 s per
pass; set them from observation of a given practice and device.

Examples
--------
>>> import numpy as np
>>> x = np.array([0.0, 1e-3, 2e-3]); y = np.zeros(3)
>>> plan = schedule(x, y, np.zeros(3, int), np.zeros(3, int), repetition_rate=100.0,
...                 scanner_speed=1.0, pass_setup_time=0.0)
>>> plan.firing_seconds
0.03
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from dermalase.exceptions import InputError
from dermalase.scanner.areas import TreatmentArea

#: Default time to move the handpiece from one tile to the next [s] (assumption).
MOVE_TIME = 1.0
#: Default setup time before each pass [s] (assumption).
PASS_SETUP_TIME = 30.0
#: Seconds per minute.
SECONDS_PER_MINUTE = 60.0


@dataclass(frozen=True)
class Schedule:
    """Firing times of an ordered spot list and the treatment duration.

    Parameters
    ----------
    t : numpy.ndarray
        Firing time of each spot from the start of the treatment [s].
    firing_seconds : float
        Time spent firing: the sum of the spot intervals [s].
    moving_seconds : float
        Time spent moving between tiles [s].
    setup_seconds : float
        Time spent setting up passes [s].
    tile_moves : int
        Number of handpiece moves.
    """

    t: np.ndarray
    firing_seconds: float
    moving_seconds: float
    setup_seconds: float
    tile_moves: int

    @property
    def total_seconds(self) -> float:
        """Treatment duration [s]."""
        return self.firing_seconds + self.moving_seconds + self.setup_seconds

    @property
    def minutes(self) -> float:
        """Treatment duration [min]."""
        return self.total_seconds / SECONDS_PER_MINUTE


def _positive(value: float, field: str, unit: str) -> float:
    if not (math.isfinite(value) and value > 0.0):
        raise InputError(field, value, f"must be a finite number > 0 {unit}")
    return float(value)


def _non_negative(value: float, field: str, unit: str) -> float:
    if not (math.isfinite(value) and value >= 0.0):
        raise InputError(field, value, f"must be a finite number >= 0 {unit}")
    return float(value)


def spot_intervals(
    x: np.ndarray, y: np.ndarray, repetition_rate: float, scanner_speed: float
) -> np.ndarray:
    """Time each spot waits after the previous one, within a tile [s].

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    repetition_rate : float
        Pulse repetition rate [Hz].
    scanner_speed : float
        Speed of the beam between spots [m/s].

    Returns
    -------
    numpy.ndarray
        ``max(1/f, jump/v)`` per spot; the first spot waits ``1/f``.
    """
    period = 1.0 / _positive(repetition_rate, "repetition_rate", "Hz")
    speed = _positive(scanner_speed, "scanner_speed", "m/s")
    jump = np.hypot(np.diff(x, prepend=x[:1]), np.diff(y, prepend=y[:1]))
    return np.maximum(period, jump / speed)


def schedule(
    x: np.ndarray,
    y: np.ndarray,
    tile: np.ndarray,
    pass_index: np.ndarray,
    *,
    repetition_rate: float,
    scanner_speed: float,
    move_time: float = MOVE_TIME,
    pass_setup_time: float = PASS_SETUP_TIME,
) -> Schedule:
    """Firing time of each spot of an ordered list, with moves and pass setups.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    tile : numpy.ndarray
        Tile of each spot; a change of tile within a pass is one handpiece move.
    pass_index : numpy.ndarray
        Pass of each spot; each pass starts with its setup time.
    repetition_rate : float
        Pulse repetition rate [Hz].
    scanner_speed : float
        Speed of the beam between spots [m/s].
    move_time : float
        Time per handpiece move between tiles [s].
    pass_setup_time : float
        Time before each pass [s].

    Returns
    -------
    Schedule
    """
    move_time = _non_negative(move_time, "move_time", "s")
    pass_setup_time = _non_negative(pass_setup_time, "pass_setup_time", "s")
    interval = spot_intervals(x, y, repetition_rate, scanner_speed)
    tile = np.asarray(tile)
    pass_index = np.asarray(pass_index)
    new_pass = np.ones(x.size, dtype=bool)
    new_pass[1:] = pass_index[1:] != pass_index[:-1]
    new_tile = np.zeros(x.size, dtype=bool)
    new_tile[1:] = (tile[1:] != tile[:-1]) & ~new_pass[1:]
    # the first spot of a tile or a pass waits one pulse period (no mirror jump)
    interval[new_pass | new_tile] = 1.0 / repetition_rate
    waits = interval + np.where(new_tile, move_time, 0.0) + np.where(new_pass, pass_setup_time, 0.0)
    t = np.cumsum(waits)
    moves = int(new_tile.sum())
    return Schedule(
        t, float(interval.sum()), moves * move_time, int(new_pass.sum()) * pass_setup_time, moves
    )


def count_tiles(area: TreatmentArea, tile_size: float) -> int:
    """Number of square scanner tiles needed to cover an area.

    Parameters
    ----------
    area : TreatmentArea
        The area.
    tile_size : float
        Side of the square tile [m].

    Returns
    -------
    int
        Tiles of a grid anchored at the area's lower-left corner that overlap
        the area (exclusions removed) by a positive area.
    """
    side = _positive(tile_size, "tile_size", "m") * 1e3
    xmin, ymin, xmax, ymax = area.polygon.bounds
    columns = np.arange(xmin, xmax, side)
    rows = np.arange(ymin, ymax, side)
    grid_x, grid_y = np.meshgrid(columns, rows)
    tiles = shapely.box(
        grid_x.ravel(), grid_y.ravel(), grid_x.ravel() + side, grid_y.ravel() + side
    )
    overlap = shapely.area(shapely.intersection(tiles, area.polygon))
    return int(np.count_nonzero(overlap > 0.0))
