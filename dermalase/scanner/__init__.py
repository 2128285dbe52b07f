"""The computer-guided scanner: treatment areas, spot patterns, order, timing, heating.

The submodules are layered: :mod:`~dermalase.scanner.areas` (polygons in mm),
:mod:`~dermalase.scanner.pattern` (spot centres), :mod:`~dermalase.scanner.order`
(firing order), :mod:`~dermalase.scanner.timing` (firing times and duration),
:mod:`~dermalase.scanner.heating` (bulk heating figures), and
:mod:`~dermalase.scanner.plan`, which composes them into a :class:`ScanPlan`.
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
