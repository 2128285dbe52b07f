"""Every number in the page has its unit; the writer refuses bad directories, writes all or none."""

import math
import os
import re
from html.parser import HTMLParser

import pytest

from dermalase.exceptions import InputError
from dermalase.report import render_html, write_report
from dermalase.report import writer as writer_module
from dermalase.report.html import settings_rows

#: Units (and counted nouns) a number in the report may carry, longest first.
UNITS = sorted(
    (
        "µm",
        "nm",
        "mm",
        "cm²",
        "J/cm²",
        "mJ",
        "µs",
        "Hz",
        "s",
        "min",
        "%",
        "°C",
        "per cm²",
        "years",
        "days",
        "days ago",
        "weeks",
        "months",
        "months ago",
        "pulses",
        "pulse",
        "passes",
        "pass",
        "sessions",
        "session",
        "areas",
        "area",
        "day",
        "week",
        "month",
        "spots",
        # laser safety, in SI as IEC 60825-1 states it
        "J/m²",
        "m",
    ),
    key=len,
    reverse=True,
)
#: Words a number may follow instead: "day 3" (a day of the timeline), "step 3"
#: (a device density step, a dial position), "OD 3.2" (an optical density, no unit).
PREFIXES = ("day", "step", "OD")
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w.])")


class _Text(HTMLParser):
    """Text of the page outside quoted prose (class "verbatim"), times and the head."""

    SKIP_TAGS = frozenset({"head", "style", "title", "time", "script"})
    VOID = frozenset({"img", "meta", "br", "hr", "link", "input"})

    def __init__(self):
        super().__init__()
        self.stack = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, "verbatim" in classes or tag in self.SKIP_TAGS))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not any(skip for _, skip in self.stack):
            self.text.append(" ".join(data.split()))


def numbers_without_units(html: str) -> tuple[list[str], int]:
    """Numbers in the page's own text that carry no unit, and how many numbers were read."""
    parser = _Text()
    parser.feed(html)
    bare, seen = [], 0
    for text in parser.text:
        for match in NUMBER.finditer(text):
            seen += 1
            after = text[match.end() :].lstrip()
            before = text[: match.start()].rstrip()
            if any(after.startswith(unit) for unit in UNITS):
                continue
            if before.endswith(PREFIXES):
                continue
            bare.append(text)
    return bare, seen


def test_every_number_in_the_page_carries_its_unit(planned):
    _, data, figures = planned
    bare, seen = numbers_without_units(render_html(data, figures))
    assert seen > 30  # the check reads the tables, not only headings
    assert bare == []


def test_the_unit_check_can_fail(planned):
    _, data, figures = planned
    html = render_html(data, figures).replace(" µm</td>", "</td>", 1)
    bare, _ = numbers_without_units(html)
    assert len(bare) == 1


def test_density_step_reads_as_a_dial_position():
    rows = dict(settings_rows({"energy_mj": 20.0, "density_step": 3, "pulse_mode": "short"}))
    assert rows == {
        "Energy per microbeam": "20 mJ",
        "Density step": "step 3",
        "Pulse mode": "short",
    }


def test_a_plan_json_cannot_carry_is_refused_and_nothing_is_left(planned, tmp_path):
    _, data, figures = planned
    broken = {**data, "treatment_minutes": math.nan}
    with pytest.raises(ValueError):
        write_report(broken, figures, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_that_cannot_be_written_is_input_error(planned, tmp_path, monkeypatch):
    _, data, figures = planned

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writer_module.tempfile, "mkdtemp", denied)
    with pytest.raises(InputError) as error:
        write_report(data, figures, tmp_path / "out")
    assert error.value.exit_code == 2
    assert "cannot be written (Permission denied)" in str(error.value)
    assert not any((tmp_path / "out").glob("plan.*"))


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root writes into read-only directories; the mkdtemp test above covers the path",
)
def test_a_read_only_directory_is_refused(planned, tmp_path):
    _, data, figures = planned
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match="not writable"):
            write_report(data, figures, locked)
    finally:
        locked.chmod(0o700)


def test_force_replaces_every_file_of_an_earlier_plan(planned, tmp_path):
    _, data, figures = planned
    for name in ("plan.json", "plan.html", "plan.pdf"):
        (tmp_path / name).write_text("an earlier plan")
    with pytest.raises(InputError, match=re.escape("plan.json, plan.html, plan.pdf")):
        write_report(data, figures, tmp_path)
    assert (tmp_path / "plan.pdf").read_text() == "an earlier plan"
    paths = write_report(data, figures, tmp_path, force=True)
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.html", "plan.json", "plan.pdf"]


def test_failing_pdf_keeps_the_earlier_plan(planned, tmp_path, monkeypatch):
    _, data, figures = planned
    write_report(data, figures, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*_args, **_kwargs):
        raise RuntimeError("the PDF step failed")

    monkeypatch.setattr(writer_module, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        write_report(data, figures, tmp_path, force=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
