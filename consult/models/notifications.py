"""Notifications: what happened that a user should know, shown in the portal and e-mailed.

A notification is written in the same transaction as the event that causes it, so it is
never lost when the e-mail cannot be sent; its e-mail state is the outbox that
``flask notify send-due`` works through.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import User, enum_column
from consult.models.base import UTCDateTime, utcnow


class NotificationKind(enum.StrEnum):
    DRAFT_PUBLISHED = "draft_published"
    DEADLINE_REMINDER = "deadline_reminder"
    DEADLINE_EXTENDED = "deadline_extended"
    RESPONSE_RECEIVED = "response_received"
    COMMENT_ANSWERED = "comment_answered"
    THREAD_MESSAGE = "thread_message"
    WORKSHOP = "workshop"
    BOARD_SEAT = "board_seat"
    JOB_FINISHED = "job_finished"
    WORDING_TAKEN_IN = "wording_taken_in"

    @property
    def label(self) -> str:
        return str(NOTIFICATION_KIND_LABELS[self])

    def concerns(self, user: User) -> bool:
        """Whether this user ever receives this kind (for the settings page)."""
        audience = KIND_AUDIENCE[self]
        return (BODY in audience and user.body_id is not None) or (
            BOARD in audience and (user.is_admin or bool(user.seats))
        )


NOTIFICATION_KIND_LABELS = {
    NotificationKind.DRAFT_PUBLISHED: _l("A draft is published for comments"),
    NotificationKind.DEADLINE_REMINDER: _l("The comment deadline is approaching"),
    NotificationKind.DEADLINE_EXTENDED: _l("The comment deadline is extended"),
    NotificationKind.RESPONSE_RECEIVED: _l("A department's response is received"),
    NotificationKind.COMMENT_ANSWERED: _l("A comment is answered or its status changes"),
    NotificationKind.THREAD_MESSAGE: _l("A new message in a comment's discussion"),
    NotificationKind.WORKSHOP: _l("A workshop invitation or its changes"),
    NotificationKind.BOARD_SEAT: _l("You are given or lose a seat on a proposal's board"),
    NotificationKind.JOB_FINISHED: _l("An export you asked for is ready or has failed"),
    NotificationKind.WORDING_TAKEN_IN: _l(
        "A published draft takes in the wording your body proposed"
    ),
}

# Who receives each kind: the people of consulted bodies, or those who sit on boards.
BODY, BOARD = "body", "board"
KIND_AUDIENCE = {
    NotificationKind.DRAFT_PUBLISHED: {BODY},
    NotificationKind.DEADLINE_REMINDER: {BODY},
    NotificationKind.DEADLINE_EXTENDED: {BODY},
    NotificationKind.RESPONSE_RECEIVED: {BOARD},
    NotificationKind.COMMENT_ANSWERED: {BODY},
    NotificationKind.THREAD_MESSAGE: {BODY, BOARD},
    NotificationKind.WORKSHOP: {BODY},
    NotificationKind.BOARD_SEAT: {BODY, BOARD},
    NotificationKind.JOB_FINISHED: {BOARD},
    NotificationKind.WORDING_TAKEN_IN: {BODY},
}


class Channel(enum.StrEnum):
    """How a user wants one kind of notification."""

    EMAIL = "email"
    IN_APP = "in_app"
    OFF = "off"

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS[self])


CHANNEL_LABELS = {
    Channel.EMAIL: _l("In the portal and by e-mail"),
    Channel.IN_APP: _l("In the portal only"),
    Channel.OFF: _l("Off"),
}


class EmailState(enum.StrEnum):
    NONE = "none"  # the user wants this kind in the portal only
    PENDING = "pending"  # to be sent (again) at or after email_due_at
    DIGEST = "digest"  # waits for the user's daily digest
    SENDING = "sending"  # claimed by one run of send-due
    SENT = "sent"
    FAILED = "failed"  # given up after the last retry; still shown in the portal


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # One reminder per person, draft, deadline and threshold: the database refuses the
        # second one, which is what makes overlapping runs of send-due safe.
        UniqueConstraint("dedupe_key"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_email_outbox", "email_state", "email_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[NotificationKind] = mapped_column(
        enum_column(NotificationKind, length=32), nullable=False
    )
    # What the message says is rendered when shown or sent, in the reader's language,
    # from these parameters (names, numbers and times captured at the event).
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    link: Mapped[str] = mapped_column(String(500), nullable=False, default="/")
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    email_state: Mapped[EmailState] = mapped_column(
        enum_column(EmailState), nullable=False, default=EmailState.NONE
    )
    email_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    email_attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    email_claim: Mapped[str | None] = mapped_column(String(32), nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    email_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.kind} to {self.user_id}>"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def can_view(self, user) -> bool:
        """A notification is its recipient's alone."""
        return bool(user.is_authenticated) and user.id == self.user_id


class NotificationPreference(db.Model):
    """A user's choice for one kind; without a row the kind comes by e-mail."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[NotificationKind] = mapped_column(
        enum_column(NotificationKind, length=32), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), nullable=False)
