"""``dermalase records``: patients, plans, delivered sessions and the healing diary.

The commands keep what was planned, what was actually delivered and how the skin healed,
in the records database (SQLite in the user data directory by default; PostgreSQL by
``--database-url`` or ``DERMALASE_DATABASE_URL``). Without ``--clinic`` a local database
has one default clinic. Every command takes ``--json``; bad input exits with code 2 and
writes nothing; a database that cannot be used (locked, read-only, newer schema,
unreachable) exits with code 4 and names it.
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import app, emit, json_mode, key_value_table
from dermalase.exceptions import InputError
from dermalase.units import plural

records_app = typer.Typer(
    no_args_is_help=True,
    help="Treatment records: patients, plans, delivered sessions, healing diary, photos.",
)
patient_app = typer.Typer(no_args_is_help=True, help="Add, list and show patients.")
session_app = typer.Typer(no_args_is_help=True, help="Record treatment sessions.")
diary_app = typer.Typer(no_args_is_help=True, help="The healing diary of a session.")
records_app.add_typer(patient_app, name="patient")
records_app.add_typer(session_app, name="session")
records_app.add_typer(diary_app, name="diary")
app.add_typer(records_app, name="records")

#: Environment variable naming who works at the keyboard (for the audit log and operator).
OPERATOR_VARIABLE = "DERMALASE_OPERATOR"

DATABASE_HELP = "Records database URL (default: $DERMALASE_DATABASE_URL or the local SQLite file)."
CLINIC_HELP = "Clinic name (default: the local database's one clinic)."
JSON_HELP = "Print one JSON object."

#: Fitzpatrick types as Roman numerals, as the plan writes them (the records' own
#: ``dermalase.records.timeline.FITZPATRICK``; repeated so that ``dermalase --help`` does
#: not import the database layer).
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _actor() -> str:
    """Who is running the command, for the audit log."""
    name = os.environ.get(OPERATOR_VARIABLE)
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return f"cli:{name}"


def _operator(given: str | None) -> str:
    return given or os.environ.get(OPERATOR_VARIABLE) or _actor().removeprefix("cli:")


@contextlib.contextmanager
def _database(url: str | None) -> Iterator[Any]:
    from dermalase.records import open_database

    database = open_database(url)
    try:
        yield database
    finally:
        database.close()


def _clinic(session, name: str | None) -> int:
    from dermalase import records

    if name is None:
        return records.default_clinic(session, _actor()).id
    return records.find_clinic(session, name).id


def _date(text: str | None, option: str) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError(option, text, "a date YYYY-MM-DD") from None


def _region(text: str | None, option: str) -> list[int] | None:
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) != 4 or not all(re.fullmatch(r"\s*\d{1,6}\s*", part) for part in parts):
        raise InputError(option, text, "LEFT,TOP,RIGHT,BOTTOM in whole pixels, e.g. 10,10,200,120")
    return [int(part) for part in parts]


def _read_photo(path: Path) -> bytes:
    from dermalase.records.photos import MAX_BYTES

    try:
        size = path.stat().st_size
    except OSError:
        raise InputError("--photo", str(path), "an existing, readable image file") from None
    if not path.is_file():
        raise InputError("--photo", str(path), "an image file")
    if size > MAX_BYTES:
        raise InputError("--photo", f"{size} bytes", f"a photo must be at most {MAX_BYTES} bytes")
    return path.read_bytes()


def _console() -> Console:
    return Console()


def _write_png(path: Path, data: bytes, option: str = "--out") -> str:
    if path.exists() and path.is_dir():
        raise InputError(option, str(path), "a file name, not a folder")
    if not path.parent.exists():
        raise InputError(option, str(path), "a file in an existing folder")
    temporary = path.with_name(f".{path.name}.incoming")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return str(path)


def _safe_name(identifier: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", identifier).strip("._") or "patient"


# ------------------------------------------------------------------ the database


@records_app.command("init")
def init(
    clinic: str = typer.Option(None, help="Create a clinic of this name (default: 'default')."),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Create the records database (newest schema) and its clinic."""
    json_mode(as_json)
    from dermalase import records

    with _database(database_url) as database:
        with database.session() as session:
            if clinic is None:
                made = records.default_clinic(session, _actor())
            else:
                try:
                    made = records.find_clinic(session, clinic)
                except records.RecordNotFoundError:
                    made = records.add_clinic(session, clinic, _actor())
            name = made.name
        payload = {
            "database": database.name,
            "revision": database.revision(),
            "photos": str(database.photos.root),
            "clinic": name,
        }
    emit(payload, as_json, _render_fields("Records database"))


@records_app.command("migrate")
def migrate(
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Bring the database's schema to this version's newest (back it up first)."""
    json_mode(as_json)
    from dermalase import records

    database = records.Database(records.database_url(database_url))
    try:
        before, after = database.migrate()
    finally:
        database.close()
    payload = {"database": database.name, "from_revision": before, "revision": after}
    emit(payload, as_json, _render_fields("Migrated"))


def _render_fields(title: str):
    def render(payload: dict) -> None:
        table = key_value_table(title)
        for key, value in payload.items():
            table.add_row(key.replace("_", " "), "-" if value is None else str(value))
        _console().print(table)

    return render


# ------------------------------------------------------------------ patients


def _patient_dict(patient) -> dict[str, Any]:
    return {
        "identifier": patient.identifier,
        "birth_year": patient.birth_year,
        "skin_type": ROMAN[patient.skin_type - 1],
        "history": patient.history,
    }


def _history(flags: list[str]) -> dict[str, Any]:
    """``--history smoking --history isotretinoin_months_ago=8`` as a checked history table."""
    from dermalase.clinical.consultation import History

    table: dict[str, Any] = {}
    for flag in flags:
        name, equals, value = flag.partition("=")
        name = name.strip()
        if not equals:
            table[name] = True
            continue
        try:
            table[name] = float(value)
        except ValueError:
            if value.strip().lower() in ("true", "false"):
                table[name] = value.strip().lower() == "true"
            else:
                raise InputError("--history", flag, "FLAG or FLAG=NUMBER") from None
    checked = History(**table)
    return {key: value for key, value in checked.model_dump().items() if value not in (None, False)}


@patient_app.command("add")
def patient_add(
    identifier: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    birth_year: int = typer.Option(..., "--birth-year", help="Year of birth."),
    skin_type: str = typer.Option(..., "--skin-type", help="Fitzpatrick type, I-VI or 1-6."),
    history: list[str] = typer.Option(
        [], help="History flag, e.g. herpes_simplex or isotretinoin_months_ago=8 (repeatable)."
    ),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add a patient (no more identifying data than the plan needs)."""
    json_mode(as_json)
    from dermalase import records

    skin = _skin_type(skin_type)
    flags = _history(history)
    with _database(database_url) as database, database.session() as session:
        clinic_id = _clinic(session, clinic)
        patient = records.add_patient(
            session, clinic_id, identifier, birth_year, skin, flags, _actor()
        )
        payload = _patient_dict(patient)
    emit(payload, as_json, _render_fields("Patient added"))


def _skin_type(text: str) -> int:
    value = text.strip().upper()
    if value in ROMAN:
        return ROMAN.index(value) + 1
    if value.isdigit() and 1 <= int(value) <= 6:
        return int(value)
    raise InputError("--skin-type", text, "Fitzpatrick type I-VI (or 1-6)")


@patient_app.command("list")
def patient_list(
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List the clinic's patients."""
    json_mode(as_json)
    from dermalase import records

    with _database(database_url) as database, database.session() as session:
        clinic_id = _clinic(session, clinic)
        payload = {
            "patients": [_patient_dict(p) for p in records.list_patients(session, clinic_id)]
        }

    def render(result: dict) -> None:
        table = Table(title="Patients")
        for column in ("Patient", "Born", "Skin type"):
            table.add_column(column, overflow="fold")
        for row in result["patients"]:
            table.add_row(row["identifier"], str(row["birth_year"]), row["skin_type"])
        _console().print(table)

    emit(payload, as_json, render)


@patient_app.command("show")
def patient_show(
    identifier: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show a patient, their plans and their sessions."""
    json_mode(as_json)
    from dermalase import records

    with _database(database_url) as database, database.session() as session:
        clinic_id = _clinic(session, clinic)
        patient = records.find_patient(session, clinic_id, identifier)
        payload = _patient_dict(patient)
        payload["plans"] = [
            {
                "plan_id": plan.id,
                "created": plan.created_at.isoformat(timespec="seconds"),
                "areas": [area["area"] for area in plan.document["areas"]],
                "dermalase_version": plan.dermalase_version,
            }
            for plan in records.list_plans(session, clinic_id, patient.id)
        ]
        payload["sessions"] = [
            {
                "session_id": item.id,
                "plan_id": item.plan_id,
                "date": item.session_date.isoformat(),
                "diary": [{"day": entry.day, "phase": entry.phase} for entry in item.diary],
            }
            for item in records.list_sessions(session, clinic_id, patient.id)
        ]

    def render(result: dict) -> None:
        console = _console()
        console.print(
            f"Patient {result['identifier']}: born {result['birth_year']}, skin type "
            f"{result['skin_type']}.",
            highlight=False,
            markup=False,
        )
        for plan in result["plans"]:
            console.print(
                f"Plan {plan['plan_id']} ({plan['created'][:10]}): "
                f"{', '.join(a.replace('_', ' ') for a in plan['areas'])}",
                highlight=False,
            )
        for item in result["sessions"]:
            days = ", ".join(str(entry["day"]) for entry in item["diary"]) or "none"
            console.print(
                f"Session {item['session_id']} on {item['date']} (plan {item['plan_id']}): "
                f"diary days {days}",
                highlight=False,
            )

    emit(payload, as_json, render)


# ------------------------------------------------------------------ plans


@records_app.command("plan")
def plan(
    consultation: Path = typer.Argument(..., help="Consultation file (.toml or .json)."),
    plan_file: Path = typer.Option(
        None,
        "--plan",
        help="Store this plan.json instead of planning the consultation (with the plan.html "
        "and plan.pdf beside it, when `dermalase plan --out` wrote them).",
    ),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Plan a consultation (or take a plan.json); store both and the report for its patient."""
    json_mode(as_json)
    from dermalase.clinical import load_consultation
    from dermalase.reading import read_document

    record = load_consultation(consultation)
    if not record.patient:
        raise InputError(
            "patient", "missing", 'the consultation must name the patient (patient = "ID")'
        )
    # the document as given, its TOML dates written as ISO text so that JSON can hold it
    document = json.loads(json.dumps(read_document(consultation, "consultation"), default=str))
    report_folder: Path | None = None
    with contextlib.ExitStack() as cleanup:
        if plan_file is not None:
            plan_document = _read_plan(plan_file, record)
            # the report beside a plan.json that `dermalase plan --out` wrote is that plan's
            report_folder = plan_file.parent if plan_file.name == "plan.json" else None
        else:
            from dermalase.clinical.planner import TreatmentPlanner
            from dermalase.report import write_plan_report

            result = TreatmentPlanner().plan(record, consultation_file=str(consultation))
            plan_document = result.to_dict()
            report_folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory())) / "plan"
            write_plan_report(result, plan_document, report_folder)
        payload = _store_plan(
            record, document, consultation, plan_document, report_folder, clinic, database_url
        )

    def render(result: dict) -> None:
        verb = "new patient" if result["patient_created"] else "patient"
        _console().print(
            f"Stored plan {result['plan_id']} for {verb} {result['patient']}: "
            f"{', '.join(a.replace('_', ' ') for a in result['areas'])}"
            f"{'' if result['report'] else ' (no report file beside the plan)'}.",
            highlight=False,
            markup=False,
        )

    emit(payload, as_json, render)


def _store_plan(
    record,
    document: dict,
    consultation: Path,
    plan_document: dict,
    report_folder: Path | None,
    clinic: str | None,
    database_url: str | None,
) -> dict[str, Any]:
    """Store the patient, consultation and plan; then the report files (see ReportStore)."""
    from dermalase import records

    first = record.start_date or datetime.date.today()
    with _database(database_url) as database, database.session() as session:
        clinic_id = _clinic(session, clinic)
        history = {
            key: value
            for key, value in record.history.model_dump().items()
            if value not in (None, False)
        }
        try:
            patient = records.find_patient(session, clinic_id, record.patient)
            created = False
            # a newer consultation is the newer word on skin type and history (logged)
            records.update_patient(
                session,
                clinic_id,
                patient.id,
                _actor(),
                skin_type=record.skin_type,
                history=history,
            )
        except records.RecordNotFoundError:
            patient = records.add_patient(
                session,
                clinic_id,
                record.patient,
                first.year - record.age,
                record.skin_type,
                history,
                _actor(),
            )
            created = True
        stored = records.add_consultation(
            session, clinic_id, patient.id, document, consultation.name, _actor()
        )
        saved = records.add_plan(session, clinic_id, stored.id, plan_document, _actor())
        # the report goes in before the plan's row commits: a crash leaves an orphan folder
        # (removed by `records check --repair`), never a plan whose report is half there
        has_report = report_folder is not None and database.reports.put(
            clinic_id, saved.id, report_folder
        )
        return {
            "plan_id": saved.id,
            "patient": patient.identifier,
            "patient_created": created,
            "areas": [area["area"] for area in plan_document["areas"]],
            "course": plan_document.get("course", {}),
            "report": has_report,
        }


def _read_plan(path: Path, record) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise InputError("--plan", str(path), "a readable plan.json file") from None
    except json.JSONDecodeError as error:
        raise InputError("--plan", f"{path} (line {error.lineno})", "valid JSON") from None
    identifier = (
        (document.get("patient") or {}).get("identifier") if isinstance(document, dict) else None
    )
    if identifier and identifier != record.patient:
        raise InputError(
            "--plan", f"a plan for patient {identifier}", f"a plan for {record.patient}"
        )
    return document


# ------------------------------------------------------------------ sessions


@session_app.command("record")
def session_record(
    plan_id: int = typer.Argument(..., help="The stored plan the session followed."),
    date: str = typer.Option(None, help="Day of the session, YYYY-MM-DD (default: today)."),
    set_: list[str] = typer.Option(
        [],
        "--set",
        help="What differed from the plan, AREA.FIELD=VALUE in the plan's keys and units, "
        "e.g. full_face.fluence=3.5J/cm2 (repeatable).",
    ),
    operator: str = typer.Option(None, help="Who fired the laser (default: $DERMALASE_OPERATOR)."),
    eye_protection_checked: bool = typer.Option(
        False, "--eye-protection-checked", help="Eye protection was checked before firing."
    ),
    adverse_event: list[str] = typer.Option([], help="An adverse event (repeatable)."),
    anaesthesia: str = typer.Option(None, help="Anaesthesia given (default: the plan's)."),
    notes: str = typer.Option("", help="Free text."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Record a session: the plan's settings unless --set says otherwise, and its prediction."""
    json_mode(as_json)
    from dermalase import records
    from dermalase.records.delivery import delivered_areas, parse_overrides

    day = _date(date, "--date") or datetime.date.today()
    overrides = parse_overrides(set_)
    with _database(database_url) as database:
        with database.session() as session:
            clinic_id = _clinic(session, clinic)
            document = records.get_plan(session, clinic_id, plan_id).document
        # the forward model runs outside the write transaction (it takes a second)
        areas, recovery = delivered_areas(document, overrides, anaesthesia)
        with database.session() as session:
            treatment = records.add_session(
                session,
                clinic_id,
                plan_id,
                session_date=day,
                operator=_operator(operator),
                eye_protection_checked=eye_protection_checked,
                areas=areas,
                recovery=recovery,
                actor=_actor(),
                adverse_events=adverse_event,
                notes=notes,
            )
            payload = {
                "session_id": treatment.id,
                "plan_id": plan_id,
                "date": day.isoformat(),
                "eye_protection_checked": eye_protection_checked,
                "areas": [
                    {
                        "area": area.area,
                        "settings": area.settings,
                        "deviation": area.deviation,
                        "predicted": area.predicted,
                    }
                    for area in areas
                ],
                "recovery": recovery,
            }
    emit(payload, as_json, _render_session)


def _setting_change(key: str, change: dict) -> str:
    """``"fluence 4.052 -> 4.5 J/cm²"``: a changed setting as a physician reads it."""
    from dermalase.units import QUANTITIES, clinical_key

    for name, quantity in QUANTITIES.items():
        if clinical_key(name) == key:
            return (
                f"{name.replace('_', ' ')} {change['planned']:g} -> {change['delivered']:g} "
                f"{quantity.clinical_unit}"
            )
    return f"{key.replace('_', ' ')} {change['planned']} -> {change['delivered']}"


def _render_session(result: dict) -> None:
    console = _console()
    console.print(
        f"Recorded session {result['session_id']} on {result['date']} (plan {result['plan_id']}).",
        highlight=False,
    )
    for area in result["areas"]:
        predicted = area["predicted"]
        changed = ", ".join(_setting_change(key, value) for key, value in area["deviation"].items())
        console.print(
            f"  {area['area'].replace('_', ' ')}: {changed or 'as planned'}; predicted "
            f"ablation {predicted['ablation_depth_um']:g} µm, coagulation "
            f"{predicted['coagulation_depth_um']:g} µm",
            highlight=False,
            markup=False,
        )
    recovery = result["recovery"]
    console.print(
        f"Predicted: re-epithelialised by day {recovery['reepithelialized_day']}, redness "
        f"about {recovery['erythema_weeks']:g} weeks.",
        highlight=False,
    )
    if not result["eye_protection_checked"]:
        console.print(
            "WARNING: eye protection was not recorded as checked (--eye-protection-checked).",
            highlight=False,
        )


# ------------------------------------------------------------------ diary


def _store_photo(
    database,
    session,
    clinic_id: int,
    entry_id: int,
    data: bytes,
    view: str,
    area: str | None,
    region: list[int] | None,
    reference: list[int] | None,
) -> dict[str, Any]:
    """Record a photo of a diary day (:func:`dermalase.records.record_photo`)."""
    from dermalase import records

    photo, reading = records.record_photo(
        session,
        database.photos,
        clinic_id,
        entry_id,
        data,
        view=view,
        actor=_actor(),
        area=area,
        region=region,
        reference_region=reference,
    )
    return {
        "photo_id": photo.id,
        "view": view,
        "sha256": photo.sha256,
        "image_width_px": photo.width_px,
        "image_height_px": photo.height_px,
        "file_size_bytes": photo.byte_size,
        "erythema_a_star": round(reading.a_star, 2),
        "erythema_log_index": round(reading.log_index, 2),
        "referenced": reading.referenced,
    }


def _day(session_date: datetime.date, day: int | None, date: str | None) -> int:
    if (day is None) == (date is None):
        raise InputError("--day", "both or neither of --day and --date", "give one of them")
    if day is not None:
        return day
    when = _date(date, "--date")
    assert when is not None
    offset = (when - session_date).days
    if offset < 0:
        raise InputError("--date", date, f"on or after the session's day, {session_date}")
    return offset


@diary_app.command("add")
def diary_add(
    session_id: int = typer.Argument(..., help="The session the diary belongs to."),
    day: int = typer.Option(None, help="Day after the session (0: the session's day)."),
    date: str = typer.Option(None, help="Or the date of the entry, YYYY-MM-DD."),
    phase: str = typer.Option(
        ..., help="Phase seen: redness, bronzing, dryness, flaking/peeling or new skin."
    ),
    pain: int = typer.Option(None, help="Pain, 0 (none) to 10 (worst imaginable)."),
    crusting: bool = typer.Option(False, "--crusting", help="Crusting seen."),
    oozing: bool = typer.Option(False, "--oozing", help="Oozing seen."),
    makeup: bool = typer.Option(None, "--makeup/--no-makeup", help="Make-up was possible."),
    red: bool = typer.Option(None, "--red/--not-red", help="The skin is still red or pink."),
    notes: str = typer.Option("", help="Free text."),
    photo: Path = typer.Option(None, help="A photo of the day (JPEG, PNG or WebP, <= 25 MB)."),
    view: str = typer.Option(
        "frontal", help="View of the photo: frontal, left_oblique, right_oblique, close_up."
    ),
    area: str = typer.Option(None, help="Area a close-up shows."),
    region: str = typer.Option(None, help="Skin region for redness, LEFT,TOP,RIGHT,BOTTOM [px]."),
    reference: str = typer.Option(
        None, help="White reference patch in the photo, LEFT,TOP,RIGHT,BOTTOM [px]."
    ),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add a diary day to a session, with an optional photo."""
    json_mode(as_json)
    from dermalase import records

    data = _read_photo(photo) if photo is not None else None
    boxes = _region(region, "--region"), _region(reference, "--reference")
    with _database(database_url) as database, database.session() as session:
        clinic_id = _clinic(session, clinic)
        treatment = records.get_session(session, clinic_id, session_id)
        offset = _day(treatment.session_date, day, date)
        entry = records.add_diary_entry(
            session,
            clinic_id,
            session_id,
            day=offset,
            phase=phase,
            pain=pain,
            crusting=crusting,
            oozing=oozing,
            makeup_possible=makeup,
            erythema_present=red,
            notes=notes,
            actor=_actor(),
        )
        payload: dict[str, Any] = {
            "session_id": session_id,
            "day": offset,
            "date": (treatment.session_date + datetime.timedelta(days=offset)).isoformat(),
            "phase": entry.phase,
        }
        if data is not None:
            payload["photo"] = _store_photo(
                database, session, clinic_id, entry.id, data, view, area, *boxes
            )
    emit(payload, as_json, _render_diary)


@diary_app.command("photo")
def diary_photo(
    session_id: int = typer.Argument(..., help="The session the diary belongs to."),
    day: int = typer.Option(..., help="Day after the session of an existing diary entry."),
    photo: Path = typer.Option(..., help="The photo (JPEG, PNG or WebP, <= 25 MB)."),
    view: str = typer.Option(
        "frontal", help="View of the photo: frontal, left_oblique, right_oblique, close_up."
    ),
    area: str = typer.Option(None, help="Area a close-up shows."),
    region: str = typer.Option(None, help="Skin region for redness, LEFT,TOP,RIGHT,BOTTOM [px]."),
    reference: str = typer.Option(
        None, help="White reference patch in the photo, LEFT,TOP,RIGHT,BOTTOM [px]."
    ),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Add another photo to an existing diary day."""
    json_mode(as_json)
    from dermalase import records

    data = _read_photo(photo)
    boxes = _region(region, "--region"), _region(reference, "--reference")
    with _database(database_url) as database, database.session() as session:
        clinic_id = _clinic(session, clinic)
        entry = records.get_diary_entry(session, clinic_id, session_id, day)
        treatment = records.get_session(session, clinic_id, session_id)
        payload = {
            "session_id": session_id,
            "day": day,
            "date": (treatment.session_date + datetime.timedelta(days=day)).isoformat(),
            "phase": entry.phase,
            "photo": _store_photo(database, session, clinic_id, entry.id, data, view, area, *boxes),
        }
    emit(payload, as_json, _render_diary)


def _render_diary(result: dict) -> None:
    text = f"Diary of session {result['session_id']}, day {result['day']} ({result['date']}): "
    text += result["phase"]
    if "photo" in result:
        photo = result["photo"]
        text += (
            f"; {photo['view'].replace('_', ' ')} photo {photo['image_width_px']} x "
            f"{photo['image_height_px']} px, redness a* {photo['erythema_a_star']:g}"
        )
        if not photo["referenced"]:
            text += " (no reference patch: comparable only under the same light)"
    _console().print(text + ".", highlight=False, markup=False)


# ------------------------------------------------------------------ views


@records_app.command("timeline")
def timeline(
    patient: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    out: Path = typer.Option(None, help="PNG to write (default: timeline-PATIENT.png)."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Predicted against observed phases day by day, with photos by day (a table and a PNG)."""
    json_mode(as_json)
    from dermalase.records.figures import timeline_png
    from dermalase.records.timeline import patient_timeline

    with _database(database_url) as database:
        with database.session(read_only=True) as session:
            clinic_id = _clinic(session, clinic)
            payload = patient_timeline(session, clinic_id, patient)
        thumbnails = {}
        for item in payload["sessions"]:
            for entry in item["diary"]:
                for photo in entry["photos"][:1]:
                    with contextlib.suppress(FileNotFoundError):
                        thumbnails[photo["photo_id"]] = database.photos.read(
                            clinic_id, photo["sha256"]
                        )
    target = out or Path(f"timeline-{_safe_name(patient)}.png")
    payload["figure"] = _write_png(target, timeline_png(payload, thumbnails))
    emit(payload, as_json, _render_timeline)


def _render_timeline(result: dict) -> None:
    console = _console()
    patient = result["patient"]
    console.print(
        f"Patient {patient['identifier']}, born {patient['birth_year']}, skin type "
        f"{patient['skin_type']}.",
        highlight=False,
        markup=False,
    )
    for item in result["sessions"]:
        predicted = {entry["day"]: entry["phase"] for entry in item["predicted"]["phases"]}
        observed = {entry["day"]: entry for entry in item["diary"]}
        table = Table(title=f"Session {item['session_id']} on {item['date']}")
        for column in ("Day", "Predicted", "Observed", "Pain", "Photos"):
            table.add_column(column, overflow="fold")
        for day in sorted(set(predicted) | set(observed)):
            entry = observed.get(day)
            photos = (
                ", ".join(p["view"].replace("_", " ") for p in entry["photos"]) if entry else ""
            )
            table.add_row(
                str(day),
                predicted.get(day, ""),
                entry["phase"] if entry else "",
                "" if not entry or entry["pain"] is None else str(entry["pain"]),
                photos,
            )
        console.print(table)
        console.print(
            f"Predicted: re-epithelialised by day {item['predicted']['reepithelialized_day']}, "
            f"redness about {item['predicted']['erythema_weeks']:g} weeks.",
            highlight=False,
        )
    for warning in result["warnings"]:
        console.print(f"WARNING: {warning}", highlight=False, markup=False)
    console.print(f"Figure: {result['figure']}", highlight=False, markup=False)


def _photos_on(timeline: dict, when: datetime.date) -> list[dict]:
    found = []
    for item in timeline["sessions"]:
        for entry in item["diary"]:
            if entry["date"] == when.isoformat():
                found.extend(entry["photos"])
    return found


@records_app.command("compare")
def compare(
    patient: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    before: str = typer.Option(..., help="Date of the 'before' photo, YYYY-MM-DD."),
    after: str = typer.Option(..., help="Date of the 'after' photo, YYYY-MM-DD."),
    view: str = typer.Option(None, help="View to compare (default: one both dates have)."),
    out: Path = typer.Option(None, help="PNG to write (default: compare-PATIENT.png)."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Before and after side by side: matching views, same size, upright."""
    json_mode(as_json)
    from dermalase.records.erythema import comparability
    from dermalase.records.figures import compare_png
    from dermalase.records.timeline import patient_timeline

    first, second = _date(before, "--before"), _date(after, "--after")
    assert first is not None and second is not None
    with _database(database_url) as database:
        with database.session(read_only=True) as session:
            clinic_id = _clinic(session, clinic)
            history = patient_timeline(session, clinic_id, patient)
        pair = _matching_pair(history, first, second, view)
        images = [database.photos.read(clinic_id, photo["sha256"]) for photo in pair]
    labels = [
        f"{label}: {when} ({photo['view'].replace('_', ' ')})"
        for label, when, photo in zip(("Before", "After"), (first, second), pair, strict=True)
    ]
    target = out or Path(f"compare-{_safe_name(patient)}.png")
    figure = _write_png(target, compare_png(images[0], images[1], labels[0], labels[1]))
    payload = {
        "patient": patient,
        "before": {"date": first.isoformat(), **pair[0]},
        "after": {"date": second.isoformat(), **pair[1]},
        "warnings": comparability(
            [photo["view"] for photo in pair], [photo["referenced"] for photo in pair]
        ),
        "figure": figure,
    }

    def render(result: dict) -> None:
        console = _console()
        console.print(
            f"Before {result['before']['date']} and after {result['after']['date']}, "
            f"{result['before']['view'].replace('_', ' ')} view: {result['figure']}",
            highlight=False,
            markup=False,
        )
        for warning in result["warnings"]:
            console.print(f"WARNING: {warning}", highlight=False, markup=False)

    emit(payload, as_json, render)


def _matching_pair(history: dict, first, second, view: str | None) -> list[dict]:
    earlier, later = _photos_on(history, first), _photos_on(history, second)
    dates = sorted(
        {
            entry["date"]
            for item in history["sessions"]
            for entry in item["diary"]
            if entry["photos"]
        }
    )
    shown = ", ".join(dates) or "none"
    if not earlier:
        raise InputError("--before", first, f"a date with photos; this patient's: {shown}")
    if not later:
        raise InputError("--after", second, f"a date with photos; this patient's: {shown}")
    views = [p["view"] for p in earlier if any(q["view"] == p["view"] for q in later)]
    if view is not None:
        if view not in views:
            raise InputError(
                "--view", view, f"a view both dates have: {', '.join(views) or 'none'}"
            )
        views = [view]
    if not views:
        raise InputError(
            "--after", second, "a date with a photo of the same view as the 'before' photo"
        )
    chosen = "frontal" if "frontal" in views else views[0]
    return [
        next(p for p in earlier if p["view"] == chosen),
        next(p for p in later if p["view"] == chosen),
    ]


@records_app.command("outcomes")
def outcomes(
    out: Path = typer.Option(None, help="Scatter plot PNG to write (default: outcomes.png)."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Predicted against observed healing and redness over every recorded session."""
    json_mode(as_json)
    from dermalase.records.figures import outcomes_png
    from dermalase.records.timeline import outcome_summary

    with _database(database_url) as database, database.session(read_only=True) as session:
        clinic_id = _clinic(session, clinic)
        payload = outcome_summary(session, clinic_id)
    payload["figure"] = _write_png(out or Path("outcomes.png"), outcomes_png(payload))

    def render(result: dict) -> None:
        console = _console()
        table = Table(title="Predicted against observed (days)")
        for column in ("", "Sessions", "Mean error", "Mean absolute error"):
            table.add_column(column, overflow="fold")
        for key, label in (
            ("reepithelialization", "Re-epithelialisation"),
            ("erythema", "Redness"),
        ):
            row = result["summary"][key]
            table.add_row(
                label,
                str(row["sessions"]),
                "-" if row["mean_error_days"] is None else f"{row['mean_error_days']:+.2f}",
                "-"
                if row["mean_absolute_error_days"] is None
                else f"{row['mean_absolute_error_days']:.2f}",
            )
        console.print(table)
        console.print(f"Figure: {result['figure']}", highlight=False, markup=False)

    emit(payload, as_json, render)


@records_app.command("redness")
def redness(
    patient: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    session_id: int = typer.Option(None, "--session", help="Session (default: the latest)."),
    view: str = typer.Option("frontal", help="View whose photos are compared."),
    out: Path = typer.Option(None, help="PNG to write (default: redness-PATIENT.png)."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Redness (erythema index a*) of the photos over days, against the predicted erythema."""
    json_mode(as_json)
    from dermalase.records.erythema import comparability
    from dermalase.records.figures import redness_png
    from dermalase.records.timeline import patient_timeline

    with _database(database_url) as database, database.session(read_only=True) as session:
        clinic_id = _clinic(session, clinic)
        history = patient_timeline(session, clinic_id, patient)
    sessions = history["sessions"]
    if session_id is not None:
        sessions = [item for item in sessions if item["session_id"] == session_id]
    if not sessions:
        raise InputError("--session", session_id, "a session of this patient")
    item = sessions[-1]
    points = [
        (entry["day"], photo)
        for entry in item["diary"]
        for photo in entry["photos"]
        if photo["erythema_a_star"] is not None
    ]
    of_view = [(day, photo) for day, photo in points if photo["view"] == view]
    warnings = comparability(
        [photo["view"] for _, photo in points], [photo["referenced"] for _, photo in of_view]
    )
    erythema_days = item["predicted"]["erythema_weeks"] * 7.0
    figure = redness_png(
        [day for day, _ in of_view],
        [photo["erythema_a_star"] for _, photo in of_view],
        erythema_days,
        f"Redness after the session of {item['date']} ({view.replace('_', ' ')} photos)",
        warnings,
    )
    payload = {
        "patient": patient,
        "session_id": item["session_id"],
        "view": view,
        "predicted": {"erythema_duration_days": round(erythema_days, 1)},
        "measured": [
            {"day": day, "erythema_a_star": round(photo["erythema_a_star"], 2)}
            for day, photo in of_view
        ],
        "warnings": warnings,
        "figure": _write_png(out or Path(f"redness-{_safe_name(patient)}.png"), figure),
    }

    def render(result: dict) -> None:
        console = _console()
        for point in result["measured"]:
            console.print(f"Day {point['day']}: a* {point['erythema_a_star']:g}", highlight=False)
        console.print(
            f"Predicted redness: {result['predicted']['erythema_duration_days']:g} days.",
            highlight=False,
        )
        for warning in result["warnings"]:
            console.print(f"WARNING: {warning}", highlight=False, markup=False)
        console.print(f"Figure: {result['figure']}", highlight=False, markup=False)

    emit(payload, as_json, render)


# ------------------------------------------------------------------ export, delete, check


@records_app.command("export")
def export(
    patient: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    format_: str = typer.Option("json", "--format", help="json (dermalase) or fhir (R4 bundle)."),
    out: Path = typer.Option(None, help="Write the export here instead of printing it."),
    embed_photos: bool = typer.Option(
        False, "--embed-photos", help="FHIR: embed the images in the Media resources."
    ),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Export a patient's record: dermalase JSON or a validated FHIR R4 bundle."""
    json_mode(as_json)
    from dermalase.records.export import export_json, fhir_bundle

    if format_ not in ("json", "fhir"):
        raise InputError("--format", format_, "json or fhir")
    with _database(database_url) as database, database.session(read_only=True) as session:
        clinic_id = _clinic(session, clinic)
        if format_ == "json":
            document = export_json(session, clinic_id, patient)
        else:
            store = database.photos if embed_photos else None
            document = fhir_bundle(session, clinic_id, patient, store)
    if out is None:
        print(json.dumps(document, indent=2))
        return
    text = json.dumps(document, indent=2)
    temporary = out.with_name(f".{out.name}.incoming")
    try:
        temporary.write_text(text, encoding="utf-8")
    except OSError:
        raise InputError("--out", str(out), "a file in an existing, writable folder") from None
    os.replace(temporary, out)
    payload = {"patient": patient, "format": format_, "file": str(out)}
    emit(payload, as_json, _render_fields("Exported"))


@records_app.command("delete")
def delete(
    patient: str = typer.Argument(..., help="The clinic's identifier of the patient."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: everything of this patient goes."),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Delete a patient and everything recorded for them, photos and reports included (logged)."""
    json_mode(as_json)
    from dermalase import records

    if not yes:
        raise InputError("--yes", "missing", "deleting a patient needs --yes")
    with _database(database_url) as database:
        with database.session() as session:
            clinic_id = _clinic(session, clinic)
            found = records.find_patient(session, clinic_id, patient)
            plan_ids = [plan.id for plan in records.list_plans(session, clinic_id, found.id)]
            hashes = records.delete_patient(session, clinic_id, found.id, _actor())
        # files go only after the deletion is committed: a crash leaves orphans, never holes
        removed = database.photos.remove(clinic_id, hashes)
        reports = database.reports.remove(clinic_id, plan_ids)
    payload = {
        "patient": patient,
        "deleted": True,
        "files_removed": removed,
        "reports_removed": reports,
    }
    emit(payload, as_json, _render_fields("Deleted"))


@records_app.command("check")
def check(
    repair: bool = typer.Option(
        False, "--repair", help="Remove orphan photo files, orphan reports, unfinished writes."
    ),
    min_age: float = typer.Option(
        600.0,
        "--min-age",
        help="Seconds a file must be old to count as orphan (a writer may be storing it).",
    ),
    clinic: str = typer.Option(None, help=CLINIC_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Check the database and the files: integrity, orphan and missing photos, orphan reports."""
    json_mode(as_json)
    from dermalase.records.integrity import check_records

    with _database(database_url) as database:
        payload = check_records(database, clinic, repair=repair, actor=_actor(), min_age=min_age)

    def render(result: dict) -> None:
        console = _console()
        console.print(
            f"Database integrity: {result['integrity']}; "
            f"{plural(result['orphan_photos'], 'orphan photo file')}, "
            f"{plural(result['orphan_reports'], 'orphan report')}, "
            f"{result['missing_photos']} missing, "
            f"{plural(result['unfinished_writes'], 'unfinished write')}"
            f"{'; repaired' if result['repaired'] else ''}.",
            highlight=False,
        )

    emit(payload, as_json, render)
    if payload["missing_photos"] or payload["integrity"] != "ok":
        # the report is printed; the exit code tells a script that the store is not whole
        raise SystemExit(1)


@records_app.command("test-card")
def test_card(
    out: Path = typer.Argument(..., help="Image file to write (.jpg or .png)."),
    redness: float = typer.Option(0.0, help="0 (calm skin) to 1 (strongly red)."),
    light: str = typer.Option("1,1,1", help="Relative red,green,blue of the light."),
    seed: int = typer.Option(0, help="Seed of the texture noise."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Write a skin-coloured test card photo (never a real patient) to try the records."""
    json_mode(as_json)
    from dermalase.records.testcard import REFERENCE_REGION, SKIN_REGION, card_image

    if not 0.0 <= redness <= 1.0:
        raise InputError("--redness", redness, "0 (calm skin) to 1 (strongly red)")
    try:
        channels = tuple(float(part) for part in light.split(","))
    except ValueError:
        channels = ()
    if len(channels) != 3 or not all(0.2 <= value <= 5.0 for value in channels):
        raise InputError("--light", light, "three factors R,G,B from 0.2 to 5, e.g. 1,0.9,0.8")
    kind = "PNG" if out.suffix.lower() == ".png" else "JPEG"
    data = card_image(redness, (channels[0], channels[1], channels[2]), seed, kind)
    payload = {
        "file": _write_png(out, data),
        "region": ",".join(map(str, SKIN_REGION)),
        "reference": ",".join(map(str, REFERENCE_REGION)),
    }
    emit(payload, as_json, _render_fields("Test card"))
