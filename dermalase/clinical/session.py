"""The session as the patient lives it: numbing, cleansing, laser, pauses, cooling.

The scanner gives the laser time of each area (firing and handpiece moves, every pass);
a patient spends longer in the clinic. :func:`session_time` adds the numbing lead time of
the plan's anaesthesia, cleansing before the first pass, a pause between passes on each
area and cooling after the last, from ``data/session.toml``, and compares the laser time
with what clinics quote.

Examples
--------
>>> time = session_time(45 * 60, [("cheek", 300.0, 2)])
>>> [step.label for step in time.steps][:2]
['Numbing cream takes effect', 'Cleansing and eye protection']
>>> round(time.total / 60)
76
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from dermalase.clinical.names import area_name
from dermalase.clinical.sources import describe, source
from dermalase.units import plural

#: Seconds per minute, for the file's minutes.
_S_PER_MIN = 60.0


class SessionData(BaseModel):
    """The times of ``data/session.toml`` [min] and their sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cleansing_minutes: float = Field(ge=0)
    pause_between_passes_minutes: float = Field(ge=0)
    cooling_minutes: float = Field(ge=0)
    quoted_face_treatment_minutes: tuple[float, float]
    quoted_ablative_session_minutes: tuple[float, float]
    sources: tuple[str, ...] = Field(min_length=1)


@cache
def session_data() -> SessionData:
    """The session times, validated once; every source key must be registered."""
    text = resources.files("dermalase.clinical").joinpath("data/session.toml").read_text()
    data = SessionData.model_validate(tomllib.loads(text))
    for key in data.sources:
        source(key)
    return data


@dataclass(frozen=True)
class Step:
    """One step of a session: what happens and how long it takes [s]."""

    label: str
    duration: float


@dataclass(frozen=True)
class SessionTime:
    """A session's steps, its laser time [s], its total [s] and the clinics' quotes.

    Parameters
    ----------
    steps : tuple of Step
        In the order the patient lives them.
    laser : float
        Laser time of every area, firing and handpiece moves [s].
    total : float
        Time from the numbing cream to the end of cooling [s].
    comparison : str
        Where the model lands against the durations clinics quote.
    source : str
        Full references of the session times.
    source_keys : tuple of str
        Their keys in the citation registry.
    """

    steps: tuple[Step, ...]
    laser: float
    total: float
    comparison: str
    source: str
    source_keys: tuple[str, ...]


def session_time(lead_time: float | None, areas: Sequence[tuple[str, float, int]]) -> SessionTime:
    """The session of a plan, step by step.

    Parameters
    ----------
    lead_time : float or None
        Numbing lead time of the plan's anaesthesia [s] (None: no topical cream).
    areas : sequence of (str, float, int)
        Per area: its name, its laser time (firing and handpiece moves of every pass) [s]
        and its number of passes.

    Returns
    -------
    SessionTime
    """
    data = session_data()
    steps = []
    if lead_time:
        steps.append(Step("Numbing cream takes effect", lead_time))
    steps.append(Step("Cleansing and eye protection", data.cleansing_minutes * _S_PER_MIN))
    for name, laser, passes in areas:
        label = f"Laser, {area_name(name)} ({plural(passes, 'pass', 'passes')})"
        steps.append(Step(label, laser))
        if passes > 1:
            pauses = (passes - 1) * data.pause_between_passes_minutes * _S_PER_MIN
            steps.append(Step(f"Pauses between passes, {area_name(name)}", pauses))
    steps.append(Step("Cooling after the last pass", data.cooling_minutes * _S_PER_MIN))
    laser = sum(duration for _, duration, _ in areas)
    total = sum(step.duration for step in steps)
    return SessionTime(
        tuple(steps),
        laser,
        total,
        _comparison(laser, total, lead_time or 0.0, data),
        describe(data.sources),
        data.sources,
    )


def _comparison(laser: float, total: float, numbing: float, data: SessionData) -> str:
    """Where the laser time, the treatment and the whole session [s] land against quotes."""
    low, high = data.quoted_face_treatment_minutes
    s_low, s_high = data.quoted_ablative_session_minutes
    treatment = (total - numbing) / _S_PER_MIN
    return (
        f"Clinics quote about {low:g}-{high:g} min of treatment for a face and "
        f"{s_low:g} min to {s_high / 60:g} h for an ablative session; this plan has "
        f"{laser / _S_PER_MIN:.0f} min of laser time, {treatment:.0f} min of treatment "
        f"with cleansing, pauses and cooling, and {total / _S_PER_MIN:.0f} min in all "
        "with the numbing time."
    )
