"""A workshop's papers, in Word and PDF: the packet before it, the report after it.

The caller passes the comments received on the agenda's sections (the services query them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.shared import Pt
from flask_babel import gettext as _

from consult.documents.exporter import add_markdown, new_document, save_docx
from consult.documents.pdf import write_lines_pdf
from consult.markup import markdown_to_text
from consult.text import single_line, xml_safe
from consult.timeutil import to_vietnam_local

if TYPE_CHECKING:
    from consult.models import Comment, Workshop


def _heading_block(document, workshop: Workshop, title: str) -> None:
    document.add_heading(title, level=0)
    when = to_vietnam_local(workshop.starts_at).strftime("%H:%M %d/%m/%Y")
    info = document.add_paragraph()
    # Every text from a row goes through consult.text: old rows may hold what Word cannot.
    info.add_run(single_line(workshop.title)).bold = True
    draft = workshop.draft
    info.add_run(f"\n{single_line(draft.proposal.title)} — {single_line(draft.title)}")
    info.add_run(f"\n{_('Time')}: {when}    {_('Place')}: {single_line(workshop.place)}")


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
    document = new_document()
    _heading_block(document, workshop, _("Workshop packet"))
    for section in workshop.agenda:
        document.add_heading(single_line(section.title), level=1)
        add_markdown(document, section.body)
        received = comments[section.id]
        sub = document.add_heading(_("Comments received: %(n)d", n=len(received)), level=2)
        sub.runs[0].font.size = Pt(12)
        for comment in received:
            _comment_paragraphs(document, comment)
    return save_docx(document)


def report_docx(workshop: Workshop) -> bytes:
    """After the workshop: attendance, and the comments made there with their answers."""
    document = new_document()
    _heading_block(document, workshop, _("Workshop report"))
    document.add_heading(_("Attendance"), level=1)
    for participant in workshop.participants:
        mark = "✓" if participant.attended else "—"
        document.add_paragraph(f"{mark} {single_line(participant.name)}", style="List Bullet")
    document.add_heading(_("Comments from the floor: %(n)d", n=len(workshop.comments)), level=1)
    for comment in workshop.comments:
        if comment.is_deleted:
            continue
        where = comment.section.title if comment.section else _("General comment")
        document.add_paragraph(single_line(where)).runs[0].bold = True
        _comment_paragraphs(document, comment)
    return save_docx(document)


def _pdf_lines(
    workshop: Workshop, packet: bool, comments: dict[int, list[Comment]]
) -> list[tuple[str, str]]:
    """The same content as the DOCX, as (style, text) lines for the PDF."""
    when = to_vietnam_local(workshop.starts_at).strftime("%H:%M %d/%m/%Y")
    lines = [
        ("title", _("Workshop packet") if packet else _("Workshop report")),
        ("bold", workshop.title),
        ("text", f"{workshop.draft.proposal.title} — {workshop.draft.title}"),
        ("text", f"{_('Time')}: {when}    {_('Place')}: {workshop.place}"),
    ]

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


def workshop_pdf(workshop: Workshop, packet: bool, comments: dict[int, list[Comment]]) -> bytes:
    """The packet (with ``comments``, submitted ones by section id) or the report, as a PDF."""
    return write_lines_pdf(_pdf_lines(workshop, packet, comments))
