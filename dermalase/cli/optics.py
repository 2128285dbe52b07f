"""``dermalase optics``: absorption, scattering and index of each skin layer at one wavelength."""

from __future__ import annotations

from functools import partial

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import SOURCES_HELP, app, emit, json_mode, print_sources


def read_wavelength(text: str, option: str = "--wavelength") -> float:
    """Wavelength [m] within the skin-optics range (400 nm-11 um), shown in nm."""
    from dermalase.tissue.chromophores import WAVELENGTH_RANGE
    from dermalase.units import NM_PER_M, check_range, parse_quantity

    value = parse_quantity(text, "m", option, example="1470nm")
    low, high = WAVELENGTH_RANGE
    return check_range(
        value, option, low=low, low_inclusive=True, high=high, shown="nm", scale=NM_PER_M
    )


def read_skin_type(text: str, option: str = "--skin-type") -> int:
    """Fitzpatrick type 1-6 from I-VI or 1-6."""
    from dermalase.exceptions import InputError
    from dermalase.tissue.skin_optics import skin_type_number

    try:
        return skin_type_number(text)
    except InputError as error:
        raise InputError(option, text, error.allowed) from None


def optics_payload(area: str, wavelength: float, skin_type: int) -> dict:
    """The per-layer optical properties of an area as the command prints them (clinical keys)."""
    from dermalase import citations
    from dermalase.tissue import skin_model
    from dermalase.tissue.skin_optics import SKIN_TYPES, layer_optics
    from dermalase.units import clinical_mapping

    model = skin_model(area)
    layers = layer_optics(model, wavelength, skin_type)
    rows = [
        clinical_mapping(
            {
                "layer": layer.name,
                "layer_thickness": layer.thickness,
                "refractive_index": layer.refractive_index,
                "absorption_coefficient": layer.absorption_coefficient,
                "reduced_scattering_coefficient": layer.reduced_scattering_coefficient,
                "scattering_coefficient": layer.scattering_coefficient,
                "anisotropy": layer.anisotropy,
                "absorption_by_chromophore": layer.absorption_by_chromophore,
                "volume_fraction": {k: round(v, 4) for k, v in layer.fractions.items()},
                "not_included": list(layer.not_included),
                "sources": list(layer.sources),
            }
        )
        for layer in layers
    ]
    keys = citations.merge(*(layer.sources for layer in layers))
    roman = {number: name for name, number in SKIN_TYPES.items()}
    return {
        **clinical_mapping({"area": model.area, "wavelength": wavelength}),
        "skin_type": roman[skin_type],
        "layers": rows,
        "sources": citations.format_sources(keys),
    }


@app.command()
def optics(
    area: str = typer.Option(..., help="Anatomical area, e.g. cheek."),
    wavelength: str = typer.Option(..., help="Wavelength, 400nm to 11um, e.g. 1470nm."),
    skin_type: str = typer.Option("II", help="Fitzpatrick skin type I-VI (sets the melanin)."),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Print the absorption, scattering and refractive index of each skin layer, with sources."""
    json_mode(as_json)
    payload = optics_payload(area, read_wavelength(wavelength), read_skin_type(skin_type))
    emit(payload, as_json, partial(_render, sources=sources))


def _render(result: dict, sources: bool = False) -> None:
    console = Console()
    table = Table(
        title=(
            f"Skin optics of the {result['area']} at {result['wavelength_nm']:g} nm, "
            f"skin type {result['skin_type']}"
        )
    )
    table.add_column("layer", overflow="fold")
    for header in ("thick-\nness µm", "µa\n1/cm", "µs′\n1/cm", "g", "n"):
        table.add_column(header, justify="right", overflow="fold")
    for row in result["layers"]:
        table.add_row(
            row["layer"].replace("_", " "),
            f"{row['layer_thickness_um']:.0f}",
            f"{row['absorption_coefficient_per_cm']:.4g}",
            f"{row['reduced_scattering_coefficient_per_cm']:.3g}",
            f"{row['anisotropy']:.2f}",
            f"{row['refractive_index']:.2f}",
        )
    console.print(table)
    for row in result["layers"]:
        shares = row["absorption_by_chromophore_per_cm"]
        total = row["absorption_coefficient_per_cm"] or 1.0
        main = max(shares, key=shares.get) if shares else None
        line = f"{row['layer'].replace('_', ' ')}: "
        line += f"µa mostly {main} ({100 * shares[main] / total:.0f} %)" if main else "no absorber"
        if row["not_included"]:
            words = ", ".join(row["not_included"])
            line += f"; no spectrum at this wavelength for {words} (left out)"
        console.print(line, highlight=False)
    print_sources(console, result["sources"], sources)
