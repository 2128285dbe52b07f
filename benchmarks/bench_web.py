"""Load on the clinic web application (prints figures; asserts nothing).

Target (issue 17): 50 users browsing patient and plan pages for 30 s while 5 plans are
computed: page p95 <= 300 ms and no errors. The server is ``dermalase serve`` on
127.0.0.1 (a free port, a temporary SQLite database with 50 patients, each with a stored
plan and its report, a session and three diary days), started and stopped by this script.
Each user signs in with a session of their own and then opens a patient page, a plan page
and the plan's report frame, in turn, reading each for a moment (``--think``, 0.5-1.5 s
drawn uniformly by default, as a person at a console clicks; ``--think 0`` is the
machine-gun case that measures the server's throughput instead); one more client asks for 5 plans
(the API) at the start and polls them until they are done. The loop stops after 30 s (or
200 000 requests), whichever comes first.

    python benchmarks/bench_web.py [--users 50] [--seconds 30] [--plans 5] [--think 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password 2940nm"
EMAIL = "bench@clinic.example"
CLINIC = "Benchmark clinic"
MAX_REQUESTS = 200_000


def seed(folder: Path, patients: int) -> tuple[str, list[int], list[int], dict]:
    """A database with ``patients`` patients, each with a plan (and report), session, diary."""
    import io

    from PIL import Image

    from dermalase import records
    from dermalase.clinical import load_consultation
    from dermalase.clinical.planner import TreatmentPlanner
    from dermalase.records.delivery import delivered_areas
    from dermalase.report.plan_figures import plan_figures
    from dermalase.report.writer import write_report

    example = ROOT / "examples" / "microlaserpeel_texture.toml"
    consultation = load_consultation(example)
    plan = TreatmentPlanner().plan(consultation)
    document = plan.to_dict()
    areas, recovery = delivered_areas(document)
    report = folder / "report-template"
    write_report(document, plan_figures(plan), report)
    url = f"sqlite:///{folder / 'records.sqlite3'}"
    database = records.open_database(url)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (210, 150, 130)).save(buffer, "JPEG")
    patient_ids, plan_ids = [], []
    with database.session() as session:
        clinic = records.add_clinic(session, CLINIC, actor="bench")
        records.add_user(session, clinic.id, EMAIL, PASSWORD, "physician", "Bench", "bench")
        for number in range(patients):
            patient = records.add_patient(
                session, clinic.id, f"bench-{number:04d}", 1970 + number % 30, 2, {}, "bench"
            )
            stored = records.add_consultation(
                session, clinic.id, patient.id, consultation.to_dict(), "bench", "bench"
            )
            row = records.add_plan(session, clinic.id, stored.id, document, "bench")
            treatment = records.add_session(
                session,
                clinic.id,
                row.id,
                session_date=datetime.date(2025, 3, 3),
                operator="Bench",
                eye_protection_checked=True,
                areas=areas,
                recovery=recovery,
                actor="bench",
            )
            for day, phase in ((1, "redness"), (2, "bronzing"), (3, "flaking/peeling")):
                entry = records.add_diary_entry(
                    session, clinic.id, treatment.id, day=day, phase=phase, actor="bench"
                )
                image = database.photos.put(clinic.id, buffer.getvalue())
                records.add_photo(
                    session, clinic.id, entry.id, image, view="frontal", actor="bench"
                )
            target = folder / "reports" / f"clinic-{clinic.id}" / f"plan-{row.id}"
            shutil.copytree(report, target)
            patient_ids.append(patient.id)
            plan_ids.append(row.id)
    database.close()
    return url, patient_ids, plan_ids, consultation.to_dict()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def sign_in(client: httpx.AsyncClient) -> str:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]*)"', page.text).group(1)
    answer = await client.post(
        "/login",
        data={"clinic": CLINIC, "email": EMAIL, "password": PASSWORD, "csrf_token": token},
    )
    if answer.status_code != 303:
        raise SystemExit(f"sign-in failed: {answer.status_code}")
    return (await client.get("/api/v1/me")).json()["csrf_token"]


async def plan_jobs(base, patients, document, count, stop, durations, errors):
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        csrf = await sign_in(client)
        jobs = {}
        for number in range(count):
            answer = await client.post(
                "/api/v1/consultations",
                json={"patient_id": patients[number], "consultation": document},
                headers={"X-CSRF-Token": csrf},
            )
            if answer.status_code != 202:
                errors.append(f"consultation: {answer.status_code}")
                continue
            jobs[answer.json()["job"]] = time.monotonic()
        pending = dict(jobs)
        while pending and time.monotonic() < stop + 600:
            await asyncio.sleep(0.5)
            for job, started in list(pending.items()):
                state = (await client.get(f"/api/v1/jobs/{job}")).json()
                if state["state"] not in ("queued", "running"):
                    del pending[job]
                    if state["state"] != "done":
                        errors.append(f"plan: {state['state']}")
                    durations.append(time.monotonic() - started)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--plans", type=int, default=5)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages [s]")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        run(folder, arguments.users, arguments.seconds, arguments.plans, arguments.think)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, users: int, seconds: float, plan_count: int, think: float) -> None:
    started = time.perf_counter()
    url, patients, plans, document = seed(folder, max(users, plan_count))
    print(
        f"seeded {len(patients)} patients with plans, reports, sessions and photos "
        f"in {time.perf_counter() - started:.0f} s"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "DERMALASE_PHOTO_DIR": str(folder / "photos")}
    server = subprocess.Popen(
        [sys.executable, "-m", "dermalase", "serve", "--port", str(port), "--database-url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
        asyncio.run(measure(base, patients, plans, document, users, seconds, plan_count, think))
    finally:
        server.terminate()
        server.wait(timeout=30)


async def measure(base, patients, plans, document, users, seconds, plan_count, think):
    timings = {"patient page": [], "plan page": [], "plan report frame": []}
    errors: list[str] = []
    durations: list[float] = []
    counter = [0]
    # every user signs in first (Argon2 is slow on purpose), then the clock starts
    clients = [httpx.AsyncClient(base_url=base, timeout=30) for _ in range(users)]
    for client in clients:
        await sign_in(client)
    stop = time.monotonic() + seconds
    jobs = asyncio.create_task(
        plan_jobs(base, patients, document, plan_count, stop, durations, errors)
    )

    async def user(client: httpx.AsyncClient, seed_value: int) -> None:
        chooser = random.Random(seed_value)
        # people do not all click at the same instant: each starts within one pause
        await asyncio.sleep(chooser.uniform(0, think))
        while time.monotonic() < stop and counter[0] < MAX_REQUESTS:
            index = chooser.randrange(len(patients))
            for kind, url in (
                ("patient page", f"/patients/{patients[index]}"),
                ("plan page", f"/plans/{plans[index]}"),
                ("plan report frame", f"/plans/{plans[index]}/report"),
            ):
                began = time.perf_counter()
                try:
                    answer = await client.get(url)
                    if answer.status_code != 200:
                        errors.append(f"{kind}: {answer.status_code}")
                except httpx.HTTPError as error:
                    errors.append(f"{kind}: {type(error).__name__}")
                timings[kind].append(time.perf_counter() - began)
                counter[0] += 1
                if think > 0:
                    await asyncio.sleep(chooser.uniform(0.5 * think, 1.5 * think))

    began = time.monotonic()
    await asyncio.gather(*(user(client, n) for n, client in enumerate(clients)))
    window = time.monotonic() - began
    planned_in_window = len(durations)
    await jobs
    for client in clients:
        await client.aclose()
    print(
        f"{users} users for {window:.1f} s while {plan_count} plans were computed "
        f"({planned_in_window} finished inside the window); {counter[0]} requests, "
        f"{counter[0] / window:.0f} per second"
    )
    print(f"{'page':<20} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        if values:
            print(
                f"{kind:<20} {len(values):>9} {1000 * statistics.median(values):>8.0f} "
                f"{1000 * percentile(values, 0.95):>8.0f} {1000 * max(values):>8.0f}"
            )
    if durations:
        print(
            f"plans: {len(durations)} done, from request to stored report "
            f"{min(durations):.0f}-{max(durations):.0f} s (one planner process)"
        )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print("target: page p95 <= 300 ms, 0 errors")


if __name__ == "__main__":
    main()
