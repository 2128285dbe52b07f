"""``dermalase simulate``: the full-field effect of pulses on one spot."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import app, emit, json_mode
from dermalase.exceptions import InputError
from dermalase.units import check_range, parse_quantity


@app.command()
def simulate(
    area: str = typer.Option(..., help="Anatomical area, e.g. cheek."),
    wavelength: str = typer.Option(..., help="Laser wavelength, e.g. 2940nm."),
    fluence: str = typer.Option(..., help="Fluence per pulse, e.g. 10J/cm2."),
    pulse_duration: str = typer.Option(..., help="Pulse duration, e.g. 300us."),
    pulses: int = typer.Option(1, help="Pulses stacked on the spot per pass."),
    rep_rate: str = typer.Option("1Hz", help="Repetition rate of stacked pulses."),
    passes: int = typer.Option(1, help="Passes over the spot."),
    pass_interval: str = typer.Option("10s", help="Time between passes over the spot."),
    coag_fluence: str = typer.Option(None, help="Fluence of each sub-ablative coagulation pulse."),
    coag_pulses: int = typer.Option(0, help="Coagulation pulses after each pass."),
    coag_pulse_duration: str = typer.Option("500us", help="Coagulation pulse duration."),
    coag_rep_rate: str = typer.Option("200Hz", help="Repetition rate in the coagulation train."),
    damage_model: str = typer.Option("henriques_moritz", help="Arrhenius parameter set."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Predict ablation and coagulation depth of full-field pulses on one spot."""
    json_mode(as_json)
    from dermalase.laser import LaserSettings
    from dermalase.simulation import simulate as run_simulation
    from dermalase.tissue import skin_model

    settings = LaserSettings(
        wavelength=parse_quantity(wavelength, "m", "--wavelength"),
        fluence=check_range(
            parse_quantity(fluence, "J/m**2", "--fluence"),
            "--fluence",
            low=0.0,
            high=1e7,
            shown="J/cm2",
            scale=1e-4,
        ),
        pulse_duration=check_range(
            parse_quantity(pulse_duration, "s", "--pulse-duration"),
            "--pulse-duration",
            low=0.0,
            high=0.1,
            shown="us",
            scale=1e6,
        ),
        pulses=pulses,
        repetition_rate=check_range(
            parse_quantity(rep_rate, "Hz", "--rep-rate"),
            "--rep-rate",
            low=0.0,
            high=1e4,
            shown="Hz",
        ),
        passes=passes,
        pass_interval=check_range(
            parse_quantity(pass_interval, "s", "--pass-interval"),
            "--pass-interval",
            low=0.0,
            high=3600.0,
            shown="s",
        ),
        coagulation_fluence=(
            check_range(
                parse_quantity(coag_fluence, "J/m**2", "--coag-fluence"),
                "--coag-fluence",
                low=0.0,
                high=1e7,
                shown="J/cm2",
                scale=1e-4,
            )
            if coag_fluence is not None
            else 0.0
        ),
        coagulation_pulses=coag_pulses,
        coagulation_pulse_duration=check_range(
            parse_quantity(coag_pulse_duration, "s", "--coag-pulse-duration"),
            "--coag-pulse-duration",
            low=0.0,
            high=0.1,
            shown="us",
            scale=1e6,
        ),
        coagulation_repetition_rate=check_range(
            parse_quantity(coag_rep_rate, "Hz", "--coag-rep-rate"),
            "--coag-rep-rate",
            low=0.0,
            high=1e5,
            shown="Hz",
        ),
    )
    if coag_pulses and coag_fluence is None:
        raise InputError("--coag-fluence", "missing", "give it with --coag-pulses")
    effect = run_simulation(settings, skin_model(area), damage_model=damage_model)
    emit(effect.to_dict(), as_json, _render_effect)


def _render_effect(result: dict) -> None:
    console = Console()
    table = Table(title=f"Full-field effect on the {result['area']}", show_header=False)
    table.add_row("Ablation depth", f"{result['ablation_depth_um']:.1f} µm")
    table.add_row("Coagulation below the floor", f"{result['coagulation_depth_um']:.1f} µm")
    table.add_row("Total depth", f"{result['total_depth_um']:.1f} µm")
    table.add_row("Peak tissue temperature", f"{result['peak_temperature_c']:.0f} °C")
    table.add_row("Layers ablated", ", ".join(result["layers_ablated"]) or "none")
    table.add_row("Deepest layer coagulated", result["deepest_layer_coagulated"] or "none")
    table.add_row("Ablation regime", ", ".join(result["regime"]))
    console.print(table)
    console.print("Sources:")
    for source in result["sources"]:
        console.print(f"  - {source}", highlight=False)
