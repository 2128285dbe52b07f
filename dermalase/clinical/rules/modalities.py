"""Modalities: what the rules, the area and the listed devices leave, and the device chosen.

The indications of the patient's conditions give the modality preference (the
highest-priority condition leads; a fired skin-type rule may put another modality first);
fired skin-type rules and contraindications, the area cap and the devices the
consultation lists remove modalities. :func:`choose_device` then picks, once, the device
that delivers the modality drafted for an area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dermalase.clinical.consultation import Consultation
from dermalase.clinical.names import area_name, modality_name
from dermalase.clinical.rules.caps import cap_of
from dermalase.clinical.rules.findings import DEVICE_RULE
from dermalase.clinical.rules.schema import (
    IndicationRule,
    Modality,
    Planning,
    RuleSet,
    check_overrides,
    load_rules,
)
from dermalase.devices import DeviceProfile, list_devices, load_device
from dermalase.exceptions import RefusalError
from dermalase.units import NM_PER_M


def fired_rules(consultation: Consultation, rules: RuleSet, overrides: Mapping[str, str]) -> list:
    """Rules with a condition that the consultation meets, less the overridden ones."""
    return [
        rule
        for rule in rules.rules
        if getattr(rule, "when", None) is not None
        and rule.id not in overrides
        and rule.when.matches(consultation)
    ]


def indications_of(consultation: Consultation, rules: RuleSet) -> list[IndicationRule]:
    """Indications of the consultation's conditions, highest priority first."""
    found = [
        rule
        for rule in rules.of_kind("indication")
        if set(rule.conditions) & set(consultation.conditions)
    ]
    return sorted(found, key=lambda rule: -rule.priority)


def device_treatments(device: DeviceProfile, planning: Planning) -> tuple[Modality, ...]:
    """The rules' modalities a device delivers.

    A device whose wavelength lies in the rules' non-ablative band delivers the
    non-ablative modality, and, at the hybrid's coagulation wavelength, the hybrid (whose
    ablative part another device delivers at the hybrid's ablation wavelength); any other
    device delivers its own modalities.

    Examples
    --------
    >>> planning = load_rules().planning
    >>> device_treatments(load_device("hybrid_1470"), planning)
    ('non_ablative', 'hybrid')
    """
    low, high = planning.non_ablative_band_nm
    nanometres = device.wavelength * NM_PER_M
    if not low <= nanometres <= high:
        return tuple(device.modality)  # type: ignore[arg-type]
    hybrid = abs(nanometres - planning.default_wavelength_nm["hybrid"]) < 1e-6
    return ("non_ablative", "hybrid") if hybrid else ("non_ablative",)


def listed_devices(
    consultation: Consultation, planning: Planning | None = None
) -> dict[str, DeviceProfile] | None:
    """Modality -> the first device the consultation lists that delivers it; None: any."""
    if not consultation.devices:
        return None
    planning = planning or load_rules().planning
    found: dict[str, DeviceProfile] = {}
    for name in consultation.devices:
        device = load_device(name)
        for modality in device_treatments(device, planning):
            found.setdefault(modality, device)
    return found


def choose_device(
    consultation: Consultation,
    area: str,
    modality: Modality,
    planning: Planning,
    candidates: Sequence[str] | None = None,
    wavelength_nm: float | None = None,
) -> DeviceProfile:
    """Choose the device that treats an area: the one place a device is chosen.

    Parameters
    ----------
    consultation : Consultation
        Its ``devices`` (in order of preference) are chosen from first.
    area : str
        Canonical treatment area (for the refusal message).
    modality : str
        The modality drafted for the area.
    planning : Planning
        The rules' planning settings: the default wavelength [nm] of each modality.
    candidates : sequence of str, optional
        Device names to choose from when the consultation lists none (default: every
        bundled and user device).
    wavelength_nm : float, optional
        The wavelength an indication prefers for the modality [nm] (1927 nm for
        pigment); default the rules' default wavelength of the modality.

    Returns
    -------
    DeviceProfile
        The first listed device delivering the modality; when none is listed, the first
        candidate delivering it at the rules' default wavelength.

    Raises
    ------
    RefusalError
        When no candidate delivers the modality at that wavelength.
    """
    listed = listed_devices(consultation, planning)
    if listed is not None and modality in listed:
        return listed[modality]
    wavelength = (wavelength_nm or planning.default_wavelength_nm[modality]) / NM_PER_M
    names = consultation.devices or candidates or tuple(d.name for d in list_devices())
    for name in names:
        device = load_device(name)
        delivers = modality in device_treatments(device, planning)
        if delivers and abs(device.wavelength - wavelength) < 1e-9:
            return device
    raise RefusalError(
        "planner.device",
        f"no device among {', '.join(load_device(n).display_name for n in names)} delivers "
        f"{modality_name(modality)} at {wavelength * 1e9:g} nm for the {area_name(area)}",
        "device profiles (dermalase devices)",
    )


@dataclass(frozen=True)
class Options:
    """Modalities left for an area, and what removed the others."""

    modalities: tuple[Modality, ...]
    removed: dict[str, tuple[str, ...]] = field(default_factory=dict)


def options(
    consultation: Consultation, area: str, rules: RuleSet, overrides: Mapping[str, str]
) -> Options:
    """Modalities left for a canonical area under already checked overrides."""
    indications = indications_of(consultation, rules)
    order = list(dict.fromkeys(m for rule in indications for m in rule.modalities))
    fired = fired_rules(consultation, rules, overrides)
    for rule in fired:
        preferred = getattr(rule, "prefer", None)
        if preferred in order:
            order.remove(preferred)
            order.insert(0, preferred)
    cap = cap_of(area, rules, overrides)
    devices = listed_devices(consultation, rules.planning)
    removed: dict[str, tuple[str, ...]] = {}
    for modality in order:
        blockers = [rule.id for rule in fired if modality in getattr(rule, "blocks", ())]
        if modality not in cap.modalities:
            blockers.append(cap.rule)
        if devices is not None and modality not in devices:
            blockers.append(DEVICE_RULE)
        if blockers:
            removed[modality] = tuple(blockers)
    left = tuple(modality for modality in order if modality not in removed)
    return Options(left, {modality: tuple(ids) for modality, ids in removed.items()})


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
        Canonical treatment area.
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
    return options(consultation, area, rules, overrides).modalities
