import datetime

import pytest

from .conftest import SCENARIOS, example, scenario

FIELDS = ("skin_type", "conditions", "areas", "downtime_days", "correction", "devices", "history")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_example_consultation_loads_and_matches_its_tested_scenario(name):
    patient = example(name)
    assert patient.patient
    # An example is never dated in the past: it gives no start date (the course starts on
    # the day of planning) or one after the day the examples were last reviewed.
    assert patient.start_date is None or patient.start_date > datetime.date(2026, 12, 6)
    expected = scenario(name)
    for field in FIELDS:
        assert getattr(patient, field) == getattr(expected, field), field
