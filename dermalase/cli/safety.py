"""``dermalase safety``: eye and skin MPE, hazard distances and eyewear OD of a device."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import app, device_title, emit, json_mode


@app.command()
def safety(
    device: str = typer.Option(..., help="Device profile name (see `dermalase devices`)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Laser safety of a device: MPE (eye, skin), NOHD and eyewear OD at each wavelength."""
    json_mode(as_json)
    from dermalase import citations
    from dermalase.devices import load_device
    from dermalase.safety.assessment import SOURCES, assess_device

    profile = load_device(device)
    lines = assess_device(profile)
    beam_assumptions = [key for key in profile.assumptions if key.startswith("beam.")]
    payload = {
        "device": profile.name,
        "wavelengths": [line.summary() | {"pulse_train": line.train} for line in lines],
        "beam": None if profile.beam is None else profile.beam.summary(),
        "assumptions": beam_assumptions,
        "notes": [
            "MPE per pulse for the worst of every pulse train the device can fire "
            "(pulse_train), over the exposure duration (IEC 60825-1:2014 Tables A.1 and A.5, "
            "pulse rules of clause 4.3 f); a point source).",
            "NOHD of the handpiece beam (nohd_m), of its diffuse reflection from skin "
            "(nohd_diffuse_m, reflectance an assumption) and of the delivery arm.",
            "Not a substitute for the laser safety officer's hazard analysis.",
        ],
        "sources": citations.format_sources(citations.merge(SOURCES, profile.citation_keys)),
    }
    emit(payload, as_json, _render)


def _metres(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _render(result: dict) -> None:
    console = Console()
    table = Table(
        title=f"Laser safety: {device_title(result['device'])}",
        caption="MPE per pulse (eye, skin) in J/m²; NOHD of the handpiece beam, its diffuse "
        "reflection and the delivery arm in m; eyewear OD",
    )
    for column in ("nm", "exposure", "eye", "skin", "rule", "NOHD", "diffuse", "arm", "OD"):
        table.add_column(column, no_wrap=column != "rule")
    for row in result["wavelengths"]:
        table.add_row(
            f"{row['wavelength_nm']:g}",
            f"{row['exposure_duration_s']:g} s",
            f"{row['mpe_eye_j_m2']:.4g}",
            f"{row['mpe_skin_j_m2']:.4g}",
            row["mpe_rule"].replace("_", " "),
            _metres(row["nohd_m"]),
            _metres(row["nohd_diffuse_m"]),
            _metres(row["nohd_delivery_arm_m"]),
            f"{row['od_required']:.1f}",
        )
    console.print(table)
    for row in result["wavelengths"]:
        console.print(
            f"Worst case at {row['wavelength_nm']:g} nm: {row['pulse_train']}, "
            f"{row['pulse_energy_mj']:g} mJ at {row['repetition_rate_hz']:g} Hz.",
            highlight=False,
        )
    for note in result["notes"]:
        console.print(note, highlight=False)
    if result["assumptions"]:
        console.print("Assumed beam values: " + ", ".join(result["assumptions"]), highlight=False)
    console.print("Sources:")
    for source in result["sources"]:
        console.print(f"  - {source}", highlight=False)
