"""Plans and their figures, built once for the report tests."""

import pytest

from dermalase.clinical import Consultation
from dermalase.clinical.planner import TreatmentPlanner
from dermalase.report.plan_figures import plan_figures

MICRO_PEEL = dict(
    age=38,
    skin_type=2,
    conditions=["fine lines", "tone and texture"],
    areas=["full-face"],
    downtime_days=3,
    correction="moderate",
    history={"herpes_simplex": True},
)
FRACTIONAL = dict(
    age=24,
    skin_type=3,
    conditions=["fine lines"],
    areas=["cheek", "neck"],
    downtime_days=5,
    correction="moderate",
    history={"isotretinoin_months_ago": 2},
)


@pytest.fixture(scope="session", params=["micro_peel", "fractional"])
def planned(request):
    """(plan object, plan dict, figures) for a full-field and a fractional plan."""
    fields = MICRO_PEEL if request.param == "micro_peel" else FRACTIONAL
    plan = TreatmentPlanner().plan(Consultation(**fields), start_date="2027-03-01")
    return plan, plan.to_dict(), plan_figures(plan)
