"""The computer-guided scanner: treatment areas, spot patterns, order, timing, heating.

The submodules are layered: :mod:`~dermalase.scanner.areas` (polygons in mm),
:mod:`~dermalase.scanner.pattern` (spot centres), :mod:`~dermalase.scanner.order`
(firing order), :mod:`~dermalase.scanner.timing` (firing times and duration),
:mod:`~dermalase.scanner.heating` (bulk heating figures). A scan's own stages build
on them: :mod:`~dermalase.scanner.request` (input and device checks),
:mod:`~dermalase.scanner.settings` (fluence, energy, rate, speed, pattern tile),
:mod:`~dermalase.scanner.residual_heat` (heat left per spot),
:mod:`~dermalase.scanner.layout` (zones laid and coverage) and
:mod:`~dermalase.scanner.firing` (order, timing and heat against raster);
:mod:`~dermalase.scanner.plan` composes them into a :class:`ScanPlan`
(:mod:`~dermalase.scanner.scan_plan`).
"""

from dermalase.scanner.areas import TreatmentArea, load_area, template, template_names
from dermalase.scanner.plan import ScanPlan, compare_orders, scan_area, total_minutes

__all__ = [
    "ScanPlan",
    "TreatmentArea",
    "compare_orders",
    "load_area",
    "scan_area",
    "template",
    "template_names",
    "total_minutes",
]
