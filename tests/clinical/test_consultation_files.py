"""Consultation files that once crashed the reader or were read as another value."""

import datetime
import json

import pytest

from dermalase.clinical import load_consultation
from dermalase.clinical.consultation import START_DATE_RANGE, Consultation, check_start_date
from dermalase.exceptions import InputError

FIELDS = {
    "age": 38,
    "skin_type": "II",
    "conditions": ["fine lines"],
    "areas": ["full-face"],
    "downtime_days": 3,
    "correction": "moderate",
}


def toml_value(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return json.dumps(value)


def write(tmp_path, suffix: str, **changes) -> object:
    fields = FIELDS | changes
    path = tmp_path / f"consultation{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(fields, default=str))
    else:
        path.write_text("".join(f"{key} = {toml_value(v)}\n" for key, v in fields.items()))
    return path


def refused(path) -> str:
    with pytest.raises(InputError) as error:
        load_consultation(path)
    message = str(error.value)
    assert error.value.exit_code == 2 and "\n" not in message and len(message) < 300
    return message


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_the_base_file_is_valid(tmp_path, suffix):
    assert load_consultation(write(tmp_path, suffix)).age == 38


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path, suffix):
    path = tmp_path / f"deep{suffix}"
    if suffix == ".json":
        path.write_text('{"notes": ' + "[" * 50_000 + "]" * 50_000 + "}")
    else:
        path.write_text("notes = " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert "nested more than 32 levels" in refused(path)


def test_deep_inline_tables_in_toml(tmp_path):
    path = tmp_path / "tables.toml"
    path.write_text("history = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    assert "nested more than" in refused(path)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_5000_digit_age(tmp_path, suffix):
    path = tmp_path / f"age{suffix}"
    path.write_text(write(tmp_path, suffix).read_text().replace("38", "9" * 5000))
    assert "(at age)" in refused(path)


def test_a_4000_digit_age_is_a_range_error_with_a_short_value(tmp_path):
    path = tmp_path / "age.toml"
    path.write_text(write(tmp_path, ".toml").read_text().replace("38", "9" * 4000))
    message = refused(path)
    assert message.startswith("age: (a 4000-digit number)") and "1-120" in message


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_age_in_quotes_says_the_type_is_wrong(tmp_path, suffix):
    message = refused(write(tmp_path, suffix, age="38"))
    assert "must be a whole number, not text in quotes" in message and "1-120" in message


def test_downtime_in_quotes_says_the_type_is_wrong(tmp_path):
    assert "must be a number, not text" in refused(write(tmp_path, ".toml", downtime_days="3"))


@pytest.mark.parametrize("digit", ["٣", "３", "३", "Ⅲ", "³"])
def test_non_ascii_digits_are_refused_not_read_as_type_iii(tmp_path, digit):
    message = refused(write(tmp_path, ".toml", skin_type=digit))
    assert message.startswith("skin_type:") and "ASCII digits" in message


@pytest.mark.parametrize("text", ["3", "iii", " III ", "Iii"])
def test_ascii_digits_and_roman_numerals_in_any_case(tmp_path, text):
    assert load_consultation(write(tmp_path, ".toml", skin_type=text)).skin_type == 3


@pytest.mark.parametrize("suffix", [".toml", ".json"])
@pytest.mark.parametrize("date", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)])
def test_a_start_date_the_course_cannot_reach(tmp_path, suffix, date):
    message = refused(write(tmp_path, suffix, start_date=date))
    assert message.startswith(f"start_date: {date.isoformat()}")
    assert "1900-01-01 to 2999-12-31" in message


def test_the_last_allowed_start_date_plans_a_whole_course():
    """At the end of the range the course and maintenance arithmetic still works."""
    from dermalase.clinical.course import plan_course
    from dermalase.prescription import Prescription

    latest = START_DATE_RANGE[1]
    assert check_start_date(latest) == latest
    prescription = Prescription(
        area="cheek",
        modality="full_field",
        wavelength=2.94e-6,
        ablation_depth=2e-4,
        coagulation_depth=5e-5,
    )
    course = plan_course([prescription], latest, correction="marked")
    assert datetime.date.fromisoformat(course.maintenance_date) > latest


def test_start_date_is_checked_when_built_directly():
    with pytest.raises(InputError, match="start_date"):
        Consultation(**FIELDS, start_date=datetime.date(9999, 12, 31))
