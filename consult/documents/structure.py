"""The outline of a Vietnamese legal or administrative text, read from its words and emphasis.

The importer turns a file into a flat list of :class:`Item` (paragraphs, tables, other blocks,
each with its plain text and what Word or Markdown says about it); :func:`find_headings` says
which items open a section, at which rank, with which number and heading. Everything else
stays in the bodies: nothing is dropped here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Ranks: smaller is higher. Heading styles (Heading 1-9) keep their own level; text structure
# found in a document that also uses heading styles nests below them.
RANK_PART = 1  # Phần, Phụ lục, the preamble, the signature block
RANK_CHAPTER = 2
RANK_SECTION = 3  # Mục
RANK_SUBSECTION = 4  # Tiểu mục
RANK_ARTICLE = 5  # Điều
RANK_ROMAN = 6  # I., II. of administrative documents
RANK_ARABIC = 7  # 1., then 1.1 at 8, 1.1.1 at 9
TEXT_BELOW_STYLES = 10

PREAMBLE_HEADING = "Phần mở đầu"
SIGNATURE_HEADING = "Nơi nhận, chữ ký"

_ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ORDINAL = (
    r"thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín"
    r"|mười(?:\s+(?:một|hai|ba|bốn|lăm|năm|sáu|bảy|tám|chín))?)"
)
_ARTICLE_NUMBER = r"\d{1,4}[a-zđ]?(?:\.(?:\d{1,4}|[A-ZĐ]{1,4}))*"
_AFTER_NUMBER = r"(?!\w)(?P<separator>\s*[.:)]|\s*[-–—](?=\s|$))?\s*"
_LEGAL_RES = (
    ("phần", RANK_PART, rf"(?i:phần)\s+(?:(?i:{_ORDINAL})|{_ROMAN}|\d{{1,3}}|[A-Z])"),
    ("phụ lục", RANK_PART, rf"(?i:phụ\s+lục)(?:\s+(?:{_ROMAN}|\d{{1,3}}|[A-Z]))?"),
    ("chương", RANK_CHAPTER, rf"(?i:chương)\s+(?:{_ROMAN}|\d{{1,3}})"),
    ("tiểu mục", RANK_SUBSECTION, rf"(?i:tiểu\s+mục)\s+(?:{_ROMAN}|\d{{1,3}})"),
    ("mục", RANK_SECTION, rf"(?i:mục)\s+(?:{_ROMAN}|\d{{1,3}})"),
    ("điều", RANK_ARTICLE, rf"(?i:điều)\s+{_ARTICLE_NUMBER}"),
)
_LEGAL_RES = tuple(
    (word, rank, re.compile(rf"(?P<number>{pattern}){_AFTER_NUMBER}(?P<rest>.*)$", re.DOTALL))
    for word, rank, pattern in _LEGAL_RES
)
_ROMAN_HEADING_RE = re.compile(rf"(?P<number>{_ROMAN})\s*[.:)–—-]\s*(?P<rest>\S.*)$", re.DOTALL)
_ARABIC_HEADING_RE = re.compile(
    r"(?P<number>\d{1,3}(?:\.\d{1,3}){0,3})(?!\d)(?:\.?\s*[.:)]|\.)?\s+(?P<rest>\S.*)$", re.DOTALL
)
_SIGNATURE_RE = re.compile(
    r"^(?:(?i:nơi\s+nhận)\s*:?|(?:TM|T/M|KT|TL|TUQ|Q)\s*\.\s*\w|(?i:người\s+ký))"
)
# The signer's title in capitals: "CHỦ TỊCH QUỐC HỘI", "BỘ TRƯỞNG", "KT. GIÁM ĐỐC".
_SIGNER_RE = re.compile(r"^(?:[A-ZĐ]{1,3}\s*\.\s*)?[A-ZÀ-ỸĐ]+(?:\s+[A-ZÀ-ỸĐ]+){1,}")
_DOCUMENT_KINDS = (
    "LUẬT", "BỘ LUẬT", "PHÁP LỆNH", "NGHỊ ĐỊNH", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH", "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT", "CHỈ THỊ", "ĐỀ ÁN", "KẾ HOẠCH", "BÁO CÁO", "TỜ TRÌNH", "QUY CHẾ", "QUY ĐỊNH",
    "HƯỚNG DẪN", "THÔNG BÁO", "CÔNG VĂN", "CHƯƠNG TRÌNH", "DỰ THẢO", "ĐIỀU LỆ", "LỆNH", "HIẾN PHÁP",
)  # fmt: skip
_KIND_RE = re.compile(
    r"^(?:DỰ THẢO\s+)?(?:"
    + "|".join(sorted(map(re.escape, _DOCUMENT_KINDS), key=len)[::-1])
    + r")(?:\s|$)"
)
# A heading is a line, not a paragraph of prose.
MAX_HEADING_PARAGRAPH = 300
MAX_TITLE_LINE = 200


@dataclass
class Item:
    """One block of a document, as the structure reader sees it."""

    text: str  # plain text, spaces collapsed, with its automatic number if Word gave one
    kind: str = "paragraph"  # "paragraph", or "table" / "block": never headings
    style_level: int | None = None  # from a heading style or outline level
    emphasis: bool = False  # bold throughout, or in capitals
    centered: bool = False
    title: bool = False  # Word's Title or Subtitle style
    no_heading: bool = False  # a table of contents line, a text box: text, whatever it says
    label: str = ""  # the number Word's automatic numbering shows in front of the text
    data: dict = field(default_factory=dict)  # what the format's own reader needs to rebuild it


@dataclass
class Heading:
    index: int  # first item of the heading
    span: int  # items it takes (a chapter's title is often the next paragraph)
    rank: int
    number: str
    heading: str
    role: str = "heading"  # "heading", "appendix", "preamble", "signature"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass
class Marker:
    word: str  # "phần", "chương", "mục", "tiểu mục", "điều", "phụ lục"
    rank: int
    number: str  # "Điều 5"
    rest: str  # the heading after the number
    separated: bool  # "Điều 5." / "Điều 5:" rather than "Điều 5 của Luật ..."


def legal_marker(text: str) -> Marker | None:
    """The level of a legal text a paragraph starts with: "Điều 5. Phạm vi" is article 5."""
    for word, rank, pattern in _LEGAL_RES:
        match = pattern.match(text)
        if match:
            number, rest = _collapse(match.group("number")), match.group("rest").strip()
            return Marker(word, rank, number, rest, bool(match.group("separator")))
    return None


def _article_integer(number: str) -> int | None:
    match = re.match(r"(?i:điều)\s+(\d+)$", number)
    return int(match.group(1)) if match else None


def _looks_like_heading_line(item: Item, marker: Marker) -> bool:
    """A legal marker starts a heading, not a sentence quoting it ("Chương II của Luật ...")."""
    rest = marker.rest
    if not rest or item.emphasis or is_capitals(rest):
        return True
    if marker.word == "điều":
        # An article's first paragraph may run on for lines: "Điều 1. Bãi bỏ Quyết định ...".
        return marker.separated
    return len(item.text) <= MAX_HEADING_PARAGRAPH and not rest[0].islower()


def _styles_agree_with_words(items: list[Item]) -> bool:
    """Whether each legal level has one heading style level, deeper for lower levels."""
    levels: dict[int, set[int]] = {}
    for item in items:
        if item.style_level and item.kind == "paragraph":
            marker = legal_marker(item.text)
            if marker is not None:
                levels.setdefault(marker.rank, set()).add(item.style_level)
    if any(len(found) > 1 for found in levels.values()):
        return False
    ordered = [next(iter(levels[rank])) for rank in sorted(levels)]
    return all(a < b for a, b in zip(ordered, ordered[1:], strict=False))


def _introduces_quotation(item: Item | None) -> bool:
    # "Điều 3 được sửa đổi, bổ sung như sau:" — what follows is the amended text.
    return item is not None and item.text.rstrip().endswith(":") and "như sau" in item.text


class _Finder:
    def __init__(self, items: list[Item], split_number: Callable[[str], tuple[str, str]]) -> None:
        self.items = items
        self.split_number = split_number
        self.trust_styles = _styles_agree_with_words(items)
        # Where the heading styles contradict the words (Chương and Mục both "Heading 1"),
        # the words decide, and only the other styled headings keep their style's level.
        self.styled = any(
            item.style_level and (self.trust_styles or not legal_marker(item.text))
            for item in items
        )
        self.headings: list[Heading] = []
        self.last_article: int | None = None
        self.in_article = False
        self.articles = 0

    def run(self) -> list[Heading]:
        markers = [self._legal(i) for i in range(len(self.items))]
        has_legal = any(m is not None for m in markers)
        has_admin = not has_legal and any(self._admin(i) for i in range(len(self.items)))
        index = 0
        while index < len(self.items):
            item = self.items[index]
            found = None
            if item.kind == "paragraph" and not item.no_heading:
                if markers[index] is not None:
                    found = self._accept_legal(index, markers[index])
                elif item.style_level:
                    found = self._styled(index)
                elif (has_legal or has_admin) and not self.in_article:
                    found = self._admin(index)
            if found is None and self.headings and not self._signed():
                found = self._signature(index)
            if found is not None:
                self.headings.append(found)
                index += max(found.span, 1)
            else:
                index += 1
        if not self.headings and not has_legal and not has_admin:
            self.headings = self._emphasised()
        self._trailing_signature()
        return self.headings

    # -- the kinds of heading --------------------------------------------------------------

    def _styled(self, index: int) -> Heading:
        item = self.items[index]
        marker = legal_marker(item.text)
        if marker:
            number, heading = marker.number, marker.rest
        elif item.label and item.text.startswith(item.label):
            # Word numbered it ("%1" shows "1" with no full stop): that is its number.
            number = item.label.rstrip(".):").strip()
            heading = item.text[len(item.label) :].strip()
        else:
            number, heading = self.split_number(item.text)
        self.in_article = bool(marker and marker.word == "điều")
        return Heading(index, 1, item.style_level or 1, number, heading)

    def _legal(self, index: int):
        item = self.items[index]
        if item.kind != "paragraph" or item.no_heading:
            return None
        marker = legal_marker(item.text)
        if marker is None or not (item.style_level or _looks_like_heading_line(item, marker)):
            return None
        return marker

    def _accept_legal(self, index: int, marker: Marker) -> Heading | None:
        word, rank, number, rest = marker.word, marker.rank, marker.number, marker.rest
        if word == "điều":
            value = _article_integer(number)
            # Article numbers grow through the document; one that does not is a quotation
            # ("Điều 3 được sửa đổi như sau: Điều 3. ...") or a cross-reference. An attached
            # regulation starts again at 1.
            growing = self.last_article is None or value == 1 or value >= self.last_article
            if value is not None and not growing:
                return None
            # Inside an article; before the first, "... quy định như sau:" enacts the articles.
            quoted = self.in_article and _introduces_quotation(self.items[index - 1])
            if quoted:
                return None
            if value is not None:
                self.last_article = value
            self.in_article = True
            self.articles += 1
        else:
            self.in_article = False
        span = 1
        if not rest and word != "điều":
            # "Chương I" with its title in capitals on the next line.
            title = self._title_line(index + 1)
            if title is not None:
                rest, span = title, 2
        item = self.items[index]
        if item.style_level and self.trust_styles:
            rank = item.style_level
        elif self.styled:
            rank += TEXT_BELOW_STYLES
        role = "appendix" if word == "phụ lục" else "heading"
        return Heading(index, span, rank, number, rest, role)

    def _title_line(self, index: int) -> str | None:
        if index >= len(self.items):
            return None
        item = self.items[index]
        if item.kind != "paragraph" or item.style_level or legal_marker(item.text):
            return None
        if len(item.text) > MAX_TITLE_LINE or not (item.emphasis or item.centered):
            return None
        return item.text

    def _admin(self, index: int) -> Heading | None:
        item = self.items[index]
        if item.kind != "paragraph" or item.no_heading or item.style_level:
            return None
        if len(item.text) > MAX_HEADING_PARAGRAPH:
            return None
        match = _ROMAN_HEADING_RE.match(item.text)
        if match and (item.emphasis or is_capitals(match.group("rest"))):
            rank = RANK_ROMAN
        else:
            match = _ARABIC_HEADING_RE.match(item.text)
            if not match or not item.emphasis:
                return None
            rank = RANK_ARABIC + match.group("number").count(".")
        if self.styled:
            rank += TEXT_BELOW_STYLES
        return Heading(index, 1, rank, match.group("number"), match.group("rest").strip())

    def _signed(self) -> bool:
        # One signature block per part: an attached regulation or appendix may follow it.
        return any(h.role == "signature" for h in self.headings[-1:])

    def _signature(self, index: int) -> Heading | None:
        item = self.items[index]
        if not _SIGNATURE_RE.match(item.text):
            return None
        return Heading(index, 0, RANK_PART, "", SIGNATURE_HEADING, role="signature")

    def _trailing_signature(self) -> None:
        """The signer's block at the end of the text or before an appendix, even without
        "TM." or "Nơi nhận": the title and name centred, or a small table of them."""
        for position in range(len(self.headings) - 1, -1, -1):
            heading = self.headings[position]
            following = self.headings[position + 1] if position + 1 < len(self.headings) else None
            if heading.role in ("signature", "preamble"):
                continue
            if following is not None and following.role != "appendix":
                continue
            stop = following.index if following is not None else len(self.items)
            start = self._signer_block(heading.index + max(heading.span, 1), stop)
            if start is not None:
                self.headings.insert(
                    position + 1, Heading(start, 0, RANK_PART, "", SIGNATURE_HEADING, "signature")
                )

    def _signer_block(self, first: int, stop: int) -> int | None:
        index, lines = stop, 0
        while index > first:
            item = self.items[index - 1]
            if not item.text:
                index -= 1
                continue
            if not (item.kind == "paragraph" and item.centered and len(item.text) <= 60):
                break
            index -= 1
            lines += 1
        if lines >= 2 and index > first and is_capitals(self.items[index].text):
            return index
        filled = [i for i in range(first, stop) if self.items[i].text]
        if filled and lines == 0 and filled[-1] > first:
            item = self.items[filled[-1]]
            small = item.kind == "table" and len(item.text) <= MAX_TITLE_LINE
            if small and _SIGNER_RE.match(item.text):  # "CHỦ TỊCH QUỐC HỘI | Nguyễn Phú Trọng"
                return filled[-1]
        return None

    def _emphasised(self) -> list[Heading]:
        """Where nothing else marks the structure: short bold or capital paragraphs."""
        headings = []
        started = False  # the title block on top is bold too: it stays in the preamble
        for index, item in enumerate(self.items):
            if item.kind != "paragraph" or item.no_heading or not item.text:
                continue
            short = len(item.text) <= MAX_TITLE_LINE and not item.text.endswith((".", ";", ","))
            if item.emphasis and short and started and not item.title:
                number, heading = self.split_number(item.text)
                headings.append(Heading(index, 1, RANK_ROMAN, number, heading))
            elif not item.emphasis:
                started = True
        return headings


def _no_number(text: str) -> tuple[str, str]:
    return "", text


def find_headings(
    items: list[Item], split_number: Callable[[str], tuple[str, str]] = _no_number
) -> list[Heading]:
    """The headings of the document, in order, with the preamble's heading first if any.

    ``split_number`` cuts "1.2. Hạ tầng" into ("1.2", "Hạ tầng") for headings marked by a
    style or by emphasis (the importer's rule for heading numbers).
    """
    headings = _Finder(items, split_number).run()
    first = headings[0].index if headings else len(items)
    before = items[:first]
    # Only a Title above the first heading (as in the portal's own export): the file's title,
    # which the importer names in its report, not a section of the draft.
    only_title = bool(headings) and all(item.title for item in before)
    if not only_title and any(item.text or item.kind != "paragraph" for item in before):
        headings.insert(0, Heading(0, 0, RANK_PART, "", document_title(items[:first]), "preamble"))
    # The preamble, the signature block and the appendices stand beside the document's top
    # level, whether that is a Phần, a Chương or an Điều.
    top = min((h.rank for h in headings if h.role == "heading"), default=RANK_PART)
    for heading in headings:
        if heading.role != "heading":
            heading.rank = top
    return headings


def document_title(items: list[Item]) -> str:
    """The title of the text before the first heading: its Title style, or "QUYẾT ĐỊNH ..."."""
    titles = [item.text for item in items if item.title and item.text]
    if titles:
        return _collapse(" ".join(titles))[:MAX_HEADING_PARAGRAPH]
    for index, item in enumerate(items[:40]):
        if item.kind == "paragraph" and is_capitals(item.text) and _KIND_RE.match(item.text):
            lines = [item.text]
            for following in items[index + 1 : index + 4]:
                text = following.text
                if following.kind != "paragraph" or not text or not re.search(r"\w", text):
                    break
                if not (is_capitals(text) or following.emphasis) or len(text) > MAX_TITLE_LINE:
                    break
                if text.rstrip(":").strip() in _DOCUMENT_KINDS:  # "QUYẾT ĐỊNH:" ends the bases
                    break
                lines.append(text)
            return _collapse(" ".join(lines))[:MAX_HEADING_PARAGRAPH]
    return PREAMBLE_HEADING
