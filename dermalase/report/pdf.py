"""The plan as an A4 PDF (reportlab), with the same sections and figures as the HTML."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dermalase.clinical.names import area_name
from dermalase.report.figures import FIGURE_KINDS
from dermalase.report.html import (
    REVIEW_ROWS,
    SECONDARY_NOTE,
    history_value,
    laser_safety_rows,
    settings_rows,
)
from dermalase.report.recovery_phases import phase_spans
from dermalase.units import plural

#: Width of a figure on the page [cm] (A4 less 2 cm margins each side).
FIGURE_WIDTH_CM = 17.0

#: Font family of the PDF: DejaVu Sans, shipped with matplotlib, embedded as a
#: subset. Unlike the PDF standard fonts (Latin-1 only) it has every character a
#: plan may print: µ, Ω, ≤, ≥, Greek letters in rule texts, accented names in sources.
FONT = "DejaVuSans"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    f"{FONT}-Bold": "DejaVuSans-Bold.ttf",
    f"{FONT}-Oblique": "DejaVuSans-Oblique.ttf",
    f"{FONT}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}


@cache
def _styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded font (fonts registered on first use)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Oblique",
        boldItalic=f"{FONT}-BoldOblique",
    )
    sheet = getSampleStyleSheet()
    bold = f"{FONT}-Bold"
    return {
        "title": sheet["Title"].clone("plan-title", fontName=bold),
        # headings stay on the page of what follows them, never orphaned at its foot
        "h2": sheet["Heading2"].clone("plan-h2", fontName=bold, keepWithNext=1),
        "h3": sheet["Heading3"].clone("plan-h3", fontName=bold, keepWithNext=1),
        "body": sheet["BodyText"].clone("plan-body", fontName=FONT),
        "small": sheet["BodyText"].clone("plan-small", fontName=FONT, fontSize=8, leading=10),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(str(text)), _styles()[style])


#: Width of the text frame [cm] (A4 less the 2 cm margins, less the frame's padding).
TEXT_WIDTH_CM = 16.5

#: Column widths of the tables by column count [cm]: a table is laid out on the
#: text width with fixed columns, so that a narrow column wraps between words
#: instead of reportlab shrinking it until words break ("warni ng").
TABLE_WIDTHS_CM = {2: (4.5, 12.0), 3: (4.5, 6.0, 6.0)}


def _table(
    rows: list[list[str]], header: bool = False, widths_cm: tuple[float, ...] | None = None
) -> Table:
    columns = len(rows[0]) if rows else 0
    widths = widths_cm or TABLE_WIDTHS_CM.get(columns)
    if widths is None:
        widths = (TEXT_WIDTH_CM / max(columns, 1),) * columns
    table = Table(
        [[_p(cell, "small") for cell in row] for row in rows],
        colWidths=[w * cm for w in widths],
        hAlign="LEFT",
        repeatRows=1 if header else 0,
    )
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0ece6")))
    table.setStyle(TableStyle(style))
    return table


def _bulk_heating(scan: dict) -> str:
    """The scan's bulk-heating figure, as the HTML page words it."""
    text = f"peak rise {scan['max_bulk_temperature_rise_c']:.1f} °C"
    cooling = scan.get("cooling")
    if cooling is not None:
        text += f", {cooling['max_bulk_temperature_rise_c']:.1f} °C with chilled air"
    spacing = scan.get("min_spacing_within_window_mm")
    if spacing is not None:
        text += f"; spots fired close in time at least {spacing:.2f} mm apart"
    residual = scan.get("residual_heat")
    if residual is not None:
        text += f"; {residual['per_spot_mj']:.3g} mJ of heat left per spot"
        share = residual.get("fraction_of_pulse")
        if share is not None:
            text += f" ({100 * share:.1f} % of the pulse energy)"
    peak = scan.get("epidermal_peak_temperature_c")
    if peak is not None and peak["without_cooling_c"] is not None:
        if peak.get("set_by_ablation_front"):
            text += f"; hottest tissue {peak['without_cooling_c']:.0f} °C at the ablation front"
        else:
            text += (
                f"; epidermal peak {peak['without_cooling_c']:.1f} °C without cooling, "
                f"{peak['with_cooling_c']:.1f} °C with chilled air"
            )
    skin = scan.get("skin_before_spot_c")
    if skin is not None:
        text += (
            f"; skin before a spot fires {skin['without_cooling_c']:.1f} °C without cooling, "
            f"{skin['with_cooling_c']:.1f} °C with chilled air"
        )
    return text


def _signature_table() -> Table:
    """The review block: a label and an empty line to sign on, per row."""
    table = Table(
        [[_p(label, "small"), ""] for label in REVIEW_ROWS],
        colWidths=[6.5 * cm, 10.0 * cm],
        rowHeights=[1.1 * cm] * len(REVIEW_ROWS),
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def _secondary_sources(plan: dict) -> list:
    """The secondary-source list, numbered on from the main list; empty when there are none."""
    secondary = plan.get("secondary_sources") or []
    if not secondary:
        return []
    first = len(plan["sources"]) + 1
    return [
        _p("Secondary sources", "h2"),
        _p(SECONDARY_NOTE, "small"),
        *(_p(f"{number}. {source}", "small") for number, source in enumerate(secondary, first)),
    ]


def _finding(finding: dict) -> KeepTogether:
    """A finding as a short block: severity and message, then its rule and source."""
    severity = escape(str(finding["severity"]).capitalize())
    message = escape(str(finding["message"]))
    return KeepTogether(
        [
            Paragraph(f"<b>{severity}.</b> {message}", _styles()["body"]),
            _p(f"Rule: {finding['title']}. Source: {finding['source']}", "small"),
            Spacer(1, 0.2 * cm),
        ]
    )


def _figure(png: bytes, caption: str) -> KeepTogether:
    image = Image(io.BytesIO(png))
    scale = FIGURE_WIDTH_CM * cm / image.imageWidth
    image.drawWidth = image.imageWidth * scale
    image.drawHeight = image.imageHeight * scale
    return KeepTogether([image, _p(caption, "small"), Spacer(1, 0.3 * cm)])


def _laser_safety(entries: list[dict]) -> list:
    """The eye-protection figures of each area, as the HTML page lays them out."""
    if not entries:
        return []
    story: list = [_p("Laser safety: eyewear and hazard distances", "h3")]
    for entry in entries:
        rows = [[f"{area_name(entry['area']).capitalize()}, {entry['device_name']}", ""]]
        for line in entry["wavelengths"]:
            rows += [list(row) for row in laser_safety_rows(line)]
            rows.append(["Nominal hazard zone", line["hazard_zone"]])
        shields = entry.get("corneal_shields")
        if shields:
            rows.append(
                [
                    "Corneal shields",
                    f"{shields['instruction']} {shields['reason']} ({shields['source']})",
                ]
            )
        story += [_table(rows, header=True), Spacer(1, 0.2 * cm)]
    story.append(_p(f"Source: {'; '.join(entries[0]['sources'])}", "small"))
    return story


def _g(value) -> str:
    return f"{value:g}"


def render_pdf(plan: dict, figures: dict[str, bytes], path: str | Path) -> Path:
    """Write the plan report as a PDF.

    Parameters
    ----------
    plan : dict
        The plan object (``TreatmentPlan.to_dict()``).
    figures : dict of str to bytes
        PNG bytes by figure key.
    path : str or pathlib.Path
        PDF file to write.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    h1, h2, h3 = "title", "h2", "h3"
    session = plan["session"]
    patient = plan["patient"]
    story = [
        _p("Laser resurfacing treatment plan", h1),
        _p(f"dermalase {plan['dermalase_version']}, created {plan['created']}", "small"),
        _p("Patient and goals", h2),
        _table(
            [
                *([["Patient", patient["identifier"]]] if patient.get("identifier") else []),
                ["Age", f"{patient['age']} years"],
                ["Fitzpatrick skin type", patient["skin_type"]],
                ["Conditions", ", ".join(patient["conditions"]).replace("_", " ")],
                ["Areas requested", ", ".join(area_name(a) for a in patient["areas_requested"])],
                ["Downtime accepted", plural(patient["downtime_days"], "day")],
                ["Correction wanted", patient["correction"]],
                *(
                    [f"History: {key.replace('_', ' ')}", history_value(key, value)]
                    for key, value in patient["history"].items()
                ),
                *([["Notes", patient["notes"]]] if patient.get("notes") else []),
            ]
        ),
        _p("Treatment areas", h2),
        _p(
            f"One session treats {plural(len({a['area'] for a in plan['areas']}), 'area')} "
            "in about "
            f"{plan['treatment_minutes']:.0f} min of scanning and handpiece moves."
        ),
        _p("The session as the patient lives it", h3),
        _table(
            [[step["step"], f"{step['duration_minutes']:.0f} min"] for step in session["steps"]]
            + [["In all", f"{session['session_minutes']:.0f} min"]]
        ),
        _p(session["comparison"]),
        _p(f"Source: {session['source']}", "small"),
    ]
    for area in plan["areas"]:
        name = area_name(area["area"])
        predicted = area["predicted"]
        story += [
            _p(
                f"{name}: {area['treatment']} at {_g(area['wavelength_nm'])} nm, "
                f"{area['device_name']}",
                h3,
            ),
            _table(
                [
                    ["", "Prescribed", "Predicted"],
                    [
                        "Ablation depth",
                        f"{_g(area['ablation_depth_um'])} µm",
                        f"{_g(predicted['ablation_depth_um'])} µm",
                    ],
                    [
                        (
                            "Coagulation depth (surface intact)"
                            if area["ablation_depth_um"] == 0
                            else "Coagulation below the floor"
                        ),
                        f"{_g(area['coagulation_depth_um'])} µm"
                        if area["coagulation_depth_um"] > 0
                        else "as little as the pulses leave",
                        f"{_g(predicted['coagulation_depth_um'])} µm",
                    ],
                    [
                        "Coverage",
                        f"{_g(area['coverage_percent'])} %",
                        f"{_g(predicted['coverage_percent'])} %",
                    ],
                    *(
                        [["Treatment zone diameter", "—", f"{_g(predicted['mtz_diameter_um'])} µm"]]
                        if "mtz_diameter_um" in predicted
                        else []
                    ),
                    [
                        "Layers reached",
                        "—",
                        ", ".join(predicted["layers_reached"]).replace("_", " "),
                    ],
                ],
                header=True,
            ),
            Spacer(1, 0.2 * cm),
            _table(
                [["Device setting", "Value"]]
                + [list(row) for row in settings_rows(area["settings"])]
                + [
                    [
                        "Scan",
                        f"{area['scan']['spots']} spots over {_g(area['scan']['area_cm2'])} cm², "
                        f"{area['scan']['order']} order, {_g(area['treatment_minutes'])} min",
                    ],
                    ["Bulk heating", _bulk_heating(area["scan"])],
                ],
                header=True,
            ),
            Spacer(1, 0.3 * cm),
        ]
        for kind in ("cross_section", "thermal", "scan"):
            key = f"{kind}/{area['figure_area']}"
            if key in figures:  # a forward model without maps has no thermal figure
                story.append(_figure(figures[key], f"{FIGURE_KINDS[kind]}, {name}."))
    story.append(_p("Findings", h2))
    if plan["findings"]:
        # One block per finding, not a table: a long source list would make a table
        # row taller than a page, which a PDF table cannot split.
        for finding in plan["findings"]:
            story.append(_finding(finding))
    else:
        story.append(_p("No rule raised a finding for this consultation."))
    for item in plan["overrides"]:
        story.append(_p(f"Override of {item['rule']}: {item['reason']}"))
    course = plan["course"]
    interval = f", {_g(course['interval_weeks'])} weeks apart" if course["interval_weeks"] else ""
    maintenance = (
        f" Maintenance after about {_g(course['maintenance_months'])} months."
        if course["maintenance_months"]
        else ""
    )
    story += [
        _p("Course", h2),
        _p(
            f"{plural(course['sessions'], 'session')}{interval}: "
            f"{', '.join(course['dates'])}.{maintenance}"
        ),
        _figure(figures["course"], f"{FIGURE_KINDS['course']}."),
        _p("Anaesthesia, comfort and eye protection", h2),
        _p(plan["anaesthesia"]["summary"]),
        *(_p(step.replace("_", " ")) for step in plan["anaesthesia"]["steps"]),
        _p(f"Cooling: {plan['anaesthesia']['cooling']}"),
        _p(f"Eye protection: {plan['anaesthesia']['eye_protection']}"),
        _p(f"Source: {plan['anaesthesia']['source']}", "small"),
        *_laser_safety(plan.get("laser_safety", [])),
    ]
    recovery = plan["recovery"]
    story += [
        _p("Recovery", h2),
        _table(
            [
                ["Re-epithelialised", f"day {_g(recovery['reepithelialized_day'])}"],
                ["Make-up from", f"day {_g(recovery['makeup_day'])}"],
                ["Swelling", f"about {plural(recovery['swelling_days'], 'day')}"],
                ["Strict sun avoidance", plural(recovery["sun_avoidance_days"], "day")],
                ["Redness (erythema)", f"about {plural(recovery['erythema_weeks'], 'week')}"],
                [
                    "Collagen remodelling",
                    f"over about {plural(recovery['remodeling_months'], 'month')}",
                ],
            ]
            + [[days.capitalize(), phase] for days, phase in phase_spans(recovery["phases"])]
        ),
        _figure(figures["recovery"], f"{FIGURE_KINDS['recovery']}."),
        _p("Aftercare", h2),
        *(
            _p(f"• {item['instruction']} ({item['when']}; {item['source']})")
            for item in plan["aftercare"]
        ),
        _p("Sources", h2),
        *(_p(f"{number}. {source}", "small") for number, source in enumerate(plan["sources"], 1)),
        *_secondary_sources(plan),
        _p(
            "Predictions come from published models and measurements; every rule and "
            "parameter names its source. A physician decides the treatment.",
            "small",
        ),
        _p("Physician's review and consent", h2),
        _signature_table(),
    ]
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title="Laser resurfacing treatment plan",
        author="dermalase",
    )
    document.build(story)
    return path
