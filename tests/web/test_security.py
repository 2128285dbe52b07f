"""Attacks on the clinic web application: each must fail, and leave nothing behind."""

from __future__ import annotations

import logging

import pytest

from dermalase import records
from dermalase.records.photos import MAX_BYTES
from dermalase.web.app import MAX_REQUEST_BYTES
from dermalase.web.auth import FAILED_LOGINS_ALLOWED
from tests.web.conftest import PASSWORD, jpeg, login, signed_in, token


def _pages(a: dict) -> list[str]:
    return [
        f"/patients/{a['patient']}",
        f"/patients/{a['patient']}/consultations/new",
        f"/patients/{a['patient']}/compare",
        f"/plans/{a['plan']}",
        f"/plans/{a['plan']}/report",
        f"/plans/{a['plan']}/plan.pdf",
        f"/plans/{a['plan']}/sessions/new",
        f"/sessions/{a['session']}",
        f"/photos/{a['photo']}",
    ]


def _api(a: dict) -> list[str]:
    return [
        f"/api/v1/patients/{a['patient']}",
        f"/api/v1/plans/{a['plan']}",
        f"/api/v1/sessions/{a['session']}",
        f"/api/v1/photos/{a['photo']}",
    ]


def test_another_clinics_records_are_not_found_by_url(client, clinics):
    _, a, b = clinics
    signed_in(client, b)
    for url in _pages(a) + _api(a):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert a["identifier"] not in answer.text, url
    # and the same urls work for clinic B's own records (the 404 is the clinic, not the url)
    for url in _pages(b)[:2] + _api(b):
        assert client.get(url).status_code == 200, url


def test_another_clinics_records_cannot_be_written(client, clinics):
    database, a, b = clinics
    csrf = signed_in(client, b)
    posts = [
        (f"/patients/{a['patient']}/consultations", {"age": "40"}),
        (f"/patients/{a['patient']}/delete", {"confirm": a["identifier"]}),
        (f"/plans/{a['plan']}/sessions", {"session_date": "2025-03-03"}),
        (f"/sessions/{a['session']}/diary", {"day": "2", "phase": "redness"}),
        (f"/consultations/{a['consultation']}/plan", {}),
    ]
    for url, data in posts:
        assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 404, url
    with database.session(read_only=True) as session:
        assert records.get_patient(session, a["clinic"], a["patient"])
        assert len(records.list_sessions(session, a["clinic"], a["patient"])[0].diary) == 1


def test_the_plan_job_of_another_clinic_is_not_found(client, app, clinics):
    _, a, b = clinics
    job = app.state.web.jobs.submit(a["clinic"], a["patient"], a["consultation"], {}, {}, "x")
    signed_in(client, b)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/api/v1/jobs/{job.id}").status_code == 404


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(client, clinics):
    database, a, _ = clinics
    signed_in(client, a)
    form = {"identifier": "chart-new", "birth_year": "1970", "skin_type": "II"}
    assert client.post("/patients", data=form).status_code == 403
    assert client.post("/patients", data={**form, "csrf_token": "forged"}).status_code == 403
    api = {"identifier": "chart-new", "birth_year": 1970, "skin_type": "II"}
    assert client.post("/api/v1/patients", json=api).status_code == 403
    assert client.post("/logout").status_code == 403
    with database.session(read_only=True) as session:
        names = [p.identifier for p in records.list_patients(session, a["clinic"])]
    assert "chart-new" not in names


def test_the_login_form_needs_its_own_token(client, clinics):
    _, a, _ = clinics
    answer = client.post(
        "/login",
        data={"clinic": a["name"], "email": a["physician"], "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 403


def test_unauthenticated_pages_redirect_to_login_and_the_api_answers_401(client, clinics):
    _, a, _ = clinics
    for url in ["/", "/patients", "/outcomes", *_pages(a)]:
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 303, url
        assert answer.headers["location"] == "/login"
    for url in ["/api/v1/patients", "/api/v1/outcomes", *_api(a)]:
        answer = client.get(url)
        assert answer.status_code == 401, url
        assert a["identifier"] not in answer.text


def test_signing_out_ends_the_session_for_good(client, clinics):
    _, a, _ = clinics
    csrf = signed_in(client, a)
    cookie = client.cookies.get("dermalase_session")
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    client.cookies.set("dermalase_session", cookie)  # a copy of the old cookie is worth nothing
    assert client.get("/patients", follow_redirects=False).status_code == 303


def _diary(client, session_id: int, csrf: str, data: bytes, name: str, day: str = "2"):
    return client.post(
        f"/sessions/{session_id}/diary",
        data={"csrf_token": csrf, "day": day, "phase": "redness", "view": "frontal"},
        files={"photo": (name, data, "image/jpeg")},
    )


@pytest.mark.parametrize(
    ("data", "name", "status", "words"),
    [
        (b"#!/bin/sh\necho not a photo\n", "holiday.jpg", 400, "photo:"),
        (b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES + 10), "huge.jpg", 400, "at most 25 MB"),
        (None, "../../../etc/cron.d/evil.jpg", 400, "without folders"),
        (None, "..\\..\\windows\\evil.jpg", 400, "without folders"),
    ],
    ids=["not-an-image", "oversize", "path-traversal", "windows-traversal"],
)
def test_bad_uploads_are_refused_with_a_clear_message(client, clinics, data, name, status, words):
    database, a, _ = clinics
    csrf = signed_in(client, a)
    before = database.photos.stored(a["clinic"])
    answer = _diary(client, a["session"], csrf, jpeg() if data is None else data, name)
    assert answer.status_code == status
    assert words in answer.text
    assert database.photos.stored(a["clinic"]) == before
    with database.session(read_only=True) as session:
        diary = records.list_sessions(session, a["clinic"], a["patient"])[0].diary
        assert [entry.day for entry in diary] == [1]  # the day was not written either


def test_a_request_far_too_large_is_refused_before_it_is_read(client, clinics):
    _, a, _ = clinics
    csrf = signed_in(client, a)
    answer = _diary(client, a["session"], csrf, b"\x00" * (MAX_REQUEST_BYTES + 1), "a.jpg")
    assert answer.status_code == 413
    assert "a photo may be up to 25 MB" in answer.text


def test_a_good_photo_is_stored_by_content_not_by_its_name(client, clinics):
    database, a, _ = clinics
    csrf = signed_in(client, a)
    answer = _diary(client, a["session"], csrf, jpeg(colour=(190, 120, 110)), "IMG_0001.jpg")
    assert answer.status_code == 200  # redirected to the session page
    stored = database.photos.stored(a["clinic"])
    assert len(stored) == 2
    assert not any("IMG_0001" in str(path) for path in database.photos.root.rglob("*"))


def test_the_tenth_wrong_password_in_a_minute_is_throttled(client, clinics):
    _, a, _ = clinics
    for _ in range(FAILED_LOGINS_ALLOWED):
        assert login(client, a["name"], a["physician"], "wrong password!").status_code == 401
    tenth = login(client, a["name"], a["physician"], "wrong password!")
    assert tenth.status_code == 429
    assert "Too many failed sign-ins" in tenth.text
    assert int(tenth.headers["retry-after"]) >= 1
    # while throttled, even the right password does not get in
    assert login(client, a["name"], a["physician"]).status_code == 429


def test_staff_cannot_override_rules_or_delete_patients(client, clinics):
    database, a, _ = clinics
    csrf = signed_in(client, a, "staff")
    answer = client.post(
        f"/consultations/{a['consultation']}/plan",
        data={"csrf_token": csrf, "rule": "cap.depth", "reason": "the patient insists"},
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/patients/{a['patient']}/delete", data={"csrf_token": csrf, "confirm": a["identifier"]}
    )
    assert answer.status_code == 403
    with database.session(read_only=True) as session:
        assert records.get_patient(session, a["clinic"], a["patient"])


def test_session_cookie_flags_and_security_headers(app, clinics):
    from fastapi.testclient import TestClient

    _, a, _ = clinics
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(app, base_url=base) as client:
            answer = login(client, a["name"], a["physician"])
            cookie = answer.headers["set-cookie"].lower()
            assert "httponly" in cookie
            assert "samesite=lax" in cookie
            assert ("secure" in cookie) is secure
            page = client.get("/patients")
    policy = page.headers["content-security-policy"]
    script = next(part for part in policy.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and "onclick" not in page.text


def test_no_patient_data_in_the_logs(client, clinics, caplog):
    _, a, _ = clinics
    with caplog.at_level(logging.DEBUG):
        csrf = signed_in(client, a)
        client.get("/patients", params={"q": a["identifier"]})
        client.post(
            "/patients",
            data={
                "csrf_token": csrf,
                "identifier": "secret-chart-77",
                "birth_year": "1966",
                "skin_type": "III",
            },
        )
        client.get(f"/patients/{a['patient']}")
        login(client, a["name"], a["physician"], "wrong password!")
    # the server's loggers (the test client's own httpx log is not the server's)
    text = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.split(".")[0] in ("dermalase", "uvicorn", "fastapi", "starlette")
    )
    assert "GET /patients/{patient_id} 200" in text  # the request log is there ...
    for secret in (a["identifier"], "secret-chart-77", "1966", PASSWORD, a["physician"]):
        assert secret not in text  # ... and names no patient, password or e-mail


def test_login_page_token_changes_and_session_is_new_after_login(client, clinics):
    _, a, _ = clinics
    first, second = token(client.get("/login").text), token(client.get("/login").text)
    assert first != second
    client.cookies.set("dermalase_session", "chosen-by-the-attacker")
    answer = login(client, a["name"], a["physician"])
    issued = answer.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert len(issued) >= 40
    assert issued != "chosen-by-the-attacker"  # no session fixation


def test_patient_pages_and_photos_are_not_kept_in_the_browsers_cache(client, clinics):
    """A shared clinic tablet must not keep patients' pages or photos on its disk."""
    _, a, _ = clinics
    signed_in(client, a)
    for url in (
        f"/patients/{a['patient']}",
        f"/photos/{a['photo']}",
        f"/api/v1/photos/{a['photo']}",
    ):
        assert client.get(url).headers["cache-control"] == "no-store", url
