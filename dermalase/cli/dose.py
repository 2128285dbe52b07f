"""``dermalase dose`` and ``dermalase translate``: depth to settings and back."""

from __future__ import annotations

from functools import partial

import typer
from rich.console import Console

from dermalase.cli import options
from dermalase.cli.app import (
    SOURCES_HELP,
    app,
    device_title,
    emit,
    json_mode,
    key_value_table,
    print_sources,
)
from dermalase.exceptions import InputError
from dermalase.laser import LaserSettings

#: Time between passes that ``translate`` assumes [s]: the default of
#: :class:`~dermalase.laser.LaserSettings` (a scan decides the real one).
TRANSLATE_PASS_INTERVAL = LaserSettings.pass_interval


@app.command()
def dose(
    device: str = typer.Option(..., help="Device profile name (see `dermalase devices`)."),
    area: str = typer.Option(..., help="Anatomical area, e.g. cheek."),
    ablation: str = typer.Option(
        None,
        help="Ablation depth (column depth if fractional), e.g. 50um; "
        "none on a non-ablative (1.3-2.1 µm) device.",
    ),
    coagulation: str = typer.Option(
        None,
        help="Coagulation below the ablation floor, e.g. 30um (default: what pulses leave); "
        "on a non-ablative device the depth of the coagulated zone, e.g. 300um.",
    ),
    fractional: bool = typer.Option(False, "--fractional", help="Fractional columns."),
    coverage: str = typer.Option(None, help="Fractional coverage, e.g. 15%."),
    passes: int = typer.Option(None, help="Passes (default: chosen by the solver)."),
    spot: str = typer.Option(None, help="Spot or microbeam diameter (default: the device's)."),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Solve the settings a device needs for a prescribed depth (and coverage)."""
    json_mode(as_json)
    from dermalase.devices import load_device
    from dermalase.dosimetry import dose as solve
    from dermalase.forward import nonablative
    from dermalase.prescription import Prescription
    from dermalase.tissue.areas import resolve_area

    profile = load_device(device)
    area_name = resolve_area(area).name
    non_ablative = nonablative.serves(profile.wavelength)
    if non_ablative:
        # a scattering line coagulates microzones: fractional, coagulation only
        if ablation is not None:
            raise InputError(
                "--ablation",
                ablation,
                f"{profile.display_name} does not ablate; give --coagulation",
            )
        if coagulation is None:
            raise InputError("--coagulation", "missing", "give the zone depth, e.g. 300um")
        fractional = True
    elif ablation is None:
        raise InputError("--ablation", "missing", "give the ablation depth, e.g. 50um")
    if fractional and coverage is None:
        raise InputError("--coverage", "missing", "give it with --fractional, e.g. 15%")
    if coverage is not None and not fractional:
        raise InputError("--coverage", coverage, "only with --fractional (full field is 100 %)")
    prescription = Prescription(
        area=area_name,
        modality="fractional" if fractional else "full_field",
        wavelength=profile.wavelength,
        ablation_depth=0.0 if non_ablative else options.depth(ablation, "--ablation"),
        coagulation_depth=(
            0.0 if coagulation is None else options.depth(coagulation, "--coagulation", True)
        ),
        coverage=options.fraction(coverage, "--coverage") if fractional else 1.0,
        passes=passes,
        spot_diameter=None if spot is None else options.spot(spot, "--spot"),
    )
    _within_area_cap(prescription)
    result = solve(prescription, profile)
    emit(result.to_dict(), as_json, partial(_render, sources=sources))


def _within_area_cap(prescription) -> None:
    """Refuse a prescription beyond the area's cap, as the planner would (exit 3).

    The settings commands answer a physician's depth on an area; the same area caps
    as in a plan apply (``dermalase rules`` lists them), and a plan can override one
    with a stated reason where ``dose`` cannot.
    """
    from dermalase.clinical import rules as clinical_rules
    from dermalase.exceptions import RefusalError

    cap = clinical_rules.area_cap(prescription.area)
    broken = cap.violations(prescription)
    if not broken:
        return
    modality = prescription.modality
    nearest = {}
    if prescription.ablation_depth > cap.max_ablation_depth(modality):
        nearest["ablation_depth"] = cap.max_ablation_depth(modality)
    if prescription.coverage > cap.max_coverage(modality):
        nearest["coverage"] = cap.max_coverage(modality)
    raise RefusalError(
        cap.rule,
        "; ".join(broken) + " (a plan may override the cap with a stated reason)",
        cap.source,
        nearest=nearest or None,
    )


@app.command()
def translate(
    device: str = typer.Option(..., help="Device profile name (see `dermalase devices`)."),
    area: str = typer.Option(..., help="Anatomical area, e.g. cheek."),
    fluence: str = typer.Option(None, help="Full field: fluence per pulse, e.g. 10J/cm2."),
    energy: str = typer.Option(None, help="Fractional: energy per microbeam, e.g. 20mJ."),
    density: str = typer.Option(None, help="Fractional: density as coverage, e.g. 10%."),
    density_step: int = typer.Option(None, help="Fractional: the device's density step."),
    spot: str = typer.Option(None, help="Spot or microbeam diameter (default: the device's)."),
    pulse_duration: str = typer.Option(
        None,
        help="Pulse duration (default: the pulse dose fires, the shortest of the first mode "
        "or the energy at the device's peak power).",
    ),
    pulses: int = typer.Option(1, help="Pulses stacked on the spot."),
    passes: int = typer.Option(1, help="Passes."),
    rep_rate: str = typer.Option(
        None, help="Repetition rate (default: the rate dose fires at on this device)."
    ),
    coag_fluence: str = typer.Option(None, help="Coagulation pulse fluence, e.g. 0.5J/cm2."),
    coag_pulses: int = typer.Option(0, help="Coagulation pulses after each pass."),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Predict depths and coverage of vendor-style settings on a device."""
    json_mode(as_json)
    import math

    from dermalase.devices import load_device
    from dermalase.dosimetry import default_repetition_rate, predict
    from dermalase.tissue.areas import resolve_area

    profile = load_device(device)
    area_name = resolve_area(area).name
    if (fluence is None) == (energy is None):
        raise InputError("--fluence/--energy", "both or neither", "give exactly one of them")
    mode = profile.pulse_modes[0]
    joules = None if energy is None else options.energy(energy, "--energy")
    # by default the pulse dose fires: a microbeam's energy at the laser's peak
    # power where the device gives one, else the mode's shortest pulse
    duration = (
        (mode.pulse_duration.minimum if joules is None else mode.pulse_duration_for(joules))
        if pulse_duration is None
        else options.duration(pulse_duration, "--pulse-duration")
    )
    # the mode that holds the duration; else the mode nearest to it, whose limit
    # the device then names (a 20 ms pulse is above the 10 ms of the long mode)
    mode_name = min(
        profile.pulse_modes,
        key=lambda m: max(
            m.pulse_duration.minimum - duration, duration - m.pulse_duration.maximum, 0.0
        ),
    ).name
    # the same default rate as dose fires at on this device (full field: the
    # stacking rate; fractional: the highest rate the average power allows)
    rate = (
        default_repetition_rate(profile, joules)
        if rep_rate is None
        else options.rate(rep_rate, "--rep-rate")
    )
    diameter = None if spot is None else options.spot(spot, "--spot")
    if diameter is None:
        spots = profile.spot_diameter
        diameter = spots.values[0] if spots.values else spots.minimum
    train = pulses / rate if pulses > 1 else 0.0
    if passes > 1 and train >= TRANSLATE_PASS_INTERVAL:
        raise InputError(
            "--pulses",
            f"{pulses} pulses at {rate:g} Hz",
            f"take {train:g} s, not less than the {TRANSLATE_PASS_INTERVAL:g} s between passes "
            "that translate assumes; give fewer pulses or a higher --rep-rate",
        )
    common = dict(
        wavelength=profile.wavelength,
        pulse_duration=duration,
        pulse_mode=mode_name,
        pulses=pulses,
        passes=passes,
        pass_interval=TRANSLATE_PASS_INTERVAL,
        repetition_rate=rate,
        spot_diameter=diameter,
    )
    if fluence is not None:
        if density is not None or density_step is not None:
            raise InputError("--density", density or density_step, "only with --energy")
        train = profile.coagulation
        coag = {}
        if coag_pulses:
            if coag_fluence is None or train is None:
                raise InputError(
                    "--coag-fluence",
                    coag_fluence or "missing",
                    "give it with --coag-pulses, on a device with a coagulation train",
                )
            coag = dict(
                coagulation_pulses=coag_pulses,
                coagulation_fluence=options.fluence(coag_fluence, "--coag-fluence"),
                coagulation_pulse_duration=train.pulse_duration,
                coagulation_repetition_rate=train.repetition_rate,
            )
        settings = LaserSettings(
            fluence=options.fluence(fluence, "--fluence"),
            **common,
            **coag,
        )
    else:
        assert joules is not None  # exactly one of fluence and energy was given
        if (density is None) == (density_step is None):
            raise InputError("--density", "both or neither", "give --density or --density-step")
        zone = math.pi * diameter**2 / 4
        if density_step is not None:
            step = next((s for s in profile.density_steps if s.step == density_step), None)
            if step is None:
                steps = ", ".join(str(s.step) for s in profile.density_steps) or "none"
                raise InputError("--density-step", density_step, f"steps of {device}: {steps}")
            spatial = dict(density=step.density_at(diameter), density_step=density_step)
        else:
            # Vendors quote density as the percentage of skin the beams cover.
            share = options.fraction(density, "--density")
            _check_density_step(profile, share, diameter)
            spatial = dict(density=share / zone)
        settings = LaserSettings(fluence=joules / zone, energy=joules, **common, **spatial)
    result = predict(settings, profile, area_name)
    payload = result.to_dict()
    payload["warnings"] = _beyond_area_cap(result)
    emit(payload, as_json, partial(_render, sources=sources))


def _beyond_area_cap(result) -> list[str]:
    """Warnings for what the predicted effect of vendor settings exceeds of the area's cap."""
    from dermalase.clinical import rules as clinical_rules

    cap = clinical_rules.area_cap(result.area)
    return [
        f"beyond the area cap {cap.rule} that a plan keeps: {message}"
        for message in cap.violations(result.delivered(result.area))
    ]


def _check_density_step(profile, share: float, diameter: float) -> None:
    """Refuse a density (share of the skin the beams cover) no step of the device gives.

    The same rule as ``dose`` and ``scan``: the nearest density step must give
    the share within the scanner's tolerance.
    """
    if not profile.density_steps:
        return
    from dermalase.exceptions import RefusalError
    from dermalase.scanner.request import STEP_TOLERANCE

    choice = profile.density_for_coverage(share, diameter)
    if abs(choice.coverage - share) > STEP_TOLERANCE:
        raise RefusalError(
            "device.density_steps",
            f"density {share:.1%} is not a density step of {profile.display_name}; "
            f"the nearest, step {choice.step}, gives {choice.coverage:.1%} "
            f"with {diameter * 1e6:g} um spots",
            profile.source_file,
        )


def _render(result: dict, sources: bool = False) -> None:
    from dermalase.clinical.names import area_name

    console = Console()
    settings, predicted = result["settings"], result["predicted"]
    table = key_value_table(f"{device_title(result['device'])} on the {area_name(result['area'])}")
    if "energy_mj" in settings:
        table.add_row("Energy per microbeam", f"{settings['energy_mj']:g} mJ")
        table.add_row(
            "Density", f"{settings['coverage_percent']:g} % (step {settings['density_step']})"
        )
    else:
        table.add_row("Fluence", f"{settings['fluence_j_cm2']:g} J/cm²")
        table.add_row("Overlap", f"{settings['overlap_percent']:g} %")
        if settings["coagulation_pulses"]:
            table.add_row(
                "Coagulation train",
                f"{settings['coagulation_pulses']} × "
                f"{settings['coagulation_fluence_j_cm2']:g} J/cm²",
            )
    table.add_row(
        "Pulse duration", f"{settings['pulse_duration_us']:g} µs ({settings['pulse_mode']})"
    )
    table.add_row("Pulses stacked × passes", f"{settings['pulses']} × {settings['passes']}")
    table.add_row("Repetition rate", f"{settings['repetition_rate_hz']:g} Hz")
    table.add_row("Spot", f"{settings['spot_diameter_um']:g} µm")
    table.add_row("Predicted ablation", f"{predicted['ablation_depth_um']:g} µm")
    table.add_row("Predicted coagulation", f"{predicted['coagulation_depth_um']:g} µm")
    table.add_row("Predicted coverage", f"{predicted['coverage_percent']:g} %")
    if predicted.get("char_thickness_um") is not None:
        table.add_row("Predicted char left", f"{predicted['char_thickness_um']:g} µm")
    if result["prescription"] is not None:
        table.add_row("Largest deviation", f"{result['deviation_um']:g} µm")
    console.print(table)
    for warning in result.get("warnings", []):
        console.print(f"Warning: {warning}")
    print_sources(console, result["sources"], sources)
