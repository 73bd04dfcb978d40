"""The demo data set loaded by ``flask seed-demo``: idempotent, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from consult.demo import content
from consult.demo.clock import DemoClock
from consult.documents.importer import ParsedSection
from consult.extensions import db
from consult.markup import render_markdown
from consult.models import (
    Comment,
    CommentKind,
    CommentStatus,
    Department,
    DepartmentKind,
    DepartmentResponse,
    DraftStatus,
    EmailState,
    Notification,
    Proposal,
    ResponseKind,
    Role,
    Seat,
    User,
    Visibility,
    Workshop,
)
from consult.models.base import utcnow
from consult.services import accounts as account_service
from consult.services import comments as comment_service
from consult.services import drafts as draft_service
from consult.services import notifications as notification_service
from consult.services import workshops as workshop_service
from consult.timeutil import from_vietnam_local, to_vietnam_local

# The demo accounts share a published password: demo data only, printed by seed-demo.
DEMO_PASSWORD = "CanTho-2018"  # noqa: S105
DEMO_DOMAIN = "demo.example.vn"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    department_code: str | None
    may_create_proposals: bool = False


# Seats on each proposal's board: (proposal code, email, seat).
DEMO_SEATS = [
    (content.PROPOSAL["code"], f"bst@{DEMO_DOMAIN}", Seat.CHAIR),
    (content.PROPOSAL["code"], f"bst2@{DEMO_DOMAIN}", Seat.MEMBER),
    (content.PROPOSAL["code"], f"hoithao@{DEMO_DOMAIN}", Seat.ORGANIZER),
    (content.AGRI_PROPOSAL["code"], f"bst.snn@{DEMO_DOMAIN}", Seat.CHAIR),
    (content.AGRI_PROPOSAL["code"], f"chuyenvien2.stttt@{DEMO_DOMAIN}", Seat.MEMBER),
]

DEMO_ACCOUNTS = [
    DemoAccount(f"quantri@{DEMO_DOMAIN}", "Nguyễn Văn Quản", Role.ADMIN, None),
    DemoAccount(f"bst@{DEMO_DOMAIN}", "Trần Thị Biên", Role.REVIEWER, "SKHDT", True),
    DemoAccount(f"bst2@{DEMO_DOMAIN}", "Lê Minh Soạn", Role.REVIEWER, "VNPT-CT"),
    DemoAccount(f"hoithao@{DEMO_DOMAIN}", "Phạm Thu Hội", Role.REVIEWER, "SKHDT"),
    DemoAccount(f"lanhdao.skhdt@{DEMO_DOMAIN}", "Hồ Minh Hoạch", Role.LEAD, "SKHDT"),
    DemoAccount(f"bst.snn@{DEMO_DOMAIN}", "Dương Văn Nông", Role.REVIEWER, "SNNPTNT", True),
    DemoAccount(f"chuyenvien.stttt@{DEMO_DOMAIN}", "Võ Thanh Tâm", Role.REVIEWER, "STTTT"),
    DemoAccount(f"chuyenvien2.stttt@{DEMO_DOMAIN}", "Huỳnh Ngọc Lan", Role.REVIEWER, "STTTT"),
    DemoAccount(f"lanhdao.stttt@{DEMO_DOMAIN}", "Đặng Quốc Thông", Role.LEAD, "STTTT"),
    DemoAccount(f"chuyenvien.sxd@{DEMO_DOMAIN}", "Ngô Bảo Xây", Role.REVIEWER, "SXD"),
    DemoAccount(f"lanhdao.sxd@{DEMO_DOMAIN}", "Châu Văn Dựng", Role.LEAD, "SXD"),
    DemoAccount(f"chuyenvien.sgtvt@{DEMO_DOMAIN}", "Lý Thị Giao", Role.REVIEWER, "SGTVT"),
    DemoAccount(f"lanhdao.sgtvt@{DEMO_DOMAIN}", "Trương Công Vận", Role.LEAD, "SGTVT"),
    DemoAccount(f"lanhdao.snv@{DEMO_DOMAIN}", "Mai Thị Nội", Role.LEAD, "SNV"),
]


def seed_departments() -> dict[str, Department]:
    by_code: dict[str, Department] = {}
    for index, (code, name, kind, email) in enumerate(content.DEPARTMENTS):
        department = Department.by_code(code)
        # A made-up office number in Cần Thơ's area code (0292), one per body.
        phone = f"0292 38{20 + index:02d} {(137 * index + 101) % 1000:03d}"
        if department is None:
            department = account_service.upsert_department(
                code=code, name=name, kind=DepartmentKind(kind), email=email, phone=phone
            )
        elif department.phone is None:  # a demo loaded before bodies had phones
            department.phone = phone
        by_code[code] = department
    db.session.flush()
    return by_code


def seed_accounts(departments: dict[str, Department]) -> list[User]:
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.by_email(account.email)
        if user is None:
            user = account_service.create_user(
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                password=DEMO_PASSWORD,
                department=departments.get(account.department_code),
                locale="vi",
                may_create_proposals=account.may_create_proposals,
            )
        users.append(user)
    return users


def seed_seats(proposal: Proposal) -> None:
    """The board and organizers of ``proposal`` (its chair is the account that created it)."""
    for code, email, seat in DEMO_SEATS:
        person = User.by_email(email)
        if code != proposal.code or seat is Seat.CHAIR or proposal.seat_of(person):
            continue
        draft_service.seat_member(proposal, proposal.chair, person, seat)


# Draft 3 stays open: its deadline is set relative to the day the demo is loaded, so
# that comments can be written and reminders are due right away. Every time is an office
# time (consult.demo.clock), whatever the hour the demo is loaded.
DRAFT3_OPENED_DAYS_AGO = 14
DRAFT3_CLOSES_IN_DAYS = 2
WORKSHOP_AT = (8, 30)


def _vietnam_day(day: str, at: time) -> datetime:
    return from_vietnam_local(datetime.combine(date.fromisoformat(day), at))


def _open_period(clock: DemoClock, opened_days_ago: int, closes_in_days: int):
    """A comment period that opened at 08:00 and closes at 17:00, on working days; the
    deadline is at least an hour away (else the next working day's)."""
    opens = clock.at(clock.working_day(-opened_days_ago), 8)
    closes = clock.at(clock.working_day(closes_in_days), 17)
    if closes <= clock.now + timedelta(hours=1):
        closes = clock.at(clock.working_day(1, forward=True), 17)
    return opens, closes


def seed_proposal(author: User, departments: dict[str, Department], clock: DemoClock) -> Proposal:
    proposal = Proposal.by_code(content.PROPOSAL["code"])
    if proposal is not None:
        return proposal
    proposal = draft_service.create_proposal(
        code=content.PROPOSAL["code"],
        title=content.PROPOSAL["title"],
        summary=content.PROPOSAL["summary"],
        visibility=Visibility.PUBLIC,
        user=author,
        lead_agency=departments[content.LEAD_AGENCY],
        place="Cần Thơ",
        board_name=content.BOARD_NAME,
        **content.PAPERS,
    )
    seed_seats(proposal)
    for spec in content.DRAFTS:
        sections = [
            ParsedSection(level, number, heading, body)
            for level, number, heading, body in spec["sections"]
        ]
        draft = draft_service.import_draft(proposal, sections, spec["change_note"])
        if spec["number"] < len(content.DRAFTS):
            # Earlier drafts are history: their 2018 periods are written as they were.
            opened, deadline = content.DRAFT_PERIODS[spec["number"]]
            draft.opens_at = _vietnam_day(opened, time(8, 0))
            draft.closes_at = _vietnam_day(deadline, time(17, 0))
            draft.published_at = draft.opens_at
            draft.closed_at = draft.closes_at
            draft.status = DraftStatus.SUPERSEDED
            comment_service.invite_departments(draft)
        else:
            opens, closes = _open_period(clock, DRAFT3_OPENED_DAYS_AGO, DRAFT3_CLOSES_IN_DAYS)
            comment_service.publish_draft(draft, opens, closes, now=clock.now)
            draft.published_at = opens
        db.session.flush()
    return proposal


# In the demo, the department of the demo reviewers is still writing its comments on
# draft 3: they are its unsubmitted drafts, waiting for the lead.
STILL_WRITING = {3: {"STTTT"}}


def _department_author(department: Department, proposal: Proposal, lead: bool = False) -> User:
    """A demo account that speaks for the department on ``proposal``: its reviewer (or
    its lead, when ``lead``), or a lead made for it."""
    users = sorted(
        (
            u
            for u in department.users
            if proposal.speaks_for(u) == department.id and (u.is_lead or not lead)
        ),
        key=lambda u: (u.role is not Role.REVIEWER, u.id),
    )
    if users:
        return users[0]
    return account_service.create_user(
        email=f"lanhdao.{department.code.lower()}@{DEMO_DOMAIN}",
        full_name=f"Lãnh đạo {department.name}",
        role=Role.LEAD,
        password=DEMO_PASSWORD,
        department=department,
        locale="vi",
    )


def _letter_time(draft, day: str, clock: DemoClock) -> datetime:
    """When a letter of the content arrived. The open draft's 2018 period is mapped onto
    the demo's (opened two weeks ago), so its responses arrived between then and now, in
    office hours."""
    arrived = _vietnam_day(day, time(9, 0))
    if draft.status is not DraftStatus.OPEN:
        return arrived
    start, end = (_vietnam_day(d, time(8, 0)) for d in content.DRAFT_PERIODS[draft.number])
    share = (arrived - start) / (end - start)
    mapped = draft.opens_at + share * (clock.now - timedelta(hours=1) - draft.opens_at)
    return max(draft.opens_at, clock.snap(mapped))


def _response(draft, department: Department, kind: ResponseKind, letter: str, day: str, clock):
    submitted_at = _letter_time(draft, day, clock)
    response = DepartmentResponse(
        draft=draft,
        department=department,
        sequence=1,
        kind=kind,
        submitted_by=_department_author(department, draft.proposal, lead=True),
        submitted_at=submitted_at,
        letter_number=letter,
        letter_date=to_vietnam_local(submitted_at).date(),
    )
    db.session.add(response)
    return response


def seed_comments(
    proposal: Proposal, departments: dict[str, Department], team_member: User, clock: DemoClock
) -> None:
    """The comments and official responses of each draft, as the demo content tells them."""
    if (
        db.session.query(Comment)
        .filter(Comment.draft_id.in_([d.id for d in proposal.drafts]))
        .count()
    ):
        return
    for draft in proposal.drafts:
        groups: dict[str, Comment] = {}
        sections = {s.heading: s for s in draft.sections}
        letters = content.RESPONSE_LETTERS.get(draft.number, {})
        responses: dict[str, DepartmentResponse] = {}
        for code, (number, day) in sorted(letters.items()):
            if code in STILL_WRITING.get(draft.number, set()):
                continue
            responses[code] = _response(
                draft, departments[code], ResponseKind.COMMENTS, number, day, clock
            )
        for code, number, day in content.AGREED.get(draft.number, []):
            _response(draft, departments[code], ResponseKind.AGREE, number, day, clock)
        for spec in (s for s in content.COMMENTS if s["draft"] == draft.number):
            department = departments[spec["department"]]
            response = responses.get(spec["department"])
            comment = Comment(
                draft=draft,
                section=sections.get(spec["section_heading"]) if spec["section_heading"] else None,
                department=department,
                author=_department_author(department, proposal),
                response=response,
                submitted_at=response.submitted_at if response else None,
                kind=CommentKind(spec["kind"]),
                quote=spec["quote"],
                proposed_text=spec["proposed_text"],
            )
            comment_service.set_body(comment, spec["body"])
            if response is not None:
                # Written the working day before the letter, at its hour.
                written = clock.snap(response.submitted_at - timedelta(days=1))
                written = written if written >= draft.opens_at else response.submitted_at
            else:  # still being written: this morning, or the last working day's
                written = clock.snap(clock.now)
            comment.created_at = comment.updated_at = written
            db.session.add(comment)
            if response is not None:
                _seed_answer(comment, spec, team_member, groups, clock)
    db.session.flush()


def _seed_answer(
    comment: Comment, spec: dict, team_member: User, groups: dict, clock: DemoClock
) -> None:
    """The drafting board's answer as the content tells it; duplicates join their group."""
    group = spec.get("duplicate_group")
    if group and groups.setdefault(group, comment) is not comment:
        comment.duplicate_of = groups[group]
        return
    comment.status = CommentStatus(spec["status"])
    if spec["answer"] and comment.status.is_final:
        comment.answer = spec["answer"]
        comment.answer_html = str(render_markdown(spec["answer"]))
        comment.answered_by = team_member
        answered = clock.snap(comment.response.submitted_at + timedelta(days=3))
        comment.answered_at = max(answered, comment.response.submitted_at)


def seed_workshop(
    proposal: Proposal, departments: dict[str, Department], organizer: User, clock: DemoClock
) -> None:
    """The workshop on the open draft, held on the last working day at 08:30, with
    comments from the floor spoken through the morning."""
    draft = next(d for d in reversed(proposal.drafts) if d.is_published)  # not draft 4
    if db.session.query(Workshop).filter_by(draft_id=draft.id).count():
        return
    spec = content.WORKSHOP
    sections = {s.heading: s for s in draft.sections}
    speakers = [departments[f["department"]] for f in spec["floor_comments"] if f["department"]]
    workshop = workshop_service.save_workshop(
        None,
        draft=draft,
        organizer=organizer,
        title=spec["title"],
        starts_at=clock.at(clock.last_working_day(), *WORKSHOP_AT),
        place=spec["place"],
        notes="",
        agenda=[sections[h] for h in spec["agenda_headings"]],
        invited=list(dict.fromkeys(speakers)),
    )
    floors = spec["floor_comments"]
    for n, floor in enumerate(floors):
        if floor["department"]:
            participant = next(
                p for p in workshop.participants
                if p.department_id == departments[floor["department"]].id
            )  # fmt: skip
        else:
            participant = workshop_service.add_guest(workshop, floor["guest_name"], None)
        comment = workshop_service.record_floor_comment(
            workshop,
            organizer,
            section=sections.get(floor["section_heading"]),
            participant=participant,
            kind=CommentKind.GENERAL,
            body=floor["body"],
        )
        # Spoken between 08:45 and 11:15, in the order of the programme.
        spoken = workshop.starts_at + timedelta(minutes=15 + 150 * n // max(1, len(floors)))
        comment.created_at = comment.updated_at = comment.submitted_at = spoken


def seed_notifications(proposal: Proposal) -> None:
    """The open draft's publication in every invited member's notifications, as mailed when
    it was published. Reminders are left to ``flask notify send-due``."""
    if db.session.scalar(select(Notification.id).limit(1)) is not None:
        return
    draft = next(d for d in reversed(proposal.drafts) if d.is_published)  # not draft 4
    for notification in notification_service.draft_published(draft) or []:
        notification.created_at = draft.published_at
        notification.email_state = EmailState.SENT
        notification.emailed_at = draft.published_at


def seed_agriculture_plan(departments: dict[str, Department], clock: DemoClock) -> Proposal:
    """The second consultation: the agriculture department's plan, with its own board;
    draft 1 is open, the Department of Planning and Investment among those consulted."""
    spec = content.AGRI_PROPOSAL
    proposal = Proposal.by_code(spec["code"])
    if proposal is not None:
        return proposal
    chair = User.by_email(f"bst.snn@{DEMO_DOMAIN}")
    proposal = draft_service.create_proposal(
        code=spec["code"],
        title=spec["title"],
        summary=spec["summary"],
        visibility=Visibility.INTERNAL,
        user=chair,
        lead_agency=departments[spec["lead_agency"]],
        place="Cần Thơ",
        board_name=spec["board_name"],
        **spec["papers"],
    )
    seed_seats(proposal)
    draft = draft_service.import_draft(
        proposal, [ParsedSection(*s) for s in content.AGRI_SECTIONS], "Bản dự thảo đầu tiên"
    )
    comment_service.invite_departments(draft, [departments[c] for c in spec["invited"]])
    opens, closes = _open_period(clock, 5, 10)
    comment_service.publish_draft(draft, opens, closes, now=clock.now, actor=chair)
    draft.published_at = opens
    sections = {s.heading: s for s in draft.sections}

    def respond(code: str, kind: ResponseKind, letter: str, days_ago: int) -> DepartmentResponse:
        at = max(opens, clock.office(clock.working_day(-days_ago), 0.3 + 0.1 * days_ago))
        response = DepartmentResponse(
            draft=draft,
            department=departments[code],
            sequence=1,
            kind=kind,
            submitted_by=_department_author(departments[code], proposal, lead=True),
            submitted_at=at,
            letter_number=letter,
            letter_date=to_vietnam_local(at).date(),
        )
        db.session.add(response)
        return response

    responses = {
        code: respond(code, ResponseKind.COMMENTS, letter, 2)
        for code, (letter, _day) in content.AGRI_RESPONSES.items()
    }
    for code, letter, _day in content.AGRI_AGREED:
        respond(code, ResponseKind.AGREE, letter, 3)
    for c in content.AGRI_COMMENTS:
        department = departments[c["department"]]
        comment = Comment(
            draft=draft,
            section=sections[c["section_heading"]],
            department=department,
            author=_department_author(department, proposal),
            kind=CommentKind(c["kind"]),
            quote=c["quote"],
            proposed_text=c["proposed_text"],
            response=responses[c["department"]],
            submitted_at=responses[c["department"]].submitted_at,
            status=CommentStatus(c["status"]),
        )
        comment_service.set_body(comment, c["body"])
        written = clock.snap(comment.submitted_at - timedelta(hours=2))
        comment.created_at = comment.updated_at = max(opens, written)
        if c["answer"]:
            comment.answer = c["answer"]
            comment.answer_html = str(render_markdown(c["answer"]))
            comment.answered_by = chair
            comment.answered_at = clock.office(clock.last_working_day(), 0.75)
        db.session.add(comment)
    db.session.flush()
    return proposal


def seed_next_draft(proposal: Proposal) -> None:
    """Draft 4 in preparation, a copy of draft 3: the board takes draft 3's accepted
    proposals into it on the consolidation page."""
    if proposal.draft_in_preparation() is not None or len(proposal.drafts) != len(content.DRAFTS):
        return
    draft_service.start_next_draft(proposal, content.NEXT_DRAFT_NOTE)


def seed_demo(now: datetime | None = None) -> list[User]:
    """Load the demo; running it again changes nothing that is already there. ``now``
    (default: the clock) is the moment the demo is loaded at: tests give their own."""
    clock = DemoClock(now or utcnow())
    with notification_service.muted():
        departments = seed_departments()
        users = seed_accounts(departments)
        author = User.by_email(f"bst@{DEMO_DOMAIN}")
        proposal = seed_proposal(author, departments, clock)
        seed_comments(proposal, departments, author, clock)
        seed_workshop(proposal, departments, User.by_email(f"hoithao@{DEMO_DOMAIN}"), clock)
        seed_next_draft(proposal)
        seed_agriculture_plan(departments, clock)
    seed_notifications(proposal)
    db.session.commit()
    return users
