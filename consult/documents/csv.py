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

_FORMULA_START = ("=", "+", "@", "\t", "\r")
CSV_BATCH_CHARS = 64 * 1024


def _csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas ("CSV injection") in text typed by users.

    A cell that starts like a formula gets a leading apostrophe, as OWASP advises. A dash
    followed by a space ("- Đề nghị ...", a common list marker) is left alone.
    """
    if value.startswith(_FORMULA_START) or (
        value.startswith("-") and len(value) > 1 and not value[1].isspace()
    ):
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
