"""The consultation form: every field of the model, and the command line's messages."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from dermalase.clinical.consultation import (
    Consultation,
    History,
    PhysicianDepth,
    load_consultation,
)
from dermalase.exceptions import InputError
from dermalase.web import forms

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))


def test_every_field_of_the_consultation_model_has_a_control():
    names = forms.form_names()
    expected = {name for name in Consultation.model_fields if name not in ("history", "depth")}
    expected -= set(forms.FROM_PATIENT)
    expected |= {f"history.{name}" for name in History.model_fields}
    expected |= {f"depth.full_face.{name}" for name in PhysicianDepth.model_fields}
    assert expected <= names


def test_controls_follow_the_field_types():
    controls = {field.name: field for field in forms.consultation_fields() + forms.history_fields()}
    assert controls["age"].control == "number"
    assert (controls["age"].minimum, controls["age"].maximum, controls["age"].step) == (1, 120, "1")
    assert controls["history.isotretinoin_months_ago"].maximum == 600
    assert controls["history.smoking"].control == "checkbox"
    assert controls["correction"].choices == (
        ("mild", "mild"),
        ("moderate", "moderate"),
        ("marked", "marked"),
    )
    assert controls["conditions"].control == "checkboxes"
    assert controls["start_date"].control == "date"
    assert "CONDITIONS" not in controls["conditions"].help  # no programmer's names on the page


def _as_form(consultation: Consultation) -> tuple[dict, dict]:
    """What a physician would enter in the form for ``consultation``."""
    values: dict[str, str] = {
        "age": str(consultation.age),
        "skin_type": "I II III IV V VI".split()[consultation.skin_type - 1],
        "downtime_days": f"{consultation.downtime_days:g}",
        "correction": consultation.correction,
        "notes": consultation.notes,
    }
    if consultation.start_date:
        values["start_date"] = consultation.start_date.isoformat()
    for name, value in consultation.history.model_dump().items():
        if value is True:
            values[f"history.{name}"] = "true"
        elif value not in (None, False):
            values[f"history.{name}"] = f"{value:g}"
    for area, dial in consultation.depth.items():
        for name, value in dial.model_dump().items():
            if value is not None:
                values[f"depth.{area}.{name}"] = value
    lists = {
        "conditions": list(consultation.conditions),
        "areas": list(consultation.areas),
        "devices": list(consultation.devices),
    }
    return values, lists


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_each_example_entered_in_the_form_is_the_same_consultation(path):
    expected = load_consultation(path)
    values, lists = _as_form(expected)
    document = forms.document_from_form(values, lists, expected.patient)
    assert forms.validate(document) == {}
    assert Consultation.from_mapping(document) == expected


@pytest.mark.parametrize(
    ("field", "text", "control"),
    [
        ("age", "130", "age"),
        ("age", "forty", "age"),
        ("downtime_days", "-1", "downtime_days"),
        ("history.isotretinoin_months_ago", "700", "history.isotretinoin_months_ago"),
        ("depth.full_face.ablation", "15 furlongs", "depth.full_face.ablation"),
        ("depth.full_face.coverage", "150%", "depth.full_face.coverage"),
    ],
)
def test_an_invalid_value_gets_the_command_lines_message_by_its_control(field, text, control):
    values = {"age": "45", "skin_type": "II", "downtime_days": "3", "correction": "mild"}
    if field.startswith("depth."):
        values["depth.full_face.ablation"] = "100um"  # a dial needs its ablation depth
    values[field] = text
    lists = {"conditions": ["fine_lines"], "areas": ["full_face"]}
    document = forms.document_from_form(values, lists, "chart-1")
    errors = forms.validate(document)
    assert list(errors) == [control]
    # the same document read as a consultation file gives the same message
    with pytest.raises(InputError) as caught:
        Consultation.from_mapping(document)
    assert errors[control] == str(caught.value)


def test_a_missing_list_is_reported_by_its_control():
    values = {"age": "45", "skin_type": "II", "downtime_days": "3", "correction": "mild"}
    errors = forms.validate(forms.document_from_form(values, {"areas": ["neck"]}, "c"))
    assert list(errors) == ["conditions"]


def test_dates_are_stored_as_text():
    stored = forms.storable({"start_date": datetime.date(2025, 3, 3), "age": 40})
    assert stored == {"start_date": "2025-03-03", "age": 40}
