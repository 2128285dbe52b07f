import pytest

from .conftest import SCENARIOS, example, scenario

FIELDS = ("skin_type", "conditions", "areas", "downtime_days", "correction", "devices", "history")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_example_consultation_loads_and_matches_its_tested_scenario(name):
    patient = example(name)
    assert patient.start_date is not None and patient.patient
    expected = scenario(name)
    for field in FIELDS:
        assert getattr(patient, field) == getattr(expected, field), field
