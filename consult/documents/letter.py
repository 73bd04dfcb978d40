"""A department's official response on a draft ("công văn góp ý dự thảo"), ready to sign and
scan: the administrative frame of Decree 30 (consult.documents.official) around a short text
and the department's comments by section, in a table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from consult.documents.official import (
    OfficialFrame,
    docx_paragraph,
    docx_table_props,
    official_docx,
)
from consult.text import xml_safe

LETTER_LABELS = {
    "col_number": "STT",
    "col_section": "Mục / phần",
    "col_comment": "Nội dung góp ý",
    "col_proposal": "Đề xuất sửa đổi",
    "general_section": "Góp ý chung",
    "quote": "“{quote}”",
    "delete": "Đề xuất bỏ đoạn này.",
    "delete_section": "Đề xuất bỏ mục này.",
    "no_comments": "Không có ý kiến góp ý.",
}
# Column widths (cm) within the A4 text width of Decree 30 margins (16.5 cm).
WIDTHS = (1.1, 3.4, 7.0, 5.0)


@dataclass
class LetterRow:
    section: str  # the section's title, or "" for a general comment
    comment: str
    quote: str | None = None
    proposed_text: str | None = None
    proposes_deletion: bool = False


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def response_letter_docx(
    frame: OfficialFrame,
    opening: list[str],
    rows: Iterable[LetterRow],
    closing: list[str],
    labels: dict[str, str] | None = None,
) -> bytes:
    """The letter: ``opening`` paragraphs, the table of comments by section, ``closing``."""
    labels = {**LETTER_LABELS, **(labels or {})}
    rows = list(rows)

    def body(document) -> None:
        for text in opening:
            docx_paragraph(document, text, first_indent=1.0, after=6)
        if not rows:
            docx_paragraph(document, labels["no_comments"], first_indent=1.0, after=6)
        else:
            _table(document, rows, labels)
        for text in closing:
            docx_paragraph(document, text, first_indent=1.0, before=6, after=6)

    return official_docx(frame, body)


def _table(document, rows: list[LetterRow], labels: dict[str, str]) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    docx_table_props(table, WIDTHS, borders=True)
    head = table.rows[0]
    _repeat_header(head)
    for cell, key in zip(
        head.cells, ("col_number", "col_section", "col_comment", "col_proposal"), strict=True
    ):
        docx_paragraph(cell, labels[key], bold=True, reuse=True)
    previous_section = None
    first_cell = None
    for number, row in enumerate(rows, start=1):
        cells = table.add_row().cells
        docx_paragraph(cells[0], str(number), reuse=True)
        section = row.section or labels["general_section"]
        if section == previous_section and first_cell is not None:
            first_cell = first_cell.merge(cells[1])  # rows of one section share its cell
        else:
            docx_paragraph(cells[1], section, reuse=True)
            first_cell = cells[1]
        previous_section = section
        comment_cell = cells[2]
        reuse = True
        if row.quote:
            docx_paragraph(
                comment_cell, labels["quote"].format(quote=xml_safe(row.quote)), italic=True,
                reuse=True,
            )  # fmt: skip
            reuse = False
        docx_paragraph(comment_cell, row.comment, reuse=reuse)
        if row.proposes_deletion:
            text = labels["delete"] if row.quote else labels["delete_section"]
            docx_paragraph(cells[3], text, bold=True, reuse=True)
        elif row.proposed_text:
            docx_paragraph(cells[3], row.proposed_text, reuse=True)
