"""The planner's model slots and what one call of it was asked.

:class:`PlanRequest` travels down the chain of one :meth:`TreatmentPlanner.plan` call;
:data:`MODELS` registers the model of each slot (indication, prescription, dosimetry,
simulate, scanner, recovery) and :func:`slot` resolves a choice to its function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dermalase.clinical import rules as clinical_rules
from dermalase.clinical.comfort import chilled_air_prescribed
from dermalase.clinical.consultation import TREATMENT_AREAS, Consultation
from dermalase.clinical.names import area_name
from dermalase.clinical.recovery import RecoveryTimeline, healing_bands
from dermalase.clinical.rules import Draft
from dermalase.devices import DeviceProfile
from dermalase.dosimetry import Dose, dose
from dermalase.exceptions import InputError, RefusalError
from dermalase.forward.effect import TissueEffect
from dermalase.forward.models import ForwardModel
from dermalase.forward.models import simulate as simulate_effect
from dermalase.laser import LaserSettings
from dermalase.prescription import Prescription
from dermalase.scanner.plan import ScanPlan, scan_area
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel

# ------------------------------------------------------------------ one call


@dataclass(frozen=True)
class PlanRequest:
    """What one call of :meth:`TreatmentPlanner.plan` was asked, passed down its chain.

    Parameters
    ----------
    overrides : mapping of str to str
        Checked clinic overrides (rule id -> stated reason), read-only.
    recovery : callable
        The recovery slot, ``recovery(prescription, effect) -> RecoveryTimeline``.
    simulate : callable
        The simulate slot, the forward model ``simulate(settings, skin) ->
        TissueEffect`` that dosimetry searches with and whose effect the plan
        carries.
    devices : tuple of str or None
        Device names to choose from when the consultation lists none (None: every
        bundled and user device).
    """

    overrides: Mapping[str, str]
    recovery: Callable[..., RecoveryTimeline]
    simulate: ForwardModel
    devices: tuple[str, ...] | None = None


# ------------------------------------------------------------------ model slots


def _indication_rules(consultation: Consultation, area: str, request: PlanRequest) -> Draft:
    return clinical_rules.indication_for(
        consultation,
        area,
        request.overrides,
        recovery=request.recovery,
        devices=request.devices,
    )


def _prescription_within_caps(
    draft: Draft, consultation: Consultation, request: PlanRequest
) -> Prescription:
    """Take the drafted prescription, refusing one that breaks its area cap."""
    prescription = draft.prescription
    cap = clinical_rules.area_cap(prescription.area, overrides=request.overrides)
    broken = cap.violations(prescription)
    if broken:
        raise RefusalError(
            "planner.area_cap",
            f"the draft for the {area_name(prescription.area)} breaks its area cap: "
            f"{'; '.join(broken)}",
            cap.source,
        )
    return prescription


def _dosimetry_forward_model(
    prescription: Prescription, device: DeviceProfile, simulate: ForwardModel
) -> Dose:
    return dose(
        prescription,
        device,
        skin=skin_model(TREATMENT_AREAS[prescription.area]),
        forward_model=simulate,
    )


def _forward_models(settings: LaserSettings, skin: SkinModel) -> TissueEffect:
    """The full model of each modality, with its maps: 1D bioheat or 2D column."""
    return simulate_effect(settings, skin)


def _response_table(settings: LaserSettings, skin: SkinModel) -> TissueEffect:
    """Fractional columns from the response table (no maps); full field by 1D bioheat."""
    return simulate_effect(settings, skin, "response_table" if settings.fractional else None)


def _scan(order: str):
    def scanner(prescription: Prescription, result: Dose, device: DeviceProfile) -> ScanPlan:
        settings = result.settings
        assert settings.spot_diameter is not None  # dosimetry sets the spot
        # The residual heat per spot comes from one forward call at the pulse
        # fired (one pass); the plan's cooling decides which epidermal peak applies.
        cooled = chilled_air_prescribed(prescription)
        # The scanner's templates take the canonical area name as it is.
        template = prescription.area
        if prescription.modality == "fractional":
            # The microbeam is checked against the device; the scanner lays
            # its treatment zones, the predicted MTZ (column plus sleeve), at
            # the coverage dosimetry matched to a density step through them.
            return scan_area(
                template,
                settings.spot_diameter,
                "fractional",
                device=device,
                zone_diameter=result.mtz_diameter,
                energy=settings.energy,
                coverage=result.coverage,
                passes=settings.passes,
                order=order,
                # A non-ablative zone deposits its heat down the coagulated column.
                column_depth=result.ablation_depth or result.coagulation_depth,
                repetition_rate=settings.repetition_rate,
                pulse_duration=settings.pulse_duration,
                pulses=settings.pulses,
                chilled_air=cooled,
            )
        return scan_area(
            template,
            settings.spot_diameter,
            "full_field",
            device=device,
            fluence=settings.fluence,
            overlap=settings.overlap,
            passes=settings.passes,
            order=order,
            repetition_rate=settings.repetition_rate,
            pulse_duration=settings.pulse_duration,
            pulses=settings.pulses,
            chilled_air=cooled,
        )

    scanner.__name__ = f"scan_{order.replace('-', '_')}"
    return scanner


#: Registered models of each slot; the first of each is the default.
MODELS: dict[str, dict[str, Callable]] = {
    "indication": {"rules": _indication_rules},
    "prescription": {"area_caps": _prescription_within_caps},
    "dosimetry": {"forward_model": _dosimetry_forward_model},
    "simulate": {"forward_models": _forward_models, "response_table": _response_table},
    "scanner": {"heat_aware": _scan("heat-aware"), "raster": _scan("raster")},
    "recovery": {"healing_bands": healing_bands},
}


def _slot(name: str, choice: str | Callable | None) -> tuple[str, Callable]:
    registry = MODELS[name]
    if choice is None:
        default = next(iter(registry))
        return default, registry[default]
    if callable(choice):
        return getattr(choice, "__name__", "user function"), choice
    if choice not in registry:
        raise InputError(f"{name} model", choice, f"known models: {', '.join(registry)}")
    return choice, registry[choice]
