"""Figures of a treatment plan, drawn for print.

Each function takes SI inputs (or the plan's clinical-unit dictionaries) and
returns a :class:`matplotlib.figure.Figure` drawn with matplotlib's object API
on the Agg canvas: no pyplot state, no display. Figures are sized in inches
for an A4 page at 100 % (at most :data:`PAGE_WIDTH` wide), every text is at
least :data:`SMALLEST_FONT` points, and every quantity axis is labelled with
its unit in brackets.

The five figures of a plan:

1. :func:`cross_section_figure` -- the skin layers of an area to scale in depth,
   with the ablation crater and the coagulated tissue (full field) or one
   column with its coagulated sleeve (fractional).
2. :func:`thermal_map_figure` -- temperature and thermal damage of one pulse
   train (full field) or one column (fractional).
3. :func:`scan_figure` -- the spots over the treatment area, coloured by
   firing time, with the area's outline and exclusions.
4. :func:`recovery_figure` -- the recovery phases by day and the longer
   course of erythema, sun avoidance and remodelling.
5. :func:`course_figure` -- the sessions of the course on a calendar.

:func:`figure_png` turns a figure into PNG bytes for the HTML and PDF
renderers; :func:`figure_key` names the figures of a plan.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, EllipseCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from dermalase.constants import body_temperature, celsius_zero
from dermalase.tissue.layers import SkinModel

#: Widest figure [inch]: A4 (210 mm) less 20 mm margins on both sides.
PAGE_WIDTH = 6.69
#: Smallest font used anywhere in a figure [pt].
SMALLEST_FONT = 8.0
#: Font sizes [pt] of titles, axis labels, tick labels and legends.
TITLE_FONT = 10.0
LABEL_FONT = 9.0
TICK_FONT = 8.0
LEGEND_FONT = 8.0
#: Resolution of the PNG images [dots per inch].
DPI = 150

#: Micrometres per metre.
UM_PER_M = 1e6
#: Millimetres per metre.
MM_PER_M = 1e3
#: Days per week and mean days per month (365.25 / 12).
DAYS_PER_WEEK = 7.0
DAYS_PER_MONTH = 30.4375

#: Fill colour of each skin layer.
LAYER_COLOURS = {
    "stratum_corneum": "#d9b38c",
    "viable_epidermis": "#f2cfae",
    "papillary_dermis": "#f4b6b6",
    "reticular_dermis": "#e9a0a6",
    "subcutis": "#f7e7a1",
}
#: Colour of coagulated tissue and of the ablated void.
COAGULATION_COLOUR = "#a0522d"
VOID_COLOUR = "#ffffff"
#: Colour of ablated cells in the column maps and of the Ω = 1 contour.
ABLATED_COLOUR = "#bfbfbf"
OMEGA_COLOUR = "#00d5ff"

#: Colour of each recovery phase (names of the plan contract).
PHASE_COLOURS = {
    "redness": "#d62728",
    "bronzing": "#8c564b",
    "dryness": "#bcbd22",
    "flaking": "#ff9896",
    "new skin": "#2ca02c",
}

#: The kinds of figure in a plan, in report order, with the caption each gets.
FIGURE_KINDS = {
    "cross_section": "Skin cross-section",
    "thermal": "Temperature and thermal damage",
    "scan": "Scan pattern",
    "recovery": "Recovery timeline",
    "course": "Course calendar",
}
#: Figure kinds drawn once per treatment area.
AREA_FIGURE_KINDS = ("cross_section", "thermal", "scan")


def figure_key(kind: str, area: str | None = None) -> str:
    """Name of a plan figure in the ``figures`` mapping of the renderers.

    Parameters
    ----------
    kind : str
        One of :data:`FIGURE_KINDS`.
    area : str, optional
        Treatment area name, for the per-area kinds (:data:`AREA_FIGURE_KINDS`).

    Returns
    -------
    str
        ``"kind/area"`` for per-area figures, ``"kind"`` for the others.

    Examples
    --------
    >>> figure_key("scan", "cheek")
    'scan/cheek'
    """
    if kind not in FIGURE_KINDS:
        raise ValueError(f"unknown figure kind {kind!r}; known: {', '.join(FIGURE_KINDS)}")
    if (kind in AREA_FIGURE_KINDS) != (area is not None):
        raise ValueError(f"figure kind {kind!r} {'needs' if area is None else 'takes no'} area")
    return kind if area is None else f"{kind}/{area}"


def figure_png(figure: Figure, dpi: int = DPI) -> bytes:
    """Render a figure to PNG bytes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Figure to render (gets an Agg canvas if it has none).
    dpi : int
        Resolution [dots per inch].

    Returns
    -------
    bytes
        The PNG file.
    """
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# ----------------------------------------------------------------- common style


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(min(width, PAGE_WIDTH), height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _style(axes, title: str, xlabel: str, ylabel: str) -> None:
    axes.set_title(title, fontsize=TITLE_FONT)
    axes.set_xlabel(xlabel, fontsize=LABEL_FONT)
    axes.set_ylabel(ylabel, fontsize=LABEL_FONT)
    axes.tick_params(labelsize=TICK_FONT)


def _colorbar(figure: Figure, mappable, axes, label: str):
    bar = figure.colorbar(mappable, ax=axes)
    bar.set_label(label, fontsize=LABEL_FONT)
    bar.ax.tick_params(labelsize=TICK_FONT)
    return bar


def _layer_label(name: str) -> str:
    return name.replace("_", " ")


def _um(value: float) -> str:
    """A length in metres as micrometres with a sensible number of digits."""
    micrometres = value * UM_PER_M
    return f"{micrometres:.0f} µm" if micrometres >= 10 else f"{micrometres:.1f} µm"


def _duration(seconds: float) -> str:
    """A time in seconds written in µs, ms or s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


# ------------------------------------------------------- 1. skin cross-section


def _view_depth(skin: SkinModel, deepest: float) -> float:
    """Depth shown in a cross-section [m]: the treatment, then some intact skin below."""
    return min(skin.total_thickness, max(1.6 * deepest, 2.5 * skin.epidermis_thickness))


def _draw_layers(axes, skin: SkinModel, view: float, width: tuple[float, float], scale: float):
    """Fill the layer bands down to ``view`` [m]; return legend handles."""
    top = 0.0
    handles = []
    for layer, bottom in zip(skin.layers, skin.boundaries, strict=True):
        if top >= view:
            break
        colour = LAYER_COLOURS.get(layer.name, "#dddddd")
        axes.axhspan(top * scale, min(bottom, view) * scale, color=colour, linewidth=0, zorder=0)
        handles.append(
            Patch(color=colour, label=f"{_layer_label(layer.name)} ({_um(layer.thickness)})")
        )
        if bottom < view:
            axes.axhline(bottom * scale, color="#7f7f7f", linewidth=0.5, zorder=1)
        top = bottom
    axes.set_xlim(*width)
    axes.set_ylim(view * scale, -0.04 * view * scale)
    axes.axhline(0.0, color="black", linewidth=0.8, zorder=4)
    return handles


def _full_field_section(axes, skin, ablation, coagulation, diameter):
    """Crater and coagulation of a full-field spot, or the edge of the treated field."""
    view = _view_depth(skin, ablation + coagulation)
    if diameter is not None:
        half = 0.5 * diameter * MM_PER_M
        width = (-1.6 * half, 1.6 * half)
        left, right = -half, half
    else:
        width = (0.0, 6.0)
        left, right = 1.5, width[1] + 1.0
    handles = _draw_layers(axes, skin, view, width, UM_PER_M)
    # Walls slope over a tenth of the shown width: the spot edge is not a cliff.
    wall = 0.05 * (width[1] - width[0])
    depth_a = ablation * UM_PER_M
    depth_c = (ablation + coagulation) * UM_PER_M
    if coagulation > 0:
        coag = Polygon(
            [
                (left - wall, 0.0),
                (left, depth_c),
                (right, depth_c),
                (right + wall, 0.0),
            ],
            closed=True,
            facecolor=COAGULATION_COLOUR,
            edgecolor="none",
            alpha=0.85,
            hatch="////",
            zorder=2,
        )
        axes.add_patch(coag)
    if ablation > 0:
        crater = Polygon(
            [(left - wall, 0.0), (left, depth_a), (right, depth_a), (right + wall, 0.0)],
            closed=True,
            facecolor=VOID_COLOUR,
            edgecolor="black",
            linewidth=0.8,
            zorder=3,
        )
        axes.add_patch(crater)
    centre = 0.5 * (left + min(right, width[1]))
    if ablation > 0:
        axes.annotate(
            f"ablated {_um(ablation)}",
            xy=(centre, 0.5 * depth_a),
            ha="center",
            va="center",
            fontsize=LEGEND_FONT,
            zorder=5,
        )
    return view, handles


def _column_section(axes, skin, ablation, coagulation, diameter, cuff):
    """One fractional column: a tapering void, its sleeve and the coagulation below the floor."""
    view = _view_depth(skin, ablation + coagulation)
    half = 0.5 * diameter * UM_PER_M
    sleeve = cuff * UM_PER_M
    depth = ablation * UM_PER_M
    below = coagulation * UM_PER_M
    # The column narrows with depth like a paraboloid, half-width ~ sqrt(1 - z/h).
    # The coagulated zone is a wider, deeper paraboloid: its tip lies ``below``
    # under the floor, and its surface width makes the sleeve ``cuff`` thick at
    # half the column depth, where the column model measures the cuff.
    z = np.linspace(0.0, depth, 80)
    wall = half * np.sqrt(np.clip(1.0 - z / depth, 0.0, 1.0))
    tip = depth + below
    outer_half = (half * math.sqrt(0.5) + sleeve) / math.sqrt(1.0 - 0.5 * depth / tip)
    extent = max(3.0 * outer_half, 0.25 * view * UM_PER_M)
    handles = _draw_layers(axes, skin, view, (-extent, extent), UM_PER_M)
    if sleeve > 0 or below > 0:
        zone_z = np.linspace(0.0, tip, 100)
        zone = outer_half * np.sqrt(np.clip(1.0 - zone_z / tip, 0.0, 1.0))
        axes.add_patch(
            Polygon(
                np.column_stack(
                    (np.concatenate((zone, -zone[::-1])), np.concatenate((zone_z, zone_z[::-1])))
                ),
                closed=True,
                facecolor=COAGULATION_COLOUR,
                edgecolor=COAGULATION_COLOUR,
                linewidth=1.0,
                alpha=0.85,
                hatch="////",
                zorder=2,
            )
        )
    void = np.column_stack((np.concatenate((wall, -wall[::-1])), np.concatenate((z, z[::-1]))))
    axes.add_patch(
        Polygon(
            void,
            closed=True,
            facecolor=VOID_COLOUR,
            edgecolor="black",
            linewidth=0.8,
            zorder=3,
        )
    )
    axes.annotate(
        f"column {_um(ablation)} deep, {_um(diameter)} wide",
        xy=(outer_half, 0.5 * depth),
        xytext=(outer_half + 0.15 * extent, 0.5 * depth),
        fontsize=LEGEND_FONT,
        va="center",
        arrowprops={"arrowstyle": "-", "linewidth": 0.6},
        zorder=5,
    )
    return view, handles


def cross_section_figure(
    skin: SkinModel,
    modality: str,
    ablation_depth: float,
    coagulation_depth: float,
    *,
    ablation_diameter: float | None = None,
    coagulation_cuff: float | None = None,
    mtz_diameter: float | None = None,
) -> Figure:
    """Skin layers of an area to scale, with the tissue the treatment removes and coagulates.

    Parameters
    ----------
    skin : SkinModel
        Layered skin of the area (:func:`dermalase.tissue.skin_model`).
    modality : {"full_field", "fractional"}
        Full field draws a crater over the spot (or the edge of the treated
        field) with the coagulated layer below its floor; fractional draws one
        column tapering to its depth, wrapped in its coagulated sleeve.
    ablation_depth : float
        Crater or column depth below the original surface [m].
    coagulation_depth : float
        Coagulated tissue below the crater or column floor [m].
    ablation_diameter : float, optional
        Full field: spot diameter [m] (without it the edge of the treated
        field is drawn). Fractional: diameter of the ablated column at the
        surface [m]; by default the MTZ diameter less two cuffs.
    coagulation_cuff : float, optional
        Fractional: thickness of the coagulated sleeve around the column wall
        [m]; by default half the difference between the MTZ and column
        diameters, or else the coagulation depth.
    mtz_diameter : float, optional
        Fractional: diameter of the microscopic treatment zone, column plus
        sleeve [m].

    Returns
    -------
    matplotlib.figure.Figure
        Depth below the original surface [µm] downwards; lateral position
        [mm] (full field) or [µm] (fractional). The two axes have different
        scales; the depth axis is to scale with the layer thicknesses.

    Raises
    ------
    ValueError
        For an unknown modality, a negative depth, or a fractional column
        whose width cannot be told from the arguments.

    Examples
    --------
    >>> from dermalase.tissue import skin_model
    >>> figure = cross_section_figure(skin_model("cheek"), "full_field", 30e-6, 20e-6)
    >>> figure.axes[0].get_ylabel()
    'depth below the original surface [µm]'
    """
    if ablation_depth < 0 or coagulation_depth < 0:
        raise ValueError("ablation and coagulation depths must be >= 0 m")
    figure = _figure(PAGE_WIDTH, 3.9)
    axes = figure.add_subplot()
    if modality == "full_field":
        _, handles = _full_field_section(
            axes, skin, ablation_depth, coagulation_depth, ablation_diameter
        )
        xlabel = "lateral position [mm]"
        title = (
            f"{_layer_label(skin.area)}, full field: {_um(ablation_depth)} ablated, "
            f"{_um(coagulation_depth)} coagulated"
        )
    elif modality == "fractional":
        cuff = coagulation_cuff
        if cuff is None:
            if mtz_diameter is not None and ablation_diameter is not None:
                cuff = max(0.0, 0.5 * (mtz_diameter - ablation_diameter))
            else:
                cuff = coagulation_depth
        diameter = ablation_diameter
        if diameter is None and mtz_diameter is not None:
            diameter = mtz_diameter - 2.0 * cuff
        if ablation_depth <= 0:
            raise ValueError("a fractional column needs an ablation depth > 0 m")
        if diameter is None or diameter <= 0:
            raise ValueError(
                "a fractional cross-section needs the column diameter "
                "(ablation_diameter, or mtz_diameter wider than two cuffs)"
            )
        _, handles = _column_section(axes, skin, ablation_depth, coagulation_depth, diameter, cuff)
        xlabel = "lateral position from the column axis [µm]"
        title = (
            f"{_layer_label(skin.area)}, fractional column: {_um(ablation_depth)} deep, "
            f"sleeve {_um(cuff)}, {_um(coagulation_depth)} below the floor"
        )
    else:
        raise ValueError(f"unknown modality {modality!r}; use full_field or fractional")
    handles.append(
        Patch(
            facecolor=COAGULATION_COLOUR,
            hatch="////",
            alpha=0.85,
            label=f"coagulated (Ω ≥ 1), {_um(coagulation_depth)} below the floor",
        )
    )
    handles.append(Patch(facecolor=VOID_COLOUR, edgecolor="black", label="ablated (removed)"))
    _style(axes, title, xlabel, "depth below the original surface [µm]")
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=2,
        fontsize=LEGEND_FONT,
        frameon=False,
    )
    return figure


# -------------------------------------------------- 2. temperature and damage


def _full_field_thermal(figure: Figure, effect) -> None:
    solution = effect.solution
    skin = effect.skin
    depth = solution.grid.centres
    floor = solution.surface_index
    crater = effect.ablation_depth
    remaining = slice(floor, None)
    rise = solution.peak_temperature[remaining] - body_temperature
    warm = np.flatnonzero(rise > 0.05 * max(float(np.nanmax(rise)), 1e-9))
    reach = float(depth[remaining][warm[-1]]) if warm.size else crater
    view = min(
        skin.total_thickness,
        1.15 * max(reach, crater + 2.0 * effect.coagulation_depth, crater + 20e-6),
    )
    shown = depth <= view
    x = depth[shown] * UM_PER_M

    temperature_axes, damage_axes = figure.subplots(1, 2, sharex=True)
    times = np.asarray(solution.snapshot_times, dtype=float)
    colours = Normalize(vmin=0, vmax=max(len(times) - 1, 1))
    for index, (time, profile) in enumerate(zip(times, solution.snapshots, strict=True)):
        colour = _viridis(colours(index))
        temperature_axes.plot(
            x,
            profile[shown] - celsius_zero,
            color=colour,
            linewidth=1.2,
            label=f"t = {_duration(time)}",
        )
    peak = np.where(np.arange(depth.size) >= floor, solution.peak_temperature, np.nan)
    temperature_axes.plot(
        x,
        peak[shown] - celsius_zero,
        color="black",
        linestyle="--",
        linewidth=1.0,
        label="peak over the pulses",
    )
    damage = np.where(np.arange(depth.size) >= floor, solution.damage, np.nan)
    damage = np.where(damage > 0, damage, np.nan)
    damage_axes.semilogy(x, damage[shown], color=COAGULATION_COLOUR, linewidth=1.4, label="Ω")
    damage_axes.axhline(
        1.0, color="black", linestyle=":", linewidth=1.0, label="Ω = 1 (coagulated)"
    )
    for axes in (temperature_axes, damage_axes):
        if crater > 0:
            axes.axvspan(0.0, crater * UM_PER_M, color="#cccccc", linewidth=0, label="ablated")
        if effect.coagulation_depth > 0:
            axes.axvspan(
                crater * UM_PER_M,
                (crater + effect.coagulation_depth) * UM_PER_M,
                color=COAGULATION_COLOUR,
                alpha=0.15,
                linewidth=0,
                label=f"coagulated {_um(effect.coagulation_depth)}",
            )
        for _layer, bottom in zip(skin.layers[:-1], skin.boundaries[:-1], strict=True):
            if bottom < view:
                axes.axvline(bottom * UM_PER_M, color="#7f7f7f", linewidth=0.5, linestyle="-.")
        axes.set_xlim(0.0, view * UM_PER_M)
    _style(
        temperature_axes,
        "Temperature at depth",
        "depth below the original surface [µm]",
        "temperature [°C]",
    )
    _style(
        damage_axes,
        "Thermal damage integral",
        "depth below the original surface [µm]",
        "damage integral Ω [-]",
    )
    handles, labels = temperature_axes.get_legend_handles_labels()
    more, more_labels = damage_axes.get_legend_handles_labels()
    for handle, label in zip(more, more_labels, strict=True):
        if label not in labels:
            handles.append(handle)
            labels.append(label)
    handles.append(Line2D([], [], color="#7f7f7f", linewidth=0.5, linestyle="-."))
    labels.append("layer boundary")
    figure.legend(
        handles, labels, loc="outside lower center", ncol=4, fontsize=LEGEND_FONT, frameon=False
    )
    pulses = len(effect.depth_after_pulse)
    figure.suptitle(
        f"{_layer_label(skin.area)}: {pulses} pulse{'s' if pulses != 1 else ''} on one spot, "
        f"{_um(crater)} ablated, {_um(effect.coagulation_depth)} coagulated",
        fontsize=TITLE_FONT,
    )


def _viridis(value: float):
    return colormaps["viridis"](value)


def _column_axes(effect):
    """Radius and depth axes [m] of a column effect and its maps as (depth, radius) arrays."""
    r = np.asarray(effect.r, dtype=float)
    z = np.asarray(effect.z, dtype=float)
    temperature = np.asarray(effect.temperature_map, dtype=float)
    damage = np.asarray(effect.damage_map, dtype=float)
    if temperature.shape == (r.size, z.size) and r.size != z.size:
        temperature, damage = temperature.T, damage.T
    if temperature.shape != (z.size, r.size) or damage.shape != temperature.shape:
        raise ValueError(
            f"column maps of shape {temperature.shape} do not match r ({r.size}) and z ({z.size})"
        )
    return r, z, temperature, damage


def _column_thermal(figure: Figure, effect) -> None:
    r, z, temperature, damage = _column_axes(effect)
    # Mirror the radius so the column is drawn whole; ablated cells are NaN.
    radius = np.concatenate((-r[::-1], r)) * UM_PER_M
    depth = z * UM_PER_M
    whole_temperature = np.concatenate((temperature[:, ::-1], temperature), axis=1)
    whole_damage = np.ma.masked_invalid(np.concatenate((damage[:, ::-1], damage), axis=1))
    temperature_axes, damage_axes = figure.subplots(1, 2, sharey=True)
    image = temperature_axes.pcolormesh(
        radius,
        depth,
        np.ma.masked_invalid(whole_temperature - celsius_zero),
        cmap=colormaps["inferno"].with_extremes(bad=ABLATED_COLOUR),
        shading="nearest",
        rasterized=True,
    )
    _colorbar(figure, image, temperature_axes, "peak temperature [°C]")
    logged = np.ma.log10(np.ma.clip(whole_damage, 1e-6, None))
    damage_image = damage_axes.pcolormesh(
        radius,
        depth,
        logged,
        cmap=colormaps["magma_r"].with_extremes(bad=ABLATED_COLOUR),
        shading="nearest",
        vmin=-6,
        rasterized=True,
    )
    handles: list[Artist] = [Patch(color=ABLATED_COLOUR, label="ablated (removed)")]
    if whole_damage.count() and whole_damage.max() >= 1.0 > whole_damage.min():
        for axes in (temperature_axes, damage_axes):
            axes.contour(
                radius, depth, whole_damage, levels=[1.0], colors=OMEGA_COLOUR, linewidths=1.2
            )
        handles.append(
            Line2D([], [], color=OMEGA_COLOUR, linewidth=1.2, label="Ω = 1: edge of coagulation")
        )
    _colorbar(figure, damage_image, damage_axes, "damage integral log10 Ω [-]")
    # Frame the column: the warmed tissue (peak rise above 5 % of the largest)
    # and at least the column with its sleeve, within the grid.
    rise = temperature - body_temperature
    warm = np.isfinite(rise) & (rise > 0.05 * np.nanmax(rise)) if np.isfinite(rise).any() else rise
    removed = ~np.isfinite(temperature)
    rows, columns = np.nonzero(warm | removed)
    total = getattr(effect, "total_depth", None) or float(z.max())
    mtz = getattr(effect, "mtz_diameter", None) or float(2 * r.max())
    deepest = max(float(z[rows].max()) if rows.size else 0.0, total)
    widest = max(float(r[columns].max()) if columns.size else 0.0, 0.5 * mtz)
    bottom = min(depth.max(), 1.25 * deepest * UM_PER_M)
    reach = min(radius.max(), 1.5 * widest * UM_PER_M)
    for axes in (temperature_axes, damage_axes):
        axes.set_ylim(bottom, min(depth.min(), 0.0))
        axes.set_xlim(-reach, reach)
    _style(
        temperature_axes,
        "Peak temperature",
        "radius from the column axis [µm]",
        "depth below the surface [µm]",
    )
    _style(
        damage_axes,
        "Thermal damage integral",
        "radius from the column axis [µm]",
        "depth below the surface [µm]",
    )
    figure.legend(
        handles=handles, loc="outside lower center", ncol=2, fontsize=LEGEND_FONT, frameon=False
    )
    parts = []
    for attribute, words in (("ablation_depth", "deep"), ("coagulation_depth", "coagulated")):
        value = getattr(effect, attribute, None)
        if value is not None:
            parts.append(f"{_um(value)} {words}")
    figure.suptitle(
        "One fractional column" + (": " + ", ".join(parts) if parts else ""),
        fontsize=TITLE_FONT,
    )


def thermal_map_figure(effect) -> Figure:
    """Temperature and thermal damage of one full-field spot or one fractional column.

    Parameters
    ----------
    effect : TissueEffect
        The effect the plan carries (:class:`dermalase.forward.effect.TissueEffect`),
        with its solver output. Full field: temperature against depth at each
        kept profile time with the peak temperature, beside the Arrhenius
        damage integral on a log scale with the Ω = 1 line. Fractional: two
        maps of the column, temperature and damage, with the Ω = 1 contour.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        For an effect without maps (a response-table lookup) or another object.
    """
    if not getattr(effect, "has_maps", False):
        raise TypeError(
            f"{type(effect).__name__} carries no temperature or damage maps; draw the "
            "effect of a model that keeps them (bioheat_1d, column_2d)"
        )
    figure = _figure(PAGE_WIDTH, 4.2)
    if effect.fractional:
        _column_thermal(figure, effect)
    else:
        _full_field_thermal(figure, effect)
    return figure


# -------------------------------------------------------------- 3. scan pattern


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
    figure = _figure(PAGE_WIDTH, height)
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
    _colorbar(figure, spots, axes, f"firing time [{'min' if in_minutes else 's'}]")
    details = [f"{x.size:,} spots"]
    if passes is not None:
        details.append(f"{passes} pass{'es' if passes != 1 else ''}")
    if diameter is not None:
        details.append(f"{diameter:.3g} mm spots")
    if enlarged:
        details.append("dots enlarged")
    _style(
        axes,
        f"{_layer_label(area.name)}: " + ", ".join(details) + " (hatched: excluded)",
        "x [mm]",
        "y [mm]",
    )
    return figure


# ----------------------------------------------------------- 4. recovery


def _phase_spans(phases: Sequence[dict], end: float) -> list[tuple[str, float, float]]:
    """Merge day-by-day phase entries into (phase, first day, end day) spans."""
    ordered = sorted(phases, key=lambda entry: entry["day"])
    spans: list[tuple[str, float, float]] = []
    for index, entry in enumerate(ordered):
        start = float(entry["day"])
        stop = float(ordered[index + 1]["day"]) if index + 1 < len(ordered) else max(end, start + 1)
        if spans and spans[-1][0] == entry["phase"] and spans[-1][2] == start:
            spans[-1] = (entry["phase"], spans[-1][1], stop)
        else:
            spans.append((entry["phase"], start, stop))
    return spans


def recovery_figure(recovery: dict) -> Figure:
    """The recovery timeline: phases by day, then erythema, sun avoidance and remodelling.

    Parameters
    ----------
    recovery : dict
        The plan's ``recovery`` object: ``phases`` (``day`` [day], ``phase``),
        ``reepithelialized_day`` [day], ``makeup_day`` [day], ``swelling_days``
        [day], ``erythema_weeks`` [week], ``sun_avoidance_days`` [day] and
        ``remodeling_months`` [month].

    Returns
    -------
    matplotlib.figure.Figure
        Top: the first days, one bar per phase, with swelling, the day the
        skin has re-epithelialised and the first make-up day. Bottom: the
        weeks of erythema, sun avoidance and collagen remodelling.
    """
    figure = _figure(PAGE_WIDTH, 4.4)
    days_axes, weeks_axes = figure.subplots(2, 1, height_ratios=(1.0, 0.9))
    healed = float(recovery["reepithelialized_day"])
    makeup = float(recovery["makeup_day"])
    phases = recovery.get("phases") or []
    last_phase = max((float(p["day"]) for p in phases), default=0.0) + 1.0
    horizon = max(makeup, healed, last_phase, float(recovery["swelling_days"])) + 1.0
    spans = _phase_spans(phases, horizon)
    rows = ["phase", "swelling"]
    handles: list[Artist] = []
    seen = set()
    for phase, start, stop in spans:
        colour = PHASE_COLOURS.get(phase, "#999999")
        days_axes.barh(0, stop - start, left=start, color=colour, edgecolor="white", height=0.6)
        if phase not in seen:
            seen.add(phase)
            handles.append(Patch(color=colour, label=phase))
    days_axes.barh(1, float(recovery["swelling_days"]), left=0.0, color="#9467bd", height=0.6)
    handles.append(Patch(color="#9467bd", label=f"swelling {recovery['swelling_days']:g} d"))
    days_axes.axvline(healed, color="black", linestyle="--", linewidth=1.0)
    days_axes.axvline(makeup, color="#1f77b4", linestyle="-", linewidth=1.5)
    handles.append(
        Line2D([], [], color="black", linestyle="--", label=f"re-epithelialised, day {healed:g}")
    )
    handles.append(Line2D([], [], color="#1f77b4", label=f"make-up from day {makeup:g}"))
    days_axes.set_yticks(range(len(rows)), rows)
    days_axes.set_ylim(len(rows) - 0.4, -0.6)
    days_axes.set_xlim(0.0, horizon)
    days_axes.set_xticks(np.arange(0, math.floor(horizon) + 1, 1 if horizon <= 16 else 2))
    days_axes.legend(
        handles=handles,
        fontsize=LEGEND_FONT,
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
        frameon=False,
    )
    _style(days_axes, "The first days", "days after treatment [day]", "")

    long_rows = [
        ("erythema", float(recovery["erythema_weeks"]), "#d62728"),
        ("sun avoidance", float(recovery["sun_avoidance_days"]) / DAYS_PER_WEEK, "#ff7f0e"),
        (
            "collagen remodelling",
            float(recovery["remodeling_months"]) * DAYS_PER_MONTH / DAYS_PER_WEEK,
            "#2ca02c",
        ),
    ]
    for index, (_name, weeks, colour) in enumerate(long_rows):
        weeks_axes.barh(index, weeks, left=0.0, color=colour, height=0.6)
        weeks_axes.annotate(
            f"{weeks * DAYS_PER_WEEK:.0f} days" if weeks < 1 else f"{weeks:.1f} weeks",
            xy=(weeks, index),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=LEGEND_FONT,
        )
    longest = max(weeks for _, weeks, _ in long_rows)
    weeks_axes.axvline(makeup / DAYS_PER_WEEK, color="#1f77b4", linewidth=1.5)
    weeks_axes.set_yticks(range(len(long_rows)), [name for name, _, _ in long_rows])
    weeks_axes.set_ylim(len(long_rows) - 0.4, -0.6)
    weeks_axes.set_xlim(0.0, max(longest * 1.18, 1.0))
    _style(weeks_axes, "The weeks after", "weeks after treatment [week]", "")
    return figure


# ----------------------------------------------------------------- 5. course


def course_figure(course: dict) -> Figure:
    """The sessions of a course on a calendar, with the maintenance that follows.

    Parameters
    ----------
    course : dict
        The plan's ``course`` object: ``sessions``, ``interval_weeks`` [week]
        or None, ``dates`` (ISO dates, one per session; may be empty) and
        ``maintenance_months`` [month] or None.

    Returns
    -------
    matplotlib.figure.Figure
        Sessions as markers against weeks from the first session, each
        labelled with its date; the maintenance treatment, when planned,
        as a marker after the last session.
    """
    sessions = int(course["sessions"])
    interval = course.get("interval_weeks")
    dates = [_dt.date.fromisoformat(text) for text in course.get("dates") or []]
    if dates:
        weeks = np.array([(d - dates[0]).days / DAYS_PER_WEEK for d in dates])
    else:
        weeks = np.arange(sessions) * float(interval or 0.0)
    labels = [d.isoformat() for d in dates] or [f"session {i + 1}" for i in range(sessions)]
    maintenance = course.get("maintenance_months")
    figure = _figure(PAGE_WIDTH, 2.6)
    axes = figure.add_subplot()
    axes.plot(weeks, np.zeros_like(weeks), color="#7f7f7f", linewidth=1.0, zorder=1)
    axes.scatter(weeks, np.zeros_like(weeks), s=90, color="#1f77b4", zorder=2, label="session")
    for index, (week, label) in enumerate(zip(weeks, labels, strict=True)):
        axes.annotate(
            f"{index + 1}: {label}",
            xy=(week, 0.0),
            xytext=(0, 12 if index % 2 == 0 else -18),
            textcoords="offset points",
            ha="center",
            fontsize=LEGEND_FONT,
        )
    end = float(weeks[-1]) if weeks.size else 0.0
    if maintenance is not None:
        due = end + float(maintenance) * DAYS_PER_MONTH / DAYS_PER_WEEK
        axes.axvspan(
            end,
            due,
            color="#2ca02c",
            alpha=0.12,
            linewidth=0,
            label=f"results held, {maintenance:g} months",
        )
        axes.scatter(
            [due], [0.0], s=90, marker="D", color="#2ca02c", zorder=2, label="maintenance session"
        )
        end = due
    span = max(end, 1.0)
    axes.set_xlim(-0.08 * span, 1.08 * span)
    axes.set_ylim(-1.0, 1.0)
    axes.set_yticks([])
    axes.legend(fontsize=LEGEND_FONT, loc="upper right", ncol=3, frameon=False)
    if sessions == 1:
        title = "One session"
    else:
        title = f"{sessions} sessions" + (f", {interval:g} weeks apart" if interval else "")
    _style(axes, title, "weeks from the first session [week]", "")
    return figure
