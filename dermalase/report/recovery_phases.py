"""The recovery phases as a reader takes them: one row per phase, not one per day.

The plan keeps the phase of every day (``recovery.phases``); a document shows each
phase once, with the days it lasts ("days 3-4: bronzing") and the last one open
("from day 10: new skin").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def phase_spans(phases: Iterable[Mapping]) -> list[tuple[str, str]]:
    """Group consecutive days of the same phase into one row.

    Parameters
    ----------
    phases : iterable of mapping
        The plan's day-by-day phases, each with ``day`` [days after the session]
        and ``phase``, in day order.

    Returns
    -------
    list of (str, str)
        The days as text and the phase; the last phase runs on ("from day N").

    Examples
    --------
    >>> phase_spans([{"day": 0, "phase": "redness"}, {"day": 1, "phase": "redness"},
    ...              {"day": 2, "phase": "new skin"}, {"day": 3, "phase": "new skin"}])
    [('days 0-1', 'redness'), ('from day 2', 'new skin')]
    """
    spans: list[list] = []
    for item in phases:
        if spans and spans[-1][2] == item["phase"]:
            spans[-1][1] = item["day"]
        else:
            spans.append([item["day"], item["day"], item["phase"]])
    rows = []
    for index, (first, last, phase) in enumerate(spans):
        if index == len(spans) - 1:
            days = f"from day {first}"
        elif first == last:
            days = f"day {first}"
        else:
            days = f"days {first}-{last}"
        rows.append((days, phase))
    return rows
