"""The figures of the records: timeline, before/after comparison, outcomes, redness.

Each function draws a dictionary that :mod:`dermalase.records.timeline` built (or the
images the photo store returned) and returns PNG bytes; none computes a prediction.
Drawn with the report's page conventions (:mod:`dermalase.report.figures.page`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np

from dermalase.report.figures.page import (
    LEGEND_FONT,
    TICK_FONT,
    figure_png,
    new_figure,
    style_axes,
)
from dermalase.report.figures.recovery_timeline import PHASE_COLOURS

#: Colour of a phase the report's palette does not name.
OTHER_PHASE_COLOUR = "#999999"

#: Largest side of a photo thumbnail in the timeline [pixels].
THUMBNAIL_PIXELS = 160

#: Height of each photo in the before/after comparison [pixels].
COMPARE_HEIGHT_PIXELS = 600


def _colour(phase: str) -> str:
    return PHASE_COLOURS.get(phase, OTHER_PHASE_COLOUR)


def timeline_png(timeline: dict[str, Any], thumbnails: dict[int, bytes] | None = None) -> bytes:
    """Predicted against observed phases, day by day, one row pair per session.

    Parameters
    ----------
    timeline : dict
        From :func:`dermalase.records.timeline.patient_timeline`.
    thumbnails : dict of int to bytes, optional
        Photo id -> image file, drawn above the day they were taken.

    Returns
    -------
    bytes
        The PNG file.
    """
    from matplotlib.patches import Patch

    sessions = timeline["sessions"]
    thumbnails = thumbnails or {}
    shown = _first_photos(sessions, thumbnails)
    rows = max(1, len(sessions))
    figure = new_figure(6.69, 1.4 + 0.7 * rows + (1.3 if shown else 0))
    if shown:
        grid = figure.add_gridspec(2, 1, height_ratios=[1.3, 1.0 + 0.7 * rows])
        top, bottom = figure.add_subfigure(grid[0]), figure.add_subfigure(grid[1])
        _thumbnails(top, shown)
        axes = bottom.add_subplot()
    else:
        axes = figure.add_subplot()
    last_day = 1
    labels, seen = [], set()
    for index, item in enumerate(sessions):
        base = 2 * index
        for row, entries, key in (
            (base, item["predicted"]["phases"], "predicted"),
            (base + 1, item["diary"], "observed"),
        ):
            for entry in entries:
                day, phase = entry["day"], entry["phase"]
                axes.barh(row, 1.0, left=day, color=_colour(phase), edgecolor="white", height=0.8)
                seen.add(phase)
                last_day = max(last_day, day + 1)
            labels.append(f"{item['date']} {key}")
        healed = item["predicted"]["reepithelialized_day"]
        axes.plot([healed, healed], [base - 0.45, base + 1.45], color="black", linewidth=1)
    axes.set_yticks(range(len(labels)), labels, fontsize=TICK_FONT)
    axes.invert_yaxis()
    axes.set_xlim(0, last_day)
    style_axes(
        axes,
        f"Recovery of patient {timeline['patient']['identifier']}: predicted and observed",
        "Day after the session [days]",
        "",
    )
    handles = [Patch(color=_colour(phase), label=phase) for phase in sorted(seen)]
    if handles:
        axes.legend(
            handles=handles,
            fontsize=LEGEND_FONT,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.3),
            ncols=len(handles),
            frameon=False,
        )
    return figure_png(figure)


#: Most photos the timeline shows (one per diary day of the first session with photos).
MAX_THUMBNAILS = 8


def _first_photos(sessions, thumbnails: dict[int, bytes]) -> list[tuple[int, bytes]]:
    """(day, image) of the first photo of each day of the first session with photos."""
    for item in sessions:
        found = [
            (entry["day"], thumbnails[entry["photos"][0]["photo_id"]])
            for entry in item["diary"]
            if entry["photos"] and entry["photos"][0]["photo_id"] in thumbnails
        ]
        if found:
            return found[:MAX_THUMBNAILS]
    return []


def _thumbnails(figure, shown: list[tuple[int, bytes]]) -> None:
    from PIL import Image

    figure.suptitle("Photos by day (first session with photos)", fontsize=TICK_FONT)
    columns = figure.subplots(1, MAX_THUMBNAILS if len(shown) > 4 else 4, squeeze=False)[0]
    for axes in columns:
        axes.axis("off")
    for axes, (day, data) in zip(columns, shown, strict=False):
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
            axes.imshow(np.asarray(image.convert("RGB")))
        axes.set_title(f"day {day}", fontsize=TICK_FONT)


def compare_png(before: bytes, after: bytes, before_label: str, after_label: str) -> bytes:
    """Two photos side by side at the same height, upright, labelled.

    Parameters
    ----------
    before, after : bytes
        Image files (already upright: the store applied EXIF orientation).
    before_label, after_label : str
        Caption under each.

    Returns
    -------
    bytes
        The PNG file.
    """
    from PIL import Image

    images = []
    for data in (before, after):
        with Image.open(io.BytesIO(data)) as image:
            rgb = image.convert("RGB")
            width = round(rgb.width * COMPARE_HEIGHT_PIXELS / rgb.height)
            images.append(
                np.asarray(rgb.resize((width, COMPARE_HEIGHT_PIXELS), Image.Resampling.LANCZOS))
            )
    widest = max(image.shape[1] for image in images)
    figure = new_figure(6.69, 6.69 * COMPARE_HEIGHT_PIXELS / (2 * widest) + 0.6)
    for column, (pixels, label) in enumerate(zip(images, (before_label, after_label), strict=True)):
        axes = figure.add_subplot(1, 2, column + 1)
        axes.imshow(pixels)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel(label, fontsize=TICK_FONT)
    return figure_png(figure)


def outcomes_png(summary: dict[str, Any]) -> bytes:
    """Observed against predicted re-epithelialisation day and erythema duration.

    Parameters
    ----------
    summary : dict
        From :func:`dermalase.records.timeline.outcome_summary`.

    Returns
    -------
    bytes
        The PNG file.
    """
    figure = new_figure(6.69, 3.4)
    rows = summary["sessions"]
    panels = (
        ("reepithelialized_day", "Re-epithelialisation"),
        ("erythema_duration_days", "Erythema"),
    )
    for column, (key, title) in enumerate(panels):
        axes = figure.add_subplot(1, 2, column + 1)
        pairs = [
            (r["predicted"][key], r["observed"][key])
            for r in rows
            if r["observed"][key] is not None
        ]
        if pairs:
            x, y = np.array(pairs, dtype=float).T
            axes.scatter(x, y, s=12, alpha=0.6, color="#1f77b4")
            top = float(max(x.max(), y.max())) * 1.1 + 1
        else:
            top = 10.0
        axes.plot([0, top], [0, top], color="black", linewidth=0.8, label="observed = predicted")
        axes.set_xlim(0, top)
        axes.set_ylim(0, top)
        key = "reepithelialization" if column == 0 else "erythema"
        error = summary["summary"][key]["mean_error_days"]
        shown = "no sessions observed" if error is None else f"mean error {error:+.1f} days"
        style_axes(
            axes,
            f"{title}\n{len(pairs)} sessions; {shown}",
            "Predicted [days]",
            "Observed [days]",
        )
        axes.legend(fontsize=LEGEND_FONT, loc="upper left")
    return figure_png(figure)


def redness_png(
    days: Sequence[float],
    a_star: Sequence[float],
    erythema_days: float,
    title: str,
    warnings: Sequence[str] = (),
) -> bytes:
    """The erythema index of the photos over days, against the predicted erythema period.

    Parameters
    ----------
    days : sequence of float
        Day of each photo after the session [days].
    a_star : sequence of float
        Erythema index (CIELAB a*) of each photo's region [-].
    erythema_days : float
        Predicted erythema duration [days] (the recovery model predicts how long the
        redness lasts, not how red: it is drawn as a shaded period).
    title : str
        Figure title.
    warnings : sequence of str
        Comparability warnings, printed under the plot.

    Returns
    -------
    bytes
        The PNG file.
    """
    figure = new_figure(6.69, 3.2 + 0.2 * len(warnings))
    axes = figure.add_subplot()
    axes.axvspan(0, erythema_days, color="#d62728", alpha=0.12, label="predicted erythema")
    axes.plot(days, a_star, marker="o", color="#d62728", label="measured a* (photos)")
    axes.set_xlim(0, max([erythema_days, *days, 1.0]) * 1.05)
    style_axes(axes, title, "Day after the session [days]", "Erythema index a* [-]")
    axes.legend(fontsize=LEGEND_FONT, loc="upper right")
    if warnings:
        axes.set_xlabel(
            "Day after the session [days]\n" + "\n".join(f"Warning: {w}" for w in warnings),
            fontsize=TICK_FONT,
        )
    return figure_png(figure)
