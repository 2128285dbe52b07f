"""Records: clinics, patients, consultations, plans, sessions, diary, photos, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-12-06

The first schema of the treatment records (issue 15). Written out in full, never importing
:mod:`dermalase.records.schema`, so that it keeps creating this revision's tables when the
classes change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: A JSON document: JSONB on PostgreSQL, JSON text on SQLite.
DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

TABLES = (
    "photo",
    "diary_entry",
    "delivered_area",
    "treatment_session",
    "plan",
    "consultation",
    "patient",
    "audit_entry",
    "clinic",
)


def upgrade() -> None:
    """Create the record tables and their indexes."""
    op.create_table(
        "clinic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic")),
        sa.UniqueConstraint("name", name=op.f("uq_clinic_name")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("details", DOCUMENT, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_audit_entry_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("skin_type", sa.Integer(), nullable=False),
        sa.Column("history", DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_patient_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("clinic_id", "identifier", name="uq_patient_clinic_identifier"),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_consultation_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_consultation_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation")),
    )
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consultation_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("dermalase_version", sa.String(length=40), nullable=False),
        sa.Column("models", DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_plan_clinic_id_clinic"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_plan_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_plan_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "treatment_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("operator", sa.String(length=200), nullable=False),
        sa.Column("eye_protection_checked", sa.Boolean(), nullable=False),
        sa.Column("adverse_events", DOCUMENT, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recovery", DOCUMENT, nullable=False),
        sa.Column("reepithelialized_day", sa.Integer(), nullable=False),
        sa.Column("erythema_weeks", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_treatment_session_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_treatment_session_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_treatment_session_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_session")),
    )
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_treatment_session_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            "ix_treatment_session_patient_date", ["patient_id", "session_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_treatment_session_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_treatment_session_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "delivered_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("modality", sa.String(length=40), nullable=False),
        sa.Column("fluence_j_cm2", sa.Float(), nullable=True),
        sa.Column("energy_mj", sa.Float(), nullable=True),
        sa.Column("pulses", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("coverage_percent", sa.Float(), nullable=False),
        sa.Column("spot_diameter_um", sa.Float(), nullable=False),
        sa.Column("repetition_rate_hz", sa.Float(), nullable=False),
        sa.Column("settings", DOCUMENT, nullable=False),
        sa.Column("deviation", DOCUMENT, nullable=False),
        sa.Column("anaesthesia", sa.Text(), nullable=False),
        sa.Column("ablation_depth_um", sa.Float(), nullable=False),
        sa.Column("coagulation_depth_um", sa.Float(), nullable=False),
        sa.Column("predicted", DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_delivered_area_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_delivered_area_session_id_treatment_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivered_area")),
        sa.UniqueConstraint("session_id", "area", name="uq_delivered_area_session_area"),
    )
    with op.batch_alter_table("delivered_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivered_area_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delivered_area_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=40), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.Column("crusting", sa.Boolean(), nullable=False),
        sa.Column("oozing", sa.Boolean(), nullable=False),
        sa.Column("makeup_possible", sa.Boolean(), nullable=True),
        sa.Column("erythema_present", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinic.id"],
            name=op.f("fk_diary_entry_clinic_id_clinic"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_diary_entry_session_id_treatment_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entry")),
        sa.UniqueConstraint("session_id", "day", name="uq_diary_entry_session_day"),
    )
    with op.batch_alter_table("diary_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_diary_entry_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_diary_entry_session_id"), ["session_id"], unique=False)

    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=20), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width_px", sa.Integer(), nullable=False),
        sa.Column("height_px", sa.Integer(), nullable=False),
        sa.Column("exif_orientation", sa.Integer(), nullable=False),
        sa.Column("region", DOCUMENT, nullable=True),
        sa.Column("reference_region", DOCUMENT, nullable=True),
        sa.Column("erythema_index", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_photo_clinic_id_clinic"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["diary_entry.id"],
            name=op.f("fk_photo_entry_id_diary_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    """Drop the record tables (their indexes go with them)."""
    for table in TABLES:
        op.drop_table(table)
