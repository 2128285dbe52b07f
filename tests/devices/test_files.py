"""Tests of reading device files: validation errors name the key, discovery of user files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermalase.devices import (
    DEVICE_PATH_VARIABLE,
    bundled_device_files,
    list_devices,
    load_device,
    read_device_file,
)
from dermalase.exceptions import InputError

BUNDLED = {path.stem: path for path in bundled_device_files()}
REQUIRED = {"tunable_er_yag", "fractional_er_yag", "pulsed_co2", "fractional_co2", "er_ysgg"}


# -------------------------------------------------------------------- bad files


def write_variant(folder: Path, old: str, new: str, name: str = "tunable_er_yag") -> Path:
    text = BUNDLED[name].read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}.toml"
    path = folder / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def load_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_device_file(path)
    message = str(caught.value)
    assert "\n" not in message, "one line, not a pydantic dump"
    assert "validation error" not in message.lower()
    assert "pydantic" not in message.lower()
    return caught.value


def test_missing_field_is_named(tmp_path):
    path = write_variant(tmp_path, "fluence_max_j_cm2 = 25 ", "# removed ")
    error = load_error(path)
    assert error.field == "full_field.fluence_max_j_cm2"
    assert error.value == "(missing)"


def test_negative_fluence_is_named_with_its_unit(tmp_path):
    path = write_variant(tmp_path, "fluence_min_j_cm2 = 1 ", "fluence_min_j_cm2 = -1 ")
    error = load_error(path)
    assert error.field == "full_field.fluence_min_j_cm2"
    assert error.value == "-1"
    assert "J/cm²" in error.allowed


def test_minimum_above_maximum_is_refused(tmp_path):
    path = write_variant(tmp_path, "fluence_min_j_cm2 = 1 ", "fluence_min_j_cm2 = 30 ")
    error = load_error(path)
    assert error.field == "full_field.fluence_max_j_cm2"
    assert "fluence_min_j_cm2" in error.allowed


def test_unknown_pulse_mode_is_refused(tmp_path):
    path = write_variant(tmp_path, 'name = "long"', 'name = "medium"')
    error = load_error(path)
    assert error.field == "pulse_modes.medium.name"
    assert "short" in error.allowed and "long" in error.allowed


@pytest.mark.parametrize("wavelength", ["1200", "11500", "532"])
def test_wavelength_outside_the_water_table_is_refused(tmp_path, wavelength):
    path = write_variant(tmp_path, "wavelength_nm = 2940", f"wavelength_nm = {wavelength}")
    error = load_error(path)
    assert error.field == "wavelength_nm"
    assert "nm" in error.allowed


@pytest.mark.parametrize("wavelength", ["1300", "11000"])
def test_wavelength_edges_are_accepted(tmp_path, wavelength):
    path = write_variant(tmp_path, "wavelength_nm = 2940", f"wavelength_nm = {wavelength}")
    assert read_device_file(path).wavelength == pytest.approx(float(wavelength) * 1e-9)


def test_misspelt_key_suggests_the_right_one(tmp_path):
    path = write_variant(tmp_path, "fluence_max_j_cm2 = 25", "fluence_max_jcm2 = 25")
    error = load_error(path)
    assert error.field == "full_field.fluence_max_jcm2"
    assert "fluence_max_j_cm2" in error.allowed


def test_fractional_modality_without_energy_table_is_refused(tmp_path):
    path = write_variant(
        tmp_path, 'modality = ["full_field"]', 'modality = ["full_field", "fractional"]'
    )
    error = load_error(path)
    assert error.field == "fractional"


def test_assumption_naming_no_key_is_refused(tmp_path):
    path = write_variant(tmp_path, '"max_passes",', '"max_pass",')
    error = load_error(path)
    assert error.field == "assumptions"
    assert error.value == "max_pass"
    assert "max_passes" in error.allowed


def test_name_must_match_the_file_name(tmp_path):
    path = write_variant(tmp_path, 'name = "tunable_er_yag"', 'name = "other_laser"')
    error = load_error(path)
    assert error.field == "name"


def test_text_where_a_number_belongs_is_refused(tmp_path):
    path = write_variant(tmp_path, "max_passes = 6", 'max_passes = "6"')
    assert load_error(path).field == "max_passes"


def test_broken_toml_is_an_input_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = [", encoding="utf-8")
    assert "TOML" in load_error(path).allowed


# -------------------------------------------------------------------- discovery


def test_unknown_device_name_suggests_the_closest():
    with pytest.raises(InputError) as caught:
        load_device("tunable_eryag")
    assert caught.value.field == "device"
    assert "did you mean 'tunable_er_yag'" in caught.value.allowed


def test_user_device_from_the_environment_is_listed_and_loadable(tmp_path, monkeypatch):
    text = BUNDLED["er_ysgg"].read_text(encoding="utf-8")
    (tmp_path / "clinic_ysgg.toml").write_text(
        text.replace('name = "er_ysgg"', 'name = "clinic_ysgg"'), encoding="utf-8"
    )
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    names = [device.name for device in list_devices()]
    assert "clinic_ysgg" in names
    assert REQUIRED <= set(names)
    assert load_device("clinic_ysgg").wavelength == pytest.approx(2790e-9)


def test_user_device_from_extra_dirs_and_by_path(tmp_path, monkeypatch):
    monkeypatch.delenv(DEVICE_PATH_VARIABLE, raising=False)
    text = BUNDLED["pulsed_co2"].read_text(encoding="utf-8")
    path = tmp_path / "my_co2.toml"
    path.write_text(text.replace('name = "pulsed_co2"', 'name = "my_co2"'), encoding="utf-8")
    assert "my_co2" not in [device.name for device in list_devices()]
    assert "my_co2" in [device.name for device in list_devices(extra_dirs=[tmp_path])]
    assert load_device(path).name == "my_co2"
    assert load_device(str(path)).source_file == "my_co2.toml"


def test_user_device_may_not_shadow_a_bundled_one(tmp_path, monkeypatch):
    (tmp_path / "pulsed_co2.toml").write_text(
        BUNDLED["pulsed_co2"].read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    with pytest.raises(InputError, match="defined twice"):
        list_devices()


def test_missing_device_directory_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(InputError) as caught:
        list_devices()
    assert caught.value.field == DEVICE_PATH_VARIABLE


def test_invalid_user_file_is_reported_when_listing(tmp_path, monkeypatch):
    write_variant(tmp_path, "fluence_min_j_cm2 = 1 ", "fluence_min_j_cm2 = 0 ", name="er_ysgg")
    (tmp_path / "er_ysgg.toml").rename(tmp_path / "bad_ysgg.toml")
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    with pytest.raises(InputError) as caught:
        list_devices()
    # The name check would fire first if the field checks did not.
    assert caught.value.field == "full_field.fluence_min_j_cm2"
