import numpy as np
import pytest
import shapely

from dermalase.exceptions import InputError
from dermalase.scanner.areas import area_from_polygon
from dermalase.scanner.plan import scan_area
from dermalase.scanner.timing import count_tiles, schedule, spot_intervals


def test_interval_is_the_slower_of_laser_and_mirrors():
    # 100 Hz -> 10 ms; jumps 1 mm and 30 mm at 1 m/s -> 1 ms and 30 ms
    x = np.array([0.0, 1e-3, 31e-3])
    intervals = spot_intervals(x, np.zeros(3), repetition_rate=100.0, scanner_speed=1.0)
    assert intervals.tolist() == pytest.approx([0.01, 0.01, 0.03])


def test_schedule_adds_moves_and_pass_setups():
    x = np.zeros(6)
    tile = np.array([0, 0, 1, 1, 0, 1])
    pass_index = np.array([0, 0, 0, 0, 1, 1])
    plan = schedule(
        x,
        x,
        tile,
        pass_index,
        repetition_rate=10.0,
        scanner_speed=1.0,
        move_time=2.0,
        pass_setup_time=30.0,
    )
    # 6 pulses at 0.1 s, 2 moves (one per pass), 2 setups
    assert plan.firing_seconds == pytest.approx(0.6)
    assert plan.tile_moves == 2
    assert plan.total_seconds == pytest.approx(0.6 + 4.0 + 60.0)
    assert np.all(np.diff(plan.t) > 0)


def test_bad_rates_are_refused():
    with pytest.raises(InputError, match="repetition_rate"):
        spot_intervals(np.zeros(2), np.zeros(2), repetition_rate=0.0, scanner_speed=1.0)
    with pytest.raises(InputError, match="move_time"):
        schedule(
            np.zeros(2),
            np.zeros(2),
            np.zeros(2),
            np.zeros(2),
            repetition_rate=1.0,
            scanner_speed=1.0,
            move_time=-1.0,
        )


def test_tiles_are_counted_with_the_area_clipped():
    square = area_from_polygon(shapely.box(0, 0, 30, 30))  # mm
    assert count_tiles(square, 10e-3) == 9
    assert count_tiles(square, 12e-3) == 9  # 3 x 3 tiles, the last row and column partial
    disk = area_from_polygon(shapely.Point(0, 0).buffer(15, quad_segs=64))
    assert count_tiles(disk, 10e-3) == 9  # the 4 corners of a 30 mm square overlap a disk


# Typical fractional CO2 full face (assumed settings): MTZ 300 um, 200 MTZ/cm^2 per pass
# (coverage 200 * pi * 0.03^2 / 4 = 14.1 %), 300 Hz, 1 m/s mirrors, 12 mm tiles, 1.5 s per
# handpiece move, 30 s set-up per pass, 2 passes.
FRACTIONAL = {
    "spot_diameter": 300e-6,
    "modality": "fractional",
    "coverage": 200 * np.pi * 0.03**2 / 4,
    "repetition_rate": 300.0,
    "scanner_speed": 1.0,
    "tile_size": 12e-3,
    "move_time": 1.5,
    "pass_setup_time": 30.0,
    "heat_per_spot": 5e-3,
    "order": "raster",
}


def test_full_face_fractional_takes_15_to_30_minutes():
    plan = scan_area("full-face", passes=2, **FRACTIONAL)
    assert 15.0 <= plan.treatment_minutes <= 30.0
    # 200 spots/cm^2 per pass over the face: about 57,000 per pass
    assert plan.spots == pytest.approx(2 * 200 * plan.area_cm2, rel=0.01)


def test_deeper_work_with_three_passes_takes_longer():
    two = scan_area("full-face", passes=2, **FRACTIONAL)
    three = scan_area("full-face", passes=3, **FRACTIONAL)
    assert three.treatment_minutes > two.treatment_minutes + 5.0


def test_full_face_full_field_erbium_takes_15_to_30_minutes():
    # Er:YAG full field (assumed): 4 mm spots, 15 % overlap, 10 Hz, 20 mm scanner
    # pattern, 1 s per move, 30 s per pass, 3 passes (ablate, ablate, smooth)
    plan = scan_area(
        "full-face",
        4e-3,
        "full-field",
        overlap=0.15,
        passes=3,
        repetition_rate=10.0,
        tile_size=20e-3,
        move_time=1.0,
        pass_setup_time=30.0,
        heat_per_spot=0.1,
        order="raster",
    )
    assert 15.0 <= plan.treatment_minutes <= 30.0
