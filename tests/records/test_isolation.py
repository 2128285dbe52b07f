"""Clinic isolation at the data-access layer: clinic B never sees clinic A's records.

Every lookup by id of another clinic's record must raise the very error a missing record
raises, and every list must leave the other clinic's rows out.
"""

from __future__ import annotations

import pytest

from dermalase import records
from tests.records.conftest import ACTOR, jpeg, record_course


def _two_clinics(database):
    with database.session() as session:
        first = records.add_clinic(session, "Clinic A", ACTOR)
        second = records.add_clinic(session, "Clinic B", ACTOR)
        ids = record_course(session, first.id, "shared-chart-1")
        entry = records.add_diary_entry(
            session, first.id, ids["sessions"][0], day=1, phase="bronzing", actor=ACTOR
        )
        image = database.photos.put(first.id, jpeg())
        photo = records.add_photo(session, first.id, entry.id, image, view="frontal", actor=ACTOR)
        user = records.add_user(
            session, first.id, "a@clinic.example", "correct horse battery", "staff", "A", ACTOR
        )
        ids |= {"entry": entry.id, "photo": photo.id, "user": user.id}
        return first.id, second.id, ids


@pytest.fixture
def two_clinics(database):
    return _two_clinics(database)


@pytest.fixture(scope="module")
def shared(shared_database_url, tmp_path_factory):
    """Two clinics in one database, for the tests that must leave it unchanged."""
    opened = records.open_database(
        shared_database_url, photo_directory=tmp_path_factory.mktemp("photos")
    )
    yield opened, _two_clinics(opened)
    opened.close()


READS = [
    ("patient", lambda s, c, ids: records.get_patient(s, c, ids["patient"])),
    ("patient", lambda s, c, ids: records.find_patient(s, c, "shared-chart-1")),
    ("consultation", lambda s, c, ids: records.get_consultation(s, c, ids["consultation"])),
    ("plan", lambda s, c, ids: records.get_plan(s, c, ids["plan"])),
    ("session", lambda s, c, ids: records.get_session(s, c, ids["sessions"][0])),
    ("diary day", lambda s, c, ids: records.get_diary_entry(s, c, ids["sessions"][0], 1)),
    ("photo", lambda s, c, ids: records.get_photo(s, c, ids["photo"])),
    ("user", lambda s, c, ids: records.get_user(s, c, ids["user"])),
    ("patient", lambda s, c, ids: records.list_plans(s, c, ids["patient"])),
    ("patient", lambda s, c, ids: records.list_sessions(s, c, ids["patient"])),
]

WRITES = [
    ("patient", lambda s, c, ids: records.delete_patient(s, c, ids["patient"], ACTOR)),
    (
        "patient",
        lambda s, c, ids: records.update_patient(s, c, ids["patient"], ACTOR, skin_type=5),
    ),
    (
        "patient",
        lambda s, c, ids: records.add_consultation(s, c, ids["patient"], {}, "x", ACTOR),
    ),
    (
        "consultation",
        lambda s, c, ids: records.add_plan(s, c, ids["consultation"], {}, ACTOR),
    ),
    (
        "session",
        lambda s, c, ids: records.add_diary_entry(
            s, c, ids["sessions"][0], day=2, phase="dryness", actor=ACTOR
        ),
    ),
]


@pytest.mark.parametrize(("kind", "lookup"), READS + WRITES)
def test_another_clinics_record_is_not_found(shared, kind, lookup):
    database, (first, second, ids) = shared
    if (kind, lookup) in READS:
        with database.session(read_only=True) as session:
            lookup(session, first, ids)  # the owner finds it
    with pytest.raises(records.RecordNotFoundError) as caught, database.session() as session:
        lookup(session, second, ids)
    assert caught.value.kind == kind
    assert caught.value.exit_code == 2
    # the owner still has everything: the refused call changed nothing
    with database.session(read_only=True) as session:
        assert records.get_patient(session, first, ids["patient"]).skin_type == 2
        assert len(records.list_sessions(session, first, ids["patient"])) == 1


def test_another_clinics_record_is_indistinguishable_from_a_missing_one(shared):
    database, (_, second, ids) = shared
    with pytest.raises(records.RecordNotFoundError) as foreign, database.session() as session:
        records.get_patient(session, second, ids["patient"])
    with pytest.raises(records.RecordNotFoundError) as missing, database.session() as session:
        records.get_patient(session, second, ids["patient"] + 1000)
    assert str(foreign.value).replace(str(ids["patient"]), "N") == str(missing.value).replace(
        str(ids["patient"] + 1000), "N"
    )


def test_lists_and_outcomes_leave_other_clinics_out(database, two_clinics):
    first, second, _ = two_clinics
    with database.session() as session:
        records.add_patient(session, second, "shared-chart-1", 1990, 4, {}, actor=ACTOR)
    with database.session(read_only=True) as session:
        assert [p.skin_type for p in records.list_patients(session, second)] == [4]
        assert records.find_patient(session, second, "shared-chart-1").birth_year == 1990
        assert records.outcomes(session, second) == []
        assert len(records.outcomes(session, first)) == 0  # day 1 bronzing: not yet healed
        assert records.list_users(session, second) == []
        assert records.photo_hashes(session, second) == set()
        assert all(entry.clinic_id == second for entry in records.audit_log(session, second))
        assert (
            records.verify_password(session, second, "a@clinic.example", "correct horse battery")
            is None
        )


def test_photo_files_are_kept_per_clinic(shared):
    database, (first, second, _) = shared
    with database.session(read_only=True) as session:
        (sha,) = records.photo_hashes(session, first)
    assert database.photos.exists(first, sha)
    assert not database.photos.exists(second, sha)
