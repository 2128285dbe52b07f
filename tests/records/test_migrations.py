"""The shipped migrations: they build exactly the ORM's schema, and keep data across revisions."""

from __future__ import annotations

import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from dermalase import records
from dermalase.records.schema import Base


def test_the_migrated_schema_is_the_orm_schema(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_revisions_form_one_line_ending_at_head():
    from dermalase.records.database import _script_directory

    script = _script_directory()
    assert script.get_heads() == [records.head_revision()]
    chain = [revision.revision for revision in script.walk_revisions()]
    assert chain[-1] == "0001"
    assert len(chain) >= 2  # N-1 exists, so the upgrade test below is real


def test_an_upgrade_from_the_previous_revision_keeps_every_record(database_url, tmp_path):
    """Create the schema at N-1, fill it through plain SQL, migrate to head, read it back."""
    from dermalase.records.database import _script_directory

    head = records.head_revision()
    previous = _script_directory().get_revision(head).down_revision
    assert isinstance(previous, str)
    database = records.Database(records.database_url(database_url), tmp_path / "photos")
    database.migrate(previous)
    now = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
    rows = [
        ("clinic", {"id": 1, "name": "Clinic A", "created_at": now}),
        (
            "patient",
            {
                "id": 1,
                "clinic_id": 1,
                "identifier": "chart-1",
                "birth_year": 1980,
                "skin_type": 2,
                "history": '{"smoking": false}',
                "created_at": now,
            },
        ),
        (
            "consultation",
            {
                "id": 1,
                "clinic_id": 1,
                "patient_id": 1,
                "document": '{"age": 45}',
                "source_name": "c.toml",
                "created_at": now,
            },
        ),
        (
            "plan",
            {
                "id": 1,
                "clinic_id": 1,
                "patient_id": 1,
                "consultation_id": 1,
                "document": '{"dermalase_version": "0.1.0"}',
                "dermalase_version": "0.1.0",
                "models": "{}",
                "created_at": now,
            },
        ),
        (
            "treatment_session",
            {
                "id": 1,
                "clinic_id": 1,
                "patient_id": 1,
                "plan_id": 1,
                "session_date": datetime.date(2025, 3, 3),
                "operator": "Dr A",
                "eye_protection_checked": True,
                "adverse_events": "[]",
                "notes": "",
                "recovery": '{"reepithelialized_day": 3}',
                "reepithelialized_day": 3,
                "erythema_weeks": 2.0,
                "created_at": now,
            },
        ),
        (
            "diary_entry",
            {
                "id": 1,
                "clinic_id": 1,
                "session_id": 1,
                "day": 3,
                "phase": "new skin",
                "pain": 1,
                "crusting": False,
                "oozing": False,
                "makeup_possible": True,
                "erythema_present": True,
                "notes": "",
                "created_at": now,
            },
        ),
    ]
    json_cast = "CAST(:{0} AS JSONB)" if "postgresql" in database_url else ":{0}"
    json_columns = {"history", "document", "models", "adverse_events", "recovery"}
    with database.engine.begin() as connection:
        for table, row in rows:
            values = ", ".join(
                json_cast.format(name) if name in json_columns else f":{name}" for name in row
            )
            connection.execute(
                text(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({values})"), row
            )
    before, after = database.migrate()
    assert (before, after) == (previous, head)
    database.close()
    database = records.open_database(database_url, photo_directory=tmp_path / "photos")
    with database.session(read_only=True) as session:
        patient = records.find_patient(session, 1, "chart-1")
        assert (patient.birth_year, patient.skin_type, patient.history) == (
            1980,
            2,
            {"smoking": False},
        )
        (treatment,) = records.list_sessions(session, 1, patient.id)
        assert treatment.session_date == datetime.date(2025, 3, 3)
        assert treatment.recovery == {"reepithelialized_day": 3}
        assert [(entry.day, entry.phase) for entry in treatment.diary] == [(3, "new skin")]
        plan = records.get_plan(session, 1, 1)
        assert plan.document == {"dermalase_version": "0.1.0"}
        assert plan.table_version is None  # unknown for a plan stored before the revision
        (outcome,) = records.outcomes(session, 1)
        assert outcome.observed_reepithelialized_day == 3
    database.close()


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_each_revision_downgrades_cleanly(database_url, tmp_path, revision):
    from alembic import command

    from dermalase.records.database import _alembic_config

    database = records.Database(records.database_url(database_url), tmp_path / "photos")
    database.migrate()
    with database.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), revision)
    assert database.revision() == revision
    database.migrate()
    assert database.revision() == records.head_revision()
    database.close()
