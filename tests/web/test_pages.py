"""The pages as a physician and a staff member use them (without a browser)."""

from __future__ import annotations

import re

from dermalase import records
from dermalase.web.jobs import PlanJob, compute_plan
from tests.web.conftest import jpeg, signed_in

INFECTED = {
    "age": 40,
    "skin_type": "II",
    "conditions": ["fine_lines"],
    "areas": ["full_face"],
    "downtime_days": 3,
    "correction": "mild",
    "history": {"active_infection": True},
}


def test_a_refused_plan_names_its_rule_and_asks_a_physician_for_the_reason(
    client, app, clinics, tmp_path
):
    _, a, _ = clinics
    outcome = compute_plan("job", INFECTED, {}, str(tmp_path / "report"))
    assert outcome["refusal"]["rule"] == "contraindication.active_infection"
    job = PlanJob(
        "refused-job",
        a["clinic"],
        a["patient"],
        a["consultation"],
        {},
        state="refused",
        problem=outcome["refusal"],
    )
    app.state.web.jobs._jobs[job.id] = job
    csrf = signed_in(client, a)
    page = client.get(f"/jobs/{job.id}").text
    assert "contraindication.active_infection" in page
    assert 'name="reason"' in page and "required" in page
    empty = client.post(
        f"/consultations/{a['consultation']}/plan",
        data={"csrf_token": csrf, "rule": "contraindication.active_infection", "reason": " "},
    )
    assert empty.status_code == 400
    assert "reason: (empty) is not valid; give the clinic" in empty.text
    client.post("/logout", data={"csrf_token": csrf})
    signed_in(client, a, "staff")
    staff_page = client.get(f"/jobs/{job.id}").text
    assert "Only a physician may override a rule." in staff_page
    assert 'name="reason"' not in staff_page


def test_patients_are_searched_and_a_bad_field_is_shown_by_its_input(client, clinics):
    _, a, b = clinics
    csrf = signed_in(client, a)
    found = client.get("/patients", params={"q": "CHART-0001"}).text
    assert a["identifier"] in found and b["identifier"] not in found
    assert "No patient's identifier contains" in client.get("/patients", params={"q": "zz"}).text
    answer = client.post(
        "/patients",
        data={"csrf_token": csrf, "identifier": "chart-9", "birth_year": "19x0", "skin_type": "II"},
    )
    assert answer.status_code == 400
    message = re.search(r'data-for="birth_year">([^<]*)<', answer.text)
    assert message and message.group(1).startswith("birth_year: 19x0 is not valid")
    again = client.post(
        "/patients",
        data={
            "csrf_token": csrf,
            "identifier": a["identifier"],
            "birth_year": "1970",
            "skin_type": "II",
        },
    )
    assert again.status_code == 400


def test_the_consultation_form_is_filled_from_the_patient(client, clinics):
    database, a, _ = clinics
    with database.session() as session:
        records.update_patient(
            session, a["clinic"], a["patient"], "t", history={"isotretinoin_months_ago": 8}
        )
    signed_in(client, a)
    page = client.get(f"/patients/{a['patient']}/consultations/new").text
    assert 'name="history.isotretinoin_months_ago" value="8"' in page
    assert re.search(r'<option value="II"\s+selected>', page)


def test_outcomes_compare_predicted_and_observed(client, clinics):
    database, a, _ = clinics
    with database.session() as session:
        records.add_diary_entry(
            session,
            a["clinic"],
            a["session"],
            day=4,
            phase="new skin",
            actor="t",
            erythema_present=False,
        )
    signed_in(client, a)
    page = client.get("/outcomes").text
    assert a["identifier"] in page
    assert "day 4" in page
    assert "mean error" in page


def test_before_after_refuses_two_different_views(client, clinics):
    database, a, _ = clinics
    with database.session() as session:
        entry = records.add_diary_entry(
            session, a["clinic"], a["session"], day=5, phase="new skin", actor="t"
        )
        image = database.photos.put(a["clinic"], jpeg(colour=(180, 140, 120)))
        side = records.add_photo(
            session, a["clinic"], entry.id, image, view="left_oblique", actor="t"
        )
        side_id = side.id
    signed_in(client, a)
    page = client.get(
        f"/patients/{a['patient']}/compare", params={"before": a["photo"], "after": side_id}
    ).text
    assert "different views" in page
    assert 'id="compare"' not in page
    same = client.get(f"/patients/{a['patient']}/compare").text
    assert 'id="compare"' in same


def test_a_plan_stored_with_its_report_shows_it_only_in_its_clinic_and_loses_it_with_the_patient(
    client, clinics, tmp_path
):
    database, a, b = clinics
    written = tmp_path / "written"
    written.mkdir()
    (written / "plan.html").write_text("<html><body><p>Report of plan A</p></body></html>")
    (written / "plan.pdf").write_bytes(b"%PDF-1.7 report of plan A")
    assert database.reports.put(a["clinic"], a["plan"], written)
    csrf = signed_in(client, a)
    page = client.get(f"/plans/{a['plan']}")
    assert page.status_code == 200
    assert f'src="/plans/{a["plan"]}/report"' in page.text and "without its report" not in page.text
    assert "Report of plan A" in client.get(f"/plans/{a['plan']}/report").text
    assert client.get(f"/plans/{a['plan']}/plan.pdf").content.startswith(b"%PDF")
    # clinic B's physician cannot read clinic A's report by its number
    other = client.__class__(client.app, base_url="http://testserver")
    with other:
        signed_in(other, b)
        assert other.get(f"/plans/{a['plan']}/report").status_code == 404
        assert other.get(f"/plans/{a['plan']}/plan.pdf").status_code == 404
    answer = client.post(
        f"/patients/{a['patient']}/delete",
        data={"csrf_token": csrf, "confirm": a["identifier"]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    # the report names the patient: it goes with the rows
    assert not database.reports.folder(a["clinic"], a["plan"]).exists()
