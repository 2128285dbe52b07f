"""Command line: ``dermalase simulate``, ``dermalase areas``.

Quantities are read with their units (``10J/cm2``, ``300us``, ``2940nm``)
and converted to SI here, the only place besides files where clinical units
appear. Bad input exits with code 2 and one line naming the field; a refusal
exits with code 3. With ``--json`` every command prints exactly one JSON
object (an ``error`` object on failure).
"""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table
from typer.exceptions import TyperException

from dermalase.exceptions import DermalaseError, InputError
from dermalase.units import check_range, parse_quantity

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Open, physics-based planning for laser skin resurfacing.",
)

_JSON_MODE = {"on": False}


def _emit(payload: dict, as_json: bool, render) -> None:
    if as_json:
        print(json.dumps(payload, indent=2))
    else:
        render(payload)


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
    _JSON_MODE["on"] = as_json
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
    _emit(effect.to_dict(), as_json, _render_effect)


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


@app.command()
def areas(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """List the anatomical areas with their layer thicknesses."""
    _JSON_MODE["on"] = as_json
    from dermalase import citations
    from dermalase.tissue.areas import AREAS, skin_model

    rows = []
    for name, anatomy in AREAS.items():
        model = skin_model(name)
        rows.append(
            {
                "area": name,
                "layers_um": {
                    layer.name: round(layer.thickness * 1e6, 1) for layer in model.layers
                },
                "epidermis_um": round(model.epidermis_thickness * 1e6, 1),
                "dermis_um": round(model.dermis_thickness * 1e6, 1),
                "note": anatomy.note,
                "sources": list(anatomy.sources),
            }
        )
    keys = citations.merge(*(row["sources"] for row in rows))
    payload = {"areas": rows, "sources": citations.format_sources(keys)}

    def render(result: dict) -> None:
        table = Table(title="Anatomical areas (thickness in µm)")
        for column in (
            "area",
            "stratum corneum",
            "viable epidermis",
            "papillary dermis",
            "reticular dermis",
        ):
            table.add_column(column)
        for row in result["areas"]:
            layers = row["layers_um"]
            table.add_row(
                row["area"],
                *(
                    f"{layers[k]:.0f}"
                    for k in (
                        "stratum_corneum",
                        "viable_epidermis",
                        "papillary_dermis",
                        "reticular_dermis",
                    )
                ),
            )
        Console().print(table)

    _emit(payload, as_json, render)


def main(argv: list[str] | None = None) -> None:
    """Run the command line and map errors to exit codes."""
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    _JSON_MODE["on"] = "--json" in args
    try:
        app(args=args, standalone_mode=False, prog_name="dermalase")
    except DermalaseError as error:
        _fail(str(error), error.exit_code, error)
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
    except typer.Abort:
        _fail("aborted", 1, None)
    except TyperException as error:
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        _fail(message.replace("\n", " "), 2, error)
    raise SystemExit(0)


def _fail(message: str, code: int, error: Exception | None) -> None:
    if _JSON_MODE["on"]:
        payload = {"error": message, "exit_code": code}
        for attribute in ("field", "value", "allowed", "rule", "source"):
            if error is not None and hasattr(error, attribute):
                payload[attribute] = str(getattr(error, attribute))
        print(json.dumps(payload))
    print(f"dermalase: error: {message}", file=sys.stderr)
    raise SystemExit(code)
