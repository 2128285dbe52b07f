"""Aftercare: what the patient does while the skin heals, as cited instructions.

The instructions are data (``data/aftercare.toml``): gentle cleansing, occlusive ointment
until healed, no exfoliants while healing, strict sun avoidance until healed and sunscreen
while pink, cool compresses, make-up from the day the skin has closed, wound care for
deep full-field work, and bleaching agents for skin types IV-VI. Day numbers come from
the predicted recovery (:mod:`dermalase.clinical.recovery`), the latest over the areas.

Examples
--------
>>> from dermalase.prescription import Prescription
>>> peel = Prescription("full_face", "full_field", 2.94e-6, 35e-6)
>>> [item.rule for item in aftercare_for([peel])][:2]
['aftercare.cleansing', 'aftercare.occlusive_ointment']
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from dermalase.clinical.instructions import Instruction, InstructionEntry
from dermalase.clinical.recovery import RecoveryTimeline, recovery_for
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription
from dermalase.units import plural


class AftercareData(BaseModel):
    """The aftercare file (``data/aftercare.toml``), validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instruction: tuple[InstructionEntry, ...] = Field(min_length=1)


@cache
def aftercare_data() -> AftercareData:
    """Read and validate the bundled aftercare instructions once."""
    raw = resources.files("dermalase.clinical").joinpath("data/aftercare.toml").read_text()
    return AftercareData.model_validate(tomllib.loads(raw))


#: Recovery fields that instruction texts may name as ``{placeholders}``; they may also
#: name ``{erythema_time}`` and ``{swelling_nights}``, the same durations in words.
PLACEHOLDERS = (
    "reepithelialized_day",
    "makeup_day",
    "sun_avoidance_days",
    "swelling_days",
    "erythema_weeks",
)


def aftercare_for(
    prescriptions: Sequence[Prescription],
    *,
    skin_type: int | None = None,
    recoveries: Sequence[RecoveryTimeline] | None = None,
) -> list[Instruction]:
    """Aftercare instructions for the prescriptions of one session.

    Parameters
    ----------
    prescriptions : sequence of Prescription
        Every area treated in the session.
    skin_type : int, optional
        Fitzpatrick skin type 1-6 (instructions for PIH-prone skin need it).
    recoveries : sequence of RecoveryTimeline, optional
        Predicted recoveries of the areas (e.g. from the simulated tissue effect); by
        default predicted from the prescriptions' depths.

    Returns
    -------
    list of Instruction
        In file order; day numbers are the latest over the areas [days].

    Raises
    ------
    InputError
        For an empty sequence.
    """
    if not prescriptions:
        raise InputError("prescriptions", "(none)", "at least one prescription")
    timelines = list(recoveries) if recoveries else [recovery_for(p) for p in prescriptions]
    numbers = {name: max(getattr(t, name) for t in timelines) for name in PLACEHOLDERS}
    values: dict[str, object] = dict(numbers)
    # Durations in words, singular or plural ("about 1 week", "for 2 nights").
    values["erythema_time"] = plural(max(1, round(numbers["erythema_weeks"])), "week")
    values["swelling_nights"] = plural(numbers["swelling_days"], "night")
    return [
        entry.instruction(**values)
        for entry in aftercare_data().instruction
        if any(entry.scope.admits(p, skin_type) for p in prescriptions)
    ]
