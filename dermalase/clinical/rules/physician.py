"""The physician's dial: a depth set per area, checked against the rules instead of chosen.

Where the consultation sets ``[depth.AREA]``, the modality is the physician's if the rules
leave it (:func:`dialled_modality`), and the depth and coverage are checked against the
skin type's coverage limit (:func:`physician_draft`); the area cap is checked on the whole
prescription by the drafting.
"""

from __future__ import annotations

from dermalase.clinical.consultation import Consultation, PhysicianDepth
from dermalase.clinical.names import (
    area_name,
    condition_name,
    join,
    modality_name,
)
from dermalase.clinical.rules.caps import AreaCap
from dermalase.clinical.rules.evaluation import refusal_for
from dermalase.clinical.rules.findings import PHYSICIAN_RULE, Finding
from dermalase.clinical.rules.modalities import (
    Options,
)
from dermalase.clinical.rules.ranges import (
    _COVERAGE_STEP,
    _envelope,
    _floor,
    _position,
    _Shaping,
)
from dermalase.clinical.rules.schema import (
    IndicationRule,
    Modality,
    RuleSet,
)
from dermalase.exceptions import InputError, RefusalError
from dermalase.units import UM_PER_M


def _dialled_modality(
    consultation: Consultation,
    area: str,
    dial: PhysicianDepth | None,
    left: Options,
    rules: RuleSet,
) -> Modality:
    """The modality of the draft: the rules' first, or the physician's if the rules leave it.

    Raises
    ------
    RefusalError
        When the physician's modality is contraindicated or not allowed on the area (naming
        the rule), or no indication of the conditions offers it.
    """
    if dial is None or dial.modality is None:
        return left.modalities[0]
    if dial.modality in left.modalities:
        return dial.modality
    if dial.modality in left.removed:
        blocked = Options((), {dial.modality: left.removed[dial.modality]})
        raise refusal_for(consultation, area, blocked, rules)
    raise RefusalError(
        PHYSICIAN_RULE,
        f"{area_name(area)}: the physician's modality, {modality_name(dial.modality)}, is not "
        f"indicated for {join(condition_name(c) for c in consultation.conditions)}; the rules "
        f"offer {join((modality_name(m) for m in left.modalities), 'or')}",
        "indication rules (dermalase rules)",
    )


def _physician_draft(
    consultation: Consultation,
    area: str,
    dial: PhysicianDepth,
    modality: str,
    indications: list[IndicationRule],
    cap: AreaCap,
    coverage_caps: list[tuple[str, str, float]],
    planning,
    shaping: _Shaping,
) -> tuple[float, float, float]:
    """Ablation [m], coagulation [m] and coverage [-] the physician set for an area.

    A fractional coverage left out is the indication's, placed by the correction and
    capped as a drafted one is; one given above a skin-type coverage limit is refused
    naming the rule (the area cap is checked on the whole prescription by the caller).

    Raises
    ------
    RefusalError
        A coverage beyond a skin-type limit that is not overridden.
    InputError
        A coverage for full-field work, or a coagulation depth for fractional columns.
    """
    field = f"depth.{area}"
    ablation, coagulation = dial.ablation_depth, dial.coagulation_depth
    coverage = dial.coverage_fraction
    if modality == "full_field":
        if coverage is not None and coverage < 1.0:
            raise InputError(
                f"{field}.coverage",
                dial.coverage,
                'full-field work covers 100 %; give a coverage only with modality = "fractional"',
            )
        coverage = 1.0
    else:
        if coagulation > 0:
            raise InputError(
                f"{field}.coagulation",
                dial.coagulation,
                "a fractional column's coagulation "
                "is what the device leaves around it; give only its depth (ablation)",
            )
        if coverage is None:
            low, high = _envelope(indications, "fractional", "coverage_percent")
            position = planning.correction_position[consultation.correction]
            coverage = min(_position(low, high, position) / 100, cap.fractional_coverage)
            coverage = min([coverage] + [limit for _, _, limit in coverage_caps])
            coverage = max(_floor(coverage, _COVERAGE_STEP), _COVERAGE_STEP)
        for rule_id, source_text, limit in coverage_caps:
            if coverage > limit + 1e-12:
                raise RefusalError(
                    rule_id,
                    f"the physician's coverage for the {area_name(area)}, {coverage * 100:.1f} %, "
                    "exceeds "
                    f"the {limit * 100:g} % this skin type takes; override {rule_id} with a "
                    "reason to plan it",
                    source_text,
                )
    depth = f"{ablation * UM_PER_M:g} µm of ablation"
    if modality == "full_field":
        depth += f" and {coagulation * UM_PER_M:g} µm of coagulation, full field"
    else:
        depth = (
            f"fractional columns {ablation * UM_PER_M:g} µm deep at {coverage * 100:g} % coverage"
        )
    shaping.findings.append(
        Finding(
            PHYSICIAN_RULE,
            "info",
            f"{area_name(area)}: the depth is the physician's ({depth}); the planner checked it "
            "against the rules and the downtime instead of choosing it",
            "the physician's prescription in the consultation",
        )
    )
    return ablation, coagulation, coverage
