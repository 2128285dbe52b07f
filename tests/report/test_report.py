"""The plan report: schema, HTML, PDF, atomic writing, and the page in a real browser."""

import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from dermalase.cli import main
from dermalase.exceptions import InputError
from dermalase.report import (
    check_output_directory,
    plan_schema,
    render_html,
    write_report,
)
from dermalase.report import writer as writer_module
from tests.browser import launch
from tests.browser import sync_api as browser_api

SECTIONS = (
    "Patient and goals",
    "Treatment areas",
    "Findings",
    "Course",
    "Anaesthesia, comfort and eye protection",
    "Recovery",
    "Aftercare",
    "Sources",
)
#: Words that must never reach a report a physician reads.
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|lorem|placeholder|nan|None|undefined)\b")


def test_plan_validates_against_the_published_schema(planned):
    _, data, _ = planned
    jsonschema.validate(data, plan_schema())


def test_schema_rejects_a_plan_without_units_in_its_keys(planned):
    _, data, _ = planned
    broken = json.loads(json.dumps(data))
    area = broken["areas"][0]
    area["ablation_depth"] = area.pop("ablation_depth_um")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, plan_schema())


def test_schema_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["schema", "plan", "--json"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["title"] == "dermalase treatment plan"
    with pytest.raises(SystemExit) as exit_info:
        main(["schema", "plans"])
    assert exit_info.value.code == 2
    assert "known schemas: plan" in capsys.readouterr().err


def test_every_figure_has_a_png(planned):
    plan, _, figures = planned
    assert len(figures) == 3 * len(plan.areas) + 2
    for png in figures.values():
        assert png.startswith(b"\x89PNG")


def test_html_is_self_contained_and_complete(planned):
    _, data, figures = planned
    html = render_html(data, figures)
    for section in SECTIONS:
        assert f">{section}</h2>" in html
    assert html.count("<img ") == len(figures)
    assert html.count('src="data:image/png;base64,') == len(figures)
    assert "http://" not in html and "https://" not in html
    text = re.sub(r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", html)
    assert not PLACEHOLDERS.search(text), PLACEHOLDERS.search(text)
    # Every depth printed carries its unit.
    for area in data["areas"]:
        assert f"{area['predicted']['ablation_depth_um']:g} µm" in html


def test_pdf_has_pages_figures_and_sections(planned, tmp_path):
    _, data, figures = planned
    paths = write_report(data, figures, tmp_path / "out")
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    assert len(reader.pages) >= 1
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(figures)
    text = " ".join(page.extract_text() for page in reader.pages)
    for section in SECTIONS:
        assert section in text
    assert json.loads(paths["json"].read_text()) == data


def test_pdf_findings_read_whole(planned, tmp_path):
    """Each finding's words survive the layout: no word broken across a narrow column."""
    _, data, figures = planned
    paths = write_report(data, figures, tmp_path / "out")
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert data["findings"]
    for finding in data["findings"]:
        words = " ".join(finding["message"].split())
        assert f"{finding['severity'].capitalize()}. {words[:120]}" in text, words[:120]


def test_existing_plan_is_refused_unless_forced(planned, tmp_path):
    _, data, figures = planned
    write_report(data, figures, tmp_path)
    with pytest.raises(InputError) as error:
        write_report(data, figures, tmp_path)
    assert error.value.field == "--out" and "--force" in str(error.value)
    write_report(data, figures, tmp_path, force=True)


def test_failure_leaves_nothing_half_written(planned, tmp_path, monkeypatch):
    _, data, figures = planned
    out = tmp_path / "out"

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer_module, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        write_report(data, figures, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no plan, no staging left


def test_output_that_cannot_be_a_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError):
        check_output_directory(blocker)
    with pytest.raises(InputError):
        check_output_directory(blocker / "inside")


def test_page_in_headless_chromium(planned, tmp_path):
    """Every figure loads and the page logs no console error in a real browser."""
    sync_api = browser_api()
    _, data, figures = planned
    page_path = tmp_path / "plan.html"
    page_path.write_text(render_html(data, figures), encoding="utf-8")
    errors = []
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            loaded = page.evaluate(
                "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
            )
        finally:
            browser.close()
    assert loaded == [True] * len(figures)
    assert errors == []


def test_plan_command_writes_the_three_files(tmp_path, capsys):
    consultation = tmp_path / "c.json"
    from tests.report.conftest import MICRO_PEEL

    consultation.write_text(json.dumps(MICRO_PEEL))
    out = tmp_path / "plan"
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(consultation), "--out", str(out), "--json"])
    assert exit_info.value.code == 0
    printed = json.loads(capsys.readouterr().out)
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.json", "plan.pdf"]
    assert set(printed["files"]) == {"json", "html", "pdf"}
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(consultation), "--out", str(out)])
    assert exit_info.value.code == 2
    shutil.rmtree(out)


def test_a_plan_without_maps_writes_its_report_without_the_thermal_figure(tmp_path):
    """The response-table simulate slot predicts columns without maps: no figure, no gap."""
    from dermalase.clinical.consultation import load_consultation
    from dermalase.clinical.planner import TreatmentPlanner
    from dermalase.report import write_plan_report

    example = Path(__file__).resolve().parents[2] / "examples" / "acne_scars_type_iv.toml"
    plan = TreatmentPlanner(simulate="response_table").plan(load_consultation(example))
    (area,) = plan.areas
    assert area.effect is not None and area.effect.model == "response_table"
    assert not area.effect.has_maps
    written = write_plan_report(plan, plan.to_dict(), tmp_path / "plan")
    html = Path(written["html"]).read_text(encoding="utf-8")
    assert html.count("<figure>") == 4  # cross-section, scan, recovery, course
    assert "Temperature and thermal damage" not in html
    assert len(PdfReader(written["pdf"]).pages) >= 1


def test_html_and_pdf_carry_the_patient_and_the_review_block(tmp_path):
    """The identifier and notes the clinic gave, areas requested, and the signature block."""
    from dermalase.clinical import Consultation
    from dermalase.clinical.planner import TreatmentPlanner
    from dermalase.report.html import REVIEW_ROWS
    from dermalase.report.plan_figures import plan_figures
    from tests.report.conftest import MICRO_PEEL

    consultation = Consultation(**MICRO_PEEL, patient="MRN-0042", notes="prefers morning sessions")
    plan = TreatmentPlanner().plan(consultation, start_date="2027-03-01")
    data = plan.to_dict()
    assert data["patient"]["identifier"] == "MRN-0042"
    jsonschema.validate(data, plan_schema())
    paths = write_report(data, plan_figures(plan), tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    pdf = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    expected = ("MRN-0042", "prefers morning sessions", "A physician decides", *REVIEW_ROWS)
    for text in (html.replace("&#39;", "'"), pdf):
        for words in expected:
            assert words in text, words
    assert "Areas requested" in pdf and "Bulk heating" in pdf


def test_areas_name_their_device_as_a_clinician_reads_it(planned, tmp_path):
    """The device's display name in each area heading, not its file identifier."""
    _, data, figures = planned
    paths = write_report(data, figures, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    pdf = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for area in data["areas"]:
        assert area["device_name"] != area["device"]
        assert area["device_name"] in html and area["device_name"] in pdf
        assert f"on {area['device']}" not in html


#: What a physician must never read: a rule id (``contraindication.keloids``), a
#: ``_``-joined token (``full_face``), a "(s)" plural, a "um" for µm, or a file path.
_RULE_KINDS = (
    "indication|area_cap|skin_type|contraindication|precaution|anesthesia|aftercare|"
    "course|eyes|cooling|recovery|devices|physician|planner"
)
INTERNAL = re.compile(
    rf"\b({_RULE_KINDS})\.[a-z_]+\b"
    r"|\b[A-Za-z]+_[A-Za-z0-9_]+\b"
    r"|\w\((s|es)\)"
    r"|\d um\b"
    r"|\b[\w/]+\.(toml|py|md)\b"
    r"|(?<![\d.,])1 (days|weeks|months|passes|pulses|sessions|areas)\b"
)


def _identifiers_in(text: str) -> list[str]:
    return [match.group(0) for match in INTERNAL.finditer(text)]


def test_no_internal_identifier_reaches_the_physician(planned, tmp_path):
    """HTML and PDF text read back: clinical names only, the ids stay in the JSON."""
    _, data, figures = planned
    paths = write_report(data, figures, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    html_text = re.sub(r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", html)
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    pdf_text = " ".join(page.extract_text() for page in reader.pages)
    assert _identifiers_in(html_text) == []
    assert _identifiers_in(pdf_text) == []
    # The ids are still in the JSON, beside the names.
    assert all(f["rule"] and f["title"] != f["rule"] for f in data["findings"])


def test_the_identifier_check_can_fail():
    leaks = (
        "contraindication.keloids; full_face: 1 pass(es) at 35 um (rules.toml), 1 days; column_2d"
    )
    assert _identifiers_in(leaks) == [
        "contraindication.keloids",
        "full_face",
        "s(es)",
        "5 um",
        "rules.toml",
        "1 days",
        "column_2d",
    ]


def test_every_html_section_is_in_the_pdf(planned, tmp_path):
    _, data, figures = planned
    paths = write_report(data, figures, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    reader = PdfReader(io.BytesIO(paths["pdf"].read_bytes()))
    pdf = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert "Secondary sources" in headings or not data["secondary_sources"]
    for heading in headings:
        assert heading.replace("&#39;", "'") in pdf, heading
