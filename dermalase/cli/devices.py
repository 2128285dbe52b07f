"""``dermalase devices``: the bundled and user device profiles and their limits."""

from __future__ import annotations

from functools import partial

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import SOURCES_HELP, app, emit, json_mode, print_sources


def _span(summary: dict | None, low: str, high: str, unit: str) -> str:
    """``"1-25 J/cm²"`` from a summary table, or an empty string."""
    if not summary or summary.get(low) is None:
        return ""
    if summary[low] == summary[high]:
        return f"{summary[low]:g} {unit}"
    return f"{summary[low]:g}-{summary[high]:g} {unit}"


@app.command()
def devices(
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List the device profiles: bundled ones, then user files from DERMALASE_DEVICE_PATH."""
    json_mode(as_json)
    from dermalase import citations
    from dermalase.devices import bundled_device_files, list_devices

    bundled = {path.resolve() for path in bundled_device_files()}
    rows = []
    for profile in list_devices():
        summary = profile.summary()
        summary["bundled"] = profile.path is not None and profile.path.resolve() in bundled
        summary["path"] = None if profile.path is None else str(profile.path)
        rows.append(summary)
    keys = citations.merge(*(_keys(row) for row in rows))
    payload = {"devices": rows, "sources": citations.format_sources(keys)}
    emit(payload, as_json, partial(_render_devices, sources=sources))


def _keys(summary: dict) -> tuple[str, ...]:
    from dermalase import citations

    known = citations.registered()
    return tuple(source for source in summary["sources"] if source in known)


def _render_devices(result: dict, sources: bool = False) -> None:
    console = Console()
    table = Table(title="Device profiles")
    # The name is what the user types after --device: a name of up to 24 characters
    # (every bundled one) stays whole; a longer one folds rather than squeeze the rest.
    longest = max((len(row["name"]) for row in result["devices"]), default=4)
    table.add_column("name", overflow="fold", no_wrap=longest <= 24)
    for column in ("nm", "modality", "fluence / energy", "spots", "rate"):
        table.add_column(column, overflow="fold")
    for row in result["devices"]:
        limits = _span(row["full_field"], "fluence_min_j_cm2", "fluence_max_j_cm2", "J/cm²")
        energy = _span(row["fractional"], "energy_min_mj", "energy_max_mj", "mJ")
        spot = row["spot"]
        spots = (
            ", ".join(f"{value:g}" for value in spot["spot_diameters_um"]) + " µm"
            if spot["spot_diameters_um"]
            else _span(spot, "spot_diameter_min_um", "spot_diameter_max_um", "µm")
        )
        table.add_row(
            row["name"],
            f"{row['wavelength_nm']:g}",
            ", ".join(mode.replace("_", " ") for mode in row["modality"]),
            "; ".join(part for part in (limits, energy) if part),
            spots,
            _span(row["repetition_rate"], "repetition_rate_min_hz", "repetition_rate_max_hz", "Hz"),
        )
    console.print(table)
    for row in result["devices"]:
        where = "bundled" if row["bundled"] else f"user file {row['path']}"
        console.print(
            f"{row['name']}: {row['display_name']}, at most {row['max_passes']} passes ({where})",
            highlight=False,
        )
    console.print(
        "Values not from a source are listed under 'assumptions' in each device file "
        "(dermalase devices --json).",
        highlight=False,
    )
    print_sources(console, result["sources"], sources)
