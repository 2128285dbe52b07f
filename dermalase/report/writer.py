"""Writing a plan's report files: the whole set or nothing, swapped in as one directory.

A plan directory holds ``plan.json``, ``plan.html`` and ``plan.pdf`` and nothing else. The
set is written into a staging directory beside the target (``.NAME.<digest>.plan-staging-
<pid>-<random>``, on the same file system) and swapped in by one rename of the directory:

- a new or empty target is replaced by ``rename(2)``, which is atomic;
- a target holding an earlier plan (``--force``) is exchanged with the staging directory in
  one system call (Linux ``renameat2`` with ``RENAME_EXCHANGE``), after which the staging
  name holds the earlier plan and is removed. Where the exchange is not available, the
  earlier plan is first renamed to a sibling ``.NAME.<digest>.plan-previous-<pid>-...`` and
  kept there until the new directory is in place.

A process killed at any instant therefore leaves the target with the complete earlier set
or the complete new set (with the fallback, the earlier set may be left at its sibling name,
and the next run puts it back). Staging and previous siblings left by a process that no
longer runs are cleaned on the next run into the same target.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from dermalase.exceptions import InputError
from dermalase.reading import shown
from dermalase.report.html import render_html
from dermalase.report.pdf import render_pdf

#: The files a report consists of.
REPORT_FILES = ("plan.json", "plan.html", "plan.pdf")

#: Marks of the siblings a write leaves while it runs.
STAGING_MARK = "plan-staging"
PREVIOUS_MARK = "plan-previous"

# Left over inside a plan directory by writers before the directory swap.
_INNER_STAGING_PREFIX = ".plan-"


def check_output_directory(out_dir: str | os.PathLike, *, force: bool = False) -> Path:
    """Refuse an output directory that cannot hold the plan or already holds one.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Where the report goes: a new directory, an empty one, or (with ``force``) one that
        holds an earlier plan and nothing else; it is replaced as a whole.
    force : bool
        Replace a plan already there.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        Naming ``--out``, the directory and what is wrong: an empty name, the current
        directory or one above it, a file, a directory holding other files, a plan file
        that is not a regular file (a directory named ``plan.json``), an earlier plan
        without ``force``, or a place that cannot be written.
    """
    text = os.fspath(out_dir)
    if not str(text).strip():
        raise InputError("--out", repr(text), "must name a directory for the plan")
    out = Path(out_dir)
    target = _real(out)
    here = _real(Path.cwd())
    if target == here or target in here.parents:
        raise InputError(
            "--out",
            shown(out),
            "is the current directory or one above it; the plan directory is replaced as a "
            "whole, so name a new directory for it",
        )
    try:
        entries = list(os.scandir(target))
    except FileNotFoundError:
        entries = None
    except NotADirectoryError:
        raise InputError("--out", shown(out), "must be a directory, not a file") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError("--out", shown(out), f"cannot be used ({reason})") from None
    if entries is not None:
        _check_plan_entries(out, entries, force)
        if not os.access(target, os.W_OK | os.X_OK):
            raise InputError("--out", shown(out), f"cannot be written ({target} is not writable)")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError("--out", shown(out), f"cannot be created ({parent} is not a directory)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("--out", shown(out), f"cannot be written ({parent} is not writable)")
    return out


def _check_plan_entries(out: Path, entries: list[os.DirEntry], force: bool) -> None:
    """Refuse a directory that holds anything but an earlier plan, or a plan without force."""
    others = sorted(
        entry.name
        for entry in entries
        if entry.name not in REPORT_FILES and not entry.name.startswith(_INNER_STAGING_PREFIX)
    )
    if others:
        listed = ", ".join(shown(name, 40) for name in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        raise InputError(
            "--out",
            shown(out),
            f"holds other files ({listed}{more}); a plan directory holds only "
            f"{', '.join(REPORT_FILES)} and is replaced as a whole: name a new or empty one",
        )
    for entry in entries:
        if entry.name in REPORT_FILES and not entry.is_file(follow_symlinks=False):
            kind = "a directory" if entry.is_dir(follow_symlinks=False) else "not a regular file"
            raise InputError(
                "--out",
                shown(out / entry.name),
                f"is {kind}, not a plan file; nothing was replaced",
            )
    existing = [name for name in REPORT_FILES if any(e.name == name for e in entries)]
    if existing and not force:
        raise InputError(
            "--out", shown(out), f"already holds {', '.join(existing)}; use --force to replace"
        )


def write_report(
    plan: dict, figures: dict[str, bytes], out_dir: str | os.PathLike, *, force: bool = False
) -> dict[str, Path]:
    """Write ``plan.json``, ``plan.html`` and ``plan.pdf`` as one directory ``out_dir``.

    The three files are rendered into a staging directory beside ``out_dir`` and swapped
    in by one rename (see the module notes), so a failure or a kill at any instant leaves
    ``out_dir`` with the complete earlier plan or the complete new one.

    Parameters
    ----------
    plan : dict
        The plan object.
    figures : dict of str to bytes
        PNG bytes by figure key.
    out_dir : str or os.PathLike
        The plan directory (see :func:`check_output_directory`).
    force : bool
        Replace a plan already there.

    Returns
    -------
    dict of str to pathlib.Path
        Path of each file by kind (``json``, ``html``, ``pdf``).

    Raises
    ------
    InputError
        When ``out_dir`` cannot hold the plan (:func:`check_output_directory`) or cannot be
        written (exit code 2).
    ValueError
        When the plan holds a number JSON cannot carry (NaN, infinity); nothing is written.
    """
    out = check_output_directory(out_dir, force=force)
    text = json.dumps(plan, indent=2, allow_nan=False)
    target = _real(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_siblings(target)
        staging = Path(
            tempfile.mkdtemp(prefix=_sibling_prefix(target, STAGING_MARK), dir=target.parent)
        )
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError("--out", shown(out), f"cannot be written ({reason})") from None
    try:
        _write_durably(staging / "plan.json", (text + "\n").encode("utf-8"))
        _write_durably(staging / "plan.html", render_html(plan, figures).encode("utf-8"))
        render_pdf(plan, figures, staging / "plan.pdf")
        _sync(staging / "plan.pdf")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a plan is not
        _sync(staging)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {name.split(".")[1]: out / name for name in REPORT_FILES}


def clean_stale_siblings(target: str | os.PathLike) -> list[Path]:
    """Remove what killed writes into ``target`` left beside it; restore a lost plan.

    A staging or previous sibling whose process no longer runs is removed, except that a
    previous plan whose target is missing (a kill between the two renames of the fallback
    swap) is renamed back to the target.

    Parameters
    ----------
    target : str or os.PathLike
        The plan directory.

    Returns
    -------
    list of pathlib.Path
        The siblings removed or restored.
    """
    target = _real(Path(target))
    cleaned: list[Path] = []
    for mark in (PREVIOUS_MARK, STAGING_MARK):
        prefix = _sibling_prefix(target, mark).rsplit("-", 2)[0] + "-"
        try:
            siblings = sorted(target.parent.glob(f"{_glob_escape(prefix)}*"))
        except OSError:
            return cleaned
        for sibling in siblings:
            pid = sibling.name.removeprefix(prefix).split("-", 1)[0]
            if not pid.isdigit() or _running(int(pid)):
                continue
            if mark == PREVIOUS_MARK and not os.path.lexists(target):
                os.rename(sibling, target)
            else:
                shutil.rmtree(sibling, ignore_errors=True)
            cleaned.append(sibling)
    return cleaned


def _swap_in(staging: Path, target: Path) -> None:
    """Put the staging directory at ``target`` with one rename; remove the earlier plan."""
    try:
        os.rename(staging, target)  # a new or empty target: atomic
        _sync(target.parent)
        return
    except OSError as error:
        if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    if _exchange(staging, target):  # now the staging name holds the earlier plan
        _sync(target.parent)
        shutil.rmtree(staging, ignore_errors=True)
        return
    previous = Path(
        tempfile.mkdtemp(prefix=_sibling_prefix(target, PREVIOUS_MARK), dir=target.parent)
    )
    os.rename(target, previous)  # an empty directory is replaced
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(previous, target)
        raise
    _sync(target.parent)
    shutil.rmtree(previous, ignore_errors=True)


# renameat2(2) constants (linux/fs.h, fcntl.h)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one system call; False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28
        return False
    path, directory = ctypes.c_char_p, ctypes.c_int
    renameat2.argtypes = [directory, path, directory, path, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(second))


def _sibling_prefix(target: Path, mark: str) -> str:
    """Name prefix of this process's staging or previous sibling of ``target``.

    The target's name is cut to 64 characters and followed by a digest of the whole name,
    so a sibling name stays short and belongs to one target only.
    """
    digest = hashlib.sha256(os.fsencode(target.name)).hexdigest()[:8]
    return f".{target.name[:64]}.{digest}.{mark}-{os.getpid()}-"


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _running(pid: int) -> bool:
    """Whether a process with this id runs (this one included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _real(path: Path) -> Path:
    """Absolute path with every symbolic link resolved; no need for it to exist."""
    return Path(os.path.realpath(path))


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync(path: Path) -> None:
    """Flush a file's or directory's entry to disk where the system allows it."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


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
