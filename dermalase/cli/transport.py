"""``dermalase transport``: Monte Carlo light transport in a layered medium.

The layers come from a TOML file (``--layers``) or from an area of skin at a
wavelength (``--area`` with ``--wavelength``, through the tissue-optics
library). The command prints where the light goes, as fractions of the
incident power with their standard errors, and can draw A(r, z) and the
fluence.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
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

#: Most photon packets one command traces (about 1-2 h of one core in skin).
PHOTON_LIMIT = 10**9
#: Deepest and widest grid drawn [m].
GRID_DEPTH_LIMIT = 4e-3
GRID_BINS = 100
BEAMS = ("pencil", "gaussian", "top-hat", "diffuse")


def read_photons(text: str, option: str = "--photons") -> int:
    """A whole number of packets from ``1e6`` or ``1000000``, 1 to :data:`PHOTON_LIMIT`."""
    allowed = f"a whole number from 1 to {PHOTON_LIMIT:.0e}, e.g. 1e6"
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise InputError(option, text, allowed) from None
    if not (math.isfinite(value) and value == int(value) and 1 <= value <= PHOTON_LIMIT):
        raise InputError(option, text, allowed)
    return int(value)


def read_threads(value: int | None, option: str = "--threads") -> int:
    """Threads to use: 1 to the cores numba sees; all of them by default."""
    import numba

    most = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
    if value is None:
        return most
    if not 1 <= value <= most:
        raise InputError(option, value, f"must be a whole number from 1 to {most} (the cores)")
    return value


def read_compute(text: str, option: str = "--compute") -> str:
    """``auto``, ``cpu`` or ``gpu``; ``gpu`` only where a CUDA GPU is usable.

    A GPU asked for on a machine without one is a bad choice for this
    machine (exit 2), not a limit of the physics; ``auto`` falls back to the
    CPU.
    """
    from dermalase.physics.transport import monte_carlo, monte_carlo_gpu

    where = options.name(text, monte_carlo.DEVICES, option)
    if where == "gpu" and not monte_carlo_gpu.available():
        raise InputError(
            option, text, "no CUDA GPU is usable on this machine (numba.cuda.is_available() "
            "is False); give auto or cpu",
        )  # fmt: skip
    return where


def read_beam(text: str, option: str = "--beam") -> tuple[str, float]:
    """``pencil``, ``gaussian:120um`` (1/e² diameter), ``top-hat:1mm`` -> (profile, radius [m])."""
    profile, _, size = text.partition(":")
    profile = options.name(profile, BEAMS, option)
    if profile in ("pencil", "diffuse"):
        if size:
            raise InputError(option, text, f"a {profile} beam has no diameter; write {profile}")
        return profile, 0.0
    if not size:
        raise InputError(option, text, f"give the diameter, e.g. {profile}:120um")
    diameter = options.spot(size, option, options.SCAN_SPOT_RANGE)
    return profile.replace("-", "_"), diameter / 2.0


def _grid(stack, beam_radius: float) -> tuple[float, float]:
    """Radial and depth bin widths [m] of a 100 x 100 grid that shows the light."""
    depth = stack.finite_depth + (2e-3 if stack.semi_infinite else 0.0)
    depth = min(depth, GRID_DEPTH_LIMIT)
    radius = max(1e-3, 3.0 * beam_radius)
    return radius / GRID_BINS, depth / GRID_BINS


def _check_png(path: str) -> Path:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("--png", path, f"the folder {str(folder)!r} does not exist")
    if target.suffix.lower() != ".png":
        raise InputError("--png", path, "give a file name ending in .png")
    return target


@app.command()
def transport(
    layers: str = typer.Option(None, help="TOML file of layers (n, mua, mus, g, thickness)."),
    area: str = typer.Option(None, help="Or an anatomical area, e.g. cheek (needs --wavelength)."),
    wavelength: str = typer.Option(None, help="With --area: wavelength, e.g. 1470nm."),
    skin_type: str = typer.Option("II", help="With --area: Fitzpatrick skin type I-VI."),
    photons: str = typer.Option("1e5", help="Photon packets to trace, e.g. 1e6."),
    seed: int = typer.Option(0, min=0, help="Seed: the same seed gives the same answer."),
    threads: int = typer.Option(None, help="CPU threads (default: all cores)."),
    compute: str = typer.Option(
        "auto",
        help="Where the photons are traced: auto (a CUDA GPU when one is present, else the "
        "CPU), cpu or gpu.",
    ),
    beam: str = typer.Option(
        "pencil", help="pencil, gaussian:120um, top-hat:1mm (diameter) or diffuse (Lambertian)."
    ),
    png: str = typer.Option(None, help="Write A(r, z) and the fluence to this PNG file."),
    sources: bool = typer.Option(False, "--sources", help=SOURCES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Trace photons through layered tissue: reflectance, transmittance and absorption."""
    json_mode(as_json)
    from dermalase.cli.optics import read_skin_type, read_wavelength
    from dermalase.tissue import layer_stack

    if (layers is None) == (area is None):
        raise InputError("--layers", "missing" if layers is None else layers,
                         "give either --layers FILE or --area with --wavelength")  # fmt: skip
    count = read_photons(photons)
    thread_count = read_threads(threads)
    where = read_compute(compute)
    profile, beam_radius = read_beam(beam)
    target = _check_png(png) if png is not None else None
    wavelength_m = None
    if layers is not None:
        if wavelength is not None:
            raise InputError("--wavelength", wavelength, "only used with --area")
        stack = layer_stack.read_layer_file(layers)
    else:
        if wavelength is None:
            raise InputError("--wavelength", "missing", "give it with --area, e.g. 1470nm")
        wavelength_m = read_wavelength(wavelength)
        stack = layer_stack.from_area(area, wavelength_m, read_skin_type(skin_type))
    result, seconds = _run(stack, count, seed, thread_count, profile, beam_radius, where)
    payload = _payload(stack, result, seconds, seed, thread_count, profile, beam_radius,
                       wavelength_m, area)  # fmt: skip
    payload["png"] = None
    if target is not None:
        payload["png"] = str(_draw(stack, result, target))
    emit(payload, as_json, partial(_render, sources=sources))


def _run(stack, count, seed, thread_count, profile, beam_radius, device):
    from dermalase.physics.transport.monte_carlo import transport as trace

    dr, dz = _grid(stack, beam_radius)
    settings = dict(
        seed=seed, threads=thread_count, beam=profile, beam_radius=beam_radius,
        radial_bin=dr, radial_bins=GRID_BINS, depth_bin=dz, depth_bins=GRID_BINS, device=device,
    )  # fmt: skip
    # compile (or load the cached kernel) outside the timed run
    trace(**stack.transport_arguments(), photons=1, **settings)
    start = time.perf_counter()
    result = trace(**stack.transport_arguments(), photons=count, **settings)
    return result, time.perf_counter() - start


def _payload(stack, result, seconds, seed, threads, profile, beam_radius, wavelength, area):
    from dermalase import citations
    from dermalase.units import clinical_mapping

    layers = [
        clinical_mapping(
            {
                "layer": name,
                "refractive_index": float(stack.refractive_index[i]),
                "absorption_coefficient": float(stack.absorption_coefficient[i]),
                "scattering_coefficient": float(stack.scattering_coefficient[i]),
                "anisotropy": float(stack.anisotropy[i]),
                "layer_thickness": (
                    float(stack.thickness[i]) if math.isfinite(stack.thickness[i]) else None
                ),
            }
        )
        for i, name in enumerate(stack.names)
    ]
    inputs = {"area": area, "wavelength": wavelength} if area else {}
    beam = {"beam": profile.replace("_", "-")}
    if profile != "pencil":
        beam["spot_diameter"] = 2.0 * beam_radius
    return {
        **clinical_mapping(inputs),
        **clinical_mapping(beam),
        "n_above": stack.n_above,
        "n_below": stack.n_below,
        "layers": layers,
        "specular_reflectance": result.specular_reflectance,
        "diffuse_reflectance": result.diffuse_reflectance,
        "diffuse_reflectance_stderr": result.diffuse_reflectance_stderr,
        "transmittance": result.transmittance,
        "transmittance_stderr": result.transmittance_stderr,
        "absorbed": result.absorbed,
        "absorbed_stderr": result.absorbed_stderr,
        "absorbed_per_layer": [float(x) for x in result.absorbed_per_layer],
        "absorbed_per_layer_stderr": [float(x) for x in result.absorbed_per_layer_stderr],
        "photons": result.photons,
        "photons_per_second": round(result.photons / max(seconds, 1e-9)),
        "seed": seed,
        "compute": result.device,
        "threads": threads if result.device == "cpu" else None,
        "sources": citations.format_sources(stack.sources),
    }


def _draw(stack, result, target: Path) -> Path:
    """A(r, z) and the fluence, mirrored about the beam axis, with the layer boundaries."""
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    r_mm = result.radial_edges * 1e3
    z_mm = result.depth_edges * 1e3
    x_mm = np.concatenate((-r_mm[::-1], r_mm[1:]))
    figure = Figure(figsize=(10.0, 4.4), layout="constrained")
    # bins no photon reached are drawn as the darkest colour, not left blank
    palette = colormaps["inferno"].with_extremes(bad="black", under="black")
    panels = (
        (result.absorbed_rz * 1e-6, "absorbed A(r, z) [1/cm³ per J incident]"),
        (result.fluence_rz * 1e-4, "fluence [1/cm² per J incident]"),
    )
    for column, (values, label) in enumerate(panels, start=1):
        axes = figure.add_subplot(1, 2, column)
        mirrored = np.concatenate((values[::-1], values), axis=0)
        positive = mirrored[mirrored > 0]
        norm = (
            LogNorm(vmin=max(positive.max() * 1e-5, positive.min()), vmax=positive.max())
            if positive.size
            else None
        )
        image = axes.pcolormesh(x_mm, z_mm, mirrored.T, norm=norm, cmap=palette, shading="flat")
        for depth in np.cumsum(stack.thickness)[:-1] * 1e3:
            if depth <= z_mm[-1]:
                axes.axhline(depth, color="white", linewidth=0.6, linestyle="--")
        axes.set_ylim(z_mm[-1], 0.0)
        axes.set_xlabel("radius from the beam axis [mm]")
        axes.set_ylabel("depth [mm]")
        axes.set_title(label, fontsize=10)
        figure.colorbar(image, ax=axes)
    return save_png(figure, target)


def save_png(figure, target: Path) -> Path:
    """Write a figure as PNG atomically: to a temporary file beside ``target``, then rename."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError("--png", str(target), f"cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            figure.savefig(stream, dpi=120, format="png")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise InputError(
                "--png", str(target), f"cannot be written ({error.strerror})"
            ) from None
        raise
    return target


def _render(result: dict, sources: bool = False) -> None:
    console = Console()
    where = (
        f"the {result['area']} at {result['wavelength_nm']:g} nm"
        if "area" in result
        else counted(len(result["layers"]), "layer")
    )
    table = key_value_table(f"Light transport in {where} (fractions of the incident power)")

    def share(key: str) -> str:
        value = result[key]
        error = result.get(f"{key}_stderr")
        return f"{value:.5f}" + (f" ± {error:.5f}" if error is not None else "")

    table.add_row("Specular reflectance", share("specular_reflectance"))
    table.add_row("Diffuse reflectance", share("diffuse_reflectance"))
    table.add_row("Transmittance", share("transmittance"))
    table.add_row("Absorbed", share("absorbed"))
    for row, value, error in zip(
        result["layers"], result["absorbed_per_layer"], result["absorbed_per_layer_stderr"],
        strict=True,
    ):  # fmt: skip
        table.add_row(f"  in {row['layer'].replace('_', ' ')}", f"{value:.5f} ± {error:.5f}")
    on = "the GPU" if result["compute"] == "gpu" else counted(result["threads"], "CPU thread")
    table.add_row(
        "Photons",
        f"{result['photons']:,} at {result['photons_per_second']:,}/s on {on}, "
        f"seed {result['seed']}",
    )
    if result["png"]:
        table.add_row("Picture", result["png"])
    console.print(table)
    console.print("± is one standard error of the Monte Carlo estimate.", highlight=False)
    print_sources(console, result["sources"], sources)
