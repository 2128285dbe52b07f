import numpy as np
import pytest

from dermalase.scanner.areas import template
from dermalase.scanner.firing import SCORING_TILE_STRIDE, fire, scoring_sample
from dermalase.scanner.layout import lay_zones
from dermalase.scanner.settings import ScanSettings

SETTINGS = ScanSettings("fractional", 120e-6, 120e-6, 5e-3, None, 300.0, 1.0, "square", 5e-3, None)
OPTIONS = {
    "lattice": None,
    "passes": 1,
    "pass_offset": 0.5,
    "min_spacing": None,
    "seed": 0,
    "edge_tolerance": 0.0,
    "profile": "top-hat",
}


@pytest.fixture(scope="module")
def glabella():
    return lay_zones(template("glabella"), 120e-6, "fractional", 0.10, None, **OPTIONS)


@pytest.mark.parametrize("order", ["raster", "interleaved", "heat-aware"])
def test_every_spot_fires_once_and_heat_aware_is_never_worse(glabella, order):
    firing = fire(
        glabella.pattern,
        order,
        SETTINGS,
        5e-3,
        move_time=1.0,
        pass_setup_time=30.0,
        window=None,
        time_horizon=None,
        column_depth=None,
    )
    assert firing.order == order
    assert np.array_equal(np.sort(firing.sequence), np.arange(glabella.pattern.spots))
    assert np.all(np.diff(firing.times.t) > 0)
    if order == "heat-aware":
        assert firing.figures.min_spacing >= firing.raster_figures.min_spacing
        assert firing.figures.peak_rise <= firing.raster_figures.peak_rise


def test_scoring_sample_takes_every_fourth_tile_of_many():
    tiles = np.repeat(np.arange(40), 3)
    sample = scoring_sample(tiles)
    assert set(np.unique(tiles[sample])) == set(range(0, 40, SCORING_TILE_STRIDE))
    assert scoring_sample(np.arange(5)).all()
