import json
import subprocess
import sys

import pytest

from tests.cli import run

BASE = [
    "simulate",
    "--area",
    "cheek",
    "--wavelength",
    "2940nm",
    "--fluence",
    "10J/cm2",
    "--pulse-duration",
    "300us",
]


def test_simulate_json_has_contract_keys(capsys):
    code, out, _ = run([*BASE, "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    for key in (
        "ablation_depth_um",
        "coagulation_depth_um",
        "total_depth_um",
        "peak_temperature_c",
        "layers_ablated",
        "deepest_layer_coagulated",
        "sources",
    ):
        assert key in result
    assert result["total_depth_um"] == pytest.approx(
        result["ablation_depth_um"] + result["coagulation_depth_um"], abs=0.02
    )


def test_simulate_readable(capsys):
    code, out, _ = run(BASE, capsys)
    assert code == 0 and "Ablation depth" in out


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("--fluence", "0J/cm2"), "--fluence"),
        (("--fluence", "-3J/cm2"), "--fluence"),
        (("--fluence", "nan J/cm2"), "--fluence"),
        (("--area", "cheeks"), "did you mean 'cheek'"),
        (("--wavelength", "500nm"), "wavelength"),
        (("--wavelength", "15um"), "wavelength"),
        (("--pulse-duration", "0us"), "--pulse-duration"),
        (("--pulse-duration", "-5us"), "--pulse-duration"),
        (("--fluence", "10mJ"), "--fluence"),
    ],
)
def test_bad_input_exit_2_one_line(change, needle, capsys):
    args = list(BASE)
    index = args.index(change[0])
    args[index + 1] = change[1]
    code, out, err = run(args, capsys)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert out == ""


def test_bad_input_json_prints_one_error_object(capsys):
    code, out, _ = run([*BASE[:-1], "-1us", "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == "--pulse-duration"


def test_areas_json(capsys):
    code, out, _ = run(["areas", "--json"], capsys)
    assert code == 0
    names = [row["area"] for row in json.loads(out)["areas"]]
    assert "periorbital" in names and "dorsal_hand" in names


def test_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "dermalase", "areas", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["areas"]
