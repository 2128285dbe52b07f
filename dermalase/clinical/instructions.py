"""Cited instructions for the team and the patient, and the scope each one applies to.

Comfort (:mod:`dermalase.clinical.comfort`) and aftercare
(:mod:`dermalase.clinical.aftercare`) are lists of :class:`Instruction` read from data
files; each entry has a :class:`Scope` saying which prescriptions it applies to (modality,
depths, coverage, wavelength, areas, skin types).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dermalase.clinical.consultation import TREATMENT_AREAS
from dermalase.clinical.sources import describe, source
from dermalase.prescription import MODALITIES, Prescription
from dermalase.units import NM_PER_M, UM_PER_M


@dataclass(frozen=True)
class Instruction:
    """One instruction and where it comes from.

    Parameters
    ----------
    rule : str
        Id of the instruction in its data file.
    text : str
        What to do, in plain language.
    source : str
        Full references of its sources.
    source_keys : tuple of str
        Keys of its sources in the citation registry.
    """

    rule: str
    text: str
    source: str
    source_keys: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready view."""
        return {"rule": self.rule, "text": self.text, "source": self.source}


class Scope(BaseModel):
    """Which prescriptions an instruction applies to (every limit inclusive).

    Depths are µm, coverage %, wavelength nm, as written in the data files.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    modalities: tuple[str, ...] = MODALITIES
    min_total_depth_um: float = Field(default=0.0, ge=0)
    max_ablation_depth_um: float = Field(default=math.inf, gt=0)
    max_coagulation_depth_um: float = Field(default=math.inf, ge=0)
    max_coverage_percent: float = Field(default=100.0, gt=0, le=100)
    max_wavelength_nm: float = Field(default=math.inf, gt=0)
    areas: tuple[str, ...] | None = None
    skin_types: tuple[int, ...] | None = None
    #: True: only prescriptions that ablate; False: only non-ablative ones (fractional
    #: coagulation under an intact surface); None: either.
    ablative: bool | None = None

    @field_validator("modalities")
    @classmethod
    def _modalities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in MODALITIES]
        if unknown:
            raise ValueError(f"unknown modalities: {', '.join(unknown)}")
        return value

    @field_validator("areas")
    @classmethod
    def _areas(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        unknown = [name for name in value or () if name not in TREATMENT_AREAS]
        if unknown:
            raise ValueError(f"unknown areas: {', '.join(unknown)}")
        return value

    def admits(self, prescription: Prescription, skin_type: int | None = None) -> bool:
        """Whether the scope covers a prescription (and a skin type, when one is given).

        Parameters
        ----------
        prescription : Prescription
            Depths [m], coverage [-], wavelength [m], area.
        skin_type : int, optional
            Fitzpatrick skin type; a scope naming skin types needs one that matches.
        """
        slack = 1e-9
        checks = (
            prescription.modality in self.modalities,
            prescription.total_depth * UM_PER_M >= self.min_total_depth_um - slack,
            prescription.ablation_depth * UM_PER_M <= self.max_ablation_depth_um + slack,
            prescription.coagulation_depth * UM_PER_M <= self.max_coagulation_depth_um + slack,
            prescription.coverage * 100 <= self.max_coverage_percent + slack,
            prescription.wavelength * NM_PER_M <= self.max_wavelength_nm + slack,
            self.areas is None or prescription.area in self.areas,
            self.skin_types is None or skin_type in self.skin_types,
            self.ablative is None or (prescription.ablation_depth > 0.0) == self.ablative,
        )
        return all(checks)


class InstructionEntry(BaseModel):
    """One instruction of a data file, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    text: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    scope: Scope = Scope()
    lead_time_minutes: float | None = Field(default=None, gt=0)
    #: A short clinical name, for lists ("topical anaesthetic cream"); the text says it in full.
    name: str = ""

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for key in value:
            source(key)
        return value

    def instruction(self, **values: object) -> Instruction:
        """The instruction, with ``{placeholders}`` of the text filled from ``values``."""
        return Instruction(
            self.id, self.text.format_map(values), describe(self.sources), tuple(self.sources)
        )
