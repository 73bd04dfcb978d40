"""The summary report of a draft, assembled from the database and streamed to the writers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from consult.documents.labels import document_labels
from consult.documents.summary import (
    ReportCounts,
    ReportRow,
    SummaryReport,
)
from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    CommentSource,
    CommentStatus,
    Department,
    DepartmentKind,
    DepartmentResponse,
    Draft,
    DraftInvitation,
    ResponseKind,
    Section,
)
from consult.models.base import utcnow
from consult.services import consolidation
from consult.services.comments import filter_comments
from consult.timeutil import from_vietnam_local, parse_date_or_none, to_vietnam_local
from consult.utils import parse_enum, parse_id

STREAM_BATCH = 1000


@dataclass
class ReportFilters:
    section: int | None = None  # a section id; 0 = general comments
    department: int | None = None
    status: CommentStatus | None = None
    kind: CommentKind | None = None
    source: CommentSource | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""  # a search of the text, as in the inbox

    @classmethod
    def from_args(cls, args) -> ReportFilters:
        return cls(
            section=parse_id(args.get("section")),
            department=parse_id(args.get("department")),
            status=parse_enum(CommentStatus, args.get("status")),
            kind=parse_enum(CommentKind, args.get("kind")),
            source=parse_enum(CommentSource, args.get("source")),
            date_from=parse_date_or_none(args.get("from")),
            date_to=parse_date_or_none(args.get("to")),
            q=(args.get("q") or "").strip()[:200],
        )

    def to_args(self) -> dict[str, str]:
        values = {
            "section": self.section,
            "department": self.department,
            "status": self.status.value if self.status else None,
            "kind": self.kind.value if self.kind else None,
            "source": self.source.value if self.source else None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "q": self.q or None,
        }
        return {k: str(v) for k, v in values.items() if v is not None}


def _primary_comments(draft: Draft, filters: ReportFilters, ordered: bool = True):
    """Submitted comments that stand for themselves (duplicates are listed with their
    primary), in the order of the draft unless ``ordered`` is false (to count them)."""
    query = select(
        Comment.id,
        Comment.section_id,
        Comment.department_id,
        Comment.kind,
        Comment.source,
        Comment.body,
        Comment.quote,
        Comment.proposed_text,
        Comment.proposes_deletion,
        Comment.answer,
        Comment.status,
        Comment.answered_at,
        Comment.submitted_at,
        Comment.guest_name,
    ).where(
        Comment.draft_id == draft.id,
        Comment.submitted_at.is_not(None),
        Comment.deleted_at.is_(None),
        Comment.duplicate_of_id.is_(None),
    )
    if ordered:
        query = query.outerjoin(Section, Comment.section_id == Section.id).order_by(
            func.coalesce(Section.position, -1), Comment.id
        )
    query = filter_comments(
        query,
        section=filters.section,
        kind=filters.kind,
        status=filters.status,
        source=filters.source,
        q=filters.q,
    )
    if filters.department:
        # A row credits every body that made its point: its own and its duplicates'.
        duplicate = aliased(Comment)
        credited = select(duplicate.duplicate_of_id).where(
            duplicate.draft_id == draft.id,
            duplicate.department_id == filters.department,
            duplicate.duplicate_of_id.is_not(None),
            duplicate.deleted_at.is_(None),
        )
        query = query.where(
            or_(Comment.department_id == filters.department, Comment.id.in_(credited))
        )
    if filters.date_from:
        start = from_vietnam_local(datetime.combine(filters.date_from, time.min))
        query = query.where(Comment.submitted_at >= start)
    if filters.date_to:
        end = from_vietnam_local(datetime.combine(filters.date_to, time.max))
        query = query.where(Comment.submitted_at <= end)
    return query


def report_rows(
    draft: Draft, filters: ReportFilters, start: int = 0, limit: int | None = None
) -> Iterator[ReportRow]:
    """The table's rows in the order of the draft, streamed in batches (never all at once);
    ``start`` and ``limit``: from the row after the ``start``-th, at most ``limit`` rows
    (numbered as in the whole table).

    A row is a comment together with the comments merged into it as duplicates, crediting
    every department that made the point.
    """
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    sections = {s.id: (s.number, s.heading, s.key) for s in draft.sections}  # a few hundred at most
    statuses = {s: str(s.label) for s in CommentStatus}
    kinds = {k: str(k.label) for k in CommentKind}
    sources = {s: str(s.label) for s in CommentSource}
    statement = _primary_comments(draft, filters).offset(start or None).limit(limit)
    if limit is None:  # the whole table, streamed; what its rows credit read once
        result = islice(_rows_by_section(draft, filters), start, None)
        duplicates = _duplicates(draft)
        places = consolidation.taken_into_by_comment(draft)
    else:  # a page of it: its ids sorted (narrow rows), then its rows, and what they credit
        keys = statement.with_only_columns(Comment.id, maintain_column_froms=True)
        ids = db.session.scalars(keys).all()
        page = _primary_comments(draft, ReportFilters(), ordered=False).where(Comment.id.in_(ids))
        by_id = {row.id: row for row in db.session.execute(page)}
        result = [by_id[i] for i in ids]
        duplicates = _duplicates(draft, ids)
        merged = [d for group in duplicates.values() for d, _, _ in group]
        places = consolidation.taken_into_by_comment(draft, ids + merged)
    final = {s: s.is_final for s in CommentStatus}
    considered = consolidation.CONSIDERED
    number = start
    # Rows unpacked by position, in the order _primary_comments selects them: a Row's
    # attributes by name cost as much again as the rest of the loop, at a million rows.
    for (
        comment_id, section_id, department_id, kind, source, body, quote, proposed_text,
        proposes_deletion, answer, status, answered_at, submitted_at, guest_name,
    ) in result:  # fmt: skip
        group = [(comment_id, department_id, guest_name), *duplicates.get(comment_id, ())]
        number += 1
        section_number, heading, key = sections.get(section_id, ("", "", None))
        yield ReportRow(
            number=number,
            section_number=section_number,
            section_heading=heading,
            section_key=key,
            departments=list(
                dict.fromkeys(names[d] if d is not None else guest for _, d, guest in group)
            ),
            kind=kinds[kind],
            source=sources[source],
            comment=body,
            quote=quote,
            proposed_text=proposed_text,
            proposes_deletion=proposes_deletion,
            answer=answer if final[status] else None,
            status=statuses[status],
            submitted_at=submitted_at,
            answered_at=answered_at,
            comment_ids=[c for c, _d, _g in group],
            taken_into=_places(group, places) if status in considered else [],
        )


def _rows_by_section(draft: Draft, filters: ReportFilters) -> Iterator:
    """The whole table's rows in the draft's order, streamed section by section: each
    section's rows (the general comments first) come in id order from the index of
    comments by section, so that the database never sorts the whole table's wide rows (on
    disk, at a million comments)."""
    rows = _primary_comments(draft, filters, ordered=False).order_by(Comment.id)
    if filters.section is not None:  # one section, or 0: the general comments
        groups = [filters.section or None]
    else:
        groups = [None, *(section.id for section in draft.sections)]
    for section_id in groups:
        here = Comment.section_id == section_id if section_id else Comment.section_id.is_(None)
        statement = rows.where(here).execution_options(yield_per=STREAM_BATCH)
        yield from db.session.execute(statement)


def _duplicates(
    draft: Draft, primaries: list[int] | None = None
) -> dict[int, list[tuple[int, int | None, str | None]]]:
    """(id, department, guest) of the duplicates merged into each primary comment of
    ``draft`` (or of ``primaries``)."""
    query = select(
        Comment.duplicate_of_id, Comment.id, Comment.department_id, Comment.guest_name
    ).where(
        Comment.draft_id == draft.id,
        Comment.duplicate_of_id.is_not(None),
        Comment.deleted_at.is_(None),
    )
    if primaries is not None:
        query = query.where(Comment.duplicate_of_id.in_(primaries))
    found: dict[int, list[tuple[int, int | None, str | None]]] = {}
    for primary_id, dup_id, department_id, guest in db.session.execute(query):
        found.setdefault(primary_id, []).append((dup_id, department_id, guest))
    return found


def _places(group, places: dict[int, list[tuple[int, str]]]) -> list[tuple[int, str]]:
    """Where a row's comments (the primary and its duplicates) were taken into account."""
    return list(dict.fromkeys(place for c, _d, _g in group for place in places.get(c, [])))


def report_counts(draft: Draft) -> ReportCounts:
    """The figures of the report's first part, for the whole draft (filters do not apply)."""
    invited = db.session.execute(
        select(Department.id, Department.name, Department.kind)
        .join(DraftInvitation, DraftInvitation.department_id == Department.id)
        .where(DraftInvitation.draft_id == draft.id)
        .order_by(Department.name)
    ).all()
    responses = db.session.execute(
        select(
            DepartmentResponse.department_id,
            DepartmentResponse.kind,
            DepartmentResponse.letter_number,
            Department.name,
        )
        .join(Department, Department.id == DepartmentResponse.department_id)
        .where(DepartmentResponse.draft_id == draft.id)
        .order_by(Department.name, DepartmentResponse.sequence)
    ).all()
    commented = {r.department_id for r in responses if r.kind is ResponseKind.COMMENTS}
    agreed = [
        (r.name, r.letter_number)
        for r in responses
        if r.kind is ResponseKind.AGREE and r.department_id not in commented
    ]
    responded = {r.department_id for r in responses}
    status_counts = _results(draft)
    kinds = Counter(kind for _, _, kind in invited)
    return ReportCounts(
        consulted=len(invited),
        consulted_by_kind={str(k.label): kinds[k] for k in DepartmentKind if kinds[k]},
        letters_received=sum(1 for r in responses if r.letter_number),
        responded=len(responded),
        agreed=agreed,
        commented=len(commented),
        comments=sum(status_counts.values()),
        by_status={str(s.label): status_counts[s] for s in CommentStatus if status_counts[s]},
        not_responded=[name for dept_id, name, _ in invited if dept_id not in responded],
        silence_counts_as_agreement=draft.silence_counts_as_agreement,
    )


def _results(draft: Draft) -> Counter[CommentStatus]:
    """The draft's submitted comments by result, a duplicate counting with the result of
    its primary, which answers it.

    Every comment by its own status first (an index holds the three columns), then the
    duplicates moved to their primary's: one join of all comments to their primaries read
    every row of the table, a minute at a million comments. (The ``IN`` lets SQLite check
    "is a duplicate" in the duplicates' index before it reads a row.)
    """
    submitted = (
        Comment.draft_id == draft.id,
        Comment.submitted_at.is_not(None),
        Comment.deleted_at.is_(None),
    )
    counts: Counter[CommentStatus] = Counter()
    for status, n in db.session.execute(
        select(Comment.status, func.count()).where(*submitted).group_by(Comment.status)
    ):
        counts[CommentStatus(status)] += n
    primary, duplicate = aliased(Comment), aliased(Comment)
    duplicates = select(duplicate.id).where(duplicate.duplicate_of_id.is_not(None))
    for own, result, n in db.session.execute(
        select(Comment.status, primary.status, func.count())
        .join(primary, primary.id == Comment.duplicate_of_id)
        .where(*submitted, Comment.id.in_(duplicates))
        .group_by(Comment.status, primary.status)
    ):
        counts[CommentStatus(own)] -= n
        counts[CommentStatus(result)] += n
    return +counts  # without the results no comment has


def summary_report(draft: Draft, filters: ReportFilters | None = None) -> SummaryReport:
    labels = document_labels()
    proposal = draft.proposal
    return SummaryReport(
        place=draft.proposal.place,
        issued_on=to_vietnam_local(utcnow()).date(),
        proposal_title=draft.proposal.title,
        draft_number=draft.number,
        period_opens=draft.opens_at,
        period_closes=draft.closes_at,
        counts=report_counts(draft),
        rows=report_rows(draft, filters or ReportFilters()),
        labels=labels,
        **proposal.official_paper(),
    )


def count_rows(draft: Draft, filters: ReportFilters) -> int:
    """How many rows `report_rows` yields: the total of a job's progress bar and of the
    report page's pages."""
    query = _primary_comments(draft, filters, ordered=False).with_only_columns(Comment.id)
    query = query.subquery()
    return db.session.execute(select(func.count()).select_from(query)).scalar_one()


def charts_for(draft, report) -> list[str]:
    """Participation by department, comments by section, and results: server-rendered SVG."""
    from flask_babel import gettext as _

    from consult.documents.svg import render_svg_bar_chart

    submitted = (
        Comment.draft_id == draft.id,
        Comment.submitted_at.is_not(None),
        Comment.deleted_at.is_(None),
    )
    # Bodies and sections by their names (the chart shortens a long one, with a tooltip).
    by_department = db.session.execute(
        select(Department.name, func.count())
        .join(Comment, Comment.department_id == Department.id)
        .where(*submitted)
        .group_by(Department.id, Department.name)
        .order_by(func.count().desc(), Department.name)
        .limit(25)
    ).all()
    titles = {s.id: f"{s.number} {s.heading}".strip() for s in draft.sections}
    by_section = db.session.execute(
        select(Comment.section_id, func.count()).where(*submitted).group_by(Comment.section_id)
    ).all()
    order = {s.id: s.position for s in draft.sections}
    by_section = sorted(by_section, key=lambda r: order.get(r[0], -1))
    return [
        render_svg_bar_chart(_("Comments by department"), [(c, n) for c, n in by_department]),
        render_svg_bar_chart(
            _("Comments by section"),
            [(titles.get(sid, _("General")), n) for sid, n in by_section],
        ),
        render_svg_bar_chart(_("Results"), list(report.counts.by_status.items())),
    ]
