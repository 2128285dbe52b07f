"""The recovery timeline: phases by day, then erythema, sun avoidance and remodelling."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from dermalase.report.figures.page import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    LEGEND_FONT,
    PAGE_WIDTH,
    new_figure,
    style_axes,
)

#: Colour of each recovery phase (names of the plan contract).
PHASE_COLOURS = {
    "redness": "#d62728",
    "bronzing": "#8c564b",
    "dryness": "#bcbd22",
    "flaking/peeling": "#ff9896",
    "new skin": "#2ca02c",
}


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
    figure = new_figure(PAGE_WIDTH, 4.4)
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
    style_axes(days_axes, "The first days", "days after treatment [day]", "")

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
    style_axes(weeks_axes, "The weeks after", "weeks after treatment [week]", "")
    return figure
