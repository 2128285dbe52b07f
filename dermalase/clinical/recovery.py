"""Recovery after ablative resurfacing: healing day, phases, erythema, remodelling.

The model is calibrated against published healing data and kept as data
(``data/recovery.toml``: every point names its source or says it is a modelling choice).

Full field
    Days to re-epithelialise grow with the total injury depth (ablation plus coagulation),
    interpolated piecewise-linearly through (0 µm, 0 d), (5, 1), (20, 2), (50, 4),
    (100, 6), (200, 10): the nano peel and ≤20 µm band (1–2 days), Pozner's
    MicroLaserPeel (≤~50 µm healed at 3–4 days), Tanzi & Alster 2003 (single-pass CO2
    5.5 d, multi-pass Er:YAG 5.1 d) and medium-to-deep Er:YAG (7–10 days). Beyond
    200 µm the last slope is extrapolated (outside the calibration).
Fractional
    Isolated microscopic treatment zones close within about a day (Manstein 2004, columns
    ~300 µm deep); fractional heals faster than full field at matched depth (Zgavec 2014).
    Between those endpoints the model interpolates (a modelling choice)::

        t = t_mtz(d) + (T_ff(d) - t_mtz(d)) * w(c)
        t_mtz(d) = min(T_ff(d), 1 day * max(1, d / 300 µm))
        w(c) = clip((c - 0.15) / 0.85, 0, 1) ** 1.5

    so that coverage 1 gives the full-field time and a deep ablative fractional treatment
    (1 mm columns at 30 %) heals in 4–7 days, as reported for fractional CO2.
Off the face
    Healing days are multiplied by an assumed factor (1.5): the neck lacks the adnexa that
    re-epithelialise wounds (Pozner), but no source gives a number.
Erythema
    ``a * healing_days + b * coagulation_depth * coverage`` [weeks], with ``a`` and ``b``
    solved from the two arms of Tanzi & Alster 2003 (coagulation depths assumed).

Durations are clinical units (days, weeks, months); depths are SI metres.

Examples
--------
>>> timeline = predict_recovery(50e-6, 0.0, 1.0, "full_face", "full_field")
>>> timeline.reepithelialized_day, [phase for _, phase in timeline.phases][:3]
(4, ['redness', 'bronzing', 'dryness'])
>>> predict_recovery(300e-6, 0.0, 0.10, "cheek", "fractional").reepithelialized_day
1
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from dermalase.clinical.consultation import TREATMENT_AREAS
from dermalase.clinical.sources import source
from dermalase.exceptions import InputError
from dermalase.prescription import MODALITIES, Prescription
from dermalase.tissue.areas import AREAS
from dermalase.units import UM_PER_M

#: Days in a week and (mean Gregorian) days in a month.
DAYS_PER_WEEK = 7.0
DAYS_PER_MONTH = 365.2425 / 12

#: Name of the phase that starts on the day of re-epithelialisation.
NEW_SKIN = "new skin"

#: Days after re-epithelialisation that the day-by-day phase list still covers.
PHASE_TAIL_DAYS = 2


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Curve(_Table):
    depth_um: list[float]
    days: list[float]
    sources: list[str]

    @field_validator("depth_um")
    @classmethod
    def _increasing(cls, value: list[float]) -> list[float]:
        if any(b <= a for a, b in pairwise(value)):
            raise ValueError("depths must increase strictly")
        return value


class _Fractional(_Table):
    closure_days: float = Field(gt=0)
    closure_depth_um: float = Field(gt=0)
    isolated_coverage_percent: float = Field(ge=0, lt=100)
    coverage_exponent: float = Field(gt=0)
    sources: list[str]


class _NonAblative(_Table):
    closure_days: float = Field(gt=0)
    shed_days: int = Field(gt=0)
    erythema_days: float = Field(gt=0)
    swelling_days: int = Field(ge=0)
    phase_start_days: dict[str, int]
    sources: list[str]


class _Area(_Table):
    off_face_factor: float = Field(ge=1)
    sources: list[str]


class _ErythemaPoint(_Table):
    arm: str
    healing_days: float = Field(gt=0)
    coagulation_um: float = Field(ge=0)
    erythema_weeks: float = Field(gt=0)


class _Erythema(_Table):
    sources: list[str]
    calibration: list[_ErythemaPoint] = Field(min_length=2, max_length=2)


class _Timing(_Table):
    swelling_fraction: float = Field(gt=0, le=1)
    makeup_delay_days: int = Field(ge=0)
    sun_avoidance_delay_days: int = Field(ge=0)
    sources: list[str]


class _Remodeling(_Table):
    depth_um: list[float]
    months: list[float]
    sources: list[str]


class _Phase(_Table):
    name: str
    start_fraction: float = Field(ge=0, lt=1)


class _Phases(_Table):
    sources: list[str]
    steps: list[_Phase] = Field(min_length=1)


class RecoveryData(_Table):
    """The recovery calibration file (``data/recovery.toml``), validated."""

    full_field: _Curve
    fractional: _Fractional
    non_ablative: _NonAblative
    area: _Area
    erythema: _Erythema
    timing: _Timing
    remodeling: _Remodeling
    phases: _Phases

    def source_keys(self) -> tuple[str, ...]:
        """Every source key the model relies on, in file order, without repeats."""
        groups = (
            self.full_field,
            self.fractional,
            self.non_ablative,
            self.area,
            self.erythema,
            self.timing,
            self.remodeling,
            self.phases,
        )
        return tuple(dict.fromkeys(key for group in groups for key in group.sources))


@cache
def recovery_data() -> RecoveryData:
    """Read and validate the bundled recovery calibration once."""
    raw = resources.files("dermalase.clinical").joinpath("data/recovery.toml").read_text()
    data = RecoveryData.model_validate(tomllib.loads(raw))
    for key in data.source_keys():
        source(key)
    return data


@cache
def erythema_coefficients() -> tuple[float, float]:
    """Erythema per healing day [weeks/day] and per coagulation depth [weeks/m].

    Solved exactly from the two calibration arms (Tanzi & Alster 2003) of
    ``data/recovery.toml``.
    """
    points = recovery_data().erythema.calibration
    matrix = np.array([[p.healing_days, p.coagulation_um / UM_PER_M] for p in points])
    weeks = np.array([p.erythema_weeks for p in points])
    per_day, per_metre = np.linalg.solve(matrix, weeks)
    return float(per_day), float(per_metre)


def _interpolate(x: float, xs: list[float], ys: list[float], extrapolate: bool) -> float:
    """Piecewise-linear interpolation; beyond the last point, the last slope or flat."""
    if x <= xs[-1] or not extrapolate:
        return float(np.interp(x, xs, ys))
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return ys[-1] + slope * (x - xs[-1])


def full_field_days(total_depth: float) -> float:
    """Days to re-epithelialise a full-field wound on the face [days].

    Parameters
    ----------
    total_depth : float
        Ablation plus coagulation depth [m].

    Returns
    -------
    float
        Healing time [days], interpolated through the calibration points.

    Examples
    --------
    >>> full_field_days(50e-6)
    4.0
    """
    curve = recovery_data().full_field
    return _interpolate(total_depth * UM_PER_M, curve.depth_um, curve.days, extrapolate=True)


def coverage_weight(coverage: float) -> float:
    """Weight of the full-field time in a fractional wound [-], 0 (isolated zones) to 1.

    Examples
    --------
    >>> coverage_weight(0.10), coverage_weight(1.0)
    (0.0, 1.0)
    """
    table = recovery_data().fractional
    isolated = table.isolated_coverage_percent / 100
    share = min(max((coverage - isolated) / (1 - isolated), 0.0), 1.0)
    return share**table.coverage_exponent


def _check(ablation_depth: float, coagulation_depth: float, coverage: float, modality: str):
    values = {"ablation_depth": ablation_depth, "coagulation_depth": coagulation_depth}
    for name, value in values.items():
        if not (math.isfinite(value) and value >= 0):
            raise InputError(name, value, "must be a finite depth >= 0 m")
    if not (math.isfinite(coverage) and 0 < coverage <= 1):
        raise InputError("coverage", coverage, "must be > 0 and <= 1")
    if modality not in MODALITIES:
        raise InputError("modality", modality, f"must be one of {', '.join(MODALITIES)}")


def non_ablative(ablation_depth: float, coagulation_depth: float, modality: str) -> bool:
    """Whether a wound is non-ablative: fractional coagulation under an intact surface."""
    return modality == "fractional" and ablation_depth == 0.0 and coagulation_depth > 0.0


def _on_face(area: str) -> bool:
    """Whether a canonical treatment area is on the face (more adnexa to heal from)."""
    if area not in TREATMENT_AREAS:
        raise InputError("area", area, f"must be one of {', '.join(TREATMENT_AREAS)}")
    return AREAS[TREATMENT_AREAS[area]].face


def healing_days(
    ablation_depth: float,
    coagulation_depth: float,
    coverage: float,
    area: str,
    modality: str,
) -> float:
    """Days until the treated skin has re-epithelialised [days].

    Parameters
    ----------
    ablation_depth : float
        Ablation depth (crater or column depth) [m].
    coagulation_depth : float
        Coagulated tissue below the ablation floor [m].
    coverage : float
        Treated fraction of the surface [-]; ignored (taken as 1) for full field.
    area : str
        Treatment area (:data:`dermalase.clinical.consultation.TREATMENT_AREAS`).
    modality : str
        ``"full_field"`` or ``"fractional"``.

    Returns
    -------
    float
        Healing time [days]: non-decreasing in depth and coverage, fractional never longer
        than full field at the same depth.

    Examples
    --------
    >>> round(healing_days(1e-3, 0.0, 0.30, "cheek", "fractional"), 1)
    6.2
    """
    _check(ablation_depth, coagulation_depth, coverage, modality)
    data = recovery_data()
    factor = 1.0 if _on_face(area) else data.area.off_face_factor
    if non_ablative(ablation_depth, coagulation_depth, modality):
        return data.non_ablative.closure_days * factor
    total = ablation_depth + coagulation_depth
    full = full_field_days(total)
    table = data.fractional
    closure = table.closure_days * max(1.0, total * UM_PER_M / table.closure_depth_um)
    isolated = min(full, closure)
    weight = 1.0 if modality == "full_field" else coverage_weight(coverage)
    days = isolated + (full - isolated) * weight
    return days * factor


def remodeling_months(total_depth: float) -> float:
    """Months of collagen remodelling (visible improvement) after an injury [months].

    Parameters
    ----------
    total_depth : float
        Ablation plus coagulation depth, or column depth for fractional work [m].
    """
    table = recovery_data().remodeling
    return _interpolate(total_depth * UM_PER_M, table.depth_um, table.months, extrapolate=False)


def erythema_weeks(
    healing: float, coagulation_depth: float, coverage: float, modality: str
) -> float:
    """Weeks of post-treatment erythema [weeks].

    Parameters
    ----------
    healing : float
        Healing time [days] (:func:`healing_days`).
    coagulation_depth : float
        Coagulation depth [m].
    coverage : float
        Treated fraction [-]; 1 for full field.
    modality : str
        ``"full_field"`` or ``"fractional"``.
    """
    per_day, per_metre = erythema_coefficients()
    treated = 1.0 if modality == "full_field" else coverage
    return per_day * healing + per_metre * coagulation_depth * treated


def phases_by_day(healing: float) -> tuple[tuple[int, str], ...]:
    """Day-by-day phase from day 0 to two days past re-epithelialisation.

    Parameters
    ----------
    healing : float
        Healing time [days].

    Returns
    -------
    tuple of (int, str)
        ``(day, phase)`` for every day; ``"new skin"`` from the re-epithelialisation day.
    """
    steps = recovery_data().phases.steps
    healed = math.ceil(healing)
    days = []
    for day in range(healed + PHASE_TAIL_DAYS + 1):
        fraction = day / healing if healing > 0 else 1.0
        current = [step.name for step in steps if step.start_fraction <= fraction][-1]
        days.append((day, NEW_SKIN if day >= healed else current))
    return tuple(days)


@dataclass(frozen=True)
class RecoveryTimeline:
    """Predicted recovery of one treated area.

    Parameters
    ----------
    area : str
        Treatment area.
    healing_days : float
        Time to re-epithelialise [days].
    reepithelialized_day : int
        Day (counted from the treatment, day 0) by which the skin has closed [day].
    makeup_day : int
        First day make-up can be worn [day].
    swelling_days : int
        Days of swelling [days].
    sun_avoidance_days : int
        Days of strict sun avoidance [days].
    erythema_weeks : float
        Duration of redness [weeks].
    remodeling_months : float
        Months over which collagen remodelling keeps improving the result [months].
    phases : tuple of (int, str)
        Day-by-day phase.
    sources : tuple of str
        Source keys of the model (:mod:`dermalase.clinical.sources`).
    """

    area: str
    healing_days: float
    reepithelialized_day: int
    makeup_day: int
    swelling_days: int
    sun_avoidance_days: int
    erythema_weeks: float
    remodeling_months: float
    phases: tuple[tuple[int, str], ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict:
        """JSON-ready view in clinical units (days, weeks, months)."""
        return {
            "area": self.area,
            "healing_days": round(self.healing_days, 1),
            "reepithelialized_day": self.reepithelialized_day,
            "makeup_day": self.makeup_day,
            "swelling_days": self.swelling_days,
            "sun_avoidance_days": self.sun_avoidance_days,
            "erythema_weeks": round(self.erythema_weeks, 1),
            "remodeling_months": round(self.remodeling_months, 1),
            "phases": [{"day": day, "phase": phase} for day, phase in self.phases],
        }


def predict_recovery(
    ablation_depth: float,
    coagulation_depth: float,
    coverage: float,
    area: str,
    modality: str,
) -> RecoveryTimeline:
    """Predict the recovery of one area from its tissue effect.

    Parameters
    ----------
    ablation_depth : float
        Ablation depth (crater or column depth) [m].
    coagulation_depth : float
        Coagulated tissue below the ablation floor [m].
    coverage : float
        Treated fraction of the surface [-] (1 for full field).
    area : str
        Canonical treatment area (as a consultation stores it).
    modality : str
        ``"full_field"`` or ``"fractional"``.

    Returns
    -------
    RecoveryTimeline
        Healing day, phases, swelling, make-up day, sun avoidance [days]; erythema
        [weeks]; remodelling [months].

    Examples
    --------
    >>> timeline = predict_recovery(150e-6, 50e-6, 1.0, "perioral", "full_field")
    >>> timeline.reepithelialized_day, round(timeline.erythema_weeks, 1)
    (10, 6.9)
    """
    healing = healing_days(ablation_depth, coagulation_depth, coverage, area, modality)
    if non_ablative(ablation_depth, coagulation_depth, modality):
        return _non_ablative_recovery(healing, coagulation_depth, area)
    timing = recovery_data().timing
    healed = math.ceil(healing)
    return RecoveryTimeline(
        area=area,
        healing_days=healing,
        reepithelialized_day=healed,
        makeup_day=healed + timing.makeup_delay_days,
        swelling_days=max(1, math.ceil(timing.swelling_fraction * healing)) if healing else 0,
        sun_avoidance_days=healed + timing.sun_avoidance_delay_days,
        erythema_weeks=erythema_weeks(healing, coagulation_depth, coverage, modality),
        remodeling_months=remodeling_months(ablation_depth + coagulation_depth),
        phases=phases_by_day(healing),
        sources=recovery_data().source_keys(),
    )


def _non_ablative_recovery(healing: float, coagulation_depth: float, area: str) -> RecoveryTimeline:
    """Recovery after non-ablative fractional coagulation: days of redness, swelling, flaking.

    ``healing`` is the closure time [days] (:func:`healing_days`), ``coagulation_depth``
    the zone depth [m]; the phases and durations are those of ``[non_ablative]`` in
    ``data/recovery.toml``.
    """
    table = recovery_data().non_ablative
    healed = math.ceil(healing)
    starts = sorted(table.phase_start_days.items(), key=lambda item: item[1])
    phases = []
    for day in range(table.shed_days + 1):
        current = [name for name, start in starts if start <= day]
        phases.append((day, NEW_SKIN if day >= table.shed_days else current[-1]))
    return RecoveryTimeline(
        area=area,
        healing_days=healing,
        reepithelialized_day=healed,
        makeup_day=healed,
        swelling_days=table.swelling_days,
        sun_avoidance_days=healed,
        erythema_weeks=table.erythema_days / DAYS_PER_WEEK,
        remodeling_months=remodeling_months(coagulation_depth),
        phases=tuple(phases),
        sources=recovery_data().source_keys(),
    )


def recovery_for(prescription: Prescription) -> RecoveryTimeline:
    """Predict the recovery of a prescription, taking its depths as delivered.

    Parameters
    ----------
    prescription : Prescription
        Area, modality, depths [m] and coverage [-].

    Returns
    -------
    RecoveryTimeline
    """
    return predict_recovery(
        prescription.ablation_depth,
        prescription.coagulation_depth,
        prescription.coverage,
        prescription.area,
        prescription.modality,
    )


class Wound(Protocol):
    """What reaches the skin, as a recovery model reads it (a Dose or a Prescription)."""

    @property
    def ablation_depth(self) -> float:
        """Depth of tissue removed [m]."""
        ...

    @property
    def coagulation_depth(self) -> float:
        """Coagulated layer below the ablation [m]."""
        ...

    @property
    def coverage(self) -> float:
        """Fraction of the surface treated [-]."""
        ...


def healing_bands(prescription: Prescription, effect: Wound) -> RecoveryTimeline:
    """The default recovery model of the planner's recovery slot.

    Parameters
    ----------
    prescription : Prescription
        Area and modality.
    effect : Dose or Prescription
        What reaches the skin: anything with ``ablation_depth`` [m],
        ``coagulation_depth`` [m] and ``coverage`` [-]; the dose the device delivers, or,
        while a draft is shaped, the candidate prescription itself.

    Returns
    -------
    RecoveryTimeline
        As :func:`predict_recovery` gives it for the effect's depths and coverage.
    """
    return predict_recovery(
        effect.ablation_depth,
        effect.coagulation_depth,
        effect.coverage,
        prescription.area,
        prescription.modality,
    )
