"""``dermalase atlas``: sweeps of wavelength, skin type, spot and energy as Dask tasks."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from dermalase.cli import options
from dermalase.cli.app import app, counted, emit, json_mode
from dermalase.exceptions import InputError

#: Values one list option may hold.
LIST_LIMIT = 50
_SCHEDULER = re.compile(r"^tcp://[A-Za-z0-9.\-]+:[0-9]{1,5}$|^tcp://\[[0-9A-Fa-f:]+\]:[0-9]{1,5}$")


def _list(text: str, option: str, read) -> tuple:
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise InputError(option, text, "give values separated by commas, e.g. 5mJ,10mJ")
    if len(items) > LIST_LIMIT:
        raise InputError(option, f"{len(items)} values", f"at most {LIST_LIMIT}")
    values = tuple(read(item, option) for item in items)
    if len(set(values)) != len(values):
        raise InputError(option, text, "a value is given twice")
    return values


def _client(scheduler: str | None, workers: int | None):
    """A Dask client on the given scheduler, or on a new local cluster, and what to close."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        if not _SCHEDULER.match(scheduler):
            raise InputError("--scheduler", scheduler, "give an address like tcp://10.0.0.5:8786")
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            reason = type(error).__name__
            raise InputError(
                "--scheduler", scheduler, f"no Dask scheduler answers ({reason})"
            ) from None
        return client, [client]
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    return client, [client, cluster]


@app.command()
def atlas(
    area: str = typer.Option(..., help="Anatomical area, e.g. cheek."),
    wavelength: str = typer.Option(..., help="Wavelengths, e.g. 1470nm,1550nm,1927nm."),
    skin_type: str = typer.Option("II", help="Fitzpatrick types, e.g. II,IV,VI."),
    spot: str = typer.Option(..., help="Microbeam 1/e² diameters, e.g. 120um,300um."),
    energy: str = typer.Option(..., help="Energies per microbeam, e.g. 5mJ,10mJ,20mJ."),
    photons: str = typer.Option("1e5", help="Photon packets per task."),
    seed: int = typer.Option(
        0, min=0, help="Seed of the sweep (results do not depend on workers)."
    ),
    pulse_duration: str = typer.Option("1ms", help="Pulse duration of the column model."),
    out: str = typer.Option(..., help="Parquet file to write the atlas to."),
    png: str = typer.Option(None, help="Also draw the atlas to this PNG file."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file."),
    scheduler: str = typer.Option(None, help="An existing Dask cluster, tcp://HOST:PORT."),
    workers: int = typer.Option(None, min=1, help="Local cluster: worker processes (all cores)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Sweep wavelength x skin type x spot x energy as Dask tasks; store a Parquet atlas."""
    json_mode(as_json)
    from dermalase import atlas as atlas_module
    from dermalase.cli.optics import read_skin_type
    from dermalase.cli.transport import _check_png, read_photons
    from dermalase.tissue import resolve_area

    sweep = atlas_module.Sweep(
        area=resolve_area(area).name,
        wavelengths=_list(wavelength, "--wavelength", options.wavelength),
        skin_types=_list(skin_type, "--skin-type", read_skin_type),
        spot_diameters=_list(spot, "--spot", options.spot),
        energies=_list(energy, "--energy", options.energy),
        photons=read_photons(photons),
        seed=seed,
        pulse_duration=options.duration(pulse_duration, "--pulse-duration"),
    )
    target = Path(out)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("--out", out, f"the folder {str(folder)!r} does not exist")
    if target.exists() and not force:
        raise InputError("--out", out, "exists; give --force to replace it")
    picture = _check_png(png) if png is not None else None
    client, to_close = _client(scheduler, workers)
    try:
        rows = _run_with_progress(atlas_module, sweep, client)
    finally:
        for resource in to_close:
            resource.close()
    stored = atlas_module.write(rows, sweep, target)
    payload = {
        "store": str(stored),
        "scheduler": scheduler or "local",
        "tasks": sweep.task_count,
        **_version(),
        "rows": atlas_module.clinical_rows(rows),
        "png": None,
    }
    if picture is not None:
        payload["png"] = str(_draw(payload["rows"], picture))
    emit(payload, as_json, partial(_render))


def _version() -> dict:
    from dermalase import __version__

    return {"dermalase_version": __version__}


def _run_with_progress(atlas_module, sweep, client):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=Console(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("atlas tasks", total=sweep.task_count)
        return atlas_module.run(
            sweep, client, progress=lambda done, total: bar.update(task, completed=done)
        )


def _draw(rows: list[dict], target: Path) -> Path:
    """Column depth against energy, and the depth of the absorbed light against skin type."""
    from matplotlib.figure import Figure

    from dermalase.cli.transport import save_png

    figure = Figure(figsize=(10.0, 4.2), layout="constrained")
    depth_axes, light_axes = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    types = list(dict.fromkeys(row["skin_type"] for row in rows))
    beams = list(dict.fromkeys((row["wavelength_nm"], row["spot_diameter_um"]) for row in rows))
    for wavelength, spot in beams:
        label = f"{wavelength:g} nm, {spot:g} µm"
        same = [
            r for r in rows if (r["wavelength_nm"], r["spot_diameter_um"]) == (wavelength, spot)
        ]
        first = [r for r in same if r["skin_type"] == types[0]]
        depth_axes.plot(
            [r["energy_mj"] for r in first], [r["total_depth_um"] for r in first],
            marker="o", label=label,
        )  # fmt: skip
        by_type = {r["skin_type"]: r["absorption_depth_um"] for r in same}
        light = [by_type[kind] for kind in types]
        light_axes.plot(types, light, marker="o", label=label)
    depth_axes.set_xlabel("energy per microbeam [mJ]")
    depth_axes.set_ylabel("ablation + coagulation depth [µm]")
    depth_axes.set_title(f"column model (skin type {types[0]})", fontsize=10)
    light_axes.set_xlabel("Fitzpatrick skin type")
    light_axes.set_ylabel("depth holding 90 % of the absorbed light [µm]")
    light_axes.set_title("Monte Carlo light transport", fontsize=10)
    for axes in (depth_axes, light_axes):
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8)
    return save_png(figure, target)


def _render(result: dict) -> None:
    console = Console()
    table = Table(title=f"Atlas: {result['tasks']} tasks on {result['scheduler']} Dask workers")
    headers = {
        "wavelength_nm": "λ nm",
        "skin_type": "type",
        "spot_diameter_um": "spot µm",
        "energy_mj": "mJ",
        "diffuse_reflectance": "Rd",
        "absorption_depth_um": "light 90 % µm",
        "ablation_depth_um": "ablation µm",
        "total_depth_um": "depth µm",
        "mtz_diameter_um": "MTZ µm",
    }
    for header in headers.values():
        table.add_column(header, justify="right", overflow="fold")
    for row in result["rows"]:
        table.add_row(*(_cell(key, row[key]) for key in headers))
    console.print(table)
    console.print(
        f"Stored in {result['store']} (dermalase {result['dermalase_version']}). "
        "Rd: diffuse reflectance; light 90 %: depth holding 90 % of the absorbed light; "
        "depth: ablation plus coagulation of the column model.",
        highlight=False,
    )
    from dermalase.atlas import SCATTERING_MATTERS

    scattered = sorted(
        {
            r["wavelength_nm"]
            for r in result["rows"]
            if r["scattering_to_absorption"] > SCATTERING_MATTERS
        }
    )
    if scattered:
        shown = ", ".join(f"{w:g}" for w in scattered)
        console.print(
            f"Caution: at {shown} nm the dermis scatters more than a tenth of what it absorbs "
            "(µs′/µa in --json); the column model deposits light without scattering, so its "
            "depths there are not yet those of skin.",
            highlight=False,
        )
    warned = sum(1 for r in result["rows"] if r["warnings"])
    if warned:
        console.print(
            f"Column model warnings on {counted(warned, 'row')} (see --json).", highlight=False
        )
    if result["png"]:
        console.print(f"Picture: {result['png']}", highlight=False)


def _cell(key: str, value) -> str:
    if value is None:
        return "-"
    if key == "diffuse_reflectance":
        return f"{value:.4f}"
    if key == "energy_mj":
        return f"{value:g}"
    return f"{value:.0f}" if isinstance(value, float) else str(value)
