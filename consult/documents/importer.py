"""Turn an uploaded draft (.docx, Markdown or text) into a document-ordered list of sections."""

from __future__ import annotations

import io
import re
import unicodedata
import weakref
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.token import Token

from consult.documents.convert import ConversionError, doc_to_docx, soffice
from consult.documents.structure import Heading, Item, find_headings, is_capitals
from consult.exceptions import UserFacingError
from consult.numbering import STRUCTURE_WORD, join_heading_number  # noqa: F401  (re-exported)
from consult.text import xml_safe
from consult.zipsafety import expands_too_far

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# What a draft may hold once unpacked: a long code of law is about a million characters.
MAX_TEXT_CHARS = 3_000_000
MAX_PARAGRAPH_CHARS = 100_000

MARKDOWN_EXTENSIONS = (".md", ".markdown")
TEXT_EXTENSIONS = (".txt",)
DOCX_EXTENSIONS = (".docx",)
LEGACY_WORD_EXTENSIONS = (".doc",)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class ParsedSection:
    level: int
    number: str
    heading: str
    body: str


@dataclass
class ImportReport:
    """What the preview shows: the sections, and how much of the file landed in them."""

    sections: list[ParsedSection]
    words_total: int = 0
    words_kept: int = 0
    not_kept: list[str] = field(default_factory=list)  # by name: "image image1.png"
    tracked_changes: int = 0  # read as if accepted
    comments: int = 0  # Word comments, not part of the text

    @property
    def kept_percent(self) -> float:
        return 100.0 * self.words_kept / self.words_total if self.words_total else 100.0

    @property
    def words_missing(self) -> int:
        return self.words_total - self.words_kept


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
_STRUCTURE_WORD = STRUCTURE_WORD
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


def split_heading_number(text: str) -> tuple[str, str]:
    """Split "Chương II: Hiện trạng" into ("Chương II", "Hiện trạng"); ("", text) if unnumbered."""
    text = _collapse_spaces(text)
    for pattern in (_STRUCTURED_RE, *_BARE_RES):
        match = pattern.match(text)
        if match:
            number = _collapse_spaces(match.group("number"))
            return number, text[match.end() :].strip()
    return "", text


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
# A deeper split, chosen in the preview

SPLIT_ARTICLES, SPLIT_CLAUSES, SPLIT_POINTS = "articles", "clauses", "points"
_CLAUSE_RE = re.compile(r"^(\d{1,3})\\?[.)]\s")  # "1. " / "1\. " (escaped by the Word reader)
_POINT_RE = re.compile(r"^([a-zđ])\)\s")


def split_articles(sections: list[ParsedSection], depth: str) -> list[ParsedSection]:
    """Each article's khoản ("1.", "2.") and, deeper, điểm ("a)", "b)") as sections of their own.

    Articles stay whole by default: their clauses and points are what comments quote. The
    text is not changed, only cut: "1. ..." stays at the start of the clause's body.
    """
    if depth not in (SPLIT_CLAUSES, SPLIT_POINTS):
        return list(sections)
    result = []
    for section in sections:
        if not section.number.casefold().startswith("điều"):
            result.append(section)
            continue
        intro, clauses = _split_lines(section.body, _CLAUSE_RE)
        result.append(replace(section, body=intro))
        for number, text in clauses:
            clause = ParsedSection(section.level + 1, f"Khoản {number}", "", text)
            if depth != SPLIT_POINTS:
                result.append(clause)
                continue
            clause_intro, points = _split_lines(text, _POINT_RE)
            result.append(replace(clause, body=clause_intro))
            result.extend(
                ParsedSection(section.level + 2, f"Điểm {letter}", "", point)
                for letter, point in points
            )
    return validate_levels(result)


def _split_lines(body: str, pattern: re.Pattern) -> tuple[str, list[tuple[str, str]]]:
    intro: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for line in body.split("\n"):
        match = pattern.match(line)
        if match:
            parts.append((match.group(1), [line]))
        elif parts:
            parts[-1][1].append(line)
        else:
            intro.append(line)
    return _trim_blank_lines(intro), [(n, _trim_blank_lines(lines)) for n, lines in parts]


# ---------------------------------------------------------------------------------------------
# Upload dispatch


def parse_upload(
    filename: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[ParsedSection]:
    """Parse an uploaded draft, choosing the format from the file name's extension."""
    return read_upload(filename, data, max_bytes).sections


def read_upload(filename: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """The sections of an uploaded draft and what the preview says about them."""
    extension = _extension(filename)
    known = DOCX_EXTENSIONS + LEGACY_WORD_EXTENSIONS + MARKDOWN_EXTENSIONS + TEXT_EXTENSIONS
    if extension not in known:
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
    if extension in LEGACY_WORD_EXTENSIONS or data.startswith(OLE_MAGIC):
        # Word 97-2003, or such a file renamed .docx: LibreOffice converts it when installed.
        if soffice() is None:
            raise DraftImportError(_unsupported_message(".doc"))
        try:
            data = doc_to_docx(data)
        except ConversionError as exc:
            raise DraftImportError(exc.message) from None
        return read_docx(data)
    if extension in DOCX_EXTENSIONS:
        return read_docx(data)
    if extension in TEXT_EXTENSIONS:
        return read_plain_text(xml_safe(_decode_text(data)))
    # Characters no Word file can hold never enter the draft (consult.text).
    return read_markdown(xml_safe(_decode_text(data)))


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
# Markdown and plain text

_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def parse_markdown(text: str) -> list[ParsedSection]:
    """Split Markdown at its headings and at the levels typed in its paragraphs ("Điều 5.")."""
    return read_markdown(text).sections


def read_markdown(text: str) -> ImportReport:
    """Sections of a Markdown text; bodies are kept as written, line for line."""
    lines = _text_lines(text)
    lines, front_matter = _blank_front_matter(lines)
    items = _markdown_items(lines)

    def body(first: int, stop: int, heading: Heading) -> str:
        if heading.span:
            begin = items[first - 1].data["lines"][1]
        elif heading.role == "preamble":
            begin = 0
        else:
            begin = items[first].data["lines"][0]
        end = items[stop].data["lines"][0] if stop < len(items) else len(lines)
        return _trim_blank_lines(lines[begin:end])

    not_kept = [str(_l("the front matter (YAML) at the top of the file"))] if front_matter else []
    sections = _sections(items, body, not_kept)
    return _report(sections, "\n".join(lines), not_kept=not_kept)


def read_plain_text(text: str) -> ImportReport:
    """A .txt of a legal text: each line a paragraph, its structure read from its words."""
    lines = _text_lines(text)
    items = [
        Item(text=_collapse_spaces(line), emphasis=is_capitals(line), data={"line": line})
        for line in lines
        if line.strip()
    ]

    def body(first: int, stop: int, heading: Heading) -> str:
        paragraphs = (escape_markdown(item.data["line"].strip()) for item in items[first:stop])
        return "\n\n".join(escape_line_starts(p) for p in paragraphs)

    return _report(_sections(items, body), "\n".join(lines))


def _text_lines(text: str) -> list[str]:
    text = _nfc(text.lstrip("\ufeff")).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DraftImportError(_l("The file is empty."))
    _check_text_bounds(text)
    return text.split("\n")


def _check_text_bounds(text: str) -> None:
    # Markdown's inline parser is quadratic on some inputs (a megabyte of "["): bounding the
    # paragraph bounds the time, and no real paragraph comes near the limit.
    if len(text) > MAX_TEXT_CHARS:
        raise _too_much_text()
    longest = max((len(block) for block in re.split(r"\n[ \t]*\n", text)), default=0)
    if longest > MAX_PARAGRAPH_CHARS:
        raise _paragraph_too_long()


def _too_much_text() -> DraftImportError:
    return DraftImportError(
        _l(
            "The document holds more than %(n)s characters of text, more than a draft can "
            "have. Split it into several files.",
            n=f"{MAX_TEXT_CHARS:,}",
        )
    )


def _paragraph_too_long() -> DraftImportError:
    return DraftImportError(
        _l(
            "One paragraph of the document is longer than %(n)s characters. Break it into "
            "paragraphs and upload the file again.",
            n=f"{MAX_PARAGRAPH_CHARS:,}",
        )
    )


def _blank_front_matter(lines: list[str]) -> tuple[list[str], bool]:
    # Our own Markdown export carries the title in YAML front matter; keep line numbers intact.
    if not lines or lines[0].strip() != "---":
        return lines, False
    for index in range(1, min(len(lines), 50)):
        if lines[index].strip() in ("---", "..."):
            return [""] * (index + 1) + lines[index + 1 :], True
    return lines, False


def _markdown_items(lines: list[str]) -> list[Item]:
    """Each top-level block: headings with their level, paragraphs with their text."""
    tokens = _markdown.parse("\n".join(lines))
    items = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting < 0 or not token.map:
            continue
        data = {"lines": token.map}
        if token.type == "heading_open":
            text = _inline_plain_text(tokens[index + 1])
            items.append(Item(text=text, style_level=int(token.tag[1]), data=data))
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            text = _inline_plain_text(inline)
            children = [c.type for c in inline.children or []]
            bold = children[:1] == ["strong_open"] and children[-1:] == ["strong_close"]
            items.append(Item(text=text, emphasis=bold or is_capitals(text), data=data))
        else:
            items.append(Item(text="", kind="block", data=data))
    return items


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


def _trim_blank_lines(lines: list[str]) -> str:
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    # Lines stay as written: two trailing spaces are a Markdown line break.
    return "\n".join(lines[start:stop])


# ---------------------------------------------------------------------------------------------
# From items to sections, and what was kept


def _sections(
    items: list[Item], body: Callable[[int, int, Heading], str], not_kept: list[str] | None = None
) -> list[ParsedSection]:
    """Cut the items at their headings; what is left out is named in ``not_kept``."""
    headings = find_headings(items, split_heading_number)
    sections = []
    if headings and headings[0].index > 0 and headings[0].role != "preamble":
        title = " ".join(item.text for item in items[: headings[0].index])
        if not_kept is not None:
            not_kept.insert(0, str(_l("the title “%(title)s”", title=title)))
    for position, heading in enumerate(headings):
        stop = headings[position + 1].index if position + 1 < len(headings) else len(items)
        first = heading.index + heading.span
        sections.append(
            ParsedSection(
                level=heading.rank,
                number=_nfc(heading.number),
                heading=_nfc(heading.heading),
                body=_nfc(body(first, stop, heading)),
            )
        )
    return validate_levels(sections)


_WORD_RE = re.compile(r"\w+")


def count_words(text: str) -> Counter:
    return Counter(_WORD_RE.findall(text.lower()))


def _report(
    sections: list[ParsedSection], source_text: str, *, not_kept=(), **counts
) -> ImportReport:
    source = count_words(source_text)
    kept = count_words("\n".join(f"{s.number} {s.heading}\n{s.body}" for s in sections))
    return ImportReport(
        sections=sections,
        words_total=sum(source.values()),
        words_kept=sum(min(n, kept[word]) for word, n in source.items()),
        not_kept=list(not_kept),
        **counts,
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
    """Split a Word document at its headings and typed structure; bodies become Markdown."""
    return read_docx(data).sections


def read_docx(data: bytes) -> ImportReport:
    document = _open_docx(data)
    reader = _DocxReader(document)
    items = reader.read()
    sections = _sections(items, reader.body, reader.not_kept)
    return _report(
        sections,
        reader.source_text(),
        not_kept=reader.not_kept,
        tracked_changes=reader.tracked_changes,
        comments=reader.comments,
    )


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
        if "[Content_Types].xml" not in archive.namelist():
            raise not_docx
        if _is_strict(archive):
            data = _strict_to_transitional(archive)
    try:
        # The main part is wherever the package's relationships say ("word/main.xml" too).
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx and lxml raise many unrelated types for broken packages
        raise not_docx from None
    if document.element.body is None:
        raise not_docx
    return document


# Strict Open XML names the same elements in other namespaces; python-docx knows only the
# transitional ones, so the parts are renamed before it reads them.
_STRICT_NAMESPACES = (
    ("http://purl.oclc.org/ooxml/wordprocessingml/main",
     "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("http://purl.oclc.org/ooxml/officeDocument/relationships",
     "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ("http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("http://purl.oclc.org/ooxml/drawingml/main",
     "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("http://purl.oclc.org/ooxml/drawingml/picture",
     "http://schemas.openxmlformats.org/drawingml/2006/picture"),
    ("http://purl.oclc.org/ooxml/officeDocument/math",
     "http://schemas.openxmlformats.org/officeDocument/2006/math"),
    ("http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
     "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    ("http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    ("http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    ("http://purl.oclc.org/ooxml/officeDocument/customXml",
     "http://schemas.openxmlformats.org/officeDocument/2006/customXml"),
)  # fmt: skip
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"


def _is_strict(archive: zipfile.ZipFile) -> bool:
    try:
        with archive.open("_rels/.rels") as rels:
            return _STRICT_MARK in rels.read(1024 * 1024)  # a package's rels are a few lines
    except KeyError:
        return False


def _strict_to_transitional(archive: zipfile.ZipFile) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in archive.infolist():
            content = archive.read(member)
            if member.filename.endswith((".xml", ".rels")):
                for strict, transitional in _STRICT_NAMESPACES:
                    content = content.replace(strict.encode(), transitional.encode())
            target.writestr(member.filename, content)
    return out.getvalue()


_HEADING_STYLE_RE = re.compile(
    r"^(?:heading|đầu đề|tiêu đề|überschrift|titre|título|titolo|kop|nagłówek|rubrik"
    r"|заголовок|見出し|标题)\s*([1-9])$",
    re.IGNORECASE,
)
_LIST_STYLE_RE = re.compile(r"^list (bullet|number)(?: ([2-9]))?$", re.IGNORECASE)
_TITLE_STYLES = ("title", "subtitle")
_QUOTE_STYLES = ("quote", "intense quote")
_BLOCK_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins")}
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
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_TRACKED = (qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo"))


@dataclass
class _Block:
    kind: str  # "paragraph", "list", "table"
    markdown: str


@dataclass
class _Char:
    char: str
    marks: frozenset[str]
    url: str
    raw: bool = False  # Markdown written by us (a footnote reference), not escaped


def _in_fallback(element) -> bool:
    return any(ancestor.tag == _MC_FALLBACK for ancestor in element.iterancestors())


_NOT_IN_TEXT = {_MC_FALLBACK, qn("w:moveFrom"), qn("w:del")}


def _outside_text(element) -> bool:
    """Word's fallback copy of a drawing, or text moved away or deleted in tracked changes."""
    return any(ancestor.tag in _NOT_IN_TEXT for ancestor in element.iterancestors())


class _DocxReader:
    """Reads the body in order into items: paragraphs, tables, text boxes, notes."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.body_element = document.element.body
        self.numbering = _Numbering(document)
        self.items: list[Item] = []
        self.not_kept: list[str] = []
        self.characters = 0
        self.notes = {
            "": _notes(document, "footnotes", "footnote"),
            "e": _notes(document, "endnotes", "endnote"),
        }
        self.note_markdown: dict[str, str] = {}
        self.tracked_changes = sum(1 for _ in self.body_element.iter(*_TRACKED))
        self.comments = len(
            {e.get(qn("w:id")) for e in self.body_element.iter(qn("w:commentReference"))}
        )

    def read(self) -> list[Item]:
        for element in self._iter_blocks(self.body_element):
            if element.tag == qn("w:p"):
                self._paragraph(Paragraph(element, self.document._body))
            else:
                self._table(Table(element, self.document._body))
        for prefix, notes in self.notes.items():
            for note_id, element in notes.items():
                parts = [self._markdown(Paragraph(p, self.document._body), table_cell=True)
                         for p in element.iter(qn("w:p"))]  # fmt: skip
                self.note_markdown[f"{prefix}{note_id}"] = " ".join(p for p in parts if p)
        return self.items

    def source_text(self) -> str:
        """All the text the file holds, to count the words that landed in sections."""
        texts = []
        roots = [self.body_element] + [e for n in self.notes.values() for e in n.values()]
        for root in roots:
            # Each run of text once, with the paragraph it belongs to (a text box's paragraph
            # sits inside another paragraph); Word's fallback copies left out.
            by_paragraph: dict[object, list[str]] = {}
            for text in root.iter(qn("w:t")):
                owner = next((a for a in text.iterancestors(qn("w:p"))), None)
                if owner is not None and not _outside_text(text):
                    by_paragraph.setdefault(owner, []).append(text.text or "")
            texts.extend("".join(parts) for parts in by_paragraph.values())
        return _nfc("\n".join(texts))

    def _iter_blocks(self, parent) -> Iterator:
        for child in parent:
            if child.tag in (qn("w:p"), qn("w:tbl")):
                yield child
            elif child.tag in _BLOCK_CONTAINERS:
                yield from self._iter_blocks(child)

    # -- items -----------------------------------------------------------------------------

    def _paragraph(self, paragraph: Paragraph) -> None:
        self._count_characters(paragraph._p)
        styles = _style_chain(paragraph)
        names = [name.lower() for name, _ in styles]
        toc = any(name.startswith("toc") for name in names)
        title = any(name in _TITLE_STYLES for name in names)
        level = None if toc or title else _heading_level(paragraph, styles)
        chars = _paragraph_chars(paragraph, caps=_paragraph_caps(paragraph, styles))
        self._note_media(paragraph._p)
        numbered = self.numbering.next(_num_pr_of(paragraph, styles))
        list_info = _list_info(paragraph, styles, numbered)
        markdown = _chars_markdown(chars)
        plain = _collapse_spaces("".join(c.char for c in chars if not c.raw))
        label = numbered[1] if numbered and numbered[0] != "bullet" else ""
        if label:
            plain = f"{label} {plain}".strip()
        if markdown or plain:
            visible = [c for c in chars if not c.raw and not c.char.isspace()]
            bold = bool(visible) and all("strong" in c.marks for c in visible)
            notes = [c.char[2:-1] for c in chars if c.raw]
            data = {"markdown": markdown, "label": label, "list": list_info, "notes": notes}
            data["quote"] = any(name in _QUOTE_STYLES for name in names)
            self.items.append(
                Item(
                    text=_nfc(plain),
                    style_level=level,
                    emphasis=bold or is_capitals(plain),
                    centered=_alignment(paragraph, styles) == "center",
                    title=title,
                    no_heading=toc,
                    label=label,
                    data=data,
                )
            )
        for box in paragraph._p.iter(qn("w:txbxContent")):
            if _in_fallback(box):
                continue
            before = len(self.items)
            for element in self._iter_blocks(box):
                if element.tag == qn("w:p"):
                    self._paragraph(Paragraph(element, self.document._body))
                else:
                    self._table(Table(element, self.document._body))
            for item in self.items[before:]:
                item.no_heading = True

    def _table(self, table: Table) -> None:
        self._count_characters(table._tbl)
        self._note_media(table._tbl)
        markdown = table_markdown(table, self._cell_markdown)
        if markdown:
            text = _collapse_spaces(" ".join(t.text or "" for t in table._tbl.iter(qn("w:t"))))
            notes = [r.get(qn("w:id")) for r in table._tbl.iter(qn("w:footnoteReference"))]
            data = {"markdown": markdown, "list": None, "notes": [n for n in notes if n]}
            self.items.append(Item(text=_nfc(text), kind="table", data=data))

    def _cell_markdown(self, cell) -> str:
        # Content controls, tracked insertions and nested tables inside a cell are read too;
        # a nested table's cells become text of the outer cell.
        texts = []
        for element in self._iter_blocks(cell._tc):
            if element.tag == qn("w:p"):
                texts.append(self._markdown(Paragraph(element, cell), table_cell=True))
            else:
                nested = Table(element, cell)
                texts.extend(self._cell_markdown(c) for row in nested.rows for c in row.cells)
        return " ".join(text for text in texts if text)

    def _markdown(self, paragraph: Paragraph, *, table_cell: bool = False) -> str:
        styles = _style_chain(paragraph)
        chars = _paragraph_chars(paragraph, caps=_paragraph_caps(paragraph, styles))
        return _chars_markdown(chars, table_cell=table_cell)

    def _count_characters(self, element) -> None:
        # Checked before any character is turned into an object: what the limits refuse
        # costs no more than reading the XML did.
        size = sum(len(t.text or "") for t in element.iter(qn("w:t")))
        if element.tag == qn("w:p") and size > MAX_PARAGRAPH_CHARS:
            raise _paragraph_too_long()
        self.characters += size if element.tag == qn("w:tbl") or size else 0
        if self.characters > MAX_TEXT_CHARS:
            raise _too_much_text()

    def _note_media(self, element) -> None:
        for blip in element.iter(_BLIP, _VML_IMAGE):
            if _in_fallback(blip):
                continue
            rel_id = blip.get(qn("r:embed")) or blip.get(qn("r:id")) or ""
            try:
                name = self.document.part.rels[rel_id].target_ref.rsplit("/", 1)[-1]
            except KeyError:
                name = rel_id or "?"
            self.not_kept.append(str(_l("image %(name)s", name=name)))
        for _ in element.iter(qn("w:object")):
            self.not_kept.append(str(_l("embedded object")))

    # -- bodies ----------------------------------------------------------------------------

    def body(self, first: int, stop: int, heading: Heading) -> str:
        blocks: list[_Block] = []
        list_stack: list[tuple[str, int]] = []
        notes: list[str] = []
        start = heading.index if heading.role != "preamble" else first
        for item in self.items[start:first]:  # the heading's own notes
            notes.extend(item.data.get("notes", []))
        for item in self.items[first:stop]:
            notes.extend(item.data.get("notes", []))
            info = item.data["list"]
            if info is not None:
                _append_list_item(blocks, list_stack, *info, item.data["markdown"])
                continue
            list_stack.clear()
            markdown = item.data["markdown"]
            if item.kind == "table":
                blocks.append(_Block("table", markdown))
                continue
            if item.data["label"]:
                markdown = escape_line_starts(
                    f"{escape_markdown(item.data['label'])} {markdown}".strip()
                )
            if item.data.get("quote"):
                markdown = "\n".join("> " + line for line in markdown.split("\n"))
            blocks.append(_Block("paragraph", markdown))
        definitions = []
        for note in dict.fromkeys(notes):
            text = self.note_markdown.get(note, "")
            definitions.append(f"[^{note}]: {text}" if text else f"[^{note}]: ")
        return "\n\n".join([block.markdown for block in blocks] + definitions)


def _append_list_item(
    blocks: list[_Block], stack: list[tuple[str, int]], kind: str, depth: int, start: int,
    markdown: str,
) -> None:  # fmt: skip
    # Only as deep as one below the current item: Markdown cannot skip nesting levels.
    depth = min(depth, len(stack) + 1)
    del stack[depth:]
    new_list = not (len(stack) == depth and stack[-1][0] == kind)
    if new_list:
        stack[depth - 1 :] = [(kind, start if kind == "ordered" else 1)]
    else:
        stack[-1] = (kind, stack[-1][1] + 1)
    indent = sum(_marker_width(k, n) for k, n in stack[:-1])
    marker = "- " if kind == "bullet" else f"{stack[-1][1]}. "
    continuation = "\n" + " " * (indent + len(marker))
    line = " " * indent + marker + markdown.replace("\n", continuation)
    if blocks and blocks[-1].kind == "list" and not (new_list and depth == 1):
        blocks[-1].markdown += "\n" + line
    else:
        blocks.append(_Block("list", line))


def _marker_width(kind: str, counter: int) -> int:
    return 2 if kind == "bullet" else len(f"{counter}. ")


def _notes(document: DocxDocument, part_name: str, tag: str) -> dict[str, object]:
    """Footnotes or endnotes by id, from the part the main document points to."""
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/" + part_name):
            continue
        try:
            root = parse_xml(rel.target_part.blob)
        except Exception:  # a broken notes part loses the notes, not the document
            return {}
        notes = {}
        for note in root.findall(qn(f"w:{tag}")):
            if note.get(qn("w:type")) in (None, "normal") and note.get(qn("w:id")):
                notes[note.get(qn("w:id"))] = note
        return notes
    return {}


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


def _paragraph_caps(paragraph: Paragraph, styles) -> bool:
    def compute() -> bool:
        for _name, style in styles:
            if style.font.all_caps is not None:
                return bool(style.font.all_caps)
        return False

    return _cached(paragraph.part, ("caps", paragraph._p.style), compute)


def _alignment(paragraph: Paragraph, styles) -> str:
    values = paragraph._p.xpath("./w:pPr/w:jc/@w:val")
    if values:
        return str(values[0])
    for _name, style in styles:
        values = style.element.xpath("./w:pPr/w:jc/@w:val")
        if values:
            return str(values[0])
    return ""


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


def _num_pr(element) -> tuple[str, str] | None:
    num_ids = element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    if not num_ids:
        return None
    ilvls = element.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    ilvl = ilvls[0] if ilvls and _is_number(ilvls[0]) else "0"
    return str(num_ids[0]), str(ilvl)


def _num_pr_of(paragraph: Paragraph, styles) -> tuple[str, str] | None:
    """The list a paragraph belongs to, directly or through its style; None if none."""
    direct = _num_pr(paragraph._p)
    if direct is not None:
        return None if direct[0] == "0" else direct
    for _name, style in styles:
        num_pr = _num_pr(style.element)
        if num_pr is not None:
            return None if num_pr[0] == "0" else num_pr
    return None


def _list_info(
    paragraph: Paragraph, styles, numbered: tuple[str, str, int, int] | None
) -> tuple[str, int, int] | None:
    """("bullet" | "ordered", depth, first number) if the paragraph is a Markdown list item.

    Only bullets and plain "1." numbering become Markdown lists; any other automatic number
    ("Điều 1.", "a)", "1.1.") is written out in front of the text, as Word shows it.
    """
    direct = _num_pr(paragraph._p)
    if direct is not None and direct[0] == "0":
        return None
    for name, _style in styles:
        match = _LIST_STYLE_RE.match(name)
        if match:
            kind = "bullet" if match.group(1).lower() == "bullet" else "ordered"
            extra = int(direct[1]) if direct else 0
            start = numbered[3] if numbered else 1
            return kind, int(match.group(2) or 1) + extra, start
    if numbered is None:
        return None
    number_format, label, depth, value = numbered
    if number_format == "bullet":
        return "bullet", depth, 1
    if number_format == "decimal" and re.fullmatch(r"\d+\.", label):
        return "ordered", depth, value
    return None


class _Numbering:
    """Word's automatic numbering, computed as Word shows it: levels, start values, restarts.

    numbering.xml is read once into dictionaries; no value from the document ever goes into
    an XPath query, and a lookup costs the same whatever the number of lists.
    """

    def __init__(self, document: DocxDocument) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, dict]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[_int(lvl.get(qn("w:ilvl")), 0)] = _level(lvl)
            self.abstract[abstract.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = num.find(qn("w:abstractNumId"))
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                level = override.find(qn("w:lvl"))
                start = override.find(qn("w:startOverride"))
                values = _level(level) if level is not None else {}
                if start is not None:
                    values["start"] = _int(start.get(qn("w:val")), 1)
                    values["restart_here"] = True
                overrides[_int(override.get(qn("w:ilvl")), 0)] = values
            value = abstract_id.get(qn("w:val")) if abstract_id is not None else None
            self.nums[num.get(qn("w:numId")) or ""] = (value or "", overrides)

    def _level(self, num_id: str, ilvl: int) -> dict:
        abstract_id, overrides = self.nums.get(num_id, ("", {}))
        level = dict(self.abstract.get(abstract_id, {}).get(ilvl, {}))
        level.update(overrides.get(ilvl, {}))
        return level

    def next(self, num_pr: tuple[str, str] | None) -> tuple[str, str, int, int] | None:
        """(format, label as Word shows it, depth from 1, this level's value); None if none."""
        if num_pr is None or num_pr[0] not in self.nums:
            return None
        num_id, ilvl = num_pr[0], min(_int(num_pr[1], 0), 8)
        abstract_id, overrides = self.nums[num_id]
        # Lists sharing an abstract definition continue one another unless one restarts.
        key = num_id if any(o.get("restart_here") for o in overrides.values()) else abstract_id
        counts = self.counters.setdefault(key, [None] * 9)
        level = self._level(num_id, ilvl)
        counts[ilvl] = level.get("start", 1) if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = None
        # A level the list does not define is shown as a bullet, as Word does.
        number_format = level.get("format", "decimal" if level else "bullet")
        if number_format in ("bullet", "none"):
            return "bullet", "", ilvl + 1, 1

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            if not 0 <= index <= ilvl:
                return ""
            other = self._level(num_id, index)
            count = counts[index] if counts[index] is not None else other.get("start", 1)
            legal = level.get("legal") and index < ilvl
            return _format_number(count, "decimal" if legal else other.get("format", "decimal"))

        label = re.sub(r"%([1-9])", value, level.get("text", f"%{ilvl + 1}."))
        return number_format, _collapse_spaces(label), ilvl + 1, counts[ilvl]


def _int(value: str | None, default: int) -> int:
    return int(value) if value and _is_number(value) else default


def _level(lvl) -> dict:
    values: dict = {}
    for tag, key in (("w:start", "start"), ("w:numFmt", "format"), ("w:lvlText", "text")):
        element = lvl.find(qn(tag))
        if element is not None and element.get(qn("w:val")) is not None:
            raw = element.get(qn("w:val"))
            values[key] = _int(raw, 1) if key == "start" else raw
    if lvl.find(qn("w:isLgl")) is not None:
        values["legal"] = True
    return values


def _format_number(value: int, number_format: str) -> str:
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letters = _letters(value)
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = []
    for amount, symbol in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= amount:
            out.append(symbol)
            value -= amount
    return "".join(out)


def _letters(value: int) -> str:
    # Word repeats the letter past z: a, …, z, aa, bb, …
    if value < 1:
        return str(value)
    letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]
    return letter * ((value - 1) // 26 + 1)


# ---------------------------------------------------------------------------------------------
# Word inline content -> Markdown


def paragraph_markdown(paragraph: Paragraph, *, table_cell: bool = False) -> str:
    """The paragraph's text as inline Markdown, keeping bold, italic, strike and links."""
    caps = _paragraph_caps(paragraph, _style_chain(paragraph))
    return _chars_markdown(_paragraph_chars(paragraph, caps=caps), table_cell=table_cell)


def _chars_markdown(chars: list[_Char], *, table_cell: bool = False) -> str:
    chars = [replace(c, char=" ") if c.char == "\t" else c for c in chars]
    if table_cell:
        chars = [replace(c, char=" ") if c.char == "\n" else c for c in chars]
    _spread_marks_over_spaces(chars)
    _unmark_edge_punctuation(chars)
    markdown = _render_chars(_strip_chars(chars), table_cell=table_cell)
    lines = [line.strip() for line in markdown.split("\n")]
    if table_cell:
        return " ".join(line for line in lines if line)
    # A Word line break becomes a Markdown hard break.
    return escape_line_starts("\\\n".join(line for line in lines if line))


def _paragraph_chars(paragraph: Paragraph, *, caps: bool = False) -> list[_Char]:
    chars = []
    for run_element, url in _iter_runs(paragraph, paragraph._p, ""):
        run = Run(run_element, paragraph)
        if run.font.hidden:
            continue
        marks = _run_marks(run)
        text = run.text
        run_caps = run.font.all_caps
        if run_caps if run_caps is not None else caps:
            text = text.upper()  # Word shows it in capitals: that is the text people read
        chars.extend(_Char(char, marks, url) for char in text)
        for note in run_element.iter(qn("w:footnoteReference"), qn("w:endnoteReference")):
            prefix = "e" if note.tag == qn("w:endnoteReference") else ""
            note_id = note.get(qn("w:id")) or ""
            if _is_number(note_id):
                chars.append(_Char(f"[^{prefix}{note_id}]", frozenset(), "", raw=True))
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
        if char.raw:  # Markdown of our own (a footnote reference), after the marks close
            flush_text()
            out.append(char.char)
            continue
        text.append(char.char)
    flush_text()
    out.extend(_MARKERS[mark] for mark in reversed(open_marks))
    return "".join(out)


def _link_destination(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


_TABLE_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins")}
MAX_TABLE_COLUMNS = 64


def _table_children(parent, tag: str) -> Iterator:
    # Rows and cells may sit inside content controls (a repeating section, a cell picker).
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _TABLE_CONTAINERS:
            yield from _table_children(child, tag)


def _grid_value(element, path: str) -> int:
    values = element.xpath(path)
    return min(int(values[0]), MAX_TABLE_COLUMNS) if values and _is_number(values[0]) else 0


def table_markdown(table: Table, cell_markdown: Callable | None = None) -> str:
    """A GitHub pipe table; the first row is the header, merged cells are shown once."""
    cell_markdown = cell_markdown or _cell_markdown
    rows: list[list[str]] = []
    for tr in _table_children(table._tbl, qn("w:tr")):
        texts = [""] * _grid_value(tr, "./w:trPr/w:gridBefore/@w:val")
        for tc in _table_children(tr, qn("w:tc")):
            merge = tc.xpath("./w:tcPr/w:vMerge")
            continued = bool(merge) and merge[0].get(qn("w:val")) != "restart"
            texts.append("" if continued else cell_markdown(_Cell(tc, table)))
            texts.extend([""] * (_grid_value(tc, "./w:tcPr/w:gridSpan/@w:val") - 1))
        rows.append(texts[:MAX_TABLE_COLUMNS])
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
