"""The strict quantity grammar of :func:`dermalase.units.parse_quantity` (issue 14).

One number and one unit, nothing else: every string the issue found read as
another dose is an error, and a property test checks that formatting an
accepted value back and reading it again gives the same value.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dermalase.exceptions import InputError
from dermalase.units import ENVELOPES, parse_quantity

#: (SI unit read in, units a person may type for it).
UNITS = {
    "m": ["um", "µm", "nm", "mm", "cm", "m"],
    "s": ["us", "µs", "ms", "s", "ns"],
    "Hz": ["Hz", "kHz"],
    "J": ["mJ", "J", "uJ"],
    "J/m**2": ["J/cm2", "J/cm^2", "J/cm²", "J/cm**2", "J/m2", "mJ/cm2"],
    "dimensionless": ["%", "percent"],
}


@pytest.mark.parametrize(
    ("text", "unit", "needle"),
    [
        # values the pint expression reader turned into another dose
        ("2,5J/cm2", "J/m**2", "use a decimal point"),
        ("2,5um", "m", "use a decimal point"),
        ("10%,20%", "dimensionless", "use a decimal point"),
        ("10 20 um", "m", "one number and one unit"),
        ("10%%", "dimensionless", "one number and one unit"),
        ("[10]um", "m", "one number and one unit"),
        ("50um + 10um", "m", "one number and one unit"),
        # expressions that crashed (OverflowError) or hung
        ("2**2000um", "m", "one number and one unit"),
        ("10**400 um", "m", "one number and one unit"),
        ("9**9**9um", "m", "one number and one unit"),
        # empty text is an error, never a default
        ("", "s", "empty"),
        ("   ", "Hz", "empty"),
        # an Arabic-Indic digit is not a digit of the grammar
        ("٣um", "m", "one number and one unit"),
        # magnitudes no arithmetic should see
        ("1e400um", "m", "finite"),
        ("1e300um", "m", "far outside"),
        ("1e-300us", "s", "far outside"),
        ("1e-300Hz", "Hz", "far outside"),
        # names pint would read as numbers
        ("0.1pi", "dimensionless", "one number and one unit"),
        ("nan um", "m", "one number and one unit"),
        ("inf J/cm2", "J/m**2", "one number and one unit"),
    ],
)
def test_issue_strings_are_errors(text, unit, needle):
    with pytest.raises(InputError, match=needle):
        parse_quantity(text, unit, "x")


def test_a_wavelength_error_gives_its_own_example():
    with pytest.raises(InputError, match="2940nm"):
        parse_quantity("5kg", "m", "--wavelength", example="2940nm")


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("2.5um", "m", 2.5e-6),
        ("+2.5 um", "m", 2.5e-6),
        (".5mm", "m", 5e-4),
        ("1e-3 s", "s", 1e-3),
        ("2.5E1 J/cm2", "J/m**2", 2.5e5),  # 25 J/cm² = 2.5e5 J/m²
        ("5 J cm-2", "J/m**2", 5e4),
        ("1kHz", "Hz", 1e3),
        ("15 %", "dimensionless", 0.15),
    ],
)
def test_the_grammar_accepts_one_number_and_one_unit(text, unit, expected):
    assert parse_quantity(text, unit, "x") == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------ properties

_mantissa = st.decimals(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, places=4
)
_written = st.sampled_from(
    sorted((unit, typed) for unit, typeds in UNITS.items() for typed in typeds)
)


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(number=_mantissa, exponent=st.integers(-6, 6), written=_written, space=st.booleans())
def test_an_accepted_value_formatted_back_reads_the_same(number, exponent, written, space):
    unit, typed = written
    text = f"{number}e{exponent}{' ' if space else ''}{typed}"
    try:
        value = parse_quantity(text, unit, "x")
    except InputError:
        return  # outside the envelope: refused, which is allowed
    assert math.isfinite(value)
    low, high = ENVELOPES[unit]
    assert value == 0 or low <= abs(value) <= high
    if unit == "dimensionless":
        # written back in percent: x 100 then / 100 may differ in the last bit
        again = parse_quantity(f"{value * 100!r}%", unit, "x")
        assert again == pytest.approx(value, rel=4e-16, abs=0)
    else:
        # written back in the SI unit itself: the very same float
        typed_si = {"J/m**2": "J/m2"}.get(unit, unit)
        assert parse_quantity(f"{value!r} {typed_si}", unit, "x") == value


@settings(max_examples=300, derandomize=True)
@given(
    first=st.floats(0.001, 1e4),
    second=st.floats(0.001, 1e4),
    glue=st.sampled_from([",", " ", "+", "-", "*", "/", "**", "^", "x", ", ", " + ", "(", ")"]),
    typed=st.sampled_from(["um", "J/cm2", "mJ", "us", "Hz", "%"]),
    where=st.sampled_from(["between", "after"]),
)
def test_no_second_number_comma_or_operator_is_accepted(first, second, glue, typed, where):
    if where == "between":
        text = f"{first:g}{glue}{second:g}{typed}"
    else:
        text = f"{first:g}{typed}{glue}{second:g}"
    unit = {"um": "m", "J/cm2": "J/m**2", "mJ": "J", "us": "s", "Hz": "Hz", "%": "dimensionless"}
    with pytest.raises(InputError):
        parse_quantity(text, unit[typed], "x")


@settings(max_examples=300, derandomize=True)
@given(text=st.text(max_size=30))
def test_any_text_is_a_value_or_an_input_error(text):
    try:
        value = parse_quantity(text, "m", "x")
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert "," not in text and math.isfinite(value)
