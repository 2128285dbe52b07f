"""A plan directory is swapped in whole: after a kill it holds all the old set or all the new.

The kill test runs the real command, ``dermalase plan … --out D --force``, over a directory
holding an earlier plan, and SIGKILLs it at 30 instants: 20 spread evenly over the measured
run time and 10 keyed to file events seen from outside (each report file appearing in the
staging directory, the swap). Every outcome must be byte-for-byte the earlier set, or the
complete new set: plan.json equal to an uninterrupted run's but for its creation time, the
page showing that same time, and a complete PDF.
"""

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dermalase.exceptions import InputError
from dermalase.report import writer
from dermalase.report.writer import REPORT_FILES, check_output_directory, clean_stale_siblings

EXAMPLE = Path(__file__).parents[2] / "examples" / "microlaserpeel_texture.toml"
OLD_CREATED = "2000-01-01T00:00:00+00:00"


def plan_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "dermalase", "plan", str(EXAMPLE), "--out", str(out), "--force"]


def read_set(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.fixture(scope="module")
def known_sets(tmp_path_factory):
    """The reference new set (one uninterrupted run, timed) and an earlier set."""
    out = tmp_path_factory.mktemp("reference") / "plan"
    started = time.perf_counter()
    subprocess.run(plan_command(out), check=True, capture_output=True)
    seconds = time.perf_counter() - started
    new = read_set(out)
    created = json.loads(new["plan.json"])["created"]
    old = {
        "plan.json": new["plan.json"].replace(created.encode(), OLD_CREATED.encode()),
        "plan.html": new["plan.html"].replace(created.encode(), OLD_CREATED.encode()),
        "plan.pdf": new["plan.pdf"],
    }
    return old, new, created, seconds


def outcome(folder: Path, known_sets) -> str:
    """'old' or 'new'; fails on anything else (a mixed, partial or missing set)."""
    old, new, created, _ = known_sets
    assert folder.is_dir(), "the plan directory is gone"
    found = read_set(folder)
    if found == old:
        return "old"
    assert sorted(found) == sorted(REPORT_FILES), f"not a whole set: {sorted(found)}"
    plan = json.loads(found["plan.json"])
    assert plan["created"] != OLD_CREATED, "an earlier plan.json beside newer files"
    reference = json.loads(new["plan.json"])
    assert {**plan, "created": None} == {**reference, "created": None}
    page = new["plan.html"].replace(created.encode(), plan["created"].encode())
    assert found["plan.html"] == page, "the page is not the one of this plan.json"
    assert found["plan.pdf"] != old["plan.pdf"], "an earlier PDF beside a newer plan"
    assert found["plan.pdf"].startswith(b"%PDF") and found["plan.pdf"].rstrip().endswith(b"%%EOF")
    return "new"


def staging_entries(parent: Path) -> set[str]:
    """Names inside this run's staging directory (empty when there is none)."""
    names: set[str] = set()
    for entry in os.scandir(parent):
        if f".{writer.STAGING_MARK}-" in entry.name:
            try:
                names.update(os.listdir(entry.path))
            except OSError:
                pass
    return names


def swapped(parent: Path, old: dict) -> bool:
    try:
        return (parent / "plan" / "plan.json").read_bytes() != old["plan.json"]
    except OSError:
        return True


def kill_at(instant, folder: Path, known_sets) -> tuple[str, bool]:
    """Run the command over an earlier plan, SIGKILL it at ``instant``; return the outcome."""
    old = known_sets[0]
    out = folder / "plan"
    out.mkdir(parents=True)
    for name, data in old.items():
        (out / name).write_bytes(data)
    process = subprocess.Popen(
        plan_command(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.perf_counter()
    kind, value, delay = instant
    while process.poll() is None:
        if kind == "time":
            reached = time.perf_counter() - started >= value
        elif kind == "swap":
            reached = swapped(folder, old)
        else:
            reached = value in staging_entries(folder)
        if reached:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)
    killed = process.wait() == -signal.SIGKILL
    return outcome(out, known_sets), killed


@pytest.mark.slow  # about 50 s: 30 real plan runs killed; CI runs it in its own step
def test_a_kill_at_any_instant_leaves_the_old_or_the_new_set(known_sets, tmp_path):
    seconds = known_sets[3]
    instants = [("time", seconds * (i + 0.5) / 20, 0.0) for i in range(20)]
    instants += [("file", name, delay) for name in REPORT_FILES for delay in (0.0, 0.003)]
    instants += [("file", "plan.pdf", 0.03), ("file", "plan.html", 0.01)]
    instants += [("swap", None, 0.0), ("swap", None, 0.002)]
    assert len(instants) == 30
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda item: kill_at(item[1], tmp_path / f"run{item[0]}", known_sets),
                enumerate(instants),
            )
        )
    outcomes = [result for result, _ in results]
    assert set(outcomes) == {"old", "new"}  # kills landed on both sides of the swap
    assert sum(killed for _, killed in results) >= 20  # most runs were killed, not finished
    # the next run cleans what the killed runs left beside their targets
    for index in range(len(instants)):
        clean_stale_siblings(tmp_path / f"run{index}" / "plan")
        assert sorted(p.name for p in (tmp_path / f"run{index}").iterdir()) == ["plan"]


def test_plan_json_that_is_a_directory_is_refused_and_nothing_is_lost(tmp_path):
    out = tmp_path / "plan"
    (out / "plan.json").mkdir(parents=True)
    (out / "plan.json" / "keep").write_text("kept")
    with pytest.raises(InputError, match=r"plan\.json is not valid; is a directory"):
        check_output_directory(out, force=True)
    assert (out / "plan.json" / "keep").read_text() == "kept"


@pytest.mark.parametrize("name", ["", " "])
def test_an_empty_out_is_an_error(name):
    with pytest.raises(InputError, match="must name a directory"):
        check_output_directory(name)


def test_the_current_directory_or_above_is_refused(tmp_path, monkeypatch):
    (tmp_path / "inner").mkdir()
    monkeypatch.chdir(tmp_path / "inner")
    for out in (".", "..", str(tmp_path), "/"):
        with pytest.raises(InputError, match="current directory"):
            check_output_directory(out, force=True)


def test_a_directory_holding_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("a clinic's own file")
    with pytest.raises(InputError, match="holds other files"):
        check_output_directory(tmp_path, force=True)


def fake_set(folder: Path, label: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in REPORT_FILES:
        (folder / name).write_text(f"{label} {name}")


def test_a_stale_staging_directory_is_cleaned_and_a_live_one_kept(tmp_path):
    target = tmp_path / "plan"
    fake_set(target, "old")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    prefix = writer._sibling_prefix(target, writer.STAGING_MARK)
    stale = tmp_path / prefix.replace(f"-{os.getpid()}-", f"-{dead.pid}-").__add__("x1")
    live = tmp_path / f"{prefix}x2"
    fake_set(stale, "half")
    fake_set(live, "ours")
    assert clean_stale_siblings(target) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["plan", live.name])


def test_the_fallback_swap_restores_an_earlier_plan_lost_between_its_renames(tmp_path, monkeypatch):
    """Without renameat2: a kill between the two renames leaves the plan at a sibling."""
    target = tmp_path / "plan"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    prefix = writer._sibling_prefix(target, writer.PREVIOUS_MARK)
    previous = tmp_path / (prefix.replace(f"-{os.getpid()}-", f"-{dead.pid}-") + "x1")
    fake_set(previous, "old")  # the state right after the first rename
    clean_stale_siblings(target)
    assert read_set(target) == {name: f"old {name}".encode() for name in REPORT_FILES}
    # and the fallback itself swaps a whole set
    monkeypatch.setattr(writer, "_exchange", lambda *_: False)
    staging = tmp_path / "staging"
    fake_set(staging, "new")
    writer._swap_in(staging, target)
    assert read_set(target) == {name: f"new {name}".encode() for name in REPORT_FILES}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
