"""The session as the patient lives it, beside the laser time."""

from __future__ import annotations

import datetime

import pytest

from dermalase.clinical.planner import TreatmentPlanner
from dermalase.clinical.session import session_data, session_time
from tests.clinical.conftest import consultation


def test_the_steps_add_up_to_the_session():
    time = session_time(45 * 60.0, [("cheek", 240.0, 1), ("neck", 120.0, 3)])
    assert time.total == pytest.approx(sum(step.duration for step in time.steps))
    assert time.laser == pytest.approx(360.0)
    data = session_data()
    expected = (
        45
        + data.cleansing_minutes
        + 6
        + 2 * data.pause_between_passes_minutes
        + data.cooling_minutes
    )
    assert time.total / 60 == pytest.approx(expected)
    labels = [step.label for step in time.steps]
    assert "Laser, neck (3 passes)" in labels and "Laser, cheek (1 pass)" in labels
    assert labels.count("Pauses between passes, neck") == 1
    assert not [label for label in labels if "between passes, cheek" in label]


def test_more_passes_or_numbing_never_shorten_the_session():
    one = session_time(None, [("cheek", 300.0, 1)]).total
    three = session_time(None, [("cheek", 300.0, 3)]).total
    numbed = session_time(45 * 60.0, [("cheek", 300.0, 1)]).total
    assert one < three and one < numbed
    assert not any("Numbing" in s.label for s in session_time(None, [("cheek", 1.0, 1)]).steps)


def test_the_plan_carries_its_session_and_says_where_it_lands():
    plan = TreatmentPlanner().plan(consultation(), today=datetime.date(2026, 12, 6))
    data = plan.to_dict()["session"]
    assert data["treatment_minutes"] == pytest.approx(plan.treatment_minutes, abs=0.05)
    assert data["session_minutes"] > data["treatment_minutes"]
    # Clinics quote 15-30 min of treatment for a face (a secondary source): the text
    # gives the quote and the model's own figures, whatever they are.
    assert "Clinics quote about 15-30 min" in data["comparison"]
    assert f"{data['session_minutes']:.0f} min in all" in data["comparison"]
