"""Clinical rules as data: indications, area caps, skin type, contraindications, precautions.

The rules live in ``data/rules.toml`` (or a clinic's own file passed to
:func:`load_rules`); this module validates them, evaluates them against a
:class:`~dermalase.clinical.consultation.Consultation` and drafts a device-neutral
:class:`~dermalase.prescription.Prescription` per treatment area.

Every rule has an ``id``, a ``kind``, a plain-language ``reason`` and its sources.
:func:`evaluate` returns :class:`Finding` objects (rule, severity, message, source).
A contraindication that blocks only one modality (``blocks = ["full_field"]``) lets the
draft fall back to the other; it becomes a refusal only when an area has no modality
left. A clinic can override any rule except an indication, with a stated reason; the
override is itself a finding, so it is kept in the plan.

How a draft is chosen (:func:`indication_for`):

1. The indications of the patient's conditions give the modality preference (the
   highest-priority condition leads; a skin-type rule may prefer another modality) and,
   for the chosen modality, the envelope of their depth and coverage ranges.
2. Correction places the target in the range (mild: low end, moderate: middle, marked:
   high end); the area cap and the skin-type coverage limit cap it.
3. The downtime tolerance limits the depth (and the fractional coverage) to what the
   recovery model (:mod:`dermalase.clinical.recovery`) heals within that many days.
   The modality never depends on downtime, so more downtime never gives a shallower draft.

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

import difflib
import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dermalase.clinical.consultation import (
    CONDITIONS,
    TREATMENT_AREAS,
    Consultation,
    field_paths,
    skin_area,
    treatment_area,
)
from dermalase.clinical.recovery import healing_days, recovery_data
from dermalase.clinical.sources import describe, source
from dermalase.devices import load_device
from dermalase.exceptions import InputError, RefusalError
from dermalase.prescription import MODALITIES, Prescription
from dermalase.tissue.areas import AREAS
from dermalase.units import NM_PER_M, UM_PER_M

#: Severities of a finding, most severe first.
SEVERITIES = ("refusal", "override", "warning", "info")

#: Kinds of rule.
KINDS = ("indication", "area_cap", "skin_type", "contraindication", "precaution")

#: Rule id of findings about the listed devices (not a clinical rule; not overridable).
DEVICE_RULE = "devices.modality"

#: Rule id of findings where the recovery model limited a draft to the downtime.
DOWNTIME_RULE = "recovery.downtime"

# Drafts are rounded down to these steps, so that they stay within every limit.
_DEPTH_STEP = 1e-7  # 0.1 µm
_COVERAGE_STEP = 1e-3  # 0.1 %
_BISECTIONS = 60

Modality = Literal["full_field", "fractional"]
Range = Annotated[list[float], Field(min_length=2, max_length=2)]


# ----------------------------------------------------------------------------------------
# Conditions on consultation fields
# ----------------------------------------------------------------------------------------


def _equals(value: object, reference: object) -> bool:
    return value == reference


def _less_than(value: object, reference: object) -> bool:
    return isinstance(value, int | float) and value < reference


def _at_least(value: object, reference: object) -> bool:
    return isinstance(value, int | float) and value >= reference


def _one_of(value: object, reference: object) -> bool:
    return value in reference


def _includes_any(value: object, reference: object) -> bool:
    return bool(set(value) & set(reference))


#: Operators of a ``when`` condition: name -> (test, words used in a message).
OPERATORS: dict[str, tuple[Callable[[object, object], bool], str]] = {
    "equals": (_equals, "is"),
    "less_than": (_less_than, "is less than"),
    "at_least": (_at_least, "is at least"),
    "one_of": (_one_of, "is one of"),
    "includes_any": (_includes_any, "includes one of"),
}

# Values a rule may compare a name field with.
_NAMED_VALUES = {"areas": TREATMENT_AREAS, "conditions": CONDITIONS}


def _text(value: object) -> str:
    """A consultation or rule value as message text: numbers with :g, lists joined."""
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Data):
    """A condition on consultation fields: one comparison, or ``any``/``all`` of several."""

    field: str | None = None
    equals: bool | float | str | None = None
    less_than: float | None = None
    at_least: float | None = None
    one_of: list[float | str] | None = None
    includes_any: list[str] | None = None
    any: list[When] | None = None
    all: list[When] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> When:
        operators = [name for name in OPERATORS if getattr(self, name) is not None]
        groups = [name for name in ("any", "all") if getattr(self, name) is not None]
        if groups and (operators or self.field is not None or len(groups) > 1):
            raise ValueError("a group (any/all) stands alone, without field or operator")
        if not groups and (self.field is None or len(operators) != 1):
            raise ValueError(f"give 'field' and exactly one of {', '.join(OPERATORS)}")
        if self.field is not None and self.field not in field_paths():
            close = difflib.get_close_matches(self.field, field_paths(), n=1)
            raise ValueError(f"unknown field {self.field!r}; did you mean {close}?")
        known = _NAMED_VALUES.get(self.field or "", None)
        unknown = [name for name in self.includes_any or () if known and name not in known]
        if unknown:
            raise ValueError(f"unknown {self.field}: {', '.join(unknown)}")
        return self

    def matches(self, consultation: Consultation) -> bool:
        """Whether the consultation meets the condition."""
        if self.any is not None:
            return any(part.matches(consultation) for part in self.any)
        if self.all is not None:
            return all(part.matches(consultation) for part in self.all)
        name, reference = self._operator()
        return OPERATORS[name][0](consultation.value(self.field), reference)

    def explain(self, consultation: Consultation) -> str:
        """The parts of the condition that the consultation meets, as text."""
        if self.any is not None or self.all is not None:
            parts = self.any if self.any is not None else self.all
            return "; ".join(p.explain(consultation) for p in parts if p.matches(consultation))
        name, reference = self._operator()
        value = consultation.value(self.field)
        if isinstance(reference, bool):
            return f"{self.field} is {str(value).lower()}"
        return f"{self.field} = {_text(value)}, which {OPERATORS[name][1]} {_text(reference)}"

    def _operator(self) -> tuple[str, object]:
        name = next(name for name in OPERATORS if getattr(self, name) is not None)
        return name, getattr(self, name)


# ----------------------------------------------------------------------------------------
# Rule models
# ----------------------------------------------------------------------------------------


class _Rule(_Data):
    id: str = Field(pattern=r"^[a-z_]+\.[A-Za-z0-9_]+$")
    reason: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    action: str = ""

    @model_validator(mode="after")
    def _known_sources(self) -> _Rule:
        for key in self.sources:
            source(key)
        if not self.id.startswith(f"{self.kind}."):
            raise ValueError(f"id must start with its kind, '{self.kind}.'")
        return self

    @property
    def source(self) -> str:
        """Full references of the rule's sources."""
        return describe(self.sources)


class FullFieldRange(_Data):
    """Full-field depth ranges of an indication [µm in the file]."""

    ablation_depth_um: Range
    coagulation_depth_um: Range = [0.0, 0.0]


class FractionalRange(_Data):
    """Fractional column depth [µm] and coverage [%] ranges of an indication."""

    depth_um: Range
    coverage_percent: Range


class IndicationRule(_Rule):
    """Conditions -> modality preference and depth ranges."""

    kind: Literal["indication"]
    conditions: list[str] = Field(min_length=1)
    priority: int
    modalities: list[Modality] = Field(min_length=1)
    full_field: FullFieldRange | None = None
    fractional: FractionalRange | None = None

    @model_validator(mode="after")
    def _ranges_given(self) -> IndicationRule:
        unknown = [name for name in self.conditions if name not in CONDITIONS]
        if unknown:
            raise ValueError(f"unknown conditions: {', '.join(unknown)}")
        for modality in self.modalities:
            if getattr(self, modality) is None:
                raise ValueError(f"modality {modality} is offered without its ranges")
        for low, high in self._pairs():
            if not 0 <= low <= high:
                raise ValueError(f"range [{low}, {high}] must satisfy 0 <= low <= high")
        return self

    def _pairs(self) -> list[list[float]]:
        full, frac = self.full_field, self.fractional
        pairs = [full.ablation_depth_um, full.coagulation_depth_um] if full else []
        return pairs + ([frac.depth_um, frac.coverage_percent] if frac else [])


class AreaCapRule(_Rule):
    """Caps on depth and coverage for some treatment areas."""

    kind: Literal["area_cap"]
    areas: list[str] = Field(min_length=1)
    modalities: list[Modality] = Field(min_length=1)
    full_field_ablation_max_um: float = Field(gt=0)
    full_field_total_max_um: float = Field(gt=0)
    fractional_depth_dermis_fraction: float = Field(gt=0, le=1)
    fractional_dermis_area: str | None = None
    fractional_coverage_max_percent: float = Field(gt=0, le=100)

    @model_validator(mode="after")
    def _known_areas(self) -> AreaCapRule:
        unknown = [name for name in self.areas if name not in TREATMENT_AREAS]
        if unknown:
            raise ValueError(f"unknown areas: {', '.join(unknown)}")
        if self.fractional_dermis_area not in (None, *AREAS):
            raise ValueError(f"unknown skin-model area {self.fractional_dermis_area!r}")
        if self.full_field_total_max_um < self.full_field_ablation_max_um:
            raise ValueError("the total-depth cap must not be below the ablation cap")
        return self


class SkinTypeRule(_Rule):
    """Skin type -> modality preference, blocked modalities, coverage limit."""

    kind: Literal["skin_type"]
    when: When
    prefer: Modality | None = None
    blocks: list[Modality] = []
    fractional_coverage_max_percent: float | None = Field(default=None, gt=0, le=100)


class ContraindicationRule(_Rule):
    """A hard refusal of some (by default all) modalities."""

    kind: Literal["contraindication"]
    when: When
    blocks: list[Modality] = list(MODALITIES)


class PrecautionRule(_Rule):
    """A warning or piece of advice."""

    kind: Literal["precaution"]
    when: When
    severity: Literal["warning", "info"] = "warning"


Rule = Annotated[
    IndicationRule | AreaCapRule | SkinTypeRule | ContraindicationRule | PrecautionRule,
    Field(discriminator="kind"),
]


class Planning(_Data):
    """Planning settings of the rules file."""

    correction_position: dict[Literal["mild", "moderate", "marked"], float]
    minimum_ablation_depth_um: float = Field(gt=0)
    minimum_column_depth_um: float = Field(gt=0)
    default_wavelength_nm: dict[Modality, float]
    sources: list[str]


class _RulesFile(_Data):
    planning: Planning
    rule: list[Rule] = Field(min_length=1)


@dataclass(frozen=True)
class RuleSet:
    """A validated set of rules and the planning settings that go with them.

    Parameters
    ----------
    rules : tuple of rule models
        The rules, in file order.
    planning : Planning
        Correction positions, minimum depths [µm] and default wavelengths [nm].
    origin : str
        Where the rules were read from.
    """

    rules: tuple
    planning: Planning
    origin: str = "bundled"

    def ids(self) -> tuple[str, ...]:
        """Every rule id, in file order."""
        return tuple(rule.id for rule in self.rules)

    def get(self, rule_id: str):
        """Return a rule by id.

        Raises
        ------
        InputError
            For an unknown id, naming the closest one.
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise InputError("rule", rule_id, _closest_id(rule_id, self.ids()))

    def of_kind(self, kind: str) -> tuple:
        """The rules of one kind, in file order."""
        return tuple(rule for rule in self.rules if rule.kind == kind)


def _closest_id(rule_id: str, ids: Iterable[str]) -> str:
    close = difflib.get_close_matches(rule_id, list(ids), n=1, cutoff=0.4)
    return f"did you mean {close[0]!r}?" if close else "not a rule id; see load_rules().ids()"


def _check_rule_set(rules: list, origin: str) -> None:
    """Refuse duplicate ids, an area without exactly one cap and a condition without indication."""
    ids = [rule.id for rule in rules]
    repeated = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if repeated:
        raise InputError("rules", ", ".join(repeated), f"each id must be unique ({origin})")
    covered = [area for rule in rules if rule.kind == "area_cap" for area in rule.areas]
    for area in TREATMENT_AREAS:
        if covered.count(area) != 1:
            raise InputError("rules", area, f"needs exactly one area_cap rule ({origin})")
    indicated = {name for rule in rules if rule.kind == "indication" for name in rule.conditions}
    for condition in CONDITIONS:
        if condition not in indicated:
            raise InputError("rules", condition, f"needs an indication rule ({origin})")


def _parse_rules(text: str, origin: str) -> RuleSet:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError("rules file", origin, f"is not valid TOML: {error}") from None
    try:
        parsed = _RulesFile.model_validate(document)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        location = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(f"rules.{location}", first.get("input"), f"{message} ({origin})") from None
    for key in parsed.planning.sources:
        source(key)
    _check_rule_set(parsed.rule, origin)
    return RuleSet(tuple(parsed.rule), parsed.planning, origin)


@cache
def _bundled_rules() -> RuleSet:
    text = resources.files("dermalase.clinical").joinpath("data/rules.toml").read_text()
    return _parse_rules(text, "rules.toml")


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load and validate the clinical rules.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A clinic's own rules file in the format of ``data/rules.toml``; the bundled
        rules when omitted.

    Returns
    -------
    RuleSet

    Raises
    ------
    InputError
        For a malformed file, an unknown source key, a condition without indication or
        an area without exactly one cap.
    """
    if path is None:
        return _bundled_rules()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError("rules file", str(path), f"cannot be read ({error.strerror})") from None
    return _parse_rules(text, path.name)


# ----------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One result of evaluating the rules.

    Parameters
    ----------
    rule : str
        Id of the rule (or ``devices.modality``, ``recovery.downtime``).
    severity : str
        ``"refusal"``, ``"override"``, ``"warning"`` or ``"info"``.
    message : str
        Plain-language message with the values that triggered it.
    source : str
        Full references of the rule's sources.
    """

    rule: str
    severity: str
    message: str
    source: str

    def to_dict(self) -> dict:
        """JSON-ready view with the keys of the plan's ``findings``."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "source": self.source,
        }


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
    reason: str = ""
    source: str = ""

    def max_ablation_depth(self, modality: str) -> float:
        """Deepest ablation (crater or column) allowed for a modality [m]."""
        caps = {
            "full_field": self.full_field_ablation_depth,
            "fractional": self.fractional_total_depth,
        }
        return caps[modality]

    def max_total_depth(self, modality: str) -> float:
        """Deepest ablation plus coagulation allowed for a modality [m]."""
        caps = {
            "full_field": self.full_field_total_depth,
            "fractional": self.fractional_total_depth,
        }
        return caps[modality]

    def max_coverage(self, modality: str) -> float:
        """Highest coverage allowed for a modality [-]."""
        return {"full_field": 1.0, "fractional": self.fractional_coverage}[modality]

    def violations(self, prescription: Prescription) -> list[str]:
        """What a prescription exceeds on this area, as messages (empty when within).

        Parameters
        ----------
        prescription : Prescription
            A draft or a delivered prescription (depths from the tissue effect).
        """
        modality = prescription.modality
        tolerance = 1e-12
        checks = (
            ("modality", modality not in self.modalities, modality, ", ".join(self.modalities)),
            (
                "ablation depth",
                prescription.ablation_depth > self.max_ablation_depth(modality) + tolerance,
                f"{prescription.ablation_depth * UM_PER_M:.1f} um",
                f"<= {self.max_ablation_depth(modality) * UM_PER_M:.1f} um",
            ),
            (
                "total depth",
                prescription.total_depth > self.max_total_depth(modality) + tolerance,
                f"{prescription.total_depth * UM_PER_M:.1f} um",
                f"<= {self.max_total_depth(modality) * UM_PER_M:.1f} um",
            ),
            (
                "coverage",
                prescription.coverage > self.max_coverage(modality) + tolerance,
                f"{prescription.coverage * 100:.1f} %",
                f"<= {self.max_coverage(modality) * 100:.1f} %",
            ),
        )
        return [
            f"{self.area}: {name} {value} exceeds {allowed} ({self.rule})"
            for name, exceeded, value, allowed in checks
            if exceeded
        ]


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
    """

    prescription: Prescription
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()
    predicted_healing_days: float = 0.0

    def to_dict(self) -> dict:
        """JSON-ready view (clinical units)."""
        return {
            "prescription": self.prescription.to_dict(),
            "rules": list(self.rules),
            "predicted_healing_days": round(self.predicted_healing_days, 1),
            "findings": [finding.to_dict() for finding in self.findings],
        }


# ----------------------------------------------------------------------------------------
# Overrides
# ----------------------------------------------------------------------------------------


def check_overrides(
    overrides: Mapping[str, str] | None, rules: RuleSet | None = None
) -> dict[str, str]:
    """Validate clinic overrides.

    Parameters
    ----------
    overrides : mapping of str to str, optional
        Rule id -> the clinic's stated reason.
    rules : RuleSet, optional
        The rules (bundled by default).

    Returns
    -------
    dict of str to str
        The overrides, reasons stripped.

    Raises
    ------
    InputError
        For an unknown rule id (naming the closest id), an indication rule, or an empty
        reason.
    """
    rules = rules or load_rules()
    checked: dict[str, str] = {}
    for rule_id, reason in (overrides or {}).items():
        if rule_id not in rules.ids():
            raise InputError("override", rule_id, _closest_id(rule_id, rules.ids()))
        if rules.get(rule_id).kind == "indication":
            raise InputError(
                "override",
                rule_id,
                "indication rules choose the treatment and cannot be overridden; "
                "override a cap, skin-type rule or contraindication instead",
            )
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(
                "reason", repr(reason), f"overriding {rule_id} needs a stated, non-empty reason"
            )
        checked[rule_id] = reason.strip()
    return checked


# ----------------------------------------------------------------------------------------
# Caps, fired rules, modality options
# ----------------------------------------------------------------------------------------


def _cap_rule(area: str, rules: RuleSet) -> AreaCapRule:
    return next(rule for rule in rules.of_kind("area_cap") if area in rule.areas)


def area_cap(
    area: str, rules: RuleSet | None = None, overrides: Mapping[str, str] | None = None
) -> AreaCap:
    """Return the caps of a treatment area.

    Parameters
    ----------
    area : str
        Treatment area name or alias.
    rules : RuleSet, optional
        The rules (bundled by default).
    overrides : mapping of str to str, optional
        Clinic overrides; an overridden cap leaves only the indication ranges as limits
        (an unbounded :class:`AreaCap` with ``rule == ""``).

    Returns
    -------
    AreaCap
        Depths [m], coverage [-], allowed modalities.

    Examples
    --------
    >>> cap = area_cap("periorbital")
    >>> round(cap.fractional_total_depth * 1e6), round(cap.full_field_ablation_depth * 1e6)
    (312, 90)
    """
    rules = rules or load_rules()
    area = treatment_area(area)
    rule = _cap_rule(area, rules)
    if rule.id in check_overrides(overrides, rules):
        return AreaCap(area, "", MODALITIES, math.inf, math.inf, math.inf, 1.0)
    dermis = AREAS[rule.fractional_dermis_area or skin_area(area)].dermis
    return AreaCap(
        area=area,
        rule=rule.id,
        modalities=tuple(rule.modalities),
        full_field_ablation_depth=rule.full_field_ablation_max_um / UM_PER_M,
        full_field_total_depth=rule.full_field_total_max_um / UM_PER_M,
        fractional_total_depth=rule.fractional_depth_dermis_fraction * dermis,
        fractional_coverage=rule.fractional_coverage_max_percent / 100,
        reason=rule.reason,
        source=rule.source,
    )


def _fired(consultation: Consultation, rules: RuleSet, overrides: Mapping[str, str]) -> list:
    """Rules with a condition that the consultation meets, less the overridden ones."""
    return [
        rule
        for rule in rules.rules
        if getattr(rule, "when", None) is not None
        and rule.id not in overrides
        and rule.when.matches(consultation)
    ]


def _indications(consultation: Consultation, rules: RuleSet) -> list[IndicationRule]:
    """Indications of the consultation's conditions, highest priority first."""
    found = [
        rule
        for rule in rules.of_kind("indication")
        if set(rule.conditions) & set(consultation.conditions)
    ]
    return sorted(found, key=lambda rule: -rule.priority)


def _device_wavelengths(consultation: Consultation) -> dict[str, float] | None:
    """Modality -> wavelength [m] of the first listed device delivering it; None: any."""
    if not consultation.devices:
        return None
    found: dict[str, float] = {}
    for name in consultation.devices:
        device = load_device(name)
        for modality in device.modality:
            found.setdefault(modality, device.wavelength)
    return found


@dataclass(frozen=True)
class _Options:
    """Modalities left for an area, and what removed the others."""

    modalities: tuple[str, ...]
    removed: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _options(
    consultation: Consultation, area: str, rules: RuleSet, overrides: Mapping[str, str]
) -> _Options:
    indications = _indications(consultation, rules)
    order = list(dict.fromkeys(m for rule in indications for m in rule.modalities))
    fired = _fired(consultation, rules, overrides)
    for rule in fired:
        preferred = getattr(rule, "prefer", None)
        if preferred in order:
            order.remove(preferred)
            order.insert(0, preferred)
    cap = area_cap(area, rules, overrides)
    devices = _device_wavelengths(consultation)
    removed: dict[str, list[str]] = {}
    for modality in order:
        blockers = [rule.id for rule in fired if modality in getattr(rule, "blocks", ())]
        if modality not in cap.modalities:
            blockers.append(cap.rule)
        if devices is not None and modality not in devices:
            blockers.append(DEVICE_RULE)
        if blockers:
            removed[modality] = tuple(blockers)
    left = tuple(modality for modality in order if modality not in removed)
    return _Options(left, {modality: tuple(ids) for modality, ids in removed.items()})


def available_modalities(
    consultation: Consultation,
    area: str,
    overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
) -> tuple[str, ...]:
    """Modalities that may be offered on an area, in order of preference.

    Parameters
    ----------
    consultation : Consultation
    area : str
        Treatment area name or alias.
    overrides : mapping of str to str, optional
        Clinic overrides (rule id -> reason).
    rules : RuleSet, optional
        The rules (bundled by default).

    Returns
    -------
    tuple of str
        Empty when contraindications, the area and the listed devices leave nothing.
    """
    rules = rules or load_rules()
    overrides = check_overrides(overrides, rules)
    return _options(consultation, treatment_area(area), rules, overrides).modalities


# ----------------------------------------------------------------------------------------
# Drafts
# ----------------------------------------------------------------------------------------


def _floor(value: float, step: float) -> float:
    """Round down to a step, tolerating binary representation error."""
    return math.floor(round(value / step, 6)) * step


def _largest_within(function: Callable[[float], float], low: float, high: float, limit: float):
    """Largest x in [low, high] with function(x) <= limit, for a non-decreasing function.

    Returns None when even ``function(low)`` exceeds the limit.
    """
    if function(high) <= limit:
        return high
    if function(low) > limit:
        return None
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if function(middle) <= limit else (low, middle)
    return low


def _envelope(indications: list[IndicationRule], modality: str, name: str) -> tuple[float, float]:
    """Range of one quantity over the indications offering a modality: (max low, max high)."""
    pairs = [
        getattr(getattr(rule, modality), name)
        for rule in indications
        if getattr(rule, modality) is not None
    ]
    return max(low for low, _ in pairs), max(high for _, high in pairs)


def _position(low: float, high: float, fraction: float) -> float:
    return low + fraction * (high - low)


@dataclass
class _Shaping:
    """Findings and rule ids collected while a draft is shaped."""

    findings: list[Finding] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def capped(self, rule: str, source_text: str, what: str, target: float, limit: float):
        """Record a cap that binds: ``what`` names the area, quantity and unit."""
        if target > limit:
            message = f"{what} capped at {limit:.1f} by {rule} (target {target:.1f})"
            self.findings.append(Finding(rule, "info", message, source_text))


def _full_field_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping
) -> tuple[float, float, float, float]:
    """Ablation [m], coagulation [m], coverage [-] and healing [days] of a full-field draft.

    ``coverage_caps`` (skin-type limits on fractional coverage) do not apply to full field.
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
        f"{area}: full-field ablation [um]",
        ablation * UM_PER_M,
        cap_ablation * UM_PER_M,
    )
    minimum = planning.minimum_ablation_depth_um / UM_PER_M

    def split(total: float) -> tuple[float, float]:
        kept = min(cap_ablation, total)
        return kept, min(cap_coagulation, max(0.0, total - kept))

    def heal(total: float) -> float:
        return healing_days(*split(total), 1.0, area, "full_field")

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


def _fractional_draft(
    consultation, area, indications, cap, coverage_caps, planning, shaping
) -> tuple[float, float, float, float]:
    """Column depth [m], coagulation (0) [m], coverage [-] and healing [days], fractional.

    ``coverage_caps`` are (rule id, source, coverage limit [-]) of skin-type rules.
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
        f"{area}: fractional column depth [um]",
        depth * UM_PER_M,
        capped_depth * UM_PER_M,
    )
    capped_coverage = min(coverage, cap.fractional_coverage)
    shaping.capped(
        cap.rule,
        cap.source,
        f"{area}: fractional coverage [%]",
        coverage * 100,
        capped_coverage * 100,
    )
    for rule_id, source_text, limit in coverage_caps:
        shaping.capped(
            rule_id,
            source_text,
            f"{area}: fractional coverage [%]",
            capped_coverage * 100,
            limit * 100,
        )
        capped_coverage = min(capped_coverage, limit)
    lowest_coverage = min(coverage_low / 100, capped_coverage)
    minimum = min(planning.minimum_column_depth_um / UM_PER_M, capped_depth)
    downtime = consultation.downtime_days

    def heal(column: float, share: float) -> float:
        return healing_days(column, 0.0, share, area, "fractional")

    chosen_coverage = _largest_within(
        lambda share: heal(capped_depth, share), lowest_coverage, capped_coverage, downtime
    )
    if chosen_coverage is not None:
        column = capped_depth
    else:
        chosen_coverage = lowest_coverage
        column = _largest_within(
            lambda value: heal(value, lowest_coverage), minimum, capped_depth, downtime
        )
    too_short = column is None
    column = minimum if too_short else column
    column = max(_floor(column, _DEPTH_STEP), minimum)
    share = max(_floor(chosen_coverage, _COVERAGE_STEP), _COVERAGE_STEP)
    limited = column < capped_depth - _DEPTH_STEP or share < capped_coverage - _COVERAGE_STEP
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


#: Modality -> function drafting it.
DRAFTERS: dict[str, Callable[..., tuple[float, float, float, float]]] = {
    "full_field": _full_field_draft,
    "fractional": _fractional_draft,
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
) -> None:
    """Record how the downtime tolerance limited a draft.

    ``depth`` is the drafted ablation or column depth [m], ``range_low`` the low end of the
    indicated range [µm], ``healing`` the predicted healing time [days].
    """
    sources = describe(recovery_data().source_keys())
    days = f"{consultation.downtime_days:g} day" + "s" * (consultation.downtime_days != 1)
    depth_um = depth * UM_PER_M
    if too_short:
        message = (
            f"{area}: no ablative treatment heals within {days}; the shallowest offered "
            f"({depth_um:.1f} um) heals in about {healing:.1f} days"
        )
        shaping.findings.append(Finding(DOWNTIME_RULE, "warning", message, sources))
    elif limited:
        below = depth_um < range_low - _DEPTH_STEP * UM_PER_M
        note = (
            f" (the indication starts at {range_low:g} um): expect less correction than asked"
            if below
            else ""
        )
        message = (
            f"{area}: the downtime tolerance of {days} limits the depth to {depth_um:.1f} um, "
            f"healing in about {healing:.1f} days{note}"
        )
        shaping.findings.append(Finding(DOWNTIME_RULE, "info", message, sources))


def indication_for(
    consultation: Consultation,
    area: str,
    overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
) -> Draft:
    """Draft the prescription for one area.

    Parameters
    ----------
    consultation : Consultation
        The patient, conditions, downtime tolerance, correction, history, devices.
    area : str
        Treatment area name or alias.
    overrides : mapping of str to str, optional
        Clinic overrides (rule id -> stated reason); an overridden rule is not applied.
    rules : RuleSet, optional
        The rules (bundled by default).

    Returns
    -------
    Draft
        The prescription (SI), the findings that shaped it and the rule ids used.

    Raises
    ------
    RefusalError
        When contraindications, skin type, the area or the listed devices leave no
        modality for the area; names the blocking rule and its reason.
    InputError
        For an unknown area or an invalid override.
    """
    rules = rules or load_rules()
    overrides = check_overrides(overrides, rules)
    area = treatment_area(area)
    options = _options(consultation, area, rules, overrides)
    if not options.modalities:
        raise _refusal(consultation, area, options, rules)
    modality = options.modalities[0]
    indications = [
        rule for rule in _indications(consultation, rules) if getattr(rule, modality) is not None
    ]
    fired = _fired(consultation, rules, overrides)
    skin_rules = [rule for rule in fired if rule.kind == "skin_type"]
    cap = area_cap(area, rules, overrides)
    shaping = _Shaping(rules=[rule.id for rule in indications] + [cap.rule] * bool(cap.rule))
    shaping.rules += [rule.id for rule in skin_rules]
    shaping.rules += [rule_id for ids in options.removed.values() for rule_id in ids]
    planning = rules.planning
    coverage_caps = [
        (rule.id, rule.source, rule.fractional_coverage_max_percent / 100)
        for rule in skin_rules
        if rule.fractional_coverage_max_percent is not None
    ]
    ablation, coagulation, coverage, healing = DRAFTERS[modality](
        consultation, area, indications, cap, coverage_caps, planning, shaping
    )
    devices = _device_wavelengths(consultation) or {}
    wavelength = devices.get(modality, planning.default_wavelength_nm[modality] / NM_PER_M)
    prescription = Prescription(
        area=area,
        modality=modality,
        wavelength=wavelength,
        ablation_depth=ablation,
        coagulation_depth=coagulation,
        coverage=coverage,
    )
    return Draft(
        prescription, tuple(shaping.findings), tuple(dict.fromkeys(shaping.rules)), healing
    )


def draft_prescriptions(
    consultation: Consultation,
    overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
) -> tuple[Draft, ...]:
    """Draft every area of a consultation (see :func:`indication_for`)."""
    return tuple(
        indication_for(consultation, area, overrides, rules) for area in consultation.areas
    )


# ----------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------


def _refusal(consultation, area, options: _Options, rules: RuleSet) -> RefusalError:
    finding = _blocking_refusals(consultation, area, options, rules)[0]
    return RefusalError(finding.rule, finding.message, finding.source)


def _blocking_refusals(consultation, area, options: _Options, rules: RuleSet) -> list[Finding]:
    """Refusal findings for an area that has no modality left."""
    findings = []
    for rule_id in dict.fromkeys(i for ids in options.removed.values() for i in ids):
        blocked = [m for m, ids in options.removed.items() if rule_id in ids]
        if rule_id == DEVICE_RULE:
            message = (
                f"{area}: none of the listed devices ({', '.join(consultation.devices)}) "
                f"delivers {' or '.join(blocked)}, the modality the rules leave"
            )
            source_text = "device profiles: " + ", ".join(f"{d}.toml" for d in consultation.devices)
        else:
            rule = rules.get(rule_id)
            why = rule.when.explain(consultation) if getattr(rule, "when", None) else area
            message = (
                f"{area}: {' and '.join(blocked)} refused ({why}); no modality is left. "
                f"{rule.reason} {rule.action}".strip()
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
        parts.append(f"full field {low:g}-{high:g} um")
    if rule.fractional is not None:
        (low, high), (c_low, c_high) = rule.fractional.depth_um, rule.fractional.coverage_percent
        parts.append(f"fractional {low:g}-{high:g} um at {c_low:g}-{c_high:g} %")
    names = ", ".join(sorted(chosen))
    message = f"{names}: {' or '.join(parts)} (preferred: {rule.modalities[0]}). {rule.reason}"
    return [Finding(rule.id, "info", message, rule.source)]


def _area_cap_finding(rule, consultation, rules, overrides) -> list[Finding]:
    findings = []
    for area in consultation.areas:
        if area not in rule.areas:
            continue
        cap = area_cap(area, rules)
        message = (
            f"{area}: full field <= {cap.full_field_ablation_depth * UM_PER_M:g} um "
            f"(with coagulation <= {cap.full_field_total_depth * UM_PER_M:g} um); fractional "
            f"<= {cap.fractional_total_depth * UM_PER_M:.0f} um at <= "
            f"{cap.fractional_coverage * 100:g} %. {rule.reason}"
        )
        findings.append(Finding(rule.id, "info", message, rule.source))
    return findings


def _blocking_finding(rule, consultation, rules, overrides) -> list[Finding]:
    if not rule.when.matches(consultation):
        return []
    why = rule.when.explain(consultation)
    blocks = getattr(rule, "blocks", [])
    if not blocks:
        return [Finding(rule.id, "info", f"{why}. {rule.reason}", rule.source)]
    empty = []
    for area in consultation.areas:
        options = _options(consultation, area, rules, overrides)
        if not options.modalities and any(rule.id in ids for ids in options.removed.values()):
            empty.append(area)
    if empty:
        text = f"{' and '.join(blocks)} refused ({why}); nothing is left for {', '.join(empty)}"
        message = f"{text}. {rule.reason} {rule.action}".strip()
        return [Finding(rule.id, "refusal", message, rule.source)]
    message = f"{' and '.join(blocks)} not offered ({why}). {rule.reason} {rule.action}".strip()
    return [Finding(rule.id, "warning", message, rule.source)]


def _precaution_finding(rule, consultation, rules, overrides) -> list[Finding]:
    if not rule.when.matches(consultation):
        return []
    message = f"{rule.action} ({rule.when.explain(consultation)}). {rule.reason}".strip()
    return [Finding(rule.id, rule.severity, message, rule.source)]


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
    message = f"overridden by the clinic: {reason!r} (the rule {status}; it says: {rule.reason})"
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
        options = _options(consultation, area, rules, overrides)
        if not options.modalities:
            reported = {finding.rule for finding in findings if finding.severity == "refusal"}
            findings += [
                finding
                for finding in _blocking_refusals(consultation, area, options, rules)
                if finding.rule not in reported
            ]
    return sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))


def raise_for_refusal(findings: Iterable[Finding]) -> None:
    """Raise :class:`~dermalase.exceptions.RefusalError` for the first refusal, if any.

    Parameters
    ----------
    findings : iterable of Finding
        Findings from :func:`evaluate`.

    Raises
    ------
    RefusalError
        Naming the refusing rule, its message and its source (exit code 3).
    """
    for finding in findings:
        if finding.severity == "refusal":
            raise RefusalError(finding.rule, finding.message, finding.source)
