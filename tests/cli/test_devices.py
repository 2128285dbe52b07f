"""``dermalase devices`` on the command line."""

import json

import pytest

from dermalase.devices import DEVICE_PATH_VARIABLE, bundled_device_files
from tests.cli import run

BUNDLED = {
    "er_ysgg",
    "fractional_co2",
    "fractional_er_yag",
    "pulsed_co2",
    "tunable_er_yag",
    "fractional_1550",
    "thulium_1927",
    "hybrid_1470",
}


@pytest.fixture
def no_user_devices(monkeypatch):
    monkeypatch.delenv(DEVICE_PATH_VARIABLE, raising=False)


def test_devices_json_lists_the_bundled_devices(capsys, no_user_devices):
    code, out, _ = run(["devices", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    rows = {row["name"]: row for row in result["devices"]}
    assert set(rows) == BUNDLED
    assert rows["tunable_er_yag"]["wavelength_nm"] == 2940
    assert rows["fractional_co2"]["wavelength_nm"] == 10600
    assert rows["fractional_co2"]["modality"] == ["fractional"]
    assert rows["tunable_er_yag"]["full_field"]["fluence_max_j_cm2"] == 25
    assert rows["fractional_co2"]["fractional"]["energy_max_mj"] == 40
    assert all(row["bundled"] for row in rows.values())
    assert all(row["sources"] for row in rows.values())
    # the registered citations of the devices are listed in full
    assert any("Hantash" in source for source in result["sources"])


def test_user_devices_are_listed_after_the_bundled_ones(tmp_path, monkeypatch, capsys):
    bundled = next(p for p in bundled_device_files() if p.stem == "tunable_er_yag")
    text = bundled.read_text().replace('name = "tunable_er_yag"', 'name = "clinic_erbium"')
    (tmp_path / "clinic_erbium.toml").write_text(text)
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    code, out, _ = run(["devices", "--json"], capsys)
    assert code == 0
    rows = json.loads(out)["devices"]
    assert [row["name"] for row in rows][-1] == "clinic_erbium"
    user = rows[-1]
    assert user["bundled"] is False
    assert user["path"] == str(tmp_path / "clinic_erbium.toml")
    # and the user device can be scanned with
    code, out, err = run(["scan", "--area", "chin", "--device", "clinic_erbium", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["device"] == "clinic_erbium"


def test_a_missing_user_folder_is_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path / "absent"))
    code, _, err = run(["devices"], capsys)
    assert code == 2
    assert DEVICE_PATH_VARIABLE in err and len(err.strip().splitlines()) == 1


def test_devices_readable(capsys, no_user_devices):
    code, out, _ = run(["devices"], capsys)
    assert code == 0
    for name in BUNDLED:
        assert name in out
    assert "2940" in out and "bundled" in out
