import datetime
import json

import pytest
from pydantic import ValidationError

from dermalase.clinical.consultation import (
    CONDITIONS,
    FIELD_PATHS,
    TREATMENT_AREAS,
    Consultation,
    History,
    load_consultation,
    on_face,
    skin_area,
    treatment_area,
)
from dermalase.exceptions import InputError
from dermalase.tissue.areas import AREAS

from .conftest import consultation


def error_of(**changes) -> InputError:
    with pytest.raises(InputError) as caught:
        consultation(**changes)
    assert "\n" not in str(caught.value)  # one line, for the command line
    return caught.value


def test_names_are_canonicalised():
    patient = consultation(
        skin_type="IV",
        conditions=["Fine lines", "acne-scars", "tone & texture"],
        areas=["face", "Eyelid", "hands"],
        correction="Marked",
    )
    assert patient.skin_type == 4
    assert patient.conditions == ("fine_lines", "scars", "tone_and_texture")
    assert patient.areas == ("full_face", "periorbital", "dorsal_hand")
    assert patient.correction == "marked"


def test_unknown_condition_suggests_the_closest_name():
    error = error_of(conditions=["scars", "fine lnes"])
    assert error.field == "conditions[1]"
    assert error.value == "fine lnes"
    assert "did you mean 'fine_lines'" in error.allowed


def test_unknown_area_suggests_the_closest_name():
    error = error_of(areas=["cheeks"])
    assert error.field == "areas[0]" and "did you mean 'cheek'" in error.allowed


@pytest.mark.parametrize("skin_type", [7, 0, "VII", "seven", True, 3.5])
def test_skin_type_outside_i_to_vi_is_refused(skin_type):
    error = error_of(skin_type=skin_type)
    assert error.field == "skin_type" and "I-VI" in error.allowed


@pytest.mark.parametrize("downtime", [-1, -0.5, 91, float("nan"), True])
def test_downtime_outside_its_range_is_refused(downtime):
    error = error_of(downtime_days=downtime)
    assert error.field == "downtime_days" and "0-90" in error.allowed


def test_history_errors_name_the_nested_field_path():
    error = error_of(history={"isotretinoin_months_ago": -2})
    assert error.field == "history.isotretinoin_months_ago"
    assert "months" in error.allowed
    error = error_of(history={"isotretinion_months_ago": 2})
    assert error.field == "history.isotretinion_months_ago"
    assert "did you mean 'isotretinoin_months_ago'" in error.allowed
    error = error_of(history={"keloids": "yes"})
    assert error.field == "history.keloids" and error.allowed == "true or false"


def test_unknown_key_suggests_the_closest_key():
    error = error_of(agee=40)
    assert error.field == "agee" and "did you mean 'age'" in error.allowed


def test_repeated_and_empty_lists_are_refused():
    assert "listed twice" in error_of(conditions=["scars", "acne scars"]).allowed
    assert error_of(areas=[]).field == "areas"


def test_unknown_device_suggests_the_closest_device():
    error = error_of(devices=["tunable_er_yg"])
    assert error.field == "devices[0]" and "tunable_er_yag" in error.allowed


def test_missing_field_is_named():
    fields = {"age": 40, "skin_type": 2, "conditions": ["scars"], "areas": ["cheek"]}
    with pytest.raises(InputError, match="downtime_days: \\(missing\\)"):
        Consultation(**fields, correction="mild")


def test_history_built_directly_reports_its_path():
    with pytest.raises(InputError, match=r"^history\.smoking"):
        History(smoking=3)


def test_toml_and_json_files_give_the_same_consultation(tmp_path):
    document = {
        "age": 50,
        "skin_type": "III",
        "conditions": ["sun damage"],
        "areas": ["neck"],
        "downtime_days": 4,
        "correction": "mild",
        "history": {"herpes_simplex": True},
    }
    (tmp_path / "a.json").write_text(json.dumps(document))
    toml = "\n".join(
        [
            'age = 50\nskin_type = "III"\nconditions = ["sun damage"]\nareas = ["neck"]',
            'downtime_days = 4\ncorrection = "mild"\nstart_date = 2025-01-31',
            "[history]\nherpes_simplex = true",
        ]
    )
    (tmp_path / "a.toml").write_text(toml)
    from_json = load_consultation(tmp_path / "a.json")
    from_toml = load_consultation(tmp_path / "a.toml")
    assert from_toml.start_date == datetime.date(2025, 1, 31)
    assert from_json == from_toml.model_copy(update={"start_date": None})
    assert from_toml.to_dict()["start_date"] == "2025-01-31"


def test_malformed_files_are_input_errors(tmp_path):
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text('age = 40\nconditions = ["scars"\n')
    with pytest.raises(InputError, match="not valid TOML"):
        load_consultation(bad_toml)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{age: 40}")
    with pytest.raises(InputError, match="not valid JSON"):
        load_consultation(bad_json)
    not_a_table = tmp_path / "list.json"
    not_a_table.write_text("[1, 2]")
    with pytest.raises(InputError, match="table of keys"):
        load_consultation(not_a_table)
    with pytest.raises(InputError, match=r"\.toml or \.json"):
        load_consultation(tmp_path / "a.yaml")
    with pytest.raises(InputError, match="cannot be read"):
        load_consultation(tmp_path / "missing.toml")


def test_every_area_maps_to_a_skin_model_area():
    assert set(TREATMENT_AREAS) == set(AREAS) | {"full_face"}
    assert skin_area("full-face") == "cheek" and skin_area("eyelid") == "periorbital"
    assert on_face("full_face") and not on_face("neck")
    with pytest.raises(InputError, match="did you mean 'chest'"):
        treatment_area("chset")


def test_field_paths_name_every_field_once():
    assert "history.isotretinoin_months_ago" in FIELD_PATHS
    assert "conditions" in FIELD_PATHS and "history" not in FIELD_PATHS
    assert len(FIELD_PATHS) == len(set(FIELD_PATHS))
    # every field but the history table (its keys are listed) and the physician's dial
    # (a depth per area, which no rule's condition reads)
    readable = set(Consultation.model_fields) - {"history", "depth"}
    assert set(FIELD_PATHS) == readable | {f"history.{key}" for key in History.model_fields}


@pytest.mark.parametrize(
    ("changes", "field", "canonical"),
    [
        ({"areas": ["Full-Face", "eyelid"]}, "areas", ("full_face", "periorbital")),
        ({"conditions": ["Fine Lines", "acne-scars"]}, "conditions", ("fine_lines", "scars")),
        ({"skin_type": "iv"}, "skin_type", 4),
        ({"correction": "Strong"}, "correction", "marked"),
    ],
)
def test_names_are_canonical_once_read(changes, field, canonical):
    """The reader is the one place names are normalised: the model holds canonical names."""
    patient = consultation(**changes)
    assert getattr(patient, field) == canonical
    with pytest.raises(ValidationError, match="frozen"):
        setattr(patient, field, canonical)


def test_every_condition_has_a_description():
    assert all(CONDITIONS.values())
