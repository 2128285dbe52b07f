"""The records as the web application shows and serves them (reads through the records layer).

Patient, timeline and outcome dictionaries use the keys of ``dermalase records … --json``
(:mod:`dermalase.records.timeline`), so that the API and the command line agree.
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy.orm import Session

from dermalase import records
from dermalase.exceptions import InputError
from dermalase.records.timeline import FITZPATRICK, patient_timeline

#: Longest photo file name accepted [characters].
NAME_LIMIT = 200


def patient_dict(patient: records.Patient) -> dict[str, Any]:
    """A patient as ``dermalase records patient show --json`` writes it, with its number."""
    return {
        "patient_id": patient.id,
        "identifier": patient.identifier,
        "birth_year": patient.birth_year,
        "skin_type": FITZPATRICK[patient.skin_type - 1],
        "history": patient.history,
    }


def timeline(session: Session, clinic_id: int, patient: records.Patient) -> dict[str, Any]:
    """The patient's timeline: the records' one, plus consultations and plans.

    Returns
    -------
    dict
        :func:`dermalase.records.timeline.patient_timeline` (patient, sessions with diary
        and photos, warnings) with ``consultations`` and ``plans`` (date, areas, id).
    """
    result = patient_timeline(session, clinic_id, patient.identifier)
    result["patient"] = patient_dict(patient)
    plans = records.list_plans(session, clinic_id, patient.id)
    planned = {plan.consultation_id for plan in plans}
    result["consultations"] = [
        {
            "consultation_id": consultation.id,
            "date": consultation.created_at.date().isoformat(),
            "areas": list(consultation.document.get("areas", [])),
            "conditions": list(consultation.document.get("conditions", [])),
            "planned": consultation.id in planned,
        }
        for consultation in sorted(patient.consultations, key=lambda c: c.id)
    ]
    result["plans"] = [
        {
            "plan_id": plan.id,
            "consultation_id": plan.consultation_id,
            "date": plan.created_at.date().isoformat(),
            "areas": [area["area"] for area in plan.document.get("areas", [])],
            "dermalase_version": plan.dermalase_version,
        }
        for plan in plans
    ]
    return result


def events(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The timeline as one list of dated events, oldest first (for the patient page)."""
    items: list[dict[str, Any]] = []
    for consultation in result["consultations"]:
        items.append({"kind": "consultation", "date": consultation["date"], **consultation})
    for plan in result["plans"]:
        items.append({"kind": "plan", **plan})
    for treatment in result["sessions"]:
        items.append({"kind": "session", **treatment})
        for entry in treatment["diary"]:
            items.append({"kind": "diary", "session_id": treatment["session_id"], **entry})
    order = {"consultation": 0, "plan": 1, "session": 2, "diary": 3}
    return sorted(items, key=lambda item: (item["date"], order[item["kind"]]))


def setting_label(key: str) -> str:
    """A plan JSON settings key as a physician reads it: ``fluence_j_cm2`` -> ``fluence (J/cm²)``.

    Examples
    --------
    >>> setting_label("pulses")
    'pulses'
    """
    from dermalase.units import QUANTITIES, clinical_key

    for name, quantity in QUANTITIES.items():
        if clinical_key(name) == key and quantity.clinical_unit:
            return f"{name.replace('_', ' ')} ({quantity.clinical_unit})"
    return key.replace("_", " ")


def check_file_name(name: str | None) -> None:
    """Refuse a photo file name with a folder, a parent step or a control character.

    The store never uses the client's name (files are kept by their SHA-256), but a name
    that tries to climb folders says that the upload is not an honest photo.

    Raises
    ------
    InputError
        Naming ``photo`` and the name.
    """
    if name is None:
        return
    bad = (
        "/" in name
        or "\\" in name
        or ".." in name
        or len(name) > NAME_LIMIT
        or any(not character.isprintable() for character in name)
    )
    if bad:
        raise InputError(
            "photo", name, "a plain file name without folders, '..' or control characters"
        )


def parse_date(field: str, text: str) -> datetime.date:
    """A date typed in a form (YYYY-MM-DD).

    Raises
    ------
    InputError
        Naming the field.
    """
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(field, text, "a date YYYY-MM-DD") from None


def parse_int(field: str, text: str, low: int, high: int) -> int:
    """A whole number typed in a form, within ``low``..``high``.

    Raises
    ------
    InputError
        Naming the field and the range.
    """
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError(field, text, f"a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise InputError(field, value, f"a whole number from {low} to {high}")
    return value
