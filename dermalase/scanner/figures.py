"""Figures of a scan: spots coloured by firing time, and the fluence map.

Figures are drawn with matplotlib's object API on the Agg canvas (no pyplot
state, no display needed) and saved as PNG. Axes are in millimetres.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dermalase.scanner.areas import MM_PER_M, TreatmentArea
from dermalase.scanner.pattern import FluenceMap

#: Figure size [inch] and resolution [dots per inch].
FIGURE_SIZE = (7.0, 6.0)
DPI = 120


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
    path = Path(path)
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=DPI, format="png")
    return path


def plot_spots(
    area: TreatmentArea,
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    path: str | Path,
    *,
    spot_diameter: float | None = None,
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
    spot_diameter : float, optional
        Spot diameter [m]; markers are drawn to scale when the spots are few.
    title : str
        Figure title.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    figure = Figure(figsize=FIGURE_SIZE)
    axes = figure.add_subplot()
    _outline(axes, area)
    size = 4.0 if x.size > 20_000 or spot_diameter is None else 12.0
    points = axes.scatter(
        x * MM_PER_M, y * MM_PER_M, c=t, s=size, cmap="viridis", linewidths=0, rasterized=True
    )
    figure.colorbar(points, ax=axes, label="firing time [s]")
    axes.set_title(title or f"{area.name}: {x.size} spots")
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
    shown = np.where(fluence.inside, fluence.values, np.nan)
    extent = tuple(value * MM_PER_M for value in fluence.extent)
    image = axes.imshow(shown, origin="lower", extent=extent, cmap="magma", interpolation="nearest")
    _outline(axes, area)
    figure.colorbar(image, ax=axes, label="local fluence [single-spot fluences]")
    axes.set_title(
        title
        or f"{area.name}: {fluence.profile}, {fluence.min_factor:.2g}-"
        f"{fluence.max_factor:.2g} x single-spot fluence"
    )
    return _save(figure, path)
