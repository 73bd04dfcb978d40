"""Write a draft's sections out as Markdown or Word, and the example files for the import page."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from consult.documents.importer import escape_markdown, parse_markdown
from consult.numbering import join_heading_number
from consult.text import single_line, xml_safe

FONT_NAME = "Times New Roman"
MONOSPACE_FONT = "Courier New"
BODY_SIZE = Pt(13)
HEADING_SIZES = {1: Pt(14), 2: Pt(13)}
MAX_WORD_LEVEL = 9
MAX_MARKDOWN_LEVEL = 6
MAX_LIST_DEPTH = 3
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)

# A4 and the Decree 30/2020/NĐ-CP margins, in twentieths of a point as Word stores them.
A4_WIDTH_TWIPS = 11906  # 210 mm
A4_HEIGHT_TWIPS = 16838  # 297 mm
MARGIN_TOP_TWIPS = 1134  # 20 mm
MARGIN_BOTTOM_TWIPS = 1134  # 20 mm
MARGIN_LEFT_TWIPS = 1701  # 30 mm
MARGIN_RIGHT_TWIPS = 850  # 15 mm
HEADER_DISTANCE_TWIPS = 567  # 10 mm: the page number sits in the top margin

_markdown = (
    MarkdownIt("commonmark", {"html": False})
    .enable(["table", "strikethrough"])
    .use(footnote_plugin)  # "[^1]" and "[^1]: text" become Word footnotes
)


class SectionLike(Protocol):
    level: int
    number: str
    heading: str
    body: str


# ---------------------------------------------------------------------------------------------
# Markdown


def export_markdown(title: str, sections: Iterable[SectionLike]) -> str:
    """The draft as one Markdown file; the title goes in front matter so re-import ignores it."""
    parts = []
    if title.strip():
        parts.append(f"---\ntitle: {json.dumps(title.strip(), ensure_ascii=False)}\n---")
    for section in sections:
        parts.append(_markdown_heading(section))
        if (section.body or "").strip():
            parts.append(section.body.strip("\n"))
    return "\n\n".join(parts) + "\n"


def _markdown_heading(section: SectionLike) -> str:
    # Markdown has six heading levels; deeper Word levels are flattened into the sixth.
    level = max(1, min(section.level, MAX_MARKDOWN_LEVEL))
    text = escape_markdown(heading_text(section))
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return "#" * level + " " + text


def heading_text(section: SectionLike) -> str:
    """The heading as shown in documents: number and heading text, on one line."""
    return single_line(join_heading_number(section.number or "", section.heading or ""))


# ---------------------------------------------------------------------------------------------
# Word


def export_docx(title: str, sections: Iterable[SectionLike]) -> bytes:
    """The draft as a Word document using Heading 1..9 styles, so it can be imported again."""
    document = new_document()
    title = single_line(title).strip()
    if title:
        document.add_paragraph(title, style="Title")
    for section in sections:
        level = max(1, min(section.level, MAX_WORD_LEVEL))
        document.add_paragraph(heading_text(section), style=f"Heading {level}")
        add_markdown(document, section.body or "")
    return save_docx(document)


def set_a4(section, landscape: bool = False) -> None:
    """A4 (portrait or landscape) with the Decree 30 margins: 20 mm top and bottom, 30 mm
    left, 15 mm right. python-docx's template is US Letter with 1-inch margins."""
    from docx.enum.section import WD_ORIENT

    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(A4_HEIGHT_TWIPS), Twips(A4_WIDTH_TWIPS)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(A4_WIDTH_TWIPS), Twips(A4_HEIGHT_TWIPS)
    section.top_margin = Twips(MARGIN_TOP_TWIPS)
    section.bottom_margin = Twips(MARGIN_BOTTOM_TWIPS)
    section.left_margin = Twips(MARGIN_LEFT_TWIPS)
    section.right_margin = Twips(MARGIN_RIGHT_TWIPS)
    section.header_distance = Twips(HEADER_DISTANCE_TWIPS)
    section.footer_distance = Twips(HEADER_DISTANCE_TWIPS)
    section.gutter = Twips(0)


def mark_header_row(row) -> None:
    """Repeat a table's first row on every page (w:tblHeader) and keep it on one page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader"))


def new_document() -> DocxDocument:
    """An empty A4 document (Decree 30 margins), Times New Roman throughout, as Vietnamese
    official papers use: body 13 pt, one line, 6 pt after a paragraph."""
    document = Document()
    set_a4(document.sections[0])
    styles = document.styles
    names = ["Normal", "Title", "Quote"] + [f"Heading {n}" for n in range(1, MAX_WORD_LEVEL + 1)]
    for name in names:
        style = styles[name]
        _set_style_font(style.element, FONT_NAME)
        style.font.color.rgb = RGBColor(0, 0, 0)
    styles["Normal"].font.size = BODY_SIZE
    styles["Normal"].paragraph_format.space_after = Pt(6)
    styles["Normal"].paragraph_format.line_spacing = 1.0
    _set_language(styles["Normal"].element, "vi-VN")
    for level in range(1, MAX_WORD_LEVEL + 1):
        heading = styles[f"Heading {level}"]
        heading.font.size = HEADING_SIZES.get(level, BODY_SIZE)
        heading.font.bold = True
    styles["Title"].font.size = Pt(16)
    styles["Title"].font.bold = True
    return document


def save_docx(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_style_font(style_element, name: str) -> None:
    # Theme font attributes win over explicit ones in Word, so they have to go.
    fonts = style_element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)


def _set_language(style_element, language: str) -> None:
    run_properties = style_element.get_or_add_rPr()
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)


@dataclass
class _ListLevel:
    ordered: bool
    num_id: int | None = None


@dataclass
class _BlockState:
    lists: list[_ListLevel] = field(default_factory=list)
    quote_depth: int = 0
    item_has_paragraph: bool = False
    heading: bool = False


def add_markdown(document: DocxDocument, markdown: str) -> None:
    """Append Markdown (paragraphs, lists, tables, quotes, code, footnotes) to the document."""
    # Rows written before text was cleaned at input may hold characters Word cannot.
    tokens = _markdown.parse(xml_safe(markdown))
    notes = _footnote_texts(tokens)
    tokens = [t for t in tokens if not t.meta.get("in_footnote")]
    if notes:
        for token in tokens:
            if token.type == "inline":
                token.meta["footnotes"] = (document, notes)
    state = _BlockState()
    paragraph: Paragraph | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            num_id = _restart_numbering(document, len(state.lists) + 1, token) if ordered else None
            state.lists.append(_ListLevel(ordered, num_id))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            state.lists.pop()
        elif kind == "list_item_open":
            state.item_has_paragraph = False
        elif kind == "blockquote_open":
            state.quote_depth += 1
        elif kind == "blockquote_close":
            state.quote_depth -= 1
        elif kind in ("paragraph_open", "heading_open"):
            state.heading = kind == "heading_open"
            paragraph = _block_paragraph(document, state)
        elif kind == "inline" and paragraph is not None:
            add_inline(paragraph, token, bold=state.heading)
            paragraph = None
        elif kind in ("fence", "code_block"):
            _add_code(document, token.content)
        elif kind == "table_open":
            index = _add_table(document, tokens, index)
        index += 1


def _footnote_texts(tokens: list[Token]) -> dict[int, list[Token]]:
    """The inline content of each footnote by its id; its tokens are marked to be skipped."""
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    inside = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        if inside:
            token.meta["in_footnote"] = True
        if token.type == "footnote_open":
            current = int(token.meta.get("id", 0))
            notes[current] = []
        elif token.type == "inline" and current is not None:
            notes[current].append(token)
        elif token.type == "footnote_close":
            current = None
        elif token.type == "footnote_block_close":
            inside = False
    return notes


_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)


class _NoteParent:
    """What python-docx asks a footnote's paragraph for: the part that holds it."""

    def __init__(self, part) -> None:
        self.part = part


def _footnotes_part(document: DocxDocument) -> XmlPart:
    part = getattr(document.part, "_consult_footnotes", None)
    if part is None:
        part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            parse_xml(_FOOTNOTES_XML),
            document.part.package,
        )
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        document.part._consult_footnotes = part
    return part


def _add_footnote(paragraph: Paragraph, content: list[Token], document: DocxDocument) -> None:
    part = _footnotes_part(document)
    note_id = max(int(n.get(qn("w:id"))) for n in part.element) + 1
    note = parse_xml(
        f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>'
        '</w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
    )
    part.element.append(note)
    note_paragraph = Paragraph(note[0], _NoteParent(part))
    for inline in content:
        add_inline(note_paragraph, inline)
    reference = paragraph.add_run()
    reference.font.superscript = True
    element = OxmlElement("w:footnoteReference")
    element.set(qn("w:id"), str(note_id))
    reference._r.append(element)


def _block_paragraph(document: DocxDocument, state: _BlockState) -> Paragraph:
    if state.lists and not state.item_has_paragraph:
        state.item_has_paragraph = True
        return _list_paragraph(document, state.lists)
    paragraph = document.add_paragraph(style="Quote" if state.quote_depth else None)
    if state.lists:
        # Further paragraphs of a list item sit under its text, without a bullet of their own.
        paragraph.paragraph_format.left_indent = Pt(18 * len(state.lists))
    return paragraph


def _list_paragraph(document: DocxDocument, lists: list[_ListLevel]) -> Paragraph:
    depth = min(len(lists), MAX_LIST_DEPTH)
    current = lists[-1]
    base = "List Number" if current.ordered else "List Bullet"
    paragraph = document.add_paragraph(style=base if depth == 1 else f"{base} {depth}")
    if current.num_id is not None:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = current.num_id
    return paragraph


def _restart_numbering(document: DocxDocument, depth: int, token: Token) -> int | None:
    """A numbering instance for one ordered list, so each list starts at its own number.

    The "List Number" styles share one counter across the document; without this, the second
    list of a draft would continue from where the first stopped.
    """
    depth = min(depth, MAX_LIST_DEPTH)
    style = document.styles["List Number" if depth == 1 else f"List Number {depth}"]
    style_num_ids = style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    if not style_num_ids:
        return None
    numbering = document.part.numbering_part.element
    abstract_ids = numbering.xpath(f'./w:num[@w:numId="{style_num_ids[0]}"]/w:abstractNumId/@w:val')
    if not abstract_ids:
        return None
    num = numbering.add_num(int(abstract_ids[0]))
    start = int(token.attrs.get("start", 1) or 1)
    num.add_lvlOverride(0).add_startOverride(start)
    return num.numId


def _add_code(document: DocxDocument, code: str) -> None:
    paragraph = document.add_paragraph()
    for index, line in enumerate(code.rstrip("\n").split("\n")):
        if index:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        paragraph.add_run(line).font.name = MONOSPACE_FONT


def _add_table(document: DocxDocument, tokens: list[Token], index: int) -> int:
    """Add the table starting at ``tokens[index]``; returns the index of its closing token."""
    rows: list[list[Token | None]] = []
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token)
        index += 1
    width = max((len(row) for row in rows), default=0)
    if not width:
        return index
    table = document.add_table(rows=len(rows), cols=width)
    table.style = document.styles["Table Grid"]
    # A Markdown table always has a header row: repeated on every page, and bold through a
    # paragraph style, so a re-import reads the cells' own Markdown unchanged.
    mark_header_row(table.rows[0])
    for cell in table.rows[0].cells:
        cell.paragraphs[0].style = _table_header_style(document)
    for row_cells, row in zip(table.rows, rows, strict=True):
        for cell, inline in zip(row_cells.cells, row, strict=False):
            if inline is not None:
                add_inline(cell.paragraphs[0], inline)
    return index


TABLE_HEADER_STYLE = "Table Header Row"


def _table_header_style(document: DocxDocument):
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    if TABLE_HEADER_STYLE in [s.name for s in styles]:
        return styles[TABLE_HEADER_STYLE]
    style = styles.add_style(TABLE_HEADER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.font.bold = True
    style.paragraph_format.keep_with_next = True
    return style


def add_inline(paragraph: Paragraph, inline: Token, *, bold: bool = False) -> None:
    """Add the runs of a Markdown inline token: emphasis, strike, code, links, breaks."""
    marks = {"strong": 1 if bold else 0, "em": 0, "s": 0}
    link = None
    for child in inline.children or []:
        kind = child.type
        if kind.endswith("_open") and kind[:-5] in marks:
            marks[kind[:-5]] += 1
        elif kind.endswith("_close") and kind[:-6] in marks:
            marks[kind[:-6]] -= 1
        elif kind == "link_open":
            link = _add_hyperlink(paragraph, str(child.attrs.get("href", "")))
        elif kind == "link_close":
            link = None
        elif kind in ("text", "code_inline"):
            _add_run(paragraph, child.content, marks, link, code=kind == "code_inline")
        elif kind == "image":
            _add_run(paragraph, child.content, marks, link)
        elif kind == "softbreak":
            _add_run(paragraph, " ", marks, link)
        elif kind == "hardbreak":
            _add_run(paragraph, "", marks, link).add_break(WD_BREAK.LINE)
        elif kind == "footnote_ref" and "footnotes" in inline.meta:
            document, notes = inline.meta["footnotes"]
            _add_footnote(paragraph, notes.get(int(child.meta.get("id", 0)), []), document)


def _add_run(paragraph: Paragraph, text: str, marks: dict[str, int], link, *, code: bool = False):
    run = paragraph.add_run(text)
    run.bold = True if marks["strong"] else None
    run.italic = True if marks["em"] else None
    run.font.strike = True if marks["s"] else None
    if code:
        run.font.name = MONOSPACE_FONT
    if link is not None:
        run.font.underline = True
        run.font.color.rgb = LINK_COLOUR
        link.append(run._r)
    return run


def _add_hyperlink(paragraph: Paragraph, url: str):
    relationship_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship_id)
    paragraph._p.append(hyperlink)
    return hyperlink


# ---------------------------------------------------------------------------------------------
# Plain text, for comparisons


def markdown_plain_text(markdown: str) -> str:
    """Readable text of a Markdown body: one line per paragraph, list item or table row."""
    lines: list[str] = []
    counters: list[int | None] = []  # per open list: last number used, None for bullets
    marker = ""  # bullet or number waiting for the first paragraph of a list item
    row: list[str] | None = None
    for token in _markdown.parse(markdown):
        kind = token.type
        if kind == "bullet_list_open":
            counters.append(None)
        elif kind == "ordered_list_open":
            counters.append(int(token.attrs.get("start", 1) or 1) - 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif kind == "list_item_open":
            number = counters[-1]
            counters[-1] = None if number is None else number + 1
            marker = "  " * (len(counters) - 1) + ("•" if number is None else f"{number + 1}.")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            lines.append(" | ".join(row))
            row = None
        elif kind == "inline" and row is not None:
            row.append(_inline_text(token))
        elif kind == "inline":
            lines.append(f"{marker} {_inline_text(token)}" if marker else _inline_text(token))
            marker = ""
        elif kind in ("fence", "code_block"):
            lines.extend(token.content.rstrip("\n").split("\n"))
        elif kind == "footnote_open":  # a footnote's text, after its label
            marker = f"[{token.meta.get('label', '')}]"
    return "\n".join(line.rstrip() for line in lines)


def _inline_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "footnote_ref":
            parts.append(f"[{child.meta.get('label', '')}]")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Examples for the import page

_EXAMPLE_TITLE = "Đề án xây dựng thành phố Cần Thơ thông minh (dự thảo mẫu)"

_EXAMPLE_MARKDOWN = """\
# Chương I. Sự cần thiết và căn cứ xây dựng đề án

Cần Thơ là đô thị trung tâm vùng Đồng bằng sông Cửu Long. Tốc độ đô thị hóa nhanh đặt ra \
yêu cầu mới về **quản lý đô thị**, giao thông, môi trường và dịch vụ công.

## 1.1. Sự cần thiết

Đề án nhằm sử dụng dữ liệu và công nghệ số để *nâng cao chất lượng sống* của người dân và \
hiệu quả điều hành của chính quyền thành phố.

Những vấn đề cấp bách hiện nay:

- Ngập úng cục bộ khi triều cường kết hợp mưa lớn;
- Ùn tắc giao thông tại các nút giao trung tâm vào giờ cao điểm;
- Dữ liệu của các sở, ngành còn phân tán, chưa được chia sẻ.

## 1.2. Căn cứ pháp lý

1. Nghị quyết của Ban Chấp hành Trung ương về chuyển đổi số quốc gia;
2. Đề án phát triển đô thị thông minh bền vững Việt Nam;
3. Quy hoạch thành phố Cần Thơ thời kỳ 2021–2030.

# Chương II. Mục tiêu và lộ trình

## 2.1. Mục tiêu đến năm 2030

Hình thành nền tảng đô thị thông minh dùng chung, kết nối với Trung tâm điều hành của \
thành phố.

| Chỉ tiêu | Năm 2025 | Năm 2030 |
| --- | --- | --- |
| Dịch vụ công trực tuyến toàn trình | 50% | 80% |
| Camera giám sát giao thông kết nối trung tâm | 300 | 1.000 |
| Trạm quan trắc môi trường tự động | 10 | 30 |

### a) Giai đoạn 2025–2027

Xây dựng hạ tầng dữ liệu và Trung tâm giám sát, điều hành đô thị thông minh.

### b) Giai đoạn 2028–2030

Mở rộng các dịch vụ thông minh về giao thông, y tế, giáo dục và du lịch.
"""


def example_markdown() -> str:
    """A small Markdown draft showing the shape the importer expects."""
    title = json.dumps(_EXAMPLE_TITLE, ensure_ascii=False)
    return f"---\ntitle: {title}\n---\n\n{_EXAMPLE_MARKDOWN}"


def example_docx() -> bytes:
    """The same example as a Word document with real heading styles, lists and a table."""
    return export_docx(_EXAMPLE_TITLE, parse_markdown(_EXAMPLE_MARKDOWN))
