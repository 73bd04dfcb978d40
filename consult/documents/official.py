"""The administrative document frame of Decree 30/2020/NĐ-CP, in Word and PDF, built once.

Every official paper (the summary report, the workshop packet and report, the department's
letter) is a body inside the same frame: the heading block (parent body in capitals over
the issuing body in bold, the national heading and motto, "Số: .../BC-BST" and, for a
letter, "V/v ..." under it, place and date in italics), the title, "Kính gửi: ..." for a
letter, the body, then "Nơi nhận:" on the left and the signature block on the right.

Use::

    frame = OfficialFrame(
        parent_body="UBND THÀNH PHỐ CẦN THƠ", issuing_body="BAN SOẠN THẢO ĐỀ ÁN ...",
        symbol="BC-BST", place="Cần Thơ", issued_on=date(2026, 12, 2),
        title_lines=["BÁO CÁO", "Kết quả hội thảo góp ý dự thảo (lần 3)"],
        recipients=["UBND thành phố (để b/c)", "Lưu: VT, BST"],
        signer_authority="TM. BAN SOẠN THẢO", signer_title="Trưởng ban",
        signer_name="Nguyễn Văn A",
    )
    data = official_docx(frame, lambda doc: doc.add_paragraph("Nội dung ..."))
    data = official_pdf(frame, lambda pdf: pdf_paragraph(pdf, "Nội dung ..."))

A letter ("công văn") leaves `title_lines` empty and sets `subject="V/v góp ý ..."` and
`addressees=["Ban Soạn thảo Đề án ..."]`. A writer that builds its own document (the
streamed summary report) calls the pieces: `add_docx_heading`, `add_docx_title`,
`add_docx_addressees`, `add_docx_closing` (and `pdf_heading`, `pdf_title`,
`pdf_addressees`, `pdf_closing` on a `new_official_pdf()`). Labels default to Vietnamese
(`FRAME_LABELS`); pass translated ones in `labels`. Nothing here touches Flask or a database.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from consult.documents.exporter import (
    A4_WIDTH_TWIPS,
    MARGIN_LEFT_TWIPS,
    MARGIN_RIGHT_TWIPS,
    new_document,
    save_docx,
    set_a4,
)
from consult.documents.fonts import CHART_FONT, CHART_FONT_FILES, FONT_DIR, PDF_FONT, PDF_FONT_FILES
from consult.documents.frame import FRAME_LABELS, OfficialFrame, document_date, keep_together, upper
from consult.text import xml_safe

__all__ = [
    "FRAME_LABELS",
    "OfficialFrame",
    "document_date",
    "keep_together",
    "official_docx",
    "official_pdf",
]

# Font sizes (pt), within the ranges of Decree 30's Appendix I.
HEADING_PT = 12  # parent and issuing body, national name
MOTTO_PT = 13
NUMBER_PT = 13
SUBJECT_PT = 12
DATE_PT = 13
TITLE_PT = 14
BODY_PT = 13
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11
SIGNER_PT = 13
SIGN_SPACE_LINES = 4

# Widths (cm) of the heading block's left column, and of the signature block: it stands
# at the right margin, "Nơi nhận" takes the rest (on a landscape page too).
HEADING_LEFT_CM = 6.8
SIGNATURE_CM = 8.5


# --------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------

# The children of w:pPr that come after w:pBdr, in schema order.
_PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
# The children of w:tblPr, in the order the schema (and Word) demands.
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip

PORTRAIT_TEXT_CM = (A4_WIDTH_TWIPS - MARGIN_LEFT_TWIPS - MARGIN_RIGHT_TWIPS) / 567


def docx_paragraph(
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
    """A paragraph in ``container`` (a document or a cell; ``reuse`` its first, empty one)."""
    p = container.paragraphs[0] if reuse else container.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if first_indent is not None:
        fmt.first_line_indent = Cm(first_indent)
    if text:
        run = p.add_run(xml_safe(text))
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    return p


def docx_rule(
    container: Any, cell_cm: float, length_cm: float, reuse: bool = False, before: float = 0
) -> Any:
    """A short centred horizontal line: the bottom border of an empty, tiny paragraph."""
    p = container.paragraphs[0] if reuse else container.add_paragraph()
    indent = max((cell_cm - length_cm) / 2, 0)
    fmt = p.paragraph_format
    fmt.left_indent = Cm(indent)
    fmt.right_indent = Cm(indent)
    fmt.space_before = Pt(before)
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


def docx_table_props(table: Any, widths_cm: Iterable[float], borders: bool) -> None:
    """Fixed column widths (Word and LibreOffice both honour them), borders or none."""
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
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)


def _text_width_cm(text: str, size_pt: float) -> float:
    """A rough width of bold Times New Roman text, for the rules under the heading lines."""

    def em(ch: str) -> float:
        base = unicodedata.normalize("NFD", ch)[0]
        if base == " ":
            return 0.25
        if base in "-.,;:'":
            return 0.33
        if base.isupper():
            return 0.72
        if base in "iljtf":
            return 0.3
        return 0.8 if base in "mw" else 0.5

    return sum(em(ch) for ch in text) * size_pt / 72 * 2.54


def add_docx_heading(document: Any, frame: OfficialFrame, width_cm: float = PORTRAIT_TEXT_CM):
    """The heading block: a borderless table, bodies and number left, national heading and
    date right; the number line and the date share a row, so they stand level."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    left_cm = HEADING_LEFT_CM
    right_cm = width_cm - left_cm
    table = document.add_table(rows=2, cols=2)
    docx_table_props(table, (left_cm, right_cm), borders=False)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    (left, right), (below_left, below_right) = (r.cells for r in table.rows)

    body = upper(frame.issuing_body)
    reuse = True
    if frame.parent_body.strip():
        docx_paragraph(left, upper(frame.parent_body), size=HEADING_PT, align=centre, reuse=True)
        reuse = False
    docx_paragraph(left, body, bold=True, size=HEADING_PT, align=centre, reuse=reuse)
    last_line = body.split("\n")[-1]
    name_cm = min(_text_width_cm(last_line, HEADING_PT), left_cm - 0.4)
    docx_rule(left, left_cm, max(name_cm * 0.4, 1.5))

    national = frame.label("national_name")
    motto = frame.label("motto")
    docx_paragraph(right, national, bold=True, size=HEADING_PT, align=centre, reuse=True)
    docx_paragraph(right, motto, bold=True, size=MOTTO_PT, align=centre)
    docx_rule(right, right_cm, min(_text_width_cm(motto, MOTTO_PT), right_cm - 0.4))

    number = frame.number_line()
    docx_paragraph(below_left, number, size=NUMBER_PT, align=centre, before=6, reuse=True)
    if frame.subject.strip():
        docx_paragraph(below_left, frame.subject.strip(), size=SUBJECT_PT, align=centre)
    docx_paragraph(
        below_right, frame.place_date(), italic=True, size=DATE_PT, align=centre, before=6,
        reuse=True,
    )  # fmt: skip
    return table


def add_docx_title(document: Any, frame: OfficialFrame, width_cm: float = PORTRAIT_TEXT_CM):
    """The title, centred and bold, one paragraph a line, a short rule under it."""
    lines = frame.title()
    if not lines:
        return
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(lines):
        p = docx_paragraph(
            document, line, bold=True, size=TITLE_PT, align=centre, before=18 if i == 0 else 0
        )
        p.paragraph_format.keep_with_next = True
    longest = max(_text_width_cm(line, TITLE_PT) for line in lines[1:] or lines)
    docx_rule(document, width_cm, min(max(longest / 3, 2.0), width_cm / 2), before=3)
    docx_paragraph(document, "", after=6)


def add_docx_addressees(document: Any, frame: OfficialFrame) -> None:
    """ "Kính gửi: X" for one addressee; for several, "Kính gửi:" then "- X;" lines."""
    names = [a.strip() for a in frame.addressees if a.strip()]
    if not names:
        return
    label = frame.label("addressee_label")
    if len(names) == 1:
        docx_paragraph(
            document, f"{label} {names[0]}.", size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
            before=12, after=12,
        )  # fmt: skip
        return
    docx_paragraph(document, label, size=BODY_PT, before=12, first_indent=3.0)
    for i, name in enumerate(names):
        end = "." if i == len(names) - 1 else ";"
        p = docx_paragraph(document, f"- {name}{end}", size=BODY_PT)
        p.paragraph_format.left_indent = Cm(4.5)
    docx_paragraph(document, "", after=6)


def add_docx_closing(document: Any, frame: OfficialFrame, width_cm: float = PORTRAIT_TEXT_CM):
    """ "Nơi nhận:" and its lines on the left, the signature block on the right."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    docx_paragraph(document, "", after=6)
    left_cm = max(width_cm - SIGNATURE_CM, width_cm / 2 - 0.5)
    table = document.add_table(rows=1, cols=2)
    docx_table_props(table, (left_cm, width_cm - left_cm), borders=False)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # the block stays on one page
    docx_paragraph(
        left, frame.label("recipients_label"), bold=True, italic=True, size=RECIPIENTS_LABEL_PT,
        reuse=True,
    )  # fmt: skip
    for line in frame.recipient_lines():
        docx_paragraph(left, line, size=RECIPIENTS_PT)
    reuse = True
    for line in frame.signature_lines():
        docx_paragraph(right, line, bold=True, size=SIGNER_PT, align=centre, reuse=reuse)
        reuse = False
    for _ in range(SIGN_SPACE_LINES):
        docx_paragraph(right, "", reuse=reuse)
        reuse = False
    docx_paragraph(right, frame.signer_name.strip(), bold=True, size=SIGNER_PT, align=centre)
    return table


def add_docx_page_numbers(section: Any) -> None:
    """Page numbers centred in the top margin, from page 2 on (Decree 30)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "2"),
                       ("end", None)):  # fmt: skip
        run = header_p.add_run()
        run.font.size = Pt(BODY_PT)
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


def official_docx(frame: OfficialFrame, body: Callable[[Any], None]) -> bytes:
    """A whole paper as .docx bytes: A4 portrait, Times New Roman; ``body(document)`` adds the
    paper's own paragraphs between the title (or "Kính gửi") and the closing block."""
    document = new_document()
    section = document.sections[0]
    set_a4(section)
    add_docx_page_numbers(section)
    add_docx_heading(document, frame)
    add_docx_title(document, frame)
    add_docx_addressees(document, frame)
    body(document)
    add_docx_closing(document, frame)
    props = document.core_properties
    props.title = xml_safe(" ".join(frame.title()) or frame.subject)
    props.author = xml_safe(frame.issuing_body)
    props.language = frame.labels.get("lang", "vi-VN")
    return save_docx(document)


# --------------------------------------------------------------------------------------
# PDF (fpdf2, Liberation Serif)
# --------------------------------------------------------------------------------------

PT_MM = 25.4 / 72
PDF_HEADING_LEFT_MM = 72.0
PDF_SIGNATURE_MM = 85.0


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", xml_safe(text))


def new_official_pdf(
    pdf_class: type | None = None, lang: str = "vi-VN", pages_before: int = 0
) -> Any:
    """An A4 portrait fpdf2 document with the Decree 30 margins (20/20/30/15 mm), Liberation
    Serif (and DejaVu Sans, which charts ask for) and page numbers from page 2.

    ``pages_before``: the pages of the same document written before this part of it (see
    `consult.documents.pdfjoin`), so that its page numbers go on from theirs."""
    from fpdf import FPDF

    base = pdf_class or FPDF

    class OfficialPDF(base):
        def header(self) -> None:
            number = self.pages_before + self.page_no()
            if number > 1:
                self.set_font(PDF_FONT, "", BODY_PT)
                self.set_xy(self.l_margin, 10)
                self.cell(self.epw, 5, str(number), align="C")
            self.set_xy(self.l_margin, self.t_margin)

    pdf = OfficialPDF(orientation="P", unit="mm", format="A4")
    pdf.pages_before = pages_before
    # Text is printed as written: "{nb}" in a comment is not the number of pages.
    pdf.str_alias_nb_pages = None
    for style, name in PDF_FONT_FILES.items():
        pdf.add_font(PDF_FONT, style, FONT_DIR / name)
    for style, name in CHART_FONT_FILES.items():
        pdf.add_font(CHART_FONT, style, FONT_DIR / name)
    # A glyph Liberation Serif lacks (✓, arrows, symbols in comments) comes from DejaVu Sans.
    pdf.set_fallback_fonts([CHART_FONT], exact_match=False)
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.c_margin = 1.0
    pdf.set_lang(lang)
    pdf.set_creator("Consult")
    pdf.set_font(PDF_FONT, "", BODY_PT)
    return pdf


def _line_h(size: float) -> float:
    return size * PT_MM * 1.3


def _fit_size(pdf: Any, text: str, style: str, size: float, width: float) -> float:
    while size > 8:
        pdf.set_font(PDF_FONT, style, size)
        if pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
            break
        size -= 0.5
    return size


def _pdf_rule(pdf: Any, centre: float, width: float, y: float) -> None:
    pdf.set_line_width(0.25)
    pdf.line(centre - width / 2, y, centre + width / 2, y)


def pdf_paragraph(
    pdf: Any,
    text: str,
    *,
    style: str = "",
    size: float = BODY_PT,
    align: str = "J",
    indent: float = 0.0,
    after: float = 2.0,
) -> None:
    """A body paragraph, justified by default, ``indent`` mm from the left margin."""
    from fpdf.enums import XPos, YPos

    pdf.set_font(PDF_FONT, style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        pdf.epw - indent, _line_h(size), nfc(text), align=align, new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )  # fmt: skip
    pdf.ln(after)


def pdf_heading(pdf: Any, frame: OfficialFrame) -> None:
    """The heading block at the top of the current (portrait) page."""
    from fpdf.enums import XPos, YPos

    left_w = PDF_HEADING_LEFT_MM
    right_w = pdf.epw - left_w
    x_left, x_right = pdf.l_margin, pdf.l_margin + left_w
    lh = _line_h(HEADING_PT)
    y0 = pdf.y
    pdf.set_xy(x_left, y0)
    if frame.parent_body.strip():
        pdf.set_font(PDF_FONT, "", HEADING_PT)
        pdf.multi_cell(
            left_w, lh, upper(frame.parent_body), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
        )
    body = upper(frame.issuing_body)
    pdf.set_font(PDF_FONT, "B", HEADING_PT)
    lines = pdf.multi_cell(left_w, lh, body, align="C", dry_run=True, output="LINES")
    pdf.multi_cell(left_w, lh, body, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    rule = max(min(pdf.get_string_width(lines[-1] if lines else body), left_w) * 0.4, 15)
    _pdf_rule(pdf, x_left + left_w / 2, rule, pdf.y + 0.8)
    left_bottom = pdf.y + 1.5

    national = nfc(frame.label("national_name"))
    motto = nfc(frame.label("motto"))
    pdf.set_xy(x_right, y0)
    pdf.set_font(PDF_FONT, "B", _fit_size(pdf, national, "B", HEADING_PT, right_w))
    pdf.cell(right_w, lh, national, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(PDF_FONT, "B", _fit_size(pdf, motto, "B", MOTTO_PT, right_w))
    pdf.cell(right_w, _line_h(MOTTO_PT), motto, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    _pdf_rule(pdf, x_right + right_w / 2, pdf.get_string_width(motto), pdf.y + 0.8)
    right_bottom = pdf.y + 1.5

    y1 = max(left_bottom, right_bottom) + 2
    pdf.set_xy(x_left, y1)
    number = frame.number_line()
    if number:
        pdf.set_font(PDF_FONT, "", NUMBER_PT)
        pdf.cell(left_w, _line_h(NUMBER_PT), nfc(number), align="C", new_x=XPos.LEFT,
                 new_y=YPos.NEXT)  # fmt: skip
    if frame.subject.strip():
        pdf.set_font(PDF_FONT, "", SUBJECT_PT)
        pdf.multi_cell(left_w, _line_h(SUBJECT_PT), nfc(frame.subject.strip()), align="C",
                       new_x=XPos.LEFT, new_y=YPos.NEXT)  # fmt: skip
    left_bottom = pdf.y
    pdf.set_xy(x_right, y1)
    pdf.set_font(PDF_FONT, "I", DATE_PT)
    pdf.multi_cell(right_w, _line_h(DATE_PT), nfc(frame.place_date()), align="C",
                   new_x=XPos.LEFT, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_xy(pdf.l_margin, max(left_bottom, pdf.y) + 4)


def pdf_title(pdf: Any, frame: OfficialFrame) -> None:
    """The title lines, centred and bold, and a short rule under them."""
    from fpdf.enums import XPos, YPos

    lines = frame.title()
    if not lines:
        return
    pdf.ln(4)
    pdf.set_font(PDF_FONT, "B", TITLE_PT)
    for line in lines:
        pdf.multi_cell(0, _line_h(TITLE_PT), nfc(line), align="C", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)  # fmt: skip
    longest = max(pdf.get_string_width(nfc(line)) for line in lines[1:] or lines)
    _pdf_rule(pdf, pdf.l_margin + pdf.epw / 2, min(max(longest / 3, 20), pdf.epw / 2), pdf.y + 1)
    pdf.ln(6)


def pdf_addressees(pdf: Any, frame: OfficialFrame) -> None:
    names = [a.strip() for a in frame.addressees if a.strip()]
    if not names:
        return
    label = frame.label("addressee_label")
    pdf.ln(2)
    if len(names) == 1:
        pdf_paragraph(pdf, f"{label} {names[0]}.", align="C", after=4)
        return
    pdf_paragraph(pdf, label, align="L", indent=30, after=0)
    for i, name in enumerate(names):
        end = "." if i == len(names) - 1 else ";"
        pdf_paragraph(pdf, f"- {name}{end}", align="L", indent=45, after=0)
    pdf.ln(4)


def pdf_closing(pdf: Any, frame: OfficialFrame) -> None:
    """ "Nơi nhận:" left and the signature right, on one page (a new one if it must)."""
    from fpdf.enums import XPos, YPos

    recipients = frame.recipient_lines()
    signature = frame.signature_lines()
    right_w = min(PDF_SIGNATURE_MM, pdf.epw / 2 + 5)
    left_w = pdf.epw - right_w
    pdf.set_font(PDF_FONT, "", RECIPIENTS_PT)
    left_h = _line_h(RECIPIENTS_LABEL_PT) + sum(
        len(pdf.multi_cell(left_w, 1, nfc(r), dry_run=True, output="LINES"))
        * _line_h(RECIPIENTS_PT)
        for r in recipients
    )
    right_h = (len(signature) + 1) * _line_h(SIGNER_PT) + 22
    if pdf.y + 6 + max(left_h, right_h) > pdf.page_break_trigger:
        pdf.add_page(orientation=pdf.cur_orientation)
    pdf.ln(6)
    y0 = pdf.y
    x_left, x_right = pdf.l_margin, pdf.l_margin + left_w
    pdf.set_xy(x_left, y0)
    pdf.set_font(PDF_FONT, "BI", RECIPIENTS_LABEL_PT)
    pdf.cell(left_w, _line_h(RECIPIENTS_LABEL_PT), nfc(frame.label("recipients_label")),
             new_x=XPos.LEFT, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_font(PDF_FONT, "", RECIPIENTS_PT)
    for line in recipients:
        pdf.multi_cell(left_w, _line_h(RECIPIENTS_PT), nfc(line), new_x=XPos.LEFT,
                       new_y=YPos.NEXT)  # fmt: skip
    left_bottom = pdf.y
    pdf.set_xy(x_right, y0)
    pdf.set_font(PDF_FONT, "B", SIGNER_PT)
    for line in signature:
        pdf.multi_cell(right_w, _line_h(SIGNER_PT), nfc(line), align="C", new_x=XPos.LEFT,
                       new_y=YPos.NEXT)  # fmt: skip
    pdf.set_xy(x_right, pdf.y + 22)
    pdf.multi_cell(right_w, _line_h(SIGNER_PT), nfc(frame.signer_name.strip()), align="C",
                   new_x=XPos.LEFT, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_xy(pdf.l_margin, max(pdf.y, left_bottom))


def official_pdf(frame: OfficialFrame, body: Callable[[Any], None]) -> bytes:
    """A whole paper as PDF bytes; ``body(pdf)`` draws the paper's own content (with
    `pdf_paragraph` or fpdf2 calls) between the title (or "Kính gửi") and the closing."""
    pdf = new_official_pdf(lang=frame.labels.get("lang", "vi-VN"))
    pdf.set_title(nfc(" ".join(frame.title()) or frame.subject))
    pdf.set_author(nfc(frame.issuing_body))
    pdf.add_page()
    pdf_heading(pdf, frame)
    pdf_title(pdf, frame)
    pdf_addressees(pdf, frame)
    body(pdf)
    pdf_closing(pdf, frame)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()
