"""The plan keeps its promises (issue 19): the patient's downtime and the area caps.

A property test over generated consultations: whatever the plan prescribes, the
predicted re-epithelialisation falls within the downtime the patient accepted, or a
warning finding says by how much it does not; and no area cap is exceeded by what
the device delivers without a warning finding naming that cap.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dermalase.clinical import rules as clinical_rules
from dermalase.clinical.consultation import CONDITIONS, CORRECTIONS, TREATMENT_AREAS
from dermalase.clinical.names import area_name
from dermalase.clinical.planner import TreatmentPlanner
from dermalase.clinical.rules.findings import DOWNTIME_RULE
from dermalase.exceptions import RefusalError
from tests.clinical.conftest import consultation

PLANNER = TreatmentPlanner()


@st.composite
def _consultations(draw):
    return consultation(
        skin_type=draw(st.integers(1, 4)),
        conditions=draw(
            st.lists(st.sampled_from(sorted(CONDITIONS)), min_size=1, max_size=3, unique=True)
        ),
        areas=draw(
            st.lists(st.sampled_from(sorted(TREATMENT_AREAS)), min_size=1, max_size=2, unique=True)
        ),
        downtime_days=draw(st.integers(2, 12)),
        correction=draw(st.sampled_from(sorted(CORRECTIONS))),
        devices=draw(st.sampled_from([["tunable_er_yag"], ["pulsed_co2"], []])),
    )


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(patient=_consultations())
def test_downtime_and_caps_are_kept_or_said(patient):
    try:
        plan = PLANNER.plan(patient, start_date=datetime.date(2027, 1, 4))
    except RefusalError:
        return  # a refusal keeps every promise
    warnings = [f for f in plan.findings if f.severity == "warning"]
    for area in plan.areas:
        day = area.recovery.reepithelialized_day
        if day > patient.downtime_days:
            assert any(
                f.rule == DOWNTIME_RULE and area_name(area.prescription.area) in f.message
                for f in warnings
            ), (area.prescription.area, day, patient.downtime_days)
        cap = clinical_rules.area_cap(area.prescription.area)
        delivered = area.dose.delivered(area.prescription.area)
        if cap.violations(delivered):
            assert any(f.rule == cap.rule for f in warnings), (cap.rule, cap.violations(delivered))
        # The skin type's coverage limit, on what the device lays, not only on the draft.
        for rule in clinical_rules.load_rules().of_kind("skin_type"):
            limit = rule.fractional_coverage_max_percent
            if not rule.when.matches(patient) or limit is None:
                continue
            if area.prescription.modality == "fractional" and delivered.coverage * 100 > limit:
                assert any(f.rule == rule.id for f in warnings), (rule.id, delivered.coverage)


def test_type_iv_coverage_laid_beyond_its_limit_is_a_warning():
    """The acne example's nearest density step lays 15.3 % on type IV skin (limit 15 %)."""
    patient = consultation(
        skin_type=4,
        conditions=["scars"],
        areas=["full_face"],
        downtime_days=7,
        correction="moderate",
        devices=["fractional_er_yag", "fractional_co2"],
    )
    plan = PLANNER.plan(patient, start_date=datetime.date(2027, 1, 4))
    (area,) = plan.areas
    laid = area.dose.coverage * 100
    said = [f for f in plan.findings if f.rule == "skin_type.IV" and f.severity == "warning"]
    assert (laid > 15) == bool(said), (laid, said)
    if said:
        assert f"{laid:.1f} %" in said[0].message


def test_the_micro_peel_heals_within_its_three_days():
    """The example's 3 days: 35 µm plus the device's ~10 µm of coagulation healed on day 4."""
    patient = consultation(
        skin_type=2,
        conditions=["fine_lines", "tone_and_texture"],
        areas=["full_face"],
        downtime_days=3,
        correction="moderate",
        devices=["tunable_er_yag"],
    )
    plan = PLANNER.plan(patient, start_date=datetime.date(2027, 1, 4))
    (area,) = plan.areas
    assert area.recovery.reepithelialized_day <= 3
    assert any(
        f.rule == DOWNTIME_RULE and "re-epithelialises within the 3 days" in f.message
        for f in plan.findings
    )


@pytest.mark.parametrize("area", ["chest", "dorsal_hand", "neck"])
def test_an_er_yag_peel_at_the_ablation_cap_keeps_the_total_cap(area):
    """The off-face total caps allow the ~10 µm every Er:YAG pulse leaves (Walsh 1989).

    A total cap equal to the ablation cap was unreachable: the device's own coagulation put
    every delivered chest plan near 40 µm against 30 µm, and the warning fired on every plan.
    """
    cap = clinical_rules.area_cap(area)
    patient = consultation(
        skin_type=2,
        conditions=["fine_lines"],
        areas=[area],
        downtime_days=14,
        correction="marked",
        devices=["tunable_er_yag"],
    )
    plan = PLANNER.plan(patient, start_date=datetime.date(2027, 1, 4))
    (planned,) = plan.areas
    delivered = planned.dose.delivered(area)
    assert delivered.ablation_depth >= 0.8 * cap.full_field_ablation_depth  # near the cap
    assert delivered.coagulation_depth > 5e-6  # the device's own coagulation is there
    assert not cap.violations(delivered), cap.violations(delivered)
    # Lowering the ablation under the total cap is never silent.
    assert any(f.rule == cap.rule and "total cap" in f.message for f in plan.findings)
