"""Drafting: one device-neutral prescription per area, limited by bisection to the downtime.

How a draft is chosen (:func:`indication_for`):

1. The indications of the patient's conditions give the modality preference (the
   highest-priority condition leads; a skin-type rule may prefer another modality) and,
   for the chosen modality, the envelope of their depth and coverage ranges
   (:mod:`~dermalase.clinical.rules.modalities`); the device that delivers it is chosen
   there, once, and travels with the draft.
2. Correction places the target in the range (mild: low end, moderate: middle, marked:
   high end); the area cap (:mod:`~dermalase.clinical.rules.caps`) and the skin-type
   coverage limit cap it.
3. The downtime tolerance limits the depth (and the fractional coverage) to what the
   recovery model (the planner's recovery slot; by default
   :func:`dermalase.clinical.recovery.healing_bands`) heals within that many days: the
   largest depth within the tolerance is found by bisection. The modality never depends
   on downtime, so more downtime never gives a shallower draft.

Where the physician sets the depth of an area (``[depth.AREA]`` of the consultation,
:class:`~dermalase.clinical.consultation.PhysicianDepth`), none of this chooses it: the
physician's depth is checked (:mod:`~dermalase.clinical.rules.physician`) against the
modalities the rules leave, the area cap and the skin-type coverage limit, any of which
refuses it naming the rule, and the draft says the depth is the physician's. The ranges,
steps and bisection both share live in :mod:`~dermalase.clinical.rules.ranges`.

Examples
--------
>>> from dermalase.clinical.consultation import Consultation
>>> patient = Consultation(age=40, skin_type=2, conditions=["fine_lines"],
...     areas=["full_face"], downtime_days=4, correction="moderate")
>>> draft = indication_for(patient, "full_face")
>>> draft.prescription.modality, round(draft.prescription.ablation_depth * 1e6)
('full_field', 40)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from dermalase.clinical.consultation import Consultation
from dermalase.clinical.names import area_name, join, modality_name, rule_name
from dermalase.clinical.recovery import RecoveryTimeline, Wound, healing_bands, recovery_data
from dermalase.clinical.rules.caps import cap_of
from dermalase.clinical.rules.evaluation import refusal_for
from dermalase.clinical.rules.findings import DOWNTIME_RULE, Finding
from dermalase.clinical.rules.modalities import (
    choose_device,
    fired_rules,
    indications_of,
    options,
)
from dermalase.clinical.rules.physician import _dialled_modality, _physician_draft
from dermalase.clinical.rules.ranges import (
    _COVERAGE_STEP,
    _DEPTH_STEP,
    _envelope,
    _floor,
    _largest_within,
    _position,
    _Shaping,
)
from dermalase.clinical.rules.schema import (
    RuleSet,
    check_overrides,
    load_rules,
)
from dermalase.clinical.sources import describe
from dermalase.devices import DeviceProfile, load_device
from dermalase.exceptions import RefusalError
from dermalase.prescription import Prescription
from dermalase.units import NM_PER_M, UM_PER_M, plural

#: A recovery model: (prescription, effect with ablation_depth [m], coagulation_depth [m]
#: and coverage [-]) -> RecoveryTimeline; the planner's recovery slot.
RecoveryModel = Callable[[Prescription, Wound], RecoveryTimeline]


@dataclass(frozen=True)
class Draft:
    """A draft prescription for one area and how the rules shaped it.

    Parameters
    ----------
    prescription : Prescription
        Area, modality, wavelength [m], ablation and coagulation depth [m], coverage [-];
        passes and spot are left to dosimetry (None).
    findings : tuple of Finding
        What limited the draft (area cap, skin type, downtime), as findings.
    rules : tuple of str
        Ids of the rules that shaped it.
    predicted_healing_days : float
        Healing time of the draft by the recovery model [days].
    device : DeviceProfile or None
        The device chosen to deliver it (:func:`~.modalities.choose_device`); its
        wavelength is the prescription's when the consultation lists devices.
    physician : bool
        Whether the depth is the physician's (``[depth.AREA]``): the planner then delivers
        it as set, or refuses it, and never deepens or softens it.
    treatment : str
        The rules' modality drafted (:data:`~.schema.TREATMENTS`): ``non_ablative`` and
        ``hybrid`` are written as fractional prescriptions.
    companion : Prescription or None
        A hybrid's fractional ablative part (the prescription is its non-ablative
        coagulation): the same area, treated in the same pass.
    companion_device : DeviceProfile or None
        The device chosen to deliver the companion.
    """

    prescription: Prescription
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()
    predicted_healing_days: float = 0.0
    device: DeviceProfile | None = field(default=None, compare=False, repr=False)
    physician: bool = False
    treatment: str = ""
    companion: Prescription | None = None
    companion_device: DeviceProfile | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready view (clinical units)."""
        view = {
            "prescription": self.prescription.to_dict(),
            "rules": list(self.rules),
            "predicted_healing_days": round(self.predicted_healing_days, 1),
            "findings": [finding.to_dict() for finding in self.findings],
        }
        if self.companion is not None:
            view["companion"] = self.companion.to_dict()
        return view


def stacked(coagulation: Prescription, ablation: Prescription | None) -> Prescription:
    """The wound of a hybrid area: shallow ablation over non-ablative coagulation [m], [-].

    The coagulation zone's depth is counted from the surface; the ablation removes its top,
    so the wound is the ablation depth with the rest of the zone coagulated below it, at
    the coagulation's coverage. Without an ablative part, the coagulation itself.

    Examples
    --------
    >>> zone = Prescription("cheek", "fractional", 1470e-9, 0.0, 300e-6, 0.15)
    >>> top = Prescription("cheek", "fractional", 2940e-9, 20e-6, 0.0, 0.15)
    >>> wound = stacked(zone, top)
    >>> round(wound.ablation_depth * 1e6), round(wound.coagulation_depth * 1e6)
    (20, 280)
    """
    if ablation is None or ablation.ablation_depth <= 0.0:
        return coagulation
    depth = ablation.ablation_depth
    below = max(coagulation.coagulation_depth - depth, ablation.coagulation_depth, 0.0)
    return Prescription(
        coagulation.area,
        "fractional",
        coagulation.wavelength,
        depth,
        below,
        max(coagulation.coverage, ablation.coverage),
    )


def _full_field_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping, healing_of
) -> tuple[float, float, float, float]:
    """Ablation [m], coagulation [m], coverage [-] and healing [days] of a full-field draft.

    ``coverage_caps`` (skin-type limits on fractional coverage) do not apply to full field;
    ``healing_of(ablation, coagulation, coverage)`` is the recovery model's healing time
    [days] of a candidate draft.
    """
    position = planning.correction_position[consultation.correction]
    ablation_low, ablation_high = _envelope(indications, "full_field", "ablation_depth_um")
    coag_low, coag_high = _envelope(indications, "full_field", "coagulation_depth_um")
    ablation = _position(ablation_low, ablation_high, position) / UM_PER_M
    coagulation = _position(coag_low, coag_high, position) / UM_PER_M
    cap_ablation = min(ablation, cap.full_field_ablation_depth)
    cap_coagulation = min(coagulation, max(0.0, cap.full_field_total_depth - cap_ablation))
    shaping.capped(
        cap.rule,
        cap.source,
        f"{area_name(area)}: full-field ablation [µm]",
        ablation * UM_PER_M,
        cap_ablation * UM_PER_M,
    )
    minimum = planning.minimum_ablation_depth_um / UM_PER_M

    def split(total: float) -> tuple[float, float]:
        kept = min(cap_ablation, total)
        return kept, min(cap_coagulation, max(0.0, total - kept))

    def heal(total: float) -> float:
        return healing_of(*split(total), 1.0)

    target_total = cap_ablation + cap_coagulation
    allowed = _largest_within(heal, minimum, target_total, consultation.downtime_days)
    total = minimum if allowed is None else allowed
    ablation_depth, coagulation_depth = (
        _floor(value, _DEPTH_STEP) if value > 0 else 0.0 for value in split(total)
    )
    ablation_depth = max(ablation_depth, minimum)
    healing = heal(ablation_depth + coagulation_depth)
    _downtime_findings(
        consultation,
        area,
        shaping,
        too_short=allowed is None,
        limited=total < target_total - _DEPTH_STEP,
        depth=ablation_depth,
        range_low=ablation_low,
        healing=healing,
    )
    return ablation_depth, coagulation_depth, 1.0, healing


def _capped_coverage(shaping, cap, area_limit, coverage_caps, label, coverage) -> float:
    """Coverage [-] under the area's cap ``area_limit`` and then each skin-type limit.

    Each cap that lowers it is recorded in ``shaping`` under its rule and source;
    ``coverage_caps`` are (rule id, source, coverage limit [-]).
    """
    capped = min(coverage, area_limit)
    shaping.capped(cap.rule, cap.source, label, coverage * 100, capped * 100)
    for rule_id, source_text, limit in coverage_caps:
        shaping.capped(rule_id, source_text, label, capped * 100, limit * 100)
        capped = min(capped, limit)
    return capped


def _fit_downtime(heal, depth, coverage, minimum, lowest_coverage, downtime):
    """Depth [m] and coverage [-] of a fractional draft limited to the downtime [days].

    Coverage is lowered first, down to ``lowest_coverage``; then the depth, down
    to ``minimum``. ``heal(depth, coverage)`` is the healing time [days]. Both
    are floored to the drafting steps. Returns ``(depth, coverage, too_short,
    limited)``: ``too_short`` when even the minimum heals too slowly,
    ``limited`` when the downtime lowered either.
    """
    chosen = _largest_within(lambda share: heal(depth, share), lowest_coverage, coverage, downtime)
    fitted: float | None = depth
    if chosen is None:
        chosen = lowest_coverage
        fitted = _largest_within(
            lambda value: heal(value, lowest_coverage), minimum, depth, downtime
        )
    too_short = fitted is None
    fitted = max(_floor(minimum if fitted is None else fitted, _DEPTH_STEP), minimum)
    share = max(_floor(chosen, _COVERAGE_STEP), _COVERAGE_STEP)
    limited = fitted < depth - _DEPTH_STEP or share < coverage - _COVERAGE_STEP
    return fitted, share, too_short, limited


def _fractional_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping, healing_of
) -> tuple[float, float, float, float]:
    """Column depth [m], coagulation (0) [m], coverage [-] and healing [days], fractional.

    ``coverage_caps`` are (rule id, source, coverage limit [-]) of skin-type rules;
    ``healing_of`` as for :func:`_full_field_draft`.
    """
    position = planning.correction_position[consultation.correction]
    depth_low, depth_high = _envelope(indications, "fractional", "depth_um")
    coverage_low, coverage_high = _envelope(indications, "fractional", "coverage_percent")
    depth = _position(depth_low, depth_high, position) / UM_PER_M
    coverage = _position(coverage_low, coverage_high, position) / 100
    capped_depth = min(depth, cap.fractional_total_depth)
    shaping.capped(
        cap.rule,
        cap.source,
        f"{area_name(area)}: fractional column depth [µm]",
        depth * UM_PER_M,
        capped_depth * UM_PER_M,
    )
    capped_coverage = _capped_coverage(
        shaping,
        cap,
        cap.fractional_coverage,
        coverage_caps,
        f"{area_name(area)}: fractional coverage [%]",
        coverage,
    )
    lowest_coverage = min(coverage_low / 100, capped_coverage)
    minimum = min(planning.minimum_column_depth_um / UM_PER_M, capped_depth)
    downtime = consultation.downtime_days

    def heal(column: float, share: float) -> float:
        return healing_of(column, 0.0, share)

    column, share, too_short, limited = _fit_downtime(
        heal, capped_depth, capped_coverage, minimum, lowest_coverage, downtime
    )
    healing = heal(column, share)
    _downtime_findings(
        consultation,
        area,
        shaping,
        too_short=too_short,
        limited=limited,
        depth=column,
        range_low=depth_low,
        healing=healing,
    )
    return column, 0.0, share, healing


def _coagulation_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping, healing_of, modality
) -> tuple[float, float, float]:
    """Coagulation depth [m], coverage [-] and healing [days] of a non-ablative or hybrid draft.

    The zone depth and coverage are placed in the indicated ranges, capped by the area's
    non-ablative caps and the skin type's non-ablative coverage limits, then limited to
    the downtime as a fractional draft is: coverage first, then depth.
    ``healing_of(coagulation, coverage)`` is the recovery model's healing time [days].
    """
    position = planning.correction_position[consultation.correction]
    depth_low, depth_high = _envelope(indications, modality, "coagulation_depth_um")
    coverage_low, coverage_high = _envelope(indications, modality, "coverage_percent")
    depth = _position(depth_low, depth_high, position) / UM_PER_M
    coverage = _position(coverage_low, coverage_high, position) / 100
    capped_depth = min(depth, cap.non_ablative_depth)
    what = modality_name(modality)
    shaping.capped(
        cap.rule,
        cap.source,
        f"{area_name(area)}: {what}, coagulation depth [µm]",
        depth * UM_PER_M,
        capped_depth * UM_PER_M,
    )
    capped_coverage = _capped_coverage(
        shaping,
        cap,
        cap.non_ablative_coverage,
        coverage_caps,
        f"{area_name(area)}: {what}, coverage [%]",
        coverage,
    )
    lowest_coverage = min(coverage_low / 100, capped_coverage)
    minimum = min(planning.minimum_coagulation_depth_um / UM_PER_M, capped_depth)
    downtime = consultation.downtime_days
    zone, share, too_short, limited = _fit_downtime(
        healing_of, capped_depth, capped_coverage, minimum, lowest_coverage, downtime
    )
    healing = healing_of(zone, share)
    _downtime_findings(
        consultation,
        area,
        shaping,
        too_short=too_short,
        limited=limited,
        depth=zone,
        range_low=depth_low,
        healing=healing,
        what=what,
    )
    return zone, share, healing


def _non_ablative_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping, healing_of
) -> tuple[float, float, float, float]:
    """Ablation (0) [m], coagulation [m], coverage [-] and healing [days], non-ablative."""
    zone, share, healing = _coagulation_draft(
        consultation,
        area,
        indications,
        cap,
        coverage_caps,
        planning,
        shaping,
        lambda depth, coverage: healing_of(0.0, depth, coverage),
        "non_ablative",
    )
    return 0.0, zone, share, healing


def _hybrid_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping, healing_of
) -> tuple[float, float, float, float]:
    """Ablation [m] over coagulation [m] (from the surface), coverage [-], healing [days].

    The ablation is placed in the indicated range and capped by the area's hybrid
    ablation cap, but never as deep as the coagulation zone under it; the zone and
    coverage are drafted as for non-ablative work, healed as the stacked wound.
    """
    position = planning.correction_position[consultation.correction]
    low, high = _envelope(indications, "hybrid", "ablation_depth_um")
    asked = _position(low, high, position) / UM_PER_M
    ablation = min(asked, cap.hybrid_ablation_depth)
    shaping.capped(
        cap.rule,
        cap.source,
        f"{area_name(area)}: hybrid ablation [µm]",
        asked * UM_PER_M,
        ablation * UM_PER_M,
    )
    ablation = _floor(ablation, _DEPTH_STEP)
    zone, share, healing = _coagulation_draft(
        consultation,
        area,
        indications,
        cap,
        coverage_caps,
        planning,
        shaping,
        lambda depth, coverage: healing_of(min(ablation, 0.5 * depth), depth, coverage),
        "hybrid",
    )
    return min(ablation, _floor(0.5 * zone, _DEPTH_STEP)), zone, share, healing


#: Modality -> function drafting it.
DRAFTERS: dict[str, Callable[..., tuple[float, float, float, float]]] = {
    "full_field": _full_field_draft,
    "fractional": _fractional_draft,
    "non_ablative": _non_ablative_draft,
    "hybrid": _hybrid_draft,
}


def _downtime_findings(
    consultation: Consultation,
    area: str,
    shaping: _Shaping,
    *,
    too_short: bool,
    limited: bool,
    depth: float,
    range_low: float,
    healing: float,
    what: str = "ablative",
) -> None:
    """Record how the downtime tolerance limited a draft.

    ``depth`` is the drafted ablation, column or coagulation depth [m], ``range_low`` the
    low end of the indicated range [µm], ``healing`` the predicted healing time [days];
    ``what`` names the treatment ("ablative" unless a non-ablative or hybrid draft).
    """
    sources = describe(recovery_data().source_keys())
    days = plural(consultation.downtime_days, "day")
    depth_um = depth * UM_PER_M
    name = area_name(area)
    if too_short:
        message = (
            f"{name}: no {what} treatment heals within {days}; the shallowest offered "
            f"({depth_um:.1f} µm) heals in about {plural(round(healing), 'day')}"
        )
        shaping.findings.append(Finding(DOWNTIME_RULE, "warning", message, sources))
    elif limited:
        below = depth_um < range_low - _DEPTH_STEP * UM_PER_M
        note = (
            f" (the indication starts at {range_low:g} µm): expect less correction than asked"
            if below
            else ""
        )
        message = (
            f"{name}: the downtime tolerance of {days} limits the drafted depth to "
            f"{depth_um:.1f} µm{note}"
        )
        shaping.findings.append(Finding(DOWNTIME_RULE, "info", message, sources))


def indication_for(
    consultation: Consultation,
    area: str,
    overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
    *,
    recovery: RecoveryModel | None = None,
    devices: Sequence[str] | None = None,
) -> Draft:
    """Draft the prescription for one area.

    Parameters
    ----------
    consultation : Consultation
        The patient, conditions, downtime tolerance [days], correction, history, devices.
    area : str
        Canonical treatment area (one of the consultation's ``areas``).
    overrides : mapping of str to str, optional
        Clinic overrides (rule id -> stated reason); an overridden rule is not applied.
    rules : RuleSet, optional
        The rules (bundled by default).
    recovery : callable, optional
        The recovery model, ``recovery(prescription, effect) -> RecoveryTimeline`` (the
        planner's recovery slot); a candidate draft is taken as its own effect. Default
        :func:`~dermalase.clinical.recovery.healing_bands`.
    devices : sequence of str, optional
        Device names to choose from when the consultation lists none (default: every
        bundled and user device).

    Returns
    -------
    Draft
        The prescription (SI), the findings that shaped it, the rule ids used and the
        device chosen to deliver it.

    Raises
    ------
    RefusalError
        When contraindications, skin type, the area or the listed devices leave no
        modality for the area (naming the blocking rule and its reason), or when no
        device delivers the modality.
    InputError
        For an unknown area or an invalid override.
    """
    rules = rules or load_rules()
    return draft_area(
        consultation,
        area,
        rules,
        check_overrides(overrides, rules),
        recovery or healing_bands,
        devices,
    )


def draft_area(
    consultation: Consultation,
    area: str,
    rules: RuleSet,
    overrides: Mapping[str, str],
    recovery: RecoveryModel,
    devices: Sequence[str] | None = None,
) -> Draft:
    """Draft one canonical area under already checked overrides (see :func:`indication_for`)."""
    cap = cap_of(area, rules, overrides)
    left = options(consultation, area, rules, overrides)
    if not left.modalities:
        raise refusal_for(consultation, area, left, rules)
    dial = consultation.physician_depth(area)
    if dial is not None:
        # A physician's depth dials ablation: only the ablative modalities take it.
        ablative = tuple(m for m in left.modalities if m in ("full_field", "fractional"))
        left = replace(left, modalities=ablative or left.modalities)
    modality = _dialled_modality(consultation, area, dial, left, rules)
    indications = [
        rule for rule in indications_of(consultation, rules) if getattr(rule, modality) is not None
    ]
    skin_rules = [
        rule for rule in fired_rules(consultation, rules, overrides) if rule.kind == "skin_type"
    ]
    shaping = _Shaping(rules=[rule.id for rule in indications] + [cap.rule] * bool(cap.rule))
    shaping.rules += [rule.id for rule in skin_rules]
    shaping.rules += [rule_id for ids in left.removed.values() for rule_id in ids]
    planning = rules.planning
    limit_name = (
        "non_ablative_coverage_max_percent"
        if modality in ("non_ablative", "hybrid")
        else "fractional_coverage_max_percent"
    )
    coverage_caps = [
        (rule.id, rule.source, getattr(rule, limit_name) / 100)
        for rule in skin_rules
        if getattr(rule, limit_name) is not None
    ]
    preferred = _preferred_wavelength(indications, modality)
    device = choose_device(consultation, area, modality, planning, devices, preferred)
    # A listed device sets the wavelength; otherwise the rules' (or the indication's)
    # default (the chosen device delivers it).
    wavelength = (
        device.wavelength
        if consultation.devices
        else (preferred or planning.default_wavelength_nm[modality]) / NM_PER_M
    )
    beam = "full_field" if modality == "full_field" else "fractional"
    ablation_wavelength = planning.hybrid_ablation_wavelength_nm / NM_PER_M

    def draft(ablation: float, coagulation: float, coverage: float) -> Prescription:
        if modality == "hybrid":  # the coagulation part; the ablation is the companion
            return Prescription(area, beam, wavelength, 0.0, coagulation, coverage)
        return Prescription(area, beam, wavelength, ablation, coagulation, coverage)

    def healing_of(ablation: float, coagulation: float, coverage: float) -> float:
        candidate = draft(ablation, coagulation, coverage)
        if modality == "hybrid" and ablation > 0:
            top = Prescription(area, beam, ablation_wavelength, ablation, 0.0, coverage)
            candidate = stacked(candidate, top)
        return recovery(candidate, candidate).healing_days

    if dial is not None:
        ablation, coagulation, coverage = _physician_draft(
            consultation, area, dial, modality, indications, cap, coverage_caps, planning, shaping
        )
        prescription = draft(ablation, coagulation, coverage)
        broken = cap.violations(prescription)
        if broken:
            raise RefusalError(
                cap.rule,
                f"the physician's depth for the {area_name(area)} breaks its area cap: "
                f"{'; '.join(broken)}; override {cap.rule} with a reason to plan it",
                cap.source,
            )
        healing = healing_of(ablation, coagulation, coverage)
        return Draft(
            prescription,
            tuple(shaping.findings),
            tuple(dict.fromkeys(shaping.rules)),
            healing,
            device,
            physician=True,
            treatment=modality,
        )
    ablation, coagulation, coverage, healing = DRAFTERS[modality](
        consultation, area, indications, cap, coverage_caps, planning, shaping, healing_of
    )
    cautious = [rule for rule in fired_rules(consultation, rules, overrides) if rule.conservative]
    if cautious and consultation.correction != "mild":
        asked = (ablation, coagulation, coverage)
        mild = consultation.model_copy(update={"correction": "mild"})
        shaping = _Shaping(rules=shaping.rules + [rule.id for rule in cautious])
        ablation, coagulation, coverage, healing = DRAFTERS[modality](
            mild, area, indications, cap, coverage_caps, planning, shaping, healing_of
        )
        shaping.findings.append(
            _conservative_finding(
                area, modality, cautious, asked, (ablation, coagulation, coverage)
            )
        )
    companion, companion_device = None, None
    if modality == "hybrid" and ablation > 0:
        companion = Prescription(area, beam, ablation_wavelength, ablation, 0.0, coverage)
        companion_device = _ablation_device(consultation, area, planning, devices)
    return Draft(
        draft(ablation, coagulation, coverage),
        tuple(shaping.findings),
        tuple(dict.fromkeys(shaping.rules)),
        healing,
        device,
        treatment=modality,
        companion=companion,
        companion_device=companion_device,
    )


def _preferred_wavelength(indications: list, modality: str) -> float | None:
    """The wavelength [nm] the leading indication names for a non-ablative draft, if any."""
    if modality != "non_ablative":
        return None
    named = [rule.non_ablative.wavelength_nm for rule in indications if rule.non_ablative]
    return next((nm for nm in named if nm is not None), None)


def _ablation_device(
    consultation: Consultation,
    area: str,
    planning,
    devices: Sequence[str] | None,
) -> DeviceProfile:
    """The device of a hybrid's ablative part: fractional at the hybrid's ablation wavelength.

    A listed device that delivers it comes first; otherwise the candidates (the hybrid's
    coagulation module does not ablate, so a consultation listing only it still plans).
    """
    wavelength = planning.hybrid_ablation_wavelength_nm
    unlisted = consultation.model_copy(update={"devices": []})
    for name in consultation.devices:
        device = load_device(name)
        at = abs(device.wavelength * NM_PER_M - wavelength) < 1e-6
        if "fractional" in device.modality and at:
            return device
    return choose_device(unlisted, area, "fractional", planning, devices, wavelength)


def _conservative_finding(
    area: str,
    modality: str,
    cautious: list,
    asked: tuple[float, float, float],
    kept: tuple[float, float, float],
) -> Finding:
    """Say how conservative settings lowered a draft: depths [m] and coverage [-] before, after."""

    def text(ablation: float, coagulation: float, coverage: float) -> str:
        if modality in ("non_ablative", "hybrid"):
            over = f"{ablation * UM_PER_M:.0f} µm of ablation over " if ablation else ""
            return f"{over}zones {coagulation * UM_PER_M:.0f} µm deep at {coverage * 100:.0f} %"
        if modality == "fractional":
            return f"columns {ablation * UM_PER_M:.0f} µm deep at {coverage * 100:.0f} %"
        depth = f"{ablation * UM_PER_M:.0f} µm of ablation"
        return depth + (
            f" and {coagulation * UM_PER_M:.0f} µm of coagulation" if coagulation else ""
        )

    first = cautious[0]
    names = join(rule_name(rule.id, rule.title).lower() for rule in cautious)
    message = (
        f"{area_name(area)}: conservative settings for {names}: the draft sits at the mild "
        f"end of the indicated ranges, {text(*kept)} instead of {text(*asked)}"
    )
    return Finding(first.id, "warning", message, describe([k for r in cautious for k in r.sources]))


def draft_prescriptions(
    consultation: Consultation,
    overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
    *,
    recovery: RecoveryModel | None = None,
    devices: Sequence[str] | None = None,
) -> tuple[Draft, ...]:
    """Draft every area of a consultation (see :func:`indication_for`)."""
    rules = rules or load_rules()
    overrides = check_overrides(overrides, rules)
    return tuple(
        draft_area(consultation, area, rules, overrides, recovery or healing_bands, devices)
        for area in consultation.areas
    )
