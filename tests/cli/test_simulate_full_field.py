"""``dermalase simulate`` (full field): the spot sizes the ejecta plume over it."""

import json

from tests.cli import run

BASE = [
    "simulate",
    "--area",
    "cheek",
    "--wavelength",
    "2940nm",
    "--fluence",
    "20J/cm2",
    "--pulse-duration",
    "300us",
]


def _depth(capsys, *extra):
    code, out, _ = run([*BASE, *extra, "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    return result["spot_diameter_um"], result["ablation_depth_um"]


def test_the_spot_is_reported_and_a_wider_one_shields_more(capsys):
    # the free plume over a spot of diameter D is pi D / 4 long on its axis:
    # at the same fluence a wider spot puts more ejecta in the beam
    default, depth_default = _depth(capsys)
    narrow, depth_narrow = _depth(capsys, "--spot", "2mm")
    wide, depth_wide = _depth(capsys, "--spot", "6mm")
    assert (default, narrow, wide) == (3000, 2000, 6000)
    assert depth_narrow > depth_default > depth_wide > 0


def test_a_spot_beyond_the_range_is_named(capsys):
    code, out, _ = run([*BASE, "--spot", "12mm", "--json"], capsys)
    assert code == 2
    error = json.loads(out)
    assert error["field"] == "--spot"
