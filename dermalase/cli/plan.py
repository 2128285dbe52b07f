"""``dermalase plan``: from a consultation file to a treatment plan (and its report)."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from dermalase.cli.app import app, counted, emit, json_mode, key_value_table
from dermalase.clinical.names import area_name
from dermalase.exceptions import InputError
from dermalase.units import plural

#: First sessions the command plans: a course and its maintenance run for
#: years after the first, and dates past 9999 cannot be written.


def _overrides(rules: list[str], reasons: list[str]) -> dict[str, str]:
    if len(rules) != len(reasons):
        raise InputError(
            "--reason",
            f"{plural(len(reasons), 'reason')} for {plural(len(rules), 'override')}",
            "give one --reason TEXT after each --override RULE",
        )
    repeated = sorted({rule for rule in rules if rules.count(rule) > 1})
    if repeated:
        raise InputError("--override", repeated[0], "given twice; override each rule once")
    return dict(zip(rules, reasons, strict=True))


def _start_date(text: str | None):
    if text is None:
        return None
    try:
        first = datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError("--start-date", text, "must be a date YYYY-MM-DD") from None
    from dermalase.clinical.consultation import check_start_date

    return check_start_date(first, "--start-date")


@app.command()
def plan(
    consultation: Path = typer.Argument(..., help="Consultation file (.toml or .json)."),
    start_date: str = typer.Option(None, help="First session, YYYY-MM-DD (default: the file's)."),
    override: list[str] = typer.Option(
        [], help="Rule id to override (repeatable; each needs a --reason); see `dermalase rules`."
    ),
    reason: list[str] = typer.Option([], help="The clinic's reason for each --override."),
    out: Path = typer.Option(None, help="Write plan.html, plan.pdf and plan.json here."),
    force: bool = typer.Option(False, "--force", help="Replace a plan already in --out."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Plan a treatment from a consultation: prescription, settings, scan, recovery, course."""
    json_mode(as_json)
    from dermalase.clinical import load_consultation
    from dermalase.clinical.planner import TreatmentPlanner

    overrides = _overrides(override, reason)
    first = _start_date(start_date)
    record = load_consultation(consultation)
    if out is not None:
        from dermalase.report import check_output_directory

        check_output_directory(out, force=force)
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        BarColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json or not console.is_terminal,
    ) as progress:
        task = progress.add_task("planning", total=None)

        def report(stage: str) -> None:
            progress.update(task, description=stage)

        result = TreatmentPlanner().plan(
            record,
            start_date=first,
            overrides=overrides,
            progress=report,
            consultation_file=str(consultation),
        )
        payload = result.to_dict()
        if out is not None:
            from dermalase.report import write_plan_report

            report("figures and report")
            written = write_plan_report(result, payload, out, force=force, progress=report)
            payload["files"] = {name: str(path) for name, path in written.items()}
    emit(payload, as_json, _render)


def _settings_text(settings: dict) -> str:
    """The device settings of one area as one line: energy or fluence, pulses, passes."""
    pulses = counted(settings["pulses"], "pulse")
    passes = counted(settings["passes"], "pass", "passes")
    if "energy_mj" in settings:
        return f"{settings['energy_mj']:g} mJ, {pulses}, density step {settings['density_step']}"
    text = f"{settings['fluence_j_cm2']:g} J/cm², {pulses}, {passes}"
    if settings["coagulation_pulses"]:
        coagulation = settings["coagulation_fluence_j_cm2"]
        text += (
            f", then {counted(settings['coagulation_pulses'], 'coagulation pulse')} "
            f"of {coagulation:g} J/cm²"
        )
    return text


def _render(result: dict) -> None:
    console = Console()
    patient = result["patient"]
    console.print(
        f"Plan for a {patient['age']}-year-old, skin type {patient['skin_type']}, "
        f"{', '.join(name.replace('_', ' ') for name in patient['conditions'])}; "
        f"{counted(patient['downtime_days'], 'day')} of downtime.",
        highlight=False,
    )
    # one table per area, labels down the side: readable at 80 columns whatever the
    # device's name or the settings' length
    for area in result["areas"]:
        settings, predicted = area["settings"], area["predicted"]
        table = key_value_table(f"{area_name(area['area']).capitalize()}: {area['treatment']}")
        table.add_row("Device", area["device_name"])
        table.add_row("Ablation", f"{predicted['ablation_depth_um']:g} µm")
        intact = area["ablation_depth_um"] == 0  # non-ablative: no floor, the surface intact
        coagulation = "Coagulation depth" if intact else "Coagulation below it"
        table.add_row(coagulation, f"{predicted['coagulation_depth_um']:g} µm")
        table.add_row("Coverage", f"{predicted['coverage_percent']:g} %")
        table.add_row("Settings", _settings_text(settings))
        table.add_row("Treatment time", f"{area['treatment_minutes']:g} min")
        peak = area["scan"].get("epidermal_peak_temperature_c") or {}
        if peak.get("without_cooling_c") is not None:
            if peak.get("set_by_ablation_front"):
                # the crust of the crater: cooling does not change it
                front = f"{peak['without_cooling_c']:.0f} °C, ablation front"
                table.add_row("Hottest tissue", front)
            else:
                table.add_row(
                    "Epidermal peak",
                    f"{peak['without_cooling_c']:.1f} °C, "
                    f"{peak['with_cooling_c']:.1f} °C with chilled air",
                )
        skin = area["scan"].get("skin_before_spot_c")
        if skin is not None:
            table.add_row(
                "Skin before a spot",
                f"{skin['without_cooling_c']:.1f} °C, "
                f"{skin['with_cooling_c']:.1f} °C with chilled air",
            )
        console.print(table)
    course, recovery = result["course"], result["recovery"]
    interval = f", {course['interval_weeks']:g} weeks apart" if course["interval_weeks"] else ""
    console.print(
        f"Course: {counted(course['sessions'], 'session')}{interval}: {', '.join(course['dates'])}",
        highlight=False,
    )
    console.print(f"Anaesthesia: {result['anaesthesia']['summary']}", highlight=False)
    session = result["session"]
    console.print(
        f"Session: about {session['session_minutes']:.0f} min in all, of which "
        f"{session['treatment_minutes']:.0f} min of laser ("
        + "; ".join(
            f"{step['step'].lower()} {step['duration_minutes']:.0f} min"
            for step in session["steps"]
        )
        + ").",
        highlight=False,
    )
    console.print(
        f"Recovery: re-epithelialised by day {recovery['reepithelialized_day']}, make-up from "
        f"day {recovery['makeup_day']}, redness about {recovery['erythema_weeks']:g} weeks, "
        f"collagen remodelling over {recovery['remodeling_months']:g} months.",
        highlight=False,
    )
    for finding in result["findings"]:
        if finding["severity"] in ("warning", "override", "refusal"):
            console.print(
                f"{finding['severity'].upper()}: {finding['message']}",
                highlight=False,
                markup=False,
            )
    if "files" in result:
        console.print("Report: " + ", ".join(result["files"].values()), highlight=False)
