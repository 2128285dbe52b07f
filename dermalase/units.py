"""Unit handling at the edges.

The physics works on SI floats. Quantities typed by a person (``10J/cm2``,
``300us``, ``2940nm``, ``50um``, ``15%``) are parsed here with pint, checked
for dimension and range, and converted to SI once. Results are turned back
into clinical units (µm, J/cm², mJ, °C) only when they leave the program.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pint

from dermalase.constants import celsius_zero
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

#: Longest quantity text read [characters]: a number, a unit and a space fit in 40.
QUANTITY_TEXT_LIMIT = 40

#: The one grammar of a typed quantity: a number (optional sign, decimal point,
#: exponent of at most three digits) and then a unit, nothing else.
_NUMBER = re.compile(
    r"\s*(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?)\s*"
)
#: One factor of a unit: an optional SI prefix, a base unit, an optional power.
_FACTOR = re.compile(
    r"(?P<prefix>[pnuµμmckMG]?)(?P<base>Hz|min|J|W|m|s|h)"
    r"(?:(?:\*\*|\^)?(?P<power>-?[1-3])|(?P<super>[²³]))?"
)
#: Units written as a whole word, by the pint name they stand for.
_WHOLE_UNITS = {"%": "percent", "percent": "percent"}
_SUPERSCRIPTS = {"²": "2", "³": "3"}


_SEPARATOR = re.compile(r"\s*([/*·])\s*|\s+")

#: Sanity envelope of every quantity read, by the unit it is read in: the
#: largest magnitude [unit] and the smallest non-zero one. Far outside any
#: setting of a skin laser (the command options check their own, narrower
#: ranges after this); it keeps absurd magnitudes (``1e300um``) from reaching
#: any arithmetic.
ENVELOPES = {
    "m": (1e-12, 1.0),
    "s": (1e-15, 86400.0),
    "Hz": (1e-9, 1e9),
    "J/m**2": (1e-12, 1e9),
    "J": (1e-12, 1e3),
    "dimensionless": (1e-12, 100.0),
}


def _unit(text: str) -> pint.Unit | None:
    """The pint unit of a unit typed as ``J/cm2``, ``J/cm^2``, ``µs``, ``%``; None if not one.

    A unit is one or more factors (SI prefix, base unit, power) joined by
    ``/``, ``*``, ``·`` or a space; no number, bracket or operator stands
    anywhere else. Each factor is looked up alone: no text is evaluated.
    """
    ureg = registry()
    if text in _WHOLE_UNITS:
        return ureg.Unit(_WHOLE_UNITS[text])
    unit = ureg.Unit("dimensionless")
    position, sign = 0, 1
    while True:
        factor = _FACTOR.match(text, position)
        if factor is None:
            return None
        prefix = {"µ": "u", "μ": "u"}.get(factor["prefix"], factor["prefix"])
        power = int(factor["power"] or _SUPERSCRIPTS.get(factor["super"] or "", "1"))
        try:
            unit = unit * ureg.Unit(prefix + factor["base"]) ** (sign * power)
        except Exception:  # a prefix pint does not know with this base
            return None
        position = factor.end()
        if position == len(text):
            return unit
        separator = _SEPARATOR.match(text, position)
        if separator is None:
            return None
        sign = -1 if separator.group(1) == "/" else 1
        position = separator.end()


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """Return the shared pint unit registry."""
    return pint.UnitRegistry()


def parse_quantity(text: str, unit: str, field: str, example: str | None = None) -> float:
    """Parse a quantity typed by a person and return its value in ``unit``.

    The grammar is strict: one number (optional sign, decimal point, exponent)
    and one unit, nothing else. Nothing is evaluated: the number is read by a
    regular expression and only the unit's factors are looked up in pint, so
    ``2,5um``, ``10 20 um``, ``50um + 10um`` and ``2**2000um`` are errors, never
    another dose.

    Parameters
    ----------
    text : str
        The quantity, e.g. ``"10J/cm2"``, ``"300 us"``, ``"2.94um"``.
    unit : str
        Unit to return the value in, e.g. ``"J/m**2"`` for SI fluence.
    field : str
        Name of the input, used in the error message.
    example : str, optional
        An example shown in errors (default: one for ``unit``).

    Returns
    -------
    float
        Magnitude in ``unit``.

    Raises
    ------
    InputError
        When the text is empty, not one number and one unit, has a decimal
        comma, has the wrong dimension (a bare number for a dimensioned unit
        included), or its magnitude lies outside :data:`ENVELOPES`.

    Examples
    --------
    >>> parse_quantity("10J/cm2", "J/m**2", "fluence")
    100000.0
    """
    shown = example or _example(unit)
    if not isinstance(text, str):
        raise InputError(field, text, f"expected a quantity such as {shown}")
    stripped = text.strip()
    if not stripped:
        raise InputError(field, repr(text), f"is empty; give a quantity such as {shown}")
    if len(stripped) > QUANTITY_TEXT_LIMIT:
        raise InputError(
            field, stripped, f"is longer than {QUANTITY_TEXT_LIMIT} characters; e.g. {shown}"
        )
    if "," in stripped:
        raise InputError(field, stripped, f"use a decimal point, not a comma, e.g. {shown}")
    number = _NUMBER.match(stripped)
    target = _unit(stripped[number.end() :]) if number else None
    if number is None or target is None:
        raise InputError(field, stripped, f"expected one number and one unit, e.g. {shown}")
    magnitude = float(number["number"])
    try:
        value = float(registry().Quantity(magnitude, target).to(unit).magnitude)
    except pint.DimensionalityError:
        raise InputError(field, stripped, f"expected a quantity in units like {shown}") from None
    if not math.isfinite(value):
        raise InputError(field, stripped, "must be a finite number")
    low, high = ENVELOPES.get(unit, (0.0, math.inf))
    if abs(value) > high or 0.0 < abs(value) < low:
        raise InputError(
            field,
            stripped,
            f"is far outside any laser setting; give a quantity such as {shown}",
        )
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


# Conversion factors from SI to the clinical units used at the edges: the only place
# these numbers are written down; everything else imports them.
#: metres -> micrometres
UM_PER_M = 1e6
#: metres -> millimetres
MM_PER_M = 1e3
#: metres -> nanometres
NM_PER_M = 1e9
#: J/m^2 -> J/cm^2
J_CM2_PER_J_M2 = 1e-4
#: 1/m^2 -> 1/cm^2
PER_CM2_PER_PER_M2 = 1e-4
#: per metre -> per centimetre (absorption and scattering coefficients)
PER_CM_PER_PER_M = 1e-2
#: m^2 -> cm^2
CM2_PER_M2 = 1e4
#: seconds -> microseconds
US_PER_S = 1e6
#: joules -> millijoules
MJ_PER_J = 1e3
#: a fraction -> percent
PERCENT_PER_FRACTION = 100.0
#: seconds -> minutes
MINUTES_PER_S = 1 / 60
#: seconds -> days
DAYS_PER_S = 1 / 86400
#: seconds -> weeks
WEEKS_PER_S = 1 / (7 * 86400)
#: seconds -> months (a mean Gregorian month, 365.2425 / 12 days)
MONTHS_PER_S = 12 / (365.2425 * 86400)


# ------------------------------------------------------------ the glossary map


@dataclass(frozen=True)
class Quantity:
    """One glossary quantity: its SI unit inside, its clinical unit outside.

    Parameters
    ----------
    meaning : str
        What the quantity is, in a sentence (for ``docs/glossary.md``).
    si_unit : str
        Unit of the SI float the physics works with.
    clinical_unit : str
        Unit shown to people (tables, reports, messages).
    suffix : str
        JSON key suffix: the key is ``<name>_<suffix>``.
    scale : float
        Factor from the SI value to the clinical value.
    decimals : int
        Decimals of the clinical value in JSON documents (a caller may ask for
        a different rounding where a document shows a quantity more finely).
    offset : float
        Added after scaling (kelvin -> degrees Celsius).
    """

    meaning: str
    si_unit: str
    clinical_unit: str
    suffix: str
    scale: float
    decimals: int
    offset: float = 0.0


def _depth(meaning: str, decimals: int = 1) -> Quantity:
    return Quantity(meaning, "m", "µm", "um", UM_PER_M, decimals)


def _days(meaning: str) -> Quantity:
    return Quantity(meaning, "s", "days", "days", DAYS_PER_S, 1)


#: The glossary: every quantity that leaves the program, by its glossary name.
#: A JSON document writes it as ``<name>_<suffix>`` in the clinical unit.
QUANTITIES: dict[str, Quantity] = {
    # depths and sizes in the skin
    "ablation_depth": _depth("Depth of tissue removed (vaporised) below the surface."),
    "coagulation_depth": _depth(
        "Depth of residual thermal damage (coagulation) below the ablation floor."
    ),
    "total_depth": _depth("Ablation depth plus coagulation depth: how deep the effect reaches."),
    "deviation": _depth("Largest miss between prescribed and predicted depth.", 2),
    "mtz_diameter": _depth(
        "Diameter of one microscopic treatment zone (ablated column plus coagulated cuff)."
    ),
    "ablation_diameter": _depth("Diameter of the ablated crater of one microbeam column."),
    "coagulation_cuff": _depth("Radial thickness of the coagulated sleeve around a column."),
    "zone_diameter": _depth("Diameter of the treatment zone the scanner lays per spot."),
    "depth_after_pulse": _depth(
        "Ablation depth reached after each pulse of the train (and the wipe after it, if any)."
    ),
    "char_thickness": _depth(
        "Charred tissue left below the ablation floor: dry tissue that reached 200 °C."
    ),
    "layer_thickness": _depth("Thickness of one skin layer of an anatomical area."),
    "epidermis_thickness": _depth("Thickness of the epidermis (stratum corneum included)."),
    "dermis_thickness": _depth("Thickness of the papillary plus reticular dermis."),
    # the beam
    "wavelength": Quantity("Vacuum wavelength of the laser.", "m", "nm", "nm", NM_PER_M, 1),
    "spot_diameter": _depth(
        "Spot diameter (full field) or 1/e² microbeam diameter (fractional) on the skin."
    ),
    "fluence": Quantity(
        "Radiant exposure of each ablative pulse.",
        "J/m²",
        "J/cm²",
        "j_cm2",
        J_CM2_PER_J_M2,
        3,
    ),
    "coagulation_fluence": Quantity(
        "Radiant exposure of each sub-ablative coagulation pulse.",
        "J/m²",
        "J/cm²",
        "j_cm2",
        J_CM2_PER_J_M2,
        3,
    ),
    "energy": Quantity("Energy of each microbeam (fractional work).", "J", "mJ", "mj", MJ_PER_J, 3),
    "pulse_duration": Quantity("Duration of each ablative pulse.", "s", "µs", "us", US_PER_S, 2),
    "coagulation_pulse_duration": Quantity(
        "Duration of each coagulation pulse.", "s", "µs", "us", US_PER_S, 1
    ),
    "repetition_rate": Quantity(
        "Repetition rate of stacked pulses (or of the scanner's spots).", "Hz", "Hz", "hz", 1.0, 3
    ),
    "coagulation_repetition_rate": Quantity(
        "Repetition rate inside the coagulation pulse train.", "Hz", "Hz", "hz", 1.0, 3
    ),
    "average_power": Quantity(
        "Mean optical power: energy per pulse times repetition rate.", "W", "W", "w", 1.0, 3
    ),
    "pass_interval": Quantity(
        "Time between the starts of successive passes over the same spot.", "s", "s", "s", 1.0, 2
    ),
    # how spots are laid
    "coverage": Quantity(
        "Fraction of the surface treated (100 % for full field).",
        "1",
        "%",
        "percent",
        PERCENT_PER_FRACTION,
        2,
    ),
    "overlap": Quantity(
        "Overlap of neighbouring full-field spots, a fraction of the spot diameter.",
        "1",
        "%",
        "percent",
        PERCENT_PER_FRACTION,
        1,
    ),
    "density": Quantity(
        "Microscopic treatment zones per unit area (fractional work).",
        "1/m²",
        "per cm²",
        "per_cm2",
        PER_CM2_PER_PER_M2,
        1,
    ),
    # the effect
    "energy_ledger": Quantity(
        "Energy ledger of one column: where the microbeam's energy went, term by term.",
        "J",
        "mJ",
        "mj",
        MJ_PER_J,
        5,
    ),
    "areal_energy_ledger": Quantity(
        "Energy ledger of the full-field model per unit area of skin, term by term.",
        "J/m²",
        "J/cm²",
        "j_cm2",
        J_CM2_PER_J_M2,
        5,
    ),
    "peak_temperature": Quantity(
        "Highest temperature reached in the tissue that the pulses left in place.",
        "K",
        "°C",
        "c",
        1.0,
        1,
        offset=-celsius_zero,
    ),
    "skin_temperature": Quantity(
        "Temperature forced chilled air holds the skin surface at during a session.",
        "K",
        "°C",
        "c",
        1.0,
        1,
        offset=-celsius_zero,
    ),
    # the clinic's clock
    "treatment": Quantity(
        "Time one session of treatment takes (scanning and handpiece moves).",
        "s",
        "min",
        "minutes",
        MINUTES_PER_S,
        1,
    ),
    "lead_time": Quantity(
        "Time to apply the anaesthetic before treatment.", "s", "min", "minutes", MINUTES_PER_S, 0
    ),
    "session": Quantity(
        "Time the patient spends on one session: numbing, cleansing, laser, pauses, cooling.",
        "s",
        "min",
        "minutes",
        MINUTES_PER_S,
        0,
    ),
    "duration": Quantity(
        "Time one step of a session takes (numbing, cleansing, laser on an area, cooling).",
        "s",
        "min",
        "minutes",
        MINUTES_PER_S,
        1,
    ),
    "downtime": _days("Days off work and social life the patient accepts."),
    "healing": _days("Days until the treated skin has re-epithelialised."),
    "swelling": _days("Days of swelling after treatment."),
    "sun_avoidance": _days("Days of strict sun avoidance after treatment."),
    "erythema": Quantity("Weeks of redness after healing.", "s", "weeks", "weeks", WEEKS_PER_S, 1),
    "remodeling": Quantity(
        "Months of collagen remodelling after treatment.",
        "s",
        "months",
        "months",
        MONTHS_PER_S,
        1,
    ),
    "interval": Quantity(
        "Time between the sessions of a course.", "s", "weeks", "weeks", WEEKS_PER_S, 0
    ),
    "maintenance": Quantity(
        "Time after a course until a maintenance session.",
        "s",
        "months",
        "months",
        MONTHS_PER_S,
        0,
    ),
    "reepithelialized": Quantity(
        "Day after treatment by which the skin has re-epithelialised.",
        "s",
        "day",
        "day",
        DAYS_PER_S,
        0,
    ),
    "makeup": Quantity(
        "Day after treatment from which make-up may be worn.", "s", "day", "day", DAYS_PER_S, 0
    ),
    # treatment records: predicted against observed healing, photos
    "erythema_duration": _days(
        "Days from a session until the skin is no longer red (predicted, or first noted)."
    ),
    "mean_error": _days("Mean of observed minus predicted, over the sessions observed."),
    "mean_absolute_error": _days("Mean absolute miss between observed and predicted."),
    "image_width": Quantity("Width of a stored (upright) photo.", "px", "px", "px", 1.0, 0),
    "image_height": Quantity("Height of a stored (upright) photo.", "px", "px", "px", 1.0, 0),
    "file_size": Quantity("Size of a stored file.", "B", "bytes", "bytes", 1.0, 0),
    # clinic web application: a plan's progress
    "elapsed": Quantity(
        "Time since a plan was asked for, while it is computed.", "s", "s", "s", 1.0, 1
    ),
    # laser safety (kept in SI at the edge too, as laser-safety documents state them)
    "mpe_eye": Quantity(
        "Maximum permissible exposure of the eye, as radiant exposure (IEC 60825-1).",
        "J/m²",
        "J/m²",
        "j_m2",
        1.0,
        4,
    ),
    "mpe_skin": Quantity(
        "Maximum permissible exposure of the skin, as radiant exposure (IEC 60825-1).",
        "J/m²",
        "J/m²",
        "j_m2",
        1.0,
        4,
    ),
    "exposure_duration": Quantity(
        "Duration of the exposure a safety limit is evaluated for.", "s", "s", "s", 1.0, 6
    ),
    "nohd": Quantity("Nominal ocular hazard distance of the direct beam.", "m", "m", "m", 1.0, 3),
    "nohd_diffuse": Quantity(
        "Nominal ocular hazard distance of a diffuse reflection from skin.", "m", "m", "m", 1.0, 3
    ),
    "nohd_delivery_arm": Quantity(
        "Nominal ocular hazard distance of the collimated delivery-arm beam.",
        "m",
        "m",
        "m",
        1.0,
        3,
    ),
    "exposure_at_eye": Quantity(
        "Worst-case radiant exposure at the eye, over the limiting aperture, per pulse.",
        "J/m²",
        "J/m²",
        "j_m2",
        1.0,
        4,
    ),
    "pulse_energy": Quantity(
        "Energy of one laser pulse, full field or fractional.", "J", "mJ", "mj", MJ_PER_J, 3
    ),  # tissue optics and light transport
    "absorption_depth": _depth(
        "Depth above which 90 % of the light absorbed in the skin is deposited (Monte Carlo)."
    ),
    "absorption_coefficient": Quantity(
        "Absorption coefficient µa of a skin layer.", "1/m", "1/cm", "per_cm", PER_CM_PER_PER_M, 4
    ),
    "absorption_by_chromophore": Quantity(
        "Each chromophore's share of a layer's absorption coefficient.",
        "1/m",
        "1/cm",
        "per_cm",
        PER_CM_PER_PER_M,
        4,
    ),
    "scattering_coefficient": Quantity(
        "Scattering coefficient µs of a skin layer.", "1/m", "1/cm", "per_cm", PER_CM_PER_PER_M, 3
    ),
    "reduced_scattering_coefficient": Quantity(
        "Reduced scattering coefficient µs′ = µs (1 − g) of a skin layer.",
        "1/m",
        "1/cm",
        "per_cm",
        PER_CM_PER_PER_M,
        3,
    ),
}

#: Numeric JSON keys that carry no unit: counts, dial positions, indices and ratios.
UNITLESS_KEYS = frozenset(
    {
        "passes",
        "pulses",
        "coagulation_pulses",
        "max_pulses",
        "density_step",
        "spots",
        "tiles",
        "tile_moves",
        "sessions",
        "age",
        "day",
        "spacing_ratio",
        "temperature_ratio",
        "fluence_min_factor",
        "fluence_max_factor",
        "energy_balance_error",
        "fraction_of_pulse",
        "od_required",
        # treatment records: row identifiers, scores and colour coordinates
        "session_id",
        "plan_id",
        "photo_id",
        "birth_year",
        "pain",
        "erythema_a_star",
        "erythema_log_index",
        "orphan_photos",
        "missing_photos",
        "orphan_reports",
        "reports_removed",
        "unfinished_writes",
        "files_removed",
        # tissue optics and light transport: indices, fractions of the incident power
        "refractive_index",
        "anisotropy",
        "volume_fraction",
        "n_above",
        "n_below",
        "specular_reflectance",
        "diffuse_reflectance",
        "diffuse_reflectance_stderr",
        "transmittance",
        "transmittance_stderr",
        "absorbed",
        "absorbed_stderr",
        "absorbed_per_layer",
        "absorbed_per_layer_stderr",
        "photons",
        "photons_per_second",
        "absorbed_epidermis",
        "scattering_to_absorption",
        "absorbed_dermis",
        "task",
        "tasks",
        "workers",
        "seed",
        "threads",
    }
)


def clinical_key(name: str) -> str:
    """The JSON key of a glossary quantity, ``<name>_<suffix>``.

    Examples
    --------
    >>> clinical_key("repetition_rate")
    'repetition_rate_hz'
    """
    return f"{name}_{_quantity(name).suffix}"


def clinical_value(name: str, value, decimals: int | None = None):
    """An SI value of a glossary quantity in its clinical unit, rounded.

    Parameters
    ----------
    name : str
        Glossary name, e.g. ``"ablation_depth"``.
    value : float, sequence or mapping of float, or None
        Value in the SI unit of the quantity; None stays None, a sequence (or
        the values of a mapping, such as an energy ledger) is converted element
        by element.
    decimals : int, optional
        Decimals to round to (default: the quantity's).

    Returns
    -------
    float, list of float or None
        Value in the clinical unit.

    Examples
    --------
    >>> clinical_value("ablation_depth", 118e-6)
    118.0
    """
    quantity = _quantity(name)
    places = quantity.decimals if decimals is None else decimals
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [clinical_value(name, float(item), places) for item in value]
    if isinstance(value, Mapping):
        return {key: clinical_value(name, item, places) for key, item in value.items()}
    return round(value * quantity.scale + quantity.offset, places)


def to_clinical(name: str, value, decimals: int | None = None) -> tuple[str, object]:
    """The clinical JSON ``(key, value)`` of an SI value of a glossary quantity.

    Examples
    --------
    >>> to_clinical("fluence", 5e4)
    ('fluence_j_cm2', 5.0)
    """
    return clinical_key(name), clinical_value(name, value, decimals)


def to_si(name: str, value: float) -> float:
    """A clinical value of a glossary quantity back in its SI unit.

    Examples
    --------
    >>> to_si("coverage", 25.0)
    0.25
    """
    quantity = _quantity(name)
    return (value - quantity.offset) / quantity.scale


def dial_value(name: str, value: float, decimals: int | None = None) -> float:
    """An SI value rounded at the resolution a person dials it in its clinical unit.

    A refusal offers the nearest achievable request in SI units, but at the
    resolution the clinic works in (0.1 µm of depth, 0.1 % of coverage), so
    that the offer read back is the number a person would type.

    Examples
    --------
    >>> dial_value("ablation_depth", 117.96e-6) * UM_PER_M
    118.0
    """
    return to_si(name, clinical_value(name, value, decimals))


def clinical_mapping(values: Mapping[str, object], decimals: Mapping[str, int] | None = None):
    """Turn a mapping keyed by glossary names (SI values) into a clinical JSON mapping.

    Keys that are glossary names become ``<name>_<suffix>`` with the value in
    the clinical unit; every other key (names, counts, nested documents) is
    kept as it is, in order.

    Parameters
    ----------
    values : mapping
        Glossary name (or any other key) -> value; glossary values in SI units.
    decimals : mapping, optional
        Rounding for particular glossary names, where a document differs from
        the quantity's default.

    Returns
    -------
    dict

    Examples
    --------
    >>> clinical_mapping({"area": "cheek", "ablation_depth": 5e-5, "passes": 2})
    {'area': 'cheek', 'ablation_depth_um': 50.0, 'passes': 2}
    """
    decimals = decimals or {}
    result = {}
    for key, value in values.items():
        if key in QUANTITIES:
            key, value = to_clinical(key, value, decimals.get(key))
        result[key] = value
    return result


def format_clinical(name: str, value: float, decimals: int | None = None) -> str:
    """An SI value as people read it: ``"ablation depth 118 µm"``.

    Examples
    --------
    >>> format_clinical("coverage", 0.25)
    'coverage 25 %'
    """
    shown = clinical_value(name, value, decimals)
    return f"{name.replace('_', ' ')} {shown:g} {_quantity(name).clinical_unit}"


def clinical_nearest(nearest: Mapping[str, float]) -> dict:
    """A refusal's nearest achievable request (SI, glossary names) in clinical JSON keys.

    Examples
    --------
    >>> clinical_nearest({"ablation_depth": 1.18e-4})
    {'ablation_depth_um': 118.0}
    """
    return clinical_mapping(nearest)


def _quantity(name: str) -> Quantity:
    try:
        return QUANTITIES[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a glossary quantity in dermalase.units") from None


def plural(count: float, word: str, many: str | None = None) -> str:
    """A count with its noun in the right number.

    Examples
    --------
    >>> plural(1, "pass"), plural(2, "pass"), plural(0.5, "day"), plural(3, "pulse")
    ('1 pass', '2 passes', '0.5 days', '3 pulses')
    """
    if count == 1:
        noun = word
    elif many is not None:
        noun = many
    else:
        noun = f"{word}es" if word.endswith(("s", "x", "ch", "sh")) else f"{word}s"
    return f"{count:g} {noun}"


def glossary_markdown() -> str:
    """The glossary as the Markdown of ``docs/glossary.md``, generated from :data:`QUANTITIES`.

    Returns
    -------
    str
        A heading, a note on the conventions and one table row per quantity
        (name, meaning, SI unit, clinical unit, JSON key), then the unitless keys.
    """
    lines = [
        "# Glossary",
        "",
        "<!-- Generated from dermalase.units.QUANTITIES by dermalase.units.glossary_markdown();",
        "     tests/test_units.py fails when this file and the map disagree. -->",
        "",
        "Every quantity that leaves dermalase has one glossary name. Inside the program it",
        "is an SI float; at the edges (command line, JSON, reports, database, web) it is",
        "shown in its clinical unit, and a JSON document writes it as `<name>_<suffix>`,",
        "rounded to the decimals given here (a document may show a quantity more finely).",
        "A refusal's `nearest` offer is SI with glossary names inside",
        '(`{"ablation_depth": 1.18e-4}`) and clinical keys in the `--json` error object',
        '(`{"ablation_depth_um": 118.0}`).',
        "",
        "| Name | Meaning | SI unit | Clinical unit | JSON key | Decimals |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, quantity in QUANTITIES.items():
        lines.append(
            f"| `{name}` | {quantity.meaning} | {quantity.si_unit} | "
            f"{quantity.clinical_unit} | `{clinical_key(name)}` | {quantity.decimals} |"
        )
    lines += [
        "",
        "## Keys without a unit",
        "",
        "Counts, dial positions, day indices and ratios carry no unit suffix:",
        "",
        ", ".join(f"`{key}`" for key in sorted(UNITLESS_KEYS)) + ".",
        "",
    ]
    return "\n".join(lines)
