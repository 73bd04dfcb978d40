"""Write a `SummaryReport` as Word, Excel, CSV or PDF, and draw small SVG bar charts.

Pure functions: no Flask app, no database. Every writer iterates `report.rows` exactly once
and keeps no list of rows, so `rows` may be a generator over millions of comments:

- `write_xlsx`, `write_csv` and `write_docx` stream: they write into a binary file object
  the caller passes (an open file, a `BytesIO`, a temporary file for `send_file`) and hold
  one row at a time (XlsxWriter in constant-memory mode spills rows to a temporary file;
  the DOCX table rows are written as XML straight into the document's zip entry, around a
  skeleton that python-docx makes).
- `write_pdf` returns the whole document as bytes. It holds the document being built in
  memory (not the rows), so it suits reports of up to some tens of thousands of rows;
  offer XLSX, CSV or DOCX for larger ones.

Every string the documents print comes from the report's labels, laid over
`VIETNAMESE_LABELS` (see `consult.reports.model`). Datetimes are shown in Vietnam time.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from consult.reports.model import VIETNAMESE_LABELS, ReportRow, SummaryReport
from consult.text import xml_safe
from consult.timeutil import VIETNAM

__all__ = [
    "DOCX_FONT",
    "FONT_DIR",
    "render_svg_bar_chart",
    "write_csv",
    "write_docx",
    "write_pdf",
    "write_xlsx",
]

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
DOCX_FONT = "Times New Roman"
PDF_FONT = "DejaVu Sans"  # the family name SVG charts ask for, too
PDF_FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
# Excel refuses longer cell texts, and more rows in a sheet (the header takes one).
XLSX_MAX_TEXT = 32767
XLSX_MAX_ROWS = 1_048_575


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------


def _labels(report: SummaryReport) -> dict[str, str]:
    return {**VIETNAMESE_LABELS, **(report.labels or {})}


_clean = xml_safe


def _num(n: int, labels: dict[str, str]) -> str:
    return f"{n:,}".replace(",", labels.get("thousands_sep", ","))


def _vietnam(value: datetime | None) -> datetime | None:
    """An aware datetime in Vietnam time; a naive one is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VIETNAM)


def _short_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _vietnam(value).date()
    return value.strftime("%d/%m/%Y")


def _place_date(report: SummaryReport, labels: dict[str, str]) -> str:
    """The place and date line; Decree 30 pads days below 10 and months 1-2 with a zero."""
    d = report.issued_on
    return labels["place_date"].format(
        place=report.place,
        day=f"{d.day:02d}",
        month=f"{d.month:02d}" if d.month < 3 else str(d.month),
        year=d.year,
        day_num=d.day,
        month_num=d.month,
        month_name=labels.get(f"month_{d.month}", str(d.month)),
    )


def _title_lines(report: SummaryReport, labels: dict[str, str]) -> list[str]:
    return [
        labels["title"],
        labels["title_draft"].format(
            title=report.proposal_title.upper(), number=report.draft_number
        ),
    ]


def _count_paragraphs(report: SummaryReport, labels: dict[str, str]) -> list[tuple[str, int]]:
    """The counts as (text, level) paragraphs: level 0 for "1.", "2.", level 1 below."""
    c = report.counts
    sep = labels["list_separator"]

    def items(mapping: dict[str, int]) -> str:
        return sep.join(
            labels["count_item"].format(label=k, n=_num(v, labels)) for k, v in mapping.items()
        )

    out: list[tuple[str, int]] = []
    if c.consulted_by_kind:
        out.append(
            (
                labels["count_consulted"].format(
                    n=_num(c.consulted, labels), by_kind=items(c.consulted_by_kind)
                ),
                0,
            )
        )
    else:
        out.append((labels["count_consulted_plain"].format(n=_num(c.consulted, labels)), 0))
    if report.period_opens and report.period_closes:
        out.append(
            (
                labels["count_period"].format(
                    opens=_short_date(report.period_opens),
                    closes=_short_date(report.period_closes),
                ),
                1,
            )
        )
    out.append((labels["count_letters"].format(n=_num(c.letters_received, labels)), 1))
    out.append((labels["count_results"].format(n=_num(c.responded, labels)), 0))
    if c.agreed:
        bodies = sep.join(
            labels["agreed_with_letter"].format(body=body, letter=letter) if letter else body
            for body, letter in c.agreed
        )
        out.append((labels["count_agreed"].format(n=_num(len(c.agreed), labels), bodies=bodies), 1))
    else:
        out.append((labels["count_agreed_zero"], 1))
    out.append(
        (
            labels["count_commented"].format(
                n=_num(c.commented, labels), comments=_num(c.comments, labels)
            ),
            1,
        )
    )
    if c.by_status:
        out.append((labels["count_by_status"].format(items=items(c.by_status)), 1))
    if c.not_responded:
        out.append(
            (
                labels["count_not_responded"].format(
                    n=_num(len(c.not_responded), labels), bodies=sep.join(c.not_responded)
                ),
                1,
            )
        )
    else:
        out.append((labels["count_not_responded_zero"], 1))
    if c.silence_counts_as_agreement:
        out.append((labels["silence_agreement"], 1))
    return [(_clean(text), level) for text, level in out]


def _group_key(row: ReportRow) -> tuple[str | None, str, str]:
    return (row.section_key, row.section_number, row.section_heading)


def _section_title(row: ReportRow, labels: dict[str, str]) -> str:
    if row.section_key is None:
        return labels["general_section"]
    number = (row.section_number or "").strip()
    heading = (row.section_heading or "").strip()
    if number and heading:
        joiner = " " if number.endswith((".", ":", ")")) else ". "
        return _clean(f"{number}{joiner}{heading}")
    return _clean(number or heading)


def _comment_parts(row: ReportRow, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The comment cell as (style, text) paragraphs: quote in italics, comment, proposal."""
    parts: list[tuple[str, str]] = []
    if row.quote and row.quote.strip():
        parts.append(("I", labels["quote"].format(quote=_clean(row.quote.strip()))))
    parts.append(("", _clean(row.comment)))
    if row.proposed_text and row.proposed_text.strip():
        parts.append(("BI", labels["proposed_prefix"]))
        parts.append(("", _clean(row.proposed_text.strip())))
    return parts


def _once(rows: Iterable[ReportRow]) -> Iterator[ReportRow]:
    """A single pass over the rows (a list is fine too; it is not copied)."""
    return iter(rows)


# --------------------------------------------------------------------------------------
# Spreadsheet columns, shared by XLSX and CSV
# --------------------------------------------------------------------------------------

# (label key, width in Excel characters, kind) — kind "int", "text", "datetime".
_SHEET_COLUMNS: list[tuple[str, float, str]] = [
    ("xcol_number", 6, "int"),
    ("xcol_section_number", 10, "text"),
    ("xcol_section_heading", 28, "text"),
    ("xcol_departments", 30, "text"),
    ("xcol_kind", 16, "text"),
    ("xcol_source", 12, "text"),
    ("xcol_quote", 36, "text"),
    ("xcol_comment", 60, "text"),
    ("xcol_proposed", 36, "text"),
    ("xcol_answer", 60, "text"),
    ("xcol_status", 18, "text"),
    ("xcol_submitted_at", 17, "datetime"),
    ("xcol_answered_at", 17, "datetime"),
    ("xcol_comment_ids", 14, "text"),
]


def _sheet_values(row: ReportRow, labels: dict[str, str]) -> list[Any]:
    return [
        row.number,
        row.section_number if row.section_key is not None else "",
        row.section_heading if row.section_key is not None else labels["general_section"],
        "; ".join(row.departments),
        row.kind,
        row.source,
        row.quote or "",
        row.comment,
        row.proposed_text or "",
        row.answer or "",
        row.status,
        _vietnam(row.submitted_at),
        _vietnam(row.answered_at),
        ", ".join(str(i) for i in row.comment_ids),
    ]


# --------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------


def _sheet_name(name: str, fallback: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'")[:31]
    return name or fallback


def write_xlsx(report: SummaryReport, fileobj: IO[bytes]) -> None:
    """Write the report as an Excel workbook into the binary file object `fileobj`.

    Sheet 1 has one row per `ReportRow` (bold frozen header, autofilter, wrapped text,
    Excel datetimes in Vietnam time); sheet 2 the counts. Past Excel's 1,048,575 rows the
    rows go on in further sheets ("<name> (2)", ...) after the counts. XlsxWriter runs in
    constant-memory mode: rows are flushed as they come. `fileobj` is not closed.
    """
    import xlsxwriter

    labels = _labels(report)
    workbook = xlsxwriter.Workbook(
        fileobj,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties(
        {
            "title": _clean(" ".join(_title_lines(report, labels))),
            "author": _clean(report.issuing_body),
            "created": datetime.combine(report.issued_on, datetime.min.time()),
        }
    )
    header = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E2F3", "border": 1}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    number = workbook.add_format({"valign": "top", "align": "center"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    bold = workbook.add_format({"bold": True})

    def text(value: str) -> str:
        value = _clean(value)
        if len(value) > XLSX_MAX_TEXT // 2 and len(value.encode("utf-16-le")) > 2 * XLSX_MAX_TEXT:
            # Excel counts UTF-16 code units.
            cut = value.encode("utf-16-le")[: 2 * (XLSX_MAX_TEXT - 1)]
            value = cut.decode("utf-16-le", errors="ignore") + "…"
        return value

    row_sheet_name = _sheet_name(labels["sheet_rows"], "Sheet1")
    sheets = [workbook.add_worksheet(row_sheet_name)]
    stats = workbook.add_worksheet(_sheet_name(labels["sheet_counts"], "Sheet2"))

    def start_sheet(sheet: Any) -> None:
        for col, (key, width, kind) in enumerate(_SHEET_COLUMNS):
            fmt = {"int": number, "datetime": stamp}.get(kind, wrap)
            sheet.set_column(col, col, width, fmt)
            sheet.write_string(0, col, labels[key], header)
        sheet.freeze_panes(1, 0)

    def end_sheet(sheet: Any, last_row: int) -> None:
        sheet.autofilter(0, 0, last_row, len(_SHEET_COLUMNS) - 1)

    sheet = sheets[0]
    start_sheet(sheet)
    r = 0
    for row in _once(report.rows):
        if r == XLSX_MAX_ROWS:
            # Excel's limit: go on in another sheet, "<name> (2)", after the counts sheet.
            end_sheet(sheet, r)
            suffix = f" ({len(sheets) + 1})"
            sheet = workbook.add_worksheet(row_sheet_name[: 31 - len(suffix)] + suffix)
            sheets.append(sheet)
            start_sheet(sheet)
            r = 0
        r += 1
        for col, value in enumerate(_sheet_values(row, labels)):
            kind = _SHEET_COLUMNS[col][2]
            if value is None or value == "":
                continue
            if kind == "int":
                sheet.write_number(r, col, value, number)
            elif kind == "datetime":
                sheet.write_datetime(r, col, value.replace(tzinfo=None), stamp)
            else:
                sheet.write_string(r, col, text(value), wrap)
    end_sheet(sheet, r)

    # Sheet 2: label / value rows, then the named bodies.
    c = report.counts
    stats.set_column(0, 0, 55)
    stats.set_column(1, 1, 30)
    r = 0
    stats.write_string(r, 0, labels["stat_label"], header)
    stats.write_string(r, 1, labels["stat_value"], header)
    stats.freeze_panes(1, 0)
    entries: list[tuple[str, Any]] = [
        (labels["stat_issuing_body"], report.issuing_body),
        (labels["stat_proposal"], report.proposal_title),
        (labels["stat_draft_number"], report.draft_number),
        (labels["stat_issued_on"], report.issued_on),
    ]
    if report.period_opens:
        entries.append((labels["stat_period_opens"], report.period_opens))
    if report.period_closes:
        entries.append((labels["stat_period_closes"], report.period_closes))
    entries += [
        (labels["stat_consulted"], c.consulted),
        *((labels["stat_by_kind"].format(label=k), v) for k, v in c.consulted_by_kind.items()),
        (labels["stat_letters"], c.letters_received),
        (labels["stat_responded"], c.responded),
        (labels["stat_agreed"], len(c.agreed)),
        (labels["stat_commented"], c.commented),
        (labels["stat_comments"], c.comments),
        *((labels["stat_by_status"].format(label=k), v) for k, v in c.by_status.items()),
        (labels["stat_not_responded"], len(c.not_responded)),
        (
            labels["stat_silence"],
            labels["yes"] if c.silence_counts_as_agreement else labels["no"],
        ),
    ]
    for label, value in entries:
        r += 1
        stats.write_string(r, 0, text(label))
        if isinstance(value, bool):
            stats.write_string(r, 1, str(value))
        elif isinstance(value, int):
            stats.write_number(r, 1, value)
        elif isinstance(value, datetime):
            stats.write_datetime(r, 1, _vietnam(value).replace(tzinfo=None), stamp)
        elif isinstance(value, date):
            stats.write_datetime(r, 1, value, day)
        else:
            stats.write_string(r, 1, text(str(value)))
    r += 2
    stats.write_string(r, 0, labels["stat_agreed_bodies"], bold)
    stats.write_string(r, 1, labels["stat_letter"], bold)
    for body, letter in c.agreed:
        r += 1
        stats.write_string(r, 0, text(body))
        if letter:
            stats.write_string(r, 1, text(letter))
    r += 2
    stats.write_string(r, 0, labels["stat_not_responded_bodies"], bold)
    for body in c.not_responded:
        r += 1
        stats.write_string(r, 0, text(body))
    workbook.close()


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
    for row in _once(report.rows):
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


# --------------------------------------------------------------------------------------
# DOCX (Decree 30/2020/NĐ-CP layout)
# --------------------------------------------------------------------------------------

# Page geometry in twentieths of a point, exactly as Word stores it.
A4_WIDTH_TWIPS = 11906  # 210 mm
A4_HEIGHT_TWIPS = 16838  # 297 mm
MARGIN_TOP_TWIPS = 1134  # 2 cm
MARGIN_BOTTOM_TWIPS = 1134  # 2 cm
MARGIN_LEFT_TWIPS = 1701  # 3 cm
MARGIN_RIGHT_TWIPS = 850  # 1.5 cm
HEADER_DISTANCE_TWIPS = 567  # 1 cm: the page number sits in the top margin

# Font sizes (pt).
DOCX_BODY_PT = 13
DOCX_TABLE_PT = 12
DOCX_HEADING_BLOCK_PT = 12  # issuing body, national name
DOCX_MOTTO_PT = 13
DOCX_TITLE_PT = 14
DOCX_RECIPIENTS_PT = 12
DOCX_TABLE_STYLE = "Report Table Text"  # Decree 30 itself uses 11 pt for the list

# Table column widths (cm) on a landscape page: 29.7 - 3 - 1.5 = 25.2 cm.
DOCX_TABLE_WIDTHS_CM = (1.2, 3.4, 3.8, 7.4, 6.9, 2.5)


# The children of w:pPr that come after w:pBdr, in schema order.
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
# The children of w:tblPr, in the order the schema (and Word) demands.
_TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)


def _em_width(ch: str) -> float:
    """A rough advance width, in em, of a Times New Roman bold character."""
    base = unicodedata.normalize("NFD", ch)[0]
    if base == " ":
        return 0.25
    if base in "-.,;:'":
        return 0.33
    if base.isupper():
        return 0.72
    if base in "iljtf":
        return 0.3
    if base in "mw":
        return 0.8
    return 0.5


def _text_width_cm(text: str, size_pt: float) -> float:
    return sum(_em_width(ch) for ch in text) * size_pt / 72 * 2.54


def write_docx(report: SummaryReport, fileobj: IO[bytes] | None = None) -> bytes | None:
    """The report as a Word document in the Decree 30/2020/NĐ-CP layout: written into
    ``fileobj`` (a binary file, not closed), or returned as bytes without one.

    A4, Times New Roman, margins 2/2/3/1.5 cm. A portrait section with the heading block,
    title and counts; a landscape section with the table (header row repeated on every
    page, the section column merged over the rows of one section) and the closing block.
    Page numbers are centred in the top margin from page 2 on.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, Twips
    from lxml import etree

    labels = _labels(report)
    lang = labels.get("lang", "vi-VN")
    doc = Document()

    # -- styles: Times New Roman everywhere, body 13 pt, Vietnamese language ---------------
    def set_rfonts(rpr: Any) -> None:
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), DOCX_FONT)

    rpr_default = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if rpr_default is not None:
        set_rfonts(rpr_default.find(qn("w:rPr")))
    normal = doc.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(DOCX_BODY_PT)
    set_rfonts(normal.element.get_or_add_rPr())
    lang_el = normal.element.get_or_add_rPr().find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        normal.element.get_or_add_rPr().append(lang_el)
    lang_el.set(qn("w:val"), lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def page(section: Any, landscape: bool) -> None:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width = Twips(A4_HEIGHT_TWIPS)
            section.page_height = Twips(A4_WIDTH_TWIPS)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width = Twips(A4_WIDTH_TWIPS)
            section.page_height = Twips(A4_HEIGHT_TWIPS)
        section.top_margin = Twips(MARGIN_TOP_TWIPS)
        section.bottom_margin = Twips(MARGIN_BOTTOM_TWIPS)
        section.left_margin = Twips(MARGIN_LEFT_TWIPS)
        section.right_margin = Twips(MARGIN_RIGHT_TWIPS)
        section.header_distance = Twips(HEADER_DISTANCE_TWIPS)
        section.footer_distance = Twips(HEADER_DISTANCE_TWIPS)
        section.gutter = Twips(0)

    def para(
        container: Any,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        align: Any = None,
        first_indent: float | None = None,
        before: float = 0,
        after: float = 0,
        reuse: bool = False,
    ) -> Any:
        p = container.paragraphs[0] if reuse else container.add_paragraph()
        if align is not None:
            p.alignment = align
        fmt = p.paragraph_format
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if first_indent is not None:
            fmt.first_line_indent = Cm(first_indent)
        if text:
            run = p.add_run(_clean(text))
            if bold:
                run.bold = True
            if italic:
                run.italic = True
            if size:
                run.font.size = Pt(size)
        return p

    def rule(container: Any, cell_cm: float, length_cm: float, reuse: bool = False) -> Any:
        """A short centred horizontal line: the bottom border of an empty, tiny paragraph."""
        p = container.paragraphs[0] if reuse else container.add_paragraph()
        indent = max((cell_cm - length_cm) / 2, 0)
        fmt = p.paragraph_format
        fmt.left_indent = Cm(indent)
        fmt.right_indent = Cm(indent)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(3)
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
        bottom.set(qn("w:space"), "1")
        bottom.set(qn("w:color"), "auto")
        borders.append(bottom)
        ppr.insert_element_before(borders, *_PPR_AFTER_PBDR)
        return p

    def table_props(table: Any, widths_cm: Iterable[float], borders: bool) -> None:
        widths = list(widths_cm)
        table.autofit = False  # w:tblLayout type="fixed"
        tbl_pr = table._tbl.tblPr
        seq = _TBLPR_ORDER
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = OxmlElement("w:tblW")
            tbl_pr.insert_element_before(tbl_w, *seq[seq.index("w:tblW") + 1 :])
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(int(Cm(sum(widths)).twips)))
        if not borders:
            el = OxmlElement("w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                b = OxmlElement(f"w:{side}")
                b.set(qn("w:val"), "nil")
                el.append(b)
            tbl_pr.insert_element_before(el, *seq[seq.index("w:tblBorders") + 1 :])
        for col, width in zip(table.columns, widths):
            col.width = Cm(width)

    def set_cell_width(cell: Any, width_cm: float) -> None:
        cell.width = Cm(width_cm)

    # -- section 1: portrait, heading block, title, counts --------------------------------
    first = doc.sections[0]
    page(first, landscape=False)
    first.different_first_page_header_footer = True
    first.first_page_header.is_linked_to_previous = False
    header_p = first.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "2"),
        ("end", None),
    ):
        run = header_p.add_run()
        run.font.size = Pt(DOCX_BODY_PT)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)

    text_width_cm = (A4_WIDTH_TWIPS - MARGIN_LEFT_TWIPS - MARGIN_RIGHT_TWIPS) / 567
    left_cm, right_cm = 6.0, text_width_cm - 6.0
    heading = doc.add_table(rows=1, cols=2)
    table_props(heading, (left_cm, right_cm), borders=False)
    left, right = heading.rows[0].cells
    set_cell_width(left, left_cm)
    set_cell_width(right, right_cm)
    body_name = _clean(report.issuing_body).upper()
    para(
        left,
        body_name,
        bold=True,
        size=DOCX_HEADING_BLOCK_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        reuse=True,
    )
    name_cm = min(_text_width_cm(body_name, DOCX_HEADING_BLOCK_PT), left_cm - 0.4)
    rule(left, left_cm, max(name_cm * 0.4, 1.5))
    para(
        right,
        labels["national_name"],
        bold=True,
        size=DOCX_HEADING_BLOCK_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        reuse=True,
    )
    para(right, labels["motto"], bold=True, size=DOCX_MOTTO_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule(right, right_cm, min(_text_width_cm(labels["motto"], DOCX_MOTTO_PT), right_cm - 0.4))
    para(
        right,
        _place_date(report, labels),
        italic=True,
        size=DOCX_BODY_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
    )

    title = _title_lines(report, labels)
    para(doc, title[0], bold=True, size=DOCX_TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, before=24)
    para(doc, title[1], bold=True, size=DOCX_TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=18)

    para(doc, labels["counts_heading"], bold=True, first_indent=1.0, after=6)
    for text, level in _count_paragraphs(report, labels):
        para(doc, text, first_indent=1.0 + 0.5 * level, after=6, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    # -- section 2: landscape, the table, the closing block -------------------------------
    second = doc.add_section(WD_SECTION.NEW_PAGE)
    page(second, landscape=True)
    # The clone of section 1 asks for a first-page header; this section's first page is
    # page 2 or later, so it shows the number like every other page.
    second.different_first_page_header_footer = False
    para(doc, labels["table_heading"], bold=True, after=6)

    widths = DOCX_TABLE_WIDTHS_CM
    table = doc.add_table(rows=1, cols=6, style="Table Grid")
    table_props(table, widths, borders=True)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row_flags(tr: Any, *, header: bool) -> None:
        tr_pr = tr.get_or_add_trPr()
        if header:
            cant = OxmlElement("w:cantSplit")
            tr_pr.append(cant)
            repeat = OxmlElement("w:tblHeader")
            tr_pr.append(repeat)

    # Table text: a paragraph style (12 pt) rather than a size on every run.
    table_style = doc.styles.add_style(DOCX_TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_style.base_style = normal
    table_style.font.size = Pt(DOCX_TABLE_PT)
    table_style.quick_style = False

    def fill(cell: Any, parts: list[tuple[str, str]], align: Any = None) -> None:
        first_p = True
        for style, text in parts:
            p = cell.paragraphs[0] if first_p else cell.add_paragraph()
            first_p = False
            p._p.get_or_add_pPr().get_or_add_pStyle().val = table_style.style_id
            if align is not None:
                p.alignment = align
            if text:
                run = p.add_run(text)
                if "B" in style:
                    run.bold = True
                if "I" in style:
                    run.italic = True

    head_row = table.rows[0]
    row_flags(head_row._tr, header=True)
    head_keys = (
        "col_number",
        "col_section",
        "col_departments",
        "col_comment",
        "col_answer",
        "col_status",
    )
    for cell, key, width in zip(head_row.cells, head_keys, widths):
        set_cell_width(cell, width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        fill(cell, [("B", labels[key])], align=WD_ALIGN_PARAGRAPH.CENTER)

    rows = _once(report.rows)
    first_row = next(rows, None)
    if first_row is None:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        fill(merged, [("I", labels["no_rows"])], align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        # The rows are written later, as XML, straight into the saved document (see below).
        table._tbl.append(etree.Comment(_DOCX_ROWS_MARK))
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]

    # Closing block: recipients on the left, the signature on the right.
    para(doc, "", after=6)
    land_width_cm = (A4_HEIGHT_TWIPS - MARGIN_LEFT_TWIPS - MARGIN_RIGHT_TWIPS) / 567
    close_left, close_right = land_width_cm / 2, land_width_cm / 2
    closing = doc.add_table(rows=1, cols=2)
    table_props(closing, (close_left, close_right), borders=False)
    c_left, c_right = closing.rows[0].cells
    set_cell_width(c_left, close_left)
    set_cell_width(c_right, close_right)
    para(
        c_left,
        labels["recipients_label"],
        bold=True,
        italic=True,
        size=DOCX_RECIPIENTS_PT,
        reuse=True,
    )
    for recipient in report.recipients:
        para(c_left, f"- {recipient}", size=DOCX_RECIPIENTS_PT)
    para(
        c_right,
        _clean(report.signer_title).upper(),
        bold=True,
        size=DOCX_BODY_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        reuse=True,
    )
    for _ in range(4):
        para(c_right, "")
    para(c_right, report.signer_name, bold=True, size=DOCX_BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "")  # Word wants a paragraph after a table that ends the document

    props = doc.core_properties
    props.title = _clean(" ".join(title))
    props.author = _clean(report.issuing_body)
    props.language = lang
    issued = datetime.combine(report.issued_on, datetime.min.time())
    props.created = issued
    props.modified = issued
    props.last_modified_by = _clean(report.issuing_body)
    props.revision = 1

    skeleton = io.BytesIO()
    doc.save(skeleton)
    out = io.BytesIO() if fileobj is None else fileobj
    rest = () if first_row is None else itertools.chain([first_row], rows)
    row_xml = _DocxRows(grid, table_style.style_id, labels)
    _splice_docx_rows(skeleton, out, (row_xml(row) for row in rest), report.counts.comments)
    return out.getvalue() if fileobj is None else None


_DOCX_ROWS_MARK = " rows "
DOCX_ROWS_BATCH = 500


class _DocxRows:
    """The XML of one row of the report's table, as python-docx would write it.

    python-docx takes about 5 ms a row and keeps the whole document in memory; this writes
    the same elements as text, so a report of a million rows streams in constant memory.
    The section cell of consecutive rows of one section is merged (w:vMerge).
    """

    def __init__(self, grid: list[int], style_id: str, labels: dict[str, str]) -> None:
        self.grid = grid
        self.ppr = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
        self.ppr_center = f'<w:pPr><w:pStyle w:val="{style_id}"/><w:jc w:val="center"/></w:pPr>'
        self.labels = labels
        self.current: tuple[str | None, str, str] | None = None

    @staticmethod
    def run(style: str, text: str) -> str:
        rpr = ("<w:b/>" if "B" in style else "") + ("<w:i/>" if "I" in style else "")
        inner = []
        for piece in _DOCX_BREAKS.split(text):
            if piece == "\t":
                inner.append("<w:tab/>")
            elif piece in ("\n", "\r"):
                inner.append("<w:br/>")
            elif piece:
                space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
                inner.append(f"<w:t{space}>{escape(piece)}</w:t>")
        return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{''.join(inner)}</w:r>"

    def cell(self, col: int, parts, center: bool = False, merge: str = "") -> str:
        ppr = self.ppr_center if center else self.ppr
        if parts is None:  # a continued merged cell keeps its empty paragraph
            body = "<w:p/>"
        else:
            body = "".join(
                f"<w:p>{ppr}{self.run(style, text) if text else ''}</w:p>" for style, text in parts
            )
        return (
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{self.grid[col]}"/>{merge}'
            f'<w:vAlign w:val="top"/></w:tcPr>{body}</w:tc>'
        )

    def __call__(self, row: ReportRow) -> str:
        labels = self.labels
        key = _group_key(row)
        new_group = key != self.current
        self.current = key
        answer = _clean(row.answer) if row.answer else labels["no_answer"]
        return "".join(
            [
                "<w:tr>",
                self.cell(0, [("", str(row.number))], center=True),
                self.cell(
                    1,
                    [("B", _section_title(row, labels))] if new_group else None,
                    merge='<w:vMerge w:val="restart"/>' if new_group else "<w:vMerge/>",
                ),
                self.cell(2, [("", _clean(d)) for d in row.departments] or [("", "")]),
                self.cell(3, _comment_parts(row, labels)),
                self.cell(4, [("", answer)]),
                self.cell(5, [("", _clean(row.status))], center=True),
                "</w:tr>",
            ]
        )


_DOCX_BREAKS = re.compile("([\t\r\n])")


def _splice_docx_rows(skeleton: io.BytesIO, out: IO[bytes], rows: Iterable[str], hint: int) -> None:
    """Copy the .docx in ``skeleton`` into ``out``, writing ``rows`` where the mark stands."""
    mark = f"<!--{_DOCX_ROWS_MARK}-->".encode()
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml" or mark not in data:
                target.writestr(item, data)
                continue
            head, tail = data.split(mark, 1)
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Past 4 GB (some 2.5 million rows) a zip entry needs Zip64, asked for before
            # writing; below, plain zip, which every Word opens.
            with target.open(info, "w", force_zip64=hint > 2_000_000) as entry:
                entry.write(head)
                batch: list[str] = []
                for xml in rows:
                    batch.append(xml)
                    if len(batch) == DOCX_ROWS_BATCH:
                        entry.write("".join(batch).encode())
                        batch.clear()
                entry.write("".join(batch).encode())
                entry.write(tail)


# --------------------------------------------------------------------------------------
# PDF (fpdf2 and DejaVu Sans)
# --------------------------------------------------------------------------------------

PDF_BODY_PT = 10.5
PDF_TABLE_PT = 9
PDF_HEADING_PT = 11
PDF_TITLE_PT = 12
PT_MM = 25.4 / 72
# Landscape table widths (mm): 297 - 30 - 15 = 252 mm.
PDF_TABLE_WIDTHS_MM = (11.0, 38.0, 42.0, 74.0, 63.0, 24.0)


# fpdf2 does not draw <title> and <desc> (they are for screen readers) and logs a warning
# for each; the PDF has the same text in its counts.
_SVG_UNDRAWN = re.compile(r"<(title|desc)\b[^>]*>.*?</\1\s*>", re.DOTALL)


_SVG_SIZE = re.compile(
    r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)"[^>]*?\bheight="(?P<h>[\d.]+)"', re.DOTALL
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", _clean(text))


def _break_lines(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line is cut between characters."""
    if not text.strip():
        return [""]
    lines: list[str] = []
    space = measure(" ")
    line, line_w = "", 0.0
    for word in text.split(" "):
        word_w = measure(word)
        if line and line_w + space + word_w <= width:
            line, line_w = f"{line} {word}", line_w + space + word_w
            continue
        if line:
            lines.append(line)
        line, line_w = "", 0.0
        while word_w > width:
            cut, cut_w = 0, 0.0
            while cut < len(word) and cut_w + measure(word[cut]) <= width:
                cut_w += measure(word[cut])
                cut += 1
            cut = max(cut, 1)
            lines.append(word[:cut])
            word = word[cut:]
            word_w = measure(word)
        line, line_w = word, word_w
    if line or not lines:
        lines.append(line)
    return lines


class _PdfTable:
    """A table drawn row by row: header repeated on every page, long rows split.

    fpdf2's own `table()` keeps every row until the table ends and refuses rows taller
    than a page; a comment can be longer than that, and there can be very many rows.
    """

    SECTION_COL = 1

    def __init__(self, pdf: Any, headings: list[str], labels: dict[str, str]) -> None:
        self.pdf = pdf
        self.labels = labels
        self.widths = PDF_TABLE_WIDTHS_MM
        self.aligns = ("C", "L", "L", "L", "L", "C")
        self.size = PDF_TABLE_PT
        self.lh = PDF_TABLE_PT * PT_MM * 1.3
        self.pad = 1.0
        self.x0 = pdf.l_margin
        xs = [self.x0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        self.xs = xs
        self._measures: dict[str, Callable[[str], float]] = {}
        self.headings = [self.wrap([("B", h)], w) for h, w in zip(headings, self.widths)]
        self.header_h = max(len(h) for h in self.headings) * self.lh + 2 * self.pad
        self.rows_on_page = False
        self.section_lines: list[tuple[str, str]] = []
        self.section_open = False

    def wrap(self, parts: list[tuple[str, str]], width: float) -> list[tuple[str, str]]:
        """Break (style, text) paragraphs into (style, line) lines that fit `width` mm."""
        inner = width - 2 * self.pdf.c_margin - 0.01
        lines: list[tuple[str, str]] = []
        for style, text in parts:
            measure = self._measure(style)
            for paragraph in _nfc(text).split("\n"):
                lines.extend((style, line) for line in _break_lines(paragraph, measure, inner))
        return lines

    def _measure(self, style: str) -> Callable[[str], float]:
        """Width in mm of a text in `style` at the table size, from the font's glyph widths."""
        if style not in self._measures:
            widths = self.pdf.fonts[PDF_FONT.lower() + style].cw
            factor = self.size * 0.001 / self.pdf.k
            self._measures[style] = lambda text: sum(widths[ord(c)] for c in text) * factor
        return self._measures[style]

    def start(self) -> None:
        """Draw the header row at the current position."""
        pdf = self.pdf
        y0 = pdf.y
        pdf.set_fill_color(230, 230, 230)
        for i, lines in enumerate(self.headings):
            pdf.rect(self.xs[i], y0, self.widths[i], self.header_h, style="DF")
            top = y0 + (self.header_h - len(lines) * self.lh) / 2
            self._print(i, lines, top, align="C")
        pdf.set_xy(self.x0, y0 + self.header_h)
        self.rows_on_page = False

    def _print(self, col: int, lines: list[tuple[str, str]], top: float, align: str) -> None:
        pdf = self.pdf
        for k, (style, line) in enumerate(lines):
            if not line:
                continue
            pdf.set_font(PDF_FONT, style, self.size)
            pdf.set_xy(self.xs[col], top + k * self.lh)
            pdf.cell(self.widths[col], self.lh, line, align=align)

    def _close_section(self) -> None:
        if self.section_open:
            s = self.SECTION_COL
            self.pdf.line(self.xs[s], self.pdf.y, self.xs[s + 1], self.pdf.y)
            self.section_open = False

    def _new_page(self) -> None:
        self._close_section()
        self.pdf.add_page(orientation="L")
        self.start()

    def _draw(self, cols: list[list[tuple[str, str]]], top_line: bool) -> None:
        pdf = self.pdf
        y0 = pdf.y
        h = max(1, max(len(c) for c in cols)) * self.lh + 2 * self.pad
        s = self.SECTION_COL
        for i in range(len(self.widths)):
            if i == s:
                if top_line:
                    pdf.line(self.xs[i], y0, self.xs[i + 1], y0)
                continue
            pdf.rect(self.xs[i], y0, self.widths[i], h)
        for i, lines in enumerate(cols):
            self._print(i, lines, y0 + self.pad, self.aligns[i])
        pdf.set_xy(self.x0, y0 + h)
        self.rows_on_page = True
        self.section_open = True

    def add(self, cols: list[list[tuple[str, str]]], section: str | None) -> None:
        """A row; `section` is the section title when the row starts a new section."""
        pdf = self.pdf
        top_line = section is not None
        if section is not None:
            self.section_lines = self.wrap([("B", section)], self.widths[self.SECTION_COL])
            cols[self.SECTION_COL] = list(self.section_lines)
        remaining = cols
        while True:
            at_top = not self.rows_on_page
            if at_top and not remaining[self.SECTION_COL] and self.section_lines:
                cont = self.wrap([("I", self.labels["section_continued"])], self.widths[1])
                remaining[self.SECTION_COL] = self.section_lines + cont
            n = max(1, max(len(c) for c in remaining))
            need = n * self.lh + 2 * self.pad
            avail = pdf.page_break_trigger - pdf.y
            if need <= avail + 0.01:
                self._draw(remaining, top_line or at_top)
                return
            fresh = pdf.page_break_trigger - pdf.t_margin - self.header_h
            fit_lines = int((avail - 2 * self.pad) / self.lh)
            if not at_top and (need <= fresh or fit_lines < 3):
                self._new_page()
                continue
            fit_lines = max(fit_lines, 1)
            chunk = [c[:fit_lines] for c in remaining]
            remaining = [c[fit_lines:] for c in remaining]
            self._draw(chunk, top_line or at_top)
            top_line = False
            self._new_page()

    def finish(self) -> None:
        self._close_section()


def _fit_size(pdf: Any, text: str, style: str, size: float, width: float) -> float:
    while size > 6:
        pdf.set_font(PDF_FONT, style, size)
        if pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
            break
        size -= 0.5
    return size


def write_pdf(report: SummaryReport, charts: Iterable[bytes | str] = ()) -> bytes:
    """The report as a PDF (bytes): A4, DejaVu Sans, page numbers from page 2.

    A portrait first page with the heading block, title and counts (then the `charts`,
    SVG documents such as `render_svg_bar_chart` returns, one under the other); landscape
    pages with the table, its header row repeated on every page, rows of one section
    grouped, rows too tall for a page split across pages; then the closing block.
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    labels = _labels(report)

    class ReportPDF(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font(PDF_FONT, "", PDF_BODY_PT)
                self.set_xy(self.l_margin, 10)
                self.cell(self.epw, 5, str(self.page_no()), align="C")
            self.set_xy(self.l_margin, self.t_margin)

    pdf = ReportPDF(orientation="P", unit="mm", format="A4")
    for style, name in PDF_FONT_FILES.items():
        pdf.add_font(PDF_FONT, style, FONT_DIR / name)
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.c_margin = 1.0
    pdf.set_lang(labels.get("lang", "vi-VN"))
    title = [_nfc(t) for t in _title_lines(report, labels)]
    pdf.set_title(" ".join(title))
    pdf.set_author(_nfc(report.issuing_body))
    pdf.set_creator("Consult")
    pdf.set_creation_date(
        datetime.combine(report.issued_on, datetime.min.time()).replace(tzinfo=VIETNAM)
    )
    pdf.set_font(PDF_FONT, "", PDF_BODY_PT)
    pdf.add_page()

    lh = PDF_BODY_PT * PT_MM * 1.35
    # Heading block: issuing body left, national heading right.
    left_w = 70.0
    right_w = pdf.epw - left_w
    y0 = pdf.y
    body_name = _nfc(report.issuing_body).upper()
    pdf.set_font(PDF_FONT, "B", PDF_HEADING_PT)
    pdf.set_xy(pdf.l_margin, y0)
    pdf.multi_cell(left_w, lh, body_name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    rule_w = min(pdf.get_string_width(body_name), left_w) * 0.4
    centre = pdf.l_margin + left_w / 2
    pdf.line(centre - rule_w / 2, pdf.y + 0.8, centre + rule_w / 2, pdf.y + 0.8)
    left_bottom = pdf.y + 2
    x_right = pdf.l_margin + left_w
    national = _nfc(labels["national_name"])
    size = _fit_size(pdf, national, "B", PDF_HEADING_PT, right_w)
    pdf.set_xy(x_right, y0)
    pdf.set_font(PDF_FONT, "B", size)
    pdf.cell(right_w, lh, national, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    motto = _nfc(labels["motto"])
    size = _fit_size(pdf, motto, "B", PDF_HEADING_PT + 1, right_w)
    pdf.set_font(PDF_FONT, "B", size)
    pdf.cell(right_w, lh, motto, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    rule_w = pdf.get_string_width(motto)
    centre = x_right + right_w / 2
    pdf.line(centre - rule_w / 2, pdf.y + 0.8, centre + rule_w / 2, pdf.y + 0.8)
    pdf.set_xy(x_right, pdf.y + 3)
    pdf.set_font(PDF_FONT, "I", PDF_BODY_PT)
    pdf.cell(
        right_w, lh, _nfc(_place_date(report, labels)), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    pdf.set_xy(pdf.l_margin, max(left_bottom, pdf.y) + 8)

    pdf.set_font(PDF_FONT, "B", PDF_TITLE_PT)
    for line in title:
        pdf.multi_cell(
            0, PDF_TITLE_PT * PT_MM * 1.35, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.ln(5)

    pdf.set_font(PDF_FONT, "B", PDF_BODY_PT)
    pdf.multi_cell(0, lh, _nfc(labels["counts_heading"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    for text, level in _count_paragraphs(report, labels):
        pdf.set_font(PDF_FONT, "", PDF_BODY_PT)
        pdf.set_x(pdf.l_margin + 6 * level)
        pdf.multi_cell(
            pdf.epw - 6 * level, lh, _nfc(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(1.5)

    for chart in charts:
        data = _SVG_UNDRAWN.sub("", chart if isinstance(chart, str) else chart.decode("utf-8"))
        width = min(pdf.epw, 160.0)
        size = _SVG_SIZE.search(data)
        if size:  # keep a tall chart within one page
            aspect = float(size["h"]) / max(float(size["w"]), 1.0)
            page_h = pdf.page_break_trigger - pdf.t_margin - 5
            width = min(width, page_h / max(aspect, 0.01))
        pdf.ln(3)
        pdf.image(io.BytesIO(data.encode("utf-8")), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)

    # The table, on landscape pages.
    pdf.add_page(orientation="L")
    pdf.set_font(PDF_FONT, "B", PDF_BODY_PT)
    pdf.multi_cell(0, lh, _nfc(labels["table_heading"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    headings = [
        labels[k]
        for k in (
            "col_number",
            "col_section",
            "col_departments",
            "col_comment",
            "col_answer",
            "col_status",
        )
    ]
    table = _PdfTable(pdf, headings, labels)
    table.start()
    current: tuple[str | None, str, str] | None = None
    any_rows = False
    for row in _once(report.rows):
        any_rows = True
        key = _group_key(row)
        section = _section_title(row, labels) if key != current else None
        current = key
        w = table.widths
        cols = [
            table.wrap([("", str(row.number))], w[0]),
            [],
            table.wrap([("", d) for d in row.departments], w[2]),
            table.wrap(_comment_parts(row, labels), w[3]),
            table.wrap([("", row.answer or labels["no_answer"])], w[4]),
            table.wrap([("", row.status)], w[5]),
        ]
        table.add(cols, section)
    table.finish()
    if not any_rows:
        pdf.set_font(PDF_FONT, "I", PDF_TABLE_PT)
        pdf.cell(
            sum(table.widths),
            table.lh + 2,
            _nfc(labels["no_rows"]),
            border=1,
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    # Closing block.
    signer_lines = report.signer_title.count("\n") + 1
    n_lines = max(len(report.recipients) + 1, signer_lines + 5)
    if pdf.y + 6 + n_lines * lh > pdf.page_break_trigger:
        pdf.add_page(orientation="L")
    pdf.ln(6)
    y0 = pdf.y
    half = pdf.epw / 2
    pdf.set_font(PDF_FONT, "BI", PDF_BODY_PT)
    pdf.set_xy(pdf.l_margin, y0)
    pdf.multi_cell(half, lh, _nfc(labels["recipients_label"]), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(PDF_FONT, "", PDF_BODY_PT - 1)
    for recipient in report.recipients:
        pdf.multi_cell(half, lh, _nfc(f"- {recipient}"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    left_bottom = pdf.y
    pdf.set_xy(pdf.l_margin + half, y0)
    pdf.set_font(PDF_FONT, "B", PDF_BODY_PT)
    pdf.multi_cell(
        half, lh, _nfc(report.signer_title).upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    pdf.set_y(pdf.y + 4 * lh)
    pdf.set_x(pdf.l_margin + half)
    pdf.multi_cell(half, lh, _nfc(report.signer_name), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.y, left_bottom))

    return bytes(pdf.output())


# --------------------------------------------------------------------------------------
# SVG bar chart
# --------------------------------------------------------------------------------------


def _truncate(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max(max_chars - 1, 1)].rstrip() + "…"


def render_svg_bar_chart(
    title: str,
    items: list[tuple[str, int]],
    width: int = 640,
    *,
    empty_text: str = VIETNAMESE_LABELS["chart_empty"],
    number: Callable[[int], str] = str,
) -> str:
    """A horizontal bar chart as a standalone SVG document (a string).

    Dependency-free and accessible: `role="img"` with a `<title>` and a `<desc>` that lists
    every value, so screen readers read the data; each bar carries its full label in a
    `<title>` tooltip when the visible label is shortened. Text is escaped. The font is
    DejaVu Sans (the PDF's font, so fpdf2 can draw the text) with sans-serif fallbacks.
    """
    title = _clean(title)
    rows = [(_clean(label), max(int(value), 0)) for label, value in items]
    width = max(int(width), 240)
    font = 13
    bar_h = 22
    gap = 8
    top = 40
    label_w = int(width * 0.38)
    value_w = 56
    bar_x = label_w + 10
    bar_max = max(width - bar_x - value_w, 20)
    height = top + max(len(rows), 1) * (bar_h + gap) + 8
    peak = max((v for _l, v in rows), default=0) or 1
    uid = (
        "chart-"
        + hashlib.sha1(  # an id for the SVG's elements, not security
            repr((title, rows, width)).encode("utf-8"), usedforsecurity=False
        ).hexdigest()[:10]
    )
    family = f'font-family="{PDF_FONT}, Arial, Helvetica, sans-serif"'
    desc = "; ".join(f"{label}: {number(value)}" for label, value in rows) or empty_text
    max_chars = max(int(label_w / (font * 0.6)), 4)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="20" {family} font-size="15" font-weight="bold" fill="#1f2933">'
        f"{escape(_truncate(title, int(width / (15 * 0.62))))}</text>",
    ]
    if not rows:
        parts.append(
            f'<text x="0" y="{top + 16}" {family} font-size="{font}" fill="#52606d">'
            f"{escape(empty_text)}</text>"
        )
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        bar_w = round(bar_max * value / peak, 1)
        text_y = y + bar_h / 2 + font * 0.35
        shown = _truncate(label, max_chars)
        parts.append("<g>")
        parts.append(f"<title>{escape(label)}: {escape(number(value))}</title>")
        parts.append(
            f'<text x="{label_w}" y="{text_y:.1f}" {family} font-size="{font}" '
            f'text-anchor="end" fill="#1f2933">{escape(shown)}</text>'
        )
        parts.append(f'<rect x="{bar_x}" y="{y}" width="{bar_w}" height="{bar_h}" fill="#2f6690"/>')
        parts.append(
            f'<text x="{bar_x + bar_w + 6:.1f}" y="{text_y:.1f}" {family} font-size="{font}" '
            f'fill="#1f2933">{escape(number(value))}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def write_everything_xlsx(reports: Iterable[tuple[str, SummaryReport]], fileobj: IO[bytes]) -> None:
    """Every draft of a proposal in one workbook: a sheet per draft, the same columns as the
    report's first sheet, so the whole consultation can be analysed without the portal.

    `reports` pairs a sheet name with each draft's report; rows stream (constant memory).
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        fileobj,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    header = workbook.add_format({"bold": True, "text_wrap": True, "bg_color": "#D9E2F3"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    for index, (name, report) in enumerate(reports, start=1):
        labels = _labels(report)
        sheet = workbook.add_worksheet(_sheet_name(name, f"Sheet{index}"))
        for col, (key, width, _kind) in enumerate(_SHEET_COLUMNS):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, labels[key], header)
        sheet.freeze_panes(1, 0)
        r = 0
        for row in _once(report.rows):
            if r == XLSX_MAX_ROWS:
                break  # one sheet per draft: a draft past Excel's limit has its own report
            r += 1
            for col, value in enumerate(_sheet_values(row, labels)):
                kind = _SHEET_COLUMNS[col][2]
                if value is None or value == "":
                    continue
                if kind == "int":
                    sheet.write_number(r, col, value)
                elif kind == "datetime":
                    sheet.write_datetime(r, col, value.replace(tzinfo=None), stamp)
                else:
                    sheet.write_string(r, col, _clean(value)[:XLSX_MAX_TEXT], wrap)
        sheet.autofilter(0, 0, r, len(_SHEET_COLUMNS) - 1)
    workbook.close()
