"""Anaesthesia, cooling and eye protection, from depth, modality and area.

The tiers are data (``data/comfort.toml``), listed mildest first: topical cream about
45 minutes before shallow work (full field to ~50 µm, Er:YAG-range fractional at
moderate density), topical plus oral medication and nerve blocks to 100 µm, and nerve
blocks or local infiltration for anything deeper, with a coagulation setting, or deep
fractional CO2. A plan gets the strongest tier any of its prescriptions needs; every
plan gets chilled-air cooling and laser eyewear, and metal corneal shields when it treats
inside the orbital rim.

Examples
--------
>>> from dermalase.prescription import Prescription
>>> peel = Prescription("full_face", "full_field", 2.94e-6, 35e-6)
>>> anaesthesia_for(peel).rule
'anesthesia.topical'
>>> deep = Prescription("perioral", "full_field", 2.94e-6, 150e-6, 50e-6)
>>> comfort_for([peel, deep]).anaesthesia.rule
'anesthesia.infiltration'
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dermalase.clinical.instructions import Instruction, InstructionEntry, Scope
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription


class ComfortData(BaseModel):
    """The comfort file (``data/comfort.toml``), validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The file's key keeps its spelling (``[[anesthesia]]``) until keys are renamed in one pass.
    anaesthesia: tuple[InstructionEntry, ...] = Field(min_length=1, alias="anesthesia")
    cooling: tuple[InstructionEntry, ...] = Field(min_length=1)
    eye_protection: tuple[InstructionEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _catch_all(self) -> ComfortData:
        if self.anaesthesia[-1].scope != Scope():
            raise ValueError("the last anaesthesia tier must admit every prescription")
        return self


@cache
def comfort_data() -> ComfortData:
    """Read and validate the bundled comfort tiers once."""
    raw = resources.files("dermalase.clinical").joinpath("data/comfort.toml").read_text()
    return ComfortData.model_validate(tomllib.loads(raw))


@dataclass(frozen=True)
class Comfort:
    """Anaesthesia, cooling and eye protection of a plan.

    Parameters
    ----------
    anaesthesia : Instruction
        The strongest anaesthesia any prescription needs.
    lead_time_minutes : float or None
        Minutes before treatment to apply topical anaesthetic [min].
    by_area : dict of str to str
        Anaesthesia tier id needed by each area.
    by_area_names : dict of str to str
        The same tiers by their clinical names, for documents.
    cooling : tuple of Instruction
        Cooling instructions.
    eye_protection : tuple of Instruction
        Eye-protection instructions.
    """

    anaesthesia: Instruction
    lead_time_minutes: float | None
    by_area: dict[str, str]
    by_area_names: dict[str, str]
    cooling: tuple[Instruction, ...]
    eye_protection: tuple[Instruction, ...]

    def to_dict(self) -> dict:
        """JSON-ready view: the plan's ``anaesthesia`` plus cooling and eye protection."""
        return {
            "anaesthesia": self.anaesthesia.to_dict()
            | {
                "lead_time_minutes": self.lead_time_minutes,
                "by_area": dict(self.by_area),
                "by_area_names": dict(self.by_area_names),
            },
            "cooling": [item.to_dict() for item in self.cooling],
            "eye_protection": [item.to_dict() for item in self.eye_protection],
        }


def _tier(prescription: Prescription) -> tuple[int, InstructionEntry]:
    """Index and entry of the first anaesthesia tier that admits a prescription."""
    tiers = comfort_data().anaesthesia
    return next((i, tier) for i, tier in enumerate(tiers) if tier.scope.admits(prescription))


def _filled(entry: InstructionEntry) -> Instruction:
    return entry.instruction(lead_time_minutes=entry.lead_time_minutes)


def anaesthesia_for(prescription: Prescription) -> Instruction:
    """Anaesthesia for one prescription.

    Parameters
    ----------
    prescription : Prescription
        Modality, ablation and coagulation depth [m], coverage [-], wavelength [m].

    Returns
    -------
    Instruction
        The mildest tier of ``data/comfort.toml`` whose scope admits the prescription.
    """
    return _filled(_tier(prescription)[1])


def eye_protection_for(prescription: Prescription) -> tuple[Instruction, ...]:
    """Eye-protection instructions for one area's prescription.

    Parameters
    ----------
    prescription : Prescription
        The area (inside the orbital rim or not) and its treatment.

    Returns
    -------
    tuple of Instruction
        The entries of ``data/comfort.toml``'s ``[[eye_protection]]`` whose scope
        admits the prescription: laser eyewear always, metal corneal shields for
        areas inside the orbital rim.
    """
    return tuple(
        _filled(entry)
        for entry in comfort_data().eye_protection
        if entry.scope.admits(prescription)
    )


#: Id of the chilled-air cooling instruction in ``data/comfort.toml``.
CHILLED_AIR = "cooling.chilled_air"


def chilled_air_prescribed(prescription: Prescription) -> bool:
    """Whether the comfort data prescribe forced chilled air for one area's treatment.

    Parameters
    ----------
    prescription : Prescription
        The area and its treatment.

    Returns
    -------
    bool
        True when the ``cooling.chilled_air`` entry of ``data/comfort.toml``
        admits the prescription (its scope is every treatment today); the
        scanner then applies the air as a surface boundary of its bulk heating.
    """
    return any(
        entry.id == CHILLED_AIR and entry.scope.admits(prescription)
        for entry in comfort_data().cooling
    )


def comfort_for(prescriptions: Sequence[Prescription]) -> Comfort:
    """Anaesthesia, cooling and eye protection for the prescriptions of one session.

    Parameters
    ----------
    prescriptions : sequence of Prescription
        Every area treated in the session.

    Returns
    -------
    Comfort

    Raises
    ------
    InputError
        For an empty sequence.
    """
    if not prescriptions:
        raise InputError("prescriptions", "(none)", "at least one prescription")
    tiers = {p.area: _tier(p) for p in prescriptions}
    strongest = max(tiers.values(), key=lambda pair: pair[0])[1]
    data = comfort_data()

    def applying(entries: tuple[InstructionEntry, ...]) -> tuple[Instruction, ...]:
        return tuple(
            _filled(entry) for entry in entries if any(entry.scope.admits(p) for p in prescriptions)
        )

    return Comfort(
        anaesthesia=_filled(strongest),
        lead_time_minutes=strongest.lead_time_minutes,
        by_area={area: tier.id for area, (_, tier) in tiers.items()},
        by_area_names={area: tier.name or tier.id for area, (_, tier) in tiers.items()},
        cooling=applying(data.cooling),
        eye_protection=applying(data.eye_protection),
    )
