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


def test_type_v_acne_scars_plan_with_shallower_sparse_columns():
    # Before: every route refused (the lowest density step of both devices lays more than
    # type V's 10 % with 300 µm+ columns). Now shallower columns, whose zones are narrower,
    # keep the lowest step within 10 %, and a finding says so and by how much.
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
    (said,) = [f for f in plan.findings if f.rule == FALLBACK_RULE]
    assert said.severity == "warning" and "shallower columns" in said.message
    assert f"{area.prescription.ablation_depth / UM:.0f} µm instead of" in said.message
    assert "expect less correction" in said.message


def test_another_listed_device_is_tried_first():
    patient = consultation(
        skin_type=2,
        conditions=["scars"],
        areas=["cheek"],
        devices=["fractional_co2", "fractional_er_yag"],
    )
    draft = Prescription("cheek", "fractional", 10.6e-6, 300 * UM, coverage=0.15)
    request = PlanRequest(overrides={}, recovery=healing_bands, simulate=simulate)
    refused = RefusalError("device.density_steps", "the first device refused", "a profile")
    findings: list = []
    moved, device, result = TreatmentPlanner()._fallback(
        draft, load_device("fractional_co2"), patient, request, findings, refused
    )
    assert device.name == "fractional_er_yag" and moved.wavelength == device.wavelength
    assert result.coverage <= draft.coverage + 1e-9
    (said,) = findings
    assert said.rule == FALLBACK_RULE and f"planned on {device.display_name}" in said.message
