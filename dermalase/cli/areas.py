"""``dermalase areas``: the anatomical areas and their layers."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli.app import SOURCES_HELP, app, emit, json_mode, print_sources


@app.command()
def areas(
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List the anatomical areas with their layer thicknesses."""
    json_mode(as_json)
    from dermalase import citations
    from dermalase.tissue.areas import AREAS, skin_model
    from dermalase.units import clinical_mapping

    rows: list[dict] = []
    for name, anatomy in AREAS.items():
        model = skin_model(name)
        rows.append(
            clinical_mapping(
                {
                    "area": name,
                    "layer_thickness": {layer.name: layer.thickness for layer in model.layers},
                    "epidermis_thickness": model.epidermis_thickness,
                    "dermis_thickness": model.dermis_thickness,
                    "note": anatomy.note,
                    "sources": list(anatomy.sources),
                }
            )
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
            layers = row["layer_thickness_um"]
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
        console = Console()
        console.print(table)
        print_sources(console, result["sources"], sources)

    emit(payload, as_json, render)
