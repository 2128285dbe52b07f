"""``dermalase tables``: list and build the response tables of the column model.

A fractional dose reads the column response from a table (see
:mod:`dermalase.forward.tables`). The package ships the tables of every
bundled fractional device on every skin class; ``tables build`` rebuilds
them (after a change to the column model) or builds the tables of a device
of your own into the cache directory. Lookups never build.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dermalase.cli.app import app, emit, json_mode

tables_app = typer.Typer(
    no_args_is_help=True,
    help="List and build the response tables of the fractional column model.",
)
app.add_typer(tables_app, name="tables")


def _targets(device_names: list[str] | None, area_names: list[str] | None):
    """(device, table spec, first area of the skin class, every area of the class)."""
    from dermalase.devices import bundled_device_files, load_device, read_device_file
    from dermalase.exceptions import InputError
    from dermalase.forward import tables
    from dermalase.tissue.areas import resolve_area

    if device_names:
        devices = [load_device(name) for name in device_names]
    else:
        devices = [read_device_file(path) for path in bundled_device_files()]
    fractional = [d for d in devices if tables.tabulated(d)]
    for device in devices:
        if device not in fractional and device_names:
            raise InputError(
                "--device",
                device.name,
                "give an ablative fractional device with an energy range "
                "(non-ablative lines need no table)",
            )
    classes = tables.skin_classes()
    if area_names:
        wanted = {resolve_area(name).name for name in area_names}
        classes = {k: v for k, v in classes.items() if wanted & set(v)}
    return [
        (device, tables.device_spec(device), first, areas)
        for device in fractional
        for first, areas in classes.items()
    ]


def _row(device, spec, areas, table_set, directory: Path, built: bool) -> dict:
    from dermalase.forward import tables

    return {
        "device": device.name,
        "wavelength_nm": round(spec.wavelength * 1e9, 1),
        "areas": areas,
        "file": str(directory / tables.table_file_name(table_set.key)),
        "built_now": built,
        "build_seconds": round(table_set.build_seconds, 1),
        "interpolation_error": {k: round(v, 4) for k, v in table_set.interpolation_error.items()},
    }


@tables_app.command("build")
def build(
    device: list[str] = typer.Option(
        None, "--device", help="Fractional device (repeatable); default: every bundled one."
    ),
    area: list[str] = typer.Option(
        None, "--area", help="Build only the skin class of this area (repeatable)."
    ),
    out: Path = typer.Option(
        None,
        "--out",
        help="Directory to write; default: the package's own tables for bundled devices, "
        "else the cache directory ($DERMALASE_CACHE_DIR or ~/.cache/dermalase).",
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild tables that are up to date."),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Worker processes."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Build the column response tables (about a minute per table on 2 cores)."""
    json_mode(as_json)
    from dermalase.devices import bundled_device_files, read_device_file
    from dermalase.forward import tables
    from dermalase.forward.tables.storage import table_directory

    targets = _targets(device, area)
    bundled = {read_device_file(path).name for path in bundled_device_files()}
    if out is not None:
        directory = table_directory(out, "--out")
    elif all(target[0].name in bundled for target in targets):
        directory = table_directory(tables.shipped_directory(), "the package's table directory")
    else:
        directory = table_directory(tables.cache_directory(), tables.CACHE_VARIABLE)
    console = Console(stderr=True)
    rows = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    ) as progress:
        overall = progress.add_task("tables", total=len(targets))
        for dev, spec, first, areas in targets:
            label = f"{dev.name}, {first} class"
            task = progress.add_task(label, total=None)

            def advance(done: int, total: int, task=task) -> None:
                progress.update(task, completed=done, total=total)

            key = tables.table_key(spec, tables.reference_skin(first, spec.depth_limit))
            existed = (directory / tables.table_file_name(key)).is_file()
            table_set = tables.build_table(
                spec, first, directory=directory, workers=workers, rebuild=force, progress=advance
            )
            built = force or not existed
            progress.remove_task(task)
            progress.advance(overall)
            if not console.is_terminal and not as_json:
                state = f"built in {table_set.build_seconds:.0f} s" if built else "up to date"
                console.print(f"{label}: {state}")
            rows.append(_row(dev, spec, areas, table_set, directory, built))
    payload = {"directory": str(directory), "model_version": tables.MODEL_VERSION, "tables": rows}
    emit(payload, as_json, _render)


@tables_app.command("list")
def list_tables(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")):
    """List the tables the bundled fractional devices use, and where each is found."""
    json_mode(as_json)
    from dermalase.forward import tables

    rows = []
    for dev, spec, first, areas in _targets(None, None):
        key = tables.table_key(spec, tables.reference_skin(first, spec.depth_limit))
        name = tables.table_file_name(key)
        where = next(
            (
                folder
                for folder in (tables.shipped_directory(), tables.cache_directory())
                if (folder / name).is_file()
            ),
            None,
        )
        row = {
            "device": dev.name,
            "wavelength_nm": round(spec.wavelength * 1e9, 1),
            "areas": areas,
            "file": str(where / name) if where else None,
        }
        rows.append(row)
    emit({"model_version": tables.MODEL_VERSION, "tables": rows}, as_json, _render)


def _render(result: dict) -> None:
    table = Table(title=f"Column response tables ({result['model_version']})")
    for column in ("device", "nm", "skin class of", "file"):
        table.add_column(column, overflow="fold")
    for row in result["tables"]:
        table.add_row(
            row["device"],
            f"{row['wavelength_nm']:g}",
            ", ".join(row["areas"]),
            Path(row["file"]).name if row["file"] else "missing: run dermalase tables build",
        )
    Console().print(table)
