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

The stages live in modules named after them, and this module composes them:

- :mod:`~dermalase.clinical.slots`: the model slots and the request of one call;
- :mod:`~dermalase.clinical.fitting`: dosing, fallback routes and the fit to the downtime;
- :mod:`~dermalase.clinical.delivery_checks`: caps and skin-type limits on what the device
  delivers, and the caveats of overridden rules;
- :mod:`~dermalase.clinical.treatment_plan`: the plan per area and for the consultation,
  and its JSON view.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from types import MappingProxyType

from dermalase import citations
from dermalase.clinical import rules as clinical_rules
from dermalase.clinical.aftercare import aftercare_for
from dermalase.clinical.comfort import comfort_for, eye_protection_for
from dermalase.clinical.consultation import Consultation
from dermalase.clinical.course import plan_course
from dermalase.clinical.delivery_checks import (
    _delivered_beyond_cap,
    _delivered_beyond_skin_type,
    _override_caveats,
    _wiped_after_each_pass,
)
from dermalase.clinical.fitting import (
    FALLBACK_RULE,
    DoseFitting,
)
from dermalase.clinical.rules import Draft, Finding
from dermalase.clinical.rules.drafting import stacked
from dermalase.clinical.session import session_data
from dermalase.clinical.slots import MODELS, PlanRequest, _slot
from dermalase.clinical.treatment_plan import CORNEAL_SHIELDS, S_PER_MIN, AreaPlan, TreatmentPlan
from dermalase.devices import DeviceProfile
from dermalase.exceptions import RefusalError
from dermalase.prescription import Prescription
from dermalase.safety import assessment as laser_safety

#: Rule id of the finding that a course starts before the day of planning.
PAST_START_RULE = "course.start_date"

__all__ = [
    "CORNEAL_SHIELDS",
    "FALLBACK_RULE",
    "MODELS",
    "PAST_START_RULE",
    "S_PER_MIN",
    "AreaPlan",
    "PlanRequest",
    "TreatmentPlan",
    "TreatmentPlanner",
]


class TreatmentPlanner(DoseFitting):
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
        # The wound each area's course follows: a hybrid area's stacked wound, else the
        # area's own prescription.
        wounds = []
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
            parts = [
                self._plan_part(
                    prescription, device, draft, consultation, request, findings, report
                )
            ]
            if draft.companion is not None and draft.companion_device is not None:
                # A hybrid: its fractional ablative part, on the same area in the same pass.
                parts.append(
                    self._plan_part(
                        draft.companion,
                        draft.companion_device,
                        draft,
                        consultation,
                        request,
                        findings,
                        report,
                    )
                )
            if len(parts) > 1:
                coagulation, ablation = parts
                wound = stacked(coagulation.dose.delivered(area), ablation.dose.delivered(area))
                recovery = request.recovery(wound, wound)
                parts = [dataclasses.replace(part, recovery=recovery) for part in parts]
                wounds.append(wound)
            else:
                wounds.append(parts[0].prescription)
            areas.extend(parts)

        report("course, comfort and aftercare")
        prescriptions = [area.prescription for area in areas]
        slowest = max(areas, key=lambda a: a.recovery.healing_days).recovery
        course = plan_course(
            wounds,
            start,
            correction=consultation.correction,
            skin_type=consultation.skin_type,
        )
        comfort = comfort_for(prescriptions)
        # Aftercare follows each area's wound: a hybrid area is an open (ablated) wound.
        aftercare = aftercare_for(
            wounds,
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

    def _plan_part(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        draft: Draft,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        report: Callable[[str], None],
    ) -> AreaPlan:
        """Dose, check, scan and assess one prescription of an area (a hybrid has two)."""
        area = prescription.area
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
            prescription, result = self._within_total_cap(
                prescription, device, result, request, findings
            )
        findings.extend(_delivered_beyond_cap(prescription, result, request))
        findings.extend(_delivered_beyond_skin_type(consultation, prescription, result, request))
        findings.extend(_wiped_after_each_pass(prescription, result))
        report(f"{area}: scan pattern")
        scan = self.slots["scanner"](prescription, result, device)
        recovery = request.recovery(prescription, result)
        report(f"{area}: laser safety")
        return AreaPlan(
            prescription,
            device,
            result,
            scan,
            recovery,
            draft,
            laser_safety=laser_safety.assess_device(device, settings=result.settings),
            eye_protection=eye_protection_for(prescription),
        )


def _unique(findings):
    seen = set()
    for finding in findings:
        key = (finding.rule, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding
