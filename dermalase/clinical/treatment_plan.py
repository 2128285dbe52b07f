"""The plan as a document, per area and for the consultation.

:class:`AreaPlan` and :class:`TreatmentPlan` hold what the planner composed; their JSON
view is what every report and command is built from.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from dermalase import __version__, citations
from dermalase.clinical.comfort import Comfort
from dermalase.clinical.consultation import TREATMENT_AREAS, Consultation
from dermalase.clinical.course import Course
from dermalase.clinical.instructions import Instruction
from dermalase.clinical.names import area_name
from dermalase.clinical.recovery import RecoveryTimeline
from dermalase.clinical.rules import Draft, Finding
from dermalase.clinical.rules.caps import treatment_of
from dermalase.clinical.session import SessionTime, session_time
from dermalase.devices import DeviceProfile
from dermalase.dosimetry import Dose
from dermalase.forward.effect import TissueEffect
from dermalase.prescription import Prescription
from dermalase.safety import assessment as laser_safety
from dermalase.scanner.plan import ScanPlan
from dermalase.tissue import skin_model
from dermalase.units import clinical_mapping, to_si

# ------------------------------------------------------------------ the plan

#: Seconds per minute (the comfort data and the scanner give minutes).
S_PER_MIN = 60.0


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
    def treatment(self) -> str:
        """What this row of the area does, in a physician's words.

        ``full field`` or ``fractional`` for ablative work, ``non-ablative fractional``
        for coagulation alone; a hybrid area has two rows, its coagulation and its
        ablation over it.
        """
        prescription = self.prescription
        if self.draft.treatment == "hybrid":
            if prescription.ablation_depth > 0:
                return "hybrid fractional, ablation over the coagulation zones"
            return "hybrid fractional, coagulation"
        if treatment_of(prescription) == "non_ablative":
            return "non-ablative fractional"
        return prescription.modality.replace("_", " ")

    @property
    def figure_area(self) -> str:
        """The name the report's figures of this row go by.

        The area, or for a hybrid's ablative row the area with ``.ablation``: its two rows
        draw different effects.
        """
        prescription = self.prescription
        if self.draft.treatment == "hybrid" and prescription.ablation_depth > 0:
            return f"{prescription.area}.ablation"
        return prescription.area

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
            "treatment": self.treatment,
            "figure_area": self.figure_area,
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


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


def _when(rule: str) -> str:
    """When an aftercare instruction applies, from its id (``aftercare.<when>_...``)."""
    return rule.split(".", 1)[-1].replace("_", " ")


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
