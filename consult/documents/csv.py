"""CSV files (UTF-8 with a BOM, for Excel): the summary report and the audit log.

No cell starts a formula: text typed by users is defused.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import IO, TYPE_CHECKING

from consult.documents.common import (
    _SHEET_COLUMNS,
    _audit_headings,
    _audit_values,
    _clean,
    _labels,
    _sheet_values,
)
from consult.documents.summary import SummaryReport

if TYPE_CHECKING:
    from consult.models import AuditEvent

# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------

# Every start a spreadsheet may take for a formula. "-" always, "- " included: LibreOffice
# Calc 7.4 evaluates neither "- 2+3" nor "-1+2" from a CSV file (only "="), but Excel takes a
# leading minus for a formula and allows spaces after it ("- 2+3+cmd|..." would run there),
# and Excel is what departments open these files in. The cost, an apostrophe before a list
# item that starts a cell, is the one OWASP accepts.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_BATCH_CHARS = 64 * 1024


def _csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas ("CSV injection") in text typed by users: a cell that
    starts like a formula gets a leading apostrophe, as OWASP advises."""
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(report: SummaryReport, fileobj: IO[bytes]) -> None:
    """Write the table as CSV into the binary file object `fileobj` (only `write` is used).

    UTF-8 with a byte-order mark so Excel reads the Vietnamese text, comma-separated,
    CRLF line ends, the same columns as the XLSX sheet 1, datetimes as ISO 8601 in
    Vietnam time ("2018-05-10T09:30:00+07:00"). Text cells that would start a formula get
    a leading apostrophe. Rows are encoded and written in small batches as they come.
    """
    labels = _labels(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> None:
        fileobj.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    fileobj.write(codecs.BOM_UTF8)
    writer.writerow([labels[key] for key, _w, _k in _SHEET_COLUMNS])
    for row in report.rows:
        out: list[str] = []
        for value in _sheet_values(row, labels):
            if value is None:
                out.append("")
            elif isinstance(value, datetime):
                out.append(value.isoformat(timespec="seconds"))
            elif isinstance(value, int):
                out.append(str(value))
            else:
                out.append(_csv_safe(value))
        writer.writerow(out)
        if buffer.tell() >= CSV_BATCH_CHARS:
            flush()
    flush()


def write_audit_csv(events: Iterable[AuditEvent], fileobj: IO[bytes]) -> None:
    """The audit events as CSV, in the order given (the administrator's filter)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    fileobj.write(codecs.BOM_UTF8)
    writer.writerow(_audit_headings())
    for event in events:
        row = _audit_values(event)
        row[0] = row[0].isoformat(timespec="seconds")
        # Emails and details are typed by anyone at the sign-in form: never a formula.
        writer.writerow(["" if v is None else _csv_safe(_clean(str(v))) for v in row])
        fileobj.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
