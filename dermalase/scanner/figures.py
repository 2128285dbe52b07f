"""Figures of a scan: spots coloured by firing time, and the fluence or coverage map.

Figures are drawn with matplotlib's object API on the Agg canvas (no pyplot
state, no display needed) and saved as PNG. Axes are in millimetres. A figure
is written to a temporary file in the target folder and renamed over the
target, so a failed or interrupted write never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dermalase.exceptions import InputError
from dermalase.scanner.areas import TreatmentArea
from dermalase.scanner.pattern import FluenceMap, coverage_map
from dermalase.units import J_CM2_PER_J_M2, MM_PER_M

#: Figure size [inch] and resolution [dots per inch].
FIGURE_SIZE = (7.0, 6.0)
#: Size of the two-panel scan figure [inch].
SCAN_FIGURE_SIZE = (13.0, 6.0)
DPI = 120
#: Above this many spots the markers are drawn small.
MANY_SPOTS = 20_000


def _outline(axes, area: TreatmentArea) -> None:
    geometries = getattr(area.polygon, "geoms", [area.polygon])
    for polygon in geometries:
        for ring in (polygon.exterior, *polygon.interiors):
            xs, ys = ring.xy
            axes.plot(xs, ys, color="black", linewidth=0.8)
    axes.set_aspect("equal")
    axes.set_xlabel("x [mm]")
    axes.set_ylabel("y [mm]")


def _save(figure: Figure, path: str | Path) -> Path:
    """Write a PNG atomically: to a temporary file beside ``path``, then rename."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("png", str(path), f"the folder {str(folder)!r} does not exist")
    FigureCanvasAgg(figure)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError("png", str(path), f"cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            figure.savefig(stream, dpi=DPI, format="png")
        # mkstemp makes the file private; give it the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise InputError("png", str(path), f"cannot be written ({reason})") from None
        raise
    return path


def _draw_spots(figure, axes, area, x, y, t, title):
    _outline(axes, area)
    size = 1.0 if x.size > MANY_SPOTS else 12.0
    points = axes.scatter(
        x * MM_PER_M, y * MM_PER_M, c=t, s=size, cmap="viridis", linewidths=0, rasterized=True
    )
    figure.colorbar(points, ax=axes, label="firing time [s]")
    axes.set_title(title)


def _draw_map(figure, axes, area, raster: FluenceMap, scale: float, label: str, title: str):
    shown = np.where(raster.inside, raster.values * scale, np.nan)
    extent = tuple(value * MM_PER_M for value in raster.extent)
    image = axes.imshow(shown, origin="lower", extent=extent, cmap="magma", interpolation="nearest")
    _outline(axes, area)
    figure.colorbar(image, ax=axes, label=label)
    axes.set_title(title)


def plot_spots(
    area: TreatmentArea,
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    path: str | Path,
    *,
    title: str = "",
) -> Path:
    """Save a PNG of the area outline with the spots coloured by firing time.

    Parameters
    ----------
    area : TreatmentArea
        The area, drawn as its outline and exclusions.
    x, y : numpy.ndarray
        Spot centres [m].
    t : numpy.ndarray
        Firing times [s].
    path : str or pathlib.Path
        PNG file to write.
    title : str
        Figure title.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    _draw_spots(figure, axes, area, x, y, t, title or f"{area.name}: {x.size} spots")
    return _save(figure, path)


def plot_fluence_map(
    area: TreatmentArea, fluence: FluenceMap, path: str | Path, *, title: str = ""
) -> Path:
    """Save a PNG of the local fluence, in multiples of the single-spot fluence.

    Parameters
    ----------
    area : TreatmentArea
        The area, drawn as its outline and exclusions.
    fluence : FluenceMap
        Raster from :func:`dermalase.scanner.pattern.fluence_map`.
    path : str or pathlib.Path
        PNG file to write.
    title : str
        Figure title.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    _draw_map(
        figure,
        axes,
        area,
        fluence,
        1.0,
        "local fluence [single-spot fluences]",
        title
        or f"{area.name}: {fluence.profile}, {fluence.min_factor:.2g}-"
        f"{fluence.max_factor:.2g} x single-spot fluence",
    )
    return _save(figure, path)


def plot_scan(area: TreatmentArea, plan, path: str | Path, *, coverage_cell: float = 1e-3) -> Path:
    """Save one PNG with two panels: the spots by firing time, and the dose map.

    The right panel is the local fluence of one pass in J/cm^2 for full field
    (single-spot fluences where the plan has no fluence), and the local
    coverage in percent over ``coverage_cell`` squares for fractional work.

    Parameters
    ----------
    area : TreatmentArea
        The area the plan covers.
    plan : ScanPlan
        The plan (:func:`dermalase.scanner.plan.scan_area`).
    path : str or pathlib.Path
        PNG file to write.
    coverage_cell : float
        Cell side of the fractional coverage map [m].

    Returns
    -------
    pathlib.Path
        The file written.
    """
    figure = Figure(figsize=SCAN_FIGURE_SIZE, layout="constrained")
    left, right = figure.subplots(1, 2)
    _draw_spots(
        figure,
        left,
        area,
        plan.x,
        plan.y,
        plan.t,
        f"{area.name}: {plan.spots:,} spots, {plan.order} order, {plan.treatment_minutes:.1f} min",
    )
    if plan.fluence_map is not None:
        scale, unit = 1.0, "single-spot fluences"
        if plan.fluence is not None:
            scale, unit = plan.fluence * J_CM2_PER_J_M2, "J/cm²"
        raster = plan.fluence_map
        label = f"local fluence per pass [{unit}]"
        low, high = raster.min_factor * scale, raster.max_factor * scale
        title = f"local fluence, one pass: {low:.3g}-{high:.3g} {unit}"
    else:
        raster = coverage_map(plan.x, plan.y, plan.zone_diameter, area, cell_size=coverage_cell)
        scale, label = 100.0 / plan.passes, "local coverage per pass [%]"
        title = f"coverage per pass, {coverage_cell * MM_PER_M:g} mm cells"
    _draw_map(figure, right, area, raster, scale, label, title)
    return _save(figure, path)
