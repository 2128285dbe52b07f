"""A patient's course as it was predicted and as it healed, and the outcomes over a clinic.

:func:`patient_timeline` gathers, per session, the delivered settings, the predicted
phases (recomputed for what was delivered) and the diary with its photos, in clinical
units and the glossary's keys; :func:`outcome_summary` compares predicted and observed
re-epithelialisation and erythema over every session with a diary. The figures
(:mod:`dermalase.records.figures`) draw these dictionaries and nothing else.
"""

from __future__ import annotations

import datetime
import statistics
from typing import Any

from sqlalchemy.orm import Session

from dermalase.records.erythema import comparability
from dermalase.records.healing import outcomes
from dermalase.records.patients import find_patient
from dermalase.records.schema import DiaryEntry, Photo, TreatmentSession
from dermalase.records.treatments import list_sessions

#: Fitzpatrick skin types as Roman numerals, as the plan writes them.
FITZPATRICK = ("I", "II", "III", "IV", "V", "VI")


def _photo(photo: Photo, entry: DiaryEntry) -> dict[str, Any]:
    return {
        "photo_id": photo.id,
        "day": entry.day,
        "view": photo.view,
        "area": photo.area,
        "sha256": photo.sha256,
        "media_type": photo.media_type,
        "image_width_px": photo.width_px,
        "image_height_px": photo.height_px,
        "file_size_bytes": photo.byte_size,
        "erythema_a_star": photo.erythema_index,
        "referenced": photo.reference_region is not None,
    }


def _session(treatment: TreatmentSession) -> dict[str, Any]:
    recovery = treatment.recovery
    return {
        "session_id": treatment.id,
        "plan_id": treatment.plan_id,
        "date": treatment.session_date.isoformat(),
        "operator": treatment.operator,
        "eye_protection_checked": treatment.eye_protection_checked,
        "adverse_events": list(treatment.adverse_events),
        "areas": [
            {
                "area": area.area,
                "device": area.device,
                "modality": area.modality,
                "settings": area.settings,
                "deviation": area.deviation,
                "anaesthesia": area.anaesthesia,
                "predicted": area.predicted,
            }
            for area in treatment.areas
        ],
        "predicted": {
            "reepithelialized_day": treatment.reepithelialized_day,
            "erythema_weeks": treatment.erythema_weeks,
            "makeup_day": recovery.get("makeup_day"),
            "phases": recovery.get("phases", []),
        },
        "diary": [
            {
                "day": entry.day,
                "date": (treatment.session_date + datetime.timedelta(days=entry.day)).isoformat(),
                "phase": entry.phase,
                "pain": entry.pain,
                "crusting": entry.crusting,
                "oozing": entry.oozing,
                "makeup_possible": entry.makeup_possible,
                "erythema_present": entry.erythema_present,
                "notes": entry.notes,
                "photos": [_photo(photo, entry) for photo in entry.photos],
            }
            for entry in treatment.diary
        ],
    }


def patient_timeline(session: Session, clinic_id: int, identifier: str) -> dict[str, Any]:
    """Every session of a patient with its predicted and observed recovery.

    Parameters
    ----------
    identifier : str
        The clinic's identifier of the patient.

    Returns
    -------
    dict
        ``patient`` (identifier, birth year, skin type), ``sessions`` (see above) and
        ``warnings`` (photos that do not compare like with like).

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    patient = find_patient(session, clinic_id, identifier)
    sessions = [_session(treatment) for treatment in list_sessions(session, clinic_id, patient.id)]
    photos = [photo for item in sessions for entry in item["diary"] for photo in entry["photos"]]
    warnings = comparability(
        [photo["view"] for photo in photos], [photo["referenced"] for photo in photos]
    )
    return {
        "patient": {
            "identifier": patient.identifier,
            "birth_year": patient.birth_year,
            "skin_type": FITZPATRICK[patient.skin_type - 1],
        },
        "sessions": sessions,
        "warnings": warnings if photos else [],
    }


def outcome_summary(session: Session, clinic_id: int) -> dict[str, Any]:
    """Predicted against observed recovery over every recorded session of a clinic.

    Returns
    -------
    dict
        ``sessions``: one row per session with a diary (predicted and observed
        re-epithelialisation day [days] and erythema duration [days]); ``summary``: for
        each, the count of sessions observed, the mean error (observed minus predicted)
        and the mean absolute error [days], None where nothing was observed.
    """
    rows = outcomes(session, clinic_id)
    table: list[dict[str, Any]] = [
        {
            "session_id": row.session_id,
            "predicted": {
                "reepithelialized_day": row.predicted_reepithelialized_day,
                "erythema_duration_days": round(row.predicted_erythema_days, 1),
            },
            "observed": {
                "reepithelialized_day": row.observed_reepithelialized_day,
                "erythema_duration_days": row.observed_erythema_days,
            },
        }
        for row in rows
    ]

    def errors(key: str) -> dict[str, Any]:
        misses = [
            float(item["observed"][key]) - float(item["predicted"][key])
            for item in table
            if item["observed"][key] is not None
        ]
        return {
            "sessions": len(misses),
            "mean_error_days": round(statistics.fmean(misses), 2) if misses else None,
            "mean_absolute_error_days": (
                round(statistics.fmean(abs(miss) for miss in misses), 2) if misses else None
            ),
        }

    return {
        "sessions": table,
        "summary": {
            "reepithelialization": errors("reepithelialized_day"),
            "erythema": errors("erythema_duration_days"),
        },
    }
