"""Writes on proposals, drafts and sections: next drafts, imports, tree edits, publishing."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import select, update
from sqlalchemy.orm import load_only

from consult.extensions import db
from consult.markup import render_markdown
from consult.models import (
    AuditAction,
    Comment,
    Department,
    Draft,
    DraftStatus,
    Proposal,
    ProposalMember,
    Seat,
    Section,
    User,
    Visibility,
)
from consult.models.drafts import IllegalTransition, new_section_key
from consult.services import audit, notifications, require

MAX_LEVEL = 6


class SectionLike(Protocol):
    level: int
    number: str
    heading: str
    body: str


class BoardError(ValueError):
    """A rule about a proposal's board was broken; the message is for the user."""


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise BoardError(message)


def create_proposal(
    *,
    code: str,
    title: str,
    summary: str,
    visibility: Visibility,
    user: User,
    lead_agency: Department,
    place: str = "",
    board_name: str = "",
    **paper: str,
) -> Proposal:
    """A new proposal led by ``lead_agency``; the person who creates it chairs its board."""
    require(user, User.can_create_proposals, _l("You may not create proposals."))
    _require(lead_agency.is_active, _l("This department is deactivated."))
    proposal = Proposal(
        code=code.strip().upper(),
        title=title.strip(),
        summary=summary.strip(),
        visibility=visibility,
        created_by=user,
        lead_agency=lead_agency,
        place=place.strip(),
        board_name=board_name.strip(),
        **_paper_settings(paper),
    )
    proposal.members.append(ProposalMember(user=user, seat=Seat.CHAIR))
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        AuditAction.PROPOSAL_CREATE,
        proposal,
        actor=user,
        detail={"code": proposal.code, "lead_agency": lead_agency.code},
    )
    return proposal


PAPER_SETTINGS = (
    "parent_body", "document_symbol", "recipients", "signer_authority", "signer_title",
    "signer_name",
)  # fmt: skip


def _paper_settings(values: dict[str, str]) -> dict[str, str]:
    """The frame of the board's papers, trimmed: recipients one per line, blank lines out."""
    unknown = set(values) - set(PAPER_SETTINGS)
    if unknown:
        raise TypeError(f"not a paper setting: {sorted(unknown)}")
    out = {name: (value or "").strip() for name, value in values.items()}
    if "recipients" in out:
        lines = (line.strip() for line in out["recipients"].splitlines())
        out["recipients"] = "\n".join(line for line in lines if line)
    if "document_symbol" in out:
        out["document_symbol"] = out["document_symbol"].upper()
    return out


def update_proposal(proposal: Proposal, user: User, **fields) -> None:
    """Edit the proposal's particulars (code, title, summary, place, visibility, lead agency,
    board name) and the frame of its official papers (`PAPER_SETTINGS`); audited."""
    require(user, proposal.can_edit, _l("Only the proposal's board can edit it."))
    fields.update(_paper_settings({k: fields[k] for k in PAPER_SETTINGS if k in fields}))
    lead_agency = fields.get("lead_agency")
    if lead_agency is not None and lead_agency.id != proposal.lead_agency_id:
        invited = {i.department_id for d in proposal.drafts for i in d.invitations}
        _require(
            lead_agency.id not in invited,
            _l("This body is consulted on the proposal: it cannot also lead it."),
        )
    changed = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip().upper() if name == "code" else value.strip()
        old = getattr(proposal, name)
        if old != value:
            changed[name] = getattr(value, "code", value)
            setattr(proposal, name, value)
    db.session.flush()
    if changed:
        audit.record(AuditAction.PROPOSAL_UPDATE, proposal, actor=user, detail=changed)


def set_change_note(draft: Draft, note: str, *, actor: User | None = None) -> None:
    """What changed in this draft, as the board tells it."""
    require(actor, draft.can_manage)
    draft.change_note = note
    db.session.flush()


def seat_member(proposal: Proposal, user: User, person: User, seat: Seat) -> ProposalMember:
    """Give ``person`` a seat (board member or organizer); the chair is handed over apart."""
    require(user, proposal.can_manage_board, _l("Only the board's chair can change the board."))
    _require(seat is not Seat.CHAIR, _l("Hand the chair over with its own button."))
    _require(person.is_active, _l("This account is deactivated."))
    member = next((m for m in proposal.members if m.user_id == person.id), None)
    if member is not None and member.seat is Seat.CHAIR:
        raise BoardError(_l("The chair keeps the chair until it is handed to someone else."))
    old = member.seat if member else None
    if member is None:
        member = ProposalMember(user=person, seat=seat)
        proposal.members.append(member)
    member.seat = seat
    db.session.flush()
    if old != seat:
        audit.record(
            AuditAction.BOARD_ADD,
            proposal,
            actor=user,
            detail={"person": person.email, "seat": seat.value, "before": old and old.value},
        )
        notifications.board_seat(proposal, person, seat, actor=user)
    return member


def unseat_member(proposal: Proposal, user: User, person: User) -> None:
    require(user, proposal.can_manage_board, _l("Only the board's chair can change the board."))
    member = next((m for m in proposal.members if m.user_id == person.id), None)
    if member is None:
        return
    _require(
        member.seat is not Seat.CHAIR,
        _l("Hand the chair to another member before removing its holder."),
    )
    proposal.members.remove(member)
    # Comments assigned to the person wait for another member of the board.
    db.session.execute(
        update(Comment)
        .where(
            Comment.assignee_id == person.id,
            Comment.draft_id.in_(select(Draft.id).where(Draft.proposal_id == proposal.id)),
        )
        .values(assignee_id=None, version=Comment.version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    audit.record(
        AuditAction.BOARD_REMOVE,
        proposal,
        actor=user,
        detail={"person": person.email, "seat": member.seat.value},
    )
    notifications.board_seat(proposal, person, None, actor=user)


def set_chair(proposal: Proposal, user: User, person: User) -> None:
    """Hand the chair to ``person``; the former chair stays on the board as a member."""
    require(user, proposal.can_manage_board, _l("Only the board's chair can change the board."))
    _require(person.is_active, _l("This account is deactivated."))
    current = next((m for m in proposal.members if m.seat is Seat.CHAIR), None)
    if current is not None and current.user_id == person.id:
        return
    if current is not None:
        current.seat = Seat.MEMBER
        db.session.flush()  # one chair at a time, even inside the transaction
    member = next((m for m in proposal.members if m.user_id == person.id), None)
    if member is None:
        member = ProposalMember(user=person, seat=Seat.CHAIR)
        proposal.members.append(member)
    member.seat = Seat.CHAIR
    db.session.flush()
    audit.record(
        AuditAction.BOARD_CHAIR,
        proposal,
        actor=user,
        detail={"person": person.email, "before": current.user.email if current else None},
    )
    notifications.board_seat(proposal, person, Seat.CHAIR, actor=user)


def set_body(section: Section, body: str) -> None:
    section.body = body
    section.body_html = str(render_markdown(body, anchor_prefix=section.anchor))


def _new_section(draft: Draft, position: int, source: SectionLike, key: str | None) -> Section:
    section = Section(
        draft=draft,
        key=key or new_section_key(),
        position=position,
        level=source.level,
        number=source.number,
        heading=source.heading,
    )
    set_body(section, source.body)
    db.session.add(section)
    return section


def start_next_draft(
    proposal: Proposal, change_note: str = "", *, actor: User | None = None
) -> Draft:
    """Copy the latest draft into draft N+1, in preparation; each section keeps its key."""
    require(actor, proposal.can_manage)
    if proposal.draft_in_preparation() is not None:
        raise IllegalTransition(_l("A draft is already in preparation."))
    latest = proposal.latest_draft
    draft = Draft(
        proposal=proposal,
        number=(latest.number + 1) if latest else 1,
        status=DraftStatus.PREPARATION,
        change_note=change_note,
    )
    db.session.add(draft)
    if latest is not None:
        for section in latest.sections:
            _new_section(draft, section.position, section, section.key)
    db.session.flush()
    return draft


def neighbours(section: Section) -> tuple[Section | None, Section | None]:
    """The sections before and after ``section``, without loading the whole draft's text."""

    def one(condition, order):
        return db.session.scalar(
            select(Section)
            .where(Section.draft_id == section.draft_id, condition)
            .options(load_only(Section.id, Section.number, Section.heading, Section.key))
            .order_by(order)
            .limit(1)
        )

    return (
        one(Section.position < section.position, Section.position.desc()),
        one(Section.position > section.position, Section.position),
    )


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).rstrip(".:")


# How an incoming section was matched to a section of the draft it replaces or continues.
MATCHED_ON_NUMBER_AND_HEADING = "number and heading"
MATCHED_ON_HEADING = "heading"
MATCHED_ON_NUMBER = "number"


@dataclass
class SectionMatch:
    """One incoming section and the earlier section it continues (``section`` None: new)."""

    incoming: SectionLike
    section: Section | None = None
    on: str = ""  # one of the MATCHED_ON_* values

    @property
    def question(self) -> bool:
        """Matched on the number alone between two different headings: the team decides."""
        return self.on == MATCHED_ON_NUMBER


def match_sections(
    previous: Sequence[Section], incoming: Sequence[SectionLike]
) -> list[SectionMatch]:
    """For each incoming section, the previous draft's section it continues.

    Matched first by number and heading together, then by heading alone (the section
    was renumbered), then by number alone (its heading was reworded). Each previous
    section is claimed at most once; unmatched sections are new.
    """
    matches = [SectionMatch(section) for section in incoming]
    claimed: set[str] = set()
    by_number_and_heading = lambda s: f"{_normalise(s.number)}\x00{_normalise(s.heading)}"  # noqa: E731
    by_heading = lambda s: _normalise(s.heading)  # noqa: E731
    by_number = lambda s: _normalise(s.number)  # noqa: E731
    for on, key_of in (
        (MATCHED_ON_NUMBER_AND_HEADING, by_number_and_heading),
        (MATCHED_ON_HEADING, by_heading),
        (MATCHED_ON_NUMBER, by_number),
    ):
        index: dict[str, list[Section]] = {}
        for section in previous:
            if section.key not in claimed and key_of(section):
                index.setdefault(key_of(section), []).append(section)
        for match in matches:
            if match.section is not None or not key_of(match.incoming):
                continue
            candidates = [s for s in index.get(key_of(match.incoming), []) if s.key not in claimed]
            if candidates:
                match.section, match.on = candidates[0], on
                claimed.add(candidates[0].key)
    return matches


def match_section_keys(
    previous: Sequence[Section], incoming: Sequence[SectionLike]
) -> list[str | None]:
    """The key of the previous section each incoming section continues (None: new)."""
    return [m.section.key if m.section else None for m in match_sections(previous, incoming)]


def import_reference(proposal: Proposal) -> list[Section]:
    """The sections an import is matched against: the draft in preparation's, or the last
    draft's when it has none (the next draft starts as a copy of it)."""
    draft = proposal.draft_in_preparation()
    if draft is not None and draft.sections:
        return list(draft.sections)
    earlier = draft.previous() if draft is not None else proposal.latest_draft
    return list(earlier.sections) if earlier is not None else []


def resolve_keys(
    reference: Sequence[Section],
    incoming: Sequence[SectionLike],
    keys: Sequence[str | None] | None = None,
) -> list[str | None]:
    """The earlier section each incoming one continues: the drafting team's ``keys`` (one per
    incoming section, None for a new one) where it gave them, else the automatic matching;
    keys of no earlier section, or used twice, count as new sections."""
    if keys is None or len(keys) != len(incoming):
        return match_section_keys(reference, incoming)
    known, seen, checked = {s.key for s in reference}, set(), []
    for key in keys:
        checked.append(key if key in known and key not in seen else None)
        seen.add(key)
    return checked


def removed_sections(reference: Sequence[Section], keys: Sequence[str | None]) -> list[Section]:
    """The sections of the earlier text that an import continuing ``keys`` removes."""
    kept = set(keys)
    return [s for s in reference if s.key not in kept]


class SectionsWouldBeRemoved(IllegalTransition):
    """An import would remove sections and the drafting team has not confirmed it."""

    def __init__(self, removed: list[Section]):
        self.removed = removed
        super().__init__(
            _ln(
                "This import removes %(num)d section: confirm it to save.",
                "This import removes %(num)d sections: confirm it to save.",
                len(removed),
            )
        )


def replace_sections(
    draft: Draft, incoming: Sequence[SectionLike], keys: Sequence[str | None] | None = None
) -> None:
    """Put ``incoming`` in place of the draft's sections, keeping identities where they match;
    ``keys`` as in :func:`resolve_keys`."""
    if draft.status is not DraftStatus.PREPARATION:
        raise IllegalTransition(_l("A published draft's text can no longer be changed."))
    previous_draft = draft.previous()
    reference = list(draft.sections) or (list(previous_draft.sections) if previous_draft else [])
    keys = resolve_keys(reference, incoming, keys)
    # Sections that continue are updated in place, so that what points at them (comments
    # on the previous draft "taken into account" here) keeps pointing at them.
    existing = {s.key: s for s in draft.sections}
    kept = set(keys) & existing.keys()
    for key, section in existing.items():
        if key not in kept:
            db.session.delete(section)
    ordered = []
    for position, (source, key) in enumerate(zip(incoming, keys, strict=True)):
        section = existing.get(key)
        if section is None:
            section = _new_section(draft, position, source, key)
        else:
            section.position, section.level = position, source.level
            section.number, section.heading = source.number, source.heading
            set_body(section, source.body)
        ordered.append(section)
    draft.sections = ordered
    db.session.flush()


def import_draft(
    proposal: Proposal,
    incoming: Sequence[SectionLike],
    change_note: str = "",
    keys: Sequence[str | None] | None = None,
    *,
    actor: User | None = None,
    allow_removal: bool = True,
) -> Draft:
    """Import a file's sections as the draft in preparation (replacing its text), or as
    a new draft N+1 when none is in preparation; ``keys`` as in :func:`resolve_keys`.

    ``allow_removal`` False (the preview's save button, until the team ticks the box):
    an import that would remove sections raises :class:`SectionsWouldBeRemoved`."""
    require(actor, proposal.can_manage)
    reference = import_reference(proposal)
    keys = resolve_keys(reference, incoming, keys)
    removed = removed_sections(reference, keys)
    if removed and not allow_removal:
        raise SectionsWouldBeRemoved(removed)
    draft = proposal.draft_in_preparation()
    if draft is None:
        draft = start_next_draft(proposal, change_note)
    elif change_note:
        draft.change_note = change_note
    replace_sections(draft, incoming, keys)
    return draft


# --- editing the tree -----------------------------------------------------------------------


def _require_editable(draft: Draft) -> None:
    if draft.status is not DraftStatus.PREPARATION:
        raise IllegalTransition(_l("A published draft's text can no longer be changed."))


def _renumber(sections: Iterable[Section]) -> None:
    for position, section in enumerate(sections):
        section.position = position


def subtree(sections: Sequence[Section], index: int) -> slice:
    """The slice of ``sections`` holding the section at ``index`` and its sub-sections."""
    level = sections[index].level
    end = index + 1
    while end < len(sections) and sections[end].level > level:
        end += 1
    return slice(index, end)


def add_section(
    draft: Draft,
    *,
    after: Section | None,
    level: int,
    number: str,
    heading: str,
    body: str,
    actor: User | None = None,
) -> Section:
    require(actor, draft.can_edit)
    _require_editable(draft)
    sections = list(draft.sections)
    if after is None:
        insert_at, level = 0, 1
    else:
        insert_at = subtree(sections, sections.index(after)).stop
        level = max(1, min(level, after.level + 1, MAX_LEVEL))
    section = Section(draft=draft, key=new_section_key(), position=insert_at, level=level,
                      number=number.strip(), heading=heading.strip())  # fmt: skip
    set_body(section, body)
    db.session.add(section)
    sections.insert(insert_at, section)
    _renumber(sections)
    db.session.flush()
    return section


def update_section(
    section: Section, *, number: str, heading: str, body: str, actor: User | None = None
) -> None:
    require(actor, section.can_edit)
    _require_editable(section.draft)
    section.number, section.heading = number.strip(), heading.strip()
    set_body(section, body)
    db.session.flush()


def move_section(section: Section, direction: str, *, actor: User | None = None) -> None:
    """Move a section with its sub-sections: 'up', 'down', 'in' (deeper) or 'out'."""
    require(actor, section.can_edit)
    draft = section.draft
    _require_editable(draft)
    sections = list(draft.sections)
    index = sections.index(section)
    block = subtree(sections, index)
    if direction in ("up", "down"):
        sibling = _sibling(sections, index, -1 if direction == "up" else 1)
        if sibling is None:
            raise IllegalTransition(_l("The section cannot move further."))
        other = subtree(sections, sibling)
        first, second = (other, block) if direction == "up" else (block, other)
        sections[first.start : second.stop] = sections[second] + sections[first]
    elif direction == "in":
        if index == 0 or sections[index - 1].level < section.level or section.level >= MAX_LEVEL:
            raise IllegalTransition(_l("The section cannot move deeper."))
        for s in sections[block]:
            s.level += 1
    elif direction == "out":
        if section.level <= 1:
            raise IllegalTransition(_l("The section is already at the top level."))
        for s in sections[block]:
            s.level -= 1
    else:
        raise IllegalTransition(_l("Unknown move."))
    _renumber(sections)
    db.session.flush()


def _sibling(sections: Sequence[Section], index: int, step: int) -> int | None:
    level = sections[index].level
    if step > 0:
        i = subtree(sections, index).stop
        return i if i < len(sections) and sections[i].level == level else None
    i = index - 1
    while i >= 0 and sections[i].level > level:
        i -= 1
    return i if i >= 0 and sections[i].level == level else None


def delete_section(section: Section, *, actor: User | None = None) -> int:
    """Delete a section and its sub-sections; returns how many were deleted."""
    require(actor, section.can_edit)
    draft = section.draft
    _require_editable(draft)
    sections = list(draft.sections)
    block = subtree(sections, sections.index(section))
    doomed = sections[block]
    for s in doomed:
        db.session.delete(s)
    del sections[block]
    draft.sections = sections
    _renumber(sections)
    db.session.flush()
    return len(doomed)
