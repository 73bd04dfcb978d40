"""The drafting team's work on submitted comments: the inbox, answers, assignment,
duplicates, links to the next draft, discussion, history and the dashboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.markup import render_markdown
from consult.models import (
    AuditAction,
    Comment,
    CommentEvent,
    CommentKind,
    CommentMessage,
    CommentSource,
    CommentStatus,
    Department,
    Draft,
    Proposal,
    Section,
    User,
)
from consult.models.drafts import IllegalTransition
from consult.services import audit, notifications
from consult.services.comments import filter_comments
from consult.textsearch import cosine, features
from consult.utils import parse_enum, parse_id


class TriageError(ValueError):
    """A triage rule was broken; the message is for the user."""


class TriageConflict(TriageError):
    """Someone else saved the comment since this user opened it."""


# --- the inbox ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxOrder:
    """One of the inbox's orders. ``keys`` sort the comments; an order that keeps together
    the comments of one section, department or status also names that column (``group``)
    and what its keys are read from (``joined``, an entity joined by id): the comments then
    come in the order ``keys``, the group's value, the comment's id, and a page of them is
    found from the groups' sizes (`inbox_groups`) without sorting every comment."""

    keys: Callable[[], tuple]
    group: Callable[[], ColumnElement] | None = None
    joined: Callable[[], type] | None = None
    # Count each group's comments by status first: the inbox index's order (draft, status,
    # section), which SQLite then reads without a sort. A department's comments have an
    # index of their own (draft, department).
    by_status: bool = True
    # Every group's value, in order, known without counting the comments (a draft's
    # sections, the general comments first); None: the groups of the inbox unsearched.
    values: Callable[[Draft, InboxFilters], list] | None = None

    def order_by(self) -> tuple:
        if self.group is None:
            return self.keys()
        return (*self.keys(), self.group(), Comment.id)


def _section_values(draft: Draft, section: int | None) -> list:
    if section is not None:  # the section filter: one section, or 0 for general comments
        return [section or None]
    sections = select(Section.id).where(Section.draft_id == draft.id).order_by(Section.position)
    return [None, *db.session.scalars(sections)]


SORTS = {
    "newest": InboxOrder(lambda: (Comment.created_at.desc(), Comment.id.desc())),
    "oldest": InboxOrder(lambda: (Comment.created_at, Comment.id)),
    "section": InboxOrder(
        lambda: (func.coalesce(Section.position, -1),),
        lambda: Comment.section_id,
        lambda: Section,
        values=lambda draft, filters: _section_values(draft, filters.section),
    ),
    "department": InboxOrder(
        lambda: (Department.name,), lambda: Comment.department_id, lambda: Department, False
    ),
    "status": InboxOrder(lambda: (), lambda: Comment.status),
}


DUPLICATES = "duplicate"


@dataclass
class InboxFilters:
    """The inbox's filters, read from and written to the URL so every view can be shared."""

    section: int | None = None  # a section id; 0 means general comments
    department: int | None = None
    kind: CommentKind | None = None
    status: CommentStatus | None = None
    duplicates: bool = False  # the status filter's "duplicates" choice
    assignee: str = ""  # a user id, "none" or ""
    source: CommentSource | None = None
    answered: str = ""  # "yes", "no" or ""
    q: str = ""
    sort: str = "section"
    since: datetime | None = None  # submitted at or after (the API's filter)

    @classmethod
    def from_args(cls, args) -> InboxFilters:
        assignee = args.get("assignee", "")
        return cls(
            section=parse_id(args.get("section")),
            department=parse_id(args.get("department")),
            kind=parse_enum(CommentKind, args.get("kind")),
            status=parse_enum(CommentStatus, args.get("status")),
            duplicates=args.get("status") == DUPLICATES,
            assignee=assignee if assignee == "none" or parse_id(assignee) else "",
            source=parse_enum(CommentSource, args.get("source")),
            answered=args.get("answered", "") if args.get("answered") in ("yes", "no") else "",
            q=args.get("q", "").strip()[:200],
            sort=args.get("sort") if args.get("sort") in SORTS else "section",
        )

    def to_args(self) -> dict[str, str]:
        values = {
            "section": self.section,
            "department": self.department,
            "kind": self.kind.value if self.kind else None,
            "status": DUPLICATES
            if self.duplicates
            else (self.status.value if self.status else None),
            "assignee": self.assignee,
            "source": self.source.value if self.source else None,
            "answered": self.answered,
            "q": self.q,
            "sort": self.sort if self.sort != "section" else None,
            "since": self.since.isoformat() if self.since else None,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def submitted_comments(draft: Draft) -> Select:
    return select(Comment).where(
        Comment.draft_id == draft.id,
        Comment.submitted_at.is_not(None),
        Comment.deleted_at.is_(None),
    )


def inbox_loading():
    """What a row of the inbox shows, loaded with the page rather than once per row."""
    return (
        selectinload(Comment.section),
        selectinload(Comment.department),
        selectinload(Comment.assignee),
        selectinload(Comment.duplicate_of),
    )


def inbox_query(draft: Draft, filters: InboxFilters, **search) -> Select:
    """The inbox's comments, filtered and in the order it shows them (``search`` as in
    `inbox_filtered`)."""
    query = (
        inbox_filtered(draft, filters, **search)
        .outerjoin(Section, Comment.section_id == Section.id)
        .outerjoin(Department, Comment.department_id == Department.id)
    )
    return query.order_by(*SORTS[filters.sort].order_by())


def inbox_groups(draft: Draft, filters: InboxFilters, **search) -> Select | None:
    """For an order that keeps groups together (`InboxOrder`): a select() of each group's
    value with how many comments of the inbox it holds, in the inbox's order. None for the
    other orders.

    The comments are counted in the order of an index (see `InboxOrder.by_status`), so that
    SQLite counts them without sorting them."""
    order = SORTS[filters.sort]
    if order.group is None:
        return None
    column = order.group()
    by = (Comment.status, column) if order.by_status else (column,)
    counts = (
        inbox_filtered(draft, filters, **search)
        .with_only_columns(column.label("value"), func.count().label("n"))
        .group_by(*by)
        .subquery()
    )
    groups = select(counts.c.value, func.sum(counts.c.n))
    if order.joined is not None:
        entity = order.joined()
        groups = groups.outerjoin(entity, entity.id == counts.c.value)
    keys = order.keys()
    return groups.group_by(counts.c.value, *keys).order_by(*keys, counts.c.value)


def inbox_group_values(draft: Draft, filters: InboxFilters) -> list:
    """Every group's value, in the inbox's order, for a grouped order (`InboxOrder`)."""
    order = SORTS[filters.sort]
    if order.values is not None:
        return order.values(draft, filters)
    unsearched = replace(filters, q="")
    return [value for value, _ in db.session.execute(inbox_groups(draft, unsearched))]


def inbox_group_rows(draft: Draft, filters: InboxFilters, value, **search) -> Select:
    """The ids of the inbox's comments in one group (`InboxOrder`), in order (by id)."""
    column = SORTS[filters.sort].group()
    return (
        inbox_filtered(draft, filters, **search)
        .where(column.is_(None) if value is None else column == value)
        .with_only_columns(Comment.id)
        .order_by(Comment.id)
    )


def inbox_search_matches(draft: Draft, filters: InboxFilters, limit: int) -> list[int] | None:
    """The ids of the inbox's comments that its search finds, if there are at most
    ``limit`` of them; None if there are more (counting them all would read them all)."""
    within = inbox_filtered(draft, replace(filters, q=""))
    ids = db.session.scalars(Comment.first_text_matches(filters.q, within, limit + 1)).all()
    return ids if len(ids) <= limit else None


def inbox_filtered(
    draft: Draft, filters: InboxFilters, *, matches: list[int] | None = None, scan: bool = False
) -> Select:
    """The inbox's comments, filtered, in no order and joined to nothing: what counting
    them, or an order of their own (the API's), needs.

    The search: ``matches``, the ids it found (`inbox_search_matches`), or ``scan``, tested
    on each row the other filters leave (for one group's rows, see `inbox_group_rows`);
    otherwise asked of the text index."""
    query = filter_comments(
        submitted_comments(draft),
        section=filters.section,
        kind=filters.kind,
        status=filters.status,
        duplicates=filters.duplicates,
        source=filters.source,
        q=filters.q if matches is None else None,
        scan=scan,
    )
    if matches is not None:
        # No matches: a plain false, which the database sees needs no rows at all.
        query = query.where(Comment.id.in_(matches) if matches else false())
    if filters.department:
        query = query.where(Comment.department_id == filters.department)
    if filters.assignee == "none":
        query = query.where(Comment.assignee_id.is_(None))
    elif filters.assignee:
        query = query.where(Comment.assignee_id == int(filters.assignee))
    if filters.answered == "yes":
        query = query.where(Comment.answered_clause())
    elif filters.answered == "no":
        query = query.where(~Comment.answered_clause())
    if filters.since:
        query = query.where(Comment.submitted_at >= filters.since)
    return query


# --- changes, each recorded in the comment's history --------------------------------------


def _record(comment: Comment, user: User, field_name: str, old, new) -> None:
    comment.events.append(
        CommentEvent(
            actor=user,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
    )


def _check_version(comment: Comment, expected_version: int | None) -> None:
    if expected_version is not None and comment.version != expected_version:
        last = comment.events[-1].actor if comment.events else None
        raise TriageConflict(
            _l(
                "%(name)s changed this comment while you were editing it. "
                "Your changes were not saved: reload the comment, then apply them again.",
                name=last.full_name if last else _l("Someone"),
            )
        )


def _require_triage(comment: Comment, user: User) -> None:
    if not comment.can_triage(user):
        raise TriageError(_l("Only submitted comments can be triaged."))


def answer_comment(
    comment: Comment,
    user: User,
    *,
    status: CommentStatus,
    answer: str | None,
    expected_version: int | None = None,
) -> None:
    """Set the status and answer; an answer is required for every status but new and
    under review. The answer reaches every department whose comment is a duplicate of it."""
    old_status, old_answer = comment.status, comment.answer
    _answer(comment, user, status=status, answer=answer, expected_version=expected_version)
    if comment.status != old_status:
        detail = {"from": old_status, "to": comment.status}
        audit.record(AuditAction.COMMENT_STATUS, comment, actor=user, detail=detail)
    if (comment.answer or "") != (old_answer or ""):
        audit.record(
            AuditAction.COMMENT_ANSWER, comment, actor=user, detail={"status": comment.status}
        )


def _answer(
    comment: Comment,
    user: User,
    *,
    status: CommentStatus,
    answer: str | None,
    expected_version: int | None = None,
) -> None:
    _require_triage(comment, user)
    _check_version(comment, expected_version)
    answer = (answer or "").strip() or None
    old_status, old_answer = comment.status, comment.answer
    try:
        changed = comment.set_answer(status, answer, user)
    except IllegalTransition as exc:
        raise TriageError(str(exc)) from exc
    if status != old_status:
        _record(comment, user, "status", old_status.value, status.value)
    if answer != old_answer:
        _record(comment, user, "answer", old_answer, answer)
        comment.answer_html = str(render_markdown(answer)) if answer else None
    db.session.flush()
    if changed:
        notifications.comment_answered(comment, user)


def assign_comment(comment: Comment, user: User, assignee: User | None) -> None:
    _require_triage(comment, user)
    if assignee is not None and not comment.draft.can_manage(assignee):
        raise TriageError(_l("Comments are assigned to members of the drafting board."))
    if comment.assignee_id != (assignee.id if assignee else None):
        _record(
            comment,
            user,
            "assignee",
            comment.assignee.full_name if comment.assignee else None,
            assignee.full_name if assignee else None,
        )
        comment.assignee = assignee
    db.session.flush()


def mark_duplicates(primary: Comment, others: list[Comment], user: User) -> None:
    """Fold ``others`` into ``primary``'s group: one answer for all, every department credited."""
    _require_triage(primary, user)
    primary = primary.effective
    merged, moved_all = [], []
    for other in others:
        _require_triage(other, user)
        before = {c.id: c.duplicate_of_id for c in [*other.duplicates, other]}
        try:
            moved = other.mark_duplicate_of(primary)
        except IllegalTransition as exc:
            raise TriageError(str(exc)) from exc
        for child in moved:
            _record(child, user, "duplicate_of", before.get(child.id), primary.id)
        merged.append(other)
        moved_all += moved
    db.session.flush()
    if merged:
        audit.record(
            AuditAction.COMMENT_MERGE,
            primary,
            actor=user,
            detail={"duplicates": sorted(o.id for o in merged)},
        )
        notifications.comment_answered(primary, user, members=moved_all, merged=True)


def separate_duplicate(comment: Comment, user: User) -> None:
    _require_triage(comment, user)
    if comment.duplicate_of is None:
        return
    _record(comment, user, "duplicate_of", comment.duplicate_of_id, None)
    _record(comment, user, "status", comment.status.value, CommentStatus.UNDER_REVIEW.value)
    comment.separate()
    db.session.flush()
    audit.record(AuditAction.COMMENT_MERGE, comment, actor=user, detail={"separated": True})


def next_draft_of(draft: Draft) -> Draft | None:
    later = [d for d in draft.proposal.drafts if d.number > draft.number]
    return later[0] if later else None


def link_to_section(comment: Comment, user: User, section: Section | None) -> None:
    """Record the section of the next draft where the comment was taken into account."""
    _require_triage(comment, user)
    next_draft = next_draft_of(comment.draft)
    if section is not None and (next_draft is None or section.draft_id != next_draft.id):
        raise TriageError(_l("Choose a section of the next draft."))
    old = comment.addressed_in.title if comment.addressed_in else None
    new = section.title if section else None
    if old != new:
        _record(comment, user, "addressed_in", old, new)
    comment.addressed_in = section
    db.session.flush()


def post_message(comment: Comment, user: User, body: str) -> CommentMessage:
    if not comment.can_discuss(user):
        raise TriageError(_l("You cannot take part in this discussion."))
    body = (body or "").strip()
    if not body:
        raise TriageError(_l("Write the message before sending it."))
    message = CommentMessage(
        comment=comment, author=user, body=body, body_html=str(render_markdown(body))
    )
    db.session.add(message)
    db.session.flush()
    notifications.thread_message(message)
    return message


# --- bulk actions ---------------------------------------------------------------------------


def bulk_assign(comments: list[Comment], user: User, assignee: User | None) -> int:
    for comment in comments:
        assign_comment(comment, user, assignee)
    audit.record(
        AuditAction.COMMENT_ASSIGN,
        comments[0].draft if comments else None,
        actor=user,
        detail={"comments": sorted(c.id for c in comments), "assignee": assignee and assignee.id},
    )
    return len(comments)


def bulk_answer(
    comments: list[Comment], user: User, status: CommentStatus, answer: str | None
) -> int:
    """Answer several comments at once; duplicates are answered through their primary."""
    primaries = {c.effective.id: c.effective for c in comments}
    for comment in primaries.values():
        # A blank answer box in a bulk action means "keep each comment's answer".
        kept = answer if (answer or "").strip() else comment.answer
        _answer(comment, user, status=status, answer=kept)
    # One entry for the whole batch, listing every comment chosen.
    audit.record(
        AuditAction.COMMENT_ANSWER,
        comments[0].draft if comments else None,
        actor=user,
        detail={"comments": sorted(c.id for c in comments), "status": status},
    )
    return len(primaries)


# --- similar comments -----------------------------------------------------------------------


@dataclass
class Similar:
    comment: Comment
    score: float


MAX_PAIRS = 6
# Candidates scored per word pair (and from the comment's section), newest first, out of
# the newest matches of any draft read from the text index: the page costs the same at a
# thousand comments as at a million.
CANDIDATES_PER_KEY = 25
MATCHES_PER_KEY = 4 * CANDIDATES_PER_KEY


def similar_comments(comment: Comment, limit: int = 5, threshold: float = 0.15) -> list[Similar]:
    """The submitted comments of the same draft that say the most alike, best first."""
    mine = features(comment.search_text, folded=True)
    # Candidates share at least one of the comment's word pairs (or its section): the
    # text index narrows thousands of comments to a few before any scoring in Python.
    pairs = sorted((k for k in mine if "_" in k), key=len, reverse=True)[:MAX_PAIRS]
    keys = [Comment.text_search(p.replace("_", " "), newest=MATCHES_PER_KEY) for p in pairs]
    if comment.section_id is not None:
        keys.append(Comment.section_id == comment.section_id)
    matches = [
        db.session.scalars(
            select(Comment.id).where(key).order_by(Comment.id.desc()).limit(MATCHES_PER_KEY)
        ).all()
        for key in keys
    ]
    # The draft and state are checked here, on a few hundred rows read by primary key: in
    # the query, the database would rather read the draft's whole index.
    rows = {
        cid: text
        for cid, draft_id, submitted, deleted, text in db.session.execute(
            select(
                Comment.id,
                Comment.draft_id,
                Comment.submitted_at,
                Comment.deleted_at,
                Comment.search_text,
            ).where(Comment.id.in_({cid for ids in matches for cid in ids}))
        )
        if draft_id == comment.draft_id and submitted and not deleted and cid != comment.id
    }
    candidates = {
        cid for ids in matches for cid in [i for i in ids if i in rows][:CANDIDATES_PER_KEY]
    }
    scored = sorted(
        ((cosine(mine, features(rows[cid], folded=True)), cid) for cid in candidates), reverse=True
    )
    best = [(score, cid) for score, cid in scored[:limit] if score >= threshold]
    by_id = {
        c.id: c
        for c in db.session.scalars(select(Comment).where(Comment.id.in_([c for _, c in best])))
    }
    return [Similar(by_id[cid], score) for score, cid in best]


# --- the dashboard --------------------------------------------------------------------------


@dataclass
class Dashboard:
    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_section: list[tuple[Section | None, int, int]] = field(default_factory=list)
    by_department: list[tuple[str, int, int]] = field(default_factory=list)
    unanswered: int = 0
    duplicates: int = 0

    @property
    def answered(self) -> int:
        return self.total - self.unanswered

    @property
    def progress(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def all_answered(self) -> bool:
        return self.total > 0 and self.unanswered == 0


def dashboard(draft: Draft) -> Dashboard:
    """Counts by status, section and department; a duplicate counts as answered with its primary."""
    comments = list(
        db.session.scalars(
            submitted_comments(draft).options(
                selectinload(Comment.duplicate_of), selectinload(Comment.department)
            )
        )
    )
    result = Dashboard(total=len(comments))
    sections: dict[int | None, list[int]] = {}
    departments: dict[str, list] = {}
    for comment in comments:
        if comment.is_duplicate:
            result.duplicates += 1
        else:
            result.by_status[comment.status] += 1
        answered = comment.is_answered
        result.unanswered += 0 if answered else 1
        sections.setdefault(comment.section_id, [0, 0])
        sections[comment.section_id][0] += 1
        sections[comment.section_id][1] += 0 if answered else 1
        row = departments.setdefault(comment.speaker, [comment.speaker, 0, 0])
        row[1] += 1
        row[2] += 0 if answered else 1
    by_id = {s.id: s for s in draft.sections}
    order = {s.id: s.position for s in draft.sections}
    result.by_section = [
        (by_id.get(sid), n, open_)
        for sid, (n, open_) in sorted(sections.items(), key=lambda kv: order.get(kv[0], -1))
    ]
    result.by_department = sorted(
        (tuple(v) for v in departments.values()), key=lambda row: (-row[1], row[0])
    )
    return result


def team_members(proposal: Proposal) -> list[User]:
    """Who comments can be assigned to: the proposal's board."""
    return sorted((m.user for m in proposal.board() if m.user.is_active), key=lambda u: u.full_name)
