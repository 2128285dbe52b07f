"""A patient's record for another system: dermalase JSON, or a FHIR R4 bundle.

The FHIR bundle (``type: collection``) holds the Patient, one Procedure per session, one
Observation per diary day (phase, pain, crusting, oozing, make-up, redness as
components), one Observation per photo's erythema index, and one Media per photo; each is
validated by the ``fhir.resources`` models before it is written. The models used are
``fhir.resources.R4B`` (FHIR 4.3), the R4 line that the pydantic-2 releases of
``fhir.resources`` (8.x) ship; the five resources used here have the same elements in
R4 (4.0.1) and R4B. No clinical code is invented: codes are given as text.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import uuid
from typing import Any

from sqlalchemy.orm import Session

from dermalase.clinical.names import area_name
from dermalase.records.photos import PhotoStore
from dermalase.records.timeline import patient_timeline
from dermalase.units import plural

#: Namespace of the deterministic resource UUIDs of a bundle (uuid5 of the record).
_NAMESPACE = uuid.UUID("6f0e3b9c-29a4-4c1e-9b0c-7d0d3c5a1e15")

#: Text of the procedure code (no SNOMED CT code is asserted).
PROCEDURE_TEXT = "Ablative laser skin resurfacing"


def export_json(session: Session, clinic_id: int, identifier: str) -> dict[str, Any]:
    """The patient's record as dermalase writes it: the timeline with the stored plans.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    from dermalase.records.patients import find_patient
    from dermalase.records.treatments import list_plans

    timeline = patient_timeline(session, clinic_id, identifier)
    patient = find_patient(session, clinic_id, identifier)
    timeline["patient"]["history"] = patient.history
    timeline["plans"] = [
        {"plan_id": plan.id, "created": plan.created_at.isoformat(), "plan": plan.document}
        for plan in list_plans(session, clinic_id, patient.id)
    ]
    return timeline


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(map(str, parts)))}"


def _settings_text(area: dict[str, Any]) -> str:
    settings = area["settings"]
    dose = (
        f"{settings['energy_mj']:g} mJ per microbeam"
        if "energy_mj" in settings
        else f"{settings['fluence_j_cm2']:g} J/cm²"
    )
    text = (
        f"{area_name(area['area'])}: {area.get('device_name') or area['device']}, {dose}, "
        f"{plural(settings['pulses'], 'pulse')}, {plural(settings['passes'], 'pass')}, "
        f"coverage {settings['coverage_percent']:g} %, spot {settings['spot_diameter_um']:g} µm, "
        f"{settings['repetition_rate_hz']:g} Hz; predicted ablation "
        f"{area['predicted']['ablation_depth_um']:g} µm, coagulation "
        f"{area['predicted']['coagulation_depth_um']:g} µm"
    )
    if area["deviation"]:
        changed = ", ".join(
            f"{key} {value['planned']} -> {value['delivered']}"
            for key, value in area["deviation"].items()
        )
        text += f"; deviation from the plan: {changed}"
    return text


def fhir_bundle(
    session: Session,
    clinic_id: int,
    identifier: str,
    photos: PhotoStore | None = None,
) -> dict[str, Any]:
    """The patient's record as a validated FHIR R4 (R4B) ``collection`` bundle.

    Parameters
    ----------
    identifier : str
        The clinic's identifier of the patient.
    photos : PhotoStore or None
        When given, each Media embeds its image (base64, with its SHA-1 as FHIR asks);
        otherwise a Media names the image by its SHA-256 only.

    Returns
    -------
    dict
        The bundle as JSON-ready data.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    from fhir.resources.R4B.bundle import Bundle

    timeline = patient_timeline(session, clinic_id, identifier)
    patient_urn = _urn(clinic_id, "patient", identifier)
    system = f"urn:dermalase:clinic:{clinic_id}:patient"
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": patient_urn,
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": system, "value": identifier}],
                "birthDate": f"{timeline['patient']['birth_year']:04d}",
            },
        }
    ]
    subject = {"reference": patient_urn}
    for item in timeline["sessions"]:
        procedure_urn = _urn(clinic_id, "session", item["session_id"])
        procedure: dict[str, Any] = {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"text": PROCEDURE_TEXT},
            "subject": subject,
            "performedDateTime": item["date"],
            "performer": [{"actor": {"display": item["operator"]}}],
            "bodySite": [{"text": area["area"].replace("_", " ")} for area in item["areas"]],
            "note": [{"text": _settings_text(area)} for area in item["areas"]]
            + [
                {
                    "text": "Eye protection checked before the first pulse: "
                    + ("yes" if item["eye_protection_checked"] else "no")
                }
            ],
        }
        if item["adverse_events"]:
            procedure["complication"] = [{"text": event} for event in item["adverse_events"]]
        entries.append({"fullUrl": procedure_urn, "resource": procedure})
        for entry in item["diary"]:
            entries.append(_diary_observation(clinic_id, item, entry, subject, procedure_urn))
            for photo in entry["photos"]:
                entries.extend(
                    _photo_resources(clinic_id, entry, photo, subject, procedure_urn, photos)
                )
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "entry": entries,
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


def _diary_observation(clinic_id, item, entry, subject, procedure_urn) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    if entry["pain"] is not None:
        components.append(
            {"code": {"text": "Pain (numeric rating scale 0-10)"}, "valueInteger": entry["pain"]}
        )
    for key, text in (
        ("crusting", "Crusting"),
        ("oozing", "Oozing"),
        ("makeup_possible", "Make-up possible"),
        ("erythema_present", "Skin still red (erythema)"),
    ):
        if entry[key] is not None:
            components.append({"code": {"text": text}, "valueBoolean": entry[key]})
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "Healing phase after laser resurfacing"},
        "subject": subject,
        "partOf": [{"reference": procedure_urn}],
        "effectiveDateTime": entry["date"],
        "valueString": entry["phase"],
        "note": [{"text": f"Day {entry['day']} after the session"}]
        + ([{"text": entry["notes"]}] if entry["notes"] else []),
    }
    if components:
        observation["component"] = components
    return {
        "fullUrl": _urn(clinic_id, "diary", item["session_id"], entry["day"]),
        "resource": observation,
    }


def _photo_resources(clinic_id, entry, photo, subject, procedure_urn, store) -> list[dict]:
    media_urn = _urn(clinic_id, "photo", photo["photo_id"])
    content: dict[str, Any] = {
        "contentType": photo["media_type"],
        "title": f"{photo['view'].replace('_', ' ')}, day {entry['day']}",
    }
    if store is not None:
        data = store.read(clinic_id, photo["sha256"])
        content["data"] = base64.b64encode(data).decode("ascii")
        content["size"] = len(data)
        content["hash"] = base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")
    content = {key: value for key, value in content.items() if value is not None}
    media = {
        "resourceType": "Media",
        "status": "completed",
        "identifier": [{"system": "urn:dermalase:photo:sha256", "value": photo["sha256"]}],
        "subject": subject,
        "partOf": [{"reference": procedure_urn}],
        "createdDateTime": entry["date"],
        "view": {"text": photo["view"].replace("_", " ")},
        "width": photo["image_width_px"],
        "height": photo["image_height_px"],
        "content": content,
    }
    if photo["area"]:
        media["bodySite"] = {"text": photo["area"].replace("_", " ")}
    resources = [{"fullUrl": media_urn, "resource": media}]
    if photo["erythema_a_star"] is not None:
        resources.append(
            {
                "fullUrl": _urn(clinic_id, "erythema", photo["photo_id"]),
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"text": "Erythema index, CIELAB a* of the photographed region"},
                    "subject": subject,
                    "partOf": [{"reference": procedure_urn}],
                    "effectiveDateTime": entry["date"],
                    "valueQuantity": {"value": round(photo["erythema_a_star"], 2), "unit": "1"},
                    "derivedFrom": [{"reference": media_urn}],
                },
            }
        )
    return resources
