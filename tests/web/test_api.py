"""The JSON API: the command line's keys, the clinic's records only, CSRF on writes."""

from __future__ import annotations

from dermalase import records
from dermalase.records.timeline import outcome_summary, patient_timeline
from dermalase.units import clinical_key
from tests.web.conftest import signed_in


def _csrf(client) -> str:
    return client.get("/api/v1/me").json()["csrf_token"]


def test_openapi_documents_the_resources(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/patients",
        "/api/v1/patients/{patient_id}",
        "/api/v1/plans/{plan_id}",
        "/api/v1/sessions/{session_id}",
        "/api/v1/photos/{photo_id}",
        "/api/v1/outcomes",
        "/api/v1/consultations",
        "/api/v1/jobs/{job_id}",
    ):
        assert path in paths
    assert not any(path.startswith(("/patients", "/login")) for path in paths)  # pages are not API


def test_timeline_and_outcomes_are_the_command_lines(client, clinics):
    database, a, _ = clinics
    signed_in(client, a)
    timeline = client.get(f"/api/v1/patients/{a['patient']}").json()
    outcomes = client.get("/api/v1/outcomes").json()
    with database.session(read_only=True) as session:
        expected = patient_timeline(session, a["clinic"], a["identifier"])
        assert outcomes == outcome_summary(session, a["clinic"])
    assert timeline["sessions"] == expected["sessions"]
    assert timeline["patient"]["identifier"] == a["identifier"]
    assert [plan["plan_id"] for plan in timeline["plans"]] == [a["plan"]]
    session = client.get(f"/api/v1/sessions/{a['session']}").json()
    assert session == expected["sessions"][0]
    plan = client.get(f"/api/v1/plans/{a['plan']}").json()
    assert plan["areas"][0]["settings"]["fluence_j_cm2"] > 0
    photo = client.get(f"/api/v1/photos/{a['photo']}")
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.content.startswith(b"\xff\xd8")


def test_a_patient_added_through_the_api(client, clinics):
    database, a, _ = clinics
    signed_in(client, a)
    body = {"identifier": "api-0002", "birth_year": 1975, "skin_type": "iv"}
    answer = client.post("/api/v1/patients", json=body, headers={"X-CSRF-Token": _csrf(client)})
    assert answer.status_code == 201
    assert answer.json()["skin_type"] == "IV"
    again = client.post("/api/v1/patients", json=body, headers={"X-CSRF-Token": _csrf(client)})
    assert again.status_code == 400
    assert again.json()["field"]
    bad = client.post(
        "/api/v1/patients",
        json={**body, "identifier": "api-3", "skin_type": "VII"},
        headers={"X-CSRF-Token": _csrf(client)},
    )
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("skin_type: VII is not valid")
    with database.session(read_only=True) as session:
        assert records.find_patient(session, a["clinic"], "api-0002")


def test_a_consultation_through_the_api_is_checked_before_it_is_stored(client, clinics):
    database, a, _ = clinics
    signed_in(client, a)
    document = {
        "age": 300,
        "skin_type": "II",
        "conditions": ["fine lines"],
        "areas": ["full face"],
        "downtime_days": 3,
        "correction": "mild",
    }
    answer = client.post(
        "/api/v1/consultations",
        json={"patient_id": a["patient"], "consultation": document},
        headers={"X-CSRF-Token": _csrf(client)},
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "age: 300 is not valid; age in whole years, 1-120",
        "status": 400,
        "field": "age",
    }
    with database.session(read_only=True) as session:
        assert len(records.get_patient(session, a["clinic"], a["patient"]).consultations) == 1


def test_staff_cannot_override_through_the_api(client, clinics):
    _, a, _ = clinics
    signed_in(client, a, "staff")
    document = {
        "age": 40,
        "skin_type": "II",
        "conditions": ["fine lines"],
        "areas": ["full face"],
        "downtime_days": 3,
        "correction": "mild",
    }
    answer = client.post(
        "/api/v1/consultations",
        json={
            "patient_id": a["patient"],
            "consultation": document,
            "overrides": {"cap.depth": "insists"},
        },
        headers={"X-CSRF-Token": _csrf(client)},
    )
    assert answer.status_code == 403


def test_the_progress_key_is_in_the_glossary(app, clinics):
    _, a, _ = clinics
    job = app.state.web.jobs if app.state.web.jobs else None
    from dermalase.web.jobs import PlanJob

    keys = PlanJob("x", a["clinic"], a["patient"], a["consultation"], {}).to_dict()
    assert clinical_key("elapsed") in keys
    assert job is None or job.running() == 0


def test_a_session_diary_day_and_photo_recorded_through_the_api(client, clinics):
    from tests.web.conftest import jpeg

    _, a, b = clinics
    signed_in(client, a)
    headers = {"X-CSRF-Token": _csrf(client)}
    body = {
        "session_date": "2025-04-14",
        "operator": "Dr A",
        "eye_protection_checked": True,
        "set": {"full_face.passes": 2},
    }
    answer = client.post(f"/api/v1/plans/{a['plan']}/sessions", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    session = answer.json()
    assert session["areas"][0]["deviation"] == {"passes": {"planned": 1, "delivered": 2}}
    planned = client.get(f"/api/v1/sessions/{a['session']}").json()
    deeper = session["areas"][0]["predicted"]["ablation_depth_um"]
    assert deeper > planned["areas"][0]["predicted"]["ablation_depth_um"]  # a second pass
    day = client.post(
        f"/api/v1/sessions/{session['session_id']}/diary",
        json={"day": 1, "phase": "Redness", "pain": 3},
        headers=headers,
    )
    assert day.status_code == 201
    assert day.json()["diary"][0]["phase"] == "redness"
    photo = client.post(
        f"/api/v1/sessions/{session['session_id']}/diary/1/photos",
        data={"view": "frontal"},
        files={"photo": ("day1.jpg", jpeg(), "image/jpeg")},
        headers=headers,
    )
    assert photo.status_code == 201, photo.text
    assert photo.json()["image_width_px"] == 48
    bad = client.post(
        f"/api/v1/sessions/{session['session_id']}/diary",
        json={"day": 1, "phase": "redness"},
        headers=headers,
    )
    assert bad.status_code == 400  # that day is already recorded
    # clinic B's plan and session are not found, even with a valid token
    assert (
        client.post(f"/api/v1/plans/{b['plan']}/sessions", json=body, headers=headers).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/sessions/{b['session']}/diary",
            json={"day": 9, "phase": "redness"},
            headers=headers,
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/sessions/{session['session_id']}/diary", json={"day": 2, "phase": "redness"}
        ).status_code
        == 403
    )  # no CSRF header
