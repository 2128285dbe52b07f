"""The consultation: who the patient is, what they want treated, and what is safe to do.

A :class:`Consultation` is read from a TOML or JSON file by :func:`load_consultation` or
built directly; either way every problem is one :class:`~dermalase.exceptions.InputError`
(exit code 2) whose message names the field path (``history.isotretinoin_months_ago``),
the value and the allowed range or the closest valid name.

Names are forgiving about case, spaces and hyphens (``"Fine lines"`` and ``"fine-lines"``
are ``fine_lines``) and accept a few aliases; the model stores the canonical names.

Treatment areas are the skin-model areas of :data:`dermalase.tissue.areas.AREAS` plus
``full_face``. The full face is planned as **one** area (it matches the scanner's
``full-face`` template) whose skin is the cheek's (:func:`skin_area`); the eyelid skin
inside a full-face field is not modelled separately, so the rules warn that it must be
treated at the periorbital limits (rule ``precaution.full_face_eyelids``). Zones treated
more deeply than the rest of the face are listed as their own areas (``perioral``,
``periorbital``...).

Examples
--------
>>> consultation = Consultation(
...     age=45, skin_type="II", conditions=["fine lines", "texture"], areas=["face"],
...     downtime_days=3, correction="moderate")
>>> consultation.conditions, consultation.areas, consultation.skin_type
(('fine_lines', 'tone_and_texture'), ('full_face',), 2)
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from dermalase.devices import list_devices
from dermalase.exceptions import InputError, did_you_mean
from dermalase.reading import read_document, shown
from dermalase.tissue.areas import ALIASES as SKIN_AREA_ALIASES
from dermalase.tissue.areas import AREAS
from dermalase.units import parse_quantity

#: Conditions a consultation may name, with their plain-language description.
CONDITIONS: dict[str, str] = {
    "fine_lines": "fine lines",
    "deeper_wrinkles": "deeper wrinkles (rhytides)",
    "scars": "scars (atrophic acne scars, surgical or traumatic scars)",
    "sun_damage": "sun damage (photoageing)",
    "liver_spots": "liver spots (solar lentigines)",
    "pigmentation_irregularities": "pigmentation irregularities",
    "tone_and_texture": "uneven tone and texture",
    "complexion": "dull complexion",
    "melasma": "melasma (hormonal, recurrent facial pigmentation)",
}

#: Other spellings accepted for conditions.
CONDITION_ALIASES: dict[str, str] = {
    "deep_wrinkles": "deeper_wrinkles",
    "rhytides": "deeper_wrinkles",
    "acne_scars": "scars",
    "scarring": "scars",
    "photoaging": "sun_damage",
    "photoageing": "sun_damage",
    "photodamage": "sun_damage",
    "lentigines": "liver_spots",
    "age_spots": "liver_spots",
    "pigmentation": "pigmentation_irregularities",
    "dyschromia": "pigmentation_irregularities",
    "texture": "tone_and_texture",
    "tone": "tone_and_texture",
    "chloasma": "melasma",
}

#: The whole face as one treatment area.
FULL_FACE = "full_face"

#: Treatment area -> the skin-model area whose layers stand in for it
#: (:data:`dermalase.tissue.areas.AREAS`). The full face uses the cheek's skin.
TREATMENT_AREAS: dict[str, str] = {FULL_FACE: "cheek"} | {name: name for name in AREAS}

#: Other spellings accepted for treatment areas.
AREA_ALIASES: dict[str, str] = SKIN_AREA_ALIASES | {
    "face": FULL_FACE,
    "whole_face": FULL_FACE,
    "decolletage": "chest",
    "upper_chest": "chest",
    "eyes": "periorbital",
    "crows_feet": "periorbital",
    "mouth": "perioral",
}

#: Degrees of correction the patient asks for, mildest first.
CORRECTIONS: tuple[Literal["mild", "moderate", "marked"], ...] = ("mild", "moderate", "marked")

#: Roman numerals of the Fitzpatrick skin types.
ROMAN_SKIN_TYPES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}

# The allowed value of each numeric field, as the error message states it.
_ALLOWED = {
    "age": "age in whole years, 1-120",
    "downtime_days": "days of downtime the patient accepts, 0-90",
    "history.isotretinoin_months_ago": (
        "months since the last isotretinoin dose, 0-600 (0: still taking it); "
        "leave it out if never taken"
    ),
    "history.prior_resurfacing_months_ago": (
        "months since the last resurfacing of these areas, 0-600; leave it out if none"
    ),
    "skin_type": "Fitzpatrick skin type I-VI (or 1-6, ASCII digits)",
    "conditions": f"a list of at least one of: {', '.join(CONDITIONS)}",
    "areas": f"a list of at least one of: {', '.join(TREATMENT_AREAS)}",
}

#: Earliest and latest first-session date a consultation may give. The course dates, the
#: maintenance date and the records count forward from it; the range holds every real clinic
#: date, keeps that arithmetic far from the calendar's end (year 9999, where it would fail)
#: and is the range of ``plan --start-date``.
START_DATE_RANGE = (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))

_ALLOWED["start_date"] = (
    f"a date YYYY-MM-DD from {START_DATE_RANGE[0].isoformat()} to {START_DATE_RANGE[1].isoformat()}"
)

# The type each scalar field asks for, as the error message names it.
_TYPES = {"int": "a whole number", "float": "a number", "bool": "true or false"}

# What a wrong value is, as the error message names it.
_KINDS = {"str": "text in quotes", "float": "a decimal number", "list": "a list", "dict": "a table"}

Months = Annotated[float, Field(ge=0, le=600, strict=True, allow_inf_nan=False)]


def normalise(name: str) -> str:
    """Lower-case a name and join its words with underscores.

    Examples
    --------
    >>> normalise(" Fine-Lines ")
    'fine_lines'
    """
    text = name.strip().lower().replace("&", "and")
    for separator in ("-", " ", "/"):
        text = text.replace(separator, "_")
    return "_".join(part for part in text.split("_") if part)


def closest(name: str, known: Mapping[str, object], aliases: Mapping[str, str]) -> str:
    """Return a hint naming the known (or alias-resolved) name closest to ``name``."""
    key = normalise(name)
    hint = did_you_mean(key, known, aliases=aliases)
    return f"{hint}known: {', '.join(known)}"


class _NameError(ValueError):
    """An unknown or repeated name at a position of a list of names."""

    def __init__(self, item: object, index: int | None, allowed: str):
        self.item = item
        self.index = index
        super().__init__(allowed)


def _canonical(
    name: object, known: Mapping[str, object], aliases: Mapping[str, str], index: int | None = None
) -> str:
    """Return the canonical name, or raise ValueError with the closest-name hint."""
    if not isinstance(name, str):
        raise _NameError(name, index, f"must be a name; known: {', '.join(known)}")
    key = normalise(name)
    key = aliases.get(key, key)
    if key not in known:
        raise _NameError(name, index, closest(name, known, aliases))
    return key


def _names(values: object, known: Mapping[str, object], aliases: Mapping[str, str]) -> tuple:
    """Canonicalise a list of names (a single name counts as a list of one)."""
    items = [values] if isinstance(values, str) else values
    if not isinstance(items, list | tuple):
        raise ValueError(f"must be a list of names; known: {', '.join(known)}")
    canonical = tuple(_canonical(item, known, aliases, index) for index, item in enumerate(items))
    for index, name in enumerate(canonical):
        if name in canonical[:index]:
            raise _NameError(items[index], index, f"{name} is listed twice; list each once")
    return canonical


def treatment_area(name: str) -> str:
    """Return the canonical treatment-area name.

    Parameters
    ----------
    name : str
        An area name or alias (``"face"``, ``"full-face"``, ``"eyelid"``, ``"hands"``).

    Returns
    -------
    str
        One of :data:`TREATMENT_AREAS`.

    Raises
    ------
    InputError
        For an unknown name, suggesting the closest known one.

    Examples
    --------
    >>> treatment_area("Full-Face"), treatment_area("eyelid")
    ('full_face', 'periorbital')
    """
    try:
        return _canonical(name, TREATMENT_AREAS, AREA_ALIASES)
    except ValueError as error:
        raise InputError("area", name, str(error)) from None


def skin_area(area: str) -> str:
    """Return the skin-model area (:func:`dermalase.tissue.areas.skin_model`) of an area.

    Examples
    --------
    >>> skin_area("full_face"), skin_area("neck")
    ('cheek', 'neck')
    """
    return TREATMENT_AREAS[treatment_area(area)]


def on_face(area: str) -> bool:
    """Whether a treatment area belongs to the face (more adnexal structures)."""
    return AREAS[skin_area(area)].face


def device_names() -> tuple[str, ...]:
    """Names of the devices a consultation may list (bundled and user devices)."""
    return tuple(device.name for device in list_devices())


class _Record(BaseModel):
    """Base of the consultation models: frozen, unknown keys refused, errors as InputError."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    _prefix: ClassVar[str] = ""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise _input_error(error, type(self), self._prefix) from None


class History(_Record):
    """Medical history that decides what is safe.

    Parameters
    ----------
    isotretinoin_months_ago : float or None
        Months since the last isotretinoin (oral) dose [months]; 0 while still taking it;
        None if never taken.
    herpes_simplex : bool
        History of herpes simplex (cold sores) at or near the treatment areas.
    active_infection : bool
        Active viral, bacterial or fungal infection at a treatment site now.
    keloids : bool
        History of keloid or hypertrophic scarring.
    pregnancy : bool
        Pregnant now.
    smoking : bool
        Smokes now.
    anticoagulants : bool
        Takes anticoagulant or antiplatelet medication.
    recent_tan : bool
        Tanned (sun or self-tanner) within the last weeks.
    prior_resurfacing_months_ago : float or None
        Months since the last resurfacing of these areas [months]; None if none.
    """

    _prefix: ClassVar[str] = "history."

    isotretinoin_months_ago: Months | None = None
    herpes_simplex: bool = Field(default=False, strict=True)
    active_infection: bool = Field(default=False, strict=True)
    keloids: bool = Field(default=False, strict=True)
    pregnancy: bool = Field(default=False, strict=True)
    smoking: bool = Field(default=False, strict=True)
    anticoagulants: bool = Field(default=False, strict=True)
    recent_tan: bool = Field(default=False, strict=True)
    prior_resurfacing_months_ago: Months | None = None


def _quantity(text: object, unit: str, example: str) -> str:
    """Check a quantity typed by the physician; return it as given (stripped)."""
    try:
        parse_quantity(text, unit, "quantity", example=example)  # type: ignore[arg-type]
    except InputError as error:
        raise ValueError(error.allowed) from None
    return str(text).strip()


class PhysicianDepth(_Record):
    """The depth the physician chooses for one area (a table ``[depth.AREA]`` in a file).

    The planner then does not choose the depth for that area: it checks this one against
    the rules and the patient's downtime, and reports what it predicts.

    Parameters
    ----------
    ablation : str
        Ablation depth [µm], a quantity with its unit (``"15um"``); for fractional work, the
        depth of the ablated column.
    coagulation : str
        Coagulation depth below the ablation floor [µm] (``"0um"``, the default); full field
        only (a fractional column's coagulation is what the device leaves).
    coverage : str or None
        Fractional coverage [%] (``"10%"``); leave it out for full field, or to take the
        indication's coverage for fractional work.
    modality : str or None
        ``"full_field"`` or ``"fractional"``; leave it out to take the rules' choice.
    """

    ablation: str
    coagulation: str = "0um"
    coverage: str | None = None
    modality: Literal["full_field", "fractional"] | None = None

    @field_validator("ablation", "coagulation")
    @classmethod
    def _depth(cls, value: str) -> str:
        return _quantity(value, "m", "15um")

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = _quantity(value, "dimensionless", "10%")
        if not 0 < parse_quantity(text, "dimensionless", "coverage") <= 1:
            raise ValueError("a coverage above 0 % and at most 100 %, such as 10%")
        return text

    @field_validator("modality", mode="before")
    @classmethod
    def _modality(cls, value: object) -> object:
        return normalise(value) if isinstance(value, str) else value

    @property
    def ablation_depth(self) -> float:
        """Ablation (or column) depth [m]."""
        return parse_quantity(self.ablation, "m", "ablation")

    @property
    def coagulation_depth(self) -> float:
        """Coagulation depth below the ablation floor [m]."""
        return parse_quantity(self.coagulation, "m", "coagulation")

    @property
    def coverage_fraction(self) -> float | None:
        """Fractional coverage [-], or None when the rules choose it."""
        if self.coverage is None:
            return None
        return parse_quantity(self.coverage, "dimensionless", "coverage")


class Consultation(_Record):
    """What the patient wants and what decides whether and how it is safe to do.

    Parameters
    ----------
    age : int
        Age [years], 1-120.
    skin_type : int or str
        Fitzpatrick skin type, 1-6 or ``"I"``-``"VI"``; stored as an int.
    conditions : list of str
        What to treat: names from :data:`CONDITIONS` (or :data:`CONDITION_ALIASES`).
    areas : list of str
        Where: names from :data:`TREATMENT_AREAS` (or :data:`AREA_ALIASES`).
    downtime_days : float
        Days of social downtime the patient accepts [days], 0-90.
    correction : str
        Degree of correction wanted: ``"mild"``, ``"moderate"`` or ``"marked"``.
    history : History
        Medical history (a table ``[history]`` in a file).
    devices : list of str
        Preferred or available devices (names from :func:`device_names`), in order of
        preference; empty: any bundled device kind.
    patient : str
        Optional identifier of the patient (no clinical meaning).
    start_date : datetime.date or None
        Optional date of the first session (course dates count from it).
    notes : str
        Free text kept with the plan.
    depth : dict of str to PhysicianDepth
        The physician's dial: per treatment area (a table ``[depth.AREA]``), the ablation and
        coagulation depth (and, for fractional work, coverage and modality) the physician
        chooses. The planner checks it against the rules and the downtime instead of
        choosing; each area must be one of ``areas``.
    """

    age: int = Field(ge=1, le=120, strict=True)
    skin_type: int
    conditions: tuple[str, ...] = Field(min_length=1)
    areas: tuple[str, ...] = Field(min_length=1)
    downtime_days: float = Field(ge=0, le=90, strict=True, allow_inf_nan=False)
    correction: Literal["mild", "moderate", "marked"]
    history: History = History()
    devices: tuple[str, ...] = ()
    patient: str = ""
    start_date: datetime.date | None = None
    notes: str = ""
    depth: dict[str, PhysicianDepth] = Field(default_factory=dict)

    @field_validator("skin_type", mode="before")
    @classmethod
    def _skin_type(cls, value: object) -> int:
        # Roman numerals in any case; digits only in ASCII: "٣" or "３" are refused rather
        # than read as III, so what the clinic typed is what the plan shows.
        text = str(value).strip().upper() if isinstance(value, str | int) else ""
        if isinstance(value, bool) or not text:
            raise ValueError(_ALLOWED["skin_type"])
        ascii_digits = text.isascii() and text.isdigit() and len(text) < 3
        number = ROMAN_SKIN_TYPES.get(text) or (int(text) if ascii_digits else 0)
        if not 1 <= number <= 6:
            raise ValueError(_ALLOWED["skin_type"])
        return number

    @field_validator("start_date")
    @classmethod
    def _start_date(cls, value: datetime.date | None) -> datetime.date | None:
        return None if value is None else check_start_date(value)

    @field_validator("conditions", mode="before")
    @classmethod
    def _conditions(cls, value: object) -> tuple[str, ...]:
        return _names(value, CONDITIONS, CONDITION_ALIASES)

    @field_validator("areas", mode="before")
    @classmethod
    def _areas(cls, value: object) -> tuple[str, ...]:
        return _names(value, TREATMENT_AREAS, AREA_ALIASES)

    @field_validator("depth", mode="before")
    @classmethod
    def _depth_areas(cls, value: object) -> object:
        if not isinstance(value, Mapping):
            return value
        return {
            _canonical(name, TREATMENT_AREAS, AREA_ALIASES): dial for name, dial in value.items()
        }

    @model_validator(mode="after")
    def _depth_in_areas(self) -> Consultation:
        for name in self.depth:
            if name not in self.areas:
                raise InputError(
                    f"depth.{name}",
                    "(a table)",
                    f"the physician's depth is for an area not requested; areas: "
                    f"{', '.join(self.areas)}",
                )
        return self

    def physician_depth(self, area: str) -> PhysicianDepth | None:
        """The physician's dial for a canonical treatment area, or None."""
        return self.depth.get(area)

    @field_validator("correction", mode="before")
    @classmethod
    def _correction(cls, value: object) -> str:
        return _canonical(value, dict.fromkeys(CORRECTIONS), {"slight": "mild", "strong": "marked"})

    @field_validator("devices", mode="before")
    @classmethod
    def _devices(cls, value: object) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list | tuple) and not items:
            return ()
        return _names(value, dict.fromkeys(device_names()), {})

    @classmethod
    def from_mapping(cls, document: object) -> Consultation:
        """Build a consultation from a parsed TOML or JSON document.

        Raises
        ------
        InputError
            When the document is not a table or a field is invalid.
        """
        if not isinstance(document, Mapping):
            raise InputError("consultation", type(document).__name__, "must be a table of keys")
        return cls(**{str(key): value for key, value in document.items()})

    def to_dict(self) -> dict:
        """JSON-ready view (the start date as an ISO string)."""
        return self.model_dump(mode="json")


#: Dotted paths of every consultation field (``history.keloids``...), the names a rule's
#: ``when`` condition may read (not the physician's dial: rules decide what is safe from the
#: patient, never from the depth asked for).
FIELD_PATHS: tuple[str, ...] = tuple(
    [name for name in Consultation.model_fields if name not in ("history", "depth")]
    + [f"history.{name}" for name in History.model_fields]
)


def check_start_date(value: datetime.date, field: str = "start_date") -> datetime.date:
    """Refuse a first-session date outside :data:`START_DATE_RANGE`.

    Parameters
    ----------
    value : datetime.date
        The date of the first session.
    field : str
        Name of the input, as the message names it (``--start-date`` on the command line).

    Returns
    -------
    datetime.date
        ``value``, unchanged.

    Raises
    ------
    InputError
        Naming the field, the date and the allowed range.

    Examples
    --------
    >>> check_start_date(datetime.date(2025, 3, 1))
    datetime.date(2025, 3, 1)
    """
    earliest, latest = START_DATE_RANGE
    if not earliest <= value <= latest:
        raise InputError(field, value.isoformat(), _ALLOWED["start_date"])
    return value


def load_consultation(path: str | Path) -> Consultation:
    """Read and validate a consultation file.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.toml`` or ``.json`` file.

    Returns
    -------
    Consultation

    Raises
    ------
    InputError
        For a missing, unreadable or malformed file, or an invalid field; the message is
        one line naming the field path, the value and what is allowed.
    """
    path = Path(path)
    syntax = {".toml": "toml", ".json": "json"}.get(path.suffix.lower())
    if syntax is None:
        raise InputError("consultation file", shown(path), "must be a .toml or .json file")
    document = read_document(path, "consultation file", syntax=syntax)
    return Consultation.from_mapping(document)


def _input_error(error: ValidationError, model: type[BaseModel], prefix: str) -> InputError:
    """Turn the first pydantic error into a one-line InputError.

    An unknown key is reported first: a misspelt key also leaves its correct spelling
    missing, and the spelling is the cause.
    """
    errors = error.errors(include_url=False)
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    location = [part for part in first["loc"] if part != "__root__"]
    names = [str(part) for part in location if isinstance(part, str)]
    path = prefix + ".".join(names)
    field = path + "".join(f"[{part}]" for part in location if isinstance(part, int))
    if first["type"] == "extra_forbidden":
        known = _fields_at(model, names[:-1])
        return InputError(field, "(unknown key)", closest(names[-1], dict.fromkeys(known), {}))
    if first["type"] == "missing":
        return InputError(field, "(missing)", "required")
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, InputError):
        # A nested table (``[depth.full_face]``) names its own keys only; give the full path.
        if path and not cause.field.startswith(path):
            return InputError(f"{path}.{cause.field}", cause.value, cause.allowed)
        return cause
    if isinstance(cause, _NameError):
        index = "" if cause.index is None else f"[{cause.index}]"
        return InputError(path + index, shown(cause.item, 60), str(cause))
    value = first.get("input")
    message = first["msg"].removeprefix("Value error, ")
    allowed = _ALLOWED.get(path, message)
    kind = first["type"].removesuffix("_parsing").removesuffix("_type")
    if first["type"].startswith("bool"):
        allowed = "true or false"
    elif kind in _TYPES and first["type"].endswith(("_type", "_parsing")):
        got = _KINDS.get(type(value).__name__, type(value).__name__)
        allowed = f"must be {_TYPES[kind]}, not {got}; {allowed}"
    return InputError(field or "consultation", _value_text(value), allowed)


def _value_text(value: object) -> str:
    """The value as an error message shows it: quoted if text, on one short line."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return f"(a {len(str(abs(value)))}-digit number)"
    if isinstance(value, dict):
        return "(a table)"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return shown(repr(value) if isinstance(value, str) else value, 60)


def _fields_at(model: type[BaseModel], names: list[str]) -> list[str]:
    """Field names of the (nested) model reached by following ``names``."""
    for name in names:
        annotation = model.model_fields[name].annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    return list(model.model_fields)
