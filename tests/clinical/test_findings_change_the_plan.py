"""Every finding changes something visible: conservative settings, override caveats."""

from __future__ import annotations

import datetime

import pytest

from dermalase.clinical.planner import TreatmentPlanner
from dermalase.clinical.rules import indication_for
from tests.clinical.conftest import consultation

START = datetime.date(2027, 1, 4)


@pytest.mark.parametrize("correction", ["moderate", "marked"])
def test_recent_isotretinoin_lowers_the_fractional_draft(correction):
    # Spring 2017 allows fractional work after isotretinoin; the precaution keeps it at the
    # mild end of the indicated range: depth and density both lower than without the drug.
    # Skin type IV prefers fractional work either way, so only the drug differs.
    base = dict(conditions=["fine_lines"], downtime_days=10, correction=correction, skin_type=4)
    off = indication_for(consultation(**base, history={"isotretinoin_months_ago": 7}), "cheek")
    on_drug = consultation(**base, history={"isotretinoin_months_ago": 1})
    on = indication_for(on_drug, "cheek")
    assert on.prescription.modality == off.prescription.modality == "fractional"
    assert on.prescription.ablation_depth < off.prescription.ablation_depth
    assert on.prescription.coverage < off.prescription.coverage
    (said,) = [f for f in on.findings if "conservative settings" in f.message]
    assert said.rule == "precaution.isotretinoin_recent" and said.severity == "warning"
    # The finding says by how much, in µm and %.
    assert f"{off.prescription.ablation_depth * 1e6:.0f} µm" in said.message
    assert f"{on.prescription.ablation_depth * 1e6:.0f} µm" in said.message


def test_a_mild_correction_is_already_conservative():
    patient = consultation(
        conditions=["fine_lines"], correction="mild", history={"isotretinoin_months_ago": 1}
    )
    assert not [f for f in indication_for(patient, "cheek").findings if "conservative" in f.message]


def test_a_pregnancy_override_carries_its_caveats_into_anaesthesia_and_antivirals():
    patient = consultation(
        conditions=["fine_lines"],
        areas=["full_face"],
        downtime_days=3,
        history={"pregnancy": True, "herpes_simplex": True},
    )
    reason = "second trimester; the obstetrician agrees in writing"
    plan = TreatmentPlanner().plan(
        patient, start_date=START, overrides={"contraindication.pregnancy": reason}
    )
    data = plan.to_dict()
    assert "pregnant" in data["anaesthesia"]["summary"]
    (antiviral,) = [f for f in data["findings"] if f["rule"] == "precaution.antiviral_prophylaxis"]
    assert "pregnant" in antiviral["message"] and "obstetrician" in antiviral["message"]
    (override,) = [f for f in data["findings"] if f["severity"] == "override"]
    assert reason in override["message"] and "Carried into the plan" in override["message"]


def test_no_caveat_without_the_override():
    patient = consultation(areas=["full_face"], history={"herpes_simplex": True})
    data = TreatmentPlanner().plan(patient, start_date=START).to_dict()
    assert "pregnant" not in data["anaesthesia"]["summary"]
    assert not any("pregnant" in f["message"] for f in data["findings"])


def test_a_course_dated_in_the_past_is_a_warning():
    today = datetime.date(2026, 12, 6)
    planner = TreatmentPlanner()
    past = planner.plan(consultation(), start_date=datetime.date(2025, 6, 2), today=today)
    (said,) = [f for f in past.findings if f.rule == "course.start_date"]
    assert said.severity == "warning" and "2025-06-02" in said.message
    assert past.course.dates[0] == "2025-06-02"  # kept as given: the physician decides
    fresh = planner.plan(consultation(), today=today)
    assert fresh.course.dates[0] == "2026-12-06"  # no start date: the day of planning
    assert not [f for f in fresh.findings if f.rule == "course.start_date"]
