"""``dermalase simulate``: pulses on one spot (full field) or one microbeam column (fractional)."""

from __future__ import annotations

from functools import partial

import typer
from rich.console import Console

from dermalase.cli import options
from dermalase.cli.app import (
    SOURCES_HELP,
    app,
    counted,
    emit,
    json_mode,
    key_value_table,
    print_sources,
)
from dermalase.exceptions import InputError

#: Options that only the full-field model reads, with their command-line names.
_FULL_FIELD_ONLY = {
    "fluence": "--fluence",
    "passes": "--passes",
    "pass_interval": "--pass-interval",
    "coag_fluence": "--coag-fluence",
    "coag_pulses": "--coag-pulses",
    "coag_pulse_duration": "--coag-pulse-duration",
    "coag_rep_rate": "--coag-rep-rate",
}
#: Options that only the fractional model reads.
_FRACTIONAL_ONLY = {"energy": "--energy", "beam": "--beam"}


@app.command()
def simulate(
    area: str = typer.Option(..., help="Anatomical area, e.g. cheek."),
    wavelength: str = typer.Option(..., help="Laser wavelength, e.g. 2940nm."),
    fluence: str = typer.Option(None, help="Full field: fluence per pulse, e.g. 10J/cm2."),
    pulse_duration: str = typer.Option(
        None, help="Pulse duration, e.g. 300us (full field: required; fractional: 1ms)."
    ),
    pulses: int = typer.Option(1, help="Pulses stacked on the spot (or column) per pass."),
    rep_rate: str = typer.Option(
        None, help="Repetition rate of stacked pulses (full field: 1Hz; fractional: 100Hz)."
    ),
    passes: int = typer.Option(None, help="Full field: passes over the spot (1)."),
    pass_interval: str = typer.Option(
        None, help="Full field: time between passes over the spot (10s)."
    ),
    coag_fluence: str = typer.Option(None, help="Fluence of each sub-ablative coagulation pulse."),
    coag_pulses: int = typer.Option(None, help="Full field: coagulation pulses after each pass."),
    coag_pulse_duration: str = typer.Option(
        None, help="Full field: coagulation pulse duration (500us)."
    ),
    coag_rep_rate: str = typer.Option(
        None, help="Full field: repetition rate in the coagulation train (200Hz)."
    ),
    fractional: bool = typer.Option(
        False, "--fractional", help="Simulate one fractional microbeam column."
    ),
    energy: str = typer.Option(None, help="Fractional: energy per microbeam pulse, e.g. 20mJ."),
    spot: str = typer.Option(
        None,
        help="Spot diameter: the fractional microbeam, e.g. 120um, or the full-field "
        "spot, which sizes the ejecta plume over it (3mm).",
    ),
    beam: str = typer.Option(None, help="Fractional: beam profile, gaussian or top-hat."),
    damage_model: str = typer.Option("henriques_moritz", help="Arrhenius parameter set."),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Predict ablation and coagulation of pulses on a spot, or of one fractional column."""
    json_mode(as_json)
    from dermalase.physics.damage import DAMAGE_MODELS

    damage_model = options.name(damage_model, DAMAGE_MODELS, "--damage-model")
    given = {
        "fluence": fluence,
        "passes": passes,
        "pass_interval": pass_interval,
        "coag_fluence": coag_fluence,
        "coag_pulses": coag_pulses,
        "coag_pulse_duration": coag_pulse_duration,
        "coag_rep_rate": coag_rep_rate,
        "energy": energy,
        "spot": spot,
        "beam": beam,
    }
    if fractional:
        _reject(given, _FULL_FIELD_ONLY, "not used with --fractional; give --energy and --spot")
        result = _fractional(
            area, wavelength, energy, spot, pulse_duration, pulses, rep_rate, beam, damage_model
        )
        emit(result, as_json, partial(_render_column, sources=sources))
        return
    _reject(given, _FRACTIONAL_ONLY, "only used with --fractional")
    result = _full_field(
        area,
        wavelength,
        fluence,
        pulse_duration,
        pulses,
        rep_rate,
        passes,
        pass_interval,
        coag_fluence,
        coag_pulses,
        coag_pulse_duration,
        coag_rep_rate,
        damage_model,
        spot,
    )
    emit(result, as_json, partial(_render_effect, sources=sources))


def _reject(given: dict, options: dict, reason: str) -> None:
    for name, flag in options.items():
        if given[name] is not None:
            raise InputError(flag, given[name], reason)


def _require(value, flag: str, example: str):
    if value is None:
        raise InputError(flag, "missing", f"give it, e.g. {flag} {example}")
    return value


def _full_field(
    area,
    wavelength,
    fluence,
    pulse_duration,
    pulses,
    rep_rate,
    passes,
    pass_interval,
    coag_fluence,
    coag_pulses,
    coag_pulse_duration,
    coag_rep_rate,
    damage_model,
    spot=None,
) -> dict:
    from dermalase.forward.full_field import simulate as run_simulation
    from dermalase.laser import LaserSettings
    from dermalase.tissue import skin_model

    fluence = _require(fluence, "--fluence", "10J/cm2")
    pulse_duration = _require(pulse_duration, "--pulse-duration", "300us")
    coag_pulses = 0 if coag_pulses is None else coag_pulses
    settings = LaserSettings(
        wavelength=options.wavelength(wavelength, "--wavelength"),
        fluence=options.fluence(fluence, "--fluence"),
        pulse_duration=options.duration(pulse_duration, "--pulse-duration"),
        pulses=pulses,
        repetition_rate=options.rate("1Hz" if rep_rate is None else rep_rate, "--rep-rate", 1e4),
        passes=1 if passes is None else passes,
        pass_interval=options.interval(
            "10s" if pass_interval is None else pass_interval, "--pass-interval"
        ),
        coagulation_fluence=(
            options.fluence(coag_fluence, "--coag-fluence") if coag_fluence is not None else 0.0
        ),
        coagulation_pulses=coag_pulses,
        coagulation_pulse_duration=options.duration(
            "500us" if coag_pulse_duration is None else coag_pulse_duration, "--coag-pulse-duration"
        ),
        coagulation_repetition_rate=options.rate(
            "200Hz" if coag_rep_rate is None else coag_rep_rate, "--coag-rep-rate"
        ),
        spot_diameter=(
            None if spot is None else options.spot(spot, "--spot", options.SCAN_SPOT_RANGE)
        ),
    )
    if coag_pulses and coag_fluence is None:
        raise InputError("--coag-fluence", "missing", "give it with --coag-pulses")
    effect = run_simulation(settings, skin_model(area), damage_model=damage_model)
    return effect.to_dict()


def _fractional(
    area, wavelength, energy, spot, pulse_duration, pulses, rep_rate, beam, damage_model
) -> dict:
    from dermalase.forward import nonablative
    from dermalase.forward.fractional import BEAM_PROFILES, COLUMN_STACKING_RATE, simulate_column
    from dermalase.tissue import skin_model

    skin = skin_model(area)
    energy_j = options.energy(_require(energy, "--energy", "20mJ"), "--energy")
    spot_m = options.spot(_require(spot, "--spot", "120um"), "--spot")
    profile = None if beam is None else options.name(beam, BEAM_PROFILES, "--beam")
    if not 1 <= pulses <= 100:
        raise InputError("--pulses", pulses, "must be a whole number from 1 to 100")
    line = options.wavelength(wavelength, "--wavelength")
    duration = options.duration(
        "1ms" if pulse_duration is None else pulse_duration, "--pulse-duration"
    )
    if nonablative.serves(line):
        # a scattering line: one pulse per zone, light by Monte Carlo
        if pulses != 1:
            raise InputError("--pulses", pulses, "must be 1 at 1300-2100 nm (one pulse per zone)")
        return nonablative.simulate_microbeam(
            line,
            energy_j,
            spot_m,
            skin,
            duration,
            beam="gaussian" if profile is None else profile,
            damage_model=damage_model,
        ).to_dict()
    effect = simulate_column(
        options.wavelength(wavelength, "--wavelength"),
        energy_j,
        spot_m,
        skin,
        pulse_duration=options.duration(
            "1ms" if pulse_duration is None else pulse_duration, "--pulse-duration"
        ),
        pulses=pulses,
        beam=profile,
        damage_model=damage_model,
        repetition_rate=options.rate(
            f"{COLUMN_STACKING_RATE:g}Hz" if rep_rate is None else rep_rate, "--rep-rate", 1e4
        ),
    )
    return effect.to_dict()


def _render_effect(result: dict, sources: bool = False) -> None:
    console = Console()
    spot_um = result.get("spot_diameter_um")
    spot = f", {spot_um / 1000:g} mm spot" if spot_um else ""
    table = key_value_table(f"Full-field effect on the {result['area']}{spot}")
    table.add_row("Ablation depth", f"{result['ablation_depth_um']:.1f} µm")
    table.add_row("Coagulation below the floor", f"{result['coagulation_depth_um']:.1f} µm")
    table.add_row("Total depth", f"{result['total_depth_um']:.1f} µm")
    table.add_row("Peak tissue temperature", f"{result['peak_temperature_c']:.0f} °C")
    table.add_row("Char left below the floor", f"{result['char_thickness_um']:.1f} µm")
    table.add_row("Layers ablated", ", ".join(result["layers_ablated"]) or "none")
    table.add_row("Deepest layer coagulated", result["deepest_layer_coagulated"] or "none")
    table.add_row("Ablation regime", ", ".join(result["regime"]))
    console.print(table)
    print_sources(console, result["sources"], sources)


def _render_column(result: dict, sources: bool = False) -> None:
    console = Console()
    title = (
        f"Fractional column on the {result['area']}: {result['energy_mj']:g} mJ, "
        f"{result['spot_diameter_um']:g} µm spot, {counted(result['pulses'], 'pulse')}"
    )
    table = key_value_table(title)
    table.add_row("Ablation depth (surface to floor)", f"{result['ablation_depth_um']:.0f} µm")
    table.add_row("Column diameter at the surface", f"{result['ablation_diameter_um']:.0f} µm")
    table.add_row("Coagulation below the floor", f"{result['coagulation_depth_um']:.1f} µm")
    table.add_row("Total depth", f"{result['total_depth_um']:.0f} µm")
    table.add_row("Coagulation sleeve at mid-depth", f"{result['coagulation_cuff_um']:.1f} µm")
    table.add_row("MTZ diameter (column + sleeve)", f"{result['mtz_diameter_um']:.0f} µm")
    table.add_row("Peak tissue temperature", f"{result['peak_temperature_c']:.0f} °C")
    if result["char_thickness_um"] is not None:
        table.add_row("Char left on the axis", f"{result['char_thickness_um']:.1f} µm")
    table.add_row("Layers reached", ", ".join(result["layers_reached"]) or "none")
    table.add_row("Below the dermis", "YES" if result["exceeds_dermis"] else "no")
    console.print(table)
    for warning in result["warnings"]:
        console.print(f"Warning: {warning}", highlight=False)
    print_sources(console, result["sources"], sources)
