"""The treatment planner: a chain of named model slots from consultation to plan.

:class:`TreatmentPlanner` composes; it holds no formula. Each slot —
``indication``, ``prescription``, ``dosimetry``, ``simulate``, ``scanner``,
``recovery`` — is a registered model name, a user function with the same
signature, or None (the default model is inferred). The ``simulate`` slot is the
forward model (:mod:`dermalase.forward.models`): dosimetry searches with it, and
the effect it predicts for the dosed settings, maps included, is what the plan
carries and the report draws. The rules, the forward physics, the scanner
and the recovery model each live in their own module; the planner runs them
in order for every area and gathers the findings and sources.

The planner is stateless: :meth:`TreatmentPlanner.plan` keeps nothing on the
instance, so one planner may serve concurrent requests. What one call was asked
(the checked overrides, the device candidates, the recovery slot) travels down
the chain as a frozen :class:`PlanRequest`. The drafting in the indication slot
limits depth with the recovery slot, and chooses the device once
(:func:`~dermalase.clinical.rules.modalities.choose_device`); the chosen
:class:`~dermalase.devices.DeviceProfile` travels with the draft.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TypedDict

from dermalase import __version__, citations
from dermalase.clinical import rules as clinical_rules
from dermalase.clinical.aftercare import aftercare_for
from dermalase.clinical.comfort import Comfort, comfort_for, eye_protection_for
from dermalase.clinical.consultation import TREATMENT_AREAS, Consultation
from dermalase.clinical.course import Course, plan_course
from dermalase.clinical.instructions import Instruction
from dermalase.clinical.names import area_name, plural
from dermalase.clinical.recovery import RecoveryTimeline, healing_bands, recovery_data
from dermalase.clinical.rules import Draft, Finding
from dermalase.clinical.rules.findings import DOWNTIME_RULE
from dermalase.clinical.rules.modalities import fired_rules
from dermalase.clinical.session import SessionTime, session_data, session_time
from dermalase.devices import DeviceProfile, list_devices, load_device
from dermalase.dosimetry import Dose, dose
from dermalase.exceptions import InputError, RefusalError
from dermalase.forward.effect import TissueEffect
from dermalase.forward.models import ForwardModel
from dermalase.forward.models import simulate as simulate_effect
from dermalase.laser import LaserSettings
from dermalase.prescription import Prescription
from dermalase.safety import assessment as laser_safety
from dermalase.scanner.plan import ScanPlan, scan_area
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel
from dermalase.units import UM_PER_M, clinical_mapping, to_si

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
                column_depth=result.ablation_depth,
                repetition_rate=settings.repetition_rate,
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


#: A fallback route lays no more coverage than the draft [-] (which keeps within the area
#: cap and the skin type's limit), less this rounding slack.
_COVERAGE_SLACK = 1e-9

#: Seconds per minute (the comfort data and the scanner give minutes).
S_PER_MIN = 60.0

#: Rule id of the findings of a fallback route (another device, shallower treatment).
FALLBACK_RULE = "planner.fallback"

#: Rule id of the finding that a course starts before the day of planning.
PAST_START_RULE = "course.start_date"

#: Bisection steps that fit a dosed depth to the accepted downtime: the depth is
#: found to 1/2^8 of the drafted one (under 1 µm for a 150 µm draft).
_DOWNTIME_BISECTIONS = 8


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
    found = []
    for rule in fired_rules(consultation, clinical_rules.load_rules(), request.overrides):
        limit = getattr(rule, "fractional_coverage_max_percent", None)
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


# ------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class AreaPlan:
    """Everything planned for one treatment area."""

    prescription: Prescription
    device: DeviceProfile
    dose: Dose
    scan: ScanPlan
    recovery: RecoveryTimeline
    draft: Draft
    #: Laser-safety figures of the planned settings, one per wavelength.
    laser_safety: tuple[laser_safety.WavelengthSafety, ...] = ()
    #: The eye-protection instructions that apply to this area.
    eye_protection: tuple[Instruction, ...] = ()

    @property
    def effect(self) -> TissueEffect | None:
        """The predicted effect in the skin, by the simulate slot's forward model."""
        return self.dose.effect

    def to_dict(self) -> dict:
        """The plan's ``areas`` entry (clinical units)."""
        prescription, result = self.prescription, self.dose.to_dict()
        skin = skin_model(TREATMENT_AREAS[prescription.area])
        reach = to_si("total_depth", result["predicted"]["total_depth_um"])
        predicted = dict(result["predicted"])
        predicted["layers_reached"] = skin.layers_between(0.0, reach) if reach > 0 else []
        return {
            "area": prescription.area,
            "modality": prescription.modality,
            **clinical_mapping(
                {
                    "wavelength": prescription.wavelength,
                    "ablation_depth": prescription.ablation_depth,
                    "coagulation_depth": prescription.coagulation_depth,
                    "coverage": prescription.coverage,
                }
            ),
            "passes": self.dose.settings.passes,
            "device": self.device.name,
            "device_name": self.device.display_name,
            "settings": result["settings"],
            "predicted": predicted,
            "deviation_um": result["deviation_um"],
            "scan": self.scan.to_dict(),
            "treatment_minutes": round(self.scan.treatment_minutes, 1),
        }

    def laser_safety_dict(self) -> dict:
        """The area's entry of the plan's ``laser_safety`` (SI safety units, as IEC states them)."""
        shields = [item for item in self.eye_protection if item.rule == CORNEAL_SHIELDS]
        return {
            "area": self.prescription.area,
            "device": self.device.name,
            "device_name": self.device.display_name,
            "wavelengths": [
                line.summary() | {"hazard_zone": laser_safety.hazard_zone(line)}
                for line in self.laser_safety
            ],
            "corneal_shields": (
                {
                    "instruction": shields[0].text,
                    "reason": laser_safety.corneal_shield_reason(self.laser_safety),
                    "source": shields[0].source,
                }
                if shields
                else None
            ),
            "sources": citations.format_sources(laser_safety.SOURCES),
        }


#: The eye-protection instruction for metal corneal shields (``data/comfort.toml``).
CORNEAL_SHIELDS = "eyes.corneal_shields"


@dataclass(frozen=True)
class TreatmentPlan:
    """A consultation's plan: per area, course, comfort, recovery, aftercare, findings."""

    consultation: Consultation
    areas: tuple[AreaPlan, ...]
    course: Course
    comfort: Comfort
    recovery: RecoveryTimeline
    aftercare: tuple
    findings: tuple[Finding, ...]
    overrides: Mapping[str, str]
    models: Mapping[str, str]
    sources: tuple[str, ...]
    consultation_file: str | None = None
    #: Plan section -> caveats carried into it by overridden rules (a pregnancy override
    #: into the anaesthesia), in the order of the rules file.
    caveats: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    created: str = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    )

    @property
    def treatment_minutes(self) -> float:
        """Time of one session, all areas [min]."""
        return sum(area.scan.treatment_minutes for area in self.areas)

    @property
    def session(self) -> SessionTime:
        """The session as the patient lives it: numbing, cleansing, laser, pauses, cooling."""
        lead = self.comfort.lead_time_minutes
        return session_time(
            None if lead is None else lead * S_PER_MIN,
            [
                (
                    area.prescription.area,
                    area.scan.treatment_minutes * S_PER_MIN,
                    area.dose.settings.passes,
                )
                for area in self.areas
            ],
        )

    def to_dict(self) -> dict:
        """The plan object of ``dermalase plan --json`` and ``plan.json``."""
        consultation = self.consultation
        comfort = self.comfort.to_dict()
        anaesthesia = comfort["anaesthesia"]
        # The summary gives the session's anaesthesia (and when to apply it); areas that
        # need a milder one are listed by name only when the areas differ.
        names = anaesthesia.get("by_area_names", {})
        steps = (
            [f"{area_name(area)}: {name}" for area, name in names.items()]
            if len(set(names.values())) > 1
            else []
        )
        return {
            "dermalase_version": __version__,
            "created": self.created,
            "consultation_file": self.consultation_file,
            "patient": {
                "age": consultation.age,
                "skin_type": _ROMAN[consultation.skin_type],
                "conditions": list(consultation.conditions),
                "downtime_days": consultation.downtime_days,
                "correction": consultation.correction,
                "history": consultation.history.model_dump(mode="json", exclude_defaults=True),
                "areas_requested": list(consultation.areas),
                "identifier": consultation.patient,
                "notes": consultation.notes,
            },
            "areas": [area.to_dict() for area in self.areas],
            "treatment_minutes": round(self.treatment_minutes, 1),
            "session": _session_dict(self.session),
            "course": {
                key: value
                for key, value in self.course.to_dict().items()
                if key in ("sessions", "interval_weeks", "dates", "maintenance_months")
            },
            "anaesthesia": {
                "method": anaesthesia["rule"],
                "summary": " ".join([anaesthesia["text"], *self.caveats.get("anaesthesia", ())]),
                "steps": steps,
                "cooling": " ".join(item["text"] for item in comfort["cooling"]),
                "eye_protection": " ".join(item["text"] for item in comfort["eye_protection"]),
                "source": anaesthesia["source"],
            },
            "laser_safety": [area.laser_safety_dict() for area in self.areas],
            "recovery": {
                key: value
                for key, value in self.recovery.to_dict().items()
                if key not in ("area", "healing_days")
            },
            "aftercare": [
                {"instruction": item.text, "when": _when(item.rule), "source": item.source}
                for item in self.aftercare
            ]
            + [
                {"instruction": caveat, "when": "throughout", "source": "the clinic's override"}
                for caveat in self.caveats.get("aftercare", ())
            ],
            "findings": [finding.to_dict() for finding in self.findings],
            "overrides": [
                {"rule": rule, "reason": reason} for rule, reason in self.overrides.items()
            ],
            "models": dict(self.models),
            "sources": [
                citations.get(key).in_text()
                for key in self.sources
                if citations.get(key).status != "secondary"
            ],
            "secondary_sources": [
                str(citations.get(key)).rstrip(".")
                for key in self.sources
                if citations.get(key).status == "secondary"
            ],
        }


class _MilderChanges(TypedDict, total=False):
    """What :func:`_milder` lowers: depths [m] and coverage [-]."""

    ablation_depth: float
    coagulation_depth: float
    coverage: float


def _milder(prescription: Prescription, nearest: Mapping[str, float]) -> Prescription | None:
    """The nearest achievable prescription when it is milder (shallower, sparser), else None.

    ``nearest`` is a refusal's offer: glossary names, SI values ([m], [-]).
    """
    changes: _MilderChanges = {}
    depth = nearest.get("ablation_depth")
    if depth is not None and 0 < depth < prescription.ablation_depth:
        changes["ablation_depth"] = depth
    coagulation = nearest.get("coagulation_depth")
    if coagulation is not None and 0 <= coagulation < prescription.coagulation_depth:
        changes["coagulation_depth"] = coagulation
    coverage = nearest.get("coverage")
    if coverage is not None and 0 < coverage < prescription.coverage:
        changes["coverage"] = coverage
    return replace(prescription, **changes) if changes else None


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


def _when(rule: str) -> str:
    """When an aftercare instruction applies, from its id (``aftercare.<when>_...``)."""
    return rule.split(".", 1)[-1].replace("_", " ")


class TreatmentPlanner:
    """Compose the clinical rules, dosimetry, scanner and recovery into a plan.

    Parameters
    ----------
    indication, prescription, dosimetry, scanner, recovery, simulate : str, callable or None
        The model of each slot: a name in :data:`MODELS`, a function with the
        signature of the registered ones, or None for the default.
    devices : sequence of str, optional
        Device profiles to choose from when the consultation lists none
        (default: every bundled and user device).
    """

    def __init__(
        self,
        indication: str | Callable | None = None,
        prescription: str | Callable | None = None,
        dosimetry: str | Callable | None = None,
        scanner: str | Callable | None = None,
        recovery: str | Callable | None = None,
        devices: tuple[str, ...] | None = None,
        simulate: str | Callable | None = None,
    ):
        chosen = {
            "indication": indication,
            "prescription": prescription,
            "dosimetry": dosimetry,
            "simulate": simulate,
            "scanner": scanner,
            "recovery": recovery,
        }
        self.models = {}
        self.slots = {}
        for name, choice in chosen.items():
            self.models[name], self.slots[name] = _slot(name, choice)
        self.devices = devices

    def _dose(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        tries: int = 3,
    ):
        """Dose the prescription; where the device falls short, take the nearest milder one."""
        try:
            return prescription, self.slots["dosimetry"](prescription, device, request.simulate)
        except RefusalError as refusal:
            if tries == 0:
                raise
            milder = _milder(prescription, refusal.nearest or {})
            if milder is None:
                return self._shallowest(
                    prescription, device, consultation, request, findings, refusal
                )
            findings.append(
                Finding(
                    rule=refusal.rule,
                    severity="warning",
                    message=f"{area_name(prescription.area)}: {refusal.message}; planned the "
                    "nearest milder prescription the device delivers",
                    source=refusal.source,
                )
            )
            return self._dose(milder, device, consultation, request, findings, tries - 1)

    def _shallowest(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        refusal: RefusalError,
    ):
        """Take the shallowest depth the device delivers, if it is safe and heals in time.

        Where a prescription is shallower than anything the device (or the
        model) can ablate, the nearest deeper one is planned only when it
        keeps within the area cap and the recovery model heals it within
        the downtime the patient accepts [days]; otherwise the refusal stands.
        """
        depth = (refusal.nearest or {}).get("ablation_depth")
        if depth is None or depth <= prescription.ablation_depth:
            raise refusal
        deeper = replace(prescription, ablation_depth=depth)
        cap = clinical_rules.area_cap(prescription.area, overrides=request.overrides)
        if cap.violations(deeper):
            raise refusal
        result = self.slots["dosimetry"](deeper, device, request.simulate)
        healing = request.recovery(deeper, result).healing_days
        downtime = consultation.downtime_days
        if healing > downtime:
            raise refusal
        findings.append(
            Finding(
                rule=refusal.rule,
                severity="warning",
                message=(
                    f"{area_name(prescription.area)}: {refusal.message}; planned the shallowest "
                    f"depth it delivers, {depth * UM_PER_M:.1f} µm, which heals in about "
                    f"{plural(round(healing), 'day')}, "
                    f"within the {plural(downtime, 'day')} accepted"
                ),
                source=refusal.source,
            )
        )
        return deeper, result

    def _fallback(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        refusal: RefusalError,
    ) -> tuple[Prescription, DeviceProfile, Dose]:
        """Another route when the first device refuses the draft, recorded as a finding.

        In order: another device of the same modality (one the consultation lists, else
        one of the candidates), at its own wavelength; then shallower treatment on the
        first device, the deepest it delivers. Shallower columns have narrower treatment
        zones, so the lowest density step of a fractional device covers less skin: that
        is what lets sparse work on a dark skin type go ahead (type V acne scars, whose
        300 µm columns no step lays within 10 %). When nothing delivers, the first
        refusal stands.
        """
        area, modality = prescription.area, prescription.modality
        dosimetry = self.slots["dosimetry"]
        names = consultation.devices or request.devices or tuple(d.name for d in list_devices())
        for name in names:
            other = load_device(name)
            if other.name == device.name or modality not in other.modality:
                continue
            moved = replace(prescription, wavelength=other.wavelength)
            if clinical_rules.area_cap(area, overrides=request.overrides).violations(moved):
                continue
            try:
                result = dosimetry(moved, other, request.simulate)
            except RefusalError:
                continue
            if result.coverage > prescription.coverage + _COVERAGE_SLACK:
                continue
            findings.append(
                Finding(
                    FALLBACK_RULE,
                    "warning",
                    f"{area_name(area)}: {refusal.message}; planned on {other.display_name} "
                    "instead, which delivers the draft",
                    refusal.source,
                )
            )
            return moved, other, result
        # Shallower on the first device: bisect for the deepest ablation it delivers, no
        # shallower than the rules offer for the modality.
        planning = clinical_rules.load_rules().planning
        shallowest = (
            planning.minimum_column_depth_um
            if modality == "fractional"
            else planning.minimum_ablation_depth_um
        ) / UM_PER_M
        low, high = shallowest, prescription.ablation_depth
        if low >= high:
            raise refusal
        best: tuple[Prescription, Dose] | None = None
        for _ in range(_DOWNTIME_BISECTIONS):
            depth = 0.5 * (low + high)
            candidate = replace(prescription, ablation_depth=depth)
            try:
                dosed = dosimetry(candidate, device, request.simulate)
            except RefusalError:
                high = depth
                continue
            if dosed.coverage > prescription.coverage + _COVERAGE_SLACK:
                high = depth  # laid denser than drafted: the skin type's limit would break
                continue
            best, low = (candidate, dosed), depth
        if best is None:
            raise refusal
        shallower, dosed = best
        asked, kept = prescription.ablation_depth * UM_PER_M, shallower.ablation_depth * UM_PER_M
        what = "columns" if modality == "fractional" else "ablation"
        findings.append(
            Finding(
                FALLBACK_RULE,
                "warning",
                f"{area_name(area)}: {refusal.message}; no other listed device delivers it, so "
                f"planned shallower {what} on {device.display_name}: {kept:.0f} µm instead of "
                f"{asked:.0f} µm, at {dosed.coverage * 100:.1f} % coverage; expect less "
                "correction per session",
                refusal.source,
            )
        )
        return shallower, device, dosed

    def _dose_as_set(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
    ) -> Dose:
        """Dose the physician's depth as set: no milder fallback, no fit to the downtime.

        A depth the device cannot deliver is refused with the nearest it delivers, which
        the physician may then set; a depth that re-epithelialises after the accepted
        downtime is planned, with a warning that gives the predicted day.
        """
        area = prescription.area
        try:
            result = self.slots["dosimetry"](prescription, device, request.simulate)
        except RefusalError as refusal:
            raise RefusalError(
                refusal.rule,
                f"the physician's depth for the {area_name(area)}: {refusal.message}; set "
                f"[depth.{area}] to a depth the device delivers",
                refusal.source,
                nearest=refusal.nearest,
            ) from None
        downtime = consultation.downtime_days
        healed = request.recovery(prescription, result).reepithelialized_day
        if healed > downtime:
            late = healed - downtime
            findings.append(
                Finding(
                    DOWNTIME_RULE,
                    "warning",
                    f"{area_name(area)}: the physician's depth is predicted to re-epithelialise "
                    f"on day {healed}, {plural(late, 'day')} after the "
                    f"{plural(downtime, 'day')} the patient accepts; planned "
                    "as set: the physician decides",
                    citations.describe(recovery_data().source_keys()),
                )
            )
        return result

    def _within_downtime(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        result: Dose,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
    ) -> tuple[Prescription, Dose]:
        """Keep the predicted re-epithelialisation within the downtime the patient accepts.

        Drafting limits the prescribed depth with the recovery slot, but what heals is
        what the device delivers: the ablation it reaches and the coagulation its
        wavelength and pulse leave below the floor, which a draft does not prescribe.
        When the dosed prediction heals after the accepted downtime, the ablation depth
        is bisected down, dosing each candidate, to the deepest that heals in time, and a
        finding says so; when no depth the device delivers heals in time, a warning
        finding says by how many days the plan misses.
        """
        downtime = consultation.downtime_days
        healed = request.recovery(prescription, result).reepithelialized_day
        if healed <= downtime:
            return prescription, result
        dosimetry = self.slots["dosimetry"]
        low, high = 0.0, prescription.ablation_depth
        best: tuple[Prescription, Dose] | None = None
        for _ in range(_DOWNTIME_BISECTIONS):
            depth = 0.5 * (low + high)
            candidate = replace(prescription, ablation_depth=depth)
            try:
                dosed = dosimetry(candidate, device, request.simulate)
            except RefusalError:  # shallower than the device delivers
                low = depth
                continue
            if request.recovery(candidate, dosed).reepithelialized_day <= downtime:
                best, low = (candidate, dosed), depth
            else:
                high = depth
        sources = citations.describe(recovery_data().source_keys())
        days = plural(downtime, "day")
        area = prescription.area
        if best is None:
            findings.append(
                Finding(
                    DOWNTIME_RULE,
                    "warning",
                    f"{area_name(area)}: the skin is predicted to re-epithelialise on day "
                    f"{healed}, {plural(healed - downtime, 'day')} after the {days} accepted; "
                    "no depth "
                    f"{device.display_name} delivers heals within them",
                    sources,
                )
            )
            return prescription, result
        fitted, dosed = best
        findings.append(
            Finding(
                DOWNTIME_RULE,
                "info",
                f"{area_name(area)}: {prescription.ablation_depth * UM_PER_M:.0f} µm would "
                "re-epithelialise "
                f"on day {healed}, with the {result.coagulation_depth * UM_PER_M:.0f} µm of "
                f"coagulation the device leaves below the floor; planned "
                f"{fitted.ablation_depth * UM_PER_M:.0f} µm, which re-epithelialises within "
                f"the {days} accepted",
                sources,
            )
        )
        return fitted, dosed

    def plan(
        self,
        consultation: Consultation,
        *,
        start_date: datetime.date | str | None = None,
        overrides: Mapping[str, str] | None = None,
        progress: Callable[[str], None] | None = None,
        consultation_file: str | None = None,
        today: datetime.date | None = None,
    ) -> TreatmentPlan:
        """Plan the treatment of a consultation.

        Parameters
        ----------
        consultation : Consultation
            The patient, goals, areas and history.
        start_date : datetime.date or str, optional
            First session; default the consultation's, else today.
        overrides : mapping of str to str, optional
            Rule id → the clinic's stated reason for overriding it.
        progress : callable, optional
            Called with a short description as each stage starts.
        consultation_file : str, optional
            Where the consultation was read from, kept in the plan.
        today : datetime.date, optional
            The day of planning (default: the system's date); the course starts on it when
            no start date is given, and a start date before it is a warning.

        Returns
        -------
        TreatmentPlan

        Raises
        ------
        RefusalError
            For a hard contraindication that is not overridden, an area the
            rules leave no modality for, or a prescription no device delivers.
        """
        request = PlanRequest(
            overrides=MappingProxyType(clinical_rules.check_overrides(overrides)),
            recovery=self.slots["recovery"],
            simulate=self.slots["simulate"],
            devices=self.devices,
        )
        report = progress or (lambda _stage: None)
        report("clinical rules")
        findings = list(clinical_rules.evaluate(consultation, request.overrides))
        clinical_rules.raise_for_refusal(findings)
        today = today or datetime.date.today()
        start = start_date or consultation.start_date or today
        if isinstance(start, str):
            start = datetime.date.fromisoformat(start)
        if start < today:
            findings.append(
                Finding(
                    PAST_START_RULE,
                    "warning",
                    f"the course is dated from {start.isoformat()}, before the day of planning "
                    f"({today.isoformat()}): give a start date from today on, or leave it out "
                    "to start today",
                    "the consultation's start date",
                )
            )

        areas = []
        for area in consultation.areas:
            report(f"{area}: prescription")
            draft = self.slots["indication"](consultation, area, request)
            findings.extend(draft.findings)
            prescription = self.slots["prescription"](draft, consultation, request)
            device = draft.device
            if device is None:  # a user indication model that chose none
                device = clinical_rules.choose_device(
                    consultation,
                    area,
                    prescription.modality,
                    clinical_rules.load_rules().planning,
                    request.devices,
                )
            report(f"{area}: dosimetry on {device.name}")
            if draft.physician:
                result = self._dose_as_set(prescription, device, consultation, request, findings)
            else:
                try:
                    prescription, result = self._dose(
                        prescription, device, consultation, request, findings
                    )
                except RefusalError as refusal:
                    prescription, device, result = self._fallback(
                        prescription, device, consultation, request, findings, refusal
                    )
                prescription, result = self._within_downtime(
                    prescription, device, result, consultation, request, findings
                )
            findings.extend(_delivered_beyond_cap(prescription, result, request))
            findings.extend(
                _delivered_beyond_skin_type(consultation, prescription, result, request)
            )
            report(f"{area}: scan pattern")
            scan = self.slots["scanner"](prescription, result, device)
            recovery = request.recovery(prescription, result)
            report(f"{area}: laser safety")
            areas.append(
                AreaPlan(
                    prescription,
                    device,
                    result,
                    scan,
                    recovery,
                    draft,
                    laser_safety=laser_safety.assess_device(device, settings=result.settings),
                    eye_protection=eye_protection_for(prescription),
                )
            )

        report("course, comfort and aftercare")
        prescriptions = [area.prescription for area in areas]
        slowest = max(areas, key=lambda a: a.recovery.healing_days).recovery
        course = plan_course(
            prescriptions,
            start,
            correction=consultation.correction,
            skin_type=consultation.skin_type,
        )
        comfort = comfort_for(prescriptions)
        aftercare = aftercare_for(
            prescriptions,
            skin_type=consultation.skin_type,
            recoveries=[area.recovery for area in areas],
        )
        # Every source the plan relied on: the physics behind each dose, the
        # rules behind each finding and area cap, and the recovery model.
        ruleset = clinical_rules.load_rules()
        cited = {finding.rule for finding in findings} | {
            clinical_rules.area_cap(area.prescription.area, overrides=request.overrides).rule
            for area in areas
        }
        instructions = (
            comfort.anaesthesia,
            *comfort.cooling,
            *comfort.eye_protection,
            *aftercare,
            *(item for area in areas for item in area.eye_protection),
        )
        sources = citations.merge(
            *(area.dose.sources for area in areas),
            *(rule.sources for rule in ruleset.rules if rule.id in cited),
            *(area.recovery.sources for area in areas),
            course.source_keys,
            session_data().sources,
            *(item.source_keys for item in instructions),
        )
        return TreatmentPlan(
            consultation=consultation,
            areas=tuple(areas),
            course=course,
            comfort=comfort,
            recovery=slowest,
            aftercare=tuple(aftercare),
            findings=tuple(_unique(findings)),
            overrides=dict(request.overrides),
            models=dict(self.models),
            sources=sources,
            consultation_file=consultation_file,
            caveats=_override_caveats(consultation, request.overrides, ruleset),
        )


def _session_dict(session: SessionTime) -> dict:
    """The plan's ``session``: its steps and totals in minutes, and the clinics' quotes."""
    return {
        "steps": [
            {"step": step.label, **clinical_mapping({"duration": step.duration})}
            for step in session.steps
        ],
        **clinical_mapping({"treatment": session.laser, "session": session.total}),
        "comparison": session.comparison,
        "source": session.source,
    }


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


def _unique(findings):
    seen = set()
    for finding in findings:
        key = (finding.rule, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding
