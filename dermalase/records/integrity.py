"""Is the record store whole? The database's own check; photo and report files against the rows.

A photo file is written before its row is committed and deleted after its row's deletion
is committed (:mod:`dermalase.records.photos`), so a crash can leave a file that no row
names (an orphan) or a temporary file of an unfinished write, never a row without its
file. :func:`check_records` finds all three kinds and, asked to repair, removes orphans
and unfinished writes that are older than ``min_age`` (a younger one may belong to a
writer that is about to commit).
"""

from __future__ import annotations

import shutil
import time
from typing import Any

from sqlalchemy import select, text

from dermalase.records.clinics import audit, find_clinic, list_clinics
from dermalase.records.database import Database
from dermalase.records.healing import photo_hashes
from dermalase.records.schema import Plan


def database_integrity(database: Database) -> str:
    """``"ok"``, or the first problem SQLite's integrity and foreign-key checks report.

    PostgreSQL enforces its constraints and checksums itself: ``"ok"`` once it answers.
    """
    with database.engine.connect() as connection:
        if not database.is_sqlite:
            connection.execute(text("SELECT 1"))
            return "ok"
        result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        if result != "ok":
            return str(result)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            return f"row {broken[1]} of {broken[0]} names a missing {broken[2]}"
    return "ok"


def check_records(
    database: Database,
    clinic: str | None = None,
    *,
    repair: bool = False,
    actor: str = "check",
    min_age: float = 600.0,
) -> dict[str, Any]:
    """Check the database and every clinic's photo files (or one clinic's).

    Parameters
    ----------
    database : Database
    clinic : str or None
        Name of one clinic to check (None: all).
    repair : bool
        Remove orphan files and unfinished writes older than ``min_age``; each removal
        is logged in the clinic's audit log.
    min_age : float
        Age below which a file is left alone [s].

    Returns
    -------
    dict
        ``integrity``, and counts of ``orphan_photos``, ``missing_photos``,
        ``orphan_reports`` (report folders of plans that are gone) and ``unfinished_writes``
        (photos and reports; before any repair), ``repaired`` and ``files_removed``.
    """
    now = time.time()
    integrity = database_integrity(database)
    totals = {
        "orphan_photos": 0,
        "missing_photos": 0,
        "orphan_reports": 0,
        "unfinished_writes": 0,
        "files_removed": 0,
    }
    missing_list: list[str] = []
    with database.session() as session:
        clinics = [find_clinic(session, clinic)] if clinic else list_clinics(session)
        for item in clinics:
            named = photo_hashes(session, item.id)
            stored = database.photos.stored(item.id)
            orphans = sorted(stored - named)
            missing = sorted(named - stored)
            leftovers = database.photos.leftovers(item.id)
            plans = set(session.scalars(select(Plan.id).where(Plan.clinic_id == item.id)))
            orphan_reports = sorted(database.reports.stored(item.id) - plans)
            report_leftovers = database.reports.leftovers(item.id)
            totals["orphan_photos"] += len(orphans)
            totals["orphan_reports"] += len(orphan_reports)
            totals["unfinished_writes"] += len(report_leftovers)
            totals["missing_photos"] += len(missing)
            totals["unfinished_writes"] += len(leftovers)
            missing_list.extend(missing)
            if not repair:
                continue
            old = [
                sha
                for sha in orphans
                if now - database.photos.path(item.id, sha).stat().st_mtime >= min_age
            ]
            removed = database.photos.remove(item.id, old)
            for path in leftovers:
                if now - path.stat().st_mtime >= min_age:
                    path.unlink(missing_ok=True)
                    removed += 1
            removed += database.reports.remove(
                item.id,
                [
                    plan_id
                    for plan_id in orphan_reports
                    if now - database.reports.folder(item.id, plan_id).stat().st_mtime >= min_age
                ],
            )
            for path in database.reports.leftovers(item.id, min_age=min_age):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
            if removed:
                audit(session, item.id, actor, "repair", "photo", 0, {"files_removed": removed})
            totals["files_removed"] += removed
    return {
        "integrity": integrity,
        **totals,
        "missing": missing_list,
        "repaired": repair,
    }
