"""The rules file: its schema (pydantic) and its loader.

The clinical rules live in ``data/rules.toml`` (or a clinic's own file passed to
:func:`load_rules`). Every rule has an ``id``, a ``kind``, a plain-language ``reason``
and its sources; a ``when`` condition names a field of the
:class:`~dermalase.clinical.consultation.Consultation` by its dotted path
(``history.keloids``), which is checked against the consultation's fields when the
file is loaded and read from the consultation directly when a rule is evaluated.
:func:`check_overrides` validates a clinic's overrides against a rule set.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dermalase import citations
from dermalase.clinical.consultation import (
    CONDITIONS,
    FIELD_PATHS,
    ROMAN_SKIN_TYPES,
    TREATMENT_AREAS,
    Consultation,
)
from dermalase.clinical.names import area_names, condition_name, join, rule_name
from dermalase.clinical.sources import describe, source
from dermalase.exceptions import InputError, did_you_mean
from dermalase.tissue.areas import AREAS
from dermalase.units import plural

#: Plan sections an overridden rule may carry a caveat into (besides other rules' findings).
CAVEAT_SECTIONS = ("anaesthesia", "aftercare")

#: Kinds of rule.
KINDS = ("indication", "area_cap", "skin_type", "contraindication", "precaution")

#: The treatment modalities of the rules. ``full_field`` and ``fractional`` ablate;
#: ``non_ablative`` lays coagulation zones under an intact surface (a fractional
#: prescription with no ablation); ``hybrid`` stacks non-ablative coagulation and shallow
#: fractional ablation on one area in one pass (two fractional prescriptions).
Modality = Literal["full_field", "fractional", "non_ablative", "hybrid"]

#: Every treatment modality of the rules, in the order of :data:`Modality`.
TREATMENTS: tuple[Modality, ...] = ("full_field", "fractional", "non_ablative", "hybrid")
Range = Annotated[list[float], Field(min_length=2, max_length=2)]


# ----------------------------------------------------------------------------------------
# Conditions on consultation fields
# ----------------------------------------------------------------------------------------


def _equals(value: object, reference: object) -> bool:
    return value == reference


def _less_than(value: object, reference: float) -> bool:
    return isinstance(value, int | float) and value < reference


def _at_least(value: object, reference: float) -> bool:
    return isinstance(value, int | float) and value >= reference


def _one_of(value: object, reference: list[float | str]) -> bool:
    return value in reference


def _includes_any(value: Iterable[object], reference: list[str]) -> bool:
    return bool(set(value) & set(reference))


#: Operators of a ``when`` condition: name -> (test, words used in a message). Each test
#: takes the consultation's value and the reference of the :class:`When` field it is named
#: after, whose type differs from operator to operator.
OPERATORS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
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


_ROMAN = {number: roman for roman, number in ROMAN_SKIN_TYPES.items()}

#: Field path -> the consultation's value in a physician's words (a rule's trigger).
_FIELD_WORDS: dict[str, Callable[[Any], str]] = {
    "skin_type": lambda value: f"skin type {_ROMAN.get(value, value)}",
    "areas": lambda value: f"treating the {area_names(value)}",
    "conditions": lambda value: join(condition_name(name) for name in value),
    "age": lambda value: f"aged {value}",
    "downtime_days": lambda value: f"{plural(value, 'day')} of downtime accepted",
    "correction": lambda value: f"{value} correction asked",
    "history.isotretinoin_months_ago": lambda value: (
        "still taking isotretinoin"
        if value == 0
        else f"isotretinoin last taken {plural(value, 'month')} ago"
    ),
    "history.prior_resurfacing_months_ago": lambda value: (
        f"resurfaced {plural(value, 'month')} ago"
    ),
    "history.herpes_simplex": lambda value: "a history of cold sores (herpes simplex)",
    "history.active_infection": lambda value: "an active infection at the site",
    "history.keloids": lambda value: "a history of keloids",
    "history.pregnancy": lambda value: "pregnant",
    "history.smoking": lambda value: "smokes",
    "history.anticoagulants": lambda value: "takes anticoagulants or antiplatelets",
    "history.recent_tan": lambda value: "recently tanned",
}


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
        if self.field is not None and self.field not in FIELD_PATHS:
            hint = did_you_mean(self.field, FIELD_PATHS).strip() or "not a consultation field"
            raise ValueError(f"unknown field {self.field!r}; {hint}")
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
        return OPERATORS[name][0](self._value(consultation), reference)

    def explain(self, consultation: Consultation) -> str:
        """The parts of the condition that the consultation meets, in clinical words."""
        if self.any is not None or self.all is not None:
            parts = self.any if self.any is not None else self.all
            assert parts is not None
            met = [p.explain(consultation) for p in parts if p.matches(consultation)]
            return join(dict.fromkeys(met))
        assert self.field is not None
        name, reference = self._operator()
        value = self._value(consultation)
        words = _FIELD_WORDS.get(self.field)
        said = (
            words(value)
            if words
            else f"{self.field.rsplit('.', 1)[-1].replace('_', ' ')} {_text(value)}"
        )
        if name == "less_than" and self.field.endswith("_months_ago"):
            said += f", less than {plural(float(reference), 'month')}"  # type: ignore[arg-type]
        return said

    def _value(self, consultation: Consultation) -> object:
        """The consultation's value of the field, read as an attribute path."""
        assert self.field is not None  # a comparison names its field (_one_form)
        return attrgetter(self.field)(consultation)

    def _operator(self) -> tuple[str, object]:
        name = next(name for name in OPERATORS if getattr(self, name) is not None)
        return name, getattr(self, name)


# ----------------------------------------------------------------------------------------
# Rule models
# ----------------------------------------------------------------------------------------


class _Rule(_Data):
    id: str = Field(pattern=r"^[a-z_]+\.[A-Za-z0-9_]+$")
    #: The rule's clinical name, shown instead of its id in every text a physician reads.
    title: str = ""
    reason: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    action: str = ""
    #: How strong the evidence behind the rule's number or recommendation is (study
    #: design and size, in a physician's words); a finding of the rule carries it.
    evidence: str = ""
    #: Section ("anaesthesia") or rule id -> the caveat that section or that rule's
    #: finding carries when the clinic overrides this rule.
    override_caveats: dict[str, str] = {}
    #: Whether the rule, when it fires, asks for conservative settings: the draft then sits
    #: at the mild end of the indicated depth and coverage ranges, whatever correction
    #: was asked.
    conservative: bool = False
    if TYPE_CHECKING:  # each rule model declares its kind as a Literal field
        kind: str

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

    def explained(self) -> str:
        """The rule's reason, followed by its evidence line when it has one."""
        return f"{self.reason} Evidence: {self.evidence}" if self.evidence else self.reason


class FullFieldRange(_Data):
    """Full-field depth ranges of an indication [µm in the file]."""

    ablation_depth_um: Range
    coagulation_depth_um: Range = [0.0, 0.0]


class FractionalRange(_Data):
    """Fractional column depth [µm] and coverage [%] ranges of an indication."""

    depth_um: Range
    coverage_percent: Range


class NonAblativeRange(_Data):
    """Non-ablative coagulation depth [µm] and coverage [%] ranges of an indication.

    ``wavelength_nm`` names the wavelength the indication prefers (1927 nm thulium for
    superficial pigment); without it the rules' default non-ablative wavelength.
    """

    coagulation_depth_um: Range
    coverage_percent: Range
    wavelength_nm: float | None = Field(default=None, gt=0)


class HybridRange(_Data):
    """Hybrid ranges: fractional ablation depth [µm] over coagulation depth [µm], coverage [%]."""

    ablation_depth_um: Range
    coagulation_depth_um: Range
    coverage_percent: Range


class IndicationRule(_Rule):
    """Conditions -> modality preference and depth ranges."""

    kind: Literal["indication"]
    conditions: list[str] = Field(min_length=1)
    priority: int
    modalities: list[Modality] = Field(min_length=1)
    full_field: FullFieldRange | None = None
    fractional: FractionalRange | None = None
    non_ablative: NonAblativeRange | None = None
    hybrid: HybridRange | None = None

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
        pairs += [frac.depth_um, frac.coverage_percent] if frac else []
        gentle, hybrid = self.non_ablative, self.hybrid
        pairs += [gentle.coagulation_depth_um, gentle.coverage_percent] if gentle else []
        if hybrid:
            pairs += [hybrid.ablation_depth_um, hybrid.coagulation_depth_um]
            pairs += [hybrid.coverage_percent]
        return pairs


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
    #: Deepest non-ablative (and hybrid) coagulation zone, as a fraction of the local dermis.
    non_ablative_depth_dermis_fraction: float = Field(gt=0, le=1)
    #: Highest non-ablative (and hybrid) coverage [%].
    non_ablative_coverage_max_percent: float = Field(gt=0, le=100)
    #: Deepest ablation of a hybrid's fractional ablative part [µm].
    hybrid_ablation_max_um: float = Field(gt=0)

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
    #: Highest non-ablative (and hybrid) coverage for the skin type [%].
    non_ablative_coverage_max_percent: float | None = Field(default=None, gt=0, le=100)


class ContraindicationRule(_Rule):
    """A hard refusal of some (by default all) modalities."""

    kind: Literal["contraindication"]
    when: When
    blocks: list[Modality] = list(TREATMENTS)


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
    #: Shallowest non-ablative coagulation zone offered [µm].
    minimum_coagulation_depth_um: float = Field(gt=0)
    #: Wavelength [nm] of each modality when the consultation lists no device; a hybrid's
    #: is its coagulation module's.
    default_wavelength_nm: dict[Modality, float]
    #: Wavelength [nm] of a hybrid's fractional ablative part.
    hybrid_ablation_wavelength_nm: float = Field(gt=0)
    #: Wavelengths [nm] that coagulate without ablating at fractional energies (water
    #: absorbs 10-140 /cm there, against ~13000 /cm at 2940 nm): a device within the band
    #: delivers the non-ablative modality.
    non_ablative_band_nm: Range
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

    def listing(self) -> list[dict]:
        """Every rule as a physician reads it, in file order.

        Returns
        -------
        list of dict
            Per rule: ``id``, ``kind``, ``reason``, ``evidence``, ``source_keys`` and ``sources``
            (the full references; one not peer-reviewed is marked with its status).
        """
        return [
            {
                "id": rule.id,
                "title": rule_name(rule.id, rule.title),
                "kind": rule.kind,
                "reason": rule.reason,
                "evidence": rule.evidence,
                "sources": [citations.get(key).in_text() for key in citations.merge(rule.sources)],
                "source_keys": list(rule.sources),
            }
            for rule in self.rules
        ]

    def of_kind(self, kind: str) -> tuple:
        """The rules of one kind, in file order."""
        return tuple(rule for rule in self.rules if rule.kind == kind)


def _closest_id(rule_id: str, ids: Iterable[str]) -> str:
    return did_you_mean(rule_id, ids, cutoff=0.4).strip() or "not a rule id; see `dermalase rules`"


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
    for rule in rules:
        for target in rule.override_caveats:
            if target not in CAVEAT_SECTIONS and target not in ids:
                raise InputError(
                    f"rules.{rule.id}.override_caveats",
                    target,
                    f"name a section ({', '.join(CAVEAT_SECTIONS)}) or a rule id ({origin})",
                )


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
