import pytest

from dermalase.exceptions import InputError
from dermalase.units import check_range, parse_quantity


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("10J/cm2", "J/m**2", 1e5),
        ("10 J/cm^2", "J/m**2", 1e5),
        ("300us", "s", 3e-4),
        ("300 µs", "s", 3e-4),
        ("2940nm", "m", 2.94e-6),
        ("50um", "m", 5e-5),
        ("20mJ", "J", 0.02),
        ("1Hz", "Hz", 1.0),
        ("15%", "dimensionless", 0.15),
    ],
)
def test_parse(text, unit, expected):
    assert parse_quantity(text, unit, "x") == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "10", "10mJ", "inf J/cm2"])
def test_parse_rejects(text):
    with pytest.raises(InputError, match="fluence"):
        parse_quantity(text, "J/m**2", "fluence")


def test_range():
    assert check_range(1.0, "f", low=0.0) == 1.0
    with pytest.raises(InputError, match="must be > 0"):
        check_range(0.0, "f", low=0.0)
