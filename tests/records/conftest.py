"""Fixtures of the records tests: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is the server named by ``DERMALASE_TEST_POSTGRES_URL`` (``.ci/run`` starts a
throwaway one); each test gets its own schema in it, dropped afterwards. Without the
variable the PostgreSQL cases skip, unless ``DERMALASE_REQUIRE_POSTGRES=1`` (set by CI)
turns the missing server into a failure.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dermalase import records
from dermalase.records.treatments import AreaDelivery

POSTGRES_VARIABLE = "DERMALASE_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "DERMALASE_REQUIRE_POSTGRES"

BACKENDS = ["sqlite", "postgresql"]


def postgres_server_url() -> str:
    """The test server's URL, or skip (fail when CI requires PostgreSQL)."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        message = f"no PostgreSQL server: set {POSTGRES_VARIABLE}"
        if os.environ.get(REQUIRE_VARIABLE) == "1":
            pytest.fail(f"{message} ({REQUIRE_VARIABLE}=1: CI must test PostgreSQL)")
        pytest.skip(message)
    return url


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema of the test server."""
    server = postgres_server_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """An empty schema of the test server, for one test."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture(scope="module", params=BACKENDS)
def shared_database_url(request, tmp_path_factory) -> Iterator[str]:
    """An empty database on each backend, shared by the tests of a module that only read."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('shared') / 'records.sqlite3'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def database(database_url: str, tmp_path: Path) -> Iterator[records.Database]:
    """An open database at the newest schema, its photos under ``tmp_path``."""
    opened = records.open_database(database_url, photo_directory=tmp_path / "photos")
    yield opened
    opened.close()


ACTOR = "test"


def plan_document(area: str = "full_face", reepithelialized_day: int = 3) -> dict:
    """A plan document of the shape ``dermalase plan --json`` writes (one full-field area)."""
    return {
        "dermalase_version": "0.1.0",
        "models": {"recovery": "healing_bands"},
        "areas": [
            {
                "area": area,
                "modality": "full_field",
                "device": "tunable_er_yag",
                "settings": {
                    "fluence_j_cm2": 4.0,
                    "pulses": 1,
                    "passes": 1,
                    "coverage_percent": 100.0,
                    "spot_diameter_um": 4000.0,
                    "repetition_rate_hz": 10.0,
                },
                "predicted": {"ablation_depth_um": 25.0, "coagulation_depth_um": 10.0},
            }
        ],
        "recovery": {"reepithelialized_day": reepithelialized_day, "erythema_weeks": 2.0},
    }


def delivery(plan: dict, **changes) -> list[AreaDelivery]:
    """The plan's areas as delivered, with ``changes`` to the settings."""
    deliveries = []
    for area in plan["areas"]:
        settings = {**area["settings"], **changes}
        deviation = {
            name: {"planned": area["settings"].get(name), "delivered": value}
            for name, value in changes.items()
        }
        deliveries.append(
            AreaDelivery(
                area=area["area"],
                device=area["device"],
                modality=area["modality"],
                settings=settings,
                deviation=deviation,
                anaesthesia="topical",
                predicted=area["predicted"],
            )
        )
    return deliveries


def record_course(session, clinic_id: int, identifier: str, sessions: int = 1) -> dict:
    """A patient with a consultation, a plan and ``sessions`` sessions; their ids."""
    patient = records.add_patient(session, clinic_id, identifier, 1980, 2, {}, actor=ACTOR)
    consultation = records.add_consultation(
        session, clinic_id, patient.id, {"patient": identifier, "age": 45}, "c.toml", ACTOR
    )
    document = plan_document()
    plan = records.add_plan(session, clinic_id, consultation.id, document, ACTOR)
    ids = []
    for number in range(sessions):
        treatment = records.add_session(
            session,
            clinic_id,
            plan.id,
            session_date=datetime.date(2025, 3, 3) + datetime.timedelta(weeks=6 * number),
            operator="Dr Test",
            eye_protection_checked=True,
            areas=delivery(document),
            recovery=document["recovery"],
            actor=ACTOR,
        )
        ids.append(treatment.id)
    return {
        "patient": patient.id,
        "consultation": consultation.id,
        "plan": plan.id,
        "sessions": ids,
    }


def jpeg(width: int = 32, height: int = 16, colour=(200, 150, 130), **save) -> bytes:
    """A small skin-coloured JPEG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", **save)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch, request):
    """Argon2id with the lowest cost, so that tests that make accounts stay fast.

    The production parameters are checked by ``test_users`` on the unpatched hasher.
    """
    if "production_hasher" in request.keywords:
        return
    from argon2 import PasswordHasher

    from dermalase.records import users

    monkeypatch.setattr(
        users, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
