"""Figures of a treatment plan, drawn for print.

Each function takes SI inputs (or the plan's clinical-unit dictionaries) and
returns a :class:`matplotlib.figure.Figure` drawn with matplotlib's object API
on the Agg canvas: no pyplot state, no display. Figures are sized in inches
for an A4 page at 100 % (at most :data:`PAGE_WIDTH` wide), every text is at
least :data:`SMALLEST_FONT` points, and every quantity axis is labelled with
its unit in brackets (:mod:`~dermalase.report.figures.page`).

The five figures of a plan, one module each:

1. :func:`cross_section_figure` (:mod:`~dermalase.report.figures.cross_section`)
   -- the skin layers of an area to scale in depth, with the ablation crater
   and the coagulated tissue (full field) or one column with its coagulated
   sleeve (fractional).
2. :func:`thermal_map_figure` (:mod:`~dermalase.report.figures.thermal_map`)
   -- temperature and thermal damage of one pulse train (full field) or one
   column (fractional).
3. :func:`scan_figure` (:mod:`~dermalase.report.figures.scan_pattern`) -- the
   spots over the treatment area, coloured by firing time, with the area's
   outline and exclusions.
4. :func:`recovery_figure` (:mod:`~dermalase.report.figures.recovery_timeline`)
   -- the recovery phases by day and the longer course of erythema, sun
   avoidance and remodelling.
5. :func:`course_figure` (:mod:`~dermalase.report.figures.course_calendar`)
   -- the sessions of the course on a calendar.

:func:`figure_png` turns a figure into PNG bytes for the HTML and PDF
renderers; :func:`figure_key` names the figures of a plan
(:mod:`~dermalase.report.figures.kinds`). The figures draw what the plan
carries: no module here runs a solver.
"""

from dermalase.report.figures.course_calendar import course_figure
from dermalase.report.figures.cross_section import (
    LAYER_COLOURS,
    VOID_COLOUR,
    cross_section_figure,
)
from dermalase.report.figures.kinds import AREA_FIGURE_KINDS, FIGURE_KINDS, figure_key
from dermalase.report.figures.page import (
    COAGULATION_COLOUR,
    DPI,
    LABEL_FONT,
    LEGEND_FONT,
    PAGE_WIDTH,
    SMALLEST_FONT,
    TICK_FONT,
    TITLE_FONT,
    figure_png,
)
from dermalase.report.figures.recovery_timeline import PHASE_COLOURS, recovery_figure
from dermalase.report.figures.scan_pattern import scan_figure
from dermalase.report.figures.thermal_map import (
    ABLATED_COLOUR,
    OMEGA_COLOUR,
    thermal_map_figure,
)

__all__ = [
    "ABLATED_COLOUR",
    "AREA_FIGURE_KINDS",
    "COAGULATION_COLOUR",
    "DPI",
    "FIGURE_KINDS",
    "LABEL_FONT",
    "LAYER_COLOURS",
    "LEGEND_FONT",
    "OMEGA_COLOUR",
    "PAGE_WIDTH",
    "PHASE_COLOURS",
    "SMALLEST_FONT",
    "TICK_FONT",
    "TITLE_FONT",
    "VOID_COLOUR",
    "course_figure",
    "cross_section_figure",
    "figure_key",
    "figure_png",
    "recovery_figure",
    "scan_figure",
    "thermal_map_figure",
]
