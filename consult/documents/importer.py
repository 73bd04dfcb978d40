"""Turn an uploaded draft (.docx or Markdown) into a flat, document-ordered list of sections."""

from __future__ import annotations

import io
import re
import unicodedata
import weakref
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.token import Token

from consult.exceptions import UserFacingError
from consult.text import xml_safe
from consult.zipsafety import expands_too_far

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".txt")
DOCX_EXTENSIONS = (".docx",)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class ParsedSection:
    level: int
    number: str
    heading: str
    body: str


class DraftImportError(UserFacingError):
    """A problem with an uploaded draft; ``message`` is safe to show to the user."""


# ---------------------------------------------------------------------------------------------
# Heading numbers


_ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_LOWER = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
# Up to three digits per part, so years and dates ("2025", "12.5.2024") are not numbers.
_NO_MORE_DIGITS = r"(?!\d)(?!\.\d)"
_ARABIC = rf"\d{{1,3}}(?:\.\d{{1,3}})*{_NO_MORE_DIGITS}"
_LETTER = r"[a-zA-ZđĐ]"
_ORDINAL = (
    r"(?i:thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín"
    r"|mười(?:\s+(?:một|hai|ba|bốn|lăm|năm|sáu|bảy|tám|chín))?))"
)
_STRUCTURE_WORD = r"(?i:phần|chương|tiểu\s+mục|mục|điều|khoản|điểm|phụ\s+lục)"
_DASH = r"[-–—]"

_STRUCTURED_RE = re.compile(
    rf"(?P<number>{_STRUCTURE_WORD}\s+(?:{_ORDINAL}|{_ROMAN}|{_ARABIC}|{_LETTER}))(?!\w)"
    rf"(?:\s*[.:)]|\s*{_DASH}(?=\s|$))?\s*"
)
# Bare numbers need punctuation after them, otherwise "A" or "V" starting a sentence would be
# taken for a number; multi-level Arabic numbers ("2.3.1 ...") are unambiguous without it.
_BARE_RES = (
    re.compile(rf"(?P<number>\d{{1,3}}(?:\.\d{{1,3}})+){_NO_MORE_DIGITS}\.?(?:\s+|$)"),
    re.compile(rf"(?P<number>{_ARABIC})(?:\s*[.):]|\s*{_DASH}(?=\s|$))\s*"),
    re.compile(rf"(?P<number>{_ROMAN}|{_ROMAN_LOWER})(?:\s*[.):]|\s*{_DASH})(?:\s+|$)"),
    re.compile(rf"(?P<number>{_LETTER})\s*[.)](?:\s+|$)"),
)
_STRUCTURED_NUMBER_RE = re.compile(rf"{_STRUCTURE_WORD}\s")
_LETTER_NUMBER_RE = re.compile(r"[a-zđ]")


def split_heading_number(text: str) -> tuple[str, str]:
    """Split "Chương II: Hiện trạng" into ("Chương II", "Hiện trạng"); ("", text) if unnumbered."""
    text = _collapse_spaces(text)
    for pattern in (_STRUCTURED_RE, *_BARE_RES):
        match = pattern.match(text)
        if match:
            number = _collapse_spaces(match.group("number"))
            return number, text[match.end() :].strip()
    return "", text


def join_heading_number(number: str, heading: str) -> str:
    """Inverse of :func:`split_heading_number`, in the usual Vietnamese style ("1.2. ", "a) ")."""
    number, heading = number.strip(), heading.strip()
    if not number:
        return heading
    if _STRUCTURED_NUMBER_RE.match(number + " "):
        return f"{number}. {heading}" if heading else number
    separator = ")" if _LETTER_NUMBER_RE.fullmatch(number) else "."
    return f"{number}{separator} {heading}".rstrip()


def _collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _nfc(text: str) -> str:
    # Vietnamese keyboards emit either composed or decomposed diacritics; store one form so
    # comparisons and searches agree.
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Levels


def validate_levels(sections: Iterable[ParsedSection]) -> list[ParsedSection]:
    """Renumber levels so the first is 1 and no section is more than one level below its parent.

    Siblings stay siblings: a document using only "##" gets level 1 throughout, and a level-3
    heading straight after a level-1 one becomes level 2.
    """
    open_levels: list[int] = []
    result = []
    for section in sections:
        while open_levels and open_levels[-1] >= section.level:
            open_levels.pop()
        open_levels.append(section.level)
        result.append(replace(section, level=len(open_levels)))
    return result


# ---------------------------------------------------------------------------------------------
# Upload dispatch


def parse_upload(
    filename: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[ParsedSection]:
    """Parse an uploaded draft, choosing the format from the file name's extension."""
    extension = _extension(filename)
    if extension not in DOCX_EXTENSIONS + MARKDOWN_EXTENSIONS:
        raise DraftImportError(_unsupported_message(extension))
    if not data:
        raise DraftImportError(_l("The file is empty."))
    if len(data) > max_bytes:
        raise DraftImportError(
            _l(
                "The file is too large (%(size)s MB); the limit is %(limit)s MB.",
                size=_megabytes(len(data)),
                limit=_megabytes(max_bytes),
            )
        )
    if extension in DOCX_EXTENSIONS:
        return parse_docx(data)
    # Characters no Word file can hold never enter the draft (consult.text).
    return parse_markdown(xml_safe(_decode_text(data)))


def _extension(filename: str) -> str:
    # Browsers on Windows may send the full client path.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def _unsupported_message(extension: str):
    if extension in (".doc", ".dot", ".rtf", ".odt"):
        return _l(
            "This kind of file (%(ext)s) is not supported. Open it in Word, save it as a Word "
            "document (.docx) and upload that file.",
            ext=extension,
        )
    return _l(
        "Unsupported file type “%(ext)s”. Upload a Word document (.docx) or a Markdown or "
        "text file (.md, .markdown, .txt).",
        ext=extension or "?",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _decode_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DraftImportError(
            _l("The text file is not valid UTF-8. Save it with UTF-8 encoding and upload it again.")
        ) from None
    if "\x00" in text:
        raise DraftImportError(_l("The file is not a text file."))
    return text


# ---------------------------------------------------------------------------------------------
# Markdown

_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def parse_markdown(text: str) -> list[ParsedSection]:
    """Split Markdown at its top-level headings; bodies are kept as written."""
    text = _nfc(text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DraftImportError(_l("The file is empty."))
    lines = _blank_front_matter(text.split("\n"))
    headings = _markdown_headings("\n".join(lines))
    if not headings:
        raise _no_headings_error()
    _reject_leading_text(lines[: headings[0][0]])
    sections = []
    for index, (_start, end, level, title) in enumerate(headings):
        stop = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        number, heading = split_heading_number(title)
        body = _trim_blank_lines(lines[end:stop])
        sections.append(ParsedSection(level=level, number=number, heading=heading, body=body))
    return validate_levels(sections)


def _blank_front_matter(lines: list[str]) -> list[str]:
    # Our own Markdown export carries the title in YAML front matter; keep line numbers intact.
    if not lines or lines[0].strip() != "---":
        return lines
    for index in range(1, min(len(lines), 50)):
        if lines[index].strip() in ("---", "..."):
            return [""] * (index + 1) + lines[index + 1 :]
    return lines


def _markdown_headings(text: str) -> list[tuple[int, int, int, str]]:
    """(first line, line after, level, plain text) of each top-level heading."""
    tokens = _markdown.parse(text)
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            title = _inline_plain_text(tokens[index + 1])
            headings.append((token.map[0], token.map[1], int(token.tag[1]), title))
    return headings


def _inline_plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_plain_text(child))
    return _collapse_spaces("".join(parts))


def _reject_leading_text(lines: list[str]) -> None:
    for index, line in enumerate(lines):
        if line.strip():
            raise DraftImportError(
                _l(
                    "The content must start with a heading, but there is text before the first "
                    "heading (line %(line)d). Add a heading above it or remove it.",
                    line=index + 1,
                )
            )


def _trim_blank_lines(lines: list[str]) -> str:
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    # Lines stay as written: two trailing spaces are a Markdown line break.
    return "\n".join(lines[start:stop])


def _no_headings_error() -> DraftImportError:
    return DraftImportError(
        _l(
            "No headings were found. Mark section titles with Word heading styles (Heading 1, "
            "Heading 2, …) or Markdown headings (#, ##, …)."
        )
    )


# ---------------------------------------------------------------------------------------------
# Markdown escaping, shared with the exporter

_INLINE_SPECIAL_RE = re.compile(r"[\\`*\[\]]|~(?=~)|(?<=~)~|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_LINE_START_RES = (
    (re.compile(r"^(#{1,6}(?:\s|$)|>|[-+](?:\s|$)|-+\s*$|=+\s*$)"), 0),
    (re.compile(r"^\d{1,9}[.)](?:\s|$)"), None),
)


def escape_markdown(text: str, *, table_cell: bool = False) -> str:
    """Escape ``text`` so Markdown shows it literally (inline context)."""
    escaped = _INLINE_SPECIAL_RE.sub(lambda m: "\\" + m.group(0), text)
    escaped = _escape_underscores(escaped)
    return escaped.replace("|", "\\|") if table_cell else escaped


def _escape_underscores(text: str) -> str:
    # Intraword "_" never makes emphasis in CommonMark, so snake_case stays readable.
    out = []
    for index, char in enumerate(text):
        if char == "_":
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < len(text) else " "
            if not (before.isalnum() and after.isalnum()):
                out.append("\\")
        out.append(char)
    return "".join(out)


def escape_line_starts(markdown: str) -> str:
    """Stop paragraph lines from being read as headings, lists, quotes or rules."""
    lines = []
    for line in markdown.split("\n"):
        for pattern, position in _LINE_START_RES:
            match = pattern.match(line)
            if match:
                cut = position if position is not None else match.end() - 1
                if position is None and line[cut].isspace():
                    cut -= 1
                line = line[:cut] + "\\" + line[cut:]
                break
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Word


def parse_docx(data: bytes) -> list[ParsedSection]:
    """Split a Word document at its headings; bodies become Markdown."""
    document = _open_docx(data)
    reader = _DocxReader(document)
    sections = reader.read()
    if not sections:
        raise _no_headings_error()
    return validate_levels(sections)


def _open_docx(data: bytes) -> DocxDocument:
    if not data:
        raise DraftImportError(_l("The file is empty."))
    if data.startswith(OLE_MAGIC):
        raise DraftImportError(_unsupported_message(".doc"))
    not_docx = DraftImportError(_l("The file is not a valid Word document (.docx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise not_docx from None
    with archive:
        if expands_too_far(archive):
            raise DraftImportError(
                _l("The Word document expands to too much data to be processed safely.")
            )
        if "word/document.xml" not in archive.namelist():
            raise not_docx
    try:
        return Document(io.BytesIO(data))
    except Exception:  # python-docx and lxml raise many unrelated types for broken packages
        raise not_docx from None


_HEADING_STYLE_RE = re.compile(
    r"^(?:heading|đầu đề|tiêu đề|überschrift|titre|título|titolo|kop|nagłówek|rubrik"
    r"|заголовок|見出し|标题)\s*([1-9])$",
    re.IGNORECASE,
)
_LIST_STYLE_RE = re.compile(r"^list (bullet|number)(?: ([2-9]))?$", re.IGNORECASE)
_SKIPPED_STYLES = ("title", "subtitle", "toc heading")
_QUOTE_STYLES = ("quote", "intense quote")
_BLOCK_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
# Tracked insertions count as text; deletions and move sources are not part of the draft.
_INLINE_CONTAINERS = {
    qn(tag)
    for tag in (
        "w:ins",
        "w:moveTo",
        "w:smartTag",
        "w:fldSimple",
        "w:customXml",
        "w:sdtContent",
        "w:dir",
        "w:bdo",
    )
}


@dataclass
class _Block:
    kind: str  # "paragraph", "list", "table"
    markdown: str


@dataclass
class _Char:
    char: str
    marks: frozenset[str]
    url: str


class _DocxReader:
    """Walks the body in order, cutting a new section at each heading paragraph."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.sections: list[ParsedSection] = []
        self.blocks: list[_Block] = []
        self.list_stack: list[tuple[str, int]] = []  # (kind, counter) per nesting depth

    def read(self) -> list[ParsedSection]:
        for element in self._iter_blocks(self.document.element.body):
            if element.tag == qn("w:p"):
                self._paragraph(Paragraph(element, self.document._body))
            else:
                self._table(Table(element, self.document._body))
        self._flush()
        return self.sections

    def _iter_blocks(self, parent) -> Iterator:
        for child in parent:
            if child.tag in (qn("w:p"), qn("w:tbl")):
                yield child
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self._iter_blocks(child)

    def _flush(self) -> None:
        if self.sections:
            self.sections[-1].body = _nfc(_join_blocks(self.blocks))
        self.blocks = []
        self.list_stack = []

    def _paragraph(self, paragraph: Paragraph) -> None:
        styles = _style_chain(paragraph)
        names = [name.lower() for name, _ in styles]
        if any(name in _SKIPPED_STYLES or name.startswith("toc ") for name in names):
            return
        level = _heading_level(paragraph, styles)
        if level is not None:
            self._heading(level, paragraph)
            return
        markdown = paragraph_markdown(paragraph)
        if not markdown:
            return
        list_info = _list_info(paragraph, styles)
        if list_info is not None:
            self._list_item(*list_info, markdown)
            return
        self.list_stack = []
        if any(name in _QUOTE_STYLES for name in names):
            markdown = "\n".join("> " + line for line in markdown.split("\n"))
        self.blocks.append(_Block("paragraph", markdown))

    def _heading(self, level: int, paragraph: Paragraph) -> None:
        text = _nfc(_collapse_spaces("".join(c.char for c in _paragraph_chars(paragraph))))
        if not text:
            return
        self._flush()
        number, heading = split_heading_number(text)
        self.sections.append(ParsedSection(level=level, number=number, heading=heading, body=""))

    def _list_item(self, kind: str, depth: int, start: int, markdown: str) -> None:
        # Only as deep as one below the current item: Markdown cannot skip nesting levels.
        depth = min(depth, len(self.list_stack) + 1)
        del self.list_stack[depth:]
        new_list = not (len(self.list_stack) == depth and self.list_stack[-1][0] == kind)
        if new_list:
            self.list_stack[depth - 1 :] = [(kind, start if kind == "ordered" else 1)]
        else:
            self.list_stack[-1] = (kind, self.list_stack[-1][1] + 1)
        indent = sum(_marker_width(k, n) for k, n in self.list_stack[:-1])
        marker = "- " if kind == "bullet" else f"{self.list_stack[-1][1]}. "
        continuation = "\n" + " " * (indent + len(marker))
        line = " " * indent + marker + markdown.replace("\n", continuation)
        if self.blocks and self.blocks[-1].kind == "list" and not (new_list and depth == 1):
            self.blocks[-1].markdown += "\n" + line
        else:
            self.blocks.append(_Block("list", line))

    def _table(self, table: Table) -> None:
        self.list_stack = []
        markdown = table_markdown(table)
        if markdown:
            self.blocks.append(_Block("table", markdown))


def _marker_width(kind: str, counter: int) -> int:
    return 2 if kind == "bullet" else len(f"{counter}. ")


def _join_blocks(blocks: list[_Block]) -> str:
    return "\n\n".join(block.markdown for block in blocks)


# Looking a style up in python-docx searches the styles part: a 300-section draft did it
# tens of thousands of times. What a style implies is cached per document and style id.
_STYLE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached(part, key, compute):
    cache = _STYLE_CACHE.setdefault(part, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _style_chain(paragraph: Paragraph) -> list[tuple[str, object]]:
    """(name, style) for the paragraph's style and those it is based on."""

    def compute() -> list[tuple[str, object]]:
        chain = []
        style = paragraph.style
        while style is not None and len(chain) < 20:
            chain.append((style.name or "", style))
            style = style.base_style
        return chain

    return _cached(paragraph.part, ("paragraph", paragraph._p.style), compute)


def _is_number(value: str) -> bool:
    # ASCII only: "²".isdigit() is true but int("²") fails, and the XML comes from uploads.
    return value.isascii() and value.isdigit() and len(value) < 10


def _outline_level(element) -> int | None:
    values = element.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(values[0]) if values and _is_number(values[0]) else None


def _heading_level(paragraph: Paragraph, styles: list[tuple[str, object]]) -> int | None:
    direct = _outline_level(paragraph._p)
    if direct is not None:
        # Outline level 9 is Word's "body text".
        return direct + 1 if direct < 9 else None
    for name, style in styles:
        match = _HEADING_STYLE_RE.match(name) or _HEADING_STYLE_RE.match(style.style_id or "")
        if match:
            return int(match.group(1))
        level = _outline_level(style.element)
        if level is not None:
            return level + 1 if level < 9 else None
    return None


def _list_info(
    paragraph: Paragraph, styles: list[tuple[str, object]]
) -> tuple[str, int, int] | None:
    """("bullet" | "ordered", depth, first number) if the paragraph is a list item."""
    direct = _num_pr(paragraph._p)
    if direct is not None and direct[0] == "0":
        return None
    num_pr = direct
    for _name, style in styles:
        if num_pr is not None:
            break
        num_pr = _num_pr(style.element)
    start = _numbering_start(paragraph, *num_pr) if num_pr else 1
    for name, _style in styles:
        match = _LIST_STYLE_RE.match(name)
        if match:
            kind = "bullet" if match.group(1).lower() == "bullet" else "ordered"
            extra = int(direct[1]) if direct else 0
            return kind, int(match.group(2) or 1) + extra, start
    if num_pr is None or num_pr[0] == "0":
        return None
    num_id, ilvl = num_pr
    return _numbering_kind(paragraph, num_id, ilvl), int(ilvl) + 1, start


def _num_pr(element) -> tuple[str, str] | None:
    num_ids = element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    if not num_ids:
        return None
    ilvls = element.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    ilvl = ilvls[0] if ilvls and _is_number(ilvls[0]) else "0"
    return num_ids[0], ilvl


def _numbering_kind(paragraph: Paragraph, num_id: str, ilvl: str) -> str:
    number_format = _numbering_level_value(paragraph, num_id, ilvl, "numFmt")
    return "bullet" if number_format in (None, "bullet", "none") else "ordered"


def _numbering_start(paragraph: Paragraph, num_id: str, ilvl: str) -> int:
    override = _numbering_xpath(
        paragraph,
        f'./w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="{ilvl}"]/w:startOverride/@w:val',
    )
    start = override or _numbering_level_value(paragraph, num_id, ilvl, "start")
    return int(start) if start and _is_number(start) else 1


def _numbering_level_value(paragraph: Paragraph, num_id: str, ilvl: str, tag: str) -> str | None:
    """A property of one list level, from the list's override or its abstract definition."""
    num = f'./w:num[@w:numId="{num_id}"]'
    value = _numbering_xpath(
        paragraph, f'{num}/w:lvlOverride[@w:ilvl="{ilvl}"]/w:lvl/w:{tag}/@w:val'
    )
    if value is None:
        abstract = _numbering_xpath(paragraph, f"{num}/w:abstractNumId/@w:val")
        if abstract is not None:
            value = _numbering_xpath(
                paragraph,
                f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="{ilvl}"]'
                f"/w:{tag}/@w:val",
            )
    return value


def _numbering_xpath(paragraph: Paragraph, path: str) -> str | None:
    try:
        numbering = paragraph.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None
    values = numbering.xpath(path)
    return str(values[0]) if values else None


# ---------------------------------------------------------------------------------------------
# Word inline content -> Markdown


def paragraph_markdown(paragraph: Paragraph, *, table_cell: bool = False) -> str:
    """The paragraph's text as inline Markdown, keeping bold, italic, strike and links."""
    chars = _paragraph_chars(paragraph)
    chars = [_Char(" " if c.char == "\t" else c.char, c.marks, c.url) for c in chars]
    if table_cell:
        chars = [_Char(" " if c.char == "\n" else c.char, c.marks, c.url) for c in chars]
    _spread_marks_over_spaces(chars)
    _unmark_edge_punctuation(chars)
    markdown = _render_chars(_strip_chars(chars), table_cell=table_cell)
    lines = [line.strip() for line in markdown.split("\n")]
    if table_cell:
        return " ".join(line for line in lines if line)
    # A Word line break becomes a Markdown hard break.
    return escape_line_starts("\\\n".join(line for line in lines if line))


def _paragraph_chars(paragraph: Paragraph) -> list[_Char]:
    chars = []
    for run_element, url in _iter_runs(paragraph, paragraph._p, ""):
        run = Run(run_element, paragraph)
        if run.font.hidden:
            continue
        marks = _run_marks(run)
        chars.extend(_Char(char, marks, url) for char in run.text)
    return chars


def _iter_runs(paragraph: Paragraph, parent, url: str) -> Iterator[tuple[object, str]]:
    for child in parent:
        if child.tag == qn("w:r"):
            yield child, url
        elif child.tag == qn("w:hyperlink"):
            yield from _iter_runs(paragraph, child, _hyperlink_url(paragraph, child))
        elif child.tag == qn("w:sdt"):
            for content in child.findall(qn("w:sdtContent")):
                yield from _iter_runs(paragraph, content, url)
        elif child.tag in _INLINE_CONTAINERS:
            yield from _iter_runs(paragraph, child, url)


def _hyperlink_url(paragraph: Paragraph, element) -> str:
    rel_id = element.get(qn("r:id"))
    if not rel_id:
        return ""  # internal jump, e.g. from a table of contents
    try:
        return paragraph.part.rels[rel_id].target_ref
    except KeyError:
        return ""


_MARKS = (("strong", "bold"), ("em", "italic"), ("s", "strike"))


def _run_marks(run: Run) -> frozenset[str]:
    def from_style() -> tuple:
        """Bold, italic, strike as the run's character style (or those it is based on) set them."""
        values = []
        for _mark, attribute in _MARKS:
            value, style = None, run.style
            while value is None and style is not None:
                value = getattr(style.font, attribute)
                style = style.base_style
            values.append(value)
        return tuple(values)

    inherited = _cached(run.part, ("run", run._r.style), from_style)
    marks = set()
    for (mark, attribute), fallback in zip(_MARKS, inherited, strict=True):
        value = getattr(run.font, attribute)
        if value if value is not None else fallback:
            marks.add(mark)
    return frozenset(marks)


def _spread_marks_over_spaces(chars: list[_Char]) -> None:
    # Emphasis markers must touch non-space text, so a space only keeps the marks shared by
    # the text on both sides of it.
    index = 0
    while index < len(chars):
        if not chars[index].char.isspace():
            index += 1
            continue
        end = index
        while end < len(chars) and chars[end].char.isspace():
            end += 1
        before = chars[index - 1].marks if index else frozenset()
        after = chars[end].marks if end < len(chars) else frozenset()
        for position in range(index, end):
            chars[position].marks = chars[position].marks & before & after
        index = end


def _unmark_edge_punctuation(chars: list[_Char]) -> None:
    # "**Thơ,**tiếp" is not bold in CommonMark: a marker between punctuation and a letter does
    # not count, so the punctuation gives up the marks that would put one there.
    changed = True
    while changed:
        changed = False
        for index, char in enumerate(chars):
            if char.char.isalnum() or char.char.isspace():
                continue
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(chars) and chars[neighbour].char.isalnum():
                    shared = char.marks & chars[neighbour].marks
                    if shared != char.marks:
                        char.marks = shared
                        changed = True


def _strip_chars(chars: list[_Char]) -> list[_Char]:
    start, stop = 0, len(chars)
    while start < stop and chars[start].char.isspace():
        start += 1
    while stop > start and chars[stop - 1].char.isspace():
        stop -= 1
    return chars[start:stop]


_MARK_ORDER = ("strong", "em", "s")
_MARKERS = {"strong": "**", "em": "*", "s": "~~"}


def _render_chars(chars: list[_Char], *, table_cell: bool) -> str:
    out: list[str] = []
    index = 0
    while index < len(chars):
        url = chars[index].url
        end = index
        while end < len(chars) and chars[end].url == url:
            end += 1
        inner = _render_marks(chars[index:end], table_cell=table_cell)
        out.append(f"[{inner}]({_link_destination(url)})" if url and inner.strip() else inner)
        index = end
    return "".join(out)


def _render_marks(chars: list[_Char], *, table_cell: bool) -> str:
    out: list[str] = []
    open_marks: list[str] = []
    text: list[str] = []

    def flush_text() -> None:
        if text:
            out.append(escape_markdown("".join(text), table_cell=table_cell))
            text.clear()

    for char in chars:
        wanted = char.marks
        if set(open_marks) != wanted:
            flush_text()
            # Close from the innermost outwards up to the first mark no longer wanted.
            keep = 0
            while keep < len(open_marks) and open_marks[keep] in wanted:
                keep += 1
            for mark in reversed(open_marks[keep:]):
                out.append(_MARKERS[mark])
            del open_marks[keep:]
            for mark in _MARK_ORDER:
                if mark in wanted and mark not in open_marks:
                    out.append(_MARKERS[mark])
                    open_marks.append(mark)
        text.append(char.char)
    flush_text()
    out.extend(_MARKERS[mark] for mark in reversed(open_marks))
    return "".join(out)


def _link_destination(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def table_markdown(table: Table) -> str:
    """A GitHub pipe table; the first row is the header, merged cells are shown once."""
    rows: list[list[str]] = []
    previous_row: list[object] = []
    for row in table.rows:
        cells = row.cells
        texts = []
        for position, cell in enumerate(cells):
            repeated = (position and cells[position - 1]._tc is cell._tc) or (
                position < len(previous_row) and previous_row[position] is cell._tc
            )
            texts.append("" if repeated else _cell_markdown(cell))
        previous_row = [cell._tc for cell in cells]
        rows.append(texts)
    width = max((len(row) for row in rows), default=0)
    if not width or not any(any(row) for row in rows):
        return ""
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = [_table_line(rows[0]), _table_line(["---"] * width)]
    lines.extend(_table_line(row) for row in rows[1:])
    return "\n".join(lines)


def _cell_markdown(cell) -> str:
    texts = (paragraph_markdown(p, table_cell=True) for p in cell.paragraphs)
    return " ".join(text for text in texts if text)


def _table_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
