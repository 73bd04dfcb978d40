"""Word documents: the summary report in the Decree 30/2020/NĐ-CP layout, streamed.

The DOCX table rows are written as XML straight into the document's zip entry, around a
skeleton that python-docx makes, holding one row at a time.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any
from xml.sax.saxutils import escape

from consult.documents.common import (
    _clean,
    _comment_parts,
    _count_paragraphs,
    _group_key,
    _labels,
    _section_title,
    report_frame,
)
from consult.documents.exporter import (
    A4_HEIGHT_TWIPS,
    MARGIN_LEFT_TWIPS,
    MARGIN_RIGHT_TWIPS,
    mark_header_row,
    set_a4,
)
from consult.documents.official import (
    add_docx_closing,
    add_docx_heading,
    add_docx_page_numbers,
    add_docx_title,
    docx_paragraph,
    docx_table_props,
)
from consult.documents.summary import ReportRow, SummaryReport
from consult.documents.svg import svg_to_png

DOCX_FONT = "Times New Roman"

# Font sizes (pt).
DOCX_BODY_PT = 13
DOCX_TABLE_PT = 12
DOCX_TABLE_STYLE = "Report Table Text"  # Decree 30 itself uses 11 pt for the list

# Table column widths (cm) on a landscape page: 29.7 - 3 - 1.5 = 25.2 cm.
DOCX_TABLE_WIDTHS_CM = (1.2, 3.4, 3.8, 7.4, 6.9, 2.5)
LANDSCAPE_TEXT_CM = (A4_HEIGHT_TWIPS - MARGIN_LEFT_TWIPS - MARGIN_RIGHT_TWIPS) / 567
# The charts' width on the portrait page.
DOCX_CHART_CM = 15.0


def write_docx(
    report: SummaryReport, fileobj: IO[bytes] | None = None, charts: Iterable[bytes | str] = ()
) -> bytes | None:
    """The report as a Word document in the Decree 30/2020/NĐ-CP layout: written into
    ``fileobj`` (a binary file, not closed), or returned as bytes without one. ``charts``
    (SVG documents) follow the counts as PNG pictures.

    A4, Times New Roman, margins 2/2/3/1.5 cm. A portrait section with the heading block,
    title and counts; a landscape section with the table (header row repeated on every
    page, the section column merged over the rows of one section) and the closing block.
    Page numbers are centred in the top margin from page 2 on.
    """
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
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

    para = docx_paragraph
    table_props = docx_table_props

    # -- section 1: portrait, heading block, title, counts --------------------------------
    frame = report_frame(report, labels)
    first = doc.sections[0]
    set_a4(first)
    add_docx_page_numbers(first)
    add_docx_heading(doc, frame)
    add_docx_title(doc, frame)

    para(doc, labels["counts_heading"], bold=True, first_indent=1.0, after=6)
    for text, level in _count_paragraphs(report, labels):
        para(doc, text, first_indent=1.0 + 0.5 * level, after=6, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _add_charts(doc, charts, labels)

    # -- section 2: landscape, the table, the closing block -------------------------------
    second = doc.add_section(WD_SECTION.NEW_PAGE)
    set_a4(second, landscape=True)
    # The clone of section 1 asks for a first-page header; this section's first page is
    # page 2 or later, so it shows the number like every other page.
    second.different_first_page_header_footer = False
    para(doc, labels["table_heading"], bold=True, after=6)

    widths = DOCX_TABLE_WIDTHS_CM
    table = doc.add_table(rows=1, cols=6, style="Table Grid")
    table_props(table, widths, borders=True)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

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
    mark_header_row(head_row)
    head_keys = (
        "col_number",
        "col_section",
        "col_departments",
        "col_comment",
        "col_answer",
        "col_status",
    )
    for cell, key in zip(head_row.cells, head_keys):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        fill(cell, [("B", labels[key])], align=WD_ALIGN_PARAGRAPH.CENTER)

    rows = iter(report.rows)
    first_row = next(rows, None)
    if first_row is None:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        fill(merged, [("I", labels["no_rows"])], align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        # The rows are written later, as XML, straight into the saved document (see below).
        table._tbl.append(etree.Comment(_DOCX_ROWS_MARK))
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]

    add_docx_closing(doc, frame, LANDSCAPE_TEXT_CM)
    para(doc, "")  # Word wants a paragraph after a table that ends the document

    props = doc.core_properties
    props.title = _clean(" ".join(frame.title()))
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


def _add_charts(doc: Any, charts: Iterable[bytes | str], labels: dict[str, str]) -> None:
    """Each chart as a centred PNG picture, its title as the picture's description."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    for chart in charts:
        png = svg_to_png(chart)
        if png is None:  # no cairo on this machine: say so rather than fail the report
            docx_paragraph(doc, labels["chart_unavailable"], italic=True, after=6)
            continue
        p = docx_paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=6)
        p.paragraph_format.keep_together = True
        p.add_run().add_picture(io.BytesIO(png), width=Cm(DOCX_CHART_CM))
        title = _SVG_TITLE.search(chart if isinstance(chart, str) else chart.decode("utf-8"))
        if title:
            for prop in p._p.iter(_DOCPR):  # the alternative text screen readers read
                prop.set("descr", _clean(title[1]))


_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.DOTALL)


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
