"""Word files for working on a draft in Word: the copy made for review (each heading carries
its section's bookmark), and the drafting board's copy with every submitted comment as a
margin comment (its answer as a reply) and each proposed wording as a tracked change."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from consult.documents.exporter import (
    MAX_WORD_LEVEL,
    add_markdown,
    heading_text,
    new_document,
    save_docx,
)
from consult.documents.word_markup import BOOKMARK_PREFIX, W14, W15, W
from consult.models.comments import passage_occurrences
from consult.text import single_line, xml_safe

COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_EXT_CT = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
)
COMMENTS_EXT_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


class ReviewSection(Protocol):
    key: str
    level: int
    number: str
    heading: str
    body: str


def _bookmark(paragraph, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


@dataclass
class _Written:
    document: DocxDocument
    title: object | None  # the title paragraph
    # section key -> (heading paragraph element, body paragraph elements)
    sections: dict[str, tuple[object, list]] = field(default_factory=dict)


def _write(title: str, sections: Iterable[ReviewSection]) -> _Written:
    document = new_document()  # A4 with the Decree 30 margins
    title = single_line(title).strip()
    title_paragraph = document.add_paragraph(title, style="Title") if title else None
    written = _Written(document, title_paragraph._p if title_paragraph is not None else None)
    body = document.element.body
    for number, section in enumerate(sections, start=1):
        level = max(1, min(section.level, MAX_WORD_LEVEL))
        heading = document.add_paragraph(heading_text(section), style=f"Heading {level}")
        _bookmark(heading, f"{BOOKMARK_PREFIX}{section.key}", number)
        before = len(body)
        add_markdown(document, section.body or "")
        added = [e for e in list(body)[before - 1 : -1] if e.tag != qn("w:sectPr")]
        paragraphs = []
        for element in added:
            paragraphs.extend(element.iter(qn("w:p")))
        written.sections[section.key] = (heading._p, [p for p in paragraphs if p is not heading._p])
    return written


def export_for_review(title: str, sections: Iterable[ReviewSection]) -> bytes:
    """The draft as a .docx made for review: A4, Times New Roman, each section a heading
    with a bookmark ``consult_<section key>``, so that a marked-up copy finds its sections
    again even when headings are edited."""
    return save_docx(_write(title, sections).document)


# --- the board's copy with comments -----------------------------------------------------------


@dataclass
class WordComment:
    """A submitted comment as the board's Word copy shows it."""

    section_key: str | None  # None: on the whole draft
    author: str  # the department
    text: str
    quote: str | None = None
    quote_prefix: str | None = None
    quote_suffix: str | None = None
    proposed_text: str | None = None
    proposes_deletion: bool = False
    when: datetime | None = None
    answer: str | None = None  # the board's answer, as a reply
    answer_author: str = ""
    answer_when: datetime | None = None


def _text_runs(paragraph) -> list[tuple[object, object]]:
    """The paragraph's (run, text element) pairs of its original text, in order: what an
    earlier comment of the same copy deleted (w:delText) counts, what it inserted does not,
    so every comment is placed on the draft's own text."""
    found = []
    for t in paragraph.iter(qn("w:t"), qn("w:delText")):
        run = t.getparent()
        if run.tag != qn("w:r") or any(a.tag == qn("w:ins") for a in run.iterancestors()):
            continue
        found.append((run, t))
    return found


def _split_run(run, t, at: int):
    """Split ``run`` (holding the single text ``t``) at ``at``: returns the second run."""
    text = t.text or ""
    second = etree.fromstring(etree.tostring(run))
    run.addnext(second)
    t.text = text[:at]
    second_t = second.find(t.tag)
    second_t.text = text[at:]
    for node in (t, second_t):
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return second


def _isolate(paragraphs: list, start: int, end: int) -> list:
    """The runs covering characters [start, end) of the paragraphs' text (joined by "\\n"),
    each split so that it lies wholly inside; a run holds one w:t after python-docx."""
    runs = []
    offset = 0
    for p in paragraphs:
        for run, t in _text_runs(p):
            text = t.text or ""
            lo, hi = offset, offset + len(text)
            offset = hi
            if hi <= start or lo >= end or not text:
                continue
            if len(run.findall(t.tag)) != 1:
                runs.append(run)
                continue
            if lo < start:
                run = _split_run(run, t, start - lo)
                t = run.find(t.tag)
                lo = start
            if hi > end:
                _split_run(run, t, end - lo)
            runs.append(run)
        offset += 1  # the "\n" between paragraphs
    return runs


def _paragraph_text(paragraph) -> str:
    return "".join(t.text or "" for _r, t in _text_runs(paragraph))


class _Comments:
    def __init__(self, document: DocxDocument) -> None:
        self.root = parse_xml(f"<w:comments {nsdecls('w')} xmlns:w14='{W14}'/>")
        self.extended = etree.fromstring(
            f'<w15:commentsEx xmlns:w15="{W15}" xmlns:mc="http://schemas.openxmlformats.org/'
            f'markup-compatibility/2006" mc:Ignorable="w15"/>'
        )
        self.document = document
        self.next_id = 0
        self.next_para = 0x10000001

    def add(self, author: str, text: str, when: datetime | None, parent_para: str | None = None):
        comment_id = self.next_id
        self.next_id += 1
        para_id = f"{self.next_para:08X}"
        self.next_para += 1
        comment = etree.SubElement(self.root, qn("w:comment"))
        comment.set(qn("w:id"), str(comment_id))
        comment.set(qn("w:author"), single_line(xml_safe(author)) or "?")
        comment.set(qn("w:initials"), "".join(w[:1] for w in author.split())[:8] or "?")
        if when is not None:
            comment.set(qn("w:date"), when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        lines = xml_safe(text).split("\n")
        for index, line in enumerate(lines):
            p = etree.SubElement(comment, qn("w:p"))
            if index == len(lines) - 1:
                p.set(f"{{{W14}}}paraId", para_id)
            if index == 0:
                etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:annotationRef"))
            t = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:t"))
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        ex = etree.SubElement(self.extended, f"{{{W15}}}commentEx")
        ex.set(f"{{{W15}}}paraId", para_id)
        if parent_para:
            ex.set(f"{{{W15}}}paraIdParent", parent_para)
        ex.set(f"{{{W15}}}done", "0")
        return comment_id, para_id

    def attach(self) -> None:
        part = self.document.part
        comments = XmlPart(PackURI("/word/comments.xml"), COMMENTS_CT, self.root, part.package)
        part.relate_to(comments, RELATIONSHIP_TYPE.COMMENTS)
        extended = XmlPart(
            PackURI("/word/commentsExtended.xml"), COMMENTS_EXT_CT, self.extended, part.package
        )
        part.relate_to(extended, COMMENTS_EXT_REL)


def _anchor(runs: list, ids: list[int]) -> None:
    """Comment ranges around ``runs`` (in one or several paragraphs), references after."""
    first, last = runs[0], runs[-1]
    for comment_id in ids:
        start = OxmlElement("w:commentRangeStart")
        start.set(qn("w:id"), str(comment_id))
        first.addprevious(start)
    anchor = last
    for comment_id in ids:
        end = OxmlElement("w:commentRangeEnd")
        end.set(qn("w:id"), str(comment_id))
        anchor.addnext(end)
        reference = parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
            f'<w:commentReference w:id="{comment_id}"/></w:r>'
        )
        end.addnext(reference)
        anchor = reference


class _Revisions:
    def __init__(self) -> None:
        self.next_id = 1000

    def _mark(self, tag: str, author: str, when: datetime | None):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        element.set(qn("w:author"), single_line(xml_safe(author)) or "?")
        if when is not None:
            element.set(qn("w:date"), when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        return element

    def replace(self, runs: list, new_text: str | None, author: str, when) -> None:
        """The runs become a tracked deletion; ``new_text`` a tracked insertion after them."""
        by_paragraph: dict[object, list] = {}
        for run in runs:
            by_paragraph.setdefault(run.getparent(), []).append(run)
        last_del = None
        for group in by_paragraph.values():
            deletion = self._mark("w:del", author, when)
            group[0].addprevious(deletion)
            for run in group:
                for t in run.findall(qn("w:t")):
                    t.tag = qn("w:delText")
                deletion.append(run)
            last_del = deletion
        if new_text and last_del is not None:
            insertion = self._mark("w:ins", author, when)
            template = last_del[0]
            run = OxmlElement("w:r")
            rpr = template.find(qn("w:rPr"))
            if rpr is not None:
                run.append(etree.fromstring(etree.tostring(rpr)))
            for index, line in enumerate(xml_safe(new_text).split("\n")):
                if index:
                    run.append(OxmlElement("w:br"))
                t = OxmlElement("w:t")
                t.text = line
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(t)
            insertion.append(run)
            last_del.addnext(insertion)


def _comment_text(comment: WordComment, labels: dict[str, str]) -> str:
    text = comment.text
    if comment.proposes_deletion:
        text += "\n" + labels["delete"]
    elif comment.proposed_text:
        text += "\n" + labels["proposed"] + " " + comment.proposed_text
    return text


DEFAULT_LABELS = {
    "delete": "Đề xuất bỏ đoạn này.",
    "proposed": "Đề xuất sửa thành:",
    "not_found": "(Đoạn trích không còn tìm thấy trong văn bản: «{quote}».)",
}


def export_with_comments(
    title: str,
    sections: Iterable[ReviewSection],
    comments: Iterable[WordComment],
    labels: dict[str, str] | None = None,
) -> bytes:
    """The draft with each comment in the margin, anchored to its passage (else to its
    section's heading, or the title for comments on the whole draft), its answer as a reply,
    and each proposed wording as a tracked change the board can accept or reject."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    written = _write(title, sections)
    store = _Comments(written.document)
    revisions = _Revisions()
    changed: dict[object, list[tuple[int, int]]] = {}  # paragraphs' spans already revised
    for comment in comments:
        heading, paragraphs = written.sections.get(comment.section_key or "", (None, []))
        target_runs: list = []
        span = None
        if heading is not None and comment.quote and paragraphs:
            text = "\n".join(_paragraph_text(p) for p in paragraphs)
            found = passage_occurrences(
                text, comment.quote, comment.quote_prefix, comment.quote_suffix
            )
            if found:
                span = found[0]
                target_runs = _isolate(paragraphs, *span)
        text = _comment_text(comment, labels)
        if comment.quote and not target_runs:
            text += "\n" + labels["not_found"].format(quote=comment.quote)
        if not target_runs:
            anchor = heading if heading is not None else written.title
            if anchor is None:
                anchor = written.document.add_paragraph()._p
            target_runs = [r for r, _t in _text_runs(anchor)]
            if not target_runs:
                run = OxmlElement("w:r")
                anchor.append(run)
                target_runs = [run]
        comment_id, para_id = store.add(comment.author, text, comment.when)
        ids = [comment_id]
        if comment.answer:
            reply_id, _ = store.add(
                comment.answer_author or "?", comment.answer, comment.answer_when, para_id
            )
            ids.append(reply_id)
        _anchor(target_runs, ids)
        wants_change = span is not None and (comment.proposes_deletion or comment.proposed_text)
        key = comment.section_key
        if wants_change and not any(a < span[1] and span[0] < b for a, b in changed.get(key, [])):
            changed.setdefault(key, []).append(span)
            new = None if comment.proposes_deletion else comment.proposed_text
            revisions.replace(target_runs, new, comment.author, comment.when)
    store.attach()
    return save_docx(written.document)


def read_back(data: bytes) -> dict:
    """What a Word copy holds, for tests and the benchmark: comments (id, author, text,
    parent) and tracked insertions and deletions."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        document = etree.fromstring(archive.read("word/document.xml"))
        comments = (
            etree.fromstring(archive.read("word/comments.xml"))
            if "word/comments.xml" in names
            else None
        )
    out: dict = {"comments": [], "insertions": [], "deletions": [], "bookmarks": []}
    if comments is not None:
        for c in comments.iter(f"{{{W}}}comment"):
            out["comments"].append(
                {
                    "id": c.get(f"{{{W}}}id"),
                    "author": c.get(f"{{{W}}}author"),
                    "text": "\n".join(
                        "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
                        for p in c.iter(f"{{{W}}}p")
                    ),
                }
            )
    for ins in document.iter(f"{{{W}}}ins"):
        out["insertions"].append("".join(t.text or "" for t in ins.iter(f"{{{W}}}t")))
    for d in document.iter(f"{{{W}}}del"):
        out["deletions"].append("".join(t.text or "" for t in d.iter(f"{{{W}}}delText")))
    for b in document.iter(f"{{{W}}}bookmarkStart"):
        out["bookmarks"].append(b.get(f"{{{W}}}name"))
    return out
