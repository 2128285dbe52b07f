"""Checks on what the device delivers and on what overridden rules leave behind.

The draft was checked against the area cap and the skin type's coverage limit; what the
device delivers can differ within dosimetry's tolerance, so it is checked again here, and
never silently. An overridden rule's caveats are carried into the plan sections it names.
"""

from __future__ import annotations

from collections.abc import Mapping

from dermalase import citations
from dermalase.clinical import rules as clinical_rules
from dermalase.clinical.consultation import Consultation
from dermalase.clinical.names import area_name
from dermalase.clinical.rules import Finding
from dermalase.clinical.rules.caps import treatment_of
from dermalase.clinical.rules.modalities import fired_rules
from dermalase.clinical.slots import PlanRequest
from dermalase.dosimetry import Dose
from dermalase.prescription import Prescription
from dermalase.tissue.parameters import yuksel2001

#: Rule id of the finding that a full-field plan's predicted depths assume the
#: desiccated layer is wiped off after each pass.
WIPE_RULE = "technique.wipe_between_passes"


def _wiped_after_each_pass(prescription: Prescription, result: Dose) -> list[Finding]:
    """An info finding where the predicted depths count a wipe after each pass.

    The full-field CO2 prediction removes the dried layer each pass leaves on
    the floor, as the standard technique wipes it off with saline-soaked gauze
    (:mod:`dermalase.tissue.parameters.yuksel2001`); the physician reading the
    plan must know the depths assume it.
    """
    settings = result.settings
    if prescription.modality != "full_field" or settings.fractional or not settings.wiped:
        return []
    return [
        Finding(
            WIPE_RULE,
            "info",
            f"{area_name(prescription.area)}: wipe the dried tissue off with saline-soaked "
            "gauze after each pass, the last included; the predicted ablation counts it as "
            "removed",
            "; ".join(citations.format_sources(yuksel2001.SOURCES)),
        )
    ]


def _delivered_beyond_cap(
    prescription: Prescription, result: Dose, request: PlanRequest
) -> list[Finding]:
    """A warning for each area cap the delivered treatment exceeds.

    Dosimetry delivers a prescription within its tolerance (max(5 µm, 10 %) in depth,
    two points of coverage), so a draft at its cap can be delivered a little beyond it;
    that is never left silent.
    """
    cap = clinical_rules.area_cap(prescription.area, overrides=request.overrides)
    broken = cap.violations(result.delivered(prescription.area))
    if not broken:
        return []
    return [
        Finding(
            cap.rule,
            "warning",
            f"delivered beyond the area cap, within the tolerance of dosimetry: "
            f"{'; '.join(broken)}",
            cap.source,
        )
    ]


def _delivered_beyond_skin_type(
    consultation: Consultation, prescription: Prescription, result: Dose, request: PlanRequest
) -> list[Finding]:
    """A warning for each skin-type coverage limit the delivered fractional coverage exceeds.

    A device lays its treatment zones on density steps, and dosimetry takes the step
    nearest the drafted coverage (within two points), so a draft at a skin type's limit
    can be delivered a little above it (type V's 10 % laid at 10.4 %); the draft was
    checked, and what the device delivers is checked here in the same way.
    """
    if prescription.modality != "fractional":
        return []
    delivered = result.coverage
    name = (
        "non_ablative_coverage_max_percent"
        if treatment_of(prescription) == "non_ablative"
        else "fractional_coverage_max_percent"
    )
    found = []
    for rule in fired_rules(consultation, clinical_rules.load_rules(), request.overrides):
        limit = getattr(rule, name, None)
        if rule.kind != "skin_type" or limit is None or delivered * 100 <= limit + 1e-9:
            continue
        found.append(
            Finding(
                rule.id,
                "warning",
                f"{area_name(prescription.area)}: delivered coverage {delivered * 100:.1f} % "
                f"exceeds the {limit:g} % this skin type takes, within the tolerance of "
                "dosimetry (the device's nearest density step)",
                rule.source,
            )
        )
    return found


def _override_caveats(
    consultation: Consultation, overrides: Mapping[str, str], ruleset
) -> dict[str, tuple[str, ...]]:
    """Section -> the caveats of the overridden rules that applied to this consultation.

    A rule the clinic overrides still says what it would have protected; where it names a
    plan section in ``override_caveats`` (the pregnancy deferral names the anaesthesia),
    that section carries the caveat. Caveats addressed to another rule's finding are
    added by the rules' evaluation.
    """
    caveats: dict[str, list[str]] = {}
    for rule_id in overrides:
        rule = ruleset.get(rule_id)
        when = getattr(rule, "when", None)
        if when is None or not when.matches(consultation):
            continue
        for section, caveat in rule.override_caveats.items():
            caveats.setdefault(section, []).append(caveat)
    return {section: tuple(texts) for section, texts in caveats.items()}
