"""``dermalase safety`` on the command line (kept with the safety tests; mirrors cli/safety.py)."""

from __future__ import annotations

import json

import pytest

from dermalase.devices import DEVICE_PATH_VARIABLE, bundled_device_files
from tests.cli import run

KEYS = {
    "wavelength_nm",
    "exposure_duration_s",
    "mpe_eye_j_m2",
    "mpe_skin_j_m2",
    "nohd_m",
    "nohd_diffuse_m",
    "od_required",
}


@pytest.mark.parametrize("name", [path.stem for path in bundled_device_files()])
def test_json_has_the_wavelength_figures_and_sources(name, capsys):
    code, out, _ = run(["safety", "--device", name, "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    [row] = result["wavelengths"]
    assert KEYS <= set(row)
    assert row["od_required"] > 0
    assert row["pulse_train"]  # which of the device's trains is the worst case
    assert any("IEC 60825-1:2014" in source for source in result["sources"])
    assert all(key.startswith("beam.") for key in result["assumptions"])


def test_text_output_names_the_device(capsys):
    code, out, _ = run(["safety", "--device", "fractional_co2"], capsys)
    assert code == 0
    # by its display name; the file name stays in the JSON
    assert "Fractional CO2 (10600 nm)" in out and "IEC 60825-1:2014" in out


def test_unknown_device_is_one_line_exit_2(capsys):
    code, out, err = run(["safety", "--device", "nosuch", "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == "device"
    assert len(err.strip().splitlines()) == 1


def test_device_near_1400_nm_gets_the_cornea_dual_limit(tmp_path, monkeypatch, capsys):
    """A 1320 nm device: its eye MPE never exceeds the skin's (the corneal dual limit)."""
    bundled = next(p for p in bundled_device_files() if p.stem == "er_ysgg")
    text = bundled.read_text().replace('name = "er_ysgg"', 'name = "nd_yag_1320"')
    text = text.replace("wavelength_nm = 2790", "wavelength_nm = 1320")
    (tmp_path / "nd_yag_1320.toml").write_text(text)
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    code, out, _ = run(["safety", "--device", "nd_yag_1320", "--json"], capsys)
    assert code == 0
    [row] = json.loads(out)["wavelengths"]
    assert row["wavelength_nm"] == 1320
    assert row["mpe_eye_j_m2"] <= row["mpe_skin_j_m2"]


def test_every_number_of_the_safety_json_is_a_glossary_key(capsys):
    from dermalase import units

    code, out, _ = run(["safety", "--device", "fractional_co2", "--json"], capsys)
    assert code == 0
    known = {units.clinical_key(name) for name in units.QUANTITIES} | set(units.UNITLESS_KEYS)
    for row in json.loads(out)["wavelengths"]:
        for key, value in row.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert key in known, key
