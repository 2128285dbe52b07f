from pathlib import Path

import pytest

from dermalase import units
from dermalase.exceptions import InputError, RefusalError
from dermalase.units import check_range, parse_quantity


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("10J/cm2", "J/m**2", 1e5),
        ("10 J/cm^2", "J/m**2", 1e5),
        ("300us", "s", 3e-4),
        ("300 µs", "s", 3e-4),
        ("2940nm", "m", 2.94e-6),
        ("50um", "m", 5e-5),
        ("20mJ", "J", 0.02),
        ("1Hz", "Hz", 1.0),
        ("15%", "dimensionless", 0.15),
    ],
)
def test_parse(text, unit, expected):
    assert parse_quantity(text, unit, "x") == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "10", "10mJ", "inf J/cm2"])
def test_parse_rejects(text):
    with pytest.raises(InputError, match="fluence"):
        parse_quantity(text, "J/m**2", "fluence")


def test_range():
    assert check_range(1.0, "f", low=0.0) == 1.0
    with pytest.raises(InputError, match="must be > 0"):
        check_range(0.0, "f", low=0.0)


# ------------------------------------------------------------ the glossary map

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def _glossary_rows() -> dict[str, str]:
    """Name -> JSON key of every row of docs/glossary.md's table."""
    if not GLOSSARY.is_file():
        pytest.skip(f"{GLOSSARY} is not here (tests copied without the source tree)")
    rows = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[4].strip("`")
    return rows


def test_every_glossary_quantity_is_in_the_docs_and_every_docs_row_is_in_the_map():
    rows = _glossary_rows()
    assert set(rows) == set(units.QUANTITIES)
    assert rows == {name: units.clinical_key(name) for name in units.QUANTITIES}


def test_docs_glossary_is_the_generated_one():
    if not GLOSSARY.is_file():
        pytest.skip(f"{GLOSSARY} is not here")
    assert GLOSSARY.read_text(encoding="utf-8") == units.glossary_markdown()


def test_json_keys_are_unique_and_not_unitless():
    keys = [units.clinical_key(name) for name in units.QUANTITIES]
    assert len(keys) == len(set(keys))
    assert not set(keys) & units.UNITLESS_KEYS


@pytest.mark.parametrize(
    ("name", "si", "key", "shown"),
    [
        # 10 J/cm² = 1e5 J/m² (1 cm² = 1e-4 m²)
        ("fluence", 1e5, "fluence_j_cm2", 10.0),
        ("ablation_depth", 118e-6, "ablation_depth_um", 118.0),
        ("wavelength", 2940e-9, "wavelength_nm", 2940.0),
        ("pulse_duration", 300e-6, "pulse_duration_us", 300.0),
        ("energy", 0.02, "energy_mj", 20.0),
        ("coverage", 0.15, "coverage_percent", 15.0),
        ("density", 1e6, "density_per_cm2", 100.0),
        # body temperature: 310.15 K is 37 °C
        ("peak_temperature", 310.15, "peak_temperature_c", 37.0),
        ("downtime", 7 * 86400.0, "downtime_days", 7.0),
    ],
)
def test_to_clinical_against_the_unit_definitions(name, si, key, shown):
    assert units.to_clinical(name, si) == (key, pytest.approx(shown, rel=1e-12))
    assert units.to_si(name, shown) == pytest.approx(si, rel=1e-12)


def test_dial_value_is_the_si_value_of_the_clinical_resolution():
    assert units.dial_value("ablation_depth", 117.96e-6) == pytest.approx(118.0e-6, rel=1e-12)
    assert units.dial_value("coverage", 0.27149, decimals=1) == pytest.approx(0.271, rel=1e-12)


def test_clinical_mapping_converts_glossary_names_and_keeps_the_rest():
    shown = units.clinical_mapping(
        {"area": "cheek", "spot_diameter": None, "passes": 2, "depth_after_pulse": [1e-5, 2e-5]}
    )
    assert shown == {
        "area": "cheek",
        "spot_diameter_um": None,
        "passes": 2,
        "depth_after_pulse_um": [10.0, 20.0],
    }


def test_refusal_nearest_is_si_inside_and_clinical_at_the_edge():
    refusal = RefusalError("device.x", "too deep", "a.toml", nearest={"ablation_depth": 1.18e-4})
    assert refusal.nearest == {"ablation_depth": 1.18e-4}
    assert refusal.nearest_clinical == {"ablation_depth_um": 118.0}
    assert str(refusal).endswith("nearest achievable: ablation depth 118 µm")


def test_an_unknown_quantity_is_named():
    with pytest.raises(KeyError, match="spot_um"):
        units.clinical_key("spot_um")
