"""The skin cross-section: layers to scale in depth, with the crater or column and its coagulation.

Full field draws the crater over a spot (or the edge of the treated field) with
the coagulated layer below its floor; fractional draws one column tapering to
its depth, wrapped in its coagulated sleeve.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon

from dermalase.report.figures.page import (
    COAGULATION_COLOUR,
    LEGEND_FONT,
    PAGE_WIDTH,
    micrometres_label,
    new_figure,
    plain_name,
    style_axes,
)
from dermalase.tissue.layers import SkinModel
from dermalase.units import MM_PER_M, UM_PER_M

#: Fill colour of each skin layer.
LAYER_COLOURS = {
    "stratum_corneum": "#d9b38c",
    "viable_epidermis": "#f2cfae",
    "papillary_dermis": "#f4b6b6",
    "reticular_dermis": "#e9a0a6",
    "subcutis": "#f7e7a1",
}
#: Colour of the ablated void.
VOID_COLOUR = "#ffffff"


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
        label = f"{plain_name(layer.name)} ({micrometres_label(layer.thickness)})"
        handles.append(Patch(color=colour, label=label))
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
            f"ablated {micrometres_label(ablation)}",
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
        _coagulated_paraboloid(axes, outer_half, tip)
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
        f"column {micrometres_label(ablation)} deep, {micrometres_label(diameter)} wide",
        xy=(outer_half, 0.5 * depth),
        xytext=(outer_half + 0.15 * extent, 0.5 * depth),
        fontsize=LEGEND_FONT,
        va="center",
        arrowprops={"arrowstyle": "-", "linewidth": 0.6},
        zorder=5,
    )
    return view, handles


def _coagulated_paraboloid(axes, half_width: float, tip: float) -> None:
    """Draw a hatched coagulated paraboloid: half-width at the surface, tip depth [µm]."""
    zone_z = np.linspace(0.0, tip, 100)
    zone = half_width * np.sqrt(np.clip(1.0 - zone_z / tip, 0.0, 1.0))
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


def _zone_section(axes, skin, coagulation, diameter):
    """One non-ablative zone: a coagulated paraboloid under an intact surface, no void."""
    view = _view_depth(skin, coagulation)
    half = 0.5 * diameter * UM_PER_M
    tip = coagulation * UM_PER_M
    extent = max(3.0 * half, 0.25 * view * UM_PER_M)
    handles = _draw_layers(axes, skin, view, (-extent, extent), UM_PER_M)
    _coagulated_paraboloid(axes, half, tip)
    axes.annotate(
        f"zone {micrometres_label(coagulation)} deep, {micrometres_label(diameter)} wide",
        xy=(half, 0.5 * tip),
        xytext=(half + 0.15 * extent, 0.5 * tip),
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
    figure = new_figure(PAGE_WIDTH, 3.9)
    axes = figure.add_subplot()
    if modality == "full_field":
        _, handles = _full_field_section(
            axes, skin, ablation_depth, coagulation_depth, ablation_diameter
        )
        xlabel = "lateral position [mm]"
        title = (
            f"{plain_name(skin.area)}, full field: {micrometres_label(ablation_depth)} ablated, "
            f"{micrometres_label(coagulation_depth)} coagulated"
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
        if ablation_depth <= 0 and coagulation_depth > 0 and mtz_diameter:
            # Non-ablative: a coagulation zone under an intact surface.
            _, handles = _zone_section(axes, skin, coagulation_depth, mtz_diameter)
            title = (
                f"{plain_name(skin.area)}, non-ablative zone: "
                f"{micrometres_label(coagulation_depth)} deep, surface intact"
            )
            handles.append(
                Patch(
                    facecolor=COAGULATION_COLOUR,
                    hatch="////",
                    alpha=0.85,
                    label=f"coagulated (Ω ≥ 1), {micrometres_label(coagulation_depth)} deep",
                )
            )
            style_axes(
                axes,
                title,
                "lateral position from the zone axis [µm]",
                "depth below the original surface [µm]",
            )
            figure.legend(
                handles=handles,
                loc="outside lower center",
                ncol=2,
                fontsize=LEGEND_FONT,
                frameon=False,
            )
            return figure
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
            f"{plain_name(skin.area)}, fractional column: "
            f"{micrometres_label(ablation_depth)} deep, sleeve {micrometres_label(cuff)}, "
            f"{micrometres_label(coagulation_depth)} below the floor"
        )
    else:
        raise ValueError(f"unknown modality {modality!r}; use full_field or fractional")
    handles.append(
        Patch(
            facecolor=COAGULATION_COLOUR,
            hatch="////",
            alpha=0.85,
            label=f"coagulated (Ω ≥ 1), {micrometres_label(coagulation_depth)} below the floor",
        )
    )
    handles.append(Patch(facecolor=VOID_COLOUR, edgecolor="black", label="ablated (removed)"))
    style_axes(axes, title, xlabel, "depth below the original surface [µm]")
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=2,
        fontsize=LEGEND_FONT,
        frameon=False,
    )
    return figure
