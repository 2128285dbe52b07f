"""The figures of a treatment plan, rendered to PNG bytes.

Composes :mod:`dermalase.report.figures` with the plan's own objects: the skin
of each area, one pulse or column run again with temperature snapshots, the
scan pattern, the recovery timeline and the course. Holds no physics.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dermalase.clinical.consultation import skin_area
from dermalase.forward.full_field import simulate
from dermalase.report import figures
from dermalase.scanner.areas import template
from dermalase.tissue import skin_model

#: Times after the pulse start at which the full-field temperature profile is
#: drawn, as multiples of the pulse duration (during, at the end, cooling).
SNAPSHOT_MULTIPLES = (0.5, 1.0, 3.0, 30.0, 300.0)


def _skin(area: str):
    """The skin model standing in for a treatment area, titled with the area's own name."""
    return replace(skin_model(skin_area(area)), area=area.replace("_", " "))


def _thermal_effect(area_plan):
    """One pulse (full field) or one column (fractional) with its maps."""
    settings = area_plan.dose.settings
    skin = _skin(area_plan.prescription.area)
    if settings.fractional:
        from dermalase.forward.fractional import simulate_column

        return simulate_column(
            settings.wavelength,
            settings.energy,
            settings.spot_diameter,
            skin,
            pulse_duration=settings.pulse_duration,
            pulses=settings.pulses,
            repetition_rate=settings.repetition_rate,
        )
    single = settings.__class__(
        wavelength=settings.wavelength,
        fluence=settings.fluence,
        pulse_duration=settings.pulse_duration,
    )
    times = np.array(SNAPSHOT_MULTIPLES) * settings.pulse_duration
    return simulate(single, skin, snapshot_times=times)


def plan_figures(plan, progress=None) -> dict[str, bytes]:
    """Render every figure of a plan.

    Parameters
    ----------
    plan : TreatmentPlan
        The plan (:mod:`dermalase.clinical.planner`).
    progress : callable, optional
        Called with a short description before each area's figures.

    Returns
    -------
    dict of str to bytes
        PNG bytes by figure key (:func:`dermalase.report.figures.figure_key`):
        per area the cross-section, the thermal map and the scan; then the
        recovery timeline and the course calendar.
    """
    report = progress or (lambda _stage: None)
    rendered = {}
    for area_plan in plan.areas:
        area = area_plan.prescription.area
        report(f"{area}: figures")
        result = area_plan.dose
        column = _thermal_effect(area_plan)
        skin = _skin(area)
        extra = {}
        if area_plan.prescription.modality == "fractional":
            extra = dict(
                ablation_diameter=column.ablation_diameter,
                coagulation_cuff=column.coagulation_cuff,
                mtz_diameter=result.mtz_diameter,
            )
        rendered[figures.figure_key("cross_section", area)] = figures.figure_png(
            figures.cross_section_figure(
                skin,
                area_plan.prescription.modality,
                result.ablation_depth,
                result.coagulation_depth,
                **extra,
            )
        )
        rendered[figures.figure_key("thermal", area)] = figures.figure_png(
            figures.thermal_map_figure(column)
        )
        scan = area_plan.scan
        rendered[figures.figure_key("scan", area)] = figures.figure_png(
            figures.scan_figure(
                template(area.replace("_", "-")),
                scan.x,
                scan.y,
                scan.t,
                spot_diameter=scan.zone_diameter,
                passes=scan.passes,
            )
        )
    # Only the recovery and course parts of the plan are drawn: render those,
    # not the whole plan object again.
    rendered[figures.figure_key("recovery")] = figures.figure_png(
        figures.recovery_figure(plan.recovery.to_dict())
    )
    rendered[figures.figure_key("course")] = figures.figure_png(
        figures.course_figure(plan.course.to_dict())
    )
    return rendered
