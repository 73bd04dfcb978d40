"""Consolidation: the accepted comments on draft N taken into the text of draft N+1.

The board sees, section by section, the accepted and partly accepted comments on draft N
with the place of their quote in draft N+1; it applies a wording (proposed or edited) with
a redline first, undoes a change while the draft is in preparation, or applies every
unconflicted accepted change at once. Each change is an ``AppliedChange`` with its comments,
so that comparisons, reports and departments' pages can say where a comment went.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from consult.documents import passages
from consult.documents.passages import Block, Occurrence
from consult.extensions import db
from consult.models import (
    AppliedChange,
    AuditAction,
    ChangeKind,
    Comment,
    CommentEvent,
    CommentStatus,
    Draft,
    Section,
    User,
)
from consult.models.drafts import IllegalTransition
from consult.services import audit, require
from consult.services.drafts import set_body

CONSIDERED = (CommentStatus.ACCEPTED, CommentStatus.PARTLY_ACCEPTED)

# What the board sees for each comment, and why it is not applied automatically.
APPLIED = "applied"
READY = "ready"
CHOOSE = "choose"  # the quote occurs more than once: the board chooses
NOT_FOUND = "not_found"
INSERTION = "insertion"  # a wording without a quote: the board chooses where
NO_WORDING = "no_wording"
NO_SECTION = "no_section"  # the section is not in draft N+1 any more
WHOLE_SECTION = "whole_section"  # a deletion without a quote: the whole section
CONFLICT = "conflict"
PARTLY = "partly"

REASONS = {
    CHOOSE: _l("The quoted passage occurs several times in the section: choose which one."),
    NOT_FOUND: _l(
        "The quoted passage is no longer in the text of this draft: it cannot be applied "
        "automatically. Edit the section by hand."
    ),
    INSERTION: _l("The wording has no quoted passage: choose where to insert it."),
    NO_WORDING: _l("No wording was proposed: take the comment into account by hand."),
    NO_SECTION: _l("The section is not in this draft any more."),
    WHOLE_SECTION: _l(
        "Proposes to remove the whole section: delete it by hand if the board agrees."
    ),
    CONFLICT: _l("Other comments propose a different wording for the same passage: decide."),
    PARTLY: _l("Partly accepted: never applied automatically. Apply an edited wording."),
}


class ConsolidationError(ValueError):
    """The change cannot be made; the message is for the board."""


class UndoConflict(ConsolidationError):
    """The applied wording was edited by hand since: undo would have to guess."""

    def __init__(self, change: AppliedChange, current: str):
        super().__init__(
            _l(
                "The text applied here was edited by hand afterwards: it cannot be undone "
                "automatically. Compare the texts below and edit the section by hand."
            )
        )
        self.change, self.current = change, current


def fingerprint(text: str) -> str:
    """What the board saw: a change prepared on another text of the section is refused."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


def proposes_deletion(comment: Comment) -> bool:
    return bool(getattr(comment, "proposes_deletion", False))


# --- what the consolidation page shows ------------------------------------------------------


@dataclass
class Candidate:
    """One accepted (or partly accepted) comment on draft N, seen from draft N+1."""

    comment: Comment
    section: Section | None
    state: str = READY
    occurrences: list[Occurrence] = field(default_factory=list)
    chosen: int | None = None  # index into occurrences
    changes: list[AppliedChange] = field(default_factory=list)
    conflict: int | None = None  # the number of its conflict group in the section

    @property
    def wording(self) -> str:
        return "" if proposes_deletion(self.comment) else (self.comment.proposed_text or "")

    @property
    def kind(self) -> ChangeKind:
        if proposes_deletion(self.comment):
            return ChangeKind.DELETE
        return ChangeKind.REPLACE if self.comment.quote else ChangeKind.INSERT

    @property
    def is_accepted(self) -> bool:
        return self.comment.status is CommentStatus.ACCEPTED

    @property
    def automatic(self) -> bool:
        """Applied by "apply all": accepted, found once, in no conflict, not yet applied."""
        return (
            self.is_accepted and self.state == READY and self.conflict is None and not self.changes
        )

    @property
    def reason(self) -> str:
        if self.conflict is not None:
            return str(REASONS[CONFLICT])
        if not self.is_accepted and self.state in (READY, CHOOSE, INSERTION):
            return str(REASONS[PARTLY])
        return str(REASONS.get(self.state, ""))

    @property
    def span(self) -> Occurrence | None:
        return self.occurrences[self.chosen] if self.chosen is not None else None


@dataclass
class SectionPlan:
    section: Section | None  # of draft N+1; None: general comments on the whole draft
    candidates: list[Candidate] = field(default_factory=list)
    changes: list[AppliedChange] = field(default_factory=list)
    conflicts: list[list[Candidate]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def base(self) -> str:
        return fingerprint(self.section.body) if self.section is not None else ""

    @property
    def automatic(self) -> list[Candidate]:
        return [c for c in self.candidates if c.automatic]


def earlier_draft(draft: Draft) -> Draft:
    earlier = draft.previous()
    if earlier is None:
        raise ConsolidationError(_l("This draft has no earlier draft to take comments from."))
    return earlier


def considered_comments(earlier: Draft) -> list[Comment]:
    """The accepted and partly accepted comments on ``earlier``, each group once."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.draft_id == earlier.id,
                Comment.submitted_at.is_not(None),
                Comment.deleted_at.is_(None),
                Comment.duplicate_of_id.is_(None),
                Comment.status.in_(CONSIDERED),
            )
            .options(
                selectinload(Comment.section),
                selectinload(Comment.department),
                selectinload(Comment.duplicates),
            )
            .order_by(Comment.id)
        )
    )


def changes_of(draft: Draft, *, active: bool = True) -> list[AppliedChange]:
    query = (
        select(AppliedChange)
        .where(AppliedChange.draft_id == draft.id)
        .options(selectinload(AppliedChange.comments), selectinload(AppliedChange.applied_by))
        .order_by(AppliedChange.id)
    )
    if active:
        query = query.where(AppliedChange.undone_at.is_(None))
    return list(db.session.scalars(query))


def plan(draft: Draft) -> list[SectionPlan]:
    """The consolidation page: per section of draft N+1, its candidates and changes."""
    earlier = earlier_draft(draft)
    by_key = {s.key: s for s in draft.sections}
    changes = changes_of(draft)
    changes_by_comment: dict[int, list[AppliedChange]] = defaultdict(list)
    for change in changes:
        for comment in change.comments:
            changes_by_comment[comment.id].append(change)
    plans: dict[int | None, SectionPlan] = {}
    for comment in considered_comments(earlier):
        section = by_key.get(comment.section.key) if comment.section is not None else None
        key = section.id if section is not None else None
        if comment.section is not None and section is None:
            key = -comment.section.id  # a section dropped from draft N+1: listed apart
        entry = plans.setdefault(key, SectionPlan(section))
        entry.candidates.append(_candidate(comment, section, changes_by_comment[comment.id]))
    for change in changes:
        plans.setdefault(change.section_id, SectionPlan(change.section)).changes.append(change)
    for entry in plans.values():
        _find_conflicts(entry)
        if entry.section is not None:
            entry.blocks = passages.blocks(entry.section.body)
    order = {s.id: s.position for s in draft.sections}
    return sorted(
        plans.values(),
        key=lambda p: order.get(p.section.id, -1) if p.section is not None else -1,
    )


def _candidate(comment: Comment, section: Section | None, changes: list) -> Candidate:
    candidate = Candidate(comment, section, changes=changes)
    if comment.section is not None and section is None:
        candidate.state = NO_SECTION
    elif not comment.quote and proposes_deletion(comment):
        candidate.state = WHOLE_SECTION
    elif not comment.quote:
        candidate.state = INSERTION if candidate.wording.strip() else NO_WORDING
    elif not candidate.wording.strip() and not proposes_deletion(comment):
        candidate.state = NO_WORDING
    elif section is None:
        candidate.state = NOT_FOUND
    else:
        candidate.occurrences = passages.find_passage(section.body, comment.quote)
        chosen = passages.choose_by_context(
            candidate.occurrences,
            getattr(comment, "quote_prefix", None),
            getattr(comment, "quote_suffix", None),
        )
        if chosen is not None:
            candidate.chosen = candidate.occurrences.index(chosen)
        if not candidate.occurrences:
            candidate.state = NOT_FOUND
        else:
            candidate.state = READY if candidate.chosen is not None else CHOOSE
    if changes and candidate.state in (NOT_FOUND, NO_WORDING):
        candidate.state = APPLIED  # its passage is gone because it was applied
    return candidate


def _find_conflicts(entry: SectionPlan) -> None:
    """Comments whose passages overlap and whose wordings differ are decided together; a
    comment already applied is decided (its quote may still be in the new wording)."""
    located = [c for c in entry.candidates if c.span is not None and not c.changes]
    group_of: dict[int, int] = {}
    groups: list[list[Candidate]] = []
    for i, first in enumerate(located):
        for second in located[i + 1 :]:
            a, b = first.span, second.span
            if not (a.start < b.end and b.start < a.end):
                continue
            if passages.normalise(first.wording) == passages.normalise(second.wording) and (
                a.start,
                a.end,
            ) == (b.start, b.end):
                continue  # the same change asked twice: applied once for both
            index = group_of.get(id(first), group_of.get(id(second)))
            if index is None:
                index = len(groups)
                groups.append([])
            for candidate in (first, second):
                if id(candidate) not in group_of:
                    group_of[id(candidate)] = index
                    groups[index].append(candidate)
    for index, group in enumerate(groups):
        for candidate in group:
            candidate.conflict = index
    entry.conflicts = groups


# --- making a change ------------------------------------------------------------------------


@dataclass
class Proposed:
    """A change computed but not saved: what the redline preview shows."""

    section: Section
    kind: ChangeKind
    start: int
    passage: str
    wording: str
    body_before: str
    body_after: str


def prepare(
    section: Section,
    *,
    kind: ChangeKind,
    wording: str,
    start: int | None = None,
    end: int | None = None,
    position: int | None = None,
    replacement: str | None = None,
) -> Proposed:
    """The section's new text for one change; nothing is saved."""
    body = section.body or ""
    wording = (wording or "").strip()
    if kind is ChangeKind.INSERT:
        if not wording:
            raise ConsolidationError(_l("Write the wording to insert."))
        count = len(passages.blocks(body))
        after, at = passages.insert_block(body, count if position is None else position, wording)
        return Proposed(section, kind, at, "", wording, body, after)
    if start is None or end is None or not (0 <= start < end <= len(body)):
        raise ConsolidationError(_l("Choose the passage to change."))
    if kind is ChangeKind.DELETE:
        start, end = passages.removal_span(body, start, end)
        wording = ""
    elif not wording:
        raise ConsolidationError(_l("Write the new wording, or choose to remove the passage."))
    new = replacement if replacement is not None and kind is ChangeKind.REPLACE else wording
    after = passages.splice(body, start, end, new)
    return Proposed(section, kind, start, body[start:end], new, body, after)


def _check_comments(draft: Draft, comments: list[Comment]) -> None:
    if not comments:
        raise ConsolidationError(_l("Choose the comments this change takes into account."))
    earlier = earlier_draft(draft)
    for comment in comments:
        if (
            comment.draft_id != earlier.id
            or not comment.is_submitted
            or comment.is_deleted
            or comment.effective_status not in CONSIDERED
        ):
            raise ConsolidationError(
                _l("Only accepted or partly accepted comments on the previous draft apply.")
            )


def apply_change(
    draft: Draft,
    proposed: Proposed,
    comments: list[Comment],
    user: User | None,
    *,
    base: str | None = None,
    edited: bool = False,
) -> AppliedChange:
    """Save ``proposed`` in draft N+1 and record the change with the comments behind it."""
    require(user, draft.can_consolidate, _l("Only the board can consolidate this draft."))
    section = proposed.section
    if section.draft_id != draft.id:
        raise ConsolidationError(_l("Choose a section of this draft."))
    if draft.is_published:
        raise ConsolidationError(_l("A published draft's text can no longer be changed."))
    _check_comments(draft, comments)
    if base is not None and base != fingerprint(section.body):
        raise ConsolidationError(
            _l("The section changed since you opened it. Look at its text again, then apply.")
        )
    if (section.body or "") != proposed.body_before:
        raise ConsolidationError(
            _l("The section changed since you opened it. Look at its text again, then apply.")
        )
    set_body(section, proposed.body_after)
    change = AppliedChange(
        draft=draft,
        section=section,
        section_key=section.key,
        kind=proposed.kind,
        body_before=proposed.body_before,
        body_after=proposed.body_after,
        start=proposed.start,
        passage=proposed.passage,
        wording=proposed.wording,
        edited=edited,
        applied_by=user,
    )
    change.comments = list({c.id: c for c in comments}.values())
    db.session.add(change)
    for comment in change.comments:
        _link(comment, section, user)
    db.session.flush()
    audit.record(
        AuditAction.CHANGE_APPLY,
        change,
        actor=user,
        detail={
            "draft": draft.number,
            "section": section.title,
            "comments": [c.id for c in change.comments],
            "kind": change.kind.value,
        },
    )
    return change


def _link(comment: Comment, section: Section | None, user: User | None) -> None:
    """The triage link "taken into account in": set by the first apply, kept by hand edits."""
    if comment.addressed_in_id == (section.id if section else None):
        return
    old = comment.addressed_in.title if comment.addressed_in else None
    comment.events.append(
        CommentEvent(
            actor=user,
            field="addressed_in",
            old_value=old,
            new_value=section.title if section else None,
        )
    )
    comment.addressed_in = section


def undo_change(change: AppliedChange, user: User | None) -> None:
    """Put the passage back; refused with the conflict when it was edited by hand since."""
    require(user, change.can_undo, _l("This change can no longer be undone."))
    section = change.section
    current = section.body or ""
    restored = passages.revert(
        current, change.body_before, change.body_after, change.start, change.passage, change.wording
    )
    if restored is None:
        raise UndoConflict(change, current)
    try:
        change.mark_undone(user)
    except IllegalTransition as exc:
        raise ConsolidationError(str(exc)) from exc
    set_body(section, restored)
    db.session.flush()
    for comment in change.comments:
        others = [
            c
            for c in _active_changes_of(comment)
            if c.id != change.id and c.draft_id == change.draft_id
        ]
        if comment.addressed_in_id == section.id:
            _link(comment, others[0].section if others else None, user)
    db.session.flush()
    audit.record(
        AuditAction.CHANGE_UNDO,
        change,
        actor=user,
        detail={"section": section.title, "comments": [c.id for c in change.comments]},
    )


def _active_changes_of(comment: Comment) -> list[AppliedChange]:
    return list(
        db.session.scalars(
            select(AppliedChange)
            .join(AppliedChange.comments)
            .where(Comment.id == comment.id, AppliedChange.undone_at.is_(None))
            .order_by(AppliedChange.id)
        )
    )


# --- apply all ------------------------------------------------------------------------------


@dataclass
class Outcome:
    applied: list[tuple[Candidate, AppliedChange]] = field(default_factory=list)
    needs_decision: list[Candidate] = field(default_factory=list)


def apply_all(draft: Draft, user: User | None, section: Section | None = None) -> Outcome:
    """Apply every accepted comment found once and in no conflict, in ``section`` or in the
    whole draft; the others are listed with the reason they wait for the board."""
    require(user, draft.can_consolidate, _l("Only the board can consolidate this draft."))
    outcome = Outcome()
    for entry in plan(draft):
        if section is not None and (entry.section is None or entry.section.id != section.id):
            continue
        automatic = entry.automatic
        for candidate in entry.candidates:
            if candidate.state != APPLIED and candidate not in automatic and not candidate.changes:
                outcome.needs_decision.append(candidate)
        # The last passages first: the offsets of those before them stay true.
        for group in _same_changes(automatic):
            lead = group[0]
            span = lead.span
            proposed = prepare(
                entry.section,
                kind=lead.kind,
                wording=lead.wording,
                start=span.start,
                end=span.end,
                replacement=span.replacement(lead.wording),
            )
            change = apply_change(draft, proposed, [c.comment for c in group], user)
            outcome.applied.extend((c, change) for c in group)
    return outcome


def _same_changes(candidates: list[Candidate]) -> list[list[Candidate]]:
    groups: dict[tuple, list[Candidate]] = {}
    for candidate in candidates:
        key = (candidate.span.start, candidate.span.end, passages.normalise(candidate.wording))
        groups.setdefault(key, []).append(candidate)
    return sorted(groups.values(), key=lambda g: g[0].span.start, reverse=True)


# --- where comments went --------------------------------------------------------------------


def places(comments: list[Comment]) -> dict[int, list[Section]]:
    """For each comment (and the duplicates answered with it): the sections of later drafts
    where it was taken into account, from applied changes, or else from the triage link."""
    ids = {c.id for c in comments}
    primary_of = {c.id: c.effective.id for c in comments}
    ids |= set(primary_of.values())
    found: dict[int, list[Section]] = defaultdict(list)
    if ids:
        rows = db.session.execute(
            select(Comment.id, AppliedChange)
            .join(AppliedChange.comments)
            .where(Comment.id.in_(ids), AppliedChange.undone_at.is_(None))
            .options(selectinload(AppliedChange.section).selectinload(Section.draft))
            .order_by(AppliedChange.id)
        ).all()
        for comment_id, change in rows:
            if change.section not in found[comment_id]:
                found[comment_id].append(change.section)
    result: dict[int, list[Section]] = {}
    for comment in comments:
        primary = comment.effective
        sections = found.get(primary.id) or found.get(comment.id) or []
        if not sections and primary.addressed_in is not None:
            sections = [primary.addressed_in]
        result[comment.id] = sorted(sections, key=lambda s: (s.draft.number, s.position))
    return result


@dataclass
class Trace:
    """Beside a comparison of draft N and N+1: the comments behind each section's changes,
    and the accepted comments that led to no visible change."""

    changes: dict[int, list[AppliedChange]] = field(default_factory=dict)
    unseen: list[Comment] = field(default_factory=list)


def trace(older: Draft, newer: Draft, changed_keys: set[str]) -> Trace:
    result = Trace()
    for change in changes_of(newer):
        result.changes.setdefault(change.section_id, []).append(change)
    if newer.previous() is None or newer.previous().id != older.id:
        return result
    taken = {c.id for changes in result.changes.values() for ch in changes for c in ch.comments}
    for comment in considered_comments(older):
        if comment.status is not CommentStatus.ACCEPTED or comment.id in taken:
            continue
        linked = comment.addressed_in
        if linked is not None and linked.draft_id == newer.id and linked.key in changed_keys:
            continue  # taken into account by hand in a section that changed
        result.unseen.append(comment)
    return result


def taken_into_by_comment(
    draft: Draft, comment_ids: list[int] | None = None
) -> dict[int, list[tuple[int, str]]]:
    """For the comments on ``draft`` (or those of ``comment_ids``): (later draft number,
    section number) where each was taken into account; applied changes first, the triage
    link for comments without any."""
    later = aliased(Draft)
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    chosen = (Comment.draft_id == draft.id,)
    if comment_ids is not None:
        chosen += (Comment.id.in_(comment_ids),)
    applied = db.session.execute(
        select(Comment.id, later.number, Section.number, Section.heading)
        .join(AppliedChange.comments)
        .join(Section, AppliedChange.section_id == Section.id)
        .join(later, AppliedChange.draft_id == later.id)
        .where(*chosen, AppliedChange.undone_at.is_(None))
        .order_by(later.number, Section.position)
    )
    for comment_id, number, section_number, heading in applied:
        place = (number, section_number or heading)
        if place not in found[comment_id]:
            found[comment_id].append(place)
    linked = db.session.execute(
        select(Comment.id, later.number, Section.number, Section.heading)
        .join(Section, Comment.addressed_in_id == Section.id)
        .join(later, Section.draft_id == later.id)
        .where(*chosen)
    )
    for comment_id, number, section_number, heading in linked:
        if comment_id not in found:
            found[comment_id].append((number, section_number or heading))
    return dict(found)


def changes_in(sections: list[Section]) -> list[AppliedChange]:
    """The active changes recorded in these sections: what removing them would lose."""
    ids = [s.id for s in sections if s.id is not None]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(AppliedChange)
            .where(AppliedChange.section_id.in_(ids), AppliedChange.undone_at.is_(None))
            .options(selectinload(AppliedChange.comments))
            .order_by(AppliedChange.id)
        )
    )
