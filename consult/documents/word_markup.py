"""Read a draft marked up in Word, LibreOffice or an online office suite: its margin comments
(with their replies) and its tracked changes, placed on the draft's sections.

python-docx has no API for replies or tracked changes, so the parts are read with lxml:
``word/document.xml`` (``w:commentRangeStart``/``End``, ``w:ins``, ``w:del``,
``w:moveFrom``, ``w:moveTo``, bookmarks), ``word/comments.xml`` and
``word/commentsExtended.xml`` (a reply names its parent by ``w15:paraIdParent``).
Sections are found by the bookmarks the review export puts on each heading
(``consult_<section key>``) and, where a tool dropped them, by heading and number.
Pure: bytes in, findings out; nothing here touches Flask or the database.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from consult.documents.importer import join_heading_number
from consult.models.comments import match_key
from consult.zipsafety import expands_too_far

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
BOOKMARK_PREFIX = "consult_"
# Bounded work: what a marked-up draft may hold.
MAX_PARAGRAPHS = 50_000
MAX_COMMENTS = 5_000
MAX_PART_BYTES = 50 * 1024 * 1024
CONTEXT = 40

_parser = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class MarkupError(ValueError):
    """The file cannot be read as a Word document; the message is for the user (English,
    translated by the caller)."""


@dataclass(frozen=True)
class SectionRef:
    """What the reader needs of one section of the draft."""

    key: str
    number: str
    heading: str
    text: str  # the section's rendered text (what quotes are checked against)


@dataclass
class Finding:
    """One thing found in the file, to become one department comment (or be listed)."""

    kind: str  # "comment", "change" or "untracked"
    section_key: str | None  # None: on the whole draft (a comment) or not placed
    body: str = ""  # a comment's text (with its replies); empty for changes
    quote: str | None = None
    quote_prefix: str | None = None
    quote_suffix: str | None = None
    proposed_text: str | None = None
    proposes_deletion: bool = False
    moved: bool = False
    authors: list[str] = field(default_factory=list)
    replies: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    para_id: str | None = None
    problem: str | None = None  # why it could not be placed; None when it was
    fingerprint: str = ""

    @property
    def placed(self) -> bool:
        return self.problem is None


@dataclass
class MarkupReport:
    findings: list[Finding]
    sections_found: int = 0  # headings matched to the draft's sections
    by_bookmark: int = 0  # of which by their bookmark
    paragraphs: int = 0


# --- reading the package ------------------------------------------------------------------


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise MarkupError("The file is not a valid Word document (.docx).") from None
    if expands_too_far(archive):
        archive.close()
        raise MarkupError("The Word document expands to too much data to be processed safely.")
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        archive.close()
        raise MarkupError("The file is not a valid Word document (.docx).")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        archive.close()
        raise MarkupError("Files with macros are refused.")
    return archive


def _part(archive: zipfile.ZipFile, name: str):
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise MarkupError("The Word document expands to too much data to be processed safely.")
    try:
        return etree.fromstring(archive.read(info), _parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, OSError):
        raise MarkupError("The file is not a valid Word document (.docx).") from None


# --- paragraphs as runs of text ------------------------------------------------------------

SAME, INS, DEL = "same", "ins", "del"
_CHANGE_TAGS = {w("ins"): INS, w("moveTo"): INS, w("del"): DEL, w("moveFrom"): DEL}
_MOVE_TAGS = {w("moveTo"), w("moveFrom")}
_SKIP_TAGS = {w("instrText"), w("delInstrText"), w("pPr"), w("rPr"), w("footnoteReference")}


@dataclass
class _Para:
    index: int
    pieces: list[tuple[str, str, bool]]  # (status, text, moved)
    marks: list[tuple[str, str, int]]  # ("start"|"end"|"ref", comment id, original offset)
    bookmarks: list[str]
    style: str
    para_id: str | None
    in_table: bool
    mark_inserted: bool = False
    mark_deleted: bool = False

    @property
    def original(self) -> str:
        return "".join(t for s, t, _m in self.pieces if s != INS)

    @property
    def revised(self) -> str:
        return "".join(t for s, t, _m in self.pieces if s != DEL)

    @property
    def changed(self) -> bool:
        return any(s != SAME and t for s, t, _m in self.pieces)


def _walk_paragraph(p, status: str, moved: bool, out: _Para, offset: list[int]) -> None:
    for child in p:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS or tag == w("p"):
            continue  # comments, processing instructions, properties, nested paragraphs
        if tag in _CHANGE_TAGS:
            _walk_paragraph(child, _CHANGE_TAGS[tag], moved or tag in _MOVE_TAGS, out, offset)
        elif tag in (w("t"), w("delText")):
            text = child.text or ""
            piece_status = DEL if tag == w("delText") else status
            out.pieces.append((piece_status, text, moved))
            if piece_status != INS:
                offset[0] += len(text)
        elif tag in (w("tab"), w("br"), w("cr"), w("noBreakHyphen")):
            text = "-" if tag == w("noBreakHyphen") else " "
            out.pieces.append((status, text, moved))
            if status != INS:
                offset[0] += len(text)
        elif tag == w("commentRangeStart"):
            out.marks.append(("start", child.get(w("id")), offset[0]))
        elif tag == w("commentRangeEnd"):
            out.marks.append(("end", child.get(w("id")), offset[0]))
        elif tag == w("commentReference"):
            out.marks.append(("ref", child.get(w("id")), offset[0]))
        elif tag == w("bookmarkStart"):
            out.bookmarks.append(child.get(w("name")) or "")
        else:
            _walk_paragraph(child, status, moved, out, offset)


def _paragraphs(body) -> Iterator[_Para]:
    for index, p in enumerate(body.iter(w("p"))):
        if index >= MAX_PARAGRAPHS:
            raise MarkupError("The Word document has too many paragraphs to be read.")
        ppr = p.find(w("pPr"))
        style = ""
        mark_inserted = mark_deleted = False
        if ppr is not None:
            pstyle = ppr.find(w("pStyle"))
            style = pstyle.get(w("val"), "") if pstyle is not None else ""
            rpr = ppr.find(w("rPr"))
            if rpr is not None:
                mark_inserted = rpr.find(w("ins")) is not None
                mark_deleted = rpr.find(w("del")) is not None
        para = _Para(
            index=index,
            pieces=[],
            marks=[],
            bookmarks=[],
            style=style,
            para_id=p.get(f"{{{W14}}}paraId"),
            in_table=any(a.tag == w("tc") for a in p.iterancestors()),
            mark_inserted=mark_inserted,
            mark_deleted=mark_deleted,
        )
        # A bookmark just before the paragraph (between paragraphs) belongs to it too.
        previous = p.getprevious()
        while previous is not None and previous.tag == w("bookmarkStart"):
            para.bookmarks.append(previous.get(w("name")) or "")
            previous = previous.getprevious()
        _walk_paragraph(p, SAME, False, para, [0])
        yield para


def _heading_styles(styles) -> set[str]:
    """Style ids that are headings: named "heading N" (any case) or with an outline level."""
    found = set()
    if styles is None:
        return found
    for style in styles.iter(w("style")):
        style_id = style.get(w("styleId")) or ""
        name_el = style.find(w("name"))
        name = (name_el.get(w("val")) if name_el is not None else "") or ""
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        if re.fullmatch(r"heading\s*[1-9]", name.strip().lower()) or (
            outline is not None and (outline.get(w("val")) or "9") < "9"
        ):
            found.add(style_id)
    return found


# --- text helpers ---------------------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _heading_key(text: str) -> str:
    return normalise(text).casefold().rstrip(" .:;")


def _fingerprint(*parts: str | None) -> str:
    joined = "\x1f".join(match_key(p or "") for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


# --- the sections of the file ---------------------------------------------------------------


@dataclass
class _Block:
    """The paragraphs of the file under one heading."""

    key: str | None  # the matched section's key; None before the first heading
    heading: str | None  # the heading paragraph's text (None before the first heading)
    heading_para: _Para | None
    paras: list[_Para] = field(default_factory=list)
    unmatched: bool = False


class _SectionMatcher:
    def __init__(self, sections: list[SectionRef]) -> None:
        self.by_key = {s.key: s for s in sections}
        self.by_title: dict[str, list[SectionRef]] = {}
        self.by_heading: dict[str, list[SectionRef]] = {}
        self.by_number: dict[str, list[SectionRef]] = {}
        for s in sections:
            titles = {f"{s.number} {s.heading}", join_heading_number(s.number, s.heading)}
            for key in {_heading_key(title) for title in titles}:
                self.by_title.setdefault(key, []).append(s)
            self.by_heading.setdefault(_heading_key(s.heading), []).append(s)
            if s.number:
                self.by_number.setdefault(_heading_key(s.number), []).append(s)

    def by_bookmark(self, names: Iterable[str]) -> SectionRef | None:
        for name in names:
            if name.startswith(BOOKMARK_PREFIX):
                section = self.by_key.get(name[len(BOOKMARK_PREFIX) :])
                if section is not None:
                    return section
        return None

    def by_text(self, text: str) -> SectionRef | None:
        key = _heading_key(text)
        if not key:
            return None
        for table in (self.by_title, self.by_heading):
            found = table.get(key, [])
            if len(found) == 1:
                return found[0]
        # "1.2. Căn cứ pháp lý (sửa)": the number alone, when only one section has it.
        match = re.match(
            r"^((?:chương|mục|phần|điều|chapter|article)\s+\S+|[\divxlc]+(?:[.)]\d+)*[.)]?)\s", key
        )
        if match:
            found = self.by_number.get(match.group(1).rstrip(" .:;"), [])
            if len(found) == 1:
                return found[0]
        return None


def _blocks(
    paras: list[_Para],
    sections: list[SectionRef],
    heading_styles: set[str],
    lead_key: str | None = None,
):
    matcher = _SectionMatcher(sections)
    blocks = [_Block(key=lead_key, heading=None, heading_para=None)]
    found = by_bookmark = 0
    for para in paras:
        section = matcher.by_bookmark(para.bookmarks)
        is_heading = section is not None or para.style in heading_styles
        if section is not None:
            by_bookmark += 1
        elif is_heading:
            section = matcher.by_text(para.original)
        elif not para.in_table and len(para.original) < 300:
            # A file whose headings are plain paragraphs: one that reads exactly as a heading.
            exact = matcher.by_title.get(_heading_key(para.original), [])
            if len(exact) == 1:
                section, is_heading = exact[0], True
        if is_heading:
            found += section is not None
            blocks.append(
                _Block(
                    key=section.key if section else None,
                    heading=normalise(para.original),
                    heading_para=para,
                    unmatched=section is None,
                )
            )
        else:
            blocks[-1].paras.append(para)
    return blocks, found, by_bookmark


# --- comments -------------------------------------------------------------------------------


@dataclass
class _WordComment:
    id: str
    author: str
    text: str
    para_id: str | None
    parent: str | None = None  # the parent comment's id, for a reply


def _comments(archive: zipfile.ZipFile) -> tuple[dict[str, _WordComment], bool]:
    """The comments by id, in the order of comments.xml, and whether the file says which are
    replies (commentsExtended.xml)."""
    root = _part(archive, "word/comments.xml")
    if root is None:
        return {}, False
    comments: dict[str, _WordComment] = {}
    by_para: dict[str, str] = {}
    for element in root.iter(w("comment")):
        if len(comments) >= MAX_COMMENTS:
            raise MarkupError("The Word document has too many comments to be read.")
        paragraphs = element.findall(f".//{w('p')}")
        texts = []
        for p in paragraphs:
            para = _Para(0, [], [], [], "", None, False)
            _walk_paragraph(p, SAME, False, para, [0])
            texts.append(normalise(para.revised))
        comment_id = element.get(w("id")) or ""
        last_para = paragraphs[-1].get(f"{{{W14}}}paraId") if paragraphs else None
        comments[comment_id] = _WordComment(
            id=comment_id,
            author=normalise(element.get(w("author")) or ""),
            text="\n".join(t for t in texts if t),
            para_id=last_para,
        )
        for p in paragraphs:
            pid = p.get(f"{{{W14}}}paraId")
            if pid:
                by_para[pid] = comment_id
    extended = _part(archive, "word/commentsExtended.xml")
    threaded = extended is not None and extended.find(f"{{{W15}}}commentEx") is not None
    if extended is not None:
        for ex in extended.iter(f"{{{W15}}}commentEx"):
            parent_para = ex.get(f"{{{W15}}}paraIdParent")
            own = by_para.get(ex.get(f"{{{W15}}}paraId") or "")
            if parent_para and own and by_para.get(parent_para) not in (None, own):
                comments[own].parent = by_para[parent_para]
    # A reply to a reply belongs to the same thread: point every reply at the thread's root.
    for comment in comments.values():
        seen = {comment.id}
        while comment.parent and comment.parent in comments and comment.parent not in seen:
            seen.add(comment.parent)
            root_parent = comments[comment.parent].parent
            if not root_parent or root_parent in seen:
                break
            comment.parent = root_parent
    return comments, threaded


def _context(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    before = normalise(text[:start])[-CONTEXT:].lstrip()
    after = normalise(text[end:])[:CONTEXT].rstrip()
    return before or None, after or None


def _thread_by_range(comments: dict[str, _WordComment], starts: dict, ends: dict) -> None:
    """A file that does not say which comments are replies (LibreOffice writes a reply as a
    comment of its own on the same range): comments on exactly the same range are one
    thread, its first comment (in comments.xml) the one the others answer."""
    first_on: dict[tuple, str] = {}
    for cid, comment in comments.items():
        if cid not in starts or comment.parent:
            continue
        (sb, sp, so), (eb, ep, eo) = starts[cid], ends.get(cid, starts[cid])
        where = (sb, sp.index, so, eb, ep.index, eo)
        if where in first_on:
            comment.parent = first_on[where]
        else:
            first_on[where] = cid


def _comment_findings(
    blocks: list[_Block], comments: dict[str, _WordComment], threaded: bool = True
) -> list[Finding]:
    # Where each comment's range starts and ends: (block index, paragraph, offset).
    starts: dict[str, tuple[int, _Para, int]] = {}
    ends: dict[str, tuple[int, _Para, int]] = {}
    order: list[str] = []
    for b, block in enumerate(blocks):
        paras = ([block.heading_para] if block.heading_para else []) + block.paras
        for para in paras:
            for what, cid, offset in para.marks:
                if what == "start":
                    starts.setdefault(cid, (b, para, offset))
                elif what == "end":
                    ends[cid] = (b, para, offset)
                elif cid not in starts:  # a comment on a point, without a range
                    starts[cid] = ends[cid] = (b, para, offset)
                if cid not in order:
                    order.append(cid)
    order += [cid for cid in comments if cid not in order]
    if not threaded:
        _thread_by_range(comments, starts, ends)
    findings = []
    replies: dict[str, list[_WordComment]] = {}
    for comment in comments.values():  # replies in the order they were written
        if comment.parent and comment.parent in comments:
            replies.setdefault(comment.parent, []).append(comment)
    for cid in order:
        comment = comments.get(cid)
        if comment is None or (comment.parent and comment.parent in comments):
            continue
        finding = Finding(
            kind="comment",
            section_key=None,
            body=comment.text,
            authors=list(dict.fromkeys(a for a in [comment.author] if a)),
            para_id=comment.para_id,
        )
        for reply in replies.get(cid, []):
            finding.replies.append((reply.author, reply.text))
            if reply.author and reply.author not in finding.authors:
                finding.authors.append(reply.author)
        where = starts.get(cid)
        if where is None:
            finding.problem = "not_anchored"
        else:
            b, para, offset = where
            block = blocks[b]
            if block.unmatched:
                finding.problem = "unknown_heading"
                finding.quote = block.heading
            elif block.key is None:
                pass  # before the first section: a comment on the whole draft
            else:
                finding.section_key = block.key
                _set_quote(finding, block, para, offset, ends.get(cid, where))
        finding.fingerprint = _fingerprint(
            "comment", finding.section_key, finding.quote, finding.body
        )
        findings.append(finding)
    return findings


def _set_quote(finding: Finding, block: _Block, para: _Para, offset: int, end) -> None:
    """The commented text, from the range's start to its end, within the section's body."""
    _eb, end_para, end_offset = end
    if para is block.heading_para:
        if end_para is block.heading_para:
            return  # a comment on the heading: on the whole section
        para, offset = (block.paras[0], 0) if block.paras else (None, 0)
    if para is None or end_para is block.heading_para:
        return
    if end_para not in block.paras:
        end_para, end_offset = block.paras[-1], len(block.paras[-1].original)
    first, last = block.paras.index(para), block.paras.index(end_para)
    if last < first or (last == first and end_offset <= offset):
        return
    pieces = []
    for i in range(first, last + 1):
        text = block.paras[i].original
        lo = offset if i == first else 0
        hi = end_offset if i == last else len(text)
        pieces.append(text[lo:hi])
    quote = normalise("\n".join(pieces))
    if not quote:
        return
    finding.quote = quote
    finding.quote_prefix = _context(para.original, offset, offset)[0]
    finding.quote_suffix = _context(end_para.original, end_offset, end_offset)[1]


# --- tracked changes ------------------------------------------------------------------------


def _change_of(para: _Para) -> tuple[str, str, bool, bool, str, str] | None:
    """(quote, proposed, deletion, moved, prefix, suffix) for a changed paragraph's changes,
    taken as one: from the first change to the last, widened to whole words."""
    pieces = [(s, t, m) for s, t, m in para.pieces if t]
    changed = [i for i, (s, _t, _m) in enumerate(pieces) if s != SAME]
    if not changed:
        return None
    first, last = changed[0], changed[-1]
    left = "".join(t for _s, t, _m in pieces[:first])
    right = "".join(t for _s, t, _m in pieces[last + 1 :])
    middle = pieces[first : last + 1]
    old = "".join(t for s, t, _m in middle if s != INS)
    new = "".join(t for s, t, _m in middle if s != DEL)
    moved = any(m for _s, _t, m in middle)

    def apart(a: str, b: str) -> bool:  # no word runs across the two characters
        return not a or not b or not (a.isalnum() and b.isalnum())

    whole_words = apart(left[-1:], old[:1]) and apart(old[-1:], right[:1])
    if not new.strip() and old.strip() and whole_words:
        before, after = _context(para.original, len(left), len(left) + len(old))
        return normalise(old), "", True, moved, before or "", after or ""
    grow_left = re.search(r"\S*$", left).group(0)
    grow_right = re.match(r"^\S*", right).group(0)
    if not (grow_left + old + grow_right).strip():
        # An insertion between spaces: anchor it on the word before (or after).
        grow_left = re.search(r"\S+\s*$", left).group(0) if left.strip() else ""
        if not grow_left:
            grow_right = re.match(r"^\s*\S+", right).group(0) if right.strip() else ""
    quote = grow_left + old + grow_right
    proposed = grow_left + new + grow_right
    start = len(left) - len(grow_left)
    before, after = _context(para.original, start, start + len(quote))
    return normalise(quote), normalise(proposed), False, moved, before or "", after or ""


def _change_findings(blocks: list[_Block]) -> list[Finding]:
    findings: list[Finding] = []
    for block in blocks:
        if block.heading_para is not None and block.heading_para.changed:
            para = block.heading_para
            findings.append(
                Finding(
                    kind="change",
                    section_key=block.key,
                    quote=None,
                    proposed_text=None,
                    body=f"{normalise(para.original)}\n→ {normalise(para.revised)}",
                    para_id=para.para_id,
                    problem=None if block.key else "unknown_heading",
                )
            )
            findings[-1].kind = "heading"
        previous: Finding | None = None  # the proposal on the paragraph kept last
        anchor: _Para | None = None  # the last paragraph that stays (not wholly deleted)
        for para in block.paras:
            if para.changed and not para.original.strip():
                # A whole new paragraph: it joins the proposal on the paragraph before it.
                text = normalise(para.revised)
                moved = any(m for _s, _t, m in para.pieces)
                if previous is not None and previous.proposed_text is not None:
                    previous.proposed_text += "\n\n" + text
                    previous.moved = previous.moved or moved
                    continue
                previous = Finding(
                    kind="change",
                    section_key=block.key,
                    quote=normalise(anchor.original) if anchor is not None else None,
                    proposed_text=(
                        f"{normalise(anchor.revised)}\n\n{text}" if anchor is not None else text
                    ),
                    moved=moved,
                    para_id=para.para_id,
                )
                findings.append(previous)
                continue
            change = _change_of(para)
            if normalise(para.revised):
                anchor, previous = para, None
            if change is None:
                continue
            quote, proposed, deletion, moved, before, after = change
            finding = Finding(
                kind="change",
                section_key=block.key,
                quote=quote or None,
                quote_prefix=before or None,
                quote_suffix=after or None,
                proposed_text=None if deletion else proposed,
                proposes_deletion=deletion,
                moved=moved,
                para_id=para.para_id,
            )
            findings.append(finding)
            if anchor is para:
                previous = finding
    for finding in findings:
        if finding.section_key is None and finding.problem is None:
            finding.problem = "outside_sections"
        finding.fingerprint = _fingerprint(
            finding.kind, finding.section_key, finding.quote, finding.proposed_text or finding.body
        )
    return findings


# --- changes made without tracking ----------------------------------------------------------


def _untracked_findings(blocks: list[_Block], sections: list[SectionRef]) -> list[Finding]:
    """A section whose text in the file (tracked changes rejected) differs from the draft's:
    its words from the first difference to the last, as proposed wording."""
    import difflib

    by_key = {s.key: s for s in sections}
    findings = []
    for block in blocks:
        section = by_key.get(block.key or "")
        if section is None:
            continue
        file_text = "\n".join(p.original for p in block.paras)
        if match_key(file_text) == match_key(section.text):
            continue
        ours, theirs = normalise(section.text).split(), normalise(file_text).split()
        matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
        changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
        if not changes:
            continue
        i1, j1 = changes[0][1], changes[0][3]
        i2, j2 = changes[-1][2], changes[-1][4]
        if i1 == i2:  # words added only: anchor them on a neighbouring word
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            elif i2 < len(ours):
                i2, j2 = i2 + 1, j2 + 1
        quote = " ".join(ours[i1:i2])
        proposed = " ".join(theirs[j1:j2])
        finding = Finding(
            kind="untracked",
            section_key=section.key,
            quote=quote or None,
            proposed_text=proposed or None,
            proposes_deletion=bool(quote) and not proposed,
        )
        finding.fingerprint = _fingerprint("untracked", section.key, quote, proposed)
        findings.append(finding)
    return findings


# --- the whole file -------------------------------------------------------------------------


def read_markup(
    data: bytes, sections: list[SectionRef], lead_key: str | None = None
) -> MarkupReport:
    """Every comment, tracked change and untracked change of a marked-up draft.

    What comes before the first heading (the title) is on the whole draft, or on the section
    ``lead_key`` (a draft of one section without a heading)."""
    if not data:
        raise MarkupError("The file is empty.")
    archive = _open(data)
    with archive:
        document = _part(archive, "word/document.xml")
        body = document.find(w("body")) if document is not None else None
        if body is None:
            raise MarkupError("The file is not a valid Word document (.docx).")
        heading_styles = _heading_styles(_part(archive, "word/styles.xml"))
        comments, threaded = _comments(archive)
    paras = list(_paragraphs(body))
    blocks, found, by_bookmark = _blocks(paras, sections, heading_styles, lead_key)
    findings = _comment_findings(blocks, comments, threaded)
    findings += _change_findings(blocks)
    findings += _untracked_findings(blocks, sections)
    return MarkupReport(
        findings=findings, sections_found=found, by_bookmark=by_bookmark, paragraphs=len(paras)
    )
