"""The recovery phases shown once each, with the days they last."""

import re

from dermalase.clinical.recovery import predict_recovery
from dermalase.report.recovery_phases import phase_spans


def _expand(rows, last_day):
    """Day -> phase, read back from the rows' text."""
    days = {}
    for text, phase in rows:
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        first = numbers[0]
        last = last_day if text.startswith("from") else numbers[-1]
        for day in range(first, last + 1):
            days[day] = phase
    return days


def test_each_phase_is_one_row_and_the_rows_give_back_every_day():
    # deep perioral full field: 150 um + 50 um, healing in about 10 days
    timeline = predict_recovery(150e-6, 50e-6, 1.0, "perioral", "full_field")
    days = [{"day": day, "phase": phase} for day, phase in timeline.phases]
    rows = phase_spans(days)
    phases = [phase for _, phase in rows]
    assert len(phases) == len(set(phases))  # no phase repeated
    assert len(rows) < len(days)
    assert rows[-1][0].startswith("from day")
    assert _expand(rows, days[-1]["day"]) == {item["day"]: item["phase"] for item in days}


def test_a_single_day_and_a_single_phase():
    assert phase_spans([{"day": 0, "phase": "redness"}]) == [("from day 0", "redness")]
    assert phase_spans(
        [
            {"day": 0, "phase": "redness"},
            {"day": 1, "phase": "dryness"},
            {"day": 2, "phase": "new skin"},
        ]
    ) == [("day 0", "redness"), ("day 1", "dryness"), ("from day 2", "new skin")]
