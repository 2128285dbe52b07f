"""Writers in parallel and writers killed: nothing committed is lost, nothing is doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dermalase import records
from dermalase.records.integrity import check_records
from dermalase.records.schema import DiaryEntry, Photo, TreatmentSession
from tests.records.conftest import ACTOR, record_course

WRITER = Path(__file__).with_name("record_writer.py")


def _prepared(database) -> tuple[int, int]:
    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
        ids = record_course(session, clinic, "chart-1", sessions=0)
    return clinic, ids["plan"]


def _writer(url, photos, clinic, plan, tag, count, *extra) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.Popen(
        [
            sys.executable,
            str(WRITER),
            url,
            str(photos),
            str(clinic),
            str(plan),
            tag,
            str(count),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


@pytest.mark.slow
def test_four_writers_record_800_sessions_none_lost_none_doubled(database, database_url, tmp_path):
    clinic, plan = _prepared(database)
    writers = [
        _writer(database_url, tmp_path / "photos", clinic, plan, f"w{k}", 200) for k in range(4)
    ]
    for writer in writers:
        out, error = writer.communicate(timeout=300)
        assert writer.returncode == 0, error
        assert out.count("committed") == 200
    with database.session(read_only=True) as session:
        notes = list(session.scalars(select(TreatmentSession.notes)))
    assert len(notes) == 800
    assert set(notes) == {f"w{k}-{n}" for k in range(4) for n in range(200)}


@pytest.mark.slow
def test_a_writer_killed_at_random_points_loses_nothing_committed(database, database_url, tmp_path):
    """SIGKILL a writer of sessions with photos, four times, at random moments."""
    clinic, plan = _prepared(database)
    photos = tmp_path / "photos"
    chance = random.Random(15)
    committed: set[str] = set()
    start = 0
    for _ in range(4):
        writer = _writer(
            database_url, photos, clinic, plan, "k", 1000, "--start", str(start), "--with-photos"
        )
        # let it import and write for a while, then kill it wherever it is
        deadline = time.monotonic() + chance.uniform(1.5, 3.0)
        lines = []
        while time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            lines.append(line)
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=30)
        lines.extend(rest.splitlines())
        assert writer.returncode == -signal.SIGKILL
        reported = {line.split()[1] for line in lines if line.startswith("committed")}
        committed |= reported
        start += 1000
    assert len(committed) >= 4  # the writers did commit before being killed

    report = check_records(database, repair=True, min_age=0)
    assert report["integrity"] == "ok"
    assert report["missing_photos"] == 0  # never a row without its file
    with database.session(read_only=True) as session:
        stored = set(session.scalars(select(TreatmentSession.notes)))
        # every session that exists is whole: its diary day and its photo came with it
        sessions = session.scalar(select(func.count()).select_from(TreatmentSession))
        days = session.scalar(select(func.count()).select_from(DiaryEntry))
        pictures = session.scalar(select(func.count()).select_from(Photo))
    assert committed <= stored  # nothing reported committed is lost
    assert sessions == days == pictures
    after = check_records(database)
    assert (after["orphan_photos"], after["missing_photos"], after["unfinished_writes"]) == (
        0,
        0,
        0,
    )
