"""Patients of a clinic: found by the clinic's identifier, deleted with everything they own.

A patient row holds no more identifying data than the plan needs: the clinic's own
identifier (chosen by the clinic, e.g. a chart number), the year of birth, the Fitzpatrick
skin type and the history flags of the consultation.
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermalase.exceptions import InputError
from dermalase.records.clinics import audit, check_name, get_clinic, one_in_clinic
from dermalase.records.schema import DiaryEntry, Patient, Photo, TreatmentSession

#: Earliest year of birth accepted.
EARLIEST_BIRTH_YEAR = 1900


def _check_patient_fields(birth_year: int, skin_type: int, history: dict[str, Any]) -> None:
    this_year = datetime.date.today().year
    if not isinstance(birth_year, int) or not EARLIEST_BIRTH_YEAR <= birth_year <= this_year:
        raise InputError("birth_year", birth_year, f"{EARLIEST_BIRTH_YEAR} to {this_year}")
    if not isinstance(skin_type, int) or not 1 <= skin_type <= 6:
        raise InputError("skin_type", skin_type, "Fitzpatrick type 1 to 6")
    if not isinstance(history, dict):
        raise InputError("history", history, "a table of history flags")


def add_patient(
    session: Session,
    clinic_id: int,
    identifier: str,
    birth_year: int,
    skin_type: int,
    history: dict[str, Any] | None,
    actor: str,
) -> Patient:
    """Create a patient of a clinic.

    Parameters
    ----------
    identifier : str
        The clinic's identifier of the patient, unique within the clinic.
    birth_year : int
        Year of birth.
    skin_type : int
        Fitzpatrick type, 1-6.
    history : dict or None
        History flags as in the consultation's ``[history]`` table.

    Raises
    ------
    RecordNotFoundError
        No such clinic.
    InputError
        A bad field, or the identifier is taken in this clinic.
    """
    get_clinic(session, clinic_id)
    identifier = check_name("patient", identifier)
    history = dict(history or {})
    _check_patient_fields(birth_year, skin_type, history)
    taken = select(Patient.id).where(
        Patient.clinic_id == clinic_id, Patient.identifier == identifier
    )
    if session.scalar(taken) is not None:
        raise InputError("patient", identifier, "a patient of this identifier exists already")
    patient = Patient(
        clinic_id=clinic_id,
        identifier=identifier,
        birth_year=birth_year,
        skin_type=skin_type,
        history=history,
    )
    session.add(patient)
    session.flush()
    audit(session, clinic_id, actor, "create", "patient", patient.id)
    return patient


def get_patient(session: Session, clinic_id: int, patient_id: int) -> Patient:
    """The patient of that row id in this clinic.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic (another clinic's patient included).
    """
    return one_in_clinic(
        session, Patient, clinic_id, "patient", patient_id, Patient.id == patient_id
    )


def find_patient(session: Session, clinic_id: int, identifier: str) -> Patient:
    """The patient of the clinic's identifier.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic (another clinic's patient included).
    """
    return one_in_clinic(
        session, Patient, clinic_id, "patient", identifier, Patient.identifier == identifier
    )


def list_patients(session: Session, clinic_id: int) -> list[Patient]:
    """The clinic's patients, by identifier."""
    query = select(Patient).where(Patient.clinic_id == clinic_id).order_by(Patient.identifier)
    return list(session.scalars(query))


def update_patient(
    session: Session,
    clinic_id: int,
    patient_id: int,
    actor: str,
    *,
    skin_type: int | None = None,
    history: dict[str, Any] | None = None,
) -> Patient:
    """Change a patient's skin type or history flags (logged with the fields changed).

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    InputError
        A bad field.
    """
    patient = get_patient(session, clinic_id, patient_id)
    new_type = patient.skin_type if skin_type is None else skin_type
    new_history = patient.history if history is None else dict(history)
    _check_patient_fields(patient.birth_year, new_type, new_history)
    changed = [
        name
        for name, old, new in (
            ("skin_type", patient.skin_type, new_type),
            ("history", patient.history, new_history),
        )
        if old != new
    ]
    patient.skin_type, patient.history = new_type, new_history
    if changed:
        audit(session, clinic_id, actor, "change", "patient", patient.id, {"fields": changed})
    return patient


def patient_photos(session: Session, clinic_id: int, patient_id: int) -> list[str]:
    """SHA-256 of every photo of a patient (as stored in the clinic's photo folder)."""
    query = (
        select(Photo.sha256)
        .join(DiaryEntry, Photo.entry_id == DiaryEntry.id)
        .join(TreatmentSession, DiaryEntry.session_id == TreatmentSession.id)
        .where(TreatmentSession.patient_id == patient_id, Photo.clinic_id == clinic_id)
    )
    return list(session.scalars(query))


def delete_patient(session: Session, clinic_id: int, patient_id: int, actor: str) -> list[str]:
    """Delete a patient and everything that belongs to them; log it.

    Returns
    -------
    list of str
        The photo hashes no other record of the clinic names any more: remove them from
        the photo store **after** the transaction has committed
        (:meth:`dermalase.records.photos.PhotoStore.remove`).

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    patient = get_patient(session, clinic_id, patient_id)
    hashes = set(patient_photos(session, clinic_id, patient_id))
    counts = {
        "sessions": len(patient.sessions),
        "photos": len(patient_photos(session, clinic_id, patient_id)),
    }
    session.delete(patient)
    session.flush()
    still_named = set(
        session.scalars(
            select(Photo.sha256).where(Photo.clinic_id == clinic_id, Photo.sha256.in_(hashes))
        )
    )
    audit(session, clinic_id, actor, "delete", "patient", patient_id, counts)
    return sorted(hashes - still_named)
