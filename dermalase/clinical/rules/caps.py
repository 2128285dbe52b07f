"""Area caps: the deepest and densest treatment each area takes, in SI units.

One ``area_cap`` rule of ``data/rules.toml`` covers each treatment area; its fractional
depth cap is a fraction of the dermis of the area's skin model
(:data:`dermalase.tissue.areas.AREAS`).

Examples
--------
>>> cap = area_cap("periorbital")
>>> round(cap.fractional_total_depth * 1e6), round(cap.full_field_ablation_depth * 1e6)
(312, 90)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from dermalase.clinical.consultation import TREATMENT_AREAS
from dermalase.clinical.names import area_name, join, modality_name
from dermalase.clinical.rules.schema import (
    TREATMENTS,
    AreaCapRule,
    RuleSet,
    check_overrides,
    load_rules,
)
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription
from dermalase.tissue.areas import AREAS
from dermalase.units import UM_PER_M


@dataclass(frozen=True)
class AreaCap:
    """Caps of one treatment area, in SI units.

    Parameters
    ----------
    area : str
        Treatment area.
    rule : str
        Id of the area_cap rule ("" when the cap is overridden).
    modalities : tuple of str
        Modalities allowed on the area.
    full_field_ablation_depth : float
        Deepest full-field ablation [m].
    full_field_total_depth : float
        Deepest full-field ablation plus coagulation [m].
    fractional_total_depth : float
        Deepest fractional column, ablation plus coagulation [m].
    fractional_coverage : float
        Highest fractional coverage [-].
    non_ablative_depth : float
        Deepest non-ablative (and hybrid) coagulation zone [m].
    non_ablative_coverage : float
        Highest non-ablative (and hybrid) coverage [-].
    hybrid_ablation_depth : float
        Deepest ablation of a hybrid's fractional part [m].
    reason : str
        Why.
    source : str
        Full references.
    """

    area: str
    rule: str
    modalities: tuple[str, ...]
    full_field_ablation_depth: float
    full_field_total_depth: float
    fractional_total_depth: float
    fractional_coverage: float
    non_ablative_depth: float = math.inf
    non_ablative_coverage: float = 1.0
    hybrid_ablation_depth: float = math.inf
    reason: str = ""
    source: str = ""

    def max_ablation_depth(self, modality: str) -> float:
        """Deepest ablation (crater or column) allowed for a modality [m]."""
        caps = {
            "full_field": self.full_field_ablation_depth,
            "fractional": self.fractional_total_depth,
            "non_ablative": 0.0,
            "hybrid": self.hybrid_ablation_depth,
        }
        return caps[modality]

    def max_total_depth(self, modality: str) -> float:
        """Deepest ablation plus coagulation allowed for a modality [m]."""
        caps = {
            "full_field": self.full_field_total_depth,
            "fractional": self.fractional_total_depth,
            "non_ablative": self.non_ablative_depth,
            "hybrid": self.non_ablative_depth,
        }
        return caps[modality]

    def max_coverage(self, modality: str) -> float:
        """Highest coverage allowed for a modality [-]."""
        caps = {
            "full_field": 1.0,
            "fractional": self.fractional_coverage,
            "non_ablative": self.non_ablative_coverage,
            "hybrid": self.non_ablative_coverage,
        }
        return caps[modality]

    def violations(self, prescription: Prescription) -> list[str]:
        """What a prescription exceeds on this area, as messages (empty when within).

        Parameters
        ----------
        prescription : Prescription
            A draft or a delivered prescription (depths from the tissue effect).
        """
        modality = treatment_of(prescription)
        tolerance = 1e-12
        checks = (
            (
                "modality",
                modality not in self.modalities,
                modality_name(modality),
                join((modality_name(m) for m in self.modalities), "or"),
            ),
            (
                "ablation depth",
                prescription.ablation_depth > self.max_ablation_depth(modality) + tolerance,
                f"{prescription.ablation_depth * UM_PER_M:.1f} µm",
                f"the cap of {self.max_ablation_depth(modality) * UM_PER_M:.1f} µm",
            ),
            (
                "total depth",
                prescription.total_depth > self.max_total_depth(modality) + tolerance,
                f"{prescription.total_depth * UM_PER_M:.1f} µm",
                f"the cap of {self.max_total_depth(modality) * UM_PER_M:.1f} µm",
            ),
            (
                "coverage",
                prescription.coverage > self.max_coverage(modality) + tolerance,
                f"{prescription.coverage * 100:.1f} %",
                f"the cap of {self.max_coverage(modality) * 100:.1f} %",
            ),
        )
        return [
            f"{area_name(self.area)}: {name} {value} exceeds {allowed}"
            for name, exceeded, value, allowed in checks
            if exceeded
        ]


def treatment_of(prescription: Prescription) -> str:
    """The rules' modality of a prescription: ``non_ablative`` for fractional coagulation alone.

    A fractional prescription with no ablation coagulates under an intact surface (the
    non-ablative modality); any other prescription is its beam modality. Each part of a
    hybrid is checked as what it is: its coagulation as non-ablative, its ablation as
    fractional.

    Examples
    --------
    >>> treatment_of(Prescription("cheek", "fractional", 1550e-9, 0.0, 300e-6, 0.15))
    'non_ablative'
    """
    if prescription.modality == "fractional" and prescription.ablation_depth == 0.0:
        return "non_ablative"
    return prescription.modality


def _cap_rule(area: str, rules: RuleSet) -> AreaCapRule:
    return next(rule for rule in rules.of_kind("area_cap") if area in rule.areas)


def area_cap(
    area: str, rules: RuleSet | None = None, overrides: Mapping[str, str] | None = None
) -> AreaCap:
    """Return the caps of a treatment area.

    Parameters
    ----------
    area : str
        Canonical treatment-area name (:data:`~dermalase.clinical.consultation.TREATMENT_AREAS`,
        as a :class:`~dermalase.clinical.consultation.Consultation` stores it).
    rules : RuleSet, optional
        The rules (bundled by default).
    overrides : mapping of str to str, optional
        Clinic overrides; an overridden cap leaves only the indication ranges as limits
        (an unbounded :class:`AreaCap` with ``rule == ""``).

    Returns
    -------
    AreaCap
        Depths [m], coverage [-], allowed modalities.

    Raises
    ------
    InputError
        For a name that is not a canonical treatment area, or an invalid override.
    """
    rules = rules or load_rules()
    return cap_of(area, rules, check_overrides(overrides, rules))


def cap_of(area: str, rules: RuleSet, overrides: Mapping[str, str]) -> AreaCap:
    """The caps of a canonical treatment area under already checked overrides."""
    if area not in TREATMENT_AREAS:
        raise InputError("area", area, f"must be one of {', '.join(TREATMENT_AREAS)}")
    rule = _cap_rule(area, rules)
    if rule.id in overrides:
        return AreaCap(area, "", TREATMENTS, math.inf, math.inf, math.inf, 1.0)
    dermis = AREAS[rule.fractional_dermis_area or TREATMENT_AREAS[area]].dermis
    return AreaCap(
        area=area,
        rule=rule.id,
        modalities=tuple(rule.modalities),
        full_field_ablation_depth=rule.full_field_ablation_max_um / UM_PER_M,
        full_field_total_depth=rule.full_field_total_max_um / UM_PER_M,
        fractional_total_depth=rule.fractional_depth_dermis_fraction * dermis,
        fractional_coverage=rule.fractional_coverage_max_percent / 100,
        non_ablative_depth=rule.non_ablative_depth_dermis_fraction * dermis,
        non_ablative_coverage=rule.non_ablative_coverage_max_percent / 100,
        hybrid_ablation_depth=rule.hybrid_ablation_max_um / UM_PER_M,
        reason=rule.reason,
        source=rule.source,
    )
