"""The documented consultation format: ``dermalase schema consultation`` (issue 19).

The schema is built from the reader's own model, so these tests check that it
documents every field the reader takes, names every value it accepts, accepts
the example files and refuses what the reader refuses.
"""

import datetime
import json
import tomllib

import jsonschema
import pytest

from dermalase.clinical import consultation as reader
from dermalase.report.schema import consultation_schema
from tests.cli import run
from tests.clinical.conftest import EXAMPLES

BASE = {
    "age": 40,
    "skin_type": "II",
    "conditions": ["fine_lines"],
    "areas": ["full_face"],
    "downtime_days": 3,
    "correction": "mild",
}


@pytest.fixture(scope="module")
def schema():
    return consultation_schema()


def test_every_field_of_the_reader_is_documented(schema):
    fields = schema["properties"]
    history = schema["$defs"]["History"]["properties"]
    assert set(fields) == set(reader.Consultation.model_fields)
    assert set(history) == set(reader.History.model_fields)
    for name, field in [*fields.items(), *history.items()]:
        # a description of words, not an empty string or a leftover reST role
        assert len(field["description"].split()) >= 2, name
        assert ":data:" not in field["description"] and "``" not in field["description"]


def test_required_fields_are_those_without_a_default(schema):
    required = {name for name, f in reader.Consultation.model_fields.items() if f.is_required()}
    assert set(schema["required"]) == required == set(BASE)


def test_every_name_the_reader_accepts_is_listed(schema):
    fields = schema["properties"]
    conditions = fields["conditions"]["items"]["enum"]
    areas = fields["areas"]["items"]["enum"]
    assert set(conditions) == set(reader.CONDITIONS) | set(reader.CONDITION_ALIASES)
    assert (
        fields["conditions"]["items"]["x-meanings"]["liver_spots"]
        == "liver spots (solar lentigines)"
    )
    assert set(areas) == set(reader.TREATMENT_AREAS) | set(reader.AREA_ALIASES)
    assert {"full_face", "face", "hands", "eyelid", "dorsal_hand"} <= set(areas)
    assert fields["devices"]["items"]["enum"] == list(reader.device_names())
    assert fields["correction"]["enum"] == ["mild", "moderate", "marked"]
    # every listed name is one the reader takes
    for name in conditions:
        reader.Consultation(**(BASE | {"conditions": [name]}))
    for name in areas:
        reader.Consultation(**(BASE | {"areas": [name]}))


@pytest.mark.parametrize("skin_type", [1, 6, "I", "IV", "VI", "3"])
def test_skin_types_the_reader_takes_validate(schema, skin_type):
    jsonschema.validate(BASE | {"skin_type": skin_type}, schema)
    assert 1 <= reader.Consultation(**(BASE | {"skin_type": skin_type})).skin_type <= 6


@pytest.mark.parametrize(
    "change",
    [
        {"skin_type": 7},
        {"skin_type": "VII"},
        {"conditions": ["wrinkle"]},
        {"conditions": []},
        {"areas": ["foot"]},
        {"correction": "big"},
        {"devices": ["no_such_laser"]},
        {"age": 0},
        {"downtime_days": 91},
        {"colour": "red"},
        {"history": {"keloid": True}},
        {"history": {"isotretinoin_months_ago": 601}},
    ],
)
def test_what_the_reader_refuses_the_schema_refuses(schema, change):
    document = BASE | change
    with pytest.raises(reader.InputError):
        reader.Consultation.from_mapping(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def _as_json(document: dict) -> dict:
    """A TOML consultation as JSON holds it: dates as text, names in the reader's spelling."""
    out = {}
    for key, value in document.items():
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif key in ("conditions", "areas"):
            value = [reader.normalise(name) for name in value]
        out[key] = value
    return out


def test_the_example_consultations_validate(schema):
    if not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} is not here (tests copied without the source tree)")
    files = sorted(EXAMPLES.glob("*.toml"))
    assert len(files) >= 5
    for path in files:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(_as_json(document), schema)


def test_schema_consultation_prints_it(capsys):
    code, out, _ = run(["schema", "consultation"], capsys)
    assert code == 0
    printed = json.loads(out)
    assert printed["$id"] == "dermalase:consultation"
    jsonschema.Draft202012Validator.check_schema(printed)


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        ({"conditions": ["wrinkle"]}, "fine_lines"),
        ({"areas": ["foot"]}, "full_face"),
        ({"correction": "big"}, "moderate"),
        ({"skin_type": "VII"}, "I-VI"),
        ({"devices": ["laser"]}, "fractional_co2"),
        ({"history": {"keloid": True}}, "keloids"),
        ({"downtime_days": 91}, "0-90"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_allowed_values(tmp_path, capsys, change, allowed):
    path = tmp_path / "consultation.json"
    path.write_text(json.dumps(BASE | change))
    code, _, err = run(["plan", str(path)], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert allowed in err
