"""The audit log as CSV or XLSX: the rows the administrator filtered, newest first."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from typing import IO

from flask_babel import gettext as _

from consult.models import AuditEvent
from consult.reports.writers import _clean, _csv_safe
from consult.timeutil import VIETNAM

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _headings() -> list[str]:
    return [
        _("Time"), _("Action"), _("User"), _("Email"), _("IP address"), _("Object"),
        _("Object id"), _("Details"),
    ]  # fmt: skip


def _values(event: AuditEvent) -> list:
    return [
        event.created_at.astimezone(VIETNAM).replace(tzinfo=None),
        event.action.label,
        event.actor.full_name if event.actor else "",
        event.actor_email or "",
        event.ip or "",
        event.object_type or "",
        event.object_id,
        event.detail or "",
    ]


def write_csv(events: Iterable[AuditEvent], fileobj: IO[bytes]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    fileobj.write(codecs.BOM_UTF8)
    writer.writerow(_headings())
    for event in events:
        row = _values(event)
        row[0] = row[0].isoformat(timespec="seconds")
        # Emails and details are typed by anyone at the sign-in form: never a formula.
        writer.writerow(["" if v is None else _csv_safe(_clean(str(v))) for v in row])
        fileobj.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()


def write_xlsx(events: Iterable[AuditEvent], fileobj: IO[bytes]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        fileobj,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )  # fmt: skip
    sheet = workbook.add_worksheet(_("Audit log")[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    for col, (title, width) in enumerate(zip(_headings(), (19, 28, 24, 30, 16, 16, 10, 60))):
        sheet.set_column(col, col, width, stamp if col == 0 else None)
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    last = 0
    for last, event in enumerate(events, start=1):
        for col, value in enumerate(_values(event)):
            if col == 0:
                sheet.write_datetime(last, col, value, stamp)
            elif isinstance(value, int):
                sheet.write_number(last, col, value)
            elif value:
                sheet.write_string(last, col, _clean(str(value)))
    sheet.autofilter(0, 0, max(last, 1), 7)
    workbook.close()
