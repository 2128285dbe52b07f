"""The report files of stored plans (``plan.html``, ``plan.pdf``), kept beside the photos.

A plan's row holds its JSON; its report is a folder ``clinic-<id>/plan-<id>`` under the
report root (by default ``reports`` next to the photo store), written by the web app's plan
worker or by ``dermalase records plan``. Like a photo file, a report folder is put in place
(one rename of a finished staging folder) before its plan's row is committed or right after,
and deleted only after the deletion of its plan's row is committed, so that a crash can leave
a folder that no plan names (an orphan, which ``dermalase records check --repair`` removes),
never a half-written report. Folder names are built from integers only, so no stored text
can steer a path.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

#: The files of a report folder, in the order a reader wants them.
STORED_FILES = ("plan.html", "plan.pdf")

_PLAN_FOLDER = re.compile(r"plan-([0-9]+)")


class ReportStore:
    """Report folders of stored plans, one folder per clinic.

    Parameters
    ----------
    root : pathlib.Path
        Folder of the store (created on the first write).
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def clinic_folder(self, clinic_id: int) -> Path:
        """The folder of one clinic's reports."""
        return self.root / f"clinic-{int(clinic_id)}"

    def folder(self, clinic_id: int, plan_id: int) -> Path:
        """Where the report of plan ``plan_id`` of clinic ``clinic_id`` is (or would be) kept."""
        return self.clinic_folder(clinic_id) / f"plan-{int(plan_id)}"

    def file(self, clinic_id: int, plan_id: int, name: str) -> Path | None:
        """The path of one report file, or None when the plan has no such file."""
        if name not in STORED_FILES:
            return None
        path = self.folder(clinic_id, plan_id) / name
        return path if path.is_file() else None

    def staging(self, clinic_id: int) -> Path:
        """A new, empty folder to render a report into before :meth:`adopt` moves it in."""
        folder = self.clinic_folder(clinic_id)
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))

    def adopt(self, clinic_id: int, plan_id: int, staging: Path) -> Path:
        """Move a finished staging folder in as the report of ``plan_id`` (one rename).

        A folder already there (an orphan of an earlier database with the same plan
        number) is replaced.
        """
        target = self.folder(clinic_id, plan_id)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        Path(staging).replace(target)
        return target

    def put(self, clinic_id: int, plan_id: int, source: Path) -> bool:
        """Copy the report files found in ``source`` in as the report of ``plan_id``.

        Returns
        -------
        bool
            Whether there was a report to copy (both :data:`STORED_FILES` in ``source``).
        """
        source = Path(source)
        if not all((source / name).is_file() for name in STORED_FILES):
            return False
        staging = self.staging(clinic_id)
        try:
            for name in STORED_FILES:
                shutil.copyfile(source / name, staging / name)
            self.adopt(clinic_id, plan_id, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return True

    def stored(self, clinic_id: int) -> set[int]:
        """The plan ids that have a report folder in this clinic."""
        folder = self.clinic_folder(clinic_id)
        if not folder.is_dir():
            return set()
        found = (_PLAN_FOLDER.fullmatch(item.name) for item in folder.iterdir())
        return {int(match.group(1)) for match in found if match}

    def leftovers(self, clinic_id: int | None = None, min_age: float = 0.0) -> list[Path]:
        """Staging folders never moved in (a crash, a failed plan), at least ``min_age`` [s] old.

        Of one clinic, or of every clinic when ``clinic_id`` is None.
        """
        pattern = f"{self.clinic_folder(clinic_id).name if clinic_id is not None else 'clinic-*'}"
        now = time.time()
        found = []
        for path in sorted(self.root.glob(f"{pattern}/.incoming-*")):
            with contextlib.suppress(FileNotFoundError):
                if now - path.stat().st_mtime >= min_age:
                    found.append(path)
        return found

    def remove(self, clinic_id: int, plan_ids: Iterable[int]) -> int:
        """Delete the report folders of ``plan_ids`` (after their rows' deletion is committed).

        Returns
        -------
        int
            How many folders were deleted.
        """
        removed = 0
        for plan_id in plan_ids:
            target = self.folder(clinic_id, plan_id)
            if target.is_dir():
                shutil.rmtree(target)
                removed += 1
        return removed
