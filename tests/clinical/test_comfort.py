import pytest

from dermalase.clinical.comfort import (
    anaesthesia_for,
    comfort_data,
    comfort_for,
    eye_protection_for,
)
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription

UM = 1e-6
ER_YAG, CO2 = 2.94e-6, 10.6e-6
TIERS = [entry.id for entry in comfort_data().anaesthesia]


def full_field(ablation_um, coagulation_um=0.0, area="cheek"):
    return Prescription(area, "full_field", ER_YAG, ablation_um * UM, coagulation_um * UM)


@pytest.mark.parametrize(
    ("prescription", "tier"),
    [
        # MicroLaserPeel: topical only (Pozner); one superficial pass (iliveok).
        (full_field(35), "anesthesia.topical"),
        (full_field(50), "anesthesia.topical"),
        # 50-100 um: topical + oral +/- nerve blocks (after skinlasers.com, iliveok.com).
        (full_field(80), "anesthesia.topical_oral_blocks"),
        # Deep or with a coagulation setting: blocks or infiltration.
        (full_field(150), "anesthesia.infiltration"),
        (full_field(40, 10), "anesthesia.infiltration"),
        # ProFractional / Halo: topical numbing (clinic pages).
        (
            Prescription("cheek", "fractional", ER_YAG, 500 * UM, coverage=0.15),
            "anesthesia.topical_fractional",
        ),
        # Fractional CO2 re:pair: oral sedation, nerve blocks, tumescent infiltration.
        (
            Prescription("cheek", "fractional", CO2, 500 * UM, coverage=0.15),
            "anesthesia.infiltration",
        ),
    ],
)
def test_anaesthesia_follows_depth(prescription, tier):
    assert anaesthesia_for(prescription).rule == tier


def test_topical_cream_goes_on_about_45_minutes_before():
    # 30-60 min before Halo, ProFractional, Fraxel (clinic pages); 45 min is the middle.
    instruction = anaesthesia_for(full_field(35))
    assert "45 minutes" in instruction.text and "Pozner" in instruction.source


def test_deeper_full_field_never_needs_milder_anaesthesia():
    levels = [TIERS.index(anaesthesia_for(full_field(depth)).rule) for depth in range(4, 201, 4)]
    assert levels == sorted(levels)


def test_a_plan_gets_the_strongest_tier_and_eye_shields_near_the_eyes():
    comfort = comfort_for([full_field(35, area="full_face"), full_field(150, 50, "perioral")])
    assert comfort.anaesthesia.rule == "anesthesia.infiltration"
    assert comfort.by_area == {
        "full_face": "anesthesia.topical",
        "perioral": "anesthesia.infiltration",
    }
    assert [item.rule for item in comfort.eye_protection] == [
        "eyes.laser_eyewear",
        "eyes.corneal_shields",
    ]
    assert [item.rule for item in comfort.cooling] == ["cooling.chilled_air"]


def test_shields_only_when_treating_inside_the_orbital_rim():
    comfort = comfort_for([full_field(35, area="neck")])
    assert [item.rule for item in comfort.eye_protection] == ["eyes.laser_eyewear"]
    summary = comfort.to_dict()
    assert summary["anaesthesia"]["lead_time_minutes"] == 45
    assert all(item["source"] for item in summary["eye_protection"] + summary["cooling"])


def test_no_prescriptions_is_an_input_error():
    with pytest.raises(InputError):
        comfort_for([])


@pytest.mark.parametrize(
    ("area", "shields"),
    [("full_face", True), ("periorbital", True), ("neck", False), ("perioral", False)],
)
def test_corneal_shields_inside_the_orbital_rim_only(area, shields):
    # Metal corneal shields when treating inside the orbital rim (Huang; Blanco 2007);
    # laser eyewear for every area.
    rules = [item.rule for item in eye_protection_for(full_field(35, area=area))]
    assert "eyes.laser_eyewear" in rules
    assert ("eyes.corneal_shields" in rules) == shields
