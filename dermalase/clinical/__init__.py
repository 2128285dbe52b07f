"""The clinic: consultation, rules, recovery, course, comfort and aftercare.

A :class:`Consultation` (read by :func:`load_consultation`) is checked against the
clinical rules (:func:`evaluate`: indications, area caps, skin type, contraindications,
precautions, each with its reason and source) and drafted into one device-neutral
:class:`~dermalase.prescription.Prescription` per area (:func:`indication_for`). The
recovery model (:func:`predict_recovery`), the course (:func:`plan_course`), anaesthesia
and eye protection (:func:`comfort_for`) and aftercare (:func:`aftercare_for`) follow
from the prescriptions. Rules, calibration points and instructions are data files in
``dermalase/clinical/data``; every value there names its source or says it is a
modelling choice.
"""

from dermalase.clinical.aftercare import aftercare_for
from dermalase.clinical.comfort import Comfort, anaesthesia_for, comfort_for
from dermalase.clinical.consultation import (
    CONDITIONS,
    CORRECTIONS,
    TREATMENT_AREAS,
    Consultation,
    History,
    load_consultation,
    on_face,
    skin_area,
    treatment_area,
)
from dermalase.clinical.course import Course, plan_course
from dermalase.clinical.instructions import Instruction
from dermalase.clinical.recovery import (
    RecoveryTimeline,
    healing_days,
    predict_recovery,
    recovery_for,
)
from dermalase.clinical.rules import (
    AreaCap,
    Draft,
    Finding,
    RuleSet,
    area_cap,
    available_modalities,
    check_overrides,
    draft_prescriptions,
    evaluate,
    indication_for,
    load_rules,
    raise_for_refusal,
)
from dermalase.clinical.sources import Source, describe, source

__all__ = [
    "CONDITIONS",
    "CORRECTIONS",
    "TREATMENT_AREAS",
    "AreaCap",
    "Comfort",
    "Consultation",
    "Course",
    "Draft",
    "Finding",
    "History",
    "Instruction",
    "RecoveryTimeline",
    "RuleSet",
    "Source",
    "aftercare_for",
    "anaesthesia_for",
    "area_cap",
    "available_modalities",
    "check_overrides",
    "comfort_for",
    "describe",
    "draft_prescriptions",
    "evaluate",
    "healing_days",
    "indication_for",
    "load_consultation",
    "load_rules",
    "on_face",
    "plan_course",
    "predict_recovery",
    "raise_for_refusal",
    "recovery_for",
    "skin_area",
    "source",
    "treatment_area",
]
