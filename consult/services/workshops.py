"""Workshops: scheduling, participants and attendance, comments from the floor, and their papers."""

from __future__ import annotations

import io
from datetime import datetime

from docx.shared import Pt
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.drafts.exporter import add_markdown, new_document, save_docx
from consult.extensions import db
from consult.markup import markdown_to_text
from consult.models import (
    AuditAction,
    Comment,
    CommentKind,
    CommentSource,
    Department,
    Draft,
    DraftStatus,
    Section,
    User,
    Workshop,
    WorkshopParticipant,
)
from consult.models.base import utcnow
from consult.services import audit, notifications, require
from consult.services import comments as comment_service
from consult.timeutil import to_vietnam_local


class WorkshopError(ValueError):
    """A workshop rule was broken; the message is for the user."""


def save_workshop(
    workshop: Workshop | None,
    *,
    draft: Draft,
    organizer: User,
    title: str,
    starts_at: datetime,
    place: str,
    notes: str,
    agenda: list[Section],
    invited: list[Department],
) -> Workshop:
    """Create or update a workshop; invited bodies keep their attendance when re-saved."""
    if not draft.can_run_workshops(organizer):
        raise WorkshopError(_l("Only the proposal's organizers and board run its workshops."))
    created = workshop is None
    if draft.status not in (DraftStatus.OPEN, DraftStatus.CLOSED):
        raise WorkshopError(_l("Workshops are held on the current published draft."))
    if any(s.draft_id != draft.id for s in agenda):
        raise WorkshopError(_l("The agenda must list sections of this draft."))
    if workshop is None:
        workshop = Workshop(draft=draft, organizer=organizer)
        db.session.add(workshop)
        changed = False
    else:
        before = (workshop.title, workshop.starts_at, workshop.place)
        changed = before != (title.strip(), starts_at, place.strip())
        if changed:
            workshop.revision += 1
    workshop.title, workshop.starts_at = title.strip(), starts_at
    workshop.place, workshop.notes = place.strip(), (notes or "").strip()
    workshop.agenda = list(agenda)
    wanted = {d.id for d in invited}
    uninvited = set()
    for participant in list(workshop.participants):
        if participant.department_id and participant.department_id not in wanted:
            uninvited.add(participant.department_id)
            workshop.participants.remove(participant)
    present = {p.department_id for p in workshop.participants if p.department_id}
    for department in invited:
        if department.id not in present:
            workshop.participants.append(WorkshopParticipant(department=department))
    db.session.flush()
    audit.record(
        AuditAction.WORKSHOP_CHANGE,
        workshop,
        actor=organizer,
        detail={"change": "created" if created else "edited"},
    )
    notifications.workshop_saved(
        workshop, invited=wanted - present, uninvited=uninvited, changed=changed
    )
    return workshop


def add_guest(
    workshop: Workshop, name: str, organization: str | None, *, actor: User | None = None
) -> WorkshopParticipant:
    name = (name or "").strip()
    if not name:
        raise WorkshopError(_l("Write the guest's name."))
    require(actor, workshop.can_edit)
    guest = WorkshopParticipant(
        guest_name=name, guest_organization=(organization or "").strip() or None, attended=True
    )
    workshop.participants.append(guest)
    db.session.flush()
    audit.record(AuditAction.WORKSHOP_CHANGE, workshop, actor=actor, detail={"change": "guest"})
    return guest


def record_attendance(
    workshop: Workshop, present_ids: set[int], *, actor: User | None = None
) -> None:
    require(actor, workshop.can_edit)
    for participant in workshop.participants:
        participant.attended = participant.id in present_ids
    db.session.flush()
    audit.record(
        AuditAction.WORKSHOP_CHANGE, workshop, actor=actor, detail={"change": "attendance"}
    )


def record_floor_comment(
    workshop: Workshop,
    organizer: User,
    *,
    section: Section | None,
    participant: WorkshopParticipant,
    kind: CommentKind,
    body: str,
) -> Comment:
    """A comment made at the workshop, recorded on behalf of a body or a named guest.

    It enters triage at once, like a submitted comment, marked with its source.
    """
    require(organizer, workshop.can_edit)
    if workshop.draft.status not in (DraftStatus.OPEN, DraftStatus.CLOSED):
        raise WorkshopError(_l("Workshops are held on the current published draft."))
    if participant.workshop_id != workshop.id:
        raise WorkshopError(_l("Choose who spoke among the workshop's participants."))
    if section is not None and section.draft_id != workshop.draft_id:
        raise WorkshopError(_l("This section is not part of the draft."))
    if not (body or "").strip():
        raise WorkshopError(_l("Write the comment before saving it."))
    comment = Comment(
        draft=workshop.draft,
        section=section,
        department_id=participant.department_id,
        guest_name=None if participant.department_id else participant.name,
        workshop=workshop,
        author=organizer,
        kind=kind,
        source=CommentSource.WORKSHOP,
        submitted_at=utcnow(),
    )
    comment_service.set_body(comment, body)
    db.session.add(comment)
    participant.attended = True
    db.session.flush()
    audit.record(
        AuditAction.WORKSHOP_CHANGE, workshop, actor=organizer, detail={"change": "comment"}
    )
    return comment


def submitted_comments_on(sections: list[Section]) -> dict[int, list[Comment]]:
    grouped: dict[int, list[Comment]] = {s.id: [] for s in sections}
    if not sections:
        return grouped
    for comment in db.session.scalars(
        db.select(Comment)
        .where(
            Comment.section_id.in_(list(grouped)),
            Comment.submitted_at.is_not(None),
            Comment.deleted_at.is_(None),
        )
        .options(*comment_service.card_loading())
        .order_by(Comment.id)
    ):
        grouped[comment.section_id].append(comment)
    return grouped


# --- papers ---------------------------------------------------------------------------------


def _heading_block(document, workshop: Workshop, title: str) -> None:
    document.add_heading(title, level=0)
    when = to_vietnam_local(workshop.starts_at).strftime("%H:%M %d/%m/%Y")
    info = document.add_paragraph()
    info.add_run(workshop.title).bold = True
    info.add_run(f"\n{workshop.draft.proposal.title} — {workshop.draft.title}")
    info.add_run(f"\n{_('Time')}: {when}    {_('Place')}: {workshop.place}")


def _comment_paragraphs(document, comment: Comment) -> None:
    head = document.add_paragraph(style="List Bullet")
    head.add_run(comment.speaker).bold = True
    head.add_run(f" ({comment.kind.label}, {comment.source.label})")
    if comment.quote:
        document.add_paragraph(f"“{comment.quote}”").runs[0].italic = True
    document.add_paragraph(comment.body)
    if comment.is_answered:
        answer = document.add_paragraph()
        answer.add_run(f"{_('Drafting board:')} {comment.effective_status.label}. ").bold = True
        answer.add_run(comment.effective.answer or "")


def packet_docx(workshop: Workshop) -> bytes:
    """Before the workshop: the sections on the agenda, with the comments received so far."""
    document = new_document()
    _heading_block(document, workshop, _("Workshop packet"))
    comments = submitted_comments_on(workshop.agenda)
    for section in workshop.agenda:
        document.add_heading(section.title, level=1)
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
        document.add_paragraph(f"{mark} {participant.name}", style="List Bullet")
    document.add_heading(_("Comments from the floor: %(n)d", n=len(workshop.comments)), level=1)
    for comment in workshop.comments:
        if comment.is_deleted:
            continue
        where = comment.section.title if comment.section else _("General comment")
        document.add_paragraph(where).runs[0].bold = True
        _comment_paragraphs(document, comment)
    return save_docx(document)


def _pdf_lines(workshop: Workshop, packet: bool) -> list[tuple[str, str]]:
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
        comments = submitted_comments_on(workshop.agenda)
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


def workshop_pdf(workshop: Workshop, packet: bool) -> bytes:
    from fpdf import FPDF

    from consult.reports.writers import FONT_DIR, PDF_FONT, PDF_FONT_FILES

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    for font_style, name in PDF_FONT_FILES.items():
        pdf.add_font(PDF_FONT, font_style, FONT_DIR / name)
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_font(PDF_FONT, "", 11)
    pdf.add_page()
    sizes = {"title": 16, "heading": 13, "bold": 11, "italic": 11, "text": 11}
    styles = {"title": "B", "heading": "B", "bold": "B", "italic": "I", "text": ""}
    for style, text in _pdf_lines(workshop, packet):
        pdf.set_font(PDF_FONT, style=styles[style], size=sizes[style])
        pdf.multi_cell(0, 6 if style != "title" else 9, text, new_x="LMARGIN", new_y="NEXT")
        if style in ("title", "heading"):
            pdf.ln(2)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()
