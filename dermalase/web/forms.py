"""The consultation form, derived from the consultation's pydantic models.

Every field of :class:`dermalase.clinical.consultation.Consultation` (and of its
``history`` and per-area ``depth`` tables) becomes one form control, chosen from the
field's type: a checkbox for a flag, a number box with the model's bounds for a number, a
menu for a choice, a group of checkboxes for a list of names. A field added to the model
appears in the form without touching this module; a test checks that none is missing.

A submitted form is turned back into a consultation document (the keys a consultation file
has) and validated by the model itself, so that a bad value gets exactly the command
line's message, shown by the field it names.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel

from dermalase.clinical.consultation import (
    CONDITIONS,
    CORRECTIONS,
    ROMAN_SKIN_TYPES,
    TREATMENT_AREAS,
    Consultation,
    History,
    PhysicianDepth,
    device_names,
)
from dermalase.exceptions import InputError
from dermalase.report.schema import _field_descriptions


#: The choices of the list fields, as (value, label) pairs.
def _list_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "conditions": list(CONDITIONS.items()),
        "areas": [(name, name.replace("_", " ")) for name in TREATMENT_AREAS],
        "devices": [(name, name.replace("_", " ")) for name in device_names()],
    }


#: Controls of fields whose type alone does not say how a physician enters them.
_SPECIAL = {
    "skin_type": "select",
    "notes": "textarea",
}

#: What the form says about a field whose model description speaks to programmers.
HELP = {
    "skin_type": "Fitzpatrick skin type I-VI.",
    "conditions": "What to treat: tick at least one.",
    "areas": (
        "Where: tick at least one. The full face is one area; tick a zone too (perioral, "
        "periorbital) to treat it more deeply than the rest of the face."
    ),
    "devices": (
        "The devices the clinic has or prefers; none ticked: any bundled device that can "
        "deliver the plan."
    ),
}

#: Fields the form fills from the patient record and does not show as inputs.
FROM_PATIENT = ("patient",)


@dataclasses.dataclass(frozen=True)
class FormField:
    """One control of the consultation form.

    Attributes
    ----------
    name : str
        The dotted field path, as the error messages name it (``history.smoking``,
        ``depth.full_face.ablation``); also the control's ``name``.
    label : str
        What the physician reads.
    control : str
        ``checkbox``, ``number``, ``select``, ``checkboxes``, ``date``, ``text`` or
        ``textarea``.
    required : bool
    help : str
        The model's description of the field.
    choices : list of (str, str)
        Values and labels of a ``select`` or ``checkboxes``.
    minimum, maximum : float or None
        Bounds of a number.
    step : str
        ``1`` for whole numbers, ``any`` otherwise.
    """

    name: str
    label: str
    control: str
    required: bool
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: str = "any"


def _bounds(info) -> tuple[float | None, float | None]:
    low = high = None
    metadata = list(info.metadata)
    annotation = info.annotation
    for argument in typing.get_args(annotation):
        metadata += list(getattr(argument, "__metadata__", ()))
        for inner in getattr(argument, "__metadata__", ()):
            metadata += list(getattr(inner, "metadata", ()))
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = float(item.ge)  # type: ignore[arg-type]
        if isinstance(item, annotated_types.Le):
            high = float(item.le)  # type: ignore[arg-type]
    return low, high


def _base_type(annotation: Any) -> Any:
    """The annotation without ``None`` and ``Annotated`` wrappers."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(options[0]) if len(options) == 1 else annotation
    return annotation


def _control(name: str, info, prefix: str, help_text: str) -> FormField:
    path = prefix + name
    label = name.replace("_", " ").capitalize()
    required = info.is_required()
    base = _base_type(info.annotation)
    low, high = _bounds(info)
    if name in _SPECIAL and not prefix:
        control = _SPECIAL[name]
        choices: tuple[tuple[str, str], ...] = ()
        if name == "skin_type":
            choices = tuple((roman, f"{roman}") for roman in ROMAN_SKIN_TYPES)
        return FormField(path, label, control, required, help_text, choices)
    if typing.get_origin(base) is Literal:
        options = tuple((str(v), str(v).replace("_", " ")) for v in typing.get_args(base))
        return FormField(path, label, "select", required, help_text, options)
    if typing.get_origin(base) is tuple:
        choices = tuple(_list_choices().get(name, ()))
        control = "checkboxes" if choices else "text"
        return FormField(path, label, control, required, help_text, choices)
    if base is bool:
        return FormField(path, label, "checkbox", False, help_text)
    if base in (int, float):
        step = "1" if base is int else "any"
        return FormField(path, label, "number", required, help_text, (), low, high, step)
    if base is datetime.date:
        return FormField(path, label, "date", required, help_text)
    return FormField(path, label, "text", required, help_text)


def _fields(model: type[BaseModel], prefix: str = "") -> list[FormField]:
    descriptions = _field_descriptions(model)
    return [
        _control(name, info, prefix, HELP.get(prefix + name, descriptions.get(name, "")))
        for name, info in model.model_fields.items()
        if _base_type(info.annotation) is not History
        and typing.get_origin(_base_type(info.annotation)) is not dict
        and not (not prefix and name in FROM_PATIENT)
    ]


def consultation_fields() -> list[FormField]:
    """The top-level controls of the form (not ``history`` and ``depth``)."""
    return _fields(Consultation)


def history_fields() -> list[FormField]:
    """The medical-history controls (``history.*``)."""
    return _fields(History, "history.")


def depth_fields(area: str) -> list[FormField]:
    """The physician's depth dial of one treatment area (``depth.AREA.*``)."""
    fields = _fields(PhysicianDepth, f"depth.{area}.")
    # every dial field is optional in the form: an area without a dial is the planner's
    return [dataclasses.replace(field, required=False) for field in fields]


def form_names() -> set[str]:
    """Every control name of the form (the depth dial of every area included)."""
    names = {field.name for field in consultation_fields() + history_fields()}
    for area in TREATMENT_AREAS:
        names |= {field.name for field in depth_fields(area)}
    return names


def _number(name: str, text: str, whole: bool) -> object:
    """A typed number when the text is one; the text itself otherwise (the model refuses it)."""
    try:
        return int(text) if whole else float(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return text
        return int(value) if whole and value.is_integer() else value


def document_from_form(
    form: Mapping[str, Any], lists: Mapping[str, list[str]], patient: str
) -> dict:
    """The consultation document of a submitted form.

    Parameters
    ----------
    form : mapping of str to str
        Single values by control name (an unchecked checkbox is absent).
    lists : mapping of str to list of str
        The checked values of each ``checkboxes`` control.
    patient : str
        The patient's identifier in the clinic's records.

    Returns
    -------
    dict
        Keys as in a consultation file: empty inputs are left out, numbers typed.
    """
    document: dict[str, Any] = {"patient": patient}
    history: dict[str, Any] = {}
    for field in consultation_fields() + history_fields():
        target = history if field.name.startswith("history.") else document
        key = field.name.removeprefix("history.")
        if field.control == "checkbox":
            target[key] = field.name in form
            continue
        if field.control == "checkboxes":
            target[key] = list(lists.get(field.name, []))
            continue
        text = str(form.get(field.name, "")).strip()
        if not text:
            continue
        if field.control == "number":
            target[key] = _number(field.name, text, field.step == "1")
        elif field.control == "date":
            try:
                target[key] = datetime.date.fromisoformat(text)
            except ValueError:
                target[key] = text
        else:
            target[key] = text
    if any(value for value in history.values()):
        document["history"] = {k: v for k, v in history.items() if v is not False}
    depth: dict[str, dict[str, str]] = {}
    for area in document.get("areas", []):
        dial = {}
        for field in depth_fields(area) if area in TREATMENT_AREAS else []:
            text = str(form.get(field.name, "")).strip()
            if text:
                dial[field.name.rsplit(".", 1)[1]] = text
        if dial:
            depth[area] = dial
    if depth:
        document["depth"] = depth
    return document


def validate(document: Mapping[str, Any]) -> dict[str, str]:
    """The error of a consultation document by control name; empty when it is valid.

    The message is the command line's (:class:`~dermalase.exceptions.InputError`); its
    field path (``conditions[1]``, ``history.isotretinoin_months_ago``) is mapped to the
    control that shows it, or to ``""`` (the form's top) when no control has that name.
    """
    try:
        Consultation.from_mapping(dict(document))
    except InputError as error:
        name = error.field.split("[", 1)[0]
        return {name if name in form_names() else "": str(error)}
    return {}


def storable(document: Mapping[str, Any]) -> dict:
    """The document as JSON can store it (dates as ISO text)."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in document.items()
    }


#: Labels of the correction degrees, mildest first (for the templates).
CORRECTION_NAMES = CORRECTIONS
