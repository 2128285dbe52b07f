"""The course of treatment: how many sessions, how far apart, and when to maintain.

Tiers of course are data (``data/course.toml``): superficial full-field peels as a series
(2-4 sessions 6-8 weeks apart, the product brief's assumption), medium resurfacing once
or twice 3-6 months apart, deep resurfacing once, shallow and deep fractional series.
The course follows the prescription that takes longest to heal
(:func:`dermalase.clinical.recovery.recovery_for`); its tier is the first whose modality
matches and whose depth limit is not exceeded.

Examples
--------
>>> import datetime
>>> from dermalase.prescription import Prescription
>>> peel = Prescription("full_face", "full_field", 2.94e-6, 35e-6)
>>> course = plan_course([peel], datetime.date(2025, 3, 3), correction="moderate")
>>> course.sessions, course.interval_weeks, course.dates
(3, 6, ('2025-03-03', '2025-04-14', '2025-05-26'))
"""

from __future__ import annotations

import calendar
import datetime
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dermalase.clinical.consultation import CORRECTIONS
from dermalase.clinical.recovery import recovery_for
from dermalase.clinical.sources import describe, source
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription
from dermalase.units import UM_PER_M


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CourseTier(_Data):
    """One tier of course, as written in ``data/course.toml``."""

    id: str = Field(pattern=r"^course\.[a-z_]+$")
    modality: Literal["full_field", "fractional", "non_ablative"]
    max_total_depth_um: float = Field(gt=0)
    sessions: dict[Literal["mild", "moderate", "marked"], int]
    interval_weeks: list[int] = Field(min_length=2, max_length=2)
    maintenance_months: int = Field(gt=0)
    reason: str
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> CourseTier:
        if set(self.sessions) != set(CORRECTIONS) or min(self.sessions.values()) < 1:
            raise ValueError(f"sessions needs >= 1 for each of {', '.join(CORRECTIONS)}")
        low, high = self.interval_weeks
        if not 1 <= low <= high:
            raise ValueError("interval_weeks must be [shortest, longest] with 1 <= shortest")
        for key in self.sources:
            source(key)
        return self

    @property
    def source(self) -> str:
        """Full references of the tier's sources."""
        return describe(self.sources)


class CourseData(_Data):
    """The whole course file."""

    longer_interval_skin_types: list[int]
    longer_interval_sources: list[str]
    tier: list[CourseTier] = Field(min_length=1)


@cache
def course_data() -> CourseData:
    """Read and validate the bundled course tiers once."""
    raw = resources.files("dermalase.clinical").joinpath("data/course.toml").read_text()
    return CourseData.model_validate(tomllib.loads(raw))


@dataclass(frozen=True)
class Course:
    """Sessions of a treatment course and their dates.

    Parameters
    ----------
    sessions : int
        Number of sessions.
    interval_weeks : int or None
        Weeks between sessions [weeks]; None for a single session.
    dates : tuple of str
        ISO dates of the sessions, the first being the start date.
    maintenance_months : int
        Months after the last session when a maintenance review is due [months].
    maintenance_date : str
        ISO date of that review.
    rule : str
        Id of the course tier.
    reason : str
        Why this course.
    source : str
        Full references of the tier.
    source_keys : tuple of str
        Keys of those references in the citation registry.
    """

    sessions: int
    interval_weeks: int | None
    dates: tuple[str, ...]
    maintenance_months: int
    maintenance_date: str
    rule: str
    reason: str
    source: str
    source_keys: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready view with the keys of the plan's ``course``."""
        return {
            "sessions": self.sessions,
            "interval_weeks": self.interval_weeks,
            "dates": list(self.dates),
            "maintenance_months": self.maintenance_months,
            "maintenance_date": self.maintenance_date,
            "rule": self.rule,
            "reason": self.reason,
            "source": self.source,
        }


def add_months(date: datetime.date, months: int) -> datetime.date:
    """Add calendar months, clamping the day to the end of a shorter month.

    Examples
    --------
    >>> add_months(datetime.date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    """
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date.replace(year=year, month=month, day=min(date.day, last_day))


def course_tier(prescription: Prescription) -> CourseTier:
    """The course tier of one prescription (first matching tier of ``data/course.toml``)."""
    depth = prescription.total_depth * UM_PER_M
    modality = "non_ablative" if prescription.ablation_depth == 0.0 else prescription.modality
    return next(
        tier
        for tier in course_data().tier
        if tier.modality == modality and depth <= tier.max_total_depth_um
    )


def _start(start_date: datetime.date | str) -> datetime.date:
    if isinstance(start_date, datetime.date):
        return start_date
    try:
        return datetime.date.fromisoformat(str(start_date))
    except ValueError:
        raise InputError("start_date", start_date, "an ISO date, YYYY-MM-DD") from None


def plan_course(
    prescriptions: Sequence[Prescription],
    start_date: datetime.date | str,
    *,
    correction: str = "moderate",
    skin_type: int | None = None,
) -> Course:
    """Plan the sessions of a course.

    Parameters
    ----------
    prescriptions : sequence of Prescription
        The areas treated at each session; the one that takes longest to heal decides
        the course.
    start_date : datetime.date or str
        Date of the first session (ISO string accepted).
    correction : str, default "moderate"
        ``"mild"``, ``"moderate"`` or ``"marked"``: more correction, more sessions.
    skin_type : int, optional
        Fitzpatrick skin type 1-6; types IV-VI get the longest interval of the range.

    Returns
    -------
    Course
        Sessions, interval [weeks], ISO dates, maintenance horizon [months].

    Raises
    ------
    InputError
        For no prescriptions, an unknown correction or a malformed start date.
    """
    if not prescriptions:
        raise InputError("prescriptions", "(none)", "at least one prescription")
    if correction not in CORRECTIONS:
        raise InputError("correction", correction, f"one of {', '.join(CORRECTIONS)}")
    start = _start(start_date)
    leading = max(prescriptions, key=lambda p: recovery_for(p).healing_days)
    tier = course_tier(leading)
    data = course_data()
    sessions = tier.sessions[correction]
    longer = skin_type in data.longer_interval_skin_types
    interval = tier.interval_weeks[1] if longer else tier.interval_weeks[0]
    dates = tuple(start + datetime.timedelta(weeks=interval * n) for n in range(sessions))
    sources = tier.sources + (data.longer_interval_sources if longer else [])
    return Course(
        sessions=sessions,
        interval_weeks=interval if sessions > 1 else None,
        dates=tuple(date.isoformat() for date in dates),
        maintenance_months=tier.maintenance_months,
        maintenance_date=add_months(dates[-1], tier.maintenance_months).isoformat(),
        rule=tier.id,
        reason=tier.reason,
        source=describe(sources),
        source_keys=tuple(sources),
    )
