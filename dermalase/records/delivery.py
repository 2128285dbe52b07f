"""What a session delivered: the plan's settings with the operator's changes, and their prediction.

A session is recorded against a stored plan. By default each area receives the plan's
settings; the operator names what differed (``full_face.fluence_j_cm2=3.5``, the plan JSON's
own keys and clinical units). The delivered settings are checked against the device's
limits (:func:`dermalase.dosimetry.check_settings`) and their effect and recovery are
predicted by the planner's own models: :func:`dermalase.dosimetry.predict` (the forward
model the other way: settings in, depths out) and the plan's recovery slot. Nothing here
holds a formula.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

from dermalase.exceptions import InputError, RefusalError, did_you_mean
from dermalase.records.treatments import AreaDelivery
from dermalase.units import QUANTITIES, clinical_key, clinical_value, parse_quantity, to_si

#: Settings of the plan JSON that are whole counts.
COUNT_SETTINGS = ("pulses", "passes", "coagulation_pulses")

#: Settings an operator cannot change at the session: the wavelength is the device's, the
#: pulse mode and density step are dial positions that the other settings already carry.
FIXED_SETTINGS = ("wavelength_nm", "pulse_mode", "density_step")

#: Glossary names of the LaserSettings fields that the plan JSON writes in clinical units.
_QUANTITY_FIELDS = (
    "wavelength",
    "fluence",
    "pulse_duration",
    "repetition_rate",
    "pass_interval",
    "coagulation_fluence",
    "coagulation_pulse_duration",
    "coagulation_repetition_rate",
    "spot_diameter",
    "overlap",
    "energy",
    "coverage",
    "density",
)

#: Per-area entries of ``--set`` that are not laser settings.
AREA_TEXT_FIELDS = ("anaesthesia",)


@dataclasses.dataclass(frozen=True)
class Override:
    """One ``--set AREA.FIELD=VALUE`` of the command line, read but not yet checked."""

    area: str
    field: str
    value: str


def parse_overrides(texts: Sequence[str]) -> list[Override]:
    """Read ``AREA.FIELD=VALUE`` texts.

    Raises
    ------
    InputError
        Naming ``--set`` and the text, when it is not of that form or repeats a field.
    """
    overrides = []
    seen = set()
    for text in texts:
        target, equals, value = text.partition("=")
        area, dot, field = target.strip().partition(".")
        if not equals or not dot or not area or not field or not value.strip():
            raise InputError("--set", text, "AREA.FIELD=VALUE, e.g. full_face.fluence=3.5J/cm2")
        if (area, field) in seen:
            raise InputError("--set", text, f"{area}.{field} is set twice")
        seen.add((area, field))
        overrides.append(Override(area.strip(), field.strip(), value.strip()))
    return overrides


def _laser_settings(settings: Mapping[str, Any]):
    """The :class:`~dermalase.laser.LaserSettings` of a plan JSON ``settings`` object."""
    from dermalase.laser import LaserSettings

    fields: dict[str, Any] = {"pulse_mode": settings.get("pulse_mode")}
    for name in _QUANTITY_FIELDS:
        key = clinical_key(name)
        if key in settings and settings[key] is not None:
            fields[name] = to_si(name, float(settings[key]))
    for name in (*COUNT_SETTINGS, "density_step"):
        if settings.get(name) is not None:
            fields[name] = int(settings[name])
    if "energy" in fields:
        # a fractional setting's fluence is the mean over the 1/e² spot (LaserSettings)
        spot = fields["spot_diameter"]
        fields["fluence"] = fields["energy"] / (math.pi * spot**2 / 4)
    return LaserSettings(**fields)


def _settings_key(field: str, allowed: Sequence[str]) -> str:
    """The settings key a ``--set`` field names: ``fluence`` names ``fluence_j_cm2``."""
    for name in _QUANTITY_FIELDS:
        if field == name and clinical_key(name) in allowed:
            return clinical_key(name)
    return field


def _quantity_name(field: str) -> str | None:
    """The glossary quantity whose JSON key ``field`` is (None for a count)."""
    return next((name for name in _QUANTITY_FIELDS if clinical_key(name) == field), None)


def _changed_value(field: str, text: str, current: object, option: str) -> float | int:
    quantity = _quantity_name(field)
    try:
        number = float(text)
    except ValueError:
        if quantity is None:
            raise InputError(option, text, "a whole number") from None
        # a quantity typed with its unit ("5J/cm2", "300us"): SI, then the key's unit
        unit = QUANTITIES[quantity]
        example = f"{current} {unit.clinical_unit}"
        number = clinical_value(quantity, parse_quantity(text, unit.si_unit, option, example), 12)
    if not math.isfinite(number):
        raise InputError(option, text, "a finite number")
    if field in COUNT_SETTINGS:
        if number != int(number) or number < (0 if field == "coagulation_pulses" else 1):
            raise InputError(option, text, "a whole number of at least 1")
        return int(number)
    if number < 0:
        raise InputError(option, text, "a number of at least 0")
    return number


def delivered_areas(
    plan: Mapping[str, Any],
    overrides: Sequence[Override] = (),
    anaesthesia: str | None = None,
) -> tuple[list[AreaDelivery], dict[str, Any]]:
    """The areas a session delivered under ``plan``, with their predicted effect and recovery.

    Parameters
    ----------
    plan : mapping
        The stored plan JSON.
    overrides : sequence of Override
        What the operator changed, per area; every other setting is the plan's.
    anaesthesia : str or None
        The anaesthesia given (default: the plan's).

    Returns
    -------
    list of AreaDelivery, dict
        One delivery per planned area, and the session's predicted recovery (the plan
        JSON's ``recovery`` form): the slowest-healing area's, as the planner reports it.

    Raises
    ------
    InputError
        An unknown area or field, a value that is not a number, or settings outside the
        device's limits (what was delivered cannot exceed what the device can do: the
        message names the limit and the device file).
    """
    from dermalase.clinical.consultation import TREATMENT_AREAS
    from dermalase.clinical.planner import TreatmentPlanner
    from dermalase.devices import load_device
    from dermalase.dosimetry import predict

    areas = {area["area"]: area for area in plan["areas"]}
    for override in overrides:
        if override.area not in areas:
            hint = did_you_mean(override.area, areas)
            raise InputError("--set", override.area, f"{hint}the plan's areas: {', '.join(areas)}")
    recovery_slot = TreatmentPlanner(recovery=plan.get("models", {}).get("recovery")).slots[
        "recovery"
    ]
    default_anaesthesia = anaesthesia or plan.get("anaesthesia", {}).get("summary", "")
    deliveries, recoveries = [], []
    for name, area in areas.items():
        planned = dict(area["settings"])
        settings = dict(planned)
        text = {"anaesthesia": default_anaesthesia}
        changed = set()
        for override in (o for o in overrides if o.area == name):
            option = f"--set {name}.{override.field}"
            if override.field in AREA_TEXT_FIELDS:
                text[override.field] = override.value
                continue
            allowed = [key for key in planned if key not in FIXED_SETTINGS]
            field = _settings_key(override.field, allowed)
            if field not in allowed:
                hint = did_you_mean(override.field, allowed)
                raise InputError(
                    option,
                    override.value,
                    f"{hint}{name} has the settings {', '.join(allowed)} (and anaesthesia)",
                )
            settings[field] = _changed_value(field, override.value, planned[field], option)
            changed.add(field)
        laser = _laser_settings(settings)
        if "coverage_percent" in changed and laser.fractional:
            laser = dataclasses.replace(laser, density=None, density_step=None)
        device = load_device(area["device"])
        try:
            dose = predict(laser, device, TREATMENT_AREAS[name])
        except RefusalError as refusal:
            raise _beyond_device(name, refusal, settings, changed) from None
        delivered = dose.settings.to_dict()
        deviation = {
            key: {"planned": planned.get(key), "delivered": delivered.get(key)}
            for key in sorted(changed)
            if planned.get(key) != delivered.get(key)
        }
        recovery = recovery_slot(dose.delivered(name), dose)
        recoveries.append(recovery)
        deliveries.append(
            AreaDelivery(
                area=name,
                device=area["device"],
                modality=area["modality"],
                settings=delivered,
                deviation=deviation,
                anaesthesia=text["anaesthesia"],
                predicted=dose.to_dict()["predicted"],
            )
        )
    slowest = max(recoveries, key=lambda timeline: timeline.healing_days)
    return deliveries, slowest.to_dict()


def _beyond_device(
    area: str, refusal: RefusalError, settings: Mapping[str, Any], changed: set[str]
) -> InputError:
    """The input error for delivered settings a device cannot deliver.

    Names the ``--set`` field that the refused limit reads when the operator changed it
    (``device.fluence`` -> ``fluence_j_cm2``), else every changed field.
    """
    limited = refusal.rule.removeprefix("device.")
    keys = [key for key in changed if key.startswith(limited)] or sorted(changed)
    shown = ", ".join(f"{key}={settings[key]}" for key in keys) or "the plan's settings"
    field = f"--set {area}.{keys[0]}" if len(keys) == 1 else f"--set {area}"
    return InputError(
        field,
        shown,
        f"{refusal.message} (limit {refusal.rule} of {refusal.source}); a session records "
        "what the device delivered",
    )
