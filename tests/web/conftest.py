"""Two clinics on one server, each with a patient, a plan, a session and a photo."""

from __future__ import annotations

import datetime
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dermalase import records
from dermalase.web import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery staple"
ACTOR = "tests/web"


def jpeg(width: int = 48, height: int = 32, colour=(200, 150, 130)) -> bytes:
    """A small skin-coloured JPEG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def plan_json() -> dict:
    """A real plan (the micro laser peel example), computed once."""
    from dermalase.clinical import load_consultation
    from dermalase.clinical.planner import TreatmentPlanner

    consultation = load_consultation(EXAMPLES / "microlaserpeel_texture.toml")
    return TreatmentPlanner().plan(consultation).to_dict()


def _clinic(session, name: str, plan: dict, database: records.Database) -> dict:
    clinic = records.add_clinic(session, name, actor=ACTOR)
    for role in records.ROLES:
        records.add_user(
            session,
            clinic.id,
            f"{role}@{name.lower().replace(' ', '-')}.example",
            PASSWORD,
            role,
            f"{role.title()} of {name}",
            actor=ACTOR,
        )
    identifier = f"{name.lower().replace(' ', '-')}-chart-0001"
    patient = records.add_patient(session, clinic.id, identifier, 1980, 2, {}, actor=ACTOR)
    consultation = records.add_consultation(
        session, clinic.id, patient.id, {"patient": identifier, "age": 45}, "test", ACTOR
    )
    stored = records.add_plan(session, clinic.id, consultation.id, plan, ACTOR)
    from dermalase.records.delivery import delivered_areas

    areas, recovery = delivered_areas(plan)
    treatment = records.add_session(
        session,
        clinic.id,
        stored.id,
        session_date=datetime.date(2025, 3, 3),
        operator="Dr Test",
        eye_protection_checked=True,
        areas=areas,
        recovery=recovery,
        actor=ACTOR,
    )
    entry = records.add_diary_entry(
        session, clinic.id, treatment.id, day=1, phase="redness", actor=ACTOR
    )
    image = database.photos.put(clinic.id, jpeg())
    photo = records.add_photo(session, clinic.id, entry.id, image, view="frontal", actor=ACTOR)
    return {
        "clinic": clinic.id,
        "name": name,
        "identifier": identifier,
        "patient": patient.id,
        "consultation": consultation.id,
        "plan": stored.id,
        "session": treatment.id,
        "photo": photo.id,
        "physician": f"physician@{name.lower().replace(' ', '-')}.example",
        "staff": f"staff@{name.lower().replace(' ', '-')}.example",
    }


@pytest.fixture(scope="session")
def clinics_template(tmp_path_factory, plan_json: dict) -> tuple[Path, dict, dict]:
    """Clinics A and B, their users and records, built once (hashing and predicting take
    seconds) and copied for each test."""
    folder = tmp_path_factory.mktemp("clinics")
    database = records.open_database(f"sqlite:///{folder / 'records.sqlite3'}")
    with database.session() as session:
        a = _clinic(session, "Clinic A", plan_json, database)
        b = _clinic(session, "Clinic B", plan_json, database)
    database.close()
    return folder, a, b


@pytest.fixture
def clinics(tmp_path: Path, clinics_template) -> Iterator[tuple[records.Database, dict, dict]]:
    """A database of its own with clinics A and B, their users and records."""
    folder, a, b = clinics_template
    shutil.copy(folder / "records.sqlite3", tmp_path / "records.sqlite3")
    shutil.copytree(folder / "photos", tmp_path / "photos")
    database = records.open_database(f"sqlite:///{tmp_path / 'records.sqlite3'}")
    yield database, a, b
    database.close()


@pytest.fixture
def app(clinics, tmp_path: Path):
    """The web application on the two clinics' database."""
    database, _, _ = clinics
    return create_app(database, reports=tmp_path / "reports")


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    """A browser-like client, not signed in."""
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, clinic: str, email: str, password: str = PASSWORD):
    """Sign in through the login form; return the response (not followed)."""
    form = client.get("/login")
    return client.post(
        "/login",
        data={
            "clinic": clinic,
            "email": email,
            "password": password,
            "csrf_token": token(form.text),
        },
        follow_redirects=False,
    )


def signed_in(client: TestClient, clinic: dict, role: str = "physician") -> str:
    """Sign in as the clinic's physician (or staff); return the session's CSRF token."""
    answer = login(client, clinic["name"], clinic[role])
    assert answer.status_code == 303, answer.text
    return token(client.get("/patients").text)
