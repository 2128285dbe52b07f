"""The planner: slots, composition and whole-plan scenarios."""

from __future__ import annotations

import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from dermalase.cli import main
from dermalase.clinical import Consultation, area_cap
from dermalase.clinical.planner import MODELS, TreatmentPlanner
from dermalase.exceptions import InputError, RefusalError
from dermalase.units import QUANTITIES, UNITLESS_KEYS, clinical_key

#: Numeric keys of the scan summary, owned by the scanner (being split now); they carry
#: their unit in the key but are not yet glossary quantities. Bring them under
#: dermalase.units.QUANTITIES when the scanner's to_dict is built from the map.
SCANNER_KEYS = {
    "area_cm2",
    "energy_per_spot_mj",
    "firing_seconds",
    "fluence_max_j_cm2",
    "fluence_min_j_cm2",
    "heat_horizon_s",
    "max_bulk_temperature_rise_c",
    "min_spacing_within_window_mm",
    "moving_seconds",
    "pattern_size_mm",
    "residual_heat_per_spot_mj",
    "scanner_speed_mm_s",
    "setup_seconds",
    "thermal_window_s",
    "treatment_minutes",
    "raster_max_bulk_temperature_rise_c",
    "raster_min_spacing_within_window_mm",
    "temperature_reduction_c",
    "per_spot_mj",
    "heat_transfer_coefficient_w_m2k",
    "single_spot_c",
    "without_cooling_c",
    "with_cooling_c",
    "applies_c",
}
#: Consultation history entries: time before the consultation, unit in the ending.
HISTORY_ENDINGS = ("_months_ago", "_days_ago")


def _unglossed_numeric_keys(document, path="") -> set[str]:
    """Paths of numeric keys that are neither glossary key + suffix nor unitless."""
    glossary = {clinical_key(name) for name in QUANTITIES}
    found = set()
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        where = f"{path}/{key}"
        if isinstance(value, dict | list):
            found |= _unglossed_numeric_keys(value, where)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            name = str(key) if isinstance(key, str) else path.rsplit("/", 1)[-1]
            known = name in glossary or name in UNITLESS_KEYS
            scanner = "/scan/" in where and name in SCANNER_KEYS
            history = "/history/" in where and name.endswith(HISTORY_ENDINGS)
            if not (known or scanner or history):
                found.add(where)
    return found


MICRO_PEEL = dict(
    age=38,
    skin_type=2,
    conditions=["fine lines", "tone and texture"],
    areas=["full-face"],
    downtime_days=3,
    correction="moderate",
)


@pytest.fixture(scope="module")
def micro_peel_plan():
    return TreatmentPlanner().plan(Consultation(**MICRO_PEEL), start_date=datetime.date(2026, 1, 5))


def test_micro_peel_scenario(micro_peel_plan):
    """Texture and fine lines, little downtime: a full-field Er:YAG micro peel series.

    Expectations: Pozner (MicroLaserPeel) — full-field Er:YAG of tens of µm under
    topical anaesthesia, healing in 3-4 days; superficial peels as a series of
    2-4 sessions weeks apart (product brief).
    """
    plan = micro_peel_plan.to_dict()
    (area,) = plan["areas"]
    assert area["modality"] == "full_field"
    assert area["wavelength_nm"] == pytest.approx(2940)
    assert 10 <= area["predicted"]["ablation_depth_um"] <= 60
    assert "topical" in plan["anaesthesia"]["method"]
    assert 2 <= plan["course"]["sessions"] <= 4
    assert plan["course"]["interval_weeks"] >= 4
    assert plan["recovery"]["reepithelialized_day"] <= 5
    assert plan["course"]["dates"][0] == "2026-01-05"


def test_plan_settings_are_the_dose_of_the_prescription(micro_peel_plan):
    """Wiring: the area's settings are what dosimetry returned for its prescription."""
    area = micro_peel_plan.areas[0]
    assert area.dose.prescription == area.prescription
    assert area.scan.spots > 0
    assert micro_peel_plan.treatment_minutes == pytest.approx(area.scan.treatment_minutes)


def test_every_finding_names_rule_and_source(micro_peel_plan):
    for finding in micro_peel_plan.to_dict()["findings"]:
        assert finding["rule"] and finding["source"], finding


def test_no_area_exceeds_its_cap():
    consultation = Consultation(
        age=55,
        skin_type=2,
        conditions=["sun damage"],
        areas=["perioral", "neck"],
        downtime_days=10,
        correction="marked",
    )
    plan = TreatmentPlanner().plan(consultation, start_date="2026-02-02")
    for area in plan.areas:
        delivered = area.prescription.__class__(
            area=area.prescription.area,
            modality=area.prescription.modality,
            wavelength=area.prescription.wavelength,
            ablation_depth=area.dose.ablation_depth,
            coverage=area.dose.coverage,
        )
        assert not area_cap(area.prescription.area).violations(delivered)
    neck = next(a for a in plan.areas if a.prescription.area == "neck")
    perioral = next(a for a in plan.areas if a.prescription.area == "perioral")
    # Off-face skin heals from fewer adnexa: the neck is planned shallower (Pozner).
    assert neck.dose.ablation_depth < perioral.dose.ablation_depth


def test_hard_contraindication_is_refused_then_overridable():
    consultation = Consultation(
        **{**MICRO_PEEL, "history": {"active_infection": True}},
    )
    with pytest.raises(RefusalError) as refusal:
        TreatmentPlanner().plan(consultation, start_date="2026-01-05")
    rule = refusal.value.rule
    assert rule.startswith("contraindication.")
    plan = TreatmentPlanner().plan(
        consultation, start_date="2026-01-05", overrides={rule: "infection treated and cleared"}
    )
    data = plan.to_dict()
    assert {"rule": rule, "reason": "infection treated and cleared"} in data["overrides"]
    assert any(f["severity"] == "override" and f["rule"] == rule for f in data["findings"])


def test_unknown_model_names_the_known_ones():
    with pytest.raises(InputError) as error:
        TreatmentPlanner(recovery="fast_healing")
    assert "healing_bands" in str(error.value)


def test_user_function_fills_a_slot():
    calls = []
    default = MODELS["recovery"]["healing_bands"]

    def recovery(prescription, result):
        calls.append(prescription.area)
        return default(prescription, result)

    planner = TreatmentPlanner(recovery=recovery)
    plan = planner.plan(Consultation(**MICRO_PEEL), start_date="2026-01-05")
    # The drafting limits depth with the same slot (many candidate drafts), and the
    # delivered dose's recovery is the last call.
    assert len(calls) > 1 and set(calls) == {"full_face"}
    assert planner.models["recovery"] == "recovery"
    assert plan.models["recovery"] == "recovery"


def test_drafting_heals_through_the_recovery_slot():
    """A slower recovery model gives a shallower draft for the same downtime."""
    default = MODELS["recovery"]["healing_bands"]

    def slower(prescription, result):
        timeline = default(prescription, result)
        return replace(timeline, healing_days=2 * timeline.healing_days)

    consultation = Consultation(**{**MICRO_PEEL, "downtime_days": 5})
    usual = TreatmentPlanner().plan(consultation, start_date="2026-01-05")
    slow = TreatmentPlanner(recovery=slower).plan(consultation, start_date="2026-01-05")
    (usual_area,), (slow_area,) = usual.areas, slow.areas
    assert slow_area.draft.predicted_healing_days <= consultation.downtime_days
    assert slow_area.prescription.ablation_depth < usual_area.prescription.ablation_depth


def test_plan_command_json(tmp_path, capsys):
    path = tmp_path / "consultation.json"
    path.write_text(json.dumps(MICRO_PEEL))
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(path), "--start-date", "2026-03-02", "--json"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    plan = json.loads(out)
    for key in ("areas", "course", "anaesthesia", "recovery", "aftercare", "findings", "sources"):
        assert key in plan
    for key in ("reepithelialized_day", "makeup_day", "erythema_weeks", "remodeling_months"):
        assert key in plan["recovery"]
    assert plan["course"]["dates"][0] == "2026-03-02"


@pytest.mark.parametrize(
    "args, field",
    [
        (["--start-date", "2026-13-40"], "--start-date"),
        (["--override", "contraindication.pregnancy"], "--reason"),
    ],
)
def test_plan_command_bad_input(tmp_path, capsys, args, field):
    path = tmp_path / "consultation.json"
    path.write_text(json.dumps(MICRO_PEEL))
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(path), *args])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert field in err and err.count("\n") == 1


def test_plan_command_refusal_exit_3(tmp_path, capsys):
    path = tmp_path / "consultation.json"
    path.write_text(json.dumps({**MICRO_PEEL, "history": {"pregnancy": True}}))
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(path), "--json"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 3
    assert json.loads(out)["rule"].startswith("contraindication.")


def test_isotretinoin_two_months_ago_gets_fractional_not_full_field():
    """Isotretinoin within 6 months: no full-field ablation, fractional may be offered.

    Expectation: the contraindication of full-field ablative resurfacing after
    recent isotretinoin and the safety of fractional work in that window (the
    sources of rule contraindication.isotretinoin_full_field in rules.toml).
    """
    consultation = Consultation(
        **{**MICRO_PEEL, "skin_type": 3, "downtime_days": 5},
        history={"isotretinoin_months_ago": 2},
    )
    plan = TreatmentPlanner().plan(consultation, start_date="2026-06-01").to_dict()
    assert {area["modality"] for area in plan["areas"]} == {"fractional"}
    assert any(
        f["rule"] == "contraindication.isotretinoin_full_field" and f["severity"] == "warning"
        for f in plan["findings"]
    )


def test_acne_scars_skin_type_iv_fractional_with_pigment_precautions():
    """Scars on type IV skin: fractional columns, limited density, PIH precautions.

    Expectation: fractional resurfacing for acne scars in darker skin with
    density kept low (Yuan et al., DeepFX split-face in Asian skin: adverse
    effects rose with density) and post-inflammatory hyperpigmentation
    precautions (rule skin_type.IV sources).
    """
    consultation = Consultation(
        age=28,
        skin_type=4,
        conditions=["acne scars"],
        areas=["full-face"],
        downtime_days=7,
        correction="moderate",
        devices=["fractional_er_yag", "fractional_co2"],
    )
    plan = TreatmentPlanner().plan(consultation, start_date="2026-05-04").to_dict()
    (area,) = plan["areas"]
    assert area["modality"] == "fractional"
    assert area["predicted"]["coverage_percent"] <= 15 + 2
    assert area["predicted"]["ablation_depth_um"] >= 200
    rules = {f["rule"] for f in plan["findings"]}
    assert "precaution.pigmentation_risk" in rules
    # Fractional healing with bridges of intact skin: days, not the 7-10 of deep full field.
    assert plan["recovery"]["reepithelialized_day"] <= 7
    assert not _unglossed_numeric_keys(plan)


def test_every_numeric_key_of_a_full_field_plan_is_a_glossary_key(micro_peel_plan):
    plan = micro_peel_plan.to_dict()
    assert not _unglossed_numeric_keys(plan)
    # the renamed settings keys of the glossary, not the old abbreviations
    settings = plan["areas"][0]["settings"]
    assert {"repetition_rate_hz", "spot_diameter_um", "coagulation_pulses"} <= set(settings)
    assert not {"rep_rate_hz", "spot_um", "coag_pulses", "density_percent"} & set(settings)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"skin_type": 7}, "skin_type"),
        ({"downtime_days": -1}, "downtime_days"),
        ({"conditions": ["fine lnes"]}, "conditions"),
        ({"areas": ["cheeks and nek"]}, "areas"),
    ],
)
def test_bad_consultation_exits_2_and_writes_nothing(tmp_path, capsys, change, field):
    path = tmp_path / "consultation.json"
    path.write_text(json.dumps({**MICRO_PEEL, **change}))
    out = tmp_path / "plan"
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert field in err and err.count("\n") == 1
    assert not out.exists()


def test_malformed_consultation_file(tmp_path, capsys):
    path = tmp_path / "consultation.toml"
    path.write_text("age = [unclosed\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(path)])
    assert exit_info.value.code == 2
    assert "consultation.toml" in capsys.readouterr().err


NANO_PEEL = dict(
    age=30,
    skin_type=2,
    conditions=["complexion"],
    areas=["full-face"],
    correction="mild",
)


def test_nano_peel_plans_a_few_micrometres():
    """A nano peel removes a few micrometres of stratum corneum, which the model
    now removes cell by cell just above threshold: the complexion consultation
    gets a plan of a few um, not the ~13 um the stratum corneum once took whole."""
    plan = TreatmentPlanner().plan(
        Consultation(**NANO_PEEL, downtime_days=3), start_date="2026-01-05"
    )
    (area,) = plan.areas
    assert 1e-6 <= area.dose.ablation_depth <= 8e-6
    assert area.recovery.healing_days <= 3


def test_nano_peel_with_one_day_of_downtime_gets_a_plan():
    plan = TreatmentPlanner().plan(
        Consultation(**NANO_PEEL, downtime_days=1), start_date="2026-01-05"
    )
    (area,) = plan.areas
    assert area.dose.ablation_depth <= 8e-6


# --- a stateless planner -------------------------------------------------------------------

#: Two different consultations (face full field; perioral and periorbital deep work).
TWO = (
    Consultation(**MICRO_PEEL),
    Consultation(
        age=55,
        skin_type=2,
        conditions=["deeper wrinkles"],
        areas=["perioral", "periorbital"],
        downtime_days=10,
        correction="marked",
        devices=["tunable_er_yag"],
    ),
)


def _plan_json(planner, consultation):
    plan = planner.plan(consultation, start_date="2026-01-05").to_dict()
    plan.pop("created")
    return json.dumps(plan, sort_keys=True)


def test_plan_keeps_no_state_on_the_planner():
    planner = TreatmentPlanner()
    before = {
        name: (value, dict(value) if isinstance(value, dict) else value)
        for name, value in vars(planner).items()
    }
    planner.plan(TWO[1], start_date="2026-01-05", overrides={"area_cap.face": "test spot"})
    after = vars(planner)
    assert after.keys() == before.keys()
    for name, (value, copy) in before.items():
        assert after[name] is value and after[name] == copy, name


def test_one_planner_plans_concurrent_consultations_as_it_plans_them_in_turn():
    planner = TreatmentPlanner()
    in_turn = [_plan_json(planner, consultation) for consultation in TWO]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda c: _plan_json(planner, c), TWO * 2))
    assert together == in_turn * 2
    assert in_turn[0] != in_turn[1]
