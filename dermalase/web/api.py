"""The JSON API under ``/api/v1``: the same resources as the pages, for other programs.

Keys are those of the command line's ``--json`` output (the glossary's). A request needs
the session cookie of a signed-in user (401 otherwise); a request that changes something
also needs the session's CSRF token in the ``X-CSRF-Token`` header (403 otherwise). A record
of another clinic is 404, exactly like a missing one.
"""

from __future__ import annotations

import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from dermalase import records
from dermalase.clinical.consultation import ROMAN_SKIN_TYPES
from dermalase.exceptions import InputError
from dermalase.web import forms
from dermalase.web.context import ApiUser, check_csrf, context
from dermalase.web.records_view import patient_dict, timeline

router = APIRouter(prefix="/api/v1", tags=["records"])


class NewPatient(BaseModel):
    """A patient to add: the clinic's identifier and what a plan needs."""

    identifier: str = Field(description="The clinic's identifier of the patient.")
    birth_year: int = Field(description="Year of birth.")
    skin_type: str = Field(description="Fitzpatrick skin type, I-VI.")
    history: dict[str, Any] = Field(default_factory=dict, description="History flags.")


class NewConsultation(BaseModel):
    """A consultation to store and plan."""

    patient_id: int
    consultation: dict[str, Any] = Field(description="The keys of a consultation file.")
    overrides: dict[str, str] = Field(
        default_factory=dict, description="Rule id -> the physician's reason."
    )


@router.get("/me")
def me(user: ApiUser) -> dict[str, Any]:
    """Who is signed in, their role and clinic, and the CSRF token for posts."""
    return {
        "email": user.email,
        "role": user.role,
        "clinic": user.clinic_name,
        "csrf_token": user.csrf,
    }


@router.get("/patients")
def patients(request: Request, user: ApiUser) -> dict[str, Any]:
    """The clinic's patients."""
    with context(request).database.session(read_only=True) as session:
        return {
            "patients": [patient_dict(p) for p in records.list_patients(session, user.clinic_id)]
        }


@router.post("/patients", status_code=201)
def add_patient(request: Request, patient: NewPatient, user: ApiUser) -> dict[str, Any]:
    """Add a patient."""
    check_csrf(request, user)
    skin = ROMAN_SKIN_TYPES.get(patient.skin_type.strip().upper())
    if skin is None:
        raise InputError("skin_type", patient.skin_type, "Fitzpatrick skin type I-VI")
    with context(request).database.session() as session:
        row = records.add_patient(
            session,
            user.clinic_id,
            patient.identifier,
            patient.birth_year,
            skin,
            patient.history,
            actor=user.email,
        )
        return patient_dict(row)


@router.get("/patients/{patient_id}")
def patient(request: Request, patient_id: int, user: ApiUser):
    """A patient's timeline (``dermalase records timeline --json``, plus consultations, plans)."""
    with context(request).database.session(read_only=True) as session:
        row = records.get_patient(session, user.clinic_id, patient_id)
        return timeline(session, user.clinic_id, row)


@router.post("/consultations", status_code=202)
def add_consultation(request: Request, body: NewConsultation, user: ApiUser) -> dict[str, Any]:
    """Store a consultation and start its plan; poll the returned job."""
    check_csrf(request, user)
    web = context(request)
    errors = forms.validate(body.consultation)
    if errors:
        message = next(iter(errors.values()))
        return JSONResponse(  # type: ignore[return-value]
            {"error": message, "status": 400, "field": next(iter(errors)) or "consultation"},
            status_code=400,
        )
    if body.overrides and not user.may_override:
        raise HTTPException(403, "only a physician may override a rule")
    with web.database.session() as session:
        consultation = records.add_consultation(
            session, user.clinic_id, body.patient_id, body.consultation, "api", user.email
        )
        consultation_id = consultation.id
    if web.jobs is None:
        raise HTTPException(503, "the planner is starting; try again in a moment")
    job = web.jobs.submit(
        user.clinic_id,
        body.patient_id,
        consultation_id,
        body.consultation,
        body.overrides,
        user.email,
    )
    return job.to_dict()


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: str, user: ApiUser) -> dict[str, Any]:
    """A plan's progress: state, stage, and the plan's id when done."""
    web = context(request)
    found = web.jobs.get(user.clinic_id, job_id) if web.jobs else None
    if found is None:
        raise HTTPException(404, "no plan in progress of that number in your clinic")
    return found.to_dict()


@router.get("/plans/{plan_id}")
def plan(request: Request, plan_id: int, user: ApiUser) -> dict[str, Any]:
    """A stored plan, exactly as ``dermalase plan --json`` wrote it."""
    with context(request).database.session(read_only=True) as session:
        return records.get_plan(session, user.clinic_id, plan_id).document


@router.get("/sessions/{session_id}")
def session(request: Request, session_id: int, user: ApiUser):
    """A treatment session with its delivered areas, predicted recovery and diary."""
    with context(request).database.session(read_only=True) as db_session:
        treatment = records.get_session(db_session, user.clinic_id, session_id)
        patient = records.get_patient(db_session, user.clinic_id, treatment.patient_id)
        result = timeline(db_session, user.clinic_id, patient)
    return next(item for item in result["sessions"] if item["session_id"] == session_id)


@router.get("/photos/{photo_id}", response_class=Response)
def photo(request: Request, photo_id: int, user: ApiUser) -> Response:
    """A stored photo's image."""
    web = context(request)
    with web.database.session(read_only=True) as db_session:
        row = records.get_photo(db_session, user.clinic_id, photo_id)
        sha256, media_type = row.sha256, row.media_type
    return Response(web.database.photos.read(user.clinic_id, sha256), media_type=media_type)


@router.get("/outcomes")
def outcomes(request: Request, user: ApiUser) -> dict[str, Any]:
    """Predicted against observed healing (``dermalase records outcomes --json``)."""
    from dermalase.records.timeline import outcome_summary

    with context(request).database.session(read_only=True) as db_session:
        return outcome_summary(db_session, user.clinic_id)


class NewSession(BaseModel):
    """A session delivered under a stored plan: its settings unless ``set`` says otherwise."""

    session_date: datetime.date
    operator: str
    eye_protection_checked: bool
    set: dict[str, float] = Field(
        default_factory=dict,
        description="What differed from the plan, AREA.FIELD -> value in the plan JSON's keys "
        "and units, e.g. {'full_face.fluence_j_cm2': 3.5}.",
    )
    anaesthesia: str | None = None
    adverse_events: list[str] = Field(default_factory=list)
    notes: str = ""


class NewDiaryDay(BaseModel):
    """How the skin looked on one day after a session."""

    day: int
    phase: str
    pain: int | None = None
    crusting: bool = False
    oozing: bool = False
    makeup_possible: bool | None = None
    erythema_present: bool | None = None
    notes: str = ""


def _session_view(db_session, clinic_id: int, session_id: int) -> dict[str, Any]:
    treatment = records.get_session(db_session, clinic_id, session_id)
    patient = records.get_patient(db_session, clinic_id, treatment.patient_id)
    result = timeline(db_session, clinic_id, patient)
    return next(item for item in result["sessions"] if item["session_id"] == session_id)


@router.post("/plans/{plan_id}/sessions", status_code=201)
def add_session(request: Request, plan_id: int, body: NewSession, user: ApiUser) -> dict[str, Any]:
    """Record a session (``dermalase records session record --json``'s inputs)."""
    from dermalase.records.delivery import delivered_areas, parse_overrides

    check_csrf(request, user)
    web = context(request)
    with web.database.session(read_only=True) as db_session:
        document = records.get_plan(db_session, user.clinic_id, plan_id).document
    overrides = parse_overrides([f"{key}={value!r}" for key, value in body.set.items()])
    areas, recovery = delivered_areas(document, overrides, body.anaesthesia)
    with web.database.session() as db_session:
        treatment = records.add_session(
            db_session,
            user.clinic_id,
            plan_id,
            session_date=body.session_date,
            operator=body.operator,
            eye_protection_checked=body.eye_protection_checked,
            areas=areas,
            recovery=recovery,
            actor=user.email,
            adverse_events=body.adverse_events,
            notes=body.notes,
        )
        session_id = treatment.id
    with web.database.session(read_only=True) as db_session:
        return _session_view(db_session, user.clinic_id, session_id)


@router.post("/sessions/{session_id}/diary", status_code=201)
def add_diary_day(
    request: Request, session_id: int, body: NewDiaryDay, user: ApiUser
) -> dict[str, Any]:
    """Add a diary day to a session; returns the session with its diary."""
    check_csrf(request, user)
    web = context(request)
    with web.database.session() as db_session:
        records.add_diary_entry(
            db_session, user.clinic_id, session_id, actor=user.email, **body.model_dump()
        )
    with web.database.session(read_only=True) as db_session:
        return _session_view(db_session, user.clinic_id, session_id)


@router.post("/sessions/{session_id}/diary/{day}/photos", status_code=201)
async def add_diary_photo(
    request: Request, session_id: int, day: int, user: ApiUser
) -> dict[str, Any]:
    """Add a photo (multipart field ``photo``; form field ``view``) to a diary day."""
    from starlette.datastructures import UploadFile

    from dermalase.records.photos import MAX_BYTES
    from dermalase.web.records_view import check_file_name

    check_csrf(request, user)
    form = await request.form(max_files=1, max_fields=5)
    try:
        upload = form.get("photo")
        if not isinstance(upload, UploadFile):
            raise InputError("photo", "(none)", "a multipart file field named photo")
        check_file_name(upload.filename)
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError("photo", "(over 25 MB)", "a photo of at most 25 MB")
        view = str(form.get("view", "frontal"))
        area = str(form.get("area", "")) or None
    finally:
        await form.close()
    web = context(request)
    with web.database.session() as db_session:
        entry = records.get_diary_entry(db_session, user.clinic_id, session_id, day)
        photo, _ = records.record_photo(
            db_session,
            web.database.photos,
            user.clinic_id,
            entry.id,
            data,
            view=view,
            actor=user.email,
            area=area,
        )
        photo_id = photo.id
    with web.database.session(read_only=True) as db_session:
        found = _session_view(db_session, user.clinic_id, session_id)
    return next(
        item for entry in found["diary"] for item in entry["photos"] if item["photo_id"] == photo_id
    )
