"""Delivered settings: the plan's by default, the operator's changes checked and predicted."""

from __future__ import annotations

import json

import pytest

from dermalase.exceptions import InputError
from dermalase.records.delivery import delivered_areas, parse_overrides


@pytest.fixture(scope="module")
def micro_peel_plan(tmp_path_factory):
    from pathlib import Path

    from dermalase.clinical import load_consultation
    from dermalase.clinical.planner import TreatmentPlanner

    example = Path(__file__).parents[2] / "examples" / "microlaserpeel_texture.toml"
    plan = TreatmentPlanner().plan(load_consultation(example)).to_dict()
    return json.loads(json.dumps(plan))


def test_as_planned_the_session_predicts_what_the_plan_did(micro_peel_plan):
    (area,), recovery = delivered_areas(micro_peel_plan)
    planned = micro_peel_plan["areas"][0]
    assert area.deviation == {}
    assert area.settings["fluence_j_cm2"] == planned["settings"]["fluence_j_cm2"]
    # same forward model, same settings: the depths agree to the JSON's rounding (0.1 µm)
    for key in ("ablation_depth_um", "coagulation_depth_um"):
        assert area.predicted[key] == pytest.approx(planned["predicted"][key], abs=0.11)
    assert recovery["reepithelialized_day"] == micro_peel_plan["recovery"]["reepithelialized_day"]
    assert area.anaesthesia == micro_peel_plan["anaesthesia"]["summary"]


def test_more_fluence_delivered_goes_deeper_and_heals_later(micro_peel_plan):
    depths, days = [], []
    for fluence in (3.0, 5.0, 8.0, 12.0):
        (area,), recovery = delivered_areas(
            micro_peel_plan, parse_overrides([f"full_face.fluence_j_cm2={fluence}"])
        )
        assert area.deviation["fluence_j_cm2"]["delivered"] == fluence
        depths.append(area.predicted["ablation_depth_um"])
        days.append(recovery["reepithelialized_day"])
    assert depths == sorted(depths) and len(set(depths)) == len(depths)
    assert days == sorted(days) and days[-1] > days[0]


def test_a_second_pass_is_recorded_as_a_deviation_and_deepens_the_wound(micro_peel_plan):
    (single,), _ = delivered_areas(micro_peel_plan)
    (double,), _ = delivered_areas(micro_peel_plan, parse_overrides(["full_face.passes=2"]))
    assert double.deviation == {"passes": {"planned": 1, "delivered": 2}}
    assert double.predicted["ablation_depth_um"] > single.predicted["ablation_depth_um"]


def test_a_change_may_be_typed_with_its_unit(micro_peel_plan):
    # "fluence=50000J/m2" is 5 J/cm², "pulse_duration=0.3ms" is 300 µs: the same deviation
    # as the plain numbers in the JSON key's unit
    typed = parse_overrides(["full_face.fluence=50000J/m2", "full_face.pulse_duration=0.3ms"])
    plain = parse_overrides(["full_face.fluence_j_cm2=5", "full_face.pulse_duration_us=300"])
    (with_units,), _ = delivered_areas(micro_peel_plan, typed)
    (numbers,), _ = delivered_areas(micro_peel_plan, plain)
    assert with_units.deviation["fluence_j_cm2"]["delivered"] == pytest.approx(5.0)
    assert with_units.deviation["pulse_duration_us"]["delivered"] == pytest.approx(300.0)
    assert with_units.predicted == numbers.predicted


@pytest.mark.parametrize(
    ("texts", "field", "hint"),
    [
        (["full_face.fluence_j_cm2=600"], "--set full_face.fluence_j_cm2", "maximum"),
        (["full_face.fluense_j_cm2=5"], "--set full_face.fluense_j_cm2", "fluence_j_cm2"),
        (["cheeks.passes=2"], "--set", "full_face"),
        (["full_face.passes=1.5"], "--set full_face.passes", "whole number"),
        (["full_face.passes=2x"], "--set full_face.passes", "whole number"),
        (["full_face.fluence=5Jcm"], "--set full_face.fluence", "J/cm²"),
        (["full_face.fluence=5um"], "--set full_face.fluence", "J/cm²"),
        (["full_face.wavelength_nm=10600"], "--set full_face.wavelength_nm", "has the settings"),
        (["full_face.fluence_j_cm2"], "--set", "AREA.FIELD=VALUE"),
        (["full_face.passes=2", "full_face.passes=3"], "--set", "set twice"),
    ],
)
def test_bad_changes_are_input_errors_naming_the_field(micro_peel_plan, texts, field, hint):
    with pytest.raises(InputError) as caught:
        delivered_areas(micro_peel_plan, parse_overrides(texts))
    assert caught.value.field == field
    assert hint in str(caught.value)
    assert caught.value.exit_code == 2
