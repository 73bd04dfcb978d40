"""Departments who work in Word: the draft to review, a marked-up file read back as the
department's draft comments (through the comment service, exactly as if typed), and the
drafting board's copy with every submitted comment in the margin."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult import uploads
from consult.documents.frame import OfficialFrame
from consult.documents.letter import LetterRow, response_letter_docx
from consult.documents.word_markup import Finding, MarkupError, SectionRef, read_markup
from consult.documents.word_review import WordComment, export_for_review, export_with_comments
from consult.extensions import db
from consult.models import Comment, CommentKind, DepartmentKind, Draft, Section, User
from consult.models.audit import AuditAction
from consult.models.base import utcnow
from consult.services import audit
from consult.services.comments import (
    CommentError,
    _require_commenter,
    clean_passage,
    create_comment,
    responses_of,
    section_plain_text,
    unsubmitted_comments,
)
from consult.timeutil import to_vietnam_local

# The reader's messages, translated here (the documents library has no Flask).
_READER_MESSAGES = {
    "The file is empty.": _l("The file is empty."),
    "The file is not a valid Word document (.docx).": _l(
        "The file is not a valid Word document (.docx)."
    ),
    "The Word document expands to too much data to be processed safely.": _l(
        "The Word document expands to too much data to be processed safely."
    ),
    "Files with macros are refused.": _l("Files with macros (.docm) are refused."),
    "The Word document has too many paragraphs to be read.": _l(
        "The Word document has too many paragraphs to be read."
    ),
    "The Word document has too many comments to be read.": _l(
        "The Word document has too many comments to be read."
    ),
}


def draft_title(draft: Draft) -> str:
    return f"{draft.proposal.title} — {draft.title}"


def review_copy(draft: Draft) -> bytes:
    """The draft as a .docx made for review (bookmarked headings, A4, Times New Roman)."""
    return export_for_review(draft_title(draft), draft.sections)


def section_refs(draft: Draft) -> list[SectionRef]:
    return [SectionRef(s.key, s.number, s.heading, section_plain_text(s)) for s in draft.sections]


# --- reading a marked-up file -----------------------------------------------------------------


@dataclass
class ImportLine:
    """One line of the preview: what will be saved as one draft comment of the department."""

    number: int
    origin: str  # "comment", "change", "heading", "untracked"
    section_id: int | None
    section_title: str
    kind: str
    body: str
    quote: str | None
    quote_prefix: str | None
    quote_suffix: str | None
    proposed_text: str | None
    proposes_deletion: bool
    note: str | None
    fingerprint: str
    problem: str | None = None  # why it cannot be saved
    duplicate: bool = False  # already saved from an earlier upload

    @property
    def can_save(self) -> bool:
        return self.problem is None and not self.duplicate


def _problem_text(finding: Finding) -> str:
    if finding.problem == "unknown_heading":
        return _(
            "The heading “%(heading)s” is not a section of this draft.",
            heading=finding.quote or "",
        )
    if finding.problem == "not_anchored":
        return _("The comment is not attached to any text of the file.")
    return _("The change is outside every section of the draft (before its first heading).")


def _body_of(finding: Finding) -> str:
    if finding.kind == "comment":
        parts = [finding.body or _("(empty comment)")]
        for author, text in finding.replies:
            parts.append(f"**{author or '?'}:** {text}")
        return "\n\n".join(parts)
    if finding.kind == "heading":
        return _("Proposed heading, changed in Word: %(change)s", change=finding.body)
    if finding.kind == "untracked":
        return _("Changed in the Word file without tracking changes.")
    if finding.moved:
        return _("Text moved in Word (tracked changes).")
    if finding.proposes_deletion:
        return _("Deleted in Word (tracked changes).")
    return _("Changed in Word (tracked changes).")


def _note_of(finding: Finding, filename: str) -> str | None:
    if finding.authors:
        return _(
            "From the Word file %(file)s; written in Word by %(authors)s.",
            file=filename,
            authors=", ".join(finding.authors),
        )
    return _("From the Word file %(file)s.", file=filename)


def _line(number: int, finding: Finding, sections: dict[str, Section], filename: str):
    section = sections.get(finding.section_key or "")
    line = ImportLine(
        number=number,
        origin=finding.kind,
        section_id=section.id if section else None,
        section_title=section.title if section else _("General comment"),
        kind=(CommentKind.GENERAL if finding.kind == "comment" else CommentKind.CHANGE).value,
        body=_body_of(finding),
        quote=finding.quote if section else None,
        quote_prefix=finding.quote_prefix,
        quote_suffix=finding.quote_suffix,
        proposed_text=finding.proposed_text,
        proposes_deletion=finding.proposes_deletion,
        note=_note_of(finding, filename),
        fingerprint=finding.fingerprint,
    )
    if finding.problem:
        line.problem = _problem_text(finding)
        line.section_title = "—"
        return line
    if section is None and (line.proposed_text or line.proposes_deletion):
        line.problem = _("A proposed change needs a section of the draft.")
        return line
    if line.quote:
        try:
            passage = clean_passage(section, line.quote, line.quote_prefix, line.quote_suffix)
        except CommentError:
            if finding.kind == "comment":
                # The comment stays on its section; the words it was on go into its text.
                line.body = f"> {line.quote}\n\n{line.body}"
                line.quote = line.quote_prefix = line.quote_suffix = None
            else:
                line.problem = _(
                    "The changed text “%(quote)s” is not in the section's current text.",
                    quote=line.quote,
                )
        else:
            line.quote, line.quote_prefix, line.quote_suffix = (
                passage.quote,
                passage.prefix,
                passage.suffix,
            )
    return line


def check_upload(data: bytes, max_bytes: int) -> None:
    """Checked like every upload: its size, a Word file by its bytes, bounded when unzipped,
    without macros."""
    if not data:
        raise CommentError(_l("The file is empty."))
    if len(data) > max_bytes:
        raise CommentError(
            _l("The file is larger than %(size)s MB.", size=uploads.megabytes(max_bytes))
        )
    try:
        kind = uploads.sniff(data)
    except uploads.UploadError as exc:
        raise CommentError(str(exc)) from exc
    if kind != "docx":
        raise CommentError(_l("Upload the draft as a Word document (.docx) without macros."))


def _imported_keys(draft: Draft, department_id: int) -> set[str]:
    """What the department already saved from Word files on ``draft`` (removed ones apart)."""
    return set(
        db.session.scalars(
            select(Comment.import_key).where(
                Comment.draft_id == draft.id,
                Comment.department_id == department_id,
                Comment.deleted_at.is_(None),
                Comment.import_key.is_not(None),
            )
        )
    )


def read_file(draft: Draft, department_id: int, data: bytes, filename: str) -> list[ImportLine]:
    """What a marked-up file holds for ``draft``, one preview line per comment or change."""
    try:
        report = read_markup(data, section_refs(draft))
    except MarkupError as exc:
        raise CommentError(str(_READER_MESSAGES.get(str(exc), str(exc)))) from exc
    sections = {s.key: s for s in draft.sections}
    saved = _imported_keys(draft, department_id)
    lines = []
    seen: set[str] = set()
    for number, finding in enumerate(report.findings, start=1):
        line = _line(number, finding, sections, filename)
        line.duplicate = line.fingerprint in saved or line.fingerprint in seen
        seen.add(line.fingerprint)
        lines.append(line)
    return lines


def lines_to_json(lines: list[ImportLine]) -> list[dict]:
    return [asdict(line) for line in lines]


def lines_from_json(rows: list[dict]) -> list[ImportLine]:
    return [ImportLine(**row) for row in rows]


@dataclass
class Choice:
    """The reviewer's decision on one preview line: keep it, with the text as edited."""

    number: int
    body: str
    proposed_text: str | None


def save_lines(
    draft: Draft, user: User, lines: list[ImportLine], choices: list[Choice], filename: str = ""
) -> list[Comment]:
    """The chosen lines become the department's draft comments, through ``create_comment``
    (the same checks as a typed comment); lines saved before are skipped."""
    department_id = _require_commenter(user, draft)
    by_number = {line.number: line for line in lines}
    saved = _imported_keys(draft, department_id)
    sections = {s.id: s for s in draft.sections}
    created = []
    for choice in choices:
        line = by_number.get(choice.number)
        if line is None or line.problem or line.fingerprint in saved:
            continue
        proposed = (choice.proposed_text or "").strip() or None
        comment = create_comment(
            draft,
            sections.get(line.section_id) if line.section_id else None,
            user,
            kind=CommentKind(line.kind),
            body=choice.body,
            quote=line.quote,
            quote_prefix=line.quote_prefix,
            quote_suffix=line.quote_suffix,
            proposed_text=None if line.proposes_deletion else proposed,
            proposes_deletion=line.proposes_deletion,
        )
        comment.import_key = line.fingerprint
        comment.import_note = line.note
        saved.add(line.fingerprint)
        created.append(comment)
    if not created:
        raise CommentError(_l("Nothing to save: tick at least one line that can be saved."))
    db.session.flush()
    audit.record(
        AuditAction.COMMENT_IMPORT,
        draft,
        actor=user,
        detail={"file": filename, "comments": [c.id for c in created]},
    )
    return created


# --- the board's copy -----------------------------------------------------------------------


def comments_copy(draft: Draft, labels: dict[str, str] | None = None) -> bytes:
    """The draft with every submitted comment in the margin, its answer as a reply once
    answered, and each proposed wording as a tracked change."""
    sections = {s.id: s for s in draft.sections}
    comments = db.session.scalars(
        select(Comment)
        .where(
            Comment.draft_id == draft.id,
            Comment.submitted_at.is_not(None),
            Comment.deleted_at.is_(None),
        )
        .options(
            selectinload(Comment.department),
            selectinload(Comment.duplicate_of),
            selectinload(Comment.answered_by),
        )
        .order_by(Comment.id)
    )
    items = []
    for comment in comments:
        section = sections.get(comment.section_id)
        primary = comment.effective
        answered = comment.is_answered
        items.append(
            WordComment(
                section_key=section.key if section else None,
                author=comment.speaker,
                text=comment.body,
                quote=comment.quote,
                quote_prefix=comment.quote_prefix,
                quote_suffix=comment.quote_suffix,
                proposed_text=comment.proposed_text,
                proposes_deletion=comment.proposes_deletion,
                when=comment.submitted_at,
                answer=f"{primary.status.label}: {primary.answer}" if answered else None,
                answer_author=_("Drafting board"),
                answer_when=primary.answered_at,
            )
        )
    labels = {
        "delete": _("Proposed: delete this passage."),
        "proposed": _("Proposed wording:"),
        "not_found": _("(The quoted passage is no longer found in the text: “{quote}”.)"),
        **(labels or {}),
    }
    return export_with_comments(draft_title(draft), draft.sections, items, labels)


# --- the department's letter ----------------------------------------------------------------


def _signature(department) -> tuple[str, str]:
    """The authority line and title the head of a body signs with, by the kind of body."""
    if department.kind is DepartmentKind.DEPARTMENT:
        return "", _("Director")
    if department.kind is DepartmentKind.DISTRICT:
        return _("On behalf of the People's Committee"), _("Chairman")
    return "", _("Head of the body")


def letter_comments(draft: Draft, department_id: int) -> list[Comment]:
    """What the letter lists: the comments waiting to be submitted, else the last response's."""
    pending = unsubmitted_comments(draft, department_id)
    if pending:
        return pending
    responses = responses_of(draft, department_id)
    return list(responses[-1].comments) if responses else []


def response_letter(draft: Draft, lead: User) -> bytes:
    """The department's official letter on ``draft`` (công văn), for its lead to sign: in
    Vietnamese whatever the lead's language, like every official paper of the portal."""
    with force_locale("vi"):
        return _response_letter(draft, lead)


def _response_letter(draft: Draft, lead: User) -> bytes:
    department = lead.department
    proposal = draft.proposal
    board = proposal.board_name or _("the Drafting board of %(title)s", title=proposal.title)
    sections = {s.id: s for s in draft.sections}
    order = {s.id: s.position for s in draft.sections}
    comments = sorted(
        letter_comments(draft, department.id),
        key=lambda c: (c.section_id is not None, order.get(c.section_id, 0), c.id),
    )
    rows = [
        LetterRow(
            section=sections[c.section_id].title if c.section_id in sections else "",
            comment=c.body,
            quote=c.quote,
            proposed_text=c.proposed_text,
            proposes_deletion=c.proposes_deletion,
        )
        for c in comments
    ]
    authority, title = _signature(department)
    place = proposal.place or ""
    # A city department sits under the People's Committee the board's papers name too.
    frame = OfficialFrame(
        parent_body=(
            str(proposal.official_paper()["parent_body"])
            if department.kind is DepartmentKind.DEPARTMENT
            else ""
        ),
        issuing_body=department.name,
        symbol=f"{department.code}-VP",
        place=place,
        issued_on=to_vietnam_local(utcnow()).date(),
        subject=_(
            "Re: comments on %(draft)s of %(title)s",
            draft=draft.title.lower(),
            title=proposal.title,
        ),
        addressees=[board[:1].upper() + board[1:]],
        recipients=[_("As above")],
        signer_authority=authority,
        signer_title=title,
        signer_name=lead.full_name,
    )
    opening = [
        _(
            "In reply to the request of %(board)s for comments on %(draft)s of %(title)s, "
            "%(body)s comments as follows:",
            board=board,
            draft=draft.title.lower(),
            title=proposal.title,
            body=department.name,
        )
    ]
    closing = [
        _(
            "These are the comments of %(body)s, sent to %(board)s for its summary./.",
            body=department.name,
            board=board,
        )
    ]
    return response_letter_docx(frame, opening, rows, closing)
