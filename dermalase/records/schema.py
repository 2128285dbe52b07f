"""The treatment-record tables: clinics, users, patients, plans, sessions, diary, photos, audit.

Every row belongs to one clinic (``clinic_id`` on every table but the clinic itself), so
that a query can always be scoped to it. Quantities are stored in the clinical units of the
plan JSON (µm, J/cm², mJ, Hz, %, days), named with their unit as in the glossary
(``fluence_j_cm2``): the database is an edge of the system, like the CLI and the files.

The tables are created by the Alembic migrations in :mod:`dermalase.records.migrations`,
never by ``metadata.create_all``; a test compares the migrated schema with these classes.

A stored plan is never rewritten (:class:`Plan` refuses an update); a patient's deletion
removes everything that belongs to the patient (``ON DELETE CASCADE``) but not the audit
log, which keeps what was done by whom without the patient's identifier.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Names of constraints and indexes, fixed so that migrations can refer to them on both
#: SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: A JSON document: JSONB on PostgreSQL, JSON text on SQLite.
Document = JSON().with_variant(JSONB(), "postgresql")

#: Roles a user of a clinic may have.
ROLES = ("physician", "staff")

#: Standard photographic views.
VIEWS = ("frontal", "left_oblique", "right_oblique", "close_up")

#: Longest identifier, e-mail, name or free-text field [characters].
NAME_LENGTH = 200
TEXT_LENGTH = 10_000


def utc_now() -> datetime.datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.datetime.now(datetime.UTC)


class Base(DeclarativeBase):
    """Declarative base of the record tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: Document, list[Any]: Document}


class Clinic(Base):
    """A clinic: the owner of every other record."""

    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class User(Base):
    """A person who signs in to the clinic's records (issue 17's web application).

    The password is kept only as an Argon2id hash (:mod:`dermalase.records.users`).
    """

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("clinic_id", "email", name="uq_user_account_clinic_email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(NAME_LENGTH))
    display_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(NAME_LENGTH))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Patient(Base):
    """A patient: the clinic's identifier and what the plan needs, nothing more identifying.

    ``history`` holds the consultation's history flags (``herpes_simplex``, ``smoking``...).
    """

    __tablename__ = "patient"
    __table_args__ = (
        UniqueConstraint("clinic_id", "identifier", name="uq_patient_clinic_identifier"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    identifier: Mapped[str] = mapped_column(String(NAME_LENGTH))
    birth_year: Mapped[int] = mapped_column(Integer)
    skin_type: Mapped[int] = mapped_column(Integer)
    history: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    consultations: Mapped[list[Consultation]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: Mapped[list[TreatmentSession]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="TreatmentSession.session_date",
    )


class Consultation(Base):
    """The consultation document as it was given (the parsed file, keys as written)."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[dict[str, Any]] = mapped_column()
    source_name: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    patient: Mapped[Patient] = relationship(back_populates="consultations")
    plans: Mapped[list[Plan]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", passive_deletes=True
    )


class Plan(Base):
    """A treatment plan exactly as dermalase produced it; never rewritten.

    ``document`` is the plan JSON; ``dermalase_version`` and ``models`` (the model slots it
    used) are copied out of it, and ``table_version`` is the column response tables' model
    version (:data:`dermalase.forward.tables.storage.MODEL_VERSION`) when the plan was made
    by this dermalase version (None: unknown), so that outcomes can be grouped by model
    version without reading every document.
    """

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[dict[str, Any]] = mapped_column()
    dermalase_version: Mapped[str] = mapped_column(String(40))
    models: Mapped[dict[str, Any]] = mapped_column()
    table_version: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    consultation: Mapped[Consultation] = relationship(back_populates="plans")


@event.listens_for(Plan, "before_update")
def _plan_is_never_rewritten(mapper, connection, target: Plan) -> None:
    """Refuse any change to a stored plan."""
    raise PermissionError(f"stored plan {target.id} is never rewritten; store a new plan")


class TreatmentSession(Base):
    """One treatment session: what was actually delivered, and what it predicts.

    ``recovery`` is the recovery timeline recomputed for the delivered settings (the
    ``recovery`` object of the plan JSON); ``reepithelialized_day`` and
    ``erythema_weeks`` are copied from it for the outcomes query.
    """

    __tablename__ = "treatment_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    session_date: Mapped[datetime.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(NAME_LENGTH))
    eye_protection_checked: Mapped[bool] = mapped_column(Boolean)
    adverse_events: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    recovery: Mapped[dict[str, Any]] = mapped_column()
    reepithelialized_day: Mapped[int] = mapped_column(Integer)
    erythema_weeks: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    patient: Mapped[Patient] = relationship(back_populates="sessions")
    areas: Mapped[list[DeliveredArea]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DeliveredArea.id",
    )
    diary: Mapped[list[DiaryEntry]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DiaryEntry.day",
    )


Index(
    "ix_treatment_session_patient_date", TreatmentSession.patient_id, TreatmentSession.session_date
)


class DeliveredArea(Base):
    """The settings actually delivered to one area in a session, and their predicted effect.

    Either ``fluence_j_cm2`` (full field) or ``energy_mj`` (fractional microbeams) is set.
    ``settings`` holds every delivered setting in the plan JSON's form; ``deviation`` maps
    each setting that differs from the plan to ``{"planned": x, "delivered": y}``;
    ``predicted`` is the predicted effect (the plan JSON's ``predicted`` object).
    """

    __tablename__ = "delivered_area"
    __table_args__ = (
        UniqueConstraint("session_id", "area", name="uq_delivered_area_session_area"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(60))
    device: Mapped[str] = mapped_column(String(NAME_LENGTH))
    modality: Mapped[str] = mapped_column(String(40))
    fluence_j_cm2: Mapped[float | None] = mapped_column(Float)
    energy_mj: Mapped[float | None] = mapped_column(Float)
    pulses: Mapped[int] = mapped_column(Integer)
    passes: Mapped[int] = mapped_column(Integer)
    coverage_percent: Mapped[float] = mapped_column(Float)
    spot_diameter_um: Mapped[float] = mapped_column(Float)
    repetition_rate_hz: Mapped[float] = mapped_column(Float)
    settings: Mapped[dict[str, Any]] = mapped_column()
    deviation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    anaesthesia: Mapped[str] = mapped_column(Text, default="")
    ablation_depth_um: Mapped[float] = mapped_column(Float)
    coagulation_depth_um: Mapped[float] = mapped_column(Float)
    predicted: Mapped[dict[str, Any]] = mapped_column()

    session: Mapped[TreatmentSession] = relationship(back_populates="areas")


class DiaryEntry(Base):
    """What the skin looked like on one day after a session (day 0: the day of the session).

    ``phase`` is one of the recovery model's phase names; ``erythema_present`` records
    whether the skin was still red or pink (None: not noted), from which the observed
    erythema duration is read.
    """

    __tablename__ = "diary_entry"
    __table_args__ = (UniqueConstraint("session_id", "day", name="uq_diary_entry_session_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(40))
    pain: Mapped[int | None] = mapped_column(Integer)
    crusting: Mapped[bool] = mapped_column(Boolean, default=False)
    oozing: Mapped[bool] = mapped_column(Boolean, default=False)
    makeup_possible: Mapped[bool | None] = mapped_column(Boolean)
    erythema_present: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    session: Mapped[TreatmentSession] = relationship(back_populates="diary")
    photos: Mapped[list[Photo]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True
    )


class Photo(Base):
    """A photograph of a diary day; the image itself lives in the photo store by SHA-256.

    ``width_px`` and ``height_px`` are those of the stored image, EXIF orientation already
    applied (``exif_orientation`` is the tag the original carried, 1 if none).
    ``region`` is the erythema region ``[left, top, right, bottom]`` in pixels (None: the
    whole image); ``reference_region`` the white reference patch, when there is one.
    """

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("diary_entry.id", ondelete="CASCADE"), index=True
    )
    view: Mapped[str] = mapped_column(String(20))
    area: Mapped[str | None] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    byte_size: Mapped[int] = mapped_column(Integer)
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    exif_orientation: Mapped[int] = mapped_column(Integer, default=1)
    region: Mapped[list[Any] | None] = mapped_column()
    reference_region: Mapped[list[Any] | None] = mapped_column()
    erythema_index: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    entry: Mapped[DiaryEntry] = relationship(back_populates="photos")


class AuditEntry(Base):
    """Who created, changed or deleted which record, and when.

    ``record_type`` is a table name and ``record_id`` its row id (not a foreign key: the
    entry outlives a deleted record). ``details`` never holds patient-identifying data.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(NAME_LENGTH))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
