"""The kinds of figure in a plan, their captions, and the keys the renderers look them up by."""

from __future__ import annotations

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
