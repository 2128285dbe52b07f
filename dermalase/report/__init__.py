"""The plan report: figures, a self-contained HTML page, a PDF and the plan's JSON Schema."""

from dermalase.report.html import render_html
from dermalase.report.pdf import render_pdf
from dermalase.report.schema import SCHEMAS, plan_schema
from dermalase.report.writer import (
    REPORT_FILES,
    check_output_directory,
    write_plan_report,
    write_report,
)

__all__ = [
    "REPORT_FILES",
    "SCHEMAS",
    "check_output_directory",
    "plan_schema",
    "render_html",
    "render_pdf",
    "write_plan_report",
    "write_report",
]
