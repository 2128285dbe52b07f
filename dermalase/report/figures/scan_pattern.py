"""The scan pattern: the spots over the treatment area, coloured by firing time."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import Collection, EllipseCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from dermalase.report.figures.page import (
    DPI,
    PAGE_WIDTH,
    colour_bar,
    new_figure,
    plain_name,
    style_axes,
)
from dermalase.units import MM_PER_M


def _draw_area(axes, area) -> None:
    """Outline of a treatment area [mm] with its exclusions shaded."""
    geometries = getattr(area.polygon, "geoms", [area.polygon])
    for polygon in geometries:
        xs, ys = polygon.exterior.xy
        axes.plot(xs, ys, color="black", linewidth=1.0, zorder=3)
        for ring in polygon.interiors:
            xs, ys = ring.xy
            axes.fill(
                xs, ys, facecolor="#e0e0e0", edgecolor="black", hatch="xx", linewidth=0.8, zorder=3
            )


def scan_figure(
    area,
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    *,
    spot_diameter: float | None = None,
    passes: int | None = None,
) -> Figure:
    """The spots of a scan over the treatment area, coloured by firing time.

    Parameters
    ----------
    area : TreatmentArea
        The area (:mod:`dermalase.scanner.areas`); its outline is drawn and its
        exclusions (eyes, lips, nostrils) are shaded.
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    t : numpy.ndarray
        Firing time of each spot from the start of the treatment [s].
    spot_diameter : float, optional
        Spot or MTZ diameter [m]: spots are drawn to scale when they span at
        least three pixels; smaller ones (and all, without a diameter) are
        drawn as dots as wide as their mean spacing, and the title says so.
    passes : int, optional
        Number of passes, for the title.

    Returns
    -------
    matplotlib.figure.Figure
        Axes in millimetres, equal scales; later spots are drawn over earlier
        ones, the colour bar gives the firing time in seconds or minutes.
    """
    x = np.asarray(x, dtype=float) * MM_PER_M
    y = np.asarray(y, dtype=float) * MM_PER_M
    t = np.asarray(t, dtype=float)
    if not x.size == y.size == t.size:
        raise ValueError("x, y and t must have one value per spot")
    xmin, ymin, xmax, ymax = area.polygon.bounds
    aspect = (ymax - ymin) / max(xmax - xmin, 1e-9)
    height = float(np.clip(PAGE_WIDTH * aspect * 0.85, 3.2, 7.5))
    figure = new_figure(PAGE_WIDTH, height)
    axes = figure.add_subplot()
    span = float(t.max() - t.min()) if t.size else 0.0
    in_minutes = span > 120.0
    colour = t / 60.0 if in_minutes else t
    norm = Normalize(
        vmin=float(colour.min()) if t.size else 0.0, vmax=float(colour.max()) if t.size else 1.0
    )
    extent = max(xmax - xmin, ymax - ymin)
    pad = 0.03 * extent
    # Points per millimetre on the page: equal scales in an axes box of about
    # 78 % of the figure width (the rest is the colour bar) and 85 % of its height.
    points_per_mm = 72.0 * min(
        0.78 * PAGE_WIDTH / (xmax - xmin + 2 * pad), 0.85 * height / (ymax - ymin + 2 * pad)
    )
    diameter = None if spot_diameter is None else spot_diameter * MM_PER_M
    drawn = 0.0 if diameter is None else diameter * points_per_mm
    # A spot is drawn to scale when it spans at least three pixels; smaller
    # spots become dots as wide as their mean spacing in one pass, so that the
    # colours still show the firing order.
    enlarged = drawn < 3 * 72.0 / DPI
    spots: Collection  # ellipses to scale, or enlarged dots
    if not enlarged:
        assert diameter is not None  # drawn to scale, so it has a diameter
        spots = EllipseCollection(
            widths=diameter,
            heights=diameter,
            angles=0.0,
            units="xy",
            offsets=np.column_stack((x, y)),
            offset_transform=axes.transData,
            cmap="viridis",
            norm=norm,
            linewidths=0.0,
            alpha=0.8,
            rasterized=True,
        )
        spots.set_array(colour)
        axes.add_collection(spots)
    else:
        per_pass = max(x.size / max(passes or 1, 1), 1.0)
        spacing = math.sqrt(area.area_mm2 / per_pass) * points_per_mm
        dot = max(drawn, spacing, 72.0 / DPI)
        spots = axes.scatter(
            x,
            y,
            c=colour,
            s=dot**2,
            cmap="viridis",
            norm=norm,
            linewidths=0,
            marker="o",
            rasterized=True,
        )
    _draw_area(axes, area)
    axes.set_xlim(xmin - pad, xmax + pad)
    axes.set_ylim(ymin - pad, ymax + pad)
    axes.set_aspect("equal")
    colour_bar(figure, spots, axes, f"firing time [{'min' if in_minutes else 's'}]")
    details = [f"{x.size:,} spots"]
    if passes is not None:
        details.append(f"{passes} pass{'es' if passes != 1 else ''}")
    if diameter is not None:
        details.append(f"{diameter:.3g} mm spots")
    if enlarged:
        details.append("dots enlarged")
    style_axes(
        axes,
        f"{plain_name(area.name)}: " + ", ".join(details) + " (hatched: excluded)",
        "x [mm]",
        "y [mm]",
    )
    return figure
