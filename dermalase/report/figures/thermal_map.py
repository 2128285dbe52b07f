"""Temperature and thermal damage of one pulse train (full field) or one column (fractional).

Full field: temperature profiles against depth at the kept times with the
peak, beside the Arrhenius damage integral on a log scale. Fractional: maps of
the column's peak temperature and damage over radius and depth, with the
Ω = 1 contour. Draws the maps the plan's tissue effect carries; runs no solver.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from dermalase.constants import body_temperature, celsius_zero
from dermalase.report.figures.page import (
    COAGULATION_COLOUR,
    LEGEND_FONT,
    PAGE_WIDTH,
    TITLE_FONT,
    colour_bar,
    duration_label,
    micrometres_label,
    new_figure,
    plain_name,
    style_axes,
)
from dermalase.units import UM_PER_M

#: Colour of ablated cells in the column maps and of the Ω = 1 contour.
ABLATED_COLOUR = "#bfbfbf"
OMEGA_COLOUR = "#00d5ff"


def _depth_profiles(figure: Figure, effect) -> None:
    """Full field: temperature and damage against depth under one spot."""
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
            label=f"t = {duration_label(time)}",
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
                label=f"coagulated {micrometres_label(effect.coagulation_depth)}",
            )
        for _layer, bottom in zip(skin.layers[:-1], skin.boundaries[:-1], strict=True):
            if bottom < view:
                axes.axvline(bottom * UM_PER_M, color="#7f7f7f", linewidth=0.5, linestyle="-.")
        axes.set_xlim(0.0, view * UM_PER_M)
    style_axes(
        temperature_axes,
        "Temperature at depth",
        "depth below the original surface [µm]",
        "temperature [°C]",
    )
    style_axes(
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
        f"{plain_name(skin.area)}: {pulses} pulse{'s' if pulses != 1 else ''} on one spot, "
        f"{micrometres_label(crater)} ablated, "
        f"{micrometres_label(effect.coagulation_depth)} coagulated",
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


def _column_maps(figure: Figure, effect) -> None:
    """Fractional: maps of peak temperature and damage over the column."""
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
    colour_bar(figure, image, temperature_axes, "peak temperature [°C]")
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
    colour_bar(figure, damage_image, damage_axes, "damage integral log10 Ω [-]")
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
    style_axes(
        temperature_axes,
        "Peak temperature",
        "radius from the column axis [µm]",
        "depth below the surface [µm]",
    )
    # the depth axis is shared: labelled once, on the left, clear of the colour bar
    style_axes(damage_axes, "Thermal damage integral", "radius from the column axis [µm]", "")
    figure.legend(
        handles=handles, loc="outside lower center", ncol=2, fontsize=LEGEND_FONT, frameon=False
    )
    parts = []
    ablation = getattr(effect, "ablation_depth", None)
    coagulation = getattr(effect, "coagulation_depth", None)
    if ablation == 0.0 and coagulation is not None:
        title = f"One non-ablative zone: {micrometres_label(coagulation)} coagulated, no ablation"
    else:
        for value, words in ((ablation, "deep"), (coagulation, "coagulated")):
            if value is not None:
                parts.append(f"{micrometres_label(value)} {words}")
        title = "One fractional column" + (": " + ", ".join(parts) if parts else "")
    figure.suptitle(title, fontsize=TITLE_FONT)


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
    figure = new_figure(PAGE_WIDTH, 4.2)
    if effect.fractional:
        _column_maps(figure, effect)
    else:
        _depth_profiles(figure, effect)
    return figure
