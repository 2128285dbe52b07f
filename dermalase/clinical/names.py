"""Clinical display names: what a physician reads for an area, condition, modality or rule.

Identifiers (``full_face``, ``contraindication.keloids``) stay in the plan's JSON; every
text a physician or patient reads (findings, the terminal view, HTML and PDF) names
things with these functions instead.

Examples
--------
>>> area_name("dorsal_hand")
'back of the hands'
>>> plural(1, "pass", "passes"), plural(3, "session")
('1 pass', '3 sessions')
>>> rule_name("contraindication.isotretinoin_full_field")
'Isotretinoin and full-field resurfacing'
"""

from __future__ import annotations

from collections.abc import Iterable

from dermalase.clinical.consultation import CONDITIONS

#: Treatment areas as a physician names them.
AREA_NAMES: dict[str, str] = {
    "full_face": "full face",
    "forehead": "forehead",
    "glabella": "glabella",
    "temple": "temple",
    "cheek": "cheek",
    "nose": "nose",
    "perioral": "perioral skin",
    "chin": "chin",
    "jawline": "jawline",
    "periorbital": "periorbital skin",
    "neck": "neck",
    "chest": "chest",
    "dorsal_hand": "back of the hands",
}

#: Modalities as a physician names them.
MODALITY_NAMES: dict[str, str] = {
    "full_field": "full-field resurfacing",
    "fractional": "fractional resurfacing",
    "non_ablative": "non-ablative fractional resurfacing",
    "hybrid": "hybrid fractional resurfacing (coagulation with superficial ablation)",
}

#: Names of the findings that are not rules of the rules file.
_OTHER_RULES: dict[str, str] = {
    "devices.modality": "Devices listed",
    "recovery.downtime": "Downtime accepted",
    "physician.depth": "Physician's depth",
    "planner.area_cap": "Area cap",
    "planner.fallback": "Fallback route",
    "course.start_date": "Start date",
    "technique.wipe_between_passes": "Wiping after each pass",
}


def area_name(area: str) -> str:
    """The area as a physician names it (``"dorsal_hand"`` -> ``"back of the hands"``)."""
    return AREA_NAMES.get(area, area.replace("_", " "))


def area_names(areas: Iterable[str]) -> str:
    """Several areas, joined with commas and a final "and"."""
    return join([area_name(area) for area in areas])


def condition_name(condition: str) -> str:
    """A condition's short clinical name, without the explanation in brackets."""
    return CONDITIONS.get(condition, condition.replace("_", " ")).split(" (")[0]


def modality_name(modality: str) -> str:
    """``"full_field"`` -> ``"full-field resurfacing"``."""
    return MODALITY_NAMES.get(modality, modality.replace("_", " "))


def join(words: Iterable[str], last: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def rule_name(rule_id: str, title: str = "") -> str:
    """A rule's clinical name: its title in the rules file, else one made from its id.

    Parameters
    ----------
    rule_id : str
        The rule id (``kind.name``), or the id of a finding that is not a rule of the file.
    title : str
        The rule's ``title`` in the rules file, when it has one.
    """
    if title:
        return title
    if rule_id in _OTHER_RULES:
        return _OTHER_RULES[rule_id]
    from dermalase.clinical.rules.schema import load_rules  # the rules import these names

    rules = load_rules()
    if rule_id in rules.ids() and rules.get(rule_id).title:
        return rules.get(rule_id).title
    if rule_id in _OTHER_RULES:
        return _OTHER_RULES[rule_id]
    kind, _, name = rule_id.partition(".")
    words = name.replace("_", " ") if name else kind.replace("_", " ")
    return words[:1].upper() + words[1:]
