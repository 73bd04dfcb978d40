"""Writing, editing, merging and submitting department comments; invitations and extensions."""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Select, String, bindparam, case, func, or_, select, type_coerce, update
from sqlalchemy.orm import aliased, defer, joinedload, selectinload
from werkzeug.datastructures import FileStorage

from consult import uploads
from consult.extensions import db
from consult.markup import render_markdown
from consult.models import (
    Attachment,
    Comment,
    CommentKind,
    CommentRevision,
    Department,
    DepartmentResponse,
    Draft,
    DraftInvitation,
    ResponseKind,
    Section,
    User,
    Workshop,
)
from consult.models.audit import AuditAction
from consult.models.base import utcnow
from consult.models.comments import (
    REMIND_INTERVAL,
    locate_passage,
    passage_context,
    passage_occurrences,
)
from consult.services import audit, notifications, require
from consult.text import xml_safe
from consult.textsearch import fold


class CommentError(ValueError):
    """A comment rule was broken; the message is for the user."""


def filter_comments(
    query,
    *,
    section=None,
    kind=None,
    status=None,
    duplicates=False,
    source=None,
    q=None,
    scan=False,
):
    """Narrow a select() of comments; ``section`` 0 means the general comments, ``q`` is a
    search of the text (diacritics aside, from the text index; with ``scan``, tested on
    each row the other filters leave, see `Comment.text_scan`).

    The triage inbox, the summary report and the API offer the same filters: one place
    applies them.
    """
    if section == 0:
        query = query.where(Comment.section_id.is_(None))
    elif section:
        query = query.where(Comment.section_id == section)
    if kind:
        query = query.where(Comment.kind == kind)
    if status or duplicates:
        query = query.where(Comment.status_clause(status, duplicates=duplicates))
    if source:
        query = query.where(Comment.source == source)
    if q:
        query = query.where(Comment.text_scan(q) if scan else Comment.text_search(q))
    return query


def card_loading():
    """What a comment card shows, loaded with the list rather than once per card.

    The card shows the rendered HTML: the Markdown source and the search text (as long
    again) stay in the database until something asks for them.
    """
    return (
        defer(Comment.body),
        defer(Comment.search_text),
        joinedload(Comment.department),
        joinedload(Comment.author),
        selectinload(Comment.attachments),
        selectinload(Comment.revisions),
        selectinload(Comment.duplicate_of).options(defer(Comment.body), defer(Comment.search_text)),
        # Cards show a section's title, never its text.
        selectinload(Comment.addressed_in).options(*_section_title_only()),
        selectinload(Comment.section).options(*_section_title_only()),
    )


def _section_title_only():
    return (defer(Section.body), defer(Section.body_html))


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def section_plain_text(section: Section) -> str:
    # body_html is our own sanitized rendering; striptags only reads its text.
    return _normalise(Markup(section.body_html).striptags())  # noqa: S704  # nosec B704


@dataclass(frozen=True)
class Passage:
    """A quoted passage as stored: whitespace-normalised, with the rendered text around it
    when that is known (it tells apart several occurrences of a short quote)."""

    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None


def clean_passage(
    section: Section | None,
    quote: str | None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Passage:
    """The quoted passage, checked to be in the section's text, with its context.

    The context stored is always the section's own text around the occurrence meant: the one
    the given ``prefix`` and ``suffix`` (from the page's selection, or a Word file) point at,
    or the only one. A quote that occurs several times without context keeps none.
    """
    quote = _normalise(quote or "")
    if not quote:
        return Passage()
    if section is None:
        raise CommentError(_l("A quoted passage needs a section."))
    text = section_plain_text(section)
    prefix, suffix = _normalise(prefix or "") or None, _normalise(suffix or "") or None
    found = passage_occurrences(text, quote, prefix, suffix)
    if not found:
        raise CommentError(_l("The quoted passage is not in this section's text."))
    if quote not in text:
        # Found once spaces are ignored (copied across paragraphs or table cells): the
        # section's own words are kept.
        quote = _normalise(text[slice(*found[0])])
    if len(found) > 1 and locate_passage(text, quote, prefix, suffix) is None:
        return Passage(quote)
    before, after = passage_context(text, *found[0])
    return Passage(quote, before or None, after or None)


def clean_quote(section: Section | None, quote: str | None) -> str | None:
    """The quoted passage, whitespace-normalised, checked to be in the section's text."""
    return clean_passage(section, quote).quote


def _check_proposal(section: Section | None, proposed: str | None, deletion: bool) -> None:
    if not deletion:
        return
    if proposed:
        raise CommentError(
            _l("Propose either new wording or deleting the passage, not both at once.")
        )
    if section is None:
        raise CommentError(_l("A deletion is proposed for a section or a passage of it."))


def _require_commenter(user: User, draft: Draft) -> int:
    """The body ``user`` writes for on ``draft`` now (Draft.commenting_body), or refuse."""
    if draft.proposal.speaks_for(user) is None:
        raise CommentError(_l("Only reviewers and leads of a consulted body can comment."))
    body_id = draft.commenting_body(user)
    if body_id is None:
        raise CommentError(closed_message(user))
    return body_id


def closed_message(user: User):
    """Why ``user``'s body may not write on a draft now (Draft.commenting_body said no)."""
    if user.department is not None and not user.department.is_active:
        return _l(
            "Your body has been deactivated on the portal: its comments and responses stay "
            "readable, but nothing more can be written on its behalf."
        )
    return _l("The comment period is not open for your department.")


def _require_lead(user: User, draft: Draft) -> int:
    if not user.is_lead:
        raise CommentError(_l("Only the department lead can do this."))
    return _require_commenter(user, draft)


def _attach(
    comment: Comment | None, files: list[FileStorage], user: User, allowed
) -> list[Attachment]:
    stored = []
    for storage in files:
        if not storage or not storage.filename:
            continue
        info = uploads.store_upload(
            storage, allowed=allowed, max_bytes=current_app.config["MAX_ATTACHMENT_BYTES"]
        )
        attachment = Attachment(
            comment=comment,
            stored_name=info.stored_name,
            original_name=info.original_name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=user,
        )
        db.session.add(attachment)
        stored.append(attachment)
    return stored


def _check_files(files: list[FileStorage], already_attached: int = 0) -> None:
    new = len([f for f in files if f and f.filename])
    if new + already_attached > current_app.config["MAX_ATTACHMENTS"]:
        raise CommentError(
            _l("At most %(n)d files can be attached.", n=current_app.config["MAX_ATTACHMENTS"])
        )


def create_comment(
    draft: Draft,
    section: Section | None,
    author: User,
    *,
    kind: CommentKind,
    body: str,
    quote: str | None = None,
    quote_prefix: str | None = None,
    quote_suffix: str | None = None,
    proposed_text: str | None = None,
    proposes_deletion: bool = False,
    files: list[FileStorage] = (),
) -> Comment:
    body_id = _require_commenter(author, draft)
    if section is not None and section.draft_id != draft.id:
        raise CommentError(_l("This section is not part of the draft."))
    if not (body or "").strip():
        raise CommentError(_l("Write the comment before saving it."))
    files = list(files)
    _check_files(files)
    passage = clean_passage(section, quote, quote_prefix, quote_suffix)
    proposed = (proposed_text or "").strip() or None
    _check_proposal(section, proposed, proposes_deletion)
    comment = Comment(
        draft=draft,
        section=section,
        department_id=body_id,
        author=author,
        kind=kind,
        quote=passage.quote,
        quote_prefix=passage.prefix,
        quote_suffix=passage.suffix,
        proposed_text=proposed,
        proposes_deletion=bool(proposes_deletion),
    )
    set_body(comment, body)
    db.session.add(comment)
    try:
        _attach(comment, files, author, uploads.COMMENT_KINDS)
    except uploads.UploadError as exc:
        raise CommentError(str(exc)) from exc
    db.session.flush()
    audit.record(
        AuditAction.COMMENT_CREATE,
        comment,
        actor=author,
        detail={"department": body_id, "section": section.key if section else None},
    )
    return comment


def set_body(comment: Comment, body: str) -> None:
    """Set the text (after the quote and proposed wording) and what derives from it."""
    comment.body = xml_safe(body).strip()
    comment.body_html = str(render_markdown(comment.body))
    comment.search_text = fold(
        " ".join(filter(None, [comment.body, comment.quote, comment.proposed_text]))
    )


def _record_revision(comment: Comment, editor: User) -> None:
    db.session.add(
        CommentRevision(
            comment=comment,
            editor=editor,
            kind=comment.kind,
            body=comment.body,
            quote=comment.quote,
            proposed_text=comment.proposed_text,
            proposes_deletion=comment.proposes_deletion,
        )
    )


def edit_comment(
    comment: Comment,
    editor: User,
    *,
    kind: CommentKind,
    body: str,
    quote: str | None,
    proposed_text: str | None,
    quote_prefix: str | None = None,
    quote_suffix: str | None = None,
    proposes_deletion: bool = False,
    files: list[FileStorage] = (),
) -> None:
    if not comment.can_edit(editor):
        raise CommentError(_l("This comment can no longer be changed."))
    if not (body or "").strip():
        raise CommentError(_l("Write the comment before saving it."))
    files = list(files)
    _check_files(files, already_attached=len(comment.attachments))
    if _normalise(quote or "") == comment.quote and not (quote_prefix or quote_suffix):
        # The same passage: keep the occurrence it was located at.
        quote_prefix, quote_suffix = comment.quote_prefix, comment.quote_suffix
    passage = clean_passage(comment.section, quote, quote_prefix, quote_suffix)
    new_proposed = (proposed_text or "").strip() or None
    deletion = bool(proposes_deletion)
    _check_proposal(comment.section, new_proposed, deletion)
    changed = (kind, body.strip(), passage.quote, new_proposed, deletion) != (
        comment.kind,
        comment.body,
        comment.quote,
        comment.proposed_text,
        comment.proposes_deletion,
    )
    if changed or (passage.prefix, passage.suffix) != (comment.quote_prefix, comment.quote_suffix):
        if changed:
            _record_revision(comment, editor)
        comment.kind, comment.quote, comment.proposed_text = kind, passage.quote, new_proposed
        comment.quote_prefix, comment.quote_suffix = passage.prefix, passage.suffix
        comment.proposes_deletion = deletion
        set_body(comment, body)
    try:
        _attach(comment, files, editor, uploads.COMMENT_KINDS)
    except uploads.UploadError as exc:
        raise CommentError(str(exc)) from exc
    db.session.flush()


def delete_comment(comment: Comment, user: User) -> None:
    if not comment.can_delete(user):
        raise CommentError(_l("You cannot remove this comment."))
    comment.remove()
    db.session.flush()


def merge_comments(comments: list[Comment], lead: User) -> Comment:
    """Fold several unsubmitted comments into the oldest one; the others point at it."""
    if len(comments) < 2:
        raise CommentError(_l("Choose at least two comments to merge."))
    comments = sorted(comments, key=lambda c: c.id)
    target = comments[0]
    _require_lead(lead, target.draft)
    if any(not c.can_edit(lead) for c in comments):
        raise CommentError(_l("Only your department's unsubmitted comments can be merged."))
    if len({c.section_id for c in comments}) > 1:
        raise CommentError(_l("Only comments on the same section can be merged."))
    _record_revision(target, lead)
    quoting = next((c for c in comments if c.quote), None)
    target.quote = quoting.quote if quoting else None
    target.quote_prefix = quoting.quote_prefix if quoting else None
    target.quote_suffix = quoting.quote_suffix if quoting else None
    proposals = list(dict.fromkeys(c.proposed_text for c in comments if c.proposed_text))
    target.proposed_text = "\n\n".join(proposals) or None
    # New wording, where any was proposed, says more than deleting the passage.
    target.proposes_deletion = not proposals and any(c.proposes_deletion for c in comments)
    set_body(target, "\n\n".join(c.body for c in comments))
    now = utcnow()
    for other in comments[1:]:
        other.fold_into(target, now)
        for attachment in list(other.attachments):
            attachment.comment = target
    db.session.flush()
    audit.record(
        AuditAction.COMMENT_MERGE, target, actor=lead, detail={"merged": [c.id for c in comments]}
    )
    return target


def _department_comments(draft: Draft, department_id: int, condition) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.draft_id == draft.id,
                Comment.department_id == department_id,
                Comment.deleted_at.is_(None),
                condition,
            )
            .options(*card_loading())
            .order_by(Comment.id)
        )
    )


def unsubmitted_comments(draft: Draft, department_id: int) -> list[Comment]:
    return _department_comments(draft, department_id, Comment.submitted_at.is_(None))


def said_at_workshops(draft: Draft, department_id: int) -> list[Comment]:
    """What the department's people said at workshops on the draft, recorded by organizers."""
    return _department_comments(draft, department_id, Comment.workshop_id.is_not(None))


def commenting_departments(draft: Draft) -> list[Department]:
    """The departments with submitted comments on the draft, for filter lists."""
    return list(
        db.session.scalars(
            # One index probe per department, rather than a pass over every comment.
            select(Department)
            .where(
                select(Comment.id)
                .where(
                    Comment.draft_id == draft.id,
                    Comment.department_id == Department.id,
                    Comment.submitted_at.is_not(None),
                )
                .exists()
            )
            .order_by(Department.name)
        )
    )


def responses_of(draft: Draft, department_id: int) -> list[DepartmentResponse]:
    return list(
        db.session.scalars(
            select(DepartmentResponse)
            .where(
                DepartmentResponse.draft_id == draft.id,
                DepartmentResponse.department_id == department_id,
            )
            .options(
                joinedload(DepartmentResponse.submitted_by),
                joinedload(DepartmentResponse.letter),
                selectinload(DepartmentResponse.comments).options(*card_loading()),
            )
            .order_by(DepartmentResponse.sequence)
        )
    )


def _new_response(
    draft: Draft,
    lead: User,
    kind: ResponseKind,
    letter_number: str | None,
    letter_date: date | None,
    letter_file: FileStorage | None,
    note: str,
) -> DepartmentResponse:
    previous = responses_of(draft, lead.department_id)
    response = DepartmentResponse(
        draft=draft,
        department_id=lead.department_id,  # checked by _require_lead: the body it speaks for
        sequence=len(previous) + 1,
        kind=kind,
        submitted_by=lead,
        submitted_at=utcnow(),
        letter_number=(letter_number or "").strip() or None,
        letter_date=letter_date,
        note=(note or "").strip(),
    )
    db.session.add(response)
    if letter_file is not None and letter_file.filename:
        try:
            (letter,) = _attach(None, [letter_file], lead, uploads.LETTER_KINDS)
        except uploads.UploadError as exc:
            raise CommentError(str(exc)) from exc
        db.session.flush()
        response.letter = letter
    return response


def submit_response(
    draft: Draft,
    lead: User,
    *,
    letter_number: str | None = None,
    letter_date: date | None = None,
    letter_file: FileStorage | None = None,
    note: str = "",
) -> DepartmentResponse:
    """Submit the department's unsubmitted comments as its official (or supplementary) response."""
    _require_lead(lead, draft)
    pending = unsubmitted_comments(draft, lead.department_id)
    if not pending:
        raise CommentError(_l("There is no comment to submit."))
    response = _new_response(
        draft, lead, ResponseKind.COMMENTS, letter_number, letter_date, letter_file, note
    )
    for comment in pending:
        comment.submit(response, response.submitted_at)
    db.session.flush()
    audit.record(AuditAction.RESPONSE_SUBMIT, response, actor=lead, detail={"kind": response.kind})
    notifications.response_received(response, comments=len(pending))
    return response


def agree_with_draft(
    draft: Draft,
    lead: User,
    *,
    letter_number: str | None = None,
    letter_date: date | None = None,
    letter_file: FileStorage | None = None,
) -> DepartmentResponse:
    """Record "thống nhất với dự thảo, không có ý kiến khác" as the department's response."""
    _require_lead(lead, draft)
    if responses_of(draft, lead.department_id):
        raise CommentError(_l("Your department has already responded."))
    if unsubmitted_comments(draft, lead.department_id):
        raise CommentError(_l("Your department has draft comments: submit or remove them first."))
    response = _new_response(
        draft, lead, ResponseKind.AGREE, letter_number, letter_date, letter_file, ""
    )
    db.session.flush()
    audit.record(AuditAction.RESPONSE_SUBMIT, response, actor=lead, detail={"kind": response.kind})
    notifications.response_received(response, comments=0)
    return response


# --- the drafting team's side ---------------------------------------------------------------


def invite_departments(
    draft: Draft, departments: list[Department] | None = None, *, actor: User | None = None
) -> None:
    """Invite the given bodies (default: every active consulted body) to comment."""
    require(actor, draft.can_manage)
    if departments is None:
        departments = list(
            db.session.scalars(select(Department).where(Department.is_active.is_(True)))
        )
    present = {i.department_id for i in draft.invitations}
    inactive = [d.name for d in departments if not d.is_active and d.id not in present]
    if inactive:
        raise CommentError(
            _l("Deactivated bodies cannot be invited: %(names)s.", names=", ".join(inactive))
        )
    # The lead agency drafts the proposal: it is never consulted on it.
    wanted = {d.id for d in draft.proposal.consultable(departments)}
    for invitation in list(draft.invitations):
        if invitation.department_id not in wanted and not responses_of(
            draft, invitation.department_id
        ):
            draft.invitations.remove(invitation)
    present = {i.department_id for i in draft.invitations}
    for department_id in sorted(wanted - present):
        draft.invitations.append(DraftInvitation(department_id=department_id))
    db.session.flush()


@dataclass
class PublishWarning:
    """What publishing a draft would cut short: the earlier draft still open, its days left
    and the invited bodies that have not responded to it."""

    previous: Draft
    days_left: int
    silent: list[Department]


def publish_warning(draft: Draft, now: datetime | None = None) -> PublishWarning | None:
    previous = draft.open_predecessor(now)
    if previous is None:
        return None
    silent = [row.department for row in participation(previous) if row.state == "none"]
    return PublishWarning(previous, previous.days_left(now), silent)


def publish_draft(
    draft: Draft,
    opens_at: datetime,
    closes_at: datetime,
    now=None,
    *,
    actor: User | None = None,
    cut_short: bool = False,
) -> None:
    """Open the draft's comment period; ``cut_short``: the board confirmed that an earlier
    draft still open for comments closes now (``Draft.publish`` refuses otherwise)."""
    require(actor, draft.can_manage)
    previous = draft.open_predecessor(now)
    draft.publish(opens_at, closes_at, now=now, cut_short=cut_short)
    if not draft.invitations:
        invite_departments(draft)
    detail = {"opens_at": draft.opens_at, "closes_at": draft.closes_at}
    if previous is not None:
        detail["cut_short"] = previous.number
    audit.record(AuditAction.DRAFT_PUBLISH, draft, actor=actor, detail=detail)
    notifications.draft_published(draft)
    notifications.wording_taken_in(draft)


def close_draft(draft: Draft, *, actor: User | None = None) -> None:
    require(actor, draft.can_manage)
    draft.close()
    db.session.flush()
    audit.record(AuditAction.DRAFT_CLOSE, draft, actor=actor)


def extend_deadline(draft: Draft, closes_at: datetime, *, actor: User | None = None) -> None:
    """Move the whole draft's deadline later; invited bodies are told."""
    require(actor, draft.can_manage)
    old = draft.closes_at
    draft.extend_deadline(closes_at)
    db.session.flush()
    audit.record(
        AuditAction.DRAFT_EXTEND, draft, actor=actor, detail={"from": old, "to": draft.closes_at}
    )
    notifications.deadline_extended(draft)


def update_consultation(
    draft: Draft,
    *,
    invited: list[Department],
    departments_see_each_other: bool,
    silence_counts_as_agreement: bool,
    actor: User | None = None,
) -> None:
    """Who is invited, and what the consulted bodies read of each other."""
    require(actor, draft.can_manage)
    draft.departments_see_each_other = departments_see_each_other
    draft.silence_counts_as_agreement = silence_counts_as_agreement
    invite_departments(draft, invited, actor=actor)
    audit.record(
        AuditAction.DRAFT_SETTINGS,
        draft,
        actor=actor,
        detail={"invited": sorted(d.code for d in invited)},
    )


def grant_extension(
    draft: Draft, department: Department, until: datetime, *, actor: User | None = None
) -> None:
    require(actor, draft.can_manage)
    invitation = draft.invitation_for(department.id)
    if invitation is None:
        raise CommentError(_l("This department is not invited to comment on the draft."))
    if draft.closes_at and until <= draft.closes_at:
        raise CommentError(_l("The extension must end after the draft's deadline."))
    if until <= utcnow():
        raise CommentError(_l("The deadline must be in the future."))
    invitation.extended_until = until
    db.session.flush()
    audit.record(
        AuditAction.DRAFT_EXTEND,
        draft,
        actor=actor,
        detail={"department": department.code, "until": until},
    )
    notifications.deadline_extended(draft, department)


# --- reading --------------------------------------------------------------------------------


def visible_comments_query(draft: Draft, user):
    """Comments on ``draft`` that ``user`` may read: ``Comment.visible_clause``, the SQL twin
    of ``Comment.can_view``."""
    return select(Comment).where(Comment.visible_clause(draft, user))


def comments_for_section(draft: Draft, section: Section, user) -> list[Comment]:
    return list(
        db.session.scalars(
            visible_comments_query(draft, user)
            .where(Comment.section_id == section.id)
            .options(*card_loading())
            .order_by(Comment.created_at, Comment.id)
        )
    )


@dataclass(frozen=True)
class CardState:
    """What a comment card shows, as versions: equal states draw the same card."""

    id: int
    quote: str | None
    department_id: int | None
    submitted_at: datetime | None
    deleted_at: datetime | None
    addressed_draft_id: int | None
    versions: tuple


def section_card_states(draft: Draft, section: Section, user) -> list[CardState]:
    """The cards of a section's comments that ``user`` may read, in their order, without
    loading them: a row of versions each (the comment's, its primary's for a duplicate, its
    department's, author's, workshop's, attachments', and the section it was taken into)."""
    ids = db.session.scalars(
        select(Comment.id)
        .where(Comment.visible_clause(draft, user), Comment.section_id == section.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    states = []
    for start in range(0, len(ids), CARD_BATCH):
        rows = db.session.execute(_card_versions(), {"ids": ids[start : start + CARD_BATCH]})
        states += [CardState(*row[:6], versions=tuple(map(str, row[6:]))) for row in rows]
    return states


# Cards read per query of versions (a bound parameter each: SQLite takes 32,766).
CARD_BATCH = 2000


@functools.cache
def _card_versions() -> Select:
    """The versions of the cards of the comments ``ids`` (a bound list), in their order.

    One statement for the life of the process: SQLAlchemy then works out its cache key once
    (for a statement made anew it walks the whole tree of aliases and subqueries on every
    request, which cost more than running it).
    """
    primary = aliased(Comment)
    addressed = aliased(Section)
    addressed_draft = aliased(Draft)
    addressed_id = case(
        (Comment.duplicate_of_id.is_(None), Comment.addressed_in_id),
        else_=primary.addressed_in_id,
    )
    files = (
        select(func.count(Attachment.id), func.max(Attachment.id))
        .where(Attachment.comment_id == Comment.id)
        .correlate(Comment)
    )
    return (
        select(
            Comment.id,
            Comment.quote,
            Comment.department_id,
            Comment.submitted_at,
            Comment.deleted_at,
            addressed.draft_id,
            # The versions, as the database gives them: compared, never shown, so the
            # timestamps are read as they are stored (no datetime made of each).
            *(
                type_coerce(column, String).label(f"version_{n}")
                for n, column in enumerate(
                    (
                        Comment.version,
                        Comment.updated_at,
                        primary.version,
                        primary.updated_at,
                        Department.updated_at,
                        User.updated_at,
                        Workshop.updated_at,
                        files.with_only_columns(func.count(Attachment.id)).scalar_subquery(),
                        files.with_only_columns(func.max(Attachment.id)).scalar_subquery(),
                        addressed.updated_at,
                        addressed_draft.updated_at,
                    )
                )
            ),
        )
        .select_from(Comment)
        .outerjoin(primary, primary.id == Comment.duplicate_of_id)
        .outerjoin(Department, Department.id == Comment.department_id)
        .join(User, User.id == Comment.author_id)
        .outerjoin(Workshop, Workshop.id == Comment.workshop_id)
        .outerjoin(addressed, addressed.id == addressed_id)
        .outerjoin(addressed_draft, addressed_draft.id == addressed.draft_id)
        .where(Comment.id.in_(bindparam("ids", expanding=True)))
        .order_by(Comment.created_at, Comment.id)
    )


def comments_by_ids(ids) -> list[Comment]:
    """Comments with what their cards show."""
    return list(
        db.session.scalars(select(Comment).where(Comment.id.in_(ids)).options(*card_loading()))
    )


def comments_by_section(draft: Draft, user) -> dict[int | None, list[Comment]]:
    """Every comment on ``draft`` the user may read, grouped by section id (None: general)."""
    grouped: dict[int | None, list[Comment]] = {}
    for comment in db.session.scalars(
        visible_comments_query(draft, user)
        .options(*card_loading())
        .order_by(Comment.created_at, Comment.id)
    ):
        grouped.setdefault(comment.section_id, []).append(comment)
    return grouped


def general_comments(draft: Draft, user) -> list[Comment]:
    return list(
        db.session.scalars(
            visible_comments_query(draft, user)
            .where(Comment.section_id.is_(None))
            .options(*card_loading())
            .order_by(Comment.created_at, Comment.id)
        )
    )


def comment_counts_by_section(draft: Draft, user) -> Counter:
    query = visible_comments_query(draft, user).subquery()
    rows = db.session.execute(select(query.c.section_id, func.count()).group_by(query.c.section_id))
    return Counter(dict(rows.all()))


def threads_by_quote(comments: list[Comment]) -> list[tuple[str | None, list[Comment]]]:
    """Comments grouped under the passage they quote; whole-section comments first."""
    groups: dict[str | None, list[Comment]] = {}
    for comment in comments:
        groups.setdefault(comment.quote, []).append(comment)
    return sorted(groups.items(), key=lambda item: (item[0] is not None, item[1][0].id))


@dataclass
class Participation:
    department: Department
    invitation: DraftInvitation
    responses: list[DepartmentResponse]
    submitted_comments: int
    deadline: datetime | None

    @property
    def state(self) -> str:
        if not self.responses:
            return "none"
        if all(r.kind is ResponseKind.AGREE for r in self.responses):
            return "agreed"
        return "commented"

    @property
    def can_remind(self) -> bool:
        return self.invitation.can_be_reminded(bool(self.responses))


def remind_bodies(
    draft: Draft,
    departments: list[Department] | None = None,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> list[Department]:
    """ "Remind now": the reviewers and leads of each given body (default: every invited body
    that has not responded) are told in the portal and by e-mail (the outbox, sent by the
    worker or cron, never in the request). A body reminded within REMIND_INTERVAL is skipped,
    also by a concurrent click; one body asked for by name is refused instead."""
    require(actor, draft.can_manage, _l("Only the proposal's board sends reminders."))
    now = now or utcnow()
    rows = {r.department.id: r for r in participation(draft)}
    wanted = [rows.get(d.id) for d in departments] if departments is not None else rows.values()
    if departments is not None and any(
        r is None or not r.can_remind for r in wanted
    ):  # fmt: skip
        raise CommentError(
            _l("This body cannot be reminded now: it has responded, or was reminded today.")
        )
    reminded = []
    for row in wanted:
        if not row.can_remind:
            continue
        # One conditional UPDATE claims the reminder: two clicks at once send one.
        claimed = db.session.execute(
            update(DraftInvitation)
            .where(
                DraftInvitation.id == row.invitation.id,
                or_(
                    DraftInvitation.reminded_at.is_(None),
                    DraftInvitation.reminded_at <= now - REMIND_INTERVAL,
                ),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            continue
        row.invitation.reminded_at = now
        days = math.ceil((row.deadline - now).total_seconds() / 86400)
        notifications.remind_now(draft, row.department, days=days)
        reminded.append(row.department)
    db.session.flush()
    if reminded:
        audit.record(
            AuditAction.DRAFT_REMIND,
            draft,
            actor=actor,
            detail={"departments": [d.code for d in reminded]},
        )
    return reminded


def participation(draft: Draft) -> list[Participation]:
    """One row per invited body: what it submitted, what it is still writing, its deadline."""
    responses: dict[int, list[DepartmentResponse]] = {}
    for response in db.session.scalars(
        select(DepartmentResponse)
        .where(DepartmentResponse.draft_id == draft.id)
        .order_by(DepartmentResponse.sequence)
    ):
        responses.setdefault(response.department_id, []).append(response)
    # Only submitted comments are counted: a department's drafts are its own business.
    submitted = dict(
        db.session.execute(
            select(Comment.department_id, func.count())
            .where(
                Comment.draft_id == draft.id,
                Comment.deleted_at.is_(None),
                Comment.response_id.is_not(None),  # official ones, not workshop remarks
            )
            .group_by(Comment.department_id)
        ).all()
    )
    rows = [
        Participation(
            department=i.department,
            invitation=i,
            responses=responses.get(i.department_id, []),
            submitted_comments=submitted.get(i.department_id, 0),
            deadline=draft.deadline_for(i.department_id),
        )
        for i in db.session.scalars(
            select(DraftInvitation)
            .where(DraftInvitation.draft_id == draft.id)
            .options(joinedload(DraftInvitation.department))
        )
    ]
    order = {"none": 0, "commented": 1, "agreed": 2}
    return sorted(rows, key=lambda r: (order[r.state], r.department.kind, r.department.name))
