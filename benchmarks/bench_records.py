"""Speed of the records database (prints figures; asserts nothing).

Targets (issue 15): with 10,000 sessions and their diaries recorded, the timeline of one
patient in <= 50 ms and the outcomes table over all sessions in <= 1 s, on SQLite and on
PostgreSQL.

The sessions are recorded through the data-access layer (``add_session``, one transaction
per 100 sessions); their diary days (no photos) are inserted in bulk through the same ORM
classes, as recording them one by one would only time the insert path. Four patients in
five have four sessions; each session has diary days 0, 1, 2, 3, 5, 7 and 14.

    python benchmarks/bench_records.py                     # SQLite in a temporary folder
    python benchmarks/bench_records.py --postgres-url URL  # and PostgreSQL (a fresh schema)
"""

import argparse
import datetime
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dermalase import records
from dermalase.records.schema import DiaryEntry
from dermalase.records.timeline import outcome_summary, patient_timeline
from dermalase.records.treatments import AreaDelivery

SESSIONS = 10_000
SESSIONS_PER_PATIENT = 4
DIARY_DAYS = (0, 1, 2, 3, 5, 7, 14)
PHASES = ("redness", "bronzing", "dryness", "new skin", "new skin", "new skin", "new skin")

PLAN = {
    "dermalase_version": "0.1.0",
    "models": {"recovery": "healing_bands"},
    "areas": [
        {
            "area": "full_face",
            "modality": "full_field",
            "device": "tunable_er_yag",
            "settings": {
                "fluence_j_cm2": 4.05,
                "pulses": 1,
                "passes": 1,
                "coverage_percent": 100.0,
                "spot_diameter_um": 4000.0,
                "repetition_rate_hz": 10.0,
            },
            "predicted": {"ablation_depth_um": 24.9, "coagulation_depth_um": 10.1},
        }
    ],
    "recovery": {"reepithelialized_day": 3, "erythema_weeks": 2.0},
}


def fill(database) -> tuple[int, str, float]:
    area = PLAN["areas"][0]
    delivery = [
        AreaDelivery(
            area=area["area"],
            device=area["device"],
            modality=area["modality"],
            settings=area["settings"],
            deviation={},
            anaesthesia="topical",
            predicted=area["predicted"],
        )
    ]
    start = time.perf_counter()
    with database.session() as session:
        clinic = records.default_clinic(session, "bench").id
    made = 0
    patient_number = 0
    while made < SESSIONS:
        with database.session() as session:
            for _ in range(100 // SESSIONS_PER_PATIENT):
                identifier = f"bench-{patient_number:05d}"
                patient_number += 1
                patient = records.add_patient(session, clinic, identifier, 1970, 2, {}, "bench")
                consultation = records.add_consultation(
                    session, clinic, patient.id, {"patient": identifier}, "bench.toml", "bench"
                )
                plan = records.add_plan(session, clinic, consultation.id, PLAN, "bench")
                entries = []
                for number in range(SESSIONS_PER_PATIENT):
                    treatment = records.add_session(
                        session,
                        clinic,
                        plan.id,
                        session_date=datetime.date(2025, 1, 6)
                        + datetime.timedelta(weeks=6 * number),
                        operator="bench",
                        eye_protection_checked=True,
                        areas=delivery,
                        recovery=PLAN["recovery"],
                        actor="bench",
                    )
                    entries.extend(
                        DiaryEntry(
                            clinic_id=clinic,
                            session_id=treatment.id,
                            day=day,
                            phase=phase,
                            pain=max(0, 4 - day),
                            erythema_present=day < 14,
                            notes="",
                        )
                        for day, phase in zip(DIARY_DAYS, PHASES, strict=True)
                    )
                    made += 1
                session.add_all(entries)
    return clinic, "bench-00042", time.perf_counter() - start


def timed(function, repeats):
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        function()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), min(times)


def bench(label: str, url: str, photos: Path) -> None:
    database = records.open_database(url, photo_directory=photos)
    clinic, patient, filling = fill(database)

    def timeline():
        with database.session(read_only=True) as session:
            return patient_timeline(session, clinic, patient)

    def outcomes():
        with database.session(read_only=True) as session:
            return outcome_summary(session, clinic)

    assert len(timeline()["sessions"]) == SESSIONS_PER_PATIENT
    assert len(outcomes()["sessions"]) == SESSIONS
    timeline_median, timeline_best = timed(timeline, 30)
    outcomes_median, outcomes_best = timed(outcomes, 5)
    print(f"{label}: {SESSIONS} sessions, {SESSIONS * len(DIARY_DAYS)} diary days")
    print(f"  recorded in {filling:.1f} s ({SESSIONS / filling:.0f} sessions/s)")
    print(
        f"  timeline of one patient: median {timeline_median * 1e3:.1f} ms, "
        f"best {timeline_best * 1e3:.1f} ms (target <= 50 ms)"
    )
    print(
        f"  outcomes over all sessions: median {outcomes_median * 1e3:.0f} ms, "
        f"best {outcomes_best * 1e3:.0f} ms (target <= 1000 ms)"
    )
    database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", help="postgresql+psycopg://... of a test server")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", Path(folder) / "photos")
        if options.postgres_url:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            engine = create_engine(options.postgres_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = make_url(options.postgres_url).update_query_dict(
                {"options": f"-csearch_path={schema}"}
            )
            try:
                bench(
                    "PostgreSQL",
                    url.render_as_string(hide_password=False),
                    Path(folder) / "photos",
                )
            finally:
                with engine.connect() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                engine.dispose()


if __name__ == "__main__":
    main()
