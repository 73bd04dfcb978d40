"""Notifications: who is told what, in which language, by e-mail through a real SMTP server on
loopback (aiosmtpd), deadline reminders sent once even by overlapping runs, preferences and
digests, and an SMTP server that is down."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Channel,
    CommentKind,
    CommentStatus,
    EmailState,
    Notification,
    NotificationKind,
    User,
)
from consult.models.base import utcnow
from consult.services import comments as comment_service
from consult.services import notifications as notification_service
from consult.services import triage as triage_service
from consult.services import workshops as workshop_service
from tests.conftest import login


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """What the SMTP server received: one parsed message per recipient."""

    def __init__(self):
        self.messages: list[tuple[str, email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, message))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpt, m in self.messages if rcpt == address]

    @property
    def recipients(self) -> list[str]:
        return sorted(rcpt for rcpt, _m in self.messages)


@pytest.fixture
def smtp(app):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    _use_smtp(app, controller.port)
    yield mailbox
    controller.stop()


def _use_smtp(app, port: int) -> None:
    from consult.extensions import mail

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    app.extensions["mail"] = mail.init_mail(app.config, app.debug, app.testing)


@pytest.fixture
def smtp_down(app):
    """An SMTP address where nothing listens."""
    _use_smtp(app, _free_port())
    app.config["MAIL_TIMEOUT"] = 2


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _notifications(user: User, kind: NotificationKind | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def _send_due(now=None):
    db.session.expire_all()
    return notification_service.send_due(now)


def _clear_outbox() -> None:
    """Forget what earlier steps of a test queued (publication e-mails and the like)."""
    for notification in db.session.scalars(select(Notification)):
        if notification.email_state is EmailState.PENDING:
            notification.email_state = EmailState.SENT
    db.session.commit()


# --- events and recipients ------------------------------------------------------------------


def test_publishing_a_draft_tells_every_member_of_every_invited_body(consultation, smtp):
    p = consultation.people
    for user in (p.reviewer, p.reviewer2, p.lead, p.other_reviewer, p.other_lead):
        (notification,) = _notifications(user, NotificationKind.DRAFT_PUBLISHED)
        assert notification.link == f"{consultation.base}"
    assert _notifications(p.drafting) == []
    assert _notifications(p.organizer) == []

    report = _send_due()

    assert report.sent == 5
    expected = sorted(
        u.email for u in (p.reviewer, p.reviewer2, p.lead, p.other_reviewer, p.other_lead)
    )
    assert smtp.recipients == expected
    (message,) = smtp.to(p.reviewer.email)
    assert "Dự thảo 1" in message["Subject"]
    assert "mời góp ý" in _text(message)
    assert f"http://localhost{consultation.base}" in _text(message)
    assert f'href="http://localhost{consultation.base}"' in _html(message)
    # Sent once: the outbox is empty afterwards.
    assert _send_due().sent == 0
    assert len(smtp.messages) == 5


def test_messages_are_in_the_recipients_language(consultation, smtp):
    p = consultation.people
    p.other_lead.locale = "en"
    db.session.commit()

    comment_service.extend_deadline(
        consultation.draft, consultation.draft.closes_at + timedelta(days=3)
    )
    db.session.commit()
    _clear_outbox_except(NotificationKind.DEADLINE_EXTENDED)
    _send_due()

    (english,) = smtp.to(p.other_lead.email)
    (vietnamese,) = smtp.to(p.lead.email)
    assert english["Subject"] == (
        "[Consult] The deadline for draft 1 of “Đề án xây dựng đô thị thông minh” is extended"
    )
    assert "now due by" in _text(english)
    assert "Hello Châu Văn Dựng," in _text(english)
    assert "được gia hạn" in vietnamese["Subject"]
    assert "Kính gửi Đặng Quốc Thông," in _text(vietnamese) or "Đặng Quốc Thông" in _text(
        vietnamese
    )


def _clear_outbox_except(kind: NotificationKind) -> None:
    for notification in db.session.scalars(select(Notification)):
        if notification.kind is not kind and notification.email_state is EmailState.PENDING:
            notification.email_state = EmailState.SENT
    db.session.commit()


def test_a_response_is_announced_to_the_drafting_team(consultation, smtp):
    p = consultation.people
    comment_service.create_comment(
        consultation.draft,
        consultation.section,
        p.reviewer,
        kind=CommentKind.GENERAL,
        body="Góp ý.",
    )
    comment_service.submit_response(consultation.draft, p.lead, letter_number="12/STTTT")
    comment_service.agree_with_draft(consultation.draft, p.other_lead)
    db.session.commit()

    subjects = [
        n.params["department"]
        for n in _notifications(p.drafting, NotificationKind.RESPONSE_RECEIVED)
    ]
    assert subjects == ["Sở Thông tin và Truyền thông", "Sở Xây dựng"]
    assert _notifications(p.lead, NotificationKind.RESPONSE_RECEIVED) == []
    _clear_outbox_except(NotificationKind.RESPONSE_RECEIVED)
    _send_due()
    texts = [_text(m) for m in smtp.to(p.drafting.email)]
    assert any("đã gửi 1 ý kiến" in t for t in texts)
    assert any("thống nhất với dự thảo" in t for t in texts)


def _submitted_comment(consultation, author=None, body="Đề nghị bổ sung chỉ tiêu."):
    p = consultation.people
    comment = comment_service.create_comment(
        consultation.draft,
        consultation.section,
        author or p.reviewer,
        kind=CommentKind.CHANGE,
        body=body,
    )
    lead = p.lead if comment.department_id == consultation.stttt.id else p.other_lead
    comment_service.submit_response(consultation.draft, lead)
    db.session.commit()
    return comment


def test_an_answer_reaches_the_author_and_the_lead_with_a_link_to_the_comment(consultation, smtp):
    p = consultation.people
    comment = _submitted_comment(consultation)
    _clear_outbox()

    triage_service.answer_comment(
        comment, p.drafting, status=CommentStatus.ACCEPTED, answer="Tiếp thu, bổ sung tại mục 2."
    )
    db.session.commit()

    for user in (p.reviewer, p.lead):
        (notification,) = _notifications(user, NotificationKind.COMMENT_ANSWERED)
        assert notification.link.endswith(f"/sections/{comment.section_id}#comment-{comment.id}")
    assert _notifications(p.reviewer2, NotificationKind.COMMENT_ANSWERED) == []
    assert _notifications(p.drafting, NotificationKind.COMMENT_ANSWERED) == []
    _send_due()
    (message,) = smtp.to(p.reviewer.email)
    assert "Tiếp thu" in _text(message)
    assert f"#comment-{comment.id}" in _text(message)

    # Saving again without a change tells nobody anything new.
    triage_service.answer_comment(
        comment, p.drafting, status=CommentStatus.ACCEPTED, answer="Tiếp thu, bổ sung tại mục 2."
    )
    db.session.commit()
    assert len(_notifications(p.reviewer, NotificationKind.COMMENT_ANSWERED)) == 1


def test_merged_duplicates_tell_each_department(consultation):
    p = consultation.people
    first = _submitted_comment(consultation)
    second = _submitted_comment(consultation, author=p.other_reviewer, body="Cũng đề nghị bổ sung.")
    triage_service.mark_duplicates(first, [second], p.drafting)
    db.session.commit()
    assert _notifications(p.other_reviewer, NotificationKind.COMMENT_ANSWERED)
    assert _notifications(p.reviewer, NotificationKind.COMMENT_ANSWERED) == []

    triage_service.answer_comment(first, p.drafting, status=CommentStatus.NOTED, answer="Ghi nhận.")
    db.session.commit()
    assert len(_notifications(p.other_reviewer, NotificationKind.COMMENT_ANSWERED)) == 2
    assert len(_notifications(p.reviewer, NotificationKind.COMMENT_ANSWERED)) == 1


def test_thread_messages_go_to_the_other_side(consultation):
    p = consultation.people
    comment = _submitted_comment(consultation)
    triage_service.post_message(comment, p.drafting, "Đề nghị Sở làm rõ số liệu.")
    db.session.commit()
    assert [
        n.params["author"] for n in _notifications(p.reviewer, NotificationKind.THREAD_MESSAGE)
    ] == [p.drafting.full_name]
    assert _notifications(p.lead, NotificationKind.THREAD_MESSAGE)
    assert _notifications(p.other_lead, NotificationKind.THREAD_MESSAGE) == []

    triage_service.post_message(comment, p.reviewer, "Số liệu năm 2017.")
    db.session.commit()
    # The team member who wrote in the thread hears the reply; the writer does not.
    assert len(_notifications(p.drafting, NotificationKind.THREAD_MESSAGE)) == 1
    assert len(_notifications(p.reviewer, NotificationKind.THREAD_MESSAGE)) == 1


def test_workshop_invitation_carries_a_calendar_file_that_follows_changes(consultation, smtp):
    p = consultation.people
    draft = consultation.draft
    starts = utcnow() + timedelta(days=4)
    workshop = workshop_service.save_workshop(
        None, draft=draft, organizer=p.organizer, title="Hội thảo góp ý Đề án",
        starts_at=starts, place="Hội trường UBND thành phố", notes="",
        agenda=[consultation.section], invited=[consultation.stttt],
    )  # fmt: skip
    db.session.commit()
    _clear_outbox_except(NotificationKind.WORKSHOP)
    _send_due()

    (invitation,) = smtp.to(p.lead.email)
    assert smtp.to(p.other_lead.email) == []
    assert invitation["Subject"].endswith("Hội thảo góp ý Đề án")
    calendar = _calendar(invitation)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(f"workshop-{workshop.id}@")
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == starts.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Hội trường UBND thành phố"

    # Moved by a day, and SXD added: STTTT hears of the change, SXD gets an invitation.
    workshop_service.save_workshop(
        workshop, draft=draft, organizer=p.organizer, title=workshop.title,
        starts_at=starts + timedelta(days=1), place=workshop.place, notes="",
        agenda=[consultation.section], invited=[consultation.stttt, consultation.sxd],
    )  # fmt: skip
    db.session.commit()
    _send_due()
    changed = smtp.to(p.lead.email)[-1]
    assert "Thay đổi" in changed["Subject"]
    assert _calendar(changed).walk("VEVENT")[0]["SEQUENCE"] == 1
    (invited,) = smtp.to(p.other_lead.email)
    assert "Thư mời" in invited["Subject"]

    # SXD taken off the list: its people get a cancellation.
    workshop_service.save_workshop(
        workshop, draft=draft, organizer=p.organizer, title=workshop.title,
        starts_at=workshop.starts_at, place=workshop.place, notes="",
        agenda=[consultation.section], invited=[consultation.stttt],
    )  # fmt: skip
    db.session.commit()
    _send_due()
    cancelled = smtp.to(p.other_lead.email)[-1]
    assert str(_calendar(cancelled)["METHOD"]) == "CANCEL"
    assert len(smtp.to(p.lead.email)) == 2  # nothing changed for STTTT this time


def _calendar(message) -> Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


# --- deadline reminders ---------------------------------------------------------------------


def _closing_in(consultation, delta: timedelta) -> None:
    draft = consultation.draft
    draft.closes_at = utcnow() + delta
    db.session.commit()
    _clear_outbox()


def test_reminders_go_to_bodies_that_have_not_responded_once_per_threshold(consultation, smtp):
    p = consultation.people
    comment_service.agree_with_draft(consultation.draft, p.other_lead)
    _closing_in(consultation, timedelta(days=2, hours=12))

    assert _send_due().reminders == 3  # STTTT's reviewer, second reviewer and lead
    assert sorted(smtp.recipients) == sorted([p.reviewer.email, p.reviewer2.email, p.lead.email])
    (message,) = smtp.to(p.lead.email)
    assert "Còn 3 ngày" in message["Subject"]
    assert smtp.to(p.other_lead.email) == []

    # Running again, as cron does every few minutes, sends nothing more.
    assert _send_due().reminders == 0
    assert _send_due(utcnow() + timedelta(hours=3)).reminders == 0
    assert len(smtp.messages) == 3

    # A day before the deadline comes the second reminder, then nothing more.
    assert _send_due(utcnow() + timedelta(days=1, hours=13)).reminders == 3
    assert "Còn 1 ngày" in smtp.to(p.lead.email)[-1]["Subject"]
    assert _send_due(utcnow() + timedelta(days=2)).reminders == 0
    # After the deadline: none.
    assert _send_due(utcnow() + timedelta(days=3)).reminders == 0


def test_an_extension_moves_the_reminders_of_that_body(consultation):
    p = consultation.people
    _closing_in(consultation, timedelta(days=2))
    comment_service.grant_extension(
        consultation.draft, consultation.stttt, utcnow() + timedelta(days=10)
    )
    db.session.commit()
    assert _notifications(p.lead, NotificationKind.DEADLINE_EXTENDED)
    assert _notifications(p.other_lead, NotificationKind.DEADLINE_EXTENDED) == []

    _send_due()
    assert _notifications(p.lead, NotificationKind.DEADLINE_REMINDER) == []
    assert _notifications(p.other_lead, NotificationKind.DEADLINE_REMINDER)
    _send_due(utcnow() + timedelta(days=8))
    (reminder,) = _notifications(p.lead, NotificationKind.DEADLINE_REMINDER)
    assert reminder.params["days"] == 2  # two days left, at the 3-day threshold
    assert reminder.dedupe_key.split(":")[4] == "3"


def test_overlapping_runs_send_each_reminder_once(app, consultation, smtp):
    _closing_in(consultation, timedelta(hours=20))
    barrier = threading.Barrier(3)
    errors = []

    def run():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                notification_service.send_due()
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    p = consultation.people
    members = [p.reviewer, p.reviewer2, p.lead, p.other_reviewer, p.other_lead]
    assert sorted(smtp.recipients) == sorted(u.email for u in members)
    db.session.expire_all()
    for user in members:
        assert len(_notifications(user, NotificationKind.DEADLINE_REMINDER)) == 1


# --- preferences and digests ----------------------------------------------------------------


def test_preferences_choose_email_in_app_or_nothing(consultation, smtp):
    p = consultation.people
    notification_service.save_preferences(
        p.reviewer, {NotificationKind.DEADLINE_REMINDER: Channel.IN_APP}, digest=False
    )
    notification_service.save_preferences(
        p.reviewer2, {NotificationKind.DEADLINE_REMINDER: Channel.OFF}, digest=False
    )
    db.session.commit()
    _closing_in(consultation, timedelta(days=1))

    _send_due()

    assert len(_notifications(p.reviewer, NotificationKind.DEADLINE_REMINDER)) == 1
    assert smtp.to(p.reviewer.email) == []
    assert _notifications(p.reviewer2, NotificationKind.DEADLINE_REMINDER) == []
    assert len(smtp.to(p.lead.email)) == 1


def test_a_daily_digest_replaces_single_emails(consultation, smtp):
    p = consultation.people
    notification_service.save_preferences(p.lead, {}, digest=True)
    db.session.commit()
    _clear_outbox()
    comment = _submitted_comment(consultation)
    triage_service.answer_comment(
        comment, p.drafting, status=CommentStatus.NOTED, answer="Ghi nhận."
    )
    triage_service.post_message(comment, p.drafting, "Cảm ơn Sở.")
    db.session.commit()
    _send_due()
    assert smtp.to(p.lead.email) == []  # waits for the digest
    assert len(smtp.to(p.reviewer.email)) == 2

    # The next morning at 7:00 Vietnam time, one message with both.
    next_digest = notification_service.digest_boundary(utcnow()) + timedelta(days=1, minutes=1)
    assert _send_due(next_digest).digests == 1
    (digest,) = smtp.to(p.lead.email)
    assert "2" in digest["Subject"]
    body = _text(digest)
    assert "được trả lời" in body and "Cảm ơn Sở." in body
    assert _send_due(next_digest + timedelta(hours=2)).digests == 0
    assert len(smtp.to(p.lead.email)) == 1


# --- delivery failures ----------------------------------------------------------------------


def test_smtp_down_neither_breaks_the_request_nor_loses_the_notification(
    app, consultation, client, smtp_down
):
    p = consultation.people
    comment = _submitted_comment(consultation)
    _clear_outbox()
    login(client, p.drafting)

    response = client.post(
        f"/comments/{comment.id}/triage",
        data={
            "status": "accepted",
            "answer": "Tiếp thu.",
            "assignee_id": 0,
            "version": comment.version,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert _notifications(p.reviewer, NotificationKind.COMMENT_ANSWERED)

    report = _send_due()
    assert report.sent == 0 and report.retried == 2 and report.errors
    (notification,) = _notifications(p.reviewer, NotificationKind.COMMENT_ANSWERED)
    assert notification.email_state is EmailState.PENDING
    assert notification.email_attempts == 1
    assert notification.email_due_at > utcnow() + timedelta(minutes=4)
    # Too early for the retry: nothing is attempted.
    assert _send_due().retried == 0

    # The server is back; the retry goes out once.
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        _use_smtp(app, controller.port)
        report = _send_due(utcnow() + timedelta(minutes=6))
        assert report.sent == 2
        assert sorted(mailbox.recipients) == sorted([p.reviewer.email, p.lead.email])
        assert _send_due(utcnow() + timedelta(hours=1)).sent == 0
    finally:
        controller.stop()


def test_without_mail_server_messages_are_logged(consultation, caplog):
    import logging

    with caplog.at_level(logging.INFO):
        report = _send_due()
    assert report.sent == 5
    assert "MAIL_SERVER" in caplog.text
    assert consultation.people.lead.email in caplog.text


def test_send_due_command(runner, consultation, smtp):
    _closing_in(consultation, timedelta(hours=10))
    result = runner.invoke(args=["notify", "send-due"])
    assert result.exit_code == 0, result.output
    assert "Nhắc hạn: 5." in result.output
    assert len(smtp.messages) == 5
    result = runner.invoke(args=["notify", "send-due"])
    assert "Nhắc hạn: 0." in result.output


# --- in the portal --------------------------------------------------------------------------


def test_the_bell_counts_unread_and_opening_marks_read(consultation, client):
    p = consultation.people
    comment = _submitted_comment(consultation)
    triage_service.answer_comment(
        comment, p.drafting, status=CommentStatus.NOTED, answer="Ghi nhận."
    )
    db.session.commit()
    login(client, p.reviewer)

    page = client.get("/").get_data(as_text=True)
    assert 'class="bell-count">2<' in page  # publication and answer

    listing = client.get("/notifications").get_data(as_text=True)
    assert "được trả lời" in listing and "mời góp ý" in listing
    answered = _notifications(p.reviewer, NotificationKind.COMMENT_ANSWERED)[0]
    response = client.post(f"/notifications/{answered.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    assert 'class="bell-count">1<' in client.get("/").get_data(as_text=True)

    client.post("/notifications/read-all")
    assert "bell-count" not in client.get("/").get_data(as_text=True)


def test_someone_elses_notification_is_not_found(consultation, client):
    p = consultation.people
    (theirs,) = _notifications(p.lead, NotificationKind.DRAFT_PUBLISHED)
    login(client, p.reviewer)
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_settings_page_saves_choices_for_the_users_role(consultation, client):
    p = consultation.people
    login(client, p.reviewer)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "kind_deadline_reminder" in page
    assert "kind_response_received" not in page  # for the drafting team only

    fields = {f"kind_{k.value}": "email" for k in NotificationKind if k.concerns(p.reviewer)}
    response = client.post(
        "/notifications/settings",
        data={**fields, "kind_thread_message": "off", "kind_workshop": "in_app", "digest": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    chosen = notification_service.preferences_of(db.session.get(User, p.reviewer.id))
    assert chosen[NotificationKind.THREAD_MESSAGE] is Channel.OFF
    assert chosen[NotificationKind.WORKSHOP] is Channel.IN_APP
    assert chosen[NotificationKind.DRAFT_PUBLISHED] is Channel.EMAIL
    assert db.session.get(User, p.reviewer.id).email_digest is True


def test_settings_refuse_an_unknown_choice(consultation, client):
    p = consultation.people
    login(client, p.reviewer)
    response = client.post("/notifications/settings", data={"kind_workshop": "pigeon"})
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ" in response.get_data(
        as_text=True
    ) or "không hợp lệ" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        notification_service.preferences_of(p.reviewer)[NotificationKind.WORKSHOP] is Channel.EMAIL
    )


def test_inactive_users_are_not_notified(consultation):
    p = consultation.people
    p.reviewer2.is_active = False
    db.session.commit()
    _closing_in(consultation, timedelta(days=1))
    _send_due()
    assert _notifications(p.reviewer2, NotificationKind.DEADLINE_REMINDER) == []
    assert _notifications(p.reviewer, NotificationKind.DEADLINE_REMINDER)


def test_the_demo_has_reminders_to_send_right_away(app, runner):
    from consult.models import DepartmentResponse, Proposal

    app.config["SERVER_NAME"] = None  # as on the command line of a real installation
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    draft3 = Proposal.by_code("DTTM-CT").drafts[2]
    lead = User.by_email("lanhdao.stttt@demo.example.vn")
    assert _notifications(lead, NotificationKind.DRAFT_PUBLISHED)  # in the bell, already mailed

    result = runner.invoke(args=["notify", "send-due"])
    assert result.exit_code == 0, result.output

    reminded = {
        n.user.department_id
        for n in db.session.scalars(
            select(Notification).where(Notification.kind == NotificationKind.DEADLINE_REMINDER)
        )
    }
    responded = {
        r.department_id for r in db.session.query(DepartmentResponse).filter_by(draft_id=draft3.id)
    }
    invited = {i.department_id for i in draft3.invitations}
    staffed = {
        u.department_id for u in notification_service.department_members(invited, draft3.proposal)
    }
    assert len(reminded) >= 3
    assert reminded == (invited - responded) & staffed
    # Only the reminders went out: the demo's history was mailed long ago.
    assert db.session.query(Notification).filter(Notification.emailed_at.is_not(None)).count() > 0
    assert "Nhắc hạn: 0." in runner.invoke(args=["notify", "send-due"]).output
    (published,) = _notifications(lead, NotificationKind.DRAFT_PUBLISHED)
    assert published.link == "/proposals/DTTM-CT/drafts/3"


class RefusingMailbox(Mailbox):
    """An SMTP server that answers every message with a temporary failure."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return "451 4.3.0 Mail server temporarily unavailable"


def test_a_server_refusing_messages_keeps_them_in_the_outbox(app, consultation):
    refusing = Controller(RefusingMailbox(), hostname="127.0.0.1", port=_free_port())
    refusing.start()
    try:
        _use_smtp(app, refusing.port)
        report = _send_due()
    finally:
        refusing.stop()
    assert report.sent == 0 and report.retried == 5
    assert "451" in report.errors[0]
    db.session.expire_all()
    states = {n.email_state for n in db.session.scalars(select(Notification))}
    assert states == {EmailState.PENDING}


def test_a_digest_that_cannot_be_sent_is_sent_by_a_later_run(app, consultation, smtp_down):
    p = consultation.people
    notification_service.save_preferences(p.lead, {}, digest=True)
    db.session.commit()
    _clear_outbox()
    comment_service.extend_deadline(
        consultation.draft, consultation.draft.closes_at + timedelta(days=2)
    )
    db.session.commit()
    morning = notification_service.digest_boundary(utcnow()) + timedelta(days=1, minutes=5)
    report = _send_due(morning)
    assert report.digests == 0 and report.errors

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        _use_smtp(app, controller.port)
        assert _send_due(morning + timedelta(minutes=5)).digests == 1
    finally:
        controller.stop()
    (digest,) = mailbox.to(p.lead.email)
    assert "Thư tổng hợp hằng ngày: 1 thông báo" in digest["Subject"]


# --- user text never breaks a header (issue 17, finding 1) ----------------------------------


def test_a_line_break_in_a_title_neither_stops_the_mail_nor_adds_a_header(consultation, smtp):
    p = consultation.people
    _clear_outbox()
    workshop_service.save_workshop(
        None, draft=consultation.draft, organizer=p.organizer,
        title="Evil\r\nBcc: evil@example.com", starts_at=utcnow() + timedelta(days=4),
        place="Hội trường", notes="", agenda=[consultation.section],
        invited=[consultation.stttt],
    )  # fmt: skip
    db.session.commit()
    report = _send_due()
    assert report.errors == [] and report.sent == 3
    assert "evil@example.com" not in smtp.recipients
    for _rcpt, message in smtp.messages:
        assert message["Bcc"] is None
        assert "\n" not in message["Subject"] and "Evil Bcc: evil@example.com" in message["Subject"]
    assert {n.email_state for n in db.session.scalars(select(Notification))} == {EmailState.SENT}


def test_a_message_that_cannot_be_built_is_failed_and_the_batch_goes_on(
    consultation, smtp, monkeypatch
):
    from consult import mail

    p = consultation.people
    real = mail.build_message
    broken_for = p.reviewer.id

    def build(notification):
        if notification.user_id == broken_for:
            raise ValueError("cannot be written")
        return real(notification)

    monkeypatch.setattr(mail, "build_message", build)
    report = _send_due()
    assert report.sent == 4 and report.failed == 1
    assert any("cannot be written" in e for e in report.errors)
    (broken,) = _notifications(p.reviewer)
    assert broken.email_state is EmailState.FAILED and "cannot be written" in broken.email_error
    assert len(smtp.recipients) == 4


def test_whoever_answers_a_comment_they_recorded_is_not_told_of_it(consultation):
    """Issue 17 (a test that could not fail): the actor is a recipient only when they wrote
    the comment, as an administrator does who records a comment from the floor."""
    from consult.models import Workshop, WorkshopParticipant

    p = consultation.people
    workshop = Workshop(
        draft=consultation.draft, organizer=p.admin, title="Hội thảo", place="UBND",
        starts_at=consultation.draft.opens_at,
    )  # fmt: skip
    speaker = WorkshopParticipant(department=consultation.stttt, attended=True)
    workshop.participants.append(speaker)
    db.session.add(workshop)
    db.session.commit()
    comment = workshop_service.record_floor_comment(
        workshop, p.admin, section=consultation.section, participant=speaker,
        kind=CommentKind.CHANGE, body="Ý kiến tại hội thảo.",
    )  # fmt: skip
    db.session.commit()
    assert comment.author_id == p.admin.id
    triage_service.answer_comment(
        comment, p.admin, status=CommentStatus.ACCEPTED, answer="Tiếp thu."
    )
    db.session.commit()
    assert _notifications(p.admin, NotificationKind.COMMENT_ANSWERED) == []
    assert len(_notifications(p.lead, NotificationKind.COMMENT_ANSWERED)) == 1


def test_people_seated_on_the_proposal_are_not_told_to_respond_for_their_body(
    consultation, make_seated, smtp
):
    """A specialist of an invited body who sits on the board acts as a board member there."""
    from consult.models import Seat
    from consult.services import comments as comment_service

    c = consultation
    seated = make_seated(c.proposal, Seat.MEMBER, department=c.stttt)
    comment_service.extend_deadline(c.draft, c.draft.closes_at + timedelta(days=3))
    db.session.commit()
    assert _notifications(c.people.reviewer, NotificationKind.DEADLINE_EXTENDED)
    assert _notifications(seated, NotificationKind.DEADLINE_EXTENDED) == []


def test_a_removed_board_member_hands_back_comments_and_hears_no_more(client, consultation):
    from consult.models import Comment, CommentKind
    from consult.services import comments as comment_service
    from consult.services import drafts as draft_service
    from consult.services import triage as triage_service

    c = consultation
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind=CommentKind.GENERAL, body="Ý kiến."
    )
    comment_service.submit_response(c.draft, c.people.lead)
    triage_service.assign_comment(comment, c.people.drafting, c.people.member)
    draft_service.unseat_member(c.proposal, c.people.drafting, c.people.member)
    db.session.commit()
    assert db.session.get(Comment, comment.id).assignee_id is None
    triage_service.post_message(db.session.get(Comment, comment.id), c.people.lead, "Xin hỏi.")
    db.session.commit()
    assert _notifications(c.people.member, NotificationKind.THREAD_MESSAGE) == []
    assert _notifications(c.people.drafting, NotificationKind.THREAD_MESSAGE)
