"""A summary report in a given format: one place for the web and the command line."""

from __future__ import annotations

import io
from collections.abc import Callable

from consult.documents import csv, docx, pdf, xlsx
from consult.documents.summary import SummaryReport

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
FORMATS = tuple(MIMETYPES)
# The formats that show the report's charts (`charts_for`): the others are data.
CHART_FORMATS = ("pdf", "docx")


def write_report(report: SummaryReport, fmt: str, out: io.BufferedIOBase, charts=()) -> None:
    """Write ``report`` as ``fmt`` into the binary file ``out``; ``charts`` (SVG documents)
    go into the formats of `CHART_FORMATS`."""
    handlers: dict[str, Callable[[], None]] = {
        "docx": lambda: docx.write_docx(report, out, charts=charts),
        "xlsx": lambda: xlsx.write_xlsx(report, out),
        "csv": lambda: csv.write_csv(report, out),
        "pdf": lambda: pdf.write_pdf(report, out, charts=charts),
    }
    if fmt not in handlers:
        raise ValueError(f"unknown report format {fmt!r}")
    handlers[fmt]()


def report_filename(code: str, draft_number: int, fmt: str) -> str:
    return f"{code}-tong-hop-y-kien-du-thao-{draft_number}.{fmt}"
