"""``dermalase optics``: per-layer properties with their sources; bad input exits 2."""

import json

import pytest

from dermalase import units
from dermalase.tissue import skin_model
from dermalase.tissue.skin_optics import layer_optics
from tests.cli import run

ARGS = ["optics", "--area", "cheek", "--wavelength", "1470nm", "--skin-type", "IV"]


def _numeric_keys(document, found=None):
    found = set() if found is None else found
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.add(key)
            elif isinstance(value, dict) and all(isinstance(v, float) for v in value.values()):
                found.add(key)
            else:
                _numeric_keys(value, found)
    elif isinstance(document, list):
        for item in document:
            _numeric_keys(item, found)
    return found


def test_json_gives_every_layer_in_clinical_units_with_sources(capsys):
    code, out, _ = run([*ARGS, "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["wavelength_nm"] == 1470.0 and result["skin_type"] == "IV"
    expected = layer_optics(skin_model("cheek"), 1470e-9, 4)
    assert [row["layer"] for row in result["layers"]] == [layer.name for layer in expected]
    for row, layer in zip(result["layers"], expected, strict=True):
        assert row["absorption_coefficient_per_cm"] == pytest.approx(
            layer.absorption_coefficient / 100, abs=1e-4
        )
        assert row["reduced_scattering_coefficient_per_cm"] == pytest.approx(
            layer.reduced_scattering_coefficient / 100, abs=1e-3
        )
        assert row["sources"]
    assert any("Hale GM, Querry MR" in text for text in result["sources"])
    known = {units.clinical_key(n) for n in units.QUANTITIES} | set(units.UNITLESS_KEYS)
    assert _numeric_keys(result) <= known


def test_terminal_view_fits_80_columns_and_shows_no_identifier(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(ARGS, capsys)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "viable epidermis" in out and "viable_epidermis" not in out
    assert "left out" in out  # haemoglobin and lipid have no spectrum at 1470 nm


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["optics", "--area", "cheek", "--wavelength", "300nm"], "--wavelength"),
        (["optics", "--area", "cheek", "--wavelength", "12um"], "--wavelength"),
        (["optics", "--area", "cheek", "--wavelength", "1470"], "--wavelength"),
        (["optics", "--area", "cheeck", "--wavelength", "1470nm"], "area"),
        ([*ARGS[:-1], "VII"], "--skin-type"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, field, capsys):
    code, out, err = run([*args, "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == field
    assert err.count("\n") == 1
