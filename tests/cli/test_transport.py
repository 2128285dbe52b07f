"""``dermalase transport``: the issue's JSON keys, the van de Hulst slab, and bad input."""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from dermalase import units
from dermalase.physics.transport import monte_carlo_gpu
from tests.cli import run
from tests.cli.test_optics import _numeric_keys

SLAB = """
n_above = 1.0
n_below = 1.0

[[layer]]
n = 1.0
mua = "10/cm"
mus = "90/cm"
g = 0.75
thickness = "0.2mm"
"""
KEYS = ("specular_reflectance", "diffuse_reflectance", "transmittance", "absorbed")


@pytest.fixture
def slab(tmp_path):
    path = tmp_path / "slab.toml"
    path.write_text(SLAB)
    return path


def test_van_de_hulst_slab_from_a_file(slab, capsys):
    code, out, _ = run(["transport", "--layers", str(slab), "--photons", "2e5", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    for key in KEYS:
        assert key in result
    for key in KEYS[1:]:
        assert result[f"{key}_stderr"] > 0
    assert result["photons"] == 200_000 and result["photons_per_second"] > 0
    # 4 standard errors: a two-sided test at 1 in 16,000 (van de Hulst's table)
    assert abs(result["diffuse_reflectance"] - 0.09739) < 4 * result["diffuse_reflectance_stderr"]
    assert abs(result["transmittance"] - 0.66096) < 4 * result["transmittance_stderr"]
    total = sum(result[key] for key in KEYS)
    assert total == pytest.approx(1.0, abs=1e-3)  # roulette's net weight is within error
    assert result["absorbed_per_layer"] == [pytest.approx(result["absorbed"])]
    known = {units.clinical_key(n) for n in units.QUANTITIES} | set(units.UNITLESS_KEYS)
    assert _numeric_keys(result) <= known


def test_an_area_at_a_wavelength_with_a_beam_and_a_picture(tmp_path, capsys, monkeypatch):
    png = tmp_path / "light.png"
    args = ["transport", "--area", "cheek", "--wavelength", "1470nm", "--photons", "2e4",
            "--beam", "gaussian:120um", "--png", str(png), "--threads", "1"]  # fmt: skip
    code, out, _ = run([*args, "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["spot_diameter_um"] == 120.0 and result["beam"] == "gaussian"
    assert (
        len(result["absorbed_per_layer"]) == 5
        and result["layers"][-1]["layer_thickness_um"] is None
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result["sources"]
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(args, capsys)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80
    assert "viable epidermis" in out and "viable_epidermis" not in out


def test_diffuse_light_reflects_more_at_the_surface_than_a_normal_beam(tmp_path, capsys):
    path = tmp_path / "tissue.toml"
    path.write_text(SLAB.replace("n = 1.0\nmua", "n = 1.4\nmua"))
    shares = {}
    for beam in ("pencil", "diffuse"):
        args = ["transport", "--layers", str(path), "--photons", "2e4", "--beam", beam, "--json"]
        code, out, _ = run(args, capsys)
        assert code == 0
        shares[beam] = json.loads(out)["specular_reflectance"]
    assert shares["pencil"] == pytest.approx((0.4 / 2.4) ** 2)
    assert shares["diffuse"] > 2 * shares["pencil"]  # oblique rays reflect more


def test_same_seed_same_answer_on_one_and_two_threads(slab, capsys):
    answers = []
    for threads in ("1", "2"):
        args = ["transport", "--layers", str(slab), "--photons", "3e4", "--seed", "7"]
        code, out, _ = run([*args, "--threads", threads, "--json"], capsys)
        assert code == 0
        answers.append({key: json.loads(out)[key] for key in KEYS})
    assert answers[0] == answers[1]


BAD_LAYERS = {
    "negative mua": ('mua = "10/cm"', 'mua = "-10/cm"', "layer[1].mua"),
    "NaN mus": ('mus = "90/cm"', 'mus = "nan/cm"', "layer[1].mus"),
    "g = 1": ("g = 0.75", "g = 1.0", "layer[1].g"),
    "g = -1": ("g = 0.75", "g = -1.0", "layer[1].g"),
    "n < 1": ("n = 1.0", "n = 0.9", "layer[1].n"),
    "NaN n": ("n = 1.0", "n = nan", "layer[1].n"),
    "thickness 0": ('thickness = "0.2mm"', 'thickness = "0um"', "layer[1].thickness"),
    "n_above < 1": ("n_above = 1.0", "n_above = 0.5", "n_above"),
}


@pytest.mark.parametrize("case", BAD_LAYERS)
def test_bad_layer_file_is_one_line_exit_2(case, tmp_path, capsys):
    old, new, field = BAD_LAYERS[case]
    path = tmp_path / "bad.toml"
    path.write_text(SLAB.replace(old, new, 1))
    png = tmp_path / "never.png"
    code, out, err = run(["transport", "--layers", str(path), "--png", str(png), "--json"], capsys)
    assert code == 2
    assert field in json.loads(out)["field"]
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not png.exists()  # nothing written


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--photons", "0"], "--photons"),
        (["--photons", "1.5"], "--photons"),
        (["--photons", "1e12"], "--photons"),
        (["--threads", "0"], "--threads"),
        (["--compute", "tpu"], "--compute"),
        (["--beam", "gaussian"], "--beam"),
        (["--beam", "donut:1mm"], "--beam"),
        (["--beam", "diffuse:1mm"], "--beam"),
        (["--wavelength", "1470nm"], "--wavelength"),
    ],
)
def test_bad_options_are_one_line_exit_2(extra, field, slab, capsys):
    code, out, err = run(["transport", "--layers", str(slab), *extra, "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == field
    assert err.count("\n") == 1


def test_either_layers_or_area(slab, capsys):
    for args in ([], ["--layers", str(slab), "--area", "cheek"]):
        code, out, _ = run(["transport", *args, "--json"], capsys)
        assert code == 2
    code, out, _ = run(["transport", "--area", "cheek", "--json"], capsys)
    assert code == 2 and json.loads(out)["field"] == "--wavelength"


def test_device_cpu_and_auto_without_a_gpu(slab, capsys, monkeypatch):
    monkeypatch.setattr(monte_carlo_gpu, "available", lambda: False)
    answers = {}
    for device in ("cpu", "auto"):
        args = ["transport", "--layers", str(slab), "--photons", "2e3", "--compute", device]
        code, out, _ = run([*args, "--json"], capsys)
        assert code == 0
        result = json.loads(out)
        assert result["compute"] == "cpu" and result["threads"] >= 1
        answers[device] = {key: result[key] for key in KEYS}
    assert answers["auto"] == answers["cpu"]


def test_device_gpu_without_one_is_one_line_exit_2(slab, capsys, monkeypatch):
    # a choice this machine cannot meet is bad input here (exit 2), not a
    # safety or device limit (exit 3)
    monkeypatch.setattr(monte_carlo_gpu, "available", lambda: False)
    code, out, err = run(["transport", "--layers", str(slab), "--compute", "gpu", "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == "--compute"
    assert err.count("\n") == 1 and "no CUDA GPU" in err


@pytest.mark.skipif(
    importlib.util.find_spec("numba.cuda") is None,
    reason="numba has no CUDA target here (install the extra 'gpu')",
)
def test_device_gpu_in_the_cuda_simulator(slab):
    # the whole command on the GPU path, run by numba's CUDA simulator in a
    # child process (64 packets: the simulator runs a thread per GPU thread)
    command = (
        "from dermalase.cli import main; "
        f"main(['transport', '--layers', {str(slab)!r}, '--photons', '64', '--compute', 'gpu', "
        "'--json'])"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore::RuntimeWarning", "-c", command],
        env={**os.environ, "NUMBA_ENABLE_CUDASIM": "1"},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["compute"] == "gpu" and result["threads"] is None
    assert result["photons"] == 64
    # van de Hulst's slab again, 4 standard errors as above (wide at 64 packets)
    assert abs(result["diffuse_reflectance"] - 0.09739) < 4 * result["diffuse_reflectance_stderr"]
    assert abs(result["transmittance"] - 0.66096) < 4 * result["transmittance_stderr"]
