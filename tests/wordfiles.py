"""Marked-up Word files built with lxml, the way Word and LibreOffice write them: margin
comments with ranges (comments.xml), replies (commentsExtended.xml, w15:paraIdParent),
tracked insertions and deletions (w:ins, w:del with w:delText, a deleted paragraph mark),
moved text (w:moveFrom, w:moveTo), tables, bookmarks.

A paragraph is a list of pieces:
    "text"                      plain text
    ("ins", "text")             a tracked insertion       ("del", "text")  a tracked deletion
    ("from", "text")            moved away from here      ("to", "text")   moved to here
    ("start", id) / ("end", id) the range of comment ``id`` (the reference follows the end)
    ("bookmark", name)          a bookmark
A block is ``Para(pieces, style=...)`` or ``Table([[cell paragraphs], ...])``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NS = {"w": W, "w14": W14, "w15": W15}


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


@dataclass
class Para:
    pieces: list
    style: str | None = None
    mark: str | None = None  # "ins" or "del": the paragraph mark itself is tracked


@dataclass
class Table:
    rows: list[list[list[Para]]]


@dataclass
class Note:
    id: int
    author: str
    text: str
    parent: int | None = None  # the comment this one replies to


@dataclass
class Dialect:
    """How a tool writes the same things."""

    name: str = "word"
    para_ids: bool = True  # Word gives every paragraph a w14:paraId; LibreOffice older did not
    heading_style: str = "Heading1"
    heading_name: str = "heading 1"
    replies_extended: bool = True


WORD = Dialect()
# LibreOffice 7.4 writes a reply as a comment of its own on the same range, without
# commentsExtended.xml, and renumbers the comments (the reply may get the lower id).
LIBREOFFICE = Dialect(
    name="libreoffice",
    para_ids=False,
    heading_style="Heading1",
    heading_name="Heading 1",
    replies_extended=False,
)


@dataclass
class _Builder:
    dialect: Dialect
    next_id: int = 100
    next_para: int = 0x2A000001
    by_comment_para: dict = field(default_factory=dict)

    def para_id(self) -> str:
        value = f"{self.next_para:08X}"
        self.next_para += 1
        return value

    def revision(self, tag: str):
        element = etree.Element(q(tag))
        element.set(q("w:id"), str(self.next_id))
        element.set(q("w:author"), "Nguyễn Văn Sửa")
        element.set(q("w:date"), "2026-12-01T08:00:00Z")
        self.next_id += 1
        return element

    def run(self, text: str, deleted: bool = False):
        r = etree.Element(q("w:r"))
        t = etree.SubElement(r, q("w:delText" if deleted else "w:t"))
        t.text = text
        t.set(XML_SPACE, "preserve")
        return r

    def paragraph(self, para: Para):
        p = etree.Element(q("w:p"))
        if self.dialect.para_ids:
            p.set(q("w14:paraId"), self.para_id())
        ppr = etree.SubElement(p, q("w:pPr"))
        if para.style:
            etree.SubElement(ppr, q("w:pStyle")).set(q("w:val"), para.style)
        if para.mark:
            rpr = etree.SubElement(ppr, q("w:rPr"))
            rpr.append(self.revision(f"w:{para.mark}"))
        for piece in para.pieces:
            if isinstance(piece, str):
                p.append(self.run(piece))
                continue
            what, value = piece
            if what in ("ins", "to"):
                element = self.revision("w:ins" if what == "ins" else "w:moveTo")
                element.append(self.run(value))
                p.append(element)
            elif what in ("del", "from"):
                element = self.revision("w:del" if what == "del" else "w:moveFrom")
                # Deleted text is w:delText; moved-away text stays w:t inside w:moveFrom.
                element.append(self.run(value, deleted=what == "del"))
                p.append(element)
            elif what == "start":
                etree.SubElement(p, q("w:commentRangeStart")).set(q("w:id"), str(value))
            elif what == "end":
                etree.SubElement(p, q("w:commentRangeEnd")).set(q("w:id"), str(value))
                r = etree.SubElement(p, q("w:r"))
                etree.SubElement(r, q("w:commentReference")).set(q("w:id"), str(value))
            elif what == "bookmark":
                start = etree.SubElement(p, q("w:bookmarkStart"))
                start.set(q("w:id"), str(self.next_id))
                start.set(q("w:name"), value)
                etree.SubElement(p, q("w:bookmarkEnd")).set(q("w:id"), str(self.next_id))
                self.next_id += 1
        return p


def _styles(dialect: Dialect) -> bytes:
    return (
        f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Normal">'
        '<w:name w:val="Normal"/></w:style>'
        f'<w:style w:type="paragraph" w:styleId="{dialect.heading_style}">'
        f'<w:name w:val="{dialect.heading_name}"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>'
        '</w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
        '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
        "</w:styles>"
    ).encode()


_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.comments+xml"/>'
    '<Override PartName="/word/commentsExtended.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/>'
    "</Types>"
)
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/comments" Target="comments.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2011/relationships/'
    'commentsExtended" Target="commentsExtended.xml"/></Relationships>'
)


def _comments_parts(builder: _Builder, notes: list[Note]) -> tuple[bytes, bytes]:
    root = etree.Element(q("w:comments"), nsmap={"w": W, "w14": W14})
    extended = etree.Element(q("w15:commentsEx"), nsmap={"w15": W15})
    para_of: dict[int, str] = {}
    for note in notes:
        comment = etree.SubElement(root, q("w:comment"))
        comment.set(q("w:id"), str(note.id))
        comment.set(q("w:author"), note.author)
        comment.set(q("w:initials"), note.author[:1])
        comment.set(q("w:date"), "2026-12-01T09:00:00Z")
        lines = note.text.split("\n")
        for index, line in enumerate(lines):
            p = etree.SubElement(comment, q("w:p"))
            pid = builder.para_id()
            # Replies need paragraph ids: LibreOffice writes them on comments too.
            p.set(q("w14:paraId"), pid)
            if index == len(lines) - 1:
                para_of[note.id] = pid
            r = etree.SubElement(p, q("w:r"))
            if index == 0:
                etree.SubElement(r, q("w:annotationRef"))
            t = etree.SubElement(r, q("w:t"))
            t.text = line
    for note in notes if builder.dialect.replies_extended else ():
        ex = etree.SubElement(extended, q("w15:commentEx"))
        ex.set(q("w15:paraId"), para_of[note.id])
        if note.parent is not None:
            ex.set(q("w15:paraIdParent"), para_of[note.parent])
        ex.set(q("w15:done"), "0")
    return etree.tostring(root), etree.tostring(extended)


def build_docx(blocks: list, notes: list[Note] = (), dialect: Dialect = WORD) -> bytes:
    """A .docx package of ``blocks`` (Para and Table) with ``notes`` as its comments."""
    builder = _Builder(dialect)
    document = etree.Element(q("w:document"), nsmap={"w": W, "w14": W14})
    body = etree.SubElement(document, q("w:body"))
    for block in blocks:
        if isinstance(block, Para):
            body.append(builder.paragraph(block))
            continue
        table = etree.SubElement(body, q("w:tbl"))
        for row in block.rows:
            tr = etree.SubElement(table, q("w:tr"))
            for cell in row:
                tc = etree.SubElement(tr, q("w:tc"))
                for para in cell:
                    tc.append(builder.paragraph(para))
    etree.SubElement(body, q("w:sectPr"))
    comments, extended = _comments_parts(builder, list(notes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        archive.writestr("word/document.xml", etree.tostring(document))
        archive.writestr("word/styles.xml", _styles(dialect))
        archive.writestr("word/comments.xml", comments)
        archive.writestr("word/commentsExtended.xml", extended)
    return out.getvalue()


# --- marking up a file the portal exported ----------------------------------------------------


def _find_text_run(document, text: str):
    """The first run holding ``text``, the title apart."""
    for t in document.iter(q("w:t")):
        paragraph = next(t.iterancestors(q("w:p")))
        if paragraph.find(f"{q('w:pPr')}/{q('w:pStyle')}[@{q('w:val')}='Title']") is not None:
            continue
        if t.text and text in t.text:
            return t.getparent(), t
    raise AssertionError(f"{text!r} is not in the document")


def _split_out(document, text: str):
    """The run holding exactly ``text``, split out of the run it was in."""
    run, t = _find_text_run(document, text)
    whole = t.text
    at = whole.index(text)
    pieces = [whole[:at], text, whole[at + len(text) :]]
    runs = []
    for piece in pieces:
        new = etree.fromstring(etree.tostring(run))
        new_t = new.find(q("w:t"))
        new_t.text = piece
        new_t.set(XML_SPACE, "preserve")
        run.addprevious(new)
        runs.append(new)
    run.getparent().remove(run)
    for new, piece in zip(runs, pieces, strict=True):
        if not piece:
            new.getparent().remove(new)
    return runs[1]


class MarkUp:
    """Open an exported .docx, add comments and tracked changes the way Word does, save."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.files = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.files["word/document.xml"])
        self.builder = _Builder(WORD)
        self.notes: list[Note] = []

    def comment(self, text: str, note: str, author: str = "Võ Thanh Tâm", replies=()) -> None:
        """A comment on ``text`` and its replies; Word gives each reply the same range and a
        reference of its own, and names its parent in commentsExtended.xml."""
        run = _split_out(self.document, text)
        parent = len(self.notes) + 1
        ids = [parent] + [parent + 1 + i for i in range(len(replies))]
        anchor = run
        for note_id in ids:
            start = etree.Element(q("w:commentRangeStart"))
            start.set(q("w:id"), str(note_id))
            run.addprevious(start)
        for note_id in ids:
            end = etree.Element(q("w:commentRangeEnd"))
            end.set(q("w:id"), str(note_id))
            anchor.addnext(end)
            reference = etree.Element(q("w:r"))
            etree.SubElement(reference, q("w:commentReference")).set(q("w:id"), str(note_id))
            end.addnext(reference)
            anchor = reference
        self.notes.append(Note(parent, author, note))
        for reply_author, reply_text in replies:
            self.notes.append(Note(len(self.notes) + 1, reply_author, reply_text, parent=parent))

    def replace(self, old: str, new: str | None) -> None:
        """Track a change of ``old`` (in one run) into ``new`` (None: deleted)."""
        run = _split_out(self.document, old)
        deletion = self.builder.revision("w:del")
        run.addprevious(deletion)
        deletion.append(run)
        run.find(q("w:t")).tag = q("w:delText")
        if new:
            insertion = self.builder.revision("w:ins")
            new_run = etree.fromstring(etree.tostring(run))
            new_run.find(q("w:delText")).tag = q("w:t")
            new_run.find(q("w:t")).text = new
            insertion.append(new_run)
            deletion.addnext(insertion)

    def edit_untracked(self, old: str, new: str) -> None:
        _run, t = _find_text_run(self.document, old)
        t.text = t.text.replace(old, new)

    def save(self) -> bytes:
        comments, extended = _comments_parts(self.builder, self.notes)
        files = dict(self.files)
        files["word/document.xml"] = etree.tostring(self.document)
        files["word/comments.xml"] = comments
        files["word/commentsExtended.xml"] = extended
        types = files["[Content_Types].xml"].decode()
        if "comments.xml" not in types:
            types = types.replace(
                "</Types>",
                '<Override PartName="/word/comments.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                '<Override PartName="/word/commentsExtended.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/></Types>',
            )
        files["[Content_Types].xml"] = types.encode()
        rels = files["word/_rels/document.xml.rels"].decode()
        if "comments.xml" not in rels:
            rels = rels.replace(
                "</Relationships>",
                '<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/comments" Target="comments.xml"/>'
                '<Relationship Id="rIdC2" Type="http://schemas.microsoft.com/office/2011/'
                'relationships/commentsExtended" Target="commentsExtended.xml"/></Relationships>',
            )
        files["word/_rels/document.xml.rels"] = rels.encode()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        return out.getvalue()
