from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dermalase.clinical.consultation import (
    CONDITIONS,
    TREATMENT_AREAS,
    on_face,
)
from dermalase.clinical.rules import (
    KINDS,
    SEVERITIES,
    area_cap,
    available_modalities,
    check_overrides,
    draft_prescriptions,
    evaluate,
    indication_for,
    load_rules,
    raise_for_refusal,
)
from dermalase.exceptions import InputError, RefusalError
from dermalase.tissue.areas import AREAS

from .conftest import consultation, scenario

UM = 1e-6
FACE_CAP = area_cap("cheek")


def rules_of(findings, severity=None):
    return {f.rule for f in findings if severity is None or f.severity == severity}


# --- the rule set ----------------------------------------------------------------------


def test_rules_are_data_with_id_reason_and_source():
    rules = load_rules()
    assert {rule.kind for rule in rules.rules} == set(KINDS)
    assert len(set(rules.ids())) == len(rules.ids())
    for rule in rules.rules:
        assert rule.id.startswith(rule.kind + ".") and rule.reason and rule.source


def test_every_condition_and_area_is_covered():
    rules = load_rules()
    indicated = {c for rule in rules.of_kind("indication") for c in rule.conditions}
    assert indicated == set(CONDITIONS)
    for area in TREATMENT_AREAS:
        assert area_cap(area).rule.startswith("area_cap.")


def test_a_broken_rules_file_is_an_input_error(tmp_path):
    text = resources.files("dermalase.clinical").joinpath("data/rules.toml").read_text()
    broken = tmp_path / "rules.toml"
    broken.write_text(text.replace('"history.keloids"', '"history.keloid"'))
    with pytest.raises(InputError, match=r"unknown field 'history\.keloid'"):
        load_rules(broken)
    broken.write_text(text.replace('areas = ["neck"]', 'areas = ["chin"]'))
    with pytest.raises(InputError, match="exactly one area_cap"):
        load_rules(broken)
    broken.write_text(text.replace('"Avram2009"', '"Avram2090"'))
    with pytest.raises(InputError, match="did you mean 'Avram2009'"):
        load_rules(broken)
    broken.write_text(text)
    assert load_rules(broken).ids() == load_rules().ids()


# --- area caps -------------------------------------------------------------------------


def test_eyelid_cap_is_half_its_dermis_and_the_smallest_on_the_face():
    # Meng 2022: eyelid dermis 0.58-0.67 mm; the reference cap is half the dermis, i.e.
    # "eyelid <= ~300 um in fractional mode".
    eyelid = area_cap("periorbital")
    assert eyelid.fractional_total_depth == pytest.approx(0.5 * AREAS["periorbital"].dermis)
    assert 290 * UM <= eyelid.fractional_total_depth <= 340 * UM
    face_areas = [a for a in TREATMENT_AREAS if on_face(a) and a != "periorbital"]
    for area in face_areas:
        cap = area_cap(area)
        assert eyelid.full_field_ablation_depth < cap.full_field_ablation_depth
        assert eyelid.fractional_total_depth < cap.fractional_total_depth


@pytest.mark.parametrize("area", ["neck", "chest", "dorsal_hand"])
def test_off_face_caps_are_shallower_and_sparser_than_the_face(area):
    # Pozner: neck 0.6-0.85x and chest ~0.4x the facial fluence; neck density half the face
    # (physician answer, realself); Avram: lowest density that works.
    cap = area_cap(area)
    assert cap.full_field_ablation_depth <= 50e-6 < FACE_CAP.full_field_ablation_depth
    assert cap.fractional_coverage <= FACE_CAP.fractional_coverage / 2


def test_violations_name_the_exceeded_cap():
    from dermalase.prescription import Prescription

    too_deep = Prescription("neck", "full_field", 2.94e-6, 80 * UM)
    messages = area_cap("neck").violations(too_deep)
    assert "neck: ablation depth 80.0 µm exceeds the cap of 50.0 µm" in messages
    assert "neck: total depth 80.0 µm exceeds the cap of 60.0 µm" in messages
    assert area_cap("cheek").violations(Prescription("cheek", "full_field", 2.94e-6, 80 * UM)) == []
    sparse = Prescription("chest", "fractional", 2.94e-6, 300 * UM, coverage=0.2)
    assert area_cap("chest").violations(sparse) == [
        "chest: coverage 20.0 % exceeds the cap of 15.0 %"
    ]


# --- indications and the scenarios of issue 6 -------------------------------------------


def test_low_downtime_texture_gets_a_shallow_full_field_er_yag_peel():
    patient = scenario("microlaserpeel_texture")
    (draft,) = draft_prescriptions(patient)
    peel = draft.prescription
    assert peel.modality == "full_field"
    assert peel.wavelength == pytest.approx(2.94e-6)
    # Micro laser peel: tens of um (product brief; Pozner <= ~50-60 um), no coagulation.
    assert 10 * UM <= peel.ablation_depth <= 60 * UM and peel.coagulation_depth == 0
    assert draft.predicted_healing_days <= patient.downtime_days


def test_ten_days_of_downtime_gives_deep_resurfacing_on_perioral_skin():
    patient = scenario("deep_perioral_periorbital")
    perioral, periorbital = draft_prescriptions(patient)
    # Deep resurfacing: 100+ um (product brief), with a coagulation layer.
    assert perioral.prescription.modality == "full_field"
    assert perioral.prescription.ablation_depth >= 100 * UM
    assert perioral.prescription.coagulation_depth > 0
    assert perioral.predicted_healing_days <= 10
    # Thinner eyelid skin: shallower, within its own cap.
    assert periorbital.prescription.total_depth < perioral.prescription.total_depth
    assert area_cap("periorbital").violations(periorbital.prescription) == []
    assert "area_cap.periorbital" in rules_of(periorbital.findings)


def test_acne_scars_on_type_iv_get_low_density_fractional_and_pih_precautions():
    patient = scenario("acne_scars_type_iv")
    (draft,) = draft_prescriptions(patient)
    assert draft.prescription.modality == "fractional"
    # Skin type IV: density <= ~10-15 % (modelling choice after Chan 2007 and Yuan, DeepFX).
    assert draft.prescription.coverage <= 0.15
    assert "skin_type.IV" in draft.rules
    warnings = rules_of(evaluate(patient), "warning")
    assert {"precaution.pigmentation_risk", "precaution.test_spot"} <= warnings


def test_neck_and_chest_are_capped_shallower_than_the_face():
    patient = scenario("face_neck_chest")
    face, neck, chest = (d.prescription for d in draft_prescriptions(patient))
    assert neck.ablation_depth < face.ablation_depth and chest.ablation_depth < face.ablation_depth
    assert chest.ablation_depth <= area_cap("chest").full_field_ablation_depth
    assert "precaution.off_face" in rules_of(evaluate(patient), "warning")
    fractional = consultation(
        conditions=["scars"],
        areas=["full_face", "neck", "chest"],
        downtime_days=30,
        correction="marked",
    )
    drafts = {d.prescription.area: d.prescription for d in draft_prescriptions(fractional)}
    assert drafts["neck"].coverage < drafts["full_face"].coverage
    assert drafts["chest"].coverage <= 0.15


def test_isotretinoin_two_months_ago_refuses_full_field_but_offers_fractional():
    # Waldman 2017 (6 months before full-field ablative work); Spring 2017 (fractional
    # ablative acceptable).
    patient = scenario("isotretinoin_two_months")
    (draft,) = draft_prescriptions(patient)
    assert draft.prescription.modality == "fractional"
    assert "contraindication.isotretinoin_full_field" in draft.rules
    findings = evaluate(patient)
    assert not rules_of(findings, "refusal")
    assert "contraindication.isotretinoin_full_field" in rules_of(findings, "warning")
    assert "precaution.isotretinoin_recent" in rules_of(findings, "warning")


def test_isotretinoin_with_only_a_full_field_device_is_refused():
    patient = consultation(history={"isotretinoin_months_ago": 2}, devices=["tunable_er_yag"])
    assert available_modalities(patient, "full_face") == ()
    findings = evaluate(patient)
    assert {"contraindication.isotretinoin_full_field", "devices.modality"} <= rules_of(
        findings, "refusal"
    )
    with pytest.raises(RefusalError) as caught:
        indication_for(patient, "full_face")
    assert caught.value.rule == "contraindication.isotretinoin_full_field"
    assert "Waldman" in caught.value.source


def test_isotretinoin_six_months_ago_allows_full_field():
    # Spring 2017 (systematic review with consensus) and Mirza 2020 (871 patients) found
    # no reason to delay fractional work; the 12-month manufacturer window has no published
    # basis, so at 6 months and beyond neither a block nor a warning fires.
    patient = consultation(history={"isotretinoin_months_ago": 6})
    assert available_modalities(patient, "full_face")[0] == "full_field"
    assert "precaution.isotretinoin_recent" not in rules_of(evaluate(patient))
    within = consultation(history={"isotretinoin_months_ago": 5})
    assert "precaution.isotretinoin_recent" in rules_of(evaluate(within), "warning")


def test_device_list_sets_the_wavelength():
    patient = consultation(conditions=["scars"], devices=["fractional_co2"])
    assert indication_for(patient, "cheek").prescription.wavelength == pytest.approx(10.6e-6)


def test_correction_moves_the_target_within_the_range():
    depths = [
        indication_for(
            consultation(correction=level, downtime_days=30), "cheek"
        ).prescription.ablation_depth
        for level in ("mild", "moderate", "marked")
    ]
    # fine lines: full field 20-60 um (indication.fine_lines_texture)
    assert depths == pytest.approx([20 * UM, 40 * UM, 60 * UM])


def test_short_downtime_limits_depth_and_says_so():
    draft = indication_for(consultation(conditions=["deeper_wrinkles"], downtime_days=3), "cheek")
    assert draft.prescription.total_depth < 80 * UM
    (finding,) = [f for f in draft.findings if f.rule == "recovery.downtime"]
    assert "less correction" in finding.message and finding.source
    no_time = indication_for(consultation(downtime_days=0), "cheek")
    assert no_time.findings[-1].severity == "warning"
    assert no_time.prescription.ablation_depth == pytest.approx(4 * UM)


# --- skin type --------------------------------------------------------------------------


def test_skin_type_iv_prefers_fractional_even_for_texture():
    assert available_modalities(consultation(skin_type=4), "cheek")[0] == "fractional"


@pytest.mark.parametrize("skin_type", [5, 6])
def test_skin_types_v_vi_block_full_field_and_limit_density(skin_type):
    patient = consultation(skin_type=skin_type, conditions=["scars"], downtime_days=30)
    # no full field; non-ablative work preferred where indicated (Kaushik & Alexis 2017)
    assert available_modalities(patient, "cheek") == ("non_ablative", "fractional")
    draft = indication_for(patient, "cheek")
    assert draft.treatment == "non_ablative" and draft.prescription.coverage <= 0.15
    # ablative fractional columns, where a device lists them, stay at 10 % or less
    ablative = consultation(
        skin_type=skin_type, conditions=["scars"], downtime_days=30, devices=["fractional_er_yag"]
    )
    assert indication_for(ablative, "cheek").prescription.coverage <= 0.10
    assert "skin_type.V_VI" in rules_of(evaluate(patient), "warning")


# --- contraindications and precautions ---------------------------------------------------


@pytest.mark.parametrize(
    ("history", "rule"),
    [
        ({"active_infection": True}, "contraindication.active_infection"),
        ({"pregnancy": True}, "contraindication.pregnancy"),
    ],
)
def test_hard_contraindications_refuse(history, rule):
    patient = consultation(history=history)
    findings = evaluate(patient)
    assert findings[0].severity == "refusal" and findings[0].rule == rule
    with pytest.raises(RefusalError) as caught:
        raise_for_refusal(findings)
    assert caught.value.rule == rule and caught.value.source and caught.value.message
    with pytest.raises(RefusalError):
        indication_for(patient, "full_face")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"history": {"herpes_simplex": True}, "areas": ["forehead"]}, True),
        ({"areas": ["perioral"]}, True),
        ({"areas": ["forehead"]}, False),
    ],
)
def test_antiviral_prophylaxis_for_herpes_history_or_perioral_work(changes, expected):
    # Gilbert & McBurney 2000; antivirals for all full-face and perioral resurfacing.
    found = "precaution.antiviral_prophylaxis" in rules_of(evaluate(consultation(**changes)))
    assert found is expected


@pytest.mark.parametrize(
    ("history", "rule"),
    [
        ({"smoking": True}, "precaution.smoking"),
        ({"anticoagulants": True}, "precaution.anticoagulants"),
        ({"recent_tan": True}, "precaution.recent_tan"),
        ({"prior_resurfacing_months_ago": 1}, "precaution.resurfacing_interval"),
    ],
)
def test_history_precautions_warn(history, rule):
    assert rule in rules_of(evaluate(consultation(history=history)), "warning")


def test_precaution_message_explains_the_trigger():
    (finding,) = [
        f
        for f in evaluate(consultation(history={"isotretinoin_months_ago": 2}))
        if f.rule == "precaution.isotretinoin_recent"
    ]
    assert "Isotretinoin last taken 2 months ago, less than 6 months" in finding.message
    # The finding says how strong the evidence is, in words.
    assert "Evidence: A systematic review with consensus (Spring 2017)" in finding.message


def test_a_keloid_history_blocks_full_field_only_and_asks_for_conservative_work():
    # No peer-reviewed source supports an absolute block (textbook: relative; Anderson 2014
    # consensus treats hypertrophic scars with ablative fractional lasers).
    patient = consultation(history={"keloids": True})
    findings = evaluate(patient)
    assert not rules_of(findings, "refusal")
    assert "contraindication.keloids" in rules_of(findings, "warning")
    draft = indication_for(patient, "full_face")
    assert draft.prescription.modality == "fractional"
    assert any("conservative settings" in f.message for f in draft.findings)


def test_the_pigmentation_precaution_follows_the_trials():
    (finding,) = [
        f for f in evaluate(consultation(skin_type=4)) if f.rule == "precaution.pigmentation_risk"
    ]
    # West 1999: pre-treatment hydroquinone did not help; Cheyasak 2015: 75 % vs 40 % PIH
    # after ablative fractional CO2 in type IV, the rate for the planner's own modality.
    assert "Hydroquinone before treatment is not needed" in finding.message
    assert "75 %" in finding.message and "4 % of" not in finding.message


# --- overrides ---------------------------------------------------------------------------


def test_override_needs_a_stated_reason():
    with pytest.raises(InputError, match="reason"):
        check_overrides({"contraindication.keloids": "  "})


def test_override_of_an_unknown_rule_names_the_closest_id():
    with pytest.raises(InputError, match=r"did you mean 'contraindication\.keloids'"):
        check_overrides({"contraindication.keloid": "test spot healed"})


def test_indications_cannot_be_overridden():
    with pytest.raises(InputError, match="cannot be overridden"):
        check_overrides({"indication.scars": "clinic preference"})


def test_an_overridden_contraindication_is_recorded_with_its_reason():
    patient = consultation(history={"active_infection": True})
    reason = "the infection is on the back, far from the treated face"
    findings = evaluate(patient, {"contraindication.active_infection": reason})
    assert not rules_of(findings, "refusal")
    (override,) = [f for f in findings if f.severity == "override"]
    assert override.rule == "contraindication.active_infection" and reason in override.message
    assert "applied to this consultation" in override.message and override.source
    assert indication_for(patient, "full_face", {"contraindication.active_infection": reason})


def test_an_override_that_did_not_apply_is_still_recorded():
    findings = evaluate(consultation(), {"contraindication.pregnancy": "not pregnant"})
    (override,) = [f for f in findings if f.severity == "override"]
    assert "did not apply" in override.message


def test_overriding_an_area_cap_lifts_it():
    patient = consultation(conditions=["deeper_wrinkles"], areas=["neck"], downtime_days=30)
    capped = indication_for(patient, "neck").prescription
    lifted = indication_for(patient, "neck", {"area_cap.neck": "thick neck skin, test spot"})
    assert capped.total_depth <= 60 * UM < lifted.prescription.total_depth  # ablation 50 + 10
    assert "area_cap.neck" in rules_of(
        evaluate(patient, {"area_cap.neck": "thick neck skin, test spot"}), "override"
    )


# --- properties --------------------------------------------------------------------------

HISTORY = st.fixed_dictionaries(
    {},
    optional={
        "isotretinoin_months_ago": st.floats(0, 24),
        "herpes_simplex": st.booleans(),
        "smoking": st.booleans(),
        "anticoagulants": st.booleans(),
        "recent_tan": st.booleans(),
        "prior_resurfacing_months_ago": st.floats(0, 36),
    },
)
HARD = st.fixed_dictionaries(
    {},
    optional={
        "active_infection": st.booleans(),
        "keloids": st.booleans(),
        "pregnancy": st.booleans(),
    },
)


DOWNTIME = st.floats(0, 30)


def consultations(history=HISTORY, downtime=DOWNTIME):
    return st.builds(
        consultation,
        skin_type=st.integers(1, 6),
        conditions=st.lists(st.sampled_from(list(CONDITIONS)), min_size=1, max_size=3, unique=True),
        areas=st.lists(st.sampled_from(list(TREATMENT_AREAS)), min_size=1, max_size=3, unique=True),
        downtime_days=downtime,
        correction=st.sampled_from(["mild", "moderate", "marked"]),
        history=history,
    )


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(consultations(), st.floats(0, 30))
def test_more_downtime_never_gives_a_shallower_draft(patient, extra):
    more = patient.model_copy(update={"downtime_days": min(90.0, patient.downtime_days + extra)})
    for before, after in zip(draft_prescriptions(patient), draft_prescriptions(more), strict=True):
        first, second = before.prescription, after.prescription
        assert first.modality == second.modality
        assert second.ablation_depth >= first.ablation_depth
        assert second.total_depth >= first.total_depth
        assert second.coverage >= first.coverage


@PROPERTY
@given(consultations())
def test_no_draft_exceeds_its_area_cap(patient):
    for draft in draft_prescriptions(patient):
        assert area_cap(draft.prescription.area).violations(draft.prescription) == []


@PROPERTY
@given(consultations(history=st.builds(lambda soft, hard: soft | hard, HISTORY, HARD)))
def test_every_finding_names_its_rule_and_source(patient):
    findings = evaluate(patient)
    assert findings
    for finding in findings:
        assert finding.rule and finding.source and finding.message
        assert finding.severity in SEVERITIES
    assert [SEVERITIES.index(f.severity) for f in findings] == sorted(
        SEVERITIES.index(f.severity) for f in findings
    )
    if "refusal" not in {f.severity for f in findings}:
        for draft in draft_prescriptions(patient):
            assert all(f.rule and f.source for f in draft.findings)
