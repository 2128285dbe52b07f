import datetime
import itertools

import pytest

from dermalase.clinical.course import add_months, course_data, course_tier, plan_course
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription

UM = 1e-6
START = datetime.date(2025, 3, 3)
PEEL = Prescription("full_face", "full_field", 2.94e-6, 35 * UM)
DEEP = Prescription("perioral", "full_field", 2.94e-6, 150 * UM, 50 * UM)
SCARS = Prescription("full_face", "fractional", 2.94e-6, 500 * UM, coverage=0.15)


@pytest.mark.parametrize(("correction", "sessions"), [("mild", 2), ("moderate", 3), ("marked", 4)])
def test_superficial_peels_are_a_series_six_weeks_apart(correction, sessions):
    # Product brief (assumption): superficial peels as 2-4 sessions 6-8 weeks apart.
    course = plan_course([PEEL], START, correction=correction)
    assert course.rule == "course.superficial_peel"
    assert course.sessions == sessions and course.interval_weeks == 6
    dates = [datetime.date.fromisoformat(day) for day in course.dates]
    assert dates[0] == START
    assert all((b - a).days == 42 for a, b in itertools.pairwise(dates))


def test_pih_prone_skin_gets_the_longest_interval():
    # Longer series spacing for skin types IV-VI (modelling choice after Manuskiatti, Chan).
    assert plan_course([PEEL], START, skin_type=4).interval_weeks == 8
    assert plan_course([PEEL], START, skin_type=3).interval_weeks == 6


def test_deep_resurfacing_is_done_once():
    # Deep full-field resurfacing: usually a single treatment (realself re:pair article).
    course = plan_course([DEEP], START, correction="marked")
    assert course.sessions == 1 and course.interval_weeks is None
    assert course.dates == ("2025-03-03",)
    assert course.maintenance_date == "2027-03-03"


def test_the_slowest_healing_area_decides_the_course():
    assert plan_course([PEEL, DEEP], START).rule == "course.deep_resurfacing"


def test_deep_fractional_scars_take_one_to_three_sessions():
    # ProFractional for scars: 1-3 sessions (clinic page).
    counts = [
        plan_course([SCARS], START, correction=c).sessions for c in ("mild", "moderate", "marked")
    ]
    assert counts == [1, 2, 3]


def test_tiers_cover_every_depth_of_both_modalities():
    for modality in ("full_field", "fractional"):
        for depth in (4 * UM, 60 * UM, 120 * UM, 1.5e-3):
            coverage = 1.0 if modality == "full_field" else 0.2
            assert course_tier(Prescription("cheek", modality, 2.94e-6, depth, coverage=coverage))
    assert all(tier.source for tier in course_data().tier)


def test_course_serialises_with_the_plan_keys():
    summary = plan_course([PEEL], "2025-03-03").to_dict()
    assert {"sessions", "interval_weeks", "dates", "maintenance_months"} <= set(summary)
    assert summary["maintenance_date"] == "2026-05-26"


def test_add_months_clamps_to_the_month_end():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2025, 11, 15), 14) == datetime.date(2027, 1, 15)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (([], START), "prescriptions"),
        (([PEEL], "03/03/2025"), "start_date"),
    ],
)
def test_bad_course_input_is_an_input_error(arguments, field):
    with pytest.raises(InputError) as caught:
        plan_course(*arguments)
    assert caught.value.field == field
    with pytest.raises(InputError, match="correction"):
        plan_course([PEEL], START, correction="huge")
