"""Unit handling at the edges.

The physics works on SI floats. Quantities typed by a person (``10J/cm2``,
``300us``, ``2940nm``, ``50um``, ``15%``) are parsed here with pint, checked
for dimension and range, and converted to SI once. Results are turned back
into clinical units (µm, J/cm², mJ, °C) only when they leave the program.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pint

from dermalase.exceptions import InputError

#: Clinical units used at the edges, with the SI unit each converts to.
CLINICAL_UNITS = {
    "fluence": ("J/cm**2", "J/m**2"),
    "energy": ("mJ", "J"),
    "pulse_duration": ("us", "s"),
    "wavelength": ("nm", "m"),
    "depth": ("um", "m"),
    "spot_diameter": ("um", "m"),
    "repetition_rate": ("Hz", "Hz"),
    "fraction": ("percent", "dimensionless"),
}

_SUPERSCRIPT = re.compile(r"(?<=[A-Za-zµ])([23])\b")


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """Return the shared pint unit registry."""
    return pint.UnitRegistry()


def parse_quantity(text: str, unit: str, field: str) -> float:
    """Parse a quantity typed by a person and return its value in ``unit``.

    Parameters
    ----------
    text : str
        The quantity, e.g. ``"10J/cm2"``, ``"300 us"``, ``"2.94um"``.
    unit : str
        Unit to return the value in, e.g. ``"J/m**2"`` for SI fluence.
    field : str
        Name of the input, used in the error message.

    Returns
    -------
    float
        Magnitude in ``unit``.

    Raises
    ------
    InputError
        When the text is not a quantity, has the wrong dimension (a bare number
        for a dimensioned unit included), or is NaN or infinite.

    Examples
    --------
    >>> parse_quantity("10J/cm2", "J/m**2", "fluence")
    100000.0
    """
    cleaned = _SUPERSCRIPT.sub(r"**\1", str(text).strip().replace("²", "2").replace("³", "3"))
    cleaned = cleaned.replace("^", "**")
    try:
        quantity: pint.Quantity = registry().Quantity(cleaned)
    except Exception:
        raise InputError(field, text, f"expected a quantity such as {_example(unit)}") from None
    try:
        value = float(quantity.to(unit).magnitude)
    except pint.DimensionalityError:
        raise InputError(
            field, text, f"expected a quantity in units like {_example(unit)}"
        ) from None
    if not math.isfinite(value):
        raise InputError(field, text, "must be a finite number")
    return value


def check_range(
    value: float,
    field: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = False,
    shown: str = "",
    scale: float = 1.0,
) -> float:
    """Check that ``value`` lies in a range and return it.

    Parameters
    ----------
    value : float
        Value in SI units.
    field : str
        Name of the input, for the error message.
    low, high : float, optional
        Bounds in SI units; ``low`` is exclusive unless ``low_inclusive``,
        ``high`` is inclusive.
    shown : str
        Unit in which to show the value and bounds in the message.
    scale : float
        Factor from the SI value to the shown unit.
    """
    if not math.isfinite(value):
        raise InputError(field, value, "must be a finite number")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and value > high
    if too_low or too_high:
        parts = []
        if low is not None:
            parts.append(f"{'>=' if low_inclusive else '>'} {low * scale:g} {shown}".strip())
        if high is not None:
            parts.append(f"<= {high * scale:g} {shown}".strip())
        raise InputError(
            field, f"{value * scale:g} {shown}".strip(), "must be " + " and ".join(parts)
        )
    return value


def _example(unit: str) -> str:
    examples = {
        "J/m**2": "10J/cm2",
        "J": "20mJ",
        "s": "300us",
        "m": "50um",
        "Hz": "1Hz",
        "dimensionless": "15%",
    }
    return examples.get(unit, unit)


# Conversion factors from SI to the clinical units used at the edges.
#: metres -> micrometres
UM_PER_M = 1e6
#: J/m^2 -> J/cm^2
J_CM2_PER_J_M2 = 1e-4
#: seconds -> microseconds
US_PER_S = 1e6
#: joules -> millijoules
MJ_PER_J = 1e3
#: metres -> nanometres
NM_PER_M = 1e9
