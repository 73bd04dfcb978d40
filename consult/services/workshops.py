"""Workshops: scheduling, participants and attendance, comments from the floor, and their papers."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from consult.documents import papers
from consult.extensions import db
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
    if not workshop.accepts_floor_comments():
        raise WorkshopError(
            _l(
                "Comments from the floor are recorded from the workshop's day on (%(day)s), "
                "unless the board allows early recording.",
                day=workshop.day.strftime("%d/%m/%Y"),
            )
        )
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


def set_early_recording(workshop: Workshop, allowed: bool, *, actor: User | None = None) -> None:
    """The board chair or an organizer lets comments from the floor be recorded before the
    workshop's day (or withdraws it)."""
    require(
        actor,
        workshop.can_allow_early_recording,
        _l("Only the board's chair and the organizers decide this."),
    )
    if workshop.allows_early_recording == allowed:
        return
    workshop.allows_early_recording = allowed
    db.session.flush()
    audit.record(
        AuditAction.WORKSHOP_CHANGE,
        workshop,
        actor=actor,
        detail={"change": "early_recording", "allowed": allowed},
    )


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


def packet_docx(workshop: Workshop) -> bytes:
    """Before the workshop: the sections on the agenda, with the comments received so far."""
    return papers.packet_docx(workshop, submitted_comments_on(workshop.agenda))


def report_docx(workshop: Workshop) -> bytes:
    """After the workshop: attendance, and the comments made there with their answers."""
    return papers.report_docx(workshop)


def workshop_pdf(workshop: Workshop, packet: bool) -> bytes:
    """The packet or the report as a PDF, with the same content as the Word file."""
    comments = submitted_comments_on(workshop.agenda) if packet else {}
    return papers.workshop_pdf(workshop, packet, comments)
