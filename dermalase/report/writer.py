"""Writing a plan's report files: all of them or none."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from dermalase.exceptions import InputError
from dermalase.report.html import render_html
from dermalase.report.pdf import render_pdf

#: The files a report consists of.
REPORT_FILES = ("plan.json", "plan.html", "plan.pdf")


def check_output_directory(out_dir: str | Path, *, force: bool = False) -> Path:
    """Refuse an output directory that cannot be written or already holds a plan.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Where the report goes; created if missing.
    force : bool
        Replace a plan already there.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        Naming ``--out``, the directory and what is wrong.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("--out", str(out), "must be a directory, not a file")
    existing = [name for name in REPORT_FILES if (out / name).exists()]
    if existing and not force:
        raise InputError(
            "--out", str(out), f"already holds {', '.join(existing)}; use --force to replace"
        )
    parent = out if out.exists() else out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError("--out", str(out), f"cannot be created ({parent} is not a directory)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("--out", str(out), f"cannot be written ({parent} is not writable)")
    return out


def write_report(
    plan: dict, figures: dict[str, bytes], out_dir: str | Path, *, force: bool = False
) -> dict[str, Path]:
    """Write ``plan.json``, ``plan.html`` and ``plan.pdf`` into ``out_dir``.

    The files are rendered into a hidden temporary directory inside
    ``out_dir`` (the same file system, so each move is one atomic rename) and
    moved in only when all three exist, so a failure leaves nothing half
    written and an earlier plan untouched.

    Parameters
    ----------
    plan : dict
        The plan object.
    figures : dict of str to bytes
        PNG bytes by figure key.
    out_dir : str or pathlib.Path
        Output directory.
    force : bool
        Replace a plan already there.

    Returns
    -------
    dict of str to pathlib.Path
        Path of each file by kind (``json``, ``html``, ``pdf``).

    Raises
    ------
    InputError
        When ``out_dir`` cannot be created or written, or already holds a
        plan and ``force`` is not set (exit code 2).
    ValueError
        When the plan holds a number JSON cannot carry (NaN, infinity);
        nothing is written.
    """
    out = check_output_directory(out_dir, force=force)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".plan-", dir=out))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError("--out", str(out), f"cannot be written ({reason})") from None
    try:
        text = json.dumps(plan, indent=2, allow_nan=False)
        (staging / "plan.json").write_text(text + "\n", encoding="utf-8")
        (staging / "plan.html").write_text(render_html(plan, figures), encoding="utf-8")
        render_pdf(plan, figures, staging / "plan.pdf")
        written = {}
        for name in REPORT_FILES:
            os.replace(staging / name, out / name)
            written[name.split(".")[1]] = out / name
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_plan_report(plan, payload: dict, out_dir, *, force=False, progress=None):
    """Render a :class:`~dermalase.clinical.planner.TreatmentPlan`'s figures and write its report.

    Parameters
    ----------
    plan : TreatmentPlan
        The plan, for its figures.
    payload : dict
        ``plan.to_dict()``, written as ``plan.json``.
    out_dir : str or pathlib.Path
        Output directory.
    force : bool
        Replace a plan already there.
    progress : callable, optional
        Called with a short description of each stage.

    Returns
    -------
    dict of str to pathlib.Path
    """
    from dermalase.report.plan_figures import plan_figures

    figures = plan_figures(plan, progress=progress)
    return write_report(payload, figures, out_dir, force=force)
