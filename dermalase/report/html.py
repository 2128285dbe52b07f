"""The plan as one self-contained HTML page (figures embedded, no external links)."""

from __future__ import annotations

import base64

import jinja2

from dermalase.clinical.names import area_name, condition_name
from dermalase.report.figures import FIGURE_KINDS
from dermalase.report.recovery_phases import phase_spans
from dermalase.units import plural

#: The device settings shown in the report: key, label, unit (clinical units; the
#: density step is a dial position, printed as "step 3").
SETTING_ROWS = (
    ("fluence_j_cm2", "Fluence per pulse", "J/cm²"),
    ("energy_mj", "Energy per microbeam", "mJ"),
    ("pulse_duration_us", "Pulse duration", "µs"),
    ("pulses", "Pulses stacked per spot", "pulse"),
    ("passes", "Passes", "pass"),
    ("repetition_rate_hz", "Repetition rate", "Hz"),
    ("spot_diameter_um", "Spot diameter", "µm"),
    ("overlap_percent", "Spot overlap", "%"),
    ("coverage_percent", "Coverage", "%"),
    ("density_per_cm2", "Treatment zones", "per cm²"),
    ("density_step", "Density step", "step"),
    ("coagulation_pulses", "Coagulation pulses per pass", "pulse"),
    ("coagulation_fluence_j_cm2", "Coagulation pulse fluence", "J/cm²"),
    ("coagulation_pulse_duration_us", "Coagulation pulse duration", "µs"),
    ("pass_interval_s", "Time between passes over a spot", "s"),
)

#: Settings counted in whole things, singular -> plural ("1 pass", "2 passes").
_COUNTED = {"pulse": "pulses", "pass": "passes"}

#: Units of the history entries of a consultation, by key ending.
_HISTORY_UNITS = (("_months_ago", "months ago"), ("_days_ago", "days ago"))

#: The review block that closes a plan: the physician who reviewed and signs it, and
#: the patient's consent, each a line to fill in by hand.
REVIEW_ROWS = (
    "Reviewed by (physician)",
    "Date of consultation",
    "Physician's signature",
    "Patient's informed consent (signature and date)",
)


def settings_rows(settings: dict) -> list[tuple[str, str]]:
    """Label and value-with-unit of each device setting present.

    Parameters
    ----------
    settings : dict
        The ``settings`` of a plan area (``LaserSettings.to_dict()``).

    Returns
    -------
    list of (str, str)
    """
    rows = []
    for key, label, unit in SETTING_ROWS:
        value = settings.get(key)
        if value is None or (
            key.startswith("coagulation_") and not settings.get("coagulation_pulses")
        ):
            continue
        text = f"{value:g}" if isinstance(value, float) else str(value)
        if unit in _COUNTED:
            rows.append((label, plural(value, unit, _COUNTED[unit])))
        else:
            rows.append((label, f"{unit} {text}" if unit == "step" else f"{text} {unit}"))
    if settings.get("pulse_mode"):
        rows.append(("Pulse mode", str(settings["pulse_mode"])))
    return rows


def laser_safety_rows(line: dict) -> list[tuple[str, str]]:
    """Label and value-with-unit of one wavelength's laser-safety figures.

    Parameters
    ----------
    line : dict
        One entry of a plan ``laser_safety`` area's ``wavelengths``.

    Returns
    -------
    list of (str, str)
        The OD at the wavelength with its exposure duration, the MPE of eye and
        skin with the pulse-train rule that decided, and the three NOHDs.
    """

    def metres(value) -> str:
        return "no beam geometry in the device file" if value is None else f"{value:.2f} m"

    wavelength = f"{line['wavelength_nm']:g} nm"
    return [
        (
            f"Eyewear OD required at {wavelength}",
            f"OD {line['od_required']:.2f} for an exposure of {line['exposure_duration_s']:g} s",
        ),
        (
            "MPE, eye and skin (per pulse)",
            f"{line['mpe_eye_j_m2']:g} J/m² (eye), {line['mpe_skin_j_m2']:g} J/m² (skin); "
            f"rule: {line['mpe_rule'].replace('_', ' ')}",
        ),
        ("NOHD, direct beam", metres(line["nohd_m"])),
        ("NOHD, diffuse reflection from skin", metres(line["nohd_diffuse_m"])),
        ("NOHD, delivery-arm beam", metres(line["nohd_delivery_arm_m"])),
    ]


#: What the secondary-source list holds, said once above it.
SECONDARY_NOTE = (
    "Textbook excerpts, narrative reviews, conference abstracts, manufacturer documents and "
    "clinic pages: kept only where no peer-reviewed source for the number or instruction "
    "was found."
)


def history_value(key: str, value) -> str:
    """A consultation history entry in words, with its unit."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    for ending, unit in _HISTORY_UNITS:
        if key.endswith(ending):
            return f"{value:g} {unit}"
    return str(value)


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("dermalase.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    environment.globals.update(
        settings_rows=settings_rows,
        history_value=history_value,
        laser_safety_rows=laser_safety_rows,
        area_name=area_name,
        condition_name=condition_name,
        plural=plural,
        SECONDARY_NOTE=SECONDARY_NOTE,
    )
    return environment


def render_html(plan: dict, figures: dict[str, bytes]) -> str:
    """Render the plan page.

    Parameters
    ----------
    plan : dict
        The plan object (``TreatmentPlan.to_dict()``).
    figures : dict of str to bytes
        PNG bytes by figure key (:func:`dermalase.report.plan_figures.plan_figures`).

    Returns
    -------
    str
        The HTML document; every figure is a ``data:`` URI.
    """
    images = {key: base64.b64encode(png).decode("ascii") for key, png in figures.items()}
    patient = plan["patient"]
    title = f"{patient['age']} years, skin type {patient['skin_type']}"
    return (
        _environment()
        .get_template("plan.html.j2")
        .render(
            plan=plan,
            images=images,
            captions=FIGURE_KINDS,
            title=title,
            phase_rows=phase_spans(plan["recovery"]["phases"]),
            review_rows=REVIEW_ROWS,
        )
    )
