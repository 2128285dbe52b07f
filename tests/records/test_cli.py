"""``dermalase records``: the commands end to end, their JSON, and their refusals of bad input."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from dermalase.cli import main
from dermalase.records import open_database
from dermalase.records.schema import AuditEntry, DiaryEntry, Patient, Photo, TreatmentSession
from dermalase.records.testcard import REFERENCE_REGION, SKIN_REGION, card_image
from dermalase.units import QUANTITIES, UNITLESS_KEYS, clinical_key

EXAMPLE = Path(__file__).parents[2] / "examples" / "microlaserpeel_texture.toml"
REGION = ["--region", ",".join(map(str, SKIN_REGION))]
REFERENCE = ["--reference", ",".join(map(str, REFERENCE_REGION))]


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory) -> Path:
    """The example's plan, planned once for the module."""
    from dermalase.clinical import load_consultation
    from dermalase.clinical.planner import TreatmentPlanner

    plan = TreatmentPlanner().plan(load_consultation(EXAMPLE)).to_dict()
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def run(*args: str) -> tuple[int, dict | None, str]:
    """Run the command line; its exit code, its one JSON object (with --json), stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit) as done,
    ):
        main(list(args))
    text = out.getvalue()
    payload = json.loads(text) if "--json" in args and text.strip() else None
    return int(done.value.code or 0), payload, err.getvalue()


def environment(monkeypatch, url: str, folder: Path) -> None:
    """Point the command line at a database and a photo folder; work in ``folder``."""
    monkeypatch.setenv("DERMALASE_DATABASE_URL", url)
    monkeypatch.setenv("DERMALASE_PHOTO_DIR", str(folder / "photos"))
    monkeypatch.setenv("DERMALASE_OPERATOR", "Dr Test")
    monkeypatch.chdir(folder)


@pytest.fixture
def cli(monkeypatch, tmp_path, database_url):
    """Run commands against a fresh database (each backend) in ``tmp_path``."""
    environment(monkeypatch, database_url, tmp_path)
    return run


def counts(database_url: str) -> dict[str, int]:
    database = open_database(database_url)
    with database.session(read_only=True) as session:
        result = {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in (Patient, TreatmentSession, DiaryEntry, Photo, AuditEntry)
        }
    database.close()
    return result


def _unglossed(document, path="") -> set[str]:
    glossary = {clinical_key(name) for name in QUANTITIES} | set(UNITLESS_KEYS)
    found = set()
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        if isinstance(value, dict | list):
            found |= _unglossed(value, f"{path}/{key}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            name = key if isinstance(key, str) else path.rsplit("/", 1)[-1]
            if name not in glossary:
                found.add(f"{path}/{key}")
    return found


def record_course(cli, plan_file: Path, folder: Path) -> tuple[int, int]:
    """A stored plan, one session as planned, and a diary of three days with photos."""
    code, stored, error = cli("records", "plan", str(EXAMPLE), "--plan", str(plan_file), "--json")
    assert code == 0, error
    code, session, error = cli(
        "records",
        "session",
        "record",
        str(stored["plan_id"]),
        "--date",
        "2025-03-03",
        "--eye-protection-checked",
        "--json",
    )
    assert code == 0, error
    for day, redness, phase, red in (
        (0, 0.0, "redness", "--red"),
        (2, 0.8, "dryness", "--red"),
        (14, 0.1, "new skin", "--not-red"),
    ):
        photo = folder / f"card-{day}.jpg"
        photo.write_bytes(card_image(redness, seed=day))
        code, _, error = cli(
            "records",
            "diary",
            "add",
            str(session["session_id"]),
            "--day",
            str(day),
            "--phase",
            phase,
            red,
            "--photo",
            str(photo),
            *REGION,
            *REFERENCE,
            "--json",
        )
        assert code == 0, error
    return stored["plan_id"], session["session_id"]


@pytest.fixture
def course(cli, plan_file, tmp_path):
    """A recorded course in a fresh database, for a test that changes it."""
    return record_course(cli, plan_file, tmp_path)


@pytest.fixture(scope="module")
def shared(shared_database_url, plan_file, tmp_path_factory):
    """A recorded course that the tests of this module only read (each backend)."""
    folder = tmp_path_factory.mktemp("course")
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, shared_database_url, folder)
        ids = record_course(run, plan_file, folder)
    return shared_database_url, folder, ids


@pytest.fixture
def reader(monkeypatch, shared):
    """Run commands against the shared course; its url, folder and (plan, session) ids."""
    url, folder, ids = shared
    environment(monkeypatch, url, folder)
    return run, url, folder, ids


def test_a_recorded_course_reads_back_as_timeline_outcomes_and_exports(reader):
    cli, _, tmp_path, (plan_id, session_id) = reader
    code, timeline, _ = cli("records", "timeline", "example-texture", "--json")
    assert code == 0
    (item,) = timeline["sessions"]
    assert (item["session_id"], item["plan_id"], item["date"]) == (
        session_id,
        plan_id,
        "2025-03-03",
    )
    assert [entry["day"] for entry in item["diary"]] == [0, 2, 14]
    redness = [entry["photos"][0]["erythema_a_star"] for entry in item["diary"]]
    assert redness[1] > redness[0] > 0 and redness[1] > redness[2]
    assert timeline["warnings"] == []
    assert Path(timeline["figure"]).read_bytes().startswith(b"\x89PNG")
    assert _unglossed(timeline) == set()

    code, outcomes, _ = cli("records", "outcomes", "--json")
    (row,) = outcomes["sessions"]
    assert row["observed"] == {"reepithelialized_day": 14, "erythema_duration_days": 14}
    assert outcomes["summary"]["erythema"]["sessions"] == 1
    assert _unglossed(outcomes) == set()

    code, compared, _ = cli(
        "records",
        "compare",
        "example-texture",
        "--before",
        "2025-03-03",
        "--after",
        "2025-03-17",
        "--json",
    )
    assert code == 0 and compared["before"]["view"] == compared["after"]["view"] == "frontal"
    from PIL import Image

    with Image.open(compared["figure"]) as figure:
        assert figure.width > figure.height  # side by side

    code, redness, _ = cli("records", "redness", "example-texture", "--json")
    assert code == 0
    assert [point["day"] for point in redness["measured"]] == [0, 2, 14]
    assert redness["predicted"]["erythema_duration_days"] == pytest.approx(
        7 * item["predicted"]["erythema_weeks"], abs=0.05
    )
    code, shown, _ = cli("records", "patient", "show", "example-texture", "--json")
    code, checked, _ = cli("records", "check", "--json")
    assert code == 0 and checked["integrity"] == "ok"
    for document in (redness, compared, shown, checked):
        assert _unglossed(document) == set()

    code, _, _ = cli(
        "records", "export", "example-texture", "--format", "fhir", "--out", "b.json", "--json"
    )
    assert code == 0
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate_json((tmp_path / "b.json").read_text())
    kinds = sorted(entry.resource.get_resource_type() for entry in bundle.entry)
    assert kinds.count("Media") == 3 and kinds.count("Procedure") == 1
    assert "Patient" in kinds and kinds.count("Observation") == 6  # 3 days + 3 indices

    code, _, _ = cli(
        "records",
        "export",
        "example-texture",
        "--format",
        "fhir",
        "--embed-photos",
        "--out",
        "embedded.json",
        "--json",
    )
    import base64
    import hashlib

    embedded = json.loads((tmp_path / "embedded.json").read_text())
    media = [e["resource"] for e in embedded["entry"] if e["resource"]["resourceType"] == "Media"]
    for resource in media:
        data = base64.b64decode(resource["content"]["data"])
        assert hashlib.sha256(data).hexdigest() == resource["identifier"][0]["value"]
        assert base64.b64decode(resource["content"]["hash"]) == hashlib.sha1(data).digest()
        assert resource["content"]["size"] == len(data)


def test_delete_removes_the_patient_and_photo_files_and_check_finds_nothing(
    cli, course, database_url, tmp_path
):
    before = counts(database_url)
    assert before["photo"] == 3 and len(list((tmp_path / "photos").rglob("*"))) > 3
    code, _, _ = cli("records", "delete", "example-texture", "--json")
    assert code == 2  # needs --yes
    assert counts(database_url) == before
    code, deleted, _ = cli("records", "delete", "example-texture", "--yes", "--json")
    assert code == 0 and deleted["files_removed"] == 3
    after = counts(database_url)
    assert (after["patient"], after["treatment_session"], after["photo"]) == (0, 0, 0)
    assert after["audit_entry"] > before["audit_entry"]  # the deletion is logged
    assert not [p for p in (tmp_path / "photos").rglob("*") if p.is_file()]
    code, checked, _ = cli("records", "check", "--json")
    assert code == 0
    assert (checked["orphan_photos"], checked["missing_photos"]) == (0, 0)


def test_check_finds_and_repairs_an_orphan_file(cli, course, tmp_path):
    orphan = tmp_path / "photos" / "clinic-1" / ("ab" * 32)[:2] / ("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a writer that crashed before its commit")
    code, checked, _ = cli("records", "check", "--json")
    assert code == 0 and checked["orphan_photos"] == 1
    code, repaired, _ = cli("records", "check", "--repair", "--min-age", "0", "--json")
    assert repaired["files_removed"] == 1 and not orphan.exists()
    code, checked, _ = cli("records", "check", "--json")
    assert checked["orphan_photos"] == 0


def test_a_missing_photo_file_fails_the_check(cli, course, tmp_path):
    victim = next(p for p in (tmp_path / "photos").rglob("*") if p.is_file())
    victim.unlink()
    code, checked, _ = cli("records", "check", "--json")
    assert code == 1 and checked["missing_photos"] == 1


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(25 * 1000 * 1000 + 1)  # sparse: costs no disk
    return path


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (["timeline", "nobody"], "patient"),
        (["timeline", "example-texture", "--clinic", "Elsewhere"], "clinic"),
        (
            ["diary", "add", "{session}", "--day", "3", "--phase", "dryness", "--photo", "{text}"],
            "--photo",
        ),
        (
            ["diary", "add", "{session}", "--day", "3", "--phase", "dryness", "--photo", "{huge}"],
            "--photo",
        ),
        (["diary", "add", "{session}", "--date", "2025-03-02", "--phase", "redness"], "--date"),
        (["diary", "add", "{session}", "--day", "-1", "--phase", "redness"], "--day"),
        (["diary", "add", "{session}", "--day", "3", "--phase", "scabbing"], "--phase"),
        (["diary", "add", "999", "--day", "3", "--phase", "dryness"], "session"),
        (
            [
                "diary",
                "add",
                "{session}",
                "--day",
                "3",
                "--phase",
                "dryness",
                "--photo",
                "{card}",
                "--region",
                "0,0,5000,10",
            ],
            "--region",
        ),
        (
            ["session", "record", "{plan}", "--set", "full_face.fluence_j_cm2=90"],
            "--set full_face.fluence_j_cm2",
        ),
        (["session", "record", "{plan}", "--date", "03/04/2025"], "--date"),
        (["session", "record", "777"], "plan"),
        (
            ["compare", "example-texture", "--before", "2025-01-01", "--after", "2025-03-17"],
            "--before",
        ),
        (["export", "example-texture", "--format", "xml"], "--format"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(reader, arguments, field):
    cli, database_url, tmp_path, (plan_id, session_id) = reader
    (tmp_path / "notes.jpg").write_text("not an image, only text")
    (tmp_path / "card.jpg").write_bytes(card_image(0.3))
    values = {
        "session": str(session_id),
        "plan": str(plan_id),
        "text": str(tmp_path / "notes.jpg"),
        "huge": str(_huge(tmp_path)),
        "card": str(tmp_path / "card.jpg"),
    }
    before = counts(database_url)
    files = sorted(p for p in (tmp_path / "photos").rglob("*") if p.is_file())
    filled = [argument.format(**values) for argument in arguments]
    code, payload, error = cli("records", *filled, "--json")
    assert code == 2
    assert payload["field"] == field
    assert error.count("\n") == 1 and "Traceback" not in error
    assert counts(database_url) == before
    assert sorted(p for p in (tmp_path / "photos").rglob("*") if p.is_file()) == files


def test_a_database_of_a_newer_schema_is_named_and_left_alone(cli, course, database_url):
    database = open_database(database_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    database.close()
    code, payload, error = cli("records", "patient", "list", "--json")
    assert code == 4
    assert "newer than this dermalase" in payload["error"]
    assert error.count("\n") == 1
    code, payload, _ = cli("records", "migrate", "--json")
    assert code == 4


def test_an_older_database_is_refused_until_records_migrate(cli, database_url, tmp_path):
    from dermalase import records

    old = records.Database(records.database_url(database_url), tmp_path / "photos")
    old.migrate("0001")
    old.close()
    code, payload, _ = cli("records", "patient", "list", "--json")
    assert code == 4 and "dermalase records migrate" in payload["error"]
    code, migrated, _ = cli("records", "migrate", "--json")
    assert code == 0
    assert (migrated["from_revision"], migrated["revision"]) == ("0001", records.head_revision())
    code, listed, _ = cli("records", "patient", "list", "--json")
    assert code == 0 and listed == {"patients": []}


def test_a_test_card_outside_its_range_is_refused(cli, tmp_path):
    code, payload, _ = cli("records", "test-card", "card.jpg", "--redness", "1.5", "--json")
    assert code == 2 and payload["field"] == "--redness"
    code, payload, _ = cli("records", "test-card", "card.jpg", "--light", "1,1", "--json")
    assert code == 2 and payload["field"] == "--light"
    assert not (tmp_path / "card.jpg").exists()


def test_an_unreachable_database_is_named(reader, monkeypatch):
    cli = reader[0]
    monkeypatch.setenv(
        "DERMALASE_DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    )
    code, payload, error = cli("records", "patient", "list", "--json")
    assert code == 4
    assert "unreachable" in payload["error"] and "127.0.0.1:1" in payload["error"]
    assert "secret" not in payload["error"] + error


def test_an_unknown_clinic_is_not_created_by_a_query(cli, database_url):
    code, payload, _ = cli("records", "patient", "list", "--clinic", "Ghost", "--json")
    assert code == 2 and payload["field"] == "clinic"
    code, made, _ = cli("records", "init", "--clinic", "Ghost", "--json")
    assert code == 0 and made["clinic"] == "Ghost"
    code, listed, _ = cli("records", "patient", "list", "--clinic", "Ghost", "--json")
    assert code == 0 and listed == {"patients": []}


def test_plan_needs_the_patients_identifier(cli, tmp_path, plan_file):
    anonymous = tmp_path / "anonymous.toml"
    anonymous.write_text(EXAMPLE.read_text().replace('patient = "example-texture"', ""))
    code, payload, _ = cli("records", "plan", str(anonymous), "--plan", str(plan_file), "--json")
    assert code == 2 and payload["field"] == "patient"


def test_the_terminal_view_fits_80_columns_and_shows_no_internal_keys(cli, course, capsys):
    import os

    os.environ["COLUMNS"] = "80"
    code, _, _ = cli("records", "timeline", "example-texture")
    assert code == 0
    code, _, _ = cli(
        "records",
        "session",
        "record",
        str(course[0]),
        "--date",
        "2025-04-14",
        "--set",
        "full_face.fluence_j_cm2=4.5",
    )
    # the output of the last command was captured by cli(); re-run to read it
    with pytest.raises(SystemExit):
        main(["records", "patient", "show", "example-texture"])
    shown = capsys.readouterr().out
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert "fluence_j_cm2" not in shown


def _plan_with_report(plan_file: Path, folder: Path) -> Path:
    """A plan folder as `dermalase plan --out` leaves it: plan.json, plan.html, plan.pdf."""
    folder.mkdir()
    (folder / "plan.json").write_text(plan_file.read_text())
    (folder / "plan.html").write_text("<html><body>the report of this plan</body></html>")
    (folder / "plan.pdf").write_bytes(b"%PDF-1.7 the report of this plan")
    return folder / "plan.json"


def test_a_stored_plan_keeps_its_report_and_deleting_the_patient_removes_it(
    cli, plan_file, tmp_path
):
    stored_json = _plan_with_report(plan_file, tmp_path / "written")
    code, stored, error = cli("records", "plan", str(EXAMPLE), "--plan", str(stored_json), "--json")
    assert code == 0, error
    assert stored["report"] is True
    folder = tmp_path / "reports" / "clinic-1" / f"plan-{stored['plan_id']}"
    assert (folder / "plan.html").read_text().endswith("the report of this plan</body></html>")
    assert (folder / "plan.pdf").read_bytes().startswith(b"%PDF")
    # the written folder is the physician's: it stays as it was
    assert sorted(p.name for p in stored_json.parent.iterdir()) == [
        "plan.html",
        "plan.json",
        "plan.pdf",
    ]
    code, deleted, _ = cli("records", "delete", "example-texture", "--yes", "--json")
    assert code == 0 and deleted["reports_removed"] == 1
    # a deleted patient's report (it names them) is gone with the rows
    assert not folder.exists()
    code, checked, _ = cli("records", "check", "--json")
    assert code == 0 and checked["orphan_reports"] == 0


def test_a_plan_json_without_its_report_files_is_stored_without_a_report(cli, plan_file, tmp_path):
    code, stored, error = cli("records", "plan", str(EXAMPLE), "--plan", str(plan_file), "--json")
    assert code == 0, error
    assert stored["report"] is False
    assert not (tmp_path / "reports" / "clinic-1" / f"plan-{stored['plan_id']}").exists()


def test_check_finds_and_repairs_an_orphan_report(cli, plan_file, tmp_path):
    code, stored, _ = cli("records", "plan", str(EXAMPLE), "--plan", str(plan_file), "--json")
    assert code == 0
    # a report folder whose plan row never committed, and a staging folder of a killed writer
    orphan = tmp_path / "reports" / "clinic-1" / f"plan-{stored['plan_id'] + 100}"
    staging = tmp_path / "reports" / "clinic-1" / ".incoming-killed"
    for made in (orphan, staging):
        made.mkdir(parents=True)
        (made / "plan.html").write_text("<html></html>")
    code, checked, _ = cli("records", "check", "--json")
    assert code == 0 and checked["orphan_reports"] == 1 and checked["unfinished_writes"] == 1
    code, repaired, _ = cli("records", "check", "--repair", "--min-age", "0", "--json")
    assert repaired["files_removed"] == 2
    assert not orphan.exists() and not staging.exists()
    code, checked, _ = cli("records", "check", "--json")
    assert (checked["orphan_reports"], checked["unfinished_writes"]) == (0, 0)
