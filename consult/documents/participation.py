"""The participation table of a draft as an Excel sheet: who was invited, who answered how,
their contacts and deadlines (the same columns as the participation page)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from consult.documents.common import _vietnam
from consult.text import xml_safe

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# (heading, width in characters); the rows below follow this order.
def _columns() -> list[tuple[str, int]]:
    return [
        (_("Body"), 40),
        (_("Code"), 10),
        (_("E-mail"), 28),
        (_("Phone"), 16),
        (_("Response"), 30),
        (_("Letter no."), 18),
        (_("Submitted at"), 17),
        (_("Comments submitted"), 12),
        (_("Deadline"), 17),
        (_("Last reminded"), 17),
    ]


def _naive(value):
    """A datetime as Vietnam wall-clock time (Excel has no time zones)."""
    value = _vietnam(value)
    return value.replace(tzinfo=None) if value is not None else None


def _values(row: Any) -> list[Any]:
    """One body's row: ``row`` is a participation row (services.comments.Participation)."""
    if row.responses:
        response = "; ".join(str(r.kind.label) for r in row.responses)
        letters = "; ".join(r.letter_number for r in row.responses if r.letter_number)
        submitted = _naive(row.responses[-1].submitted_at)
    else:
        response, letters, submitted = _("Not responded"), "", None
    department = row.department
    return [
        department.name,
        department.code,
        department.email or "",
        department.phone or "",
        response,
        letters,
        submitted,
        row.submitted_comments,
        _naive(row.deadline),
        _naive(row.invitation.reminded_at),
    ]


def write_participation_xlsx(title: str, rows: Iterable[Any]) -> bytes:
    """The workbook: the title, then one row per invited body; prints landscape on A4, one
    page wide, its header repeated."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(_("Participation")[:31])
    bold = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E2F3", "border": 1}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    columns = _columns()
    sheet.write(0, 0, xml_safe(title), bold)
    for col, (heading, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write(1, col, heading, header)
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for col, value in enumerate(_values(row)):
            if value is None or value == "":
                continue
            if hasattr(value, "hour"):
                sheet.write_datetime(r, col, value, stamp)
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, xml_safe(str(value)), wrap)
    sheet.freeze_panes(2, 1)
    sheet.autofilter(1, 0, 1 + count, len(columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    workbook.close()
    return out.getvalue()
