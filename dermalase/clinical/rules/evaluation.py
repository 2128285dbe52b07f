"""Evaluation: every rule against a consultation, as findings.

:func:`evaluate` gives one or more :class:`~dermalase.clinical.rules.findings.Finding`
per rule that applies (indications and area caps as information; skin-type rules and
contraindications as a warning, or a refusal when they leave an area no modality;
precautions as a warning or advice), an ``override`` finding for each rule the clinic
overrode, and the refusals of areas that have nothing left.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from dermalase.clinical.consultation import Consultation
from dermalase.clinical.names import (
    area_name,
    area_names,
    condition_name,
    join,
    modality_name,
    rule_name,
)
from dermalase.clinical.rules.caps import cap_of
from dermalase.clinical.rules.findings import DEVICE_RULE, SEVERITIES, Finding
from dermalase.clinical.rules.modalities import Options, options
from dermalase.clinical.rules.schema import RuleSet, check_overrides, load_rules
from dermalase.devices import load_device
from dermalase.exceptions import RefusalError
from dermalase.units import UM_PER_M


def device_name(name: str) -> str:
    """A listed device's display name (its file name when the profile cannot be read)."""
    try:
        return load_device(name).display_name
    except Exception:
        return name


def refusal_for(consultation, area, left: Options, rules: RuleSet) -> RefusalError:
    """The refusal of an area that has no modality left, naming the first blocking rule."""
    finding = blocking_refusals(consultation, area, left, rules)[0]
    return RefusalError(finding.rule, finding.message, finding.source)


def blocking_refusals(consultation, area, left: Options, rules: RuleSet) -> list[Finding]:
    """Refusal findings for an area that has no modality left."""
    findings = []
    for rule_id in dict.fromkeys(i for ids in left.removed.values() for i in ids):
        blocked = [m for m, ids in left.removed.items() if rule_id in ids]
        if rule_id == DEVICE_RULE:
            names = join((device_name(d) for d in consultation.devices), "or")
            message = (
                f"{area_name(area)}: none of the listed devices ({names}) delivers "
                f"{join((modality_name(m) for m in blocked), 'or')}, what the rules leave"
            )
            source_text = "device profiles of " + join(device_name(d) for d in consultation.devices)
        else:
            rule = rules.get(rule_id)
            why = rule.when.explain(consultation) if getattr(rule, "when", None) else ""
            because = f" ({why})" if why else ""
            message = (
                f"{area_name(area)}: {_modalities(blocked)} refused{because}; no modality is "
                f"left. {rule.explained()} {rule.action}".strip()
            )
            source_text = rule.source
        findings.append(Finding(rule_id, "refusal", message, source_text))
    return findings


def _indication_finding(rule, consultation, rules, overrides) -> list[Finding]:
    chosen = set(rule.conditions) & set(consultation.conditions)
    if not chosen:
        return []
    parts = []
    if rule.full_field is not None:
        low, high = rule.full_field.ablation_depth_um
        parts.append(f"full-field ablation of {low:g}-{high:g} µm")
    if rule.fractional is not None:
        (low, high), (c_low, c_high) = rule.fractional.depth_um, rule.fractional.coverage_percent
        parts.append(f"fractional columns {low:g}-{high:g} µm deep at {c_low:g}-{c_high:g} %")
    if rule.hybrid is not None:
        (a_low, a_high), (low, high) = (
            rule.hybrid.ablation_depth_um,
            rule.hybrid.coagulation_depth_um,
        )
        c_low, c_high = rule.hybrid.coverage_percent
        parts.append(
            f"hybrid fractional: {a_low:g}-{a_high:g} µm of ablation over coagulation zones "
            f"{low:g}-{high:g} µm deep at {c_low:g}-{c_high:g} %"
        )
    if rule.non_ablative is not None:
        (low, high), (c_low, c_high) = (
            rule.non_ablative.coagulation_depth_um,
            rule.non_ablative.coverage_percent,
        )
        at = rule.non_ablative.wavelength_nm
        parts.append(
            f"non-ablative zones {low:g}-{high:g} µm deep at {c_low:g}-{c_high:g} %"
            + (f" ({at:g} nm)" if at else "")
        )
    names = join(condition_name(name) for name in sorted(chosen))
    message = (
        f"{names[:1].upper()}{names[1:]}: {' or '.join(parts)} "
        f"(preferred: {modality_name(rule.modalities[0])}). {rule.explained()}"
    )
    return [Finding(rule.id, "info", message, rule.source)]


def _area_cap_finding(rule, consultation, rules, overrides) -> list[Finding]:
    findings = []
    for area in consultation.areas:
        if area not in rule.areas:
            continue
        cap = cap_of(area, rules, {})
        # The fractional cap is a fraction of a modelled dermis: shown to the 10 µm the
        # dermal thickness is known to, rounded down so that the text never allows more.
        column = math.floor(cap.fractional_total_depth * UM_PER_M / 10) * 10
        name = area_name(area)
        message = (
            f"{name[:1].upper()}{name[1:]}: full-field ablation up to "
            f"{cap.full_field_ablation_depth * UM_PER_M:g} µm "
            f"({cap.full_field_total_depth * UM_PER_M:g} µm with coagulation); fractional "
            f"columns up to about {column:.0f} µm deep at up to "
            f"{cap.fractional_coverage * 100:g} % coverage. {rule.explained()}"
        )
        findings.append(Finding(rule.id, "info", message, rule.source))
    return findings


def _blocking_finding(rule, consultation, rules, overrides) -> list[Finding]:
    if not rule.when.matches(consultation):
        return []
    why = rule.when.explain(consultation)
    blocks = getattr(rule, "blocks", [])
    if not blocks:
        return [Finding(rule.id, "info", f"{_capital(why)}. {rule.explained()}", rule.source)]
    empty = []
    for area in consultation.areas:
        left = options(consultation, area, rules, overrides)
        if not left.modalities and any(rule.id in ids for ids in left.removed.values()):
            empty.append(area)
    if empty:
        text = f"{_modalities(blocks)} refused ({why}); nothing is left for {area_names(empty)}"
        message = f"{_capital(text)}. {rule.explained()} {rule.action}".strip()
        return [Finding(rule.id, "refusal", message, rule.source)]
    text = f"{_modalities(blocks)} not offered ({why})"
    message = f"{_capital(text)}. {rule.explained()} {rule.action}".strip()
    return [Finding(rule.id, "warning", message, rule.source)]


def _precaution_finding(rule, consultation, rules, overrides) -> list[Finding]:
    if not rule.when.matches(consultation):
        return []
    message = f"{_capital(rule.when.explain(consultation))}: {rule.action} {rule.explained()}"
    caveats = [
        caveat
        for overridden in overrides
        for target, caveat in rules.get(overridden).override_caveats.items()
        if target == rule.id
    ]
    if caveats:
        message += " " + " ".join(caveats)
    return [Finding(rule.id, rule.severity, message.strip(), rule.source)]


def _capital(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def _modalities(modalities) -> str:
    """``["full_field", "fractional"]`` -> ``"full-field and fractional resurfacing"``."""
    names = [modality_name(m).removesuffix(" resurfacing") for m in modalities]
    return f"{join(names)} resurfacing"


#: Kind -> function giving the findings of one rule.
FINDERS: dict[str, Callable[..., list[Finding]]] = {
    "indication": _indication_finding,
    "area_cap": _area_cap_finding,
    "skin_type": _blocking_finding,
    "contraindication": _blocking_finding,
    "precaution": _precaution_finding,
}


def _override_finding(rule, consultation: Consultation, reason: str) -> Finding:
    when = getattr(rule, "when", None)
    covered = set(getattr(rule, "areas", ())) & set(consultation.areas)
    applies = bool(covered) or (when is not None and when.matches(consultation))
    status = "applied to this consultation" if applies else "did not apply to this consultation"
    message = (
        f"{_capital(rule_name(rule.id, rule.title))} overridden by the clinic: "
        f"\u201c{reason}\u201d "
        f"(the rule {status}; it says: {rule.explained()})"
    )
    caveats = " ".join(rule.override_caveats.values()) if applies else ""
    if caveats:
        message += f" Carried into the plan: {caveats}"
    return Finding(rule.id, "override", message, rule.source)


def evaluate(
    consultation: Consultation,
    overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
) -> list[Finding]:
    """Evaluate every rule against a consultation.

    Parameters
    ----------
    consultation : Consultation
    overrides : mapping of str to str, optional
        Clinic overrides (rule id -> stated reason). An overridden rule is not applied
        and yields a finding of severity ``"override"`` with the reason.
    rules : RuleSet, optional
        The rules (bundled by default).

    Returns
    -------
    list of Finding
        Most severe first (refusal, override, warning, info), file order within a
        severity. A ``"refusal"`` means the plan must not go ahead
        (:func:`raise_for_refusal`).

    Raises
    ------
    InputError
        For an invalid override.
    """
    rules = rules or load_rules()
    overrides = check_overrides(overrides, rules)
    findings: list[Finding] = []
    for rule in rules.rules:
        if rule.id in overrides:
            findings.append(_override_finding(rule, consultation, overrides[rule.id]))
        else:
            findings += FINDERS[rule.kind](rule, consultation, rules, overrides)
    for area in consultation.areas:
        left = options(consultation, area, rules, overrides)
        if not left.modalities:
            reported = {finding.rule for finding in findings if finding.severity == "refusal"}
            findings += [
                finding
                for finding in blocking_refusals(consultation, area, left, rules)
                if finding.rule not in reported
            ]
    return sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))
