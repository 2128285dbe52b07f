"""The figures of a treatment plan, rendered to PNG bytes.

Composes :mod:`dermalase.report.figures` with the plan's own objects: the skin
of each area, the tissue effect the plan carries (simulated once by the
planner's forward-model slot, with its maps), the scan pattern, the recovery
timeline and the course. Runs no solver and holds no physics, so a figure
shows exactly the numbers of the plan's tables.
"""

from __future__ import annotations

from dataclasses import replace

from dermalase.clinical.consultation import skin_area
from dermalase.report import figures
from dermalase.scanner.areas import template
from dermalase.tissue import skin_model


def _skin(area: str):
    """The skin model standing in for a treatment area, titled with the area's own name."""
    return replace(skin_model(skin_area(area)), area=area.replace("_", " "))


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
        effect = area_plan.effect
        skin = _skin(area)
        extra = {}
        if effect.fractional:
            extra = dict(
                ablation_diameter=effect.ablation_diameter,
                coagulation_cuff=effect.coagulation_cuff,
                mtz_diameter=effect.mtz_diameter,
            )
        key = area_plan.figure_area
        rendered[figures.figure_key("cross_section", key)] = figures.figure_png(
            figures.cross_section_figure(
                skin,
                effect.modality,
                effect.ablation_depth,
                effect.coagulation_depth,
                **extra,
            )
        )
        if effect.has_maps:  # a response-table prediction keeps no maps to draw
            rendered[figures.figure_key("thermal", key)] = figures.figure_png(
                figures.thermal_map_figure(replace(effect, skin=skin))
            )
        scan = area_plan.scan
        rendered[figures.figure_key("scan", key)] = figures.figure_png(
            figures.scan_figure(
                template(area),
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
