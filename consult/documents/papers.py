"""A workshop's papers, in Word and PDF: the packet before it, the report after it.

Both are official papers of the proposal's board, in the Decree 30 frame
(`consult.documents.official`) that the proposal's settings fill. The caller passes the
comments received on the agenda's sections (the services query them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from docx.shared import Pt
from flask_babel import gettext as _

from consult.documents.exporter import add_markdown
from consult.documents.frame import OfficialFrame
from consult.documents.labels import document_labels
from consult.documents.official import official_docx, official_pdf, pdf_paragraph
from consult.markup import markdown_to_text
from consult.text import single_line, xml_safe
from consult.timeutil import to_vietnam_local

if TYPE_CHECKING:
    from consult.models import Comment, Workshop


def paper_frame(workshop: Workshop, packet: bool) -> OfficialFrame:
    """The packet's or the report's frame: the board issues it, dated today (Vietnam)."""
    proposal = workshop.draft.proposal
    kind = _("Workshop packet") if packet else _("Workshop report")
    return OfficialFrame(
        place=proposal.place,
        issued_on=to_vietnam_local(datetime.now(UTC)).date(),
        title_lines=[kind.upper(), single_line(workshop.title)],
        labels=document_labels(),  # the heading and closing in the reader's language too
        **proposal.official_paper(),
    )


def _info_lines(workshop: Workshop) -> list[str]:
    """What the workshop is about, when and where: under the title."""
    when = to_vietnam_local(workshop.starts_at).strftime("%H:%M %d/%m/%Y")
    draft = workshop.draft
    # Every text from a row goes through consult.text: old rows may hold what Word cannot.
    return [
        f"{single_line(draft.proposal.title)} — {single_line(draft.title)}",
        f"{_('Time')}: {when}    {_('Place')}: {single_line(workshop.place)}",
    ]


def _heading_block(document, workshop: Workshop) -> None:
    info = document.add_paragraph()
    for i, line in enumerate(_info_lines(workshop)):
        info.add_run(("\n" if i else "") + line)


def _comment_paragraphs(document, comment: Comment) -> None:
    head = document.add_paragraph(style="List Bullet")
    head.add_run(single_line(comment.speaker)).bold = True
    head.add_run(f" ({comment.kind.label}, {comment.source.label})")
    if comment.quote:
        document.add_paragraph(f"“{xml_safe(comment.quote)}”").runs[0].italic = True
    document.add_paragraph(xml_safe(comment.body))
    if comment.is_answered:
        answer = document.add_paragraph()
        answer.add_run(f"{_('Drafting board:')} {comment.effective_status.label}. ").bold = True
        answer.add_run(xml_safe(comment.effective.answer))


def packet_docx(workshop: Workshop, comments: dict[int, list[Comment]]) -> bytes:
    """Before the workshop: the sections on the agenda, with the comments received so far."""

    def body(document) -> None:
        _heading_block(document, workshop)
        for section in workshop.agenda:
            document.add_heading(single_line(section.title), level=1)
            add_markdown(document, section.body)
            received = comments[section.id]
            sub = document.add_heading(_("Comments received: %(n)d", n=len(received)), level=2)
            sub.runs[0].font.size = Pt(13)
            for comment in received:
                _comment_paragraphs(document, comment)

    return official_docx(paper_frame(workshop, packet=True), body)


def report_docx(workshop: Workshop) -> bytes:
    """After the workshop: attendance, and the comments made there with their answers."""

    def body(document) -> None:
        _heading_block(document, workshop)
        document.add_heading(_("Attendance"), level=1)
        for participant in workshop.participants:
            mark = "✓" if participant.attended else "—"
            document.add_paragraph(f"{mark} {single_line(participant.name)}", style="List Bullet")
        floor = _("Comments from the floor: %(n)d", n=len(workshop.comments))
        document.add_heading(floor, level=1)
        for comment in workshop.comments:
            if comment.is_deleted:
                continue
            where = comment.section.title if comment.section else _("General comment")
            document.add_paragraph(single_line(where)).runs[0].bold = True
            _comment_paragraphs(document, comment)

    return official_docx(paper_frame(workshop, packet=False), body)


def _pdf_lines(
    workshop: Workshop, packet: bool, comments: dict[int, list[Comment]]
) -> list[tuple[str, str]]:
    """The same content as the DOCX, as (style, text) lines for the PDF."""
    lines = [("text", line) for line in _info_lines(workshop)]

    def comment_lines(comment: Comment) -> None:
        lines.append(("bold", f"• {comment.speaker} ({comment.kind.label})"))
        if comment.quote:
            lines.append(("italic", f"“{comment.quote}”"))
        lines.append(("text", comment.body))
        if comment.is_answered:
            lines.append(
                (
                    "text",
                    f"{_('Drafting board:')} {comment.effective_status.label}. "
                    f"{comment.effective.answer}",
                )  # fmt: skip
            )

    if packet:
        for section in workshop.agenda:
            lines.append(("heading", section.title))
            lines.append(("text", markdown_to_text(section.body)))
            lines.append(("bold", _("Comments received: %(n)d", n=len(comments[section.id]))))
            for comment in comments[section.id]:
                comment_lines(comment)
    else:
        lines.append(("heading", _("Attendance")))
        for p in workshop.participants:
            lines.append(("text", f"{'✓' if p.attended else '—'} {p.name}"))
        lines.append(("heading", _("Comments from the floor: %(n)d", n=len(workshop.comments))))
        for comment in workshop.comments:
            if not comment.is_deleted:
                where = comment.section.title if comment.section else _("General comment")
                lines.append(("bold", where))
                comment_lines(comment)
    return lines


_PDF_STYLES = {"heading": ("B", 13, 3.0), "bold": ("B", 13, 1.0), "italic": ("I", 13, 1.0),
               "text": ("", 13, 2.0)}  # fmt: skip


def workshop_pdf(workshop: Workshop, packet: bool, comments: dict[int, list[Comment]]) -> bytes:
    """The packet (with ``comments``, submitted ones by section id) or the report, as a PDF."""
    lines = _pdf_lines(workshop, packet, comments)

    def body(pdf) -> None:
        for style, text in lines:
            font, size, after = _PDF_STYLES[style]
            align = "L" if style in ("heading", "bold") else "J"
            if style == "heading":
                pdf.ln(2)
            pdf_paragraph(pdf, text, style=font, size=size, align=align, after=after)

    return official_pdf(paper_frame(workshop, packet), body)
