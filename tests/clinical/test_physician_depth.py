"""The physician's dial (``[depth.AREA]``): the planner checks the depth, never chooses it."""

import json

import pytest

from dermalase.clinical.consultation import Consultation
from dermalase.clinical.planner import TreatmentPlanner
from dermalase.clinical.rules import DOWNTIME_RULE, PHYSICIAN_RULE, area_cap
from dermalase.dosimetry import depth_tolerance
from dermalase.exceptions import InputError, RefusalError
from dermalase.report.schema import consultation_schema

from .conftest import example

UM = 1e-6


def patient(depth: dict, **fields) -> Consultation:
    """A fair-skinned patient asking for a full-face peel, with the physician's dial."""
    values = {
        "age": 40,
        "skin_type": "II",
        "conditions": ["complexion"],
        "areas": ["full_face"],
        "downtime_days": 7,
        "correction": "mild",
        "devices": ["tunable_er_yag"],
        "start_date": "2025-06-02",
        "depth": depth,
    }
    return Consultation(**(values | fields))


@pytest.fixture(scope="module")
def planner():
    return TreatmentPlanner()


@pytest.fixture(scope="module")
def dialled(planner):
    """40 µm of ablation and 20 µm of coagulation set by the physician on the full face."""
    return planner.plan(patient({"face": {"ablation": "40um", "coagulation": "20um"}}))


# ------------------------------------------------------------------ the consultation


def test_dial_reads_quantities_with_units_and_canonical_area_names():
    consultation = patient({"Full face": {"ablation": "0.015 mm", "coagulation": "5 µm"}})
    dial = consultation.physician_depth("full_face")
    assert dial.ablation_depth == pytest.approx(15 * UM)
    assert dial.coagulation_depth == pytest.approx(5 * UM)
    assert dial.coverage_fraction is None


@pytest.mark.parametrize(
    ("depth", "field"),
    [
        ({"face": {"ablation": "15"}}, "depth.full_face.ablation"),  # no unit
        ({"face": {"ablation": "15 J"}}, "depth.full_face.ablation"),  # not a length
        ({"face": {"ablation": "15um", "coverage": "150%"}}, "depth.full_face.coverage"),
        ({"face": {"ablation": "15um", "modality": "laser"}}, "depth.full_face.modality"),
        ({"face": {"ablation": "15um", "depth": "1um"}}, "depth.full_face.depth"),
        ({"face": {"coagulation": "15um"}}, "depth.full_face.ablation"),  # missing
        ({"neck": {"ablation": "15um"}}, "depth.neck"),  # an area not requested
    ],
)
def test_a_bad_dial_is_one_input_error_naming_its_path(depth, field):
    with pytest.raises(InputError) as error:
        patient(depth)
    assert error.value.field == field


def test_the_dial_is_documented_in_the_consultation_schema():
    schema = consultation_schema()
    dial = schema["$defs"]["PhysicianDepth"]
    assert set(dial["properties"]) == {"ablation", "coagulation", "coverage", "modality"}
    assert all(field["description"] for field in dial["properties"].values())
    assert "physician" in schema["properties"]["depth"]["description"]
    json.dumps(schema)


# ------------------------------------------------------------------ planned as given


def test_dial_is_planned_as_given_within_the_tolerance_of_dosimetry(dialled):
    (area,) = dialled.areas
    assert area.prescription.ablation_depth == pytest.approx(40 * UM)
    assert area.prescription.coagulation_depth == pytest.approx(20 * UM)
    assert area.dose.ablation_depth == pytest.approx(40 * UM, abs=depth_tolerance(40 * UM))
    assert area.draft.physician


def test_dial_is_recorded_as_the_physicians(dialled):
    recorded = [finding for finding in dialled.findings if finding.rule == PHYSICIAN_RULE]
    assert len(recorded) == 1
    assert "physician" in recorded[0].message and "40 µm" in recorded[0].message


def test_no_dial_is_no_physician_finding(planner):
    plan = planner.plan(patient({}))
    assert not any(finding.rule == PHYSICIAN_RULE for finding in plan.findings)
    assert not plan.areas[0].draft.physician


# ------------------------------------------------------------------ checked against the rules


def test_dial_beyond_the_area_cap_is_refused_naming_the_cap(planner):
    cap = area_cap("periorbital")
    beyond = cap.full_field_ablation_depth + 20 * UM
    consultation = patient(
        {"periorbital": {"ablation": f"{beyond / UM:g}um"}},
        areas=["periorbital"],
        conditions=["fine_lines"],
    )
    with pytest.raises(RefusalError) as refusal:
        planner.plan(consultation)
    assert refusal.value.rule == cap.rule == "area_cap.periorbital"
    assert f"{cap.full_field_ablation_depth / UM:.1f}" in refusal.value.message


def test_dial_beyond_the_area_cap_is_planned_with_an_override_and_its_reason(planner):
    cap = area_cap("periorbital")
    beyond = cap.full_field_ablation_depth + 20 * UM
    consultation = patient(
        {"periorbital": {"ablation": f"{beyond / UM:g}um"}},
        areas=["periorbital"],
        conditions=["fine_lines"],
        downtime_days=30,
    )
    reason = "thick eyelid skin measured by ultrasound, consent documented"
    plan = planner.plan(consultation, overrides={cap.rule: reason})
    assert plan.areas[0].prescription.ablation_depth == pytest.approx(beyond)
    assert plan.overrides == {cap.rule: reason}
    assert {"rule": cap.rule, "reason": reason} in plan.to_dict()["overrides"]


def test_dial_of_a_contraindicated_modality_is_refused_naming_the_rule(planner):
    consultation = patient(
        {"cheek": {"ablation": "20um", "modality": "full_field"}},
        skin_type="V",
        areas=["cheek"],
        conditions=["scars"],
        devices=["tunable_er_yag", "fractional_er_yag"],
    )
    with pytest.raises(RefusalError) as refusal:
        planner.plan(consultation)
    assert refusal.value.rule == "skin_type.V_VI"


def test_dial_beyond_the_skin_type_coverage_is_refused_naming_the_rule(planner):
    consultation = patient(
        {"cheek": {"ablation": "60um", "modality": "fractional", "coverage": "15%"}},
        skin_type="V",
        areas=["cheek"],
        conditions=["scars"],
        devices=["fractional_er_yag"],
    )
    with pytest.raises(RefusalError) as refusal:
        planner.plan(consultation)
    assert refusal.value.rule == "skin_type.V_VI"
    assert "10 %" in refusal.value.message


# ------------------------------------------------------------------ downtime and device


def test_dial_that_heals_after_the_downtime_is_planned_and_warns_with_the_day(planner):
    plan = planner.plan(patient({"face": {"ablation": "15um"}}, downtime_days=1))
    (area,) = plan.areas
    assert area.prescription.ablation_depth == pytest.approx(15 * UM)  # not fitted down
    day = area.recovery.reepithelialized_day
    assert day > 1
    warnings = [
        finding
        for finding in plan.findings
        if finding.rule == DOWNTIME_RULE and finding.severity == "warning"
    ]
    assert len(warnings) == 1
    assert f"day {day}" in warnings[0].message and "physician decides" in warnings[0].message


def test_dial_within_the_downtime_gives_no_downtime_warning(dialled):
    assert dialled.areas[0].recovery.reepithelialized_day <= 7
    assert not any(finding.rule == DOWNTIME_RULE for finding in dialled.findings)


def test_dial_shallower_than_the_device_delivers_is_refused_with_the_nearest(planner):
    with pytest.raises(RefusalError) as refusal:
        planner.plan(patient({"face": {"ablation": "2um"}}))
    nearest = refusal.value.nearest["ablation_depth"]
    assert nearest > 2 * UM
    assert "nearest achievable" in str(refusal.value)
    assert "[depth.full_face]" in refusal.value.message
    # The physician can then set the nearest depth, and it is planned as set.
    plan = planner.plan(patient({"face": {"ablation": f"{nearest / UM:.1f}um"}}))
    delivered = plan.areas[0].dose.ablation_depth
    assert delivered == pytest.approx(nearest, abs=depth_tolerance(nearest))


# ------------------------------------------------------------------ the examples


@pytest.mark.parametrize("name", ["nano_peel_physician_depth", "acne_scars_type_v"])
def test_dialled_examples_plan_the_physicians_depth(name, planner):
    consultation = example(name)
    plan = planner.plan(consultation)
    assert any(finding.rule == PHYSICIAN_RULE for finding in plan.findings)
    for area in plan.areas:
        dial = consultation.physician_depth(area.prescription.area)
        assert area.prescription.ablation_depth == pytest.approx(dial.ablation_depth)


def test_type_v_example_stays_within_the_type_v_coverage(planner):
    plan = planner.plan(example("acne_scars_type_v"))
    assert plan.areas[0].dose.coverage <= 0.10
