"""Fallback routes when the first device refuses a draft: another device, shallower work."""

from __future__ import annotations

import datetime

from dermalase.clinical.planner import FALLBACK_RULE, PlanRequest, TreatmentPlanner
from dermalase.clinical.recovery import healing_bands
from dermalase.devices import load_device
from dermalase.exceptions import RefusalError
from dermalase.forward.models import simulate
from dermalase.prescription import Prescription
from tests.clinical.conftest import consultation

TODAY = datetime.date(2026, 12, 6)
UM = 1e-6


def fall_back(draft, device, patient, refused):
    """The planner's fallback after ``device`` refused ``draft``; its result and findings."""
    request = PlanRequest(overrides={}, recovery=healing_bands, simulate=simulate)
    findings: list = []
    planned = TreatmentPlanner()._fallback(draft, device, patient, request, findings, refused)
    return (*planned, findings)


def test_type_v_acne_scars_plan_within_the_skin_type_coverage():
    # The Er:YAG density steps, 2.5 % of the spot apart, lay 8.9 % with the
    # ~330 um zones of a 500 um column: within type V's 10 % at full depth.
    patient = consultation(
        skin_type=5,
        conditions=["scars"],
        areas=["cheek"],
        downtime_days=7,
        devices=["fractional_er_yag", "fractional_co2"],
    )
    plan = TreatmentPlanner().plan(patient, today=TODAY)
    (area,) = plan.areas
    assert area.prescription.modality == "fractional"
    assert area.dose.coverage <= 0.10 + 1e-9  # the skin type's limit, as laid


def test_shallower_sparse_columns_when_the_sparsest_step_lays_too_much():
    # A 500 um Er:YAG draft at 6 %: the sparsest step (5 % of the 250 um spot)
    # lays ~9 % with 500 um columns, whose zones are ~1.3x the spot. Shallower
    # columns have narrower zones, so the fallback bisects for the deepest that
    # the sparsest step lays within the draft's coverage, and says so.
    patient = consultation(
        skin_type=5, conditions=["scars"], areas=["cheek"], devices=["fractional_er_yag"]
    )
    device = load_device("fractional_er_yag")
    draft = Prescription("cheek", "fractional", device.wavelength, 500 * UM, coverage=0.06)
    refused = RefusalError("device.density_steps", "the sparsest step lays too much", "a profile")
    shallower, kept, result, findings = fall_back(draft, device, patient, refused)
    assert kept.name == device.name
    assert shallower.ablation_depth < draft.ablation_depth
    assert result.coverage <= draft.coverage + 1e-9
    (said,) = findings
    assert said.rule == FALLBACK_RULE and said.severity == "warning"
    assert "shallower columns" in said.message
    assert f"{shallower.ablation_depth / UM:.0f} µm instead of" in said.message
    assert "expect less correction" in said.message


def test_another_listed_device_is_tried_first():
    patient = consultation(
        skin_type=2,
        conditions=["scars"],
        areas=["cheek"],
        devices=["fractional_co2", "fractional_er_yag"],
    )
    draft = Prescription("cheek", "fractional", 10.6e-6, 300 * UM, coverage=0.15)
    refused = RefusalError("device.density_steps", "the first device refused", "a profile")
    moved, device, result, findings = fall_back(
        draft, load_device("fractional_co2"), patient, refused
    )
    assert device.name == "fractional_er_yag" and moved.wavelength == device.wavelength
    assert result.coverage <= draft.coverage + 1e-9
    (said,) = findings
    assert said.rule == FALLBACK_RULE and f"planned on {device.display_name}" in said.message


def test_shallower_ablation_takes_the_coagulation_an_ablative_only_device_leaves():
    # The pulsed CO2 has no coagulation train: once the desiccated layer is
    # wiped off after each pass, its pulses leave ~44 um of coagulation under
    # any ablation it delivers, short of the 50 um drafted. The shallower
    # route keeps the ablation it bisects for and takes that coagulation, with
    # a warning that names the device's limit.
    patient = consultation(
        skin_type=1, conditions=["deeper wrinkles"], areas=["perioral"], devices=["pulsed_co2"]
    )
    device = load_device("pulsed_co2")
    draft = Prescription(
        "perioral", "full_field", device.wavelength, 139 * UM, coagulation_depth=50 * UM
    )
    refused = RefusalError("device.pulse_duration_min", "too much coagulation", "a profile")
    shallower, kept, result, findings = fall_back(draft, device, patient, refused)
    assert kept.name == device.name
    assert shallower.ablation_depth < draft.ablation_depth
    assert shallower.coagulation_depth < draft.coagulation_depth
    # what is planned is what the pulses leave, within the dosimetry band
    assert abs(result.coagulation_depth - shallower.coagulation_depth) <= 5 * UM
    rules = [finding.rule for finding in findings]
    assert rules == ["device.coagulation", FALLBACK_RULE]
    assert "planned the coagulation its ablative pulses leave" in findings[0].message
