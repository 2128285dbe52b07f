"""``dermalase areas``: every treatment area a consultation accepts, with its skin layers."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import SOURCES_HELP, app, emit, json_mode, print_sources

#: Layers the table shows, with their (short) column headers.
_LAYERS = {
    "stratum_corneum": "stratum corneum",
    "viable_epidermis": "viable epidermis",
    "papillary_dermis": "papillary dermis",
    "reticular_dermis": "reticular dermis",
}


@app.command()
def areas(
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List every treatment area a consultation accepts (aliases too), with its skin layers."""
    json_mode(as_json)
    from dermalase import citations
    from dermalase.clinical.consultation import AREA_ALIASES, FULL_FACE, TREATMENT_AREAS
    from dermalase.tissue.areas import AREAS, skin_model
    from dermalase.units import clinical_mapping

    rows: list[dict] = []
    for name, skin in TREATMENT_AREAS.items():
        anatomy = AREAS[skin]
        model = skin_model(skin)
        note = anatomy.note
        if name == FULL_FACE:
            note = (
                f"The whole face as one area, planned on the skin of the {skin} "
                f"(dose, translate and simulate take --area {skin}). {note}".strip()
            )
        rows.append(
            clinical_mapping(
                {
                    "area": name,
                    "aliases": [alias for alias, target in AREA_ALIASES.items() if target == name],
                    "skin_area": skin,
                    "layer_thickness": {layer.name: layer.thickness for layer in model.layers},
                    "epidermis_thickness": model.epidermis_thickness,
                    "dermis_thickness": model.dermis_thickness,
                    "note": note,
                    "sources": list(anatomy.sources),
                }
            )
        )
    keys = citations.merge(*(row["sources"] for row in rows))
    payload = {"areas": rows, "sources": citations.format_sources(keys)}
    emit(payload, as_json, lambda result: _render(result, sources))


def _render(result: dict, sources: bool = False) -> None:
    console = Console()
    table = Table(title="Treatment areas a consultation accepts (layers in µm)")
    # the longest name (dorsal_hand, 11) on one line; the numbers take their headers' words
    table.add_column("area", overflow="fold", min_width=11)
    for header in _LAYERS.values():
        table.add_column(header, overflow="fold", justify="right", max_width=9)
    table.add_column("also accepted", overflow="fold")
    for row in result["areas"]:
        layers = row["layer_thickness_um"]
        table.add_row(
            row["area"],
            *(f"{layers[key]:.0f}" for key in _LAYERS),
            ", ".join(row["aliases"]),
        )
    console.print(table)
    console.print(
        "Names ignore case, spaces and hyphens (full-face is full_face). "
        "full_face is planned on the cheek's skin.",
        highlight=False,
    )
    print_sources(console, result["sources"], sources)
