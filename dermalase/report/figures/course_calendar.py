"""The course calendar: the sessions on a time line, with the maintenance that follows."""

from __future__ import annotations

import datetime as _dt

import numpy as np
from matplotlib.figure import Figure

from dermalase.report.figures.page import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    LEGEND_FONT,
    PAGE_WIDTH,
    new_figure,
    style_axes,
)


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
    figure = new_figure(PAGE_WIDTH, 2.6)
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
    style_axes(axes, title, "weeks from the first session [week]", "")
    return figure
