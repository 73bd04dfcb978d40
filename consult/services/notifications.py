"""Who is told what, and when: notifications, deadline reminders and the e-mail outbox.

Events call the functions of the first part inside their own transaction, so a notification
exists exactly when the event does. ``send_due`` (run from cron by ``flask notify send-due``)
writes the deadline reminders and works through the e-mail outbox; it can run as often as
one likes and in parallel with itself:

* a reminder has a unique ``dedupe_key``: the database refuses the second copy;
* an e-mail is claimed with one conditional UPDATE before it is sent: two runs never
  claim the same row;
* a failed e-mail goes back to the outbox with a later due time (exponential back-off),
  and the portal notification is there all along.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.models import (
    AppliedChange,
    Channel,
    Comment,
    CommentMessage,
    Department,
    DepartmentResponse,
    Draft,
    DraftInvitation,
    DraftStatus,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    Proposal,
    Seat,
    User,
    Workshop,
)
from consult.models.base import utcnow

# Days before a deadline at which departments that have not responded are reminded.
REMINDER_DAYS = (3, 1)
# Retries of a failed e-mail: 5 min, 10 min, 20 min ... capped at 6 h, given up after 12.
RETRY_FIRST = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 12
# A claim older than this belongs to a run that died while sending: the row goes back.
STALE_CLAIM = timedelta(minutes=15)

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Record events without telling anyone (loading the demo's history, bulk imports)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# --- preferences ----------------------------------------------------------------------------


def _channels(user_ids: list[int], kind: NotificationKind) -> dict[int, Channel]:
    """The choices of many users for one kind, in one query (absent: e-mail)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.channel).where(
            NotificationPreference.user_id.in_(user_ids), NotificationPreference.kind == kind
        )
    )
    return dict(rows.all())


def preferences_of(user: User) -> dict[NotificationKind, Channel]:
    chosen = {
        p.kind: p.channel
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    return {kind: chosen.get(kind, Channel.EMAIL) for kind in NotificationKind}


def save_preferences(user: User, channels: dict[NotificationKind, Channel], digest: bool) -> None:
    for kind, channel in channels.items():
        preference = db.session.get(NotificationPreference, (user.id, kind))
        if channel is Channel.EMAIL:
            if preference is not None:
                db.session.delete(preference)
        elif preference is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel))
        else:
            preference.channel = channel
    if digest and not user.email_digest:
        # The first digest covers what arrives from now on, not what was already mailed.
        user.digest_sent_at = utcnow()
    user.email_digest = digest
    db.session.flush()


# --- writing notifications ------------------------------------------------------------------


def notify(
    recipients: Iterable[User],
    kind: NotificationKind,
    params: dict,
    link: str,
    *,
    exclude: User | None = None,
    dedupe_key=None,
    due_at: datetime | None = None,
) -> list[Notification]:
    """Write one notification per recipient who wants this kind.

    ``dedupe_key`` (a function of the user) makes the notification unique: a second one with
    the same key is skipped, even when written by a concurrent process.
    """
    if _muted.get():
        return []
    written = []
    people = {
        user.id: user
        for user in recipients
        if user.is_active and (exclude is None or user.id != exclude.id)
    }
    chosen = _channels(list(people), kind)
    for user in people.values():
        channel = chosen.get(user.id, Channel.EMAIL)
        if channel is Channel.OFF:
            continue
        notification = Notification(
            user=user,
            kind=kind,
            params=params,
            link=link,
            dedupe_key=dedupe_key(user) if dedupe_key else None,
            email_state=_initial_email_state(user, channel),
            email_due_at=due_at or utcnow(),
        )
        if dedupe_key is None:
            db.session.add(notification)
            written.append(notification)
            continue
        try:
            with db.session.begin_nested():
                db.session.add(notification)
        except IntegrityError:
            continue  # already written, by this run or by an overlapping one
        written.append(notification)
    db.session.flush()
    if any(n.email_state is EmailState.PENDING for n in written):
        # With a worker running, the e-mails leave within seconds of the commit, not at the
        # next periodic run (consult.jobs.queue sends the outbox after the commit).
        db.session.info["send_mail_after_commit"] = True
    return written


def _initial_email_state(user: User, channel: Channel) -> EmailState:
    if channel is not Channel.EMAIL or not user.email:
        return EmailState.NONE
    return EmailState.DIGEST if user.email_digest else EmailState.PENDING


def department_members(department_ids: Iterable[int], proposal: Proposal) -> list[User]:
    """The people who speak for these bodies on ``proposal`` (Proposal.speaks_for): its
    reviewers and leads, but for those who hold a seat on the proposal."""
    ids = set(department_ids)
    if not ids:
        return []
    candidates = db.session.scalars(
        select(User).where(User.department_id.in_(ids), User.is_active.is_(True)).order_by(User.id)
    )
    return [u for u in candidates if proposal.speaks_for(u) in ids]


def department_leads(department_id: int | None, proposal: Proposal) -> list[User]:
    members = department_members([department_id] if department_id else [], proposal)
    return [u for u in members if u.is_lead]


def board_of(proposal: Proposal) -> list[User]:
    """The proposal's drafting board (chair and members), who handle what comes in."""
    return [m.user for m in proposal.board() if m.user.is_active]


def _draft_params(draft: Draft, department_id: int | None = None) -> dict:
    deadline = draft.deadline_for(department_id) if department_id else draft.closes_at
    return {
        "proposal": draft.proposal.title,
        "draft": draft.number,
        "deadline": deadline.isoformat() if deadline else None,
    }


def _path(endpoint: str, **values) -> str:
    """The link stored with a notification: a path, built in a request or, from the
    command line, as if for a request to the portal's public address."""
    if has_request_context():
        return url_for(endpoint, _external=False, **values)
    with current_app.test_request_context("/", base_url=current_app.config["PORTAL_URL"]):
        return url_for(endpoint, _external=False, **values)


def _draft_link(draft: Draft, endpoint: str = "drafts.view_draft", **kw) -> str:
    return _path(endpoint, code=draft.proposal.code, number=draft.number, **kw)


def _comment_link(comment: Comment) -> str:
    if comment.section_id is None:
        return _draft_link(comment.draft, _anchor=f"comment-{comment.id}")
    return _draft_link(
        comment.draft,
        "drafts.view_section",
        section_id=comment.section_id,
        _anchor=f"comment-{comment.id}",
    )


def _invited_ids(draft: Draft) -> list[int]:
    return [i.department_id for i in draft.invitations]


def draft_published(draft: Draft) -> list[Notification]:
    """Every member of every invited body hears that the draft is open for comments."""
    written: list[Notification] = []
    for department_id in _invited_ids(draft):
        written += notify(
            department_members([department_id], draft.proposal),
            NotificationKind.DRAFT_PUBLISHED,
            _draft_params(draft, department_id),
            _draft_link(draft),
        )
    return written


def wording_taken_in(draft: Draft) -> None:
    """Draft N+1 is published: each body whose comments it took in hears where."""
    earlier = draft.previous()
    if _muted.get() or earlier is None:
        return
    changes = db.session.scalars(
        select(AppliedChange).where(
            AppliedChange.draft_id == draft.id, AppliedChange.undone_at.is_(None)
        )
    )
    taken: dict[int, dict[int, list[str]]] = {}
    for change in changes:
        place = change.section.number or change.section.heading
        for comment in change.comments:
            for member in [comment, *comment.active_duplicates]:
                if member.department_id is None:
                    continue
                places = taken.setdefault(member.department_id, {}).setdefault(member.id, [])
                if place not in places:
                    places.append(place)
    for department_id, comments in taken.items():
        sections = list(dict.fromkeys(p for places in comments.values() for p in places))
        notify(
            department_members([department_id], draft.proposal),
            NotificationKind.WORDING_TAKEN_IN,
            {**_draft_params(draft), "comments": len(comments), "sections": sections},
            _draft_link(earlier, "comments.my_department"),
        )


def deadline_extended(draft: Draft, department: Department | None = None) -> None:
    """The whole draft's deadline moved, or one body was granted an extension."""
    if _muted.get():
        return
    department_ids = [department.id] if department else _invited_ids(draft)
    for department_id in department_ids:
        notify(
            department_members([department_id], draft.proposal),
            NotificationKind.DEADLINE_EXTENDED,
            _draft_params(draft, department_id),
            _draft_link(draft),
        )


def remind_now(draft: Draft, department: Department, *, days: int) -> list[Notification]:
    """The board's "remind now": the body's reviewers and leads, in the portal and by
    e-mail (the outbox), with the days left before its deadline."""
    return notify(
        department_members([department.id], draft.proposal),
        NotificationKind.DEADLINE_REMINDER,
        {**_draft_params(draft, department.id), "days": days, "by_board": True},
        _draft_link(draft, "comments.my_department"),
    )


def response_received(response: DepartmentResponse, comments: int) -> None:
    draft = response.draft
    notify(
        board_of(draft.proposal),
        NotificationKind.RESPONSE_RECEIVED,
        {
            **_draft_params(draft),
            "department": response.department.name,
            "agree": response.kind.value == "agree",
            "comments": comments,
            "sequence": response.sequence,
        },
        _path("comments.view_response", response_id=response.id),
    )


def comment_answered(
    comment: Comment,
    actor: User,
    members: list[Comment] | None = None,
    *,
    merged: bool = False,
) -> None:
    """The author and the department's leads of the comment and of every duplicate of it
    (or of just ``members`` of its group). ``merged``: the members were just merged into
    the comment's group, and are told "merged with comment N" rather than a status."""
    primary = comment.effective
    for member in members if members is not None else [comment, *comment.active_duplicates]:
        recipients = [member.author] if member.author and member.department_id else []
        recipients += department_leads(member.department_id, member.draft.proposal)
        params = {
            **_draft_params(member.draft),
            "comment": member.id,
            "status": primary.status.value,
            "excerpt": _excerpt(member.body),
            "answered": comment.is_answered,
        }
        if merged:
            params["merged_with"] = primary.id
        notify(
            [u for u in recipients if member.can_view(u)],
            NotificationKind.COMMENT_ANSWERED,
            params,
            _comment_link(member),
            exclude=actor,
        )


def thread_message(message: CommentMessage) -> None:
    """Board messages reach the department; department messages reach the board members
    who handle the comment (its assignee and those who wrote in the thread), or the whole
    board when nobody handles it yet. Only people who may still discuss it are told."""
    comment, author = message.comment, message.author
    proposal = comment.draft.proposal
    if comment.draft.can_manage(author):
        recipients = ([comment.author] if comment.author else []) + department_leads(
            comment.department_id, proposal
        )
        recipients = [u for u in recipients if comment.is_own_department(u)]
    else:
        handlers = [comment.assignee] if comment.assignee else []
        handlers += [m.author for m in comment.messages]
        recipients = [u for u in handlers if proposal.is_on_board(u)] or board_of(proposal)
        if comment.author and comment.author.id != author.id and comment.department_id:
            recipients.append(comment.author)
    notify(
        recipients,
        NotificationKind.THREAD_MESSAGE,
        {
            **_draft_params(comment.draft),
            "comment": comment.id,
            "author": author.full_name,
            "excerpt": _excerpt(message.body),
        },
        _comment_link(comment),
        exclude=author,
    )


def workshop_saved(
    workshop: Workshop,
    *,
    invited: set[int],
    uninvited: set[int],
    changed: bool,
) -> None:
    """New invitees get the invitation, the others the change (when the time, place or title
    changed), and bodies taken off the list a cancellation; each with its calendar file."""
    if _muted.get():
        return
    participants = {p.department_id for p in workshop.participants if p.department_id}
    groups = [(invited, "invited")]
    if changed:
        groups.append((participants - invited, "changed"))
    groups.append((uninvited, "cancelled"))
    for department_ids, event in groups:
        for department_id in sorted(department_ids):
            notify(
                department_members([department_id], workshop.draft.proposal),
                NotificationKind.WORKSHOP,
                workshop_params(workshop, event),
                _draft_link(workshop.draft),
            )


def workshop_params(workshop: Workshop, event: str) -> dict:
    return {
        **_draft_params(workshop.draft),
        "event": event,
        "workshop": workshop.id,
        "title": workshop.title,
        "place": workshop.place,
        "starts_at": workshop.starts_at.isoformat(),
        "revision": workshop.revision,
        "agenda": [s.title for s in workshop.agenda][:20],
    }


def job_finished(job, title: str) -> None:
    """The requester's job is done or has failed (its title in the requester's language)."""
    notify(
        [job.requested_by],
        NotificationKind.JOB_FINISHED,
        {"job": job.id, "title": title, "state": job.state.value, "error": job.error},
        _path("jobs.view_job", job_id=job.id),
    )


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- reading --------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def inbox_query(user: User):
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


# --- deadline reminders ---------------------------------------------------------------------


def write_reminders(now: datetime | None = None) -> int:
    """Remind every member of each invited body that has not responded, 3 days and 1 day
    before its deadline (its extension, if any). Returns how many were written."""
    now = now or utcnow()
    responded = select(DepartmentResponse.id).where(
        DepartmentResponse.draft_id == DraftInvitation.draft_id,
        DepartmentResponse.department_id == DraftInvitation.department_id,
    )
    invitations = db.session.execute(
        select(DraftInvitation, Draft)
        .join(Draft, Draft.id == DraftInvitation.draft_id)
        .where(Draft.status == DraftStatus.OPEN, ~responded.exists())
        .order_by(Draft.id, DraftInvitation.department_id)
    ).all()
    written = 0
    for invitation, draft in invitations:
        deadline = draft.deadline_for(invitation.department_id)
        if deadline is None or not draft.opens_at or now < draft.opens_at or now >= deadline:
            continue
        left = deadline - now
        due = [days for days in REMINDER_DAYS if left <= timedelta(days=days)]
        if not due:
            continue
        days = min(due)  # one reminder per threshold, the nearest one only
        key_base = (
            f"reminder:{draft.id}:{invitation.department_id}:"
            f"{deadline.strftime('%Y%m%d%H%M')}:{days}"
        )
        # The message says how many days are really left (rounded up), not the threshold.
        days_left = math.ceil(left.total_seconds() / 86400)
        params = {**_draft_params(draft, invitation.department_id), "days": days_left}
        written += len(
            notify(
                department_members([invitation.department_id], draft.proposal),
                NotificationKind.DEADLINE_REMINDER,
                params,
                _draft_link(draft),
                dedupe_key=lambda user, base=key_base: f"{base}:{user.id}",
                due_at=now,
            )
        )
    db.session.commit()
    return written


# --- the e-mail outbox ----------------------------------------------------------------------


@dataclass
class SendReport:
    reminders: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)


def release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(Notification)
        .where(
            Notification.email_state == EmailState.SENDING,
            Notification.email_due_at < now - STALE_CLAIM,
        )
        .values(email_state=EmailState.PENDING, email_claim=None)
    )
    db.session.commit()


def claim_due_emails(now: datetime, limit: int = 200) -> list[Notification]:
    """Take up to ``limit`` due e-mails for this run; a concurrent run gets other rows."""
    token = secrets.token_hex(8)
    due = (
        select(Notification.id)
        .where(Notification.email_state == EmailState.PENDING, Notification.email_due_at <= now)
        .order_by(Notification.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(due))
    if not ids:
        return []
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.email_state == EmailState.PENDING)
        .values(email_state=EmailState.SENDING, email_claim=token, email_due_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.email_claim == token).order_by(Notification.id)
        )
    )


def mark_sent(notifications: Iterable[Notification], now: datetime) -> None:
    for notification in notifications:
        notification.email_state = EmailState.SENT
        notification.emailed_at = now
        notification.email_claim = None
        notification.email_error = None
    db.session.commit()


def mark_failed(
    notifications: Iterable[Notification], now: datetime, error: str, *, final: bool = False
) -> int:
    """Back to the outbox for a later try, or failed for good when ``final`` (the message
    can never be written) or out of tries; returns how many were given up for good."""
    given_up = 0
    for notification in notifications:
        notification.email_attempts += 1
        notification.email_claim = None
        notification.email_error = error[:1000]
        if final or notification.email_attempts >= MAX_ATTEMPTS:
            notification.email_state = EmailState.FAILED
            given_up += 1
            continue
        delay = min(RETRY_FIRST * 2 ** (notification.email_attempts - 1), RETRY_CAP)
        notification.email_state = EmailState.PENDING
        notification.email_due_at = now + delay
    db.session.commit()
    return given_up


def digest_boundary(now: datetime) -> datetime:
    """The latest daily digest time (DIGEST_HOUR, Vietnam time) at or before ``now``."""
    from consult.timeutil import from_vietnam_local, to_vietnam_local

    local = to_vietnam_local(now)
    boundary = local.replace(
        hour=current_app.config["DIGEST_HOUR"], minute=0, second=0, microsecond=0
    )
    if boundary > local:
        boundary -= timedelta(days=1)
    return from_vietnam_local(boundary)


def claim_digests(now: datetime) -> list[tuple[User, list[Notification], datetime | None]]:
    """Users whose digest is due, each claimed by one conditional UPDATE of their
    ``digest_sent_at``, with the notifications it covers."""
    boundary = digest_boundary(now)
    waiting = select(Notification.user_id).where(Notification.email_state == EmailState.DIGEST)
    candidates = list(
        db.session.scalars(
            select(User).where(
                User.id.in_(waiting),
                or_(User.digest_sent_at.is_(None), User.digest_sent_at < boundary),
            )
        )
    )
    claimed = []
    for user in candidates:
        previous = user.digest_sent_at
        won = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.digest_sent_at.is_(None), User.digest_sent_at < boundary),
            )
            .values(digest_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not won:
            db.session.rollback()
            continue
        token = secrets.token_hex(8)
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.email_state == EmailState.DIGEST)
            .values(email_state=EmailState.SENDING, email_claim=token, email_due_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        items = list(
            db.session.scalars(
                select(Notification)
                .where(Notification.email_claim == token)
                .order_by(Notification.created_at)
            )
        )
        claimed.append((user, items, previous))
    return claimed


def digest_failed(user: User, items: list[Notification], previous, error: str) -> None:
    """Put the digest back so that the next run tries again."""
    db.session.execute(update(User).where(User.id == user.id).values(digest_sent_at=previous))
    for notification in items:
        notification.email_state = EmailState.DIGEST
        notification.email_claim = None
        notification.email_error = error[:1000]
        notification.email_attempts += 1
    db.session.commit()


def send_due(now: datetime | None = None, *, reminders: bool = True) -> SendReport:
    """Write due reminders, then send every due e-mail and digest. Safe to run concurrently.

    ``reminders=False`` only empties the outbox (right after a commit that filled it)."""
    from consult import mail

    now = now or utcnow()
    report = SendReport()
    if reminders:
        report.reminders = write_reminders(now)
    release_stale_claims(now)
    while batch := claim_due_emails(now):
        sent, failed = mail.send_notifications(batch)
        mark_sent(sent, now)
        server_trouble = False
        for notifications, error in failed:
            final = isinstance(error, mail.Unsendable)
            server_trouble = server_trouble or not final
            given_up = mark_failed(notifications, now, error, final=final)
            report.failed += given_up
            report.retried += len(notifications) - given_up
            report.errors.append(str(error))
        report.sent += len(sent)
        if server_trouble:
            break  # the server is down: leave the rest for the next run
    for user, items, previous in claim_digests(now):
        error = mail.send_digest(user, items)
        if isinstance(error, mail.Unsendable):
            report.failed += mark_failed(items, now, error, final=True)
            report.errors.append(str(error))
            continue
        if error:
            digest_failed(user, items, previous, error)
            report.errors.append(error)
            continue
        mark_sent(items, now)
        report.digests += 1
    return report


def board_seat(proposal: Proposal, person: User, seat: Seat | None, *, actor: User) -> None:
    """The person given a seat on the proposal (or whose seat was removed) is told."""
    notify(
        [person],
        NotificationKind.BOARD_SEAT,
        {"proposal": proposal.title, "seat": seat.value if seat else None},
        _path("drafts.view_proposal", code=proposal.code),
        exclude=actor,
    )
