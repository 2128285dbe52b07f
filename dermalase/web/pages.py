"""The clinic's pages: patients, timeline, consultation, plan, session, diary, photos, outcomes.

Every handler reads and writes through :mod:`dermalase.records` with the signed-in user's
clinic, so that another clinic's record is "not found" (404) whatever number is typed in
the address. Posts carry the session's CSRF token. Plans are computed by the plan jobs
(:mod:`dermalase.web.jobs`); a page never waits for one.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from dermalase import records
from dermalase.clinical.consultation import ROMAN_SKIN_TYPES, TREATMENT_AREAS
from dermalase.exceptions import InputError
from dermalase.records.photos import MAX_BYTES
from dermalase.web import forms
from dermalase.web.auth import SignedIn
from dermalase.web.context import PageUser, WebContext, check_csrf, context, physician_only, render
from dermalase.web.jobs import PlanJob
from dermalase.web.records_view import (
    check_file_name,
    events,
    parse_date,
    parse_int,
    patient_dict,
    timeline,
)

router = APIRouter(include_in_schema=False)

#: Content-Security-Policy of a plan report shown in its frame: its own inline styles and
#: data-URI figures, nothing else; no script at all (sandboxed).
REPORT_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "sandbox allow-same-origin"
)

#: Fields of a plan's area settings that an operator cannot change at the session.
FIXED_SETTINGS = ("wavelength_nm", "pulse_mode", "density_step")


def store_plan(web: WebContext):
    """The callable the plan jobs store a finished plan with."""

    def store(job: PlanJob, plan: dict[str, Any]) -> int:
        with web.database.session() as session:
            stored = records.add_plan(
                session, job.clinic_id, job.consultation_id, plan, actor=job.actor
            )
            return stored.id

    return store


def _ok_redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(user: PageUser):
    """The patients page is the start page."""
    return _ok_redirect("/patients")


# ---------------------------------------------------------------- patients


@router.get("/patients")
def patients(request: Request, user: PageUser, q: str = ""):
    """The clinic's patients, searched by identifier."""
    web = context(request)
    with web.database.session(read_only=True) as session:
        rows = [patient_dict(p) for p in records.list_patients(session, user.clinic_id)]
    wanted = q.strip().lower()
    shown = [row for row in rows if wanted in row["identifier"].lower()] if wanted else rows
    return render(
        request,
        "patients.html.j2",
        patients=shown,
        q=q,
        total=len(rows),
        errors={},
        values={},
        skin_types=list(ROMAN_SKIN_TYPES),
    )


@router.post("/patients")
async def add_patient(request: Request, user: PageUser):
    """Add a patient; an invalid field is shown by its input."""
    form = await request.form()
    check_csrf(request, user, form)
    web = context(request)
    values = {key: str(form.get(key, "")) for key in ("identifier", "birth_year", "skin_type")}
    try:
        year = parse_int("birth_year", values["birth_year"], 1880, datetime.date.today().year)
        skin = ROMAN_SKIN_TYPES.get(values["skin_type"].strip().upper())
        if skin is None:
            raise InputError("skin_type", values["skin_type"], "Fitzpatrick skin type I-VI")
        with web.database.session() as session:
            patient = records.add_patient(
                session,
                user.clinic_id,
                values["identifier"].strip(),
                year,
                skin,
                {},
                actor=user.email,
            )
            patient_id = patient.id
    except InputError as error:
        with web.database.session(read_only=True) as session:
            rows = [patient_dict(p) for p in records.list_patients(session, user.clinic_id)]
        field = error.field.removeprefix("--").replace("-", "_")
        return render(
            request,
            "patients.html.j2",
            status_code=400,
            patients=rows,
            q="",
            total=len(rows),
            errors={field if field in values else "": str(error)},
            values=values,
            skin_types=list(ROMAN_SKIN_TYPES),
        )
    return _ok_redirect(f"/patients/{patient_id}")


@router.get("/patients/{patient_id}")
def patient_page(request: Request, patient_id: int, user: PageUser):
    """The patient's timeline: consultations, plans, sessions, diary days with photos."""
    web = context(request)
    with web.database.session(read_only=True) as session:
        patient = records.get_patient(session, user.clinic_id, patient_id)
        result = timeline(session, user.clinic_id, patient)
    return render(
        request,
        "patient.html.j2",
        patient=result["patient"],
        events=events(result),
        warnings=result["warnings"],
        has_photos=any(entry["photos"] for item in result["sessions"] for entry in item["diary"]),
    )


@router.post("/patients/{patient_id}/delete")
async def delete_patient(request: Request, patient_id: int, user: PageUser):
    """Delete a patient and everything recorded for them (physicians only)."""
    form = await request.form()
    check_csrf(request, user, form)
    physician_only(user, "delete a patient")
    web = context(request)
    with web.database.session() as session:
        patient = records.get_patient(session, user.clinic_id, patient_id)
        if str(form.get("confirm", "")).strip() != patient.identifier:
            raise InputError("confirm", form.get("confirm", ""), "type the patient's identifier")
        plan_ids = [plan.id for plan in records.list_plans(session, user.clinic_id, patient_id)]
        hashes = records.delete_patient(session, user.clinic_id, patient_id, actor=user.email)
    # files go only after the deletion is committed: a crash leaves orphans, never holes
    web.database.photos.remove(user.clinic_id, hashes)
    web.reports.remove(user.clinic_id, plan_ids)
    return _ok_redirect("/patients")


# ------------------------------------------------------------ consultation


def _consultation_form(
    request: Request, patient: dict, values: dict, lists: dict, errors: dict, status: int = 200
):
    return render(
        request,
        "consultation.html.j2",
        status_code=status,
        patient=patient,
        fields=forms.consultation_fields(),
        history=forms.history_fields(),
        depth={area: forms.depth_fields(area) for area in TREATMENT_AREAS},
        values=values,
        lists=lists,
        errors=errors,
    )


@router.get("/patients/{patient_id}/consultations/new")
def new_consultation(request: Request, patient_id: int, user: PageUser):
    """The consultation form, filled from the patient's record where it can be."""
    web = context(request)
    with web.database.session(read_only=True) as session:
        patient = patient_dict(records.get_patient(session, user.clinic_id, patient_id))
    values: dict[str, Any] = {
        "age": str(datetime.date.today().year - patient["birth_year"]),
        "skin_type": patient["skin_type"],
    }
    for key, value in patient["history"].items():
        values[f"history.{key}"] = value if isinstance(value, bool) else f"{value:g}"
    return _consultation_form(request, patient, values, {}, {})


@router.post("/patients/{patient_id}/consultations")
async def submit_consultation(request: Request, patient_id: int, user: PageUser):
    """Check the consultation; store it and start its plan, or show the error by its field."""
    form = await request.form()
    check_csrf(request, user, form)
    web = context(request)
    with web.database.session(read_only=True) as session:
        patient = patient_dict(records.get_patient(session, user.clinic_id, patient_id))
    single = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    lists = {key: [str(v) for v in form.getlist(key)] for key in ("conditions", "areas", "devices")}
    document = forms.document_from_form(single, lists, patient["identifier"])
    errors = forms.validate(document)
    if errors:
        return _consultation_form(request, patient, single, lists, errors, status=400)
    stored = forms.storable(document)
    from dermalase.clinical.consultation import Consultation

    checked = Consultation.from_mapping(document)
    with web.database.session() as session:
        consultation = records.add_consultation(
            session, user.clinic_id, patient_id, stored, source_name="web form", actor=user.email
        )
        history = {
            key: value
            for key, value in checked.history.model_dump().items()
            if value not in (None, False)
        }
        records.update_patient(
            session,
            user.clinic_id,
            patient_id,
            user.email,
            skin_type=checked.skin_type,
            history=history,
        )
        consultation_id = consultation.id
    job = _start_plan(web, user, patient_id, consultation_id, stored, {})
    return _ok_redirect(f"/jobs/{job.id}")


def _start_plan(
    web: WebContext,
    user: SignedIn,
    patient_id: int,
    consultation_id: int,
    document: dict,
    overrides: dict[str, str],
) -> PlanJob:
    if web.jobs is None:
        raise HTTPException(503, "the planner is starting; try again in a moment")
    return web.jobs.submit(
        user.clinic_id, patient_id, consultation_id, document, overrides, user.email
    )


@router.post("/consultations/{consultation_id}/plan")
async def replan(request: Request, consultation_id: int, user: PageUser):
    """Plan a stored consultation again, with a rule overridden for a stated reason."""
    form = await request.form()
    check_csrf(request, user, form)
    web = context(request)
    rules = [str(rule).strip() for rule in form.getlist("rule")]
    reasons = [str(reason).strip() for reason in form.getlist("reason")]
    overrides: dict[str, str] = {}
    for rule, reason in zip(rules, reasons, strict=False):
        if rule and not reason:
            raise InputError("reason", "(empty)", f"give the clinic's reason to override {rule}")
        if rule:
            overrides[rule] = reason
    if overrides:
        physician_only(user, "override a rule")
    with web.database.session(read_only=True) as session:
        consultation = records.get_consultation(session, user.clinic_id, consultation_id)
        document, patient_id = dict(consultation.document), consultation.patient_id
    job = _start_plan(web, user, patient_id, consultation_id, document, overrides)
    return _ok_redirect(f"/jobs/{job.id}")


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, user: PageUser):
    """A plan being computed: its progress, or its refusal with the override form."""
    web = context(request)
    job = web.jobs.get(user.clinic_id, job_id) if web.jobs else None
    if job is None:
        raise HTTPException(404, "no plan in progress of that number in your clinic")
    if job.state == "done":
        return _ok_redirect(f"/plans/{job.plan_id}")
    return render(
        request,
        "job.html.j2",
        job=job.to_dict(),
        consultation_id=job.consultation_id,
        patient_id=job.patient_id,
        overrides=job.overrides,
    )


# -------------------------------------------------------------------- plan


@router.get("/plans/{plan_id}")
def plan_page(request: Request, plan_id: int, user: PageUser):
    """The plan: its report with figures, the PDF, findings and overrides."""
    web = context(request)
    with web.database.session(read_only=True) as session:
        plan = records.get_plan(session, user.clinic_id, plan_id)
        document, consultation_id, patient_id = plan.document, plan.consultation_id, plan.patient_id
        patient = patient_dict(records.get_patient(session, user.clinic_id, patient_id))
        created = plan.created_at.date().isoformat()
    has_report = web.reports.file(user.clinic_id, plan_id, "plan.html") is not None
    return render(
        request,
        "plan.html.j2",
        plan=document,
        plan_id=plan_id,
        patient=patient,
        consultation_id=consultation_id,
        has_report=has_report,
        created=created,
    )


def _report_file(request: Request, plan_id: int, user: SignedIn, name: str):
    web = context(request)
    with web.database.session(read_only=True) as session:
        records.get_plan(session, user.clinic_id, plan_id)  # 404 unless the clinic's
    path = web.reports.file(user.clinic_id, plan_id, name)
    if path is None:
        raise HTTPException(404, "this plan has no report file; plan the consultation again")
    return path


@router.get("/plans/{plan_id}/report")
def plan_report(request: Request, plan_id: int, user: PageUser):
    """The plan's HTML report (shown in a frame of the plan page, sandboxed)."""
    path = _report_file(request, plan_id, user, "plan.html")
    response = FileResponse(path, media_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = REPORT_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@router.get("/plans/{plan_id}/plan.pdf")
def plan_pdf(request: Request, plan_id: int, user: PageUser):
    """The plan's PDF, as a download."""
    path = _report_file(request, plan_id, user, "plan.pdf")
    with context(request).database.session(read_only=True) as session:
        plan = records.get_plan(session, user.clinic_id, plan_id)
        day = plan.created_at.date().isoformat()
    return FileResponse(path, media_type="application/pdf", filename=f"plan-{day}.pdf")


# ----------------------------------------------------------------- session


def _planned_settings(document: dict) -> dict[str, dict[str, Any]]:
    return {
        area["area"]: {
            key: value
            for key, value in area["settings"].items()
            if key not in FIXED_SETTINGS and isinstance(value, int | float)
        }
        for area in document["areas"]
    }


def _same(planned: object, given: str) -> bool:
    try:
        value = float(given)
    except ValueError:
        return False
    return isinstance(planned, int | float) and math.isclose(value, float(planned), rel_tol=1e-9)


def _session_form(
    request: Request,
    plan_id: int,
    document: dict,
    patient: dict,
    values: dict[str, str],
    errors: dict[str, str],
    preview: dict | None,
    status: int = 200,
):
    planned = _planned_settings(document)
    deviations = {
        f"set.{area}.{key}"
        for area, settings in planned.items()
        for key, value in settings.items()
        if f"set.{area}.{key}" in values and not _same(value, values[f"set.{area}.{key}"])
    }
    return render(
        request,
        "session_new.html.j2",
        status_code=status,
        plan=document,
        plan_id=plan_id,
        patient=patient,
        planned=planned,
        values=values,
        errors=errors,
        preview=preview,
        deviations=deviations,
    )


def _plan_for_session(request: Request, plan_id: int, user: SignedIn) -> tuple[dict, dict]:
    with context(request).database.session(read_only=True) as session:
        plan = records.get_plan(session, user.clinic_id, plan_id)
        patient = patient_dict(records.get_patient(session, user.clinic_id, plan.patient_id))
        return plan.document, patient


@router.get("/plans/{plan_id}/sessions/new")
def new_session(request: Request, plan_id: int, user: PageUser):
    """The session form: the plan's settings pre-filled per area."""
    document, patient = _plan_for_session(request, plan_id, user)
    values = {
        f"set.{area}.{key}": f"{value:g}"
        for area, settings in _planned_settings(document).items()
        for key, value in settings.items()
    }
    values |= {
        "session_date": datetime.date.today().isoformat(),
        "operator": user.display_name,
        "anaesthesia": document.get("anaesthesia", {}).get("summary", ""),
    }
    return _session_form(request, plan_id, document, patient, values, {}, None)


@router.post("/plans/{plan_id}/sessions")
async def record_session(request: Request, plan_id: int, user: PageUser):
    """Preview the predicted effect of what was fired, or record the session."""
    from dermalase.records.delivery import Override, delivered_areas

    form = await request.form()
    check_csrf(request, user, form)
    document, patient = _plan_for_session(request, plan_id, user)
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    planned = _planned_settings(document)
    overrides = [
        Override(area, key, values[f"set.{area}.{key}"].strip())
        for area, settings in planned.items()
        for key, value in settings.items()
        if f"set.{area}.{key}" in values and not _same(value, values[f"set.{area}.{key}"])
    ]
    try:
        session_date = parse_date("session_date", values.get("session_date", ""))
        areas, recovery = delivered_areas(document, overrides, values.get("anaesthesia") or None)
    except InputError as error:
        field = error.field.removeprefix("--set ")
        name = f"set.{field}" if f"set.{field}" in values else error.field
        return _session_form(
            request, plan_id, document, patient, values, {name: str(error)}, None, status=400
        )
    preview = {
        "areas": {area.area: area for area in areas},
        "recovery": recovery,
    }
    if form.get("action") != "record":
        return _session_form(request, plan_id, document, patient, values, {}, preview)
    web = context(request)
    try:
        with web.database.session() as session:
            treatment = records.add_session(
                session,
                user.clinic_id,
                plan_id,
                session_date=session_date,
                operator=values.get("operator", "").strip() or user.display_name,
                eye_protection_checked="eye_protection_checked" in values,
                areas=areas,
                recovery=recovery,
                actor=user.email,
                adverse_events=[
                    line.strip()
                    for line in values.get("adverse_events", "").splitlines()
                    if line.strip()
                ],
                notes=values.get("notes", ""),
            )
            session_id = treatment.id
    except InputError as error:
        name = {"--date": "session_date", "--operator": "operator"}.get(error.field, error.field)
        return _session_form(
            request, plan_id, document, patient, values, {name: str(error)}, preview, status=400
        )
    return _ok_redirect(f"/sessions/{session_id}")


# ------------------------------------------------------------------- diary


def _session_view(request: Request, session_id: int, user: SignedIn) -> dict[str, Any]:
    with context(request).database.session(read_only=True) as session:
        treatment = records.get_session(session, user.clinic_id, session_id)
        patient = records.get_patient(session, user.clinic_id, treatment.patient_id)
        result = timeline(session, user.clinic_id, patient)
    found = next(item for item in result["sessions"] if item["session_id"] == session_id)
    return {"patient": result["patient"], "treatment": found}


@router.get("/sessions/{session_id}")
def session_page(request: Request, session_id: int, user: PageUser):
    """A session: what was delivered, its predicted recovery, and the healing diary."""
    view = _session_view(request, session_id, user)
    days = [entry["day"] for entry in view["treatment"]["diary"]]
    return render(
        request,
        "session.html.j2",
        **view,
        phases=records.phase_names(),
        views=records.VIEWS,
        errors={},
        values={"day": str(max(days) + 1 if days else 1)},  # the next day, as a rule
        max_megabytes=MAX_BYTES // 1_000_000,
    )


@router.post("/sessions/{session_id}/diary")
async def add_diary(request: Request, session_id: int, user: PageUser):
    """Add a diary day (phase, notes, flags) with an optional photo from the camera."""
    form = await request.form(max_files=1, max_fields=40)
    try:
        return await _add_diary(request, session_id, user, form)
    finally:
        await form.close()


async def _add_diary(request: Request, session_id: int, user: SignedIn, form) -> Response:
    check_csrf(request, user, form)
    web = context(request)
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    upload = form.get("photo")
    try:
        day = parse_int("day", values.get("day", ""), 0, 365)
        pain = values.get("pain", "").strip()
        data = b""
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            check_file_name(upload.filename)
            data = await upload.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError(
                    "photo",
                    f"{upload.filename} (over {MAX_BYTES // 1_000_000} MB)",
                    f"a photo of at most {MAX_BYTES // 1_000_000} MB",
                )
        tri = {"yes": True, "no": False}
        with web.database.session() as session:
            entry = records.add_diary_entry(
                session,
                user.clinic_id,
                session_id,
                day=day,
                phase=values.get("phase", ""),
                actor=user.email,
                pain=parse_int("pain", pain, 0, 10) if pain else None,
                crusting="crusting" in values,
                oozing="oozing" in values,
                makeup_possible=tri.get(values.get("makeup_possible", "")),
                erythema_present=tri.get(values.get("erythema_present", "")),
                notes=values.get("notes", ""),
            )
            if data:
                records.record_photo(
                    session,
                    web.database.photos,
                    user.clinic_id,
                    entry.id,
                    data,
                    view=values.get("view", "frontal"),
                    actor=user.email,
                    area=values.get("area") or None,
                )
    except InputError as error:
        if isinstance(error, records.RecordNotFoundError):
            raise
        view = _session_view(request, session_id, user)
        name = error.field.removeprefix("--")
        return render(
            request,
            "session.html.j2",
            status_code=400,
            **view,
            phases=records.phase_names(),
            views=records.VIEWS,
            errors={name: str(error)},
            values=values,
            max_megabytes=MAX_BYTES // 1_000_000,
        )
    return _ok_redirect(f"/sessions/{session_id}#day-{day}")


@router.get("/photos/{photo_id}")
def photo(request: Request, photo_id: int, user: PageUser):
    """A stored photo, only after the clinic's record of it was found."""
    web = context(request)
    with web.database.session(read_only=True) as session:
        row = records.get_photo(session, user.clinic_id, photo_id)
        sha256, media_type = row.sha256, row.media_type
    data = web.database.photos.read(user.clinic_id, sha256)
    return Response(data, media_type=media_type)


@router.get("/patients/{patient_id}/compare")
def compare(
    request: Request,
    patient_id: int,
    user: PageUser,
    before: int | None = None,
    after: int | None = None,
):
    """Before and after: two photos of the same view, side by side or under a slider."""
    web = context(request)
    with web.database.session(read_only=True) as session:
        patient = records.get_patient(session, user.clinic_id, patient_id)
        result = timeline(session, user.clinic_id, patient)
    photos = [
        {**photo, "session_date": item["date"], "date": entry["date"]}
        for item in result["sessions"]
        for entry in item["diary"]
        for photo in entry["photos"]
    ]
    by_id = {photo["photo_id"]: photo for photo in photos}
    if (before is not None and before not in by_id) or (after is not None and after not in by_id):
        raise HTTPException(404, "no photo of that number for this patient")
    first = by_id[before] if before is not None else (photos[0] if photos else None)
    same_view = [p for p in photos if first is not None and p["view"] == first["view"]]
    second = by_id[after] if after is not None else (same_view[-1] if same_view else None)
    problem = ""
    if first is not None and second is not None and first["view"] != second["view"]:
        problem = (
            f"The two photos are of different views ({first['view'].replace('_', ' ')} and "
            f"{second['view'].replace('_', ' ')}); choose two of the same view to compare."
        )
    return render(
        request,
        "compare.html.j2",
        patient=result["patient"],
        photos=photos,
        before=first,
        after=second,
        problem=problem,
        warnings=result["warnings"],
    )


@router.get("/outcomes")
def outcome_page(request: Request, user: PageUser):
    """Predicted against observed healing over the clinic's sessions."""
    from dermalase.records.timeline import outcome_summary

    web = context(request)
    with web.database.session(read_only=True) as session:
        summary = outcome_summary(session, user.clinic_id)
        names = {}
        for row in summary["sessions"]:
            treatment = records.get_session(session, user.clinic_id, row["session_id"])
            patient = records.get_patient(session, user.clinic_id, treatment.patient_id)
            names[row["session_id"]] = (patient.identifier, treatment.session_date.isoformat())
    return render(request, "outcomes.html.j2", summary=summary, names=names)
