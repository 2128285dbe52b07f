"""Clinical rules as data: indications, area caps, skin type, contraindications, precautions.

The rules live in ``data/rules.toml`` (or a clinic's own file passed to
:func:`load_rules`). The package is split along its seams:

- :mod:`~dermalase.clinical.rules.schema`: the rules file's schema (pydantic) and
  loader, and the check of a clinic's overrides;
- :mod:`~dermalase.clinical.rules.findings`: what evaluating or drafting found
  (:class:`Finding`: rule, severity, message, source);
- :mod:`~dermalase.clinical.rules.caps`: the caps of each treatment area, in SI;
- :mod:`~dermalase.clinical.rules.modalities`: the modalities the rules, the area and
  the listed devices leave, and the one place a device is chosen;
- :mod:`~dermalase.clinical.rules.drafting`: the device-neutral prescription per area,
  limited by bisection to what the recovery model heals within the downtime;
- :mod:`~dermalase.clinical.rules.evaluation`: every rule against a consultation, as
  findings.

A contraindication that blocks only one modality (``blocks = ["full_field"]``) lets the
draft fall back to the other; it becomes a refusal only when an area has no modality
left. A clinic can override any rule except an indication, with a stated reason; the
override is itself a finding, so it is kept in the plan.

The rules read the fields of a :class:`~dermalase.clinical.consultation.Consultation`
(canonical area and condition names, skin type, history, devices, downtime) directly;
names are normalised once, when the consultation is read.
"""

from dermalase.clinical.rules.caps import AreaCap, area_cap
from dermalase.clinical.rules.drafting import (
    DRAFTERS,
    Draft,
    RecoveryModel,
    draft_prescriptions,
    indication_for,
)
from dermalase.clinical.rules.evaluation import FINDERS, evaluate
from dermalase.clinical.rules.findings import (
    DEVICE_RULE,
    DOWNTIME_RULE,
    PHYSICIAN_RULE,
    SEVERITIES,
    Finding,
    raise_for_refusal,
)
from dermalase.clinical.rules.modalities import (
    available_modalities,
    choose_device,
    device_treatments,
)
from dermalase.clinical.rules.schema import (
    KINDS,
    OPERATORS,
    TREATMENTS,
    AreaCapRule,
    ContraindicationRule,
    IndicationRule,
    Planning,
    PrecautionRule,
    RuleSet,
    SkinTypeRule,
    When,
    check_overrides,
    load_rules,
)

__all__ = [
    "DEVICE_RULE",
    "DOWNTIME_RULE",
    "DRAFTERS",
    "FINDERS",
    "KINDS",
    "OPERATORS",
    "PHYSICIAN_RULE",
    "SEVERITIES",
    "TREATMENTS",
    "AreaCap",
    "AreaCapRule",
    "ContraindicationRule",
    "Draft",
    "Finding",
    "IndicationRule",
    "Planning",
    "PrecautionRule",
    "RecoveryModel",
    "RuleSet",
    "SkinTypeRule",
    "When",
    "area_cap",
    "available_modalities",
    "check_overrides",
    "choose_device",
    "device_treatments",
    "draft_prescriptions",
    "evaluate",
    "indication_for",
    "load_rules",
    "raise_for_refusal",
]
