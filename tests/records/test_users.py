"""User accounts: Argon2id hashes, e-mail unique per clinic, sign-in that leaks nothing."""

from __future__ import annotations

import pytest

from dermalase import records
from dermalase.exceptions import InputError
from tests.records.conftest import ACTOR

PASSWORD = "a long enough passphrase"


@pytest.fixture
def clinic(database):
    with database.session() as session:
        return records.add_clinic(session, "Clinic A", ACTOR).id


def test_the_password_is_kept_only_as_an_argon2id_hash(database, clinic):
    with database.session() as session:
        user = records.add_user(
            session, clinic, " Doctor@Clinic.Example ", PASSWORD, "physician", "Dr A", ACTOR
        )
        assert user.email == "doctor@clinic.example"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
    with database.session() as session:
        assert records.verify_password(session, clinic, "DOCTOR@clinic.example", PASSWORD)
        assert (
            records.verify_password(session, clinic, "doctor@clinic.example", "wrong" * 4) is None
        )
        assert records.verify_password(session, clinic, "nobody@clinic.example", PASSWORD) is None
        assert records.verify_password(session, clinic, "not an e-mail", PASSWORD) is None


def test_an_inactive_account_cannot_sign_in(database, clinic):
    with database.session() as session:
        user = records.add_user(session, clinic, "s@c.example", PASSWORD, "staff", "S", ACTOR)
        user.active = False
    with database.session() as session:
        assert records.verify_password(session, clinic, "s@c.example", PASSWORD) is None


def test_email_is_unique_per_clinic_not_across_clinics(database, clinic):
    with database.session() as session:
        other = records.add_clinic(session, "Clinic B", ACTOR).id
        records.add_user(session, clinic, "s@c.example", PASSWORD, "staff", "S", ACTOR)
        records.add_user(session, other, "s@c.example", "another passphrase", "staff", "S", ACTOR)
    with pytest.raises(InputError, match="email"), database.session() as session:
        records.add_user(session, clinic, "S@C.example", PASSWORD, "staff", "S2", ACTOR)
    with database.session() as session:
        # each clinic's account has its own password
        assert records.verify_password(session, other, "s@c.example", PASSWORD) is None
        assert records.verify_password(session, clinic, "s@c.example", PASSWORD)


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("password", ("a@c.example", "short", "staff")),
        ("role", ("a@c.example", PASSWORD, "admin")),
        ("email", ("not-an-address", PASSWORD, "staff")),
        ("email", ("a@nodot", PASSWORD, "staff")),
    ],
)
def test_bad_account_fields_are_refused_and_nothing_is_written(database, clinic, field, arguments):
    email, password, role = arguments
    with pytest.raises(InputError) as caught, database.session() as session:
        records.add_user(session, clinic, email, password, role, "Name", ACTOR)
    assert caught.value.field == field
    assert password not in str(caught.value) or field != "password"
    with database.session(read_only=True) as session:
        assert records.list_users(session, clinic) == []


def test_set_password_replaces_the_old_one_and_is_audited(database, clinic):
    with database.session() as session:
        user = records.add_user(session, clinic, "a@c.example", PASSWORD, "staff", "A", ACTOR)
    with database.session() as session:
        records.set_password(session, clinic, user.id, "a brand new passphrase", "admin")
    with database.session() as session:
        assert records.verify_password(session, clinic, "a@c.example", PASSWORD) is None
        assert records.verify_password(session, clinic, "a@c.example", "a brand new passphrase")
        newest = records.audit_log(session, clinic)[0]
        assert (newest.action, newest.record_type, newest.actor) == (
            "change",
            "user_account",
            "admin",
        )
        assert "passphrase" not in str(newest.details)


@pytest.mark.production_hasher
def test_production_hashes_use_owasp_grade_argon2id_parameters():
    from dermalase.records.users import _hasher

    hasher = _hasher()
    # OWASP Password Storage Cheat Sheet: Argon2id with at least 19 MiB and 2 iterations
    assert hasher.type.name == "ID"
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2
    assert _hasher().hash("x" * 12).startswith("$argon2id$v=19$")
