"""Consultations, plans and treatment sessions of a clinic's patients.

A plan is stored exactly as dermalase produced it and never rewritten. A session records
what was actually delivered per area (:class:`AreaDelivery`) and the recovery predicted for
it; computing those predictions is the job of :mod:`dermalase.records.delivery`, which calls
the planner's own models. The functions here only check and store.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dermalase.exceptions import InputError
from dermalase.records.clinics import audit, check_name, one_in_clinic
from dermalase.records.patients import get_patient
from dermalase.records.schema import (
    TEXT_LENGTH,
    Consultation,
    DeliveredArea,
    DiaryEntry,
    Plan,
    TreatmentSession,
)

#: Earliest and latest session dates accepted.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(9999, 12, 31)


def add_consultation(
    session: Session,
    clinic_id: int,
    patient_id: int,
    document: dict[str, Any],
    source_name: str,
    actor: str,
) -> Consultation:
    """Store a consultation document as it was given.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    get_patient(session, clinic_id, patient_id)
    if not isinstance(document, dict):
        raise InputError("consultation", type(document).__name__, "a consultation table")
    consultation = Consultation(
        clinic_id=clinic_id,
        patient_id=patient_id,
        document=document,
        source_name=source_name[:200],
    )
    session.add(consultation)
    session.flush()
    audit(session, clinic_id, actor, "create", "consultation", consultation.id)
    return consultation


def get_consultation(session: Session, clinic_id: int, consultation_id: int) -> Consultation:
    """The consultation of that id in this clinic.

    Raises
    ------
    RecordNotFoundError
        No such consultation in this clinic.
    """
    return one_in_clinic(
        session,
        Consultation,
        clinic_id,
        "consultation",
        consultation_id,
        Consultation.id == consultation_id,
    )


def add_plan(
    session: Session, clinic_id: int, consultation_id: int, document: dict[str, Any], actor: str
) -> Plan:
    """Store a plan JSON (the output of ``dermalase plan --json``) for a consultation.

    Raises
    ------
    RecordNotFoundError
        No such consultation in this clinic.
    InputError
        The document is not a dermalase plan (no ``dermalase_version``, ``areas`` or
        ``recovery``).
    """
    consultation = get_consultation(session, clinic_id, consultation_id)
    for key in ("dermalase_version", "areas", "recovery", "models"):
        if not isinstance(document, dict) or key not in document:
            raise InputError("plan", f"a document without {key!r}", "a dermalase plan JSON")
    if not isinstance(document["areas"], list) or not document["areas"]:
        raise InputError("plan.areas", document["areas"], "a plan with at least one area")
    from dermalase import __version__
    from dermalase.forward.tables.storage import MODEL_VERSION

    version = str(document["dermalase_version"])[:40]
    plan = Plan(
        clinic_id=clinic_id,
        patient_id=consultation.patient_id,
        consultation_id=consultation.id,
        document=document,
        dermalase_version=version,
        models=dict(document["models"]),
        # the tables this version ships made the plan only if this version made the plan
        table_version=MODEL_VERSION if version == __version__ else None,
    )
    session.add(plan)
    session.flush()
    audit(session, clinic_id, actor, "create", "plan", plan.id)
    return plan


def get_plan(session: Session, clinic_id: int, plan_id: int) -> Plan:
    """The plan of that id in this clinic.

    Raises
    ------
    RecordNotFoundError
        No such plan in this clinic.
    """
    return one_in_clinic(session, Plan, clinic_id, "plan", plan_id, Plan.id == plan_id)


def list_plans(session: Session, clinic_id: int, patient_id: int) -> list[Plan]:
    """A patient's plans, oldest first.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    get_patient(session, clinic_id, patient_id)
    query = (
        select(Plan)
        .where(Plan.clinic_id == clinic_id, Plan.patient_id == patient_id)
        .order_by(Plan.id)
    )
    return list(session.scalars(query))


@dataclasses.dataclass(frozen=True)
class AreaDelivery:
    """What was delivered to one area, in the plan JSON's clinical units.

    Attributes
    ----------
    area : str
        Treatment area (``full_face``, ``perioral``...).
    device : str
        Device profile identifier.
    modality : str
        ``full_field`` or ``fractional``.
    settings : dict
        Every delivered setting, keyed as in the plan JSON's ``settings``
        (``fluence_j_cm2`` or ``energy_mj``, ``pulses``, ``passes``, ``coverage_percent``,
        ``spot_diameter_um``, ``repetition_rate_hz``...).
    deviation : dict
        Each setting that differs from the plan: ``{"planned": x, "delivered": y}``.
    anaesthesia : str
        The anaesthesia given.
    predicted : dict
        Predicted effect for the delivered settings (``ablation_depth_um``,
        ``coagulation_depth_um``...), as in the plan JSON's ``predicted``.
    """

    area: str
    device: str
    modality: str
    settings: dict[str, Any]
    deviation: dict[str, Any]
    anaesthesia: str
    predicted: dict[str, Any]


def _number(field: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(field, value, f"a number from {low:g} to {high:g}")
    if not low <= value <= high:
        raise InputError(field, value, f"from {low:g} to {high:g}")
    return float(value)


def _area_row(clinic_id: int, delivery: AreaDelivery) -> DeliveredArea:
    settings, predicted = delivery.settings, delivery.predicted
    prefix = f"{delivery.area}."
    if ("fluence_j_cm2" in settings) == ("energy_mj" in settings):
        raise InputError(prefix + "settings", sorted(settings), "fluence_j_cm2 or energy_mj")
    for name in ("pulses", "passes", "coverage_percent", "spot_diameter_um", "repetition_rate_hz"):
        if name not in settings:
            raise InputError(prefix + name, "missing", "every delivered setting is recorded")
    for name in ("ablation_depth_um", "coagulation_depth_um"):
        if name not in predicted:
            raise InputError(prefix + name, "missing", "the predicted effect of the delivery")
    fluence = settings.get("fluence_j_cm2")
    energy = settings.get("energy_mj")
    return DeliveredArea(
        clinic_id=clinic_id,
        area=check_name("area", delivery.area),
        device=check_name(prefix + "device", delivery.device),
        modality=check_name(prefix + "modality", delivery.modality),
        fluence_j_cm2=None
        if fluence is None
        else _number(prefix + "fluence_j_cm2", fluence, 0, 1e4),
        energy_mj=None if energy is None else _number(prefix + "energy_mj", energy, 0, 1e5),
        pulses=int(_number(prefix + "pulses", settings["pulses"], 1, 1000)),
        passes=int(_number(prefix + "passes", settings["passes"], 1, 100)),
        coverage_percent=_number(prefix + "coverage_percent", settings["coverage_percent"], 0, 100),
        spot_diameter_um=_number(prefix + "spot_diameter_um", settings["spot_diameter_um"], 0, 1e5),
        repetition_rate_hz=_number(
            prefix + "repetition_rate_hz", settings["repetition_rate_hz"], 0, 1e6
        ),
        settings=dict(settings),
        deviation=dict(delivery.deviation),
        anaesthesia=delivery.anaesthesia[:TEXT_LENGTH],
        ablation_depth_um=_number(
            prefix + "ablation_depth_um", predicted["ablation_depth_um"], 0, 1e4
        ),
        coagulation_depth_um=_number(
            prefix + "coagulation_depth_um", predicted["coagulation_depth_um"], 0, 1e4
        ),
        predicted=dict(predicted),
    )


def add_session(
    session: Session,
    clinic_id: int,
    plan_id: int,
    *,
    session_date: datetime.date,
    operator: str,
    eye_protection_checked: bool,
    areas: Sequence[AreaDelivery],
    recovery: dict[str, Any],
    actor: str,
    adverse_events: Sequence[str] = (),
    notes: str = "",
) -> TreatmentSession:
    """Record a treatment session delivered under a plan.

    Parameters
    ----------
    session_date : datetime.date
        Day of the treatment.
    operator : str
        Who fired the laser.
    eye_protection_checked : bool
        Whether eye protection was checked before the first pulse.
    areas : sequence of AreaDelivery
        What was delivered, one per area (each area once).
    recovery : dict
        The recovery predicted for the delivered settings, as the plan JSON's
        ``recovery`` (``reepithelialized_day``, ``erythema_weeks``, ``phases``...).
    adverse_events : sequence of str
        Adverse events during or right after the session.

    Raises
    ------
    RecordNotFoundError
        No such plan in this clinic.
    InputError
        A bad field; nothing is written.
    """
    plan = get_plan(session, clinic_id, plan_id)
    if (
        not isinstance(session_date, datetime.date)
        or not EARLIEST_DATE <= session_date <= LATEST_DATE
    ):
        raise InputError("--date", session_date, f"a date from {EARLIEST_DATE} to {LATEST_DATE}")
    if not isinstance(eye_protection_checked, bool):
        raise InputError("eye_protection_checked", eye_protection_checked, "true or false")
    if not areas:
        raise InputError("areas", "none", "at least one treated area")
    names = [delivery.area for delivery in areas]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InputError("area", repeated[0], "each area once per session")
    for key in ("reepithelialized_day", "erythema_weeks"):
        if key not in recovery:
            raise InputError(f"recovery.{key}", "missing", "the predicted recovery")
    events = [check_name("adverse_event", event) for event in adverse_events]
    rows = [_area_row(clinic_id, delivery) for delivery in areas]
    treatment = TreatmentSession(
        clinic_id=clinic_id,
        patient_id=plan.patient_id,
        plan_id=plan.id,
        session_date=session_date,
        operator=check_name("--operator", operator),
        eye_protection_checked=eye_protection_checked,
        adverse_events=events,
        notes=notes[:TEXT_LENGTH],
        recovery=dict(recovery),
        reepithelialized_day=int(
            _number("recovery.reepithelialized_day", recovery["reepithelialized_day"], 0, 365)
        ),
        erythema_weeks=_number("recovery.erythema_weeks", recovery["erythema_weeks"], 0, 520),
        areas=rows,
    )
    session.add(treatment)
    session.flush()
    audit(
        session,
        clinic_id,
        actor,
        "create",
        "treatment_session",
        treatment.id,
        {"areas": len(rows), "deviations": sum(bool(row.deviation) for row in rows)},
    )
    return treatment


def get_session(session: Session, clinic_id: int, session_id: int) -> TreatmentSession:
    """The treatment session of that id in this clinic, with its areas.

    Raises
    ------
    RecordNotFoundError
        No such session in this clinic.
    """
    return one_in_clinic(
        session,
        TreatmentSession,
        clinic_id,
        "session",
        session_id,
        TreatmentSession.id == session_id,
        options=[selectinload(TreatmentSession.areas)],
    )


def list_sessions(session: Session, clinic_id: int, patient_id: int) -> list[TreatmentSession]:
    """A patient's sessions by date, with areas, diary entries and photos loaded.

    Raises
    ------
    RecordNotFoundError
        No such patient in this clinic.
    """
    get_patient(session, clinic_id, patient_id)
    query = (
        select(TreatmentSession)
        .where(TreatmentSession.clinic_id == clinic_id, TreatmentSession.patient_id == patient_id)
        .order_by(TreatmentSession.session_date, TreatmentSession.id)
        .options(
            selectinload(TreatmentSession.areas),
            selectinload(TreatmentSession.diary).selectinload(DiaryEntry.photos),
        )
    )
    return list(session.scalars(query))
