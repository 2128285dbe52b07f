"""Opening a records database: URLs, SQLite settings, schema versions, and what may fail."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import text

from dermalase import records
from dermalase.exceptions import InputError
from dermalase.records import database as database_module
from tests.records.conftest import ACTOR, record_course


def test_default_is_sqlite_in_the_user_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv(records.DATABASE_URL_VARIABLE, raising=False)
    monkeypatch.setattr(database_module, "default_directory", lambda: tmp_path / "data")
    url = records.database_url()
    assert url.drivername == "sqlite"
    assert url.database == str(tmp_path / "data" / "records.sqlite3")
    database = records.open_database()  # creates the folder and the schema
    assert database.revision() == records.head_revision()
    assert database.photos.root == tmp_path / "data" / "photos"
    database.close()


def test_the_environment_variable_names_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv(records.DATABASE_URL_VARIABLE, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert records.database_url().database == str(tmp_path / "x.sqlite3")
    # an explicit URL (--database-url) wins over the environment
    assert records.database_url(f"sqlite:///{tmp_path / 'y'}").database == str(tmp_path / "y")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("mysql://user:secret@host/db", "--database-url"),
        ("postgresql://user:secret@host/db", "--database-url"),  # psycopg2 is not used
        ("sqlite://", "--database-url"),
        ("not a url :secret@", "--database-url"),
    ],
)
def test_an_unusable_url_is_an_input_error_that_hides_the_password(url, field):
    with pytest.raises(InputError) as caught:
        records.database_url(url)
    assert caught.value.field == field
    assert "secret" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path):
    database = records.open_database(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.close()


def test_a_newer_schema_is_refused_and_left_alone(database):
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(records.DatabaseError, match="newer than this dermalase") as caught:
        database.check_schema()
    assert caught.value.exit_code == 4
    with pytest.raises(records.DatabaseError, match="newer"):
        database.migrate()
    with database.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        )


def test_an_older_schema_asks_for_records_migrate(database_url, tmp_path):
    database = records.Database(records.database_url(database_url), tmp_path / "photos")
    database.migrate("0001")
    database.close()
    with pytest.raises(records.DatabaseError, match="dermalase records migrate"):
        records.open_database(database_url)


def test_a_password_never_appears_in_a_database_error(postgres_schema_url):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_schema_url).set(password="hunter2-secret", port=1)
    with pytest.raises(records.DatabaseError, match="unreachable") as caught:
        records.open_database(url.render_as_string(hide_password=False))
    assert "hunter2" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_unreachable_sqlite_folder_is_named(tmp_path):
    url = f"sqlite:///{tmp_path / 'missing' / 'r.sqlite3'}"
    with pytest.raises(records.DatabaseError, match="cannot be opened") as caught:
        records.open_database(url)
    assert str(tmp_path / "missing") in str(caught.value)


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(records.DatabaseError, match="not a dermalase records database"):
        records.open_database(f"sqlite:///{path}")
    assert path.read_bytes().startswith(b"this is a text file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_sqlite_database_refuses_writes_and_keeps_its_data(tmp_path):
    _read_only_case(tmp_path)


def _read_only_case(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    database = records.open_database(url)
    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR)
        record_course(session, clinic.id, "chart-1")
    database.close()
    for path in tmp_path.glob("r.sqlite3*"):
        path.chmod(stat.S_IRUSR)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        database = records.open_database(url)
        with pytest.raises(records.DatabaseError, match=r"read-only|cannot be opened"):
            with database.session() as session:
                records.add_patient(session, clinic.id, "chart-2", 1970, 3, {}, ACTOR)
        database.close()
    finally:
        tmp_path.chmod(stat.S_IRWXU)


def test_a_read_only_sqlite_database_as_root(tmp_path):
    """Root ignores file modes: open the file read-only through SQLite's own flag instead."""
    url = f"sqlite:///file:{tmp_path / 'r.sqlite3'}?mode=ro&uri=true"
    database = records.open_database(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
    database.close()
    read_only = records.open_database(url)
    with pytest.raises(records.DatabaseError, match="read-only"):
        with read_only.session() as session:
            records.add_patient(session, clinic, "chart-2", 1970, 3, {}, ACTOR)
    with read_only.session(read_only=True) as session:
        assert records.list_patients(session, clinic) == []
    read_only.close()


def test_a_locked_sqlite_database_is_named_and_nothing_is_written(tmp_path, monkeypatch):
    path = tmp_path / "r.sqlite3"
    database = records.open_database(f"sqlite:///{path}")
    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
    monkeypatch.setattr(database_module, "LOCK_TIMEOUT", 0.2)
    database.close()
    database = records.open_database(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(records.DatabaseError, match="locked") as caught:
            with database.session() as session:
                records.add_patient(session, clinic, "chart-1", 1970, 3, {}, ACTOR)
        assert str(path) in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with database.session(read_only=True) as session:
        assert records.list_patients(session, clinic) == []
    database.close()


def test_a_failed_unit_of_work_writes_nothing(database):
    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
    with pytest.raises(InputError), database.session() as session:
        records.add_patient(session, clinic, "chart-1", 1970, 3, {}, ACTOR)
        records.add_patient(session, clinic, "chart-2", 1970, 9, {}, ACTOR)  # skin type 9
    with database.session(read_only=True) as session:
        assert records.list_patients(session, clinic) == []
