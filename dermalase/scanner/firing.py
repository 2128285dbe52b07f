"""Fire the laid zones: group them into pattern tiles, order, time, and check the heat.

The raster order is always timed and heat-checked, as the reference. Any other
order is scored on a sample of the tiles; the heat-aware order is kept only if,
on every spot, it is no worse than raster on either heat figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dermalase.scanner import heating, timing
from dermalase.scanner.order import firing_sequence, tile_ranks
from dermalase.scanner.pattern import Pattern
from dermalase.scanner.settings import ScanSettings

#: The heat-aware order scores its candidates on every this-many-th pattern tile [-].
SCORING_TILE_STRIDE = 4


@dataclass(frozen=True)
class FiringOrder:
    """The order the spots fire in, its timing, and its heat against raster.

    Parameters
    ----------
    order : str
        The order asked for; the heat-aware order keeps its name when the
        raster sequence stands in for it.
    sequence : numpy.ndarray
        Indices of the laid spots in firing order.
    tiles : numpy.ndarray
        Pattern tile of each laid spot (rank in visiting order), in laid order.
    times : Schedule
        Firing times and duration of the sequence
        (:class:`~dermalase.scanner.timing.Schedule`).
    figures : HeatFigures
        Spacing within the thermal window and peak bulk rise of the sequence.
    raster_figures : HeatFigures
        The same for the raster order of the same spots.
    cooled_figures : HeatFigures
        The figures of the sequence with chilled air on the surface (a
        convective surface; the order is chosen on the insulated figures).
    heat_transfer_coefficient : float
        Heat-transfer coefficient of the chilled air [W/(m^2 K)].
    """

    order: str
    sequence: np.ndarray
    tiles: np.ndarray
    times: timing.Schedule
    figures: heating.HeatFigures
    raster_figures: heating.HeatFigures
    cooled_figures: heating.HeatFigures
    heat_transfer_coefficient: float


def scoring_sample(tiles: np.ndarray) -> np.ndarray:
    """Spots of the tiles on which the heat-aware order scores its candidates.

    Every :data:`SCORING_TILE_STRIDE`-th tile in visiting order (all tiles when
    there are few): the candidates are compared on a quarter of the work, and
    the winner is then checked against raster on every spot.
    """
    if tiles.size == 0 or tiles.max() < 2 * SCORING_TILE_STRIDE:
        return np.ones(tiles.size, dtype=bool)
    return tiles % SCORING_TILE_STRIDE == 0


def fire(
    spots: Pattern,
    order: str,
    settings: ScanSettings,
    heat_per_spot: float,
    *,
    move_time: float,
    pass_setup_time: float,
    window: float | None,
    time_horizon: float | None,
    column_depth: float | None,
    heat_transfer_coefficient: float = 0.0,
) -> FiringOrder:
    """Group the spots into pattern tiles, order them, time them and check their heat.

    Parameters
    ----------
    spots : Pattern
        The laid zones of every pass.
    order : str
        Firing order name (:data:`~dermalase.scanner.order.ORDERS`).
    settings : ScanSettings
        Repetition rate, scanner speed, pattern tile and zone diameter.
    heat_per_spot : float
        Residual heat per spot [J].
    move_time, pass_setup_time : float
        Handpiece move between tiles and setup before each pass [s].
    window, time_horizon : float or None
        Thermal window of the spacing figure and oldest heat counted [s].
    column_depth : float or None
        Depth of a column heat source [m]; None for a surface source.
    heat_transfer_coefficient : float
        Chilled air on the surface [W/(m^2 K)], for the cooled figures.

    Returns
    -------
    FiringOrder
    """
    tiles = tile_ranks(
        spots.x, spots.y, settings.pattern_size, shape=settings.pattern_shape, row=spots.row
    )
    heat_options: dict = {
        "spot_diameter": settings.zone_diameter,
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
        return times, heating.heat_figures(x, y, times.t, heat_per_spot, **heat_options)

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

    def finish(name, sequence, times, figures):
        cooled = heating.heat_figures(
            spots.x[sequence],
            spots.y[sequence],
            times.t,
            heat_per_spot,
            **heat_options,
            heat_transfer_coefficient=heat_transfer_coefficient,
        )
        return FiringOrder(
            name,
            sequence,
            tiles,
            times,
            figures,
            raster_figures,
            cooled,
            heat_transfer_coefficient,
        )

    raster = sequence_of("raster")
    raster_times, raster_figures = evaluate(raster)
    if order == "raster":
        return finish(order, raster, raster_times, raster_figures)
    sampled = scoring_sample(tiles)

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
    return finish(order, sequence, times, figures)
