"""Department comments on a draft, their attachments and edit history, and the official
responses ("công văn") by which departments submit them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import Department, Role, User, enum_column
from consult.models.base import TimestampMixin, UTCDateTime, utcnow
from consult.models.drafts import Draft, Section


class CommentKind(enum.StrEnum):
    GENERAL = "general"
    CHANGE = "change"
    QUESTION = "question"
    OBJECTION = "objection"
    EDITORIAL = "editorial"

    @property
    def label(self) -> str:
        return str(COMMENT_KIND_LABELS[self])


COMMENT_KIND_LABELS = {
    CommentKind.GENERAL: _l("General remark"),
    CommentKind.CHANGE: _l("Proposed change"),
    CommentKind.QUESTION: _l("Question"),
    CommentKind.OBJECTION: _l("Objection or concern"),
    CommentKind.EDITORIAL: _l("Editorial"),
}


class CommentStatus(enum.StrEnum):
    """How the drafting team handled a comment, in the Vietnamese practice."""

    NEW = "new"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"  # tiếp thu
    PARTLY_ACCEPTED = "partly_accepted"  # tiếp thu một phần
    NOT_ACCEPTED = "not_accepted"  # giải trình, không tiếp thu
    NOTED = "noted"  # ghi nhận
    DUPLICATE = "duplicate"

    @property
    def label(self) -> str:
        return str(COMMENT_STATUS_LABELS[self])

    @property
    def needs_answer(self) -> bool:
        return self not in (CommentStatus.NEW, CommentStatus.UNDER_REVIEW)

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


COMMENT_STATUS_LABELS = {
    CommentStatus.NEW: _l("New"),
    CommentStatus.UNDER_REVIEW: _l("Under review"),
    CommentStatus.ACCEPTED: _l("Accepted (tiếp thu)"),
    CommentStatus.PARTLY_ACCEPTED: _l("Partly accepted (tiếp thu một phần)"),
    CommentStatus.NOT_ACCEPTED: _l("Not accepted, explained (giải trình)"),
    CommentStatus.NOTED: _l("Noted (ghi nhận)"),
    CommentStatus.DUPLICATE: _l("Duplicate of another comment"),
}
FINAL_STATUSES = (
    CommentStatus.ACCEPTED,
    CommentStatus.PARTLY_ACCEPTED,
    CommentStatus.NOT_ACCEPTED,
    CommentStatus.NOTED,
)


class CommentSource(enum.StrEnum):
    ONLINE = "online"
    WORKSHOP = "workshop"

    @property
    def label(self) -> str:
        return str(
            {CommentSource.ONLINE: _l("Online"), CommentSource.WORKSHOP: _l("Workshop")}[self]
        )


class ResponseKind(enum.StrEnum):
    COMMENTS = "comments"
    AGREE = "agree"

    @property
    def label(self) -> str:
        return str(
            {
                ResponseKind.COMMENTS: _l("Comments"),
                ResponseKind.AGREE: _l("Agrees with the draft, no comments"),
            }[self]
        )


# Roles whose work covers every department's submitted comments.
READS_ALL_SUBMITTED = (Role.DRAFTING, Role.ADMIN, Role.ORGANIZER)


class DraftInvitation(db.Model):
    """A body invited to comment on a draft ("cơ quan được lấy ý kiến")."""

    __tablename__ = "draft_invitations"
    __table_args__ = (UniqueConstraint("draft_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # A deadline of its own, granted by the drafting team to this department only.
    extended_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    draft: Mapped[Draft] = relationship()
    department: Mapped[Department] = relationship()


class DepartmentResponse(db.Model):
    """A department's official answer on a draft: its comments, or agreement.

    A submitted response never changes; later additions are new, supplementary responses.
    """

    __tablename__ = "department_responses"
    __table_args__ = (UniqueConstraint("draft_id", "department_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    sequence: Mapped[int] = mapped_column(nullable=False, default=1)
    kind: Mapped[ResponseKind] = mapped_column(enum_column(ResponseKind), nullable=False)
    submitted_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    letter_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    letter_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    letter_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    draft: Mapped[Draft] = relationship()
    department: Mapped[Department] = relationship()
    submitted_by: Mapped[User] = relationship()
    letter: Mapped[Attachment | None] = relationship(foreign_keys=[letter_id])
    comments: Mapped[list[Comment]] = relationship(back_populates="response", order_by="Comment.id")

    @property
    def is_supplementary(self) -> bool:
        return self.sequence > 1

    def can_view(self, user) -> bool:
        return can_read_department_work(user, self.draft, self.department_id, submitted=True)


def can_read_department_work(user, draft: Draft, department_id: int, *, submitted: bool) -> bool:
    """The one rule for reading a department's comments and responses on a draft.

    Unsubmitted comments are the department's own; submitted ones are also read by the
    drafting team and organizers, and by other departments when the draft allows it.
    """
    if not (user and user.is_authenticated) or not draft.can_view(user):
        return False
    if user.department_id == department_id and user.role in (Role.REVIEWER, Role.LEAD):
        return True
    if not submitted:
        return False
    if user.role in READS_ALL_SUBMITTED:
        return True
    return draft.departments_see_each_other and user.role in (Role.REVIEWER, Role.LEAD)


class Comment(TimestampMixin, db.Model):
    """One comment by a department on a draft: on a section, a passage, or the whole draft."""

    __tablename__ = "comments"
    __table_args__ = (
        # A department's comments on a draft, and whether it submitted any (index only).
        Index("ix_comments_by_department", "draft_id", "department_id", "submitted_at"),
        Index("ix_comments_section_id", "section_id"),
        # The inbox: its filters, sort and count are answered from this index, whose
        # columns come in the order of their selectivity within a draft.
        Index(
            "ix_comments_triage",
            "draft_id",
            "status",
            "section_id",
            "department_id",
            "submitted_at",
            "deleted_at",
        ),
        # On SQLite, a search without diacritics (LIKE '%…%' on the folded text) reads this
        # narrow index instead of whole rows: the inbox search is about twice as fast.
        # Not on PostgreSQL, whose B-tree refuses keys over a third of a page (long comments).
        Index("ix_comments_search", "draft_id", "status", "search_text").ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
    )
    # None for a general comment on the whole draft ("góp ý chung").
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="RESTRICT"), nullable=True
    )
    # None only for a comment from the floor of a workshop by a named guest.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), nullable=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"), nullable=True, index=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    # Set when the comment enters triage: with its department's response, or when it is
    # recorded from the floor of a workshop.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("department_responses.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    kind: Mapped[CommentKind] = mapped_column(
        enum_column(CommentKind), nullable=False, default=CommentKind.GENERAL
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False, default="")
    quote: Mapped[str | None] = mapped_column(Text, nullable=True)
    proposed_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Soft delete: a removed draft comment stays for the record, and a merged one
    # points at the comment that absorbed it.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[CommentSource] = mapped_column(
        enum_column(CommentSource), nullable=False, default=CommentSource.ONLINE
    )
    # Lower-case text without diacritics, so that "quy hoach" finds "quy hoạch".
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    # --- triage by the drafting team ---
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), nullable=False, default=CommentStatus.NEW
    )
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # A duplicate is answered through its primary comment, which credits every department.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Where the next draft took this comment into account.
    # Indexed: deleting a section (an import that replaces a draft's text) looks it up.
    addressed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Optimistic locking: a save based on an older version is refused, not silently applied.
    version: Mapped[int] = mapped_column(nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    draft: Mapped[Draft] = relationship()
    section: Mapped[Section | None] = relationship(foreign_keys=[section_id])
    department: Mapped[Department | None] = relationship()
    workshop: Mapped[Workshop | None] = relationship(back_populates="comments")  # noqa: F821
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    duplicate_of: Mapped[Comment | None] = relationship(
        remote_side=[id], foreign_keys=[duplicate_of_id], back_populates="duplicates"
    )
    duplicates: Mapped[list[Comment]] = relationship(
        foreign_keys=[duplicate_of_id], back_populates="duplicate_of", order_by="Comment.id"
    )
    addressed_in: Mapped[Section | None] = relationship(foreign_keys=[addressed_in_id])
    response: Mapped[DepartmentResponse | None] = relationship(back_populates="comments")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="comment", foreign_keys="Attachment.comment_id", order_by="Attachment.id"
    )
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", order_by="CommentRevision.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[CommentEvent]] = relationship(
        back_populates="comment", order_by="CommentEvent.id", cascade="all, delete-orphan"
    )
    messages: Mapped[list[CommentMessage]] = relationship(
        back_populates="comment", order_by="CommentMessage.id", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def speaker(self) -> str:
        """Who made the comment: the department, or the named guest of a workshop."""
        if self.department is not None:
            return self.department.name
        return self.guest_name or ""

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def can_view(self, user) -> bool:
        if self.is_deleted:
            return False
        return can_read_department_work(
            user, self.draft, self.department_id, submitted=self.is_submitted
        )

    def can_edit(self, user) -> bool:
        """Reviewers and the lead of the department, on an unsubmitted comment, in time."""
        return (
            not self.is_submitted
            and not self.is_deleted
            and user.is_authenticated
            and user.role in (Role.REVIEWER, Role.LEAD)
            and user.department_id == self.department_id
            and self.draft.is_accepting_comments_from(self.department_id)
        )

    def can_delete(self, user) -> bool:
        return self.can_edit(user) and (user.role is Role.LEAD or user.id == self.author_id)

    def is_own_department(self, user) -> bool:
        """The department's own people, who alone see its drafts and their edit history."""
        return bool(
            user.is_authenticated
            and user.role in (Role.REVIEWER, Role.LEAD)
            and user.department_id == self.department_id
        )

    def can_triage(self, user) -> bool:
        return (
            self.is_submitted
            and not self.is_deleted
            and user.is_authenticated
            and user.role in (Role.DRAFTING, Role.ADMIN)
        )

    def can_discuss(self, user) -> bool:
        """The thread on a submitted comment: the drafting team and the commenting department."""
        if not self.is_submitted or not self.can_view(user):
            return False
        return user.role in (Role.DRAFTING, Role.ADMIN) or (
            user.role in (Role.REVIEWER, Role.LEAD) and user.department_id == self.department_id
        )

    # --- the answer that applies: a duplicate shows its primary's -------------------------

    @property
    def effective(self) -> Comment:
        return self.duplicate_of if self.duplicate_of is not None else self

    @property
    def effective_status(self) -> CommentStatus:
        return self.effective.status

    @property
    def effective_answer_html(self) -> str | None:
        return self.effective.answer_html

    @property
    def is_answered(self) -> bool:
        return self.effective.status.is_final and bool(self.effective.answer)

    def credited_departments(self) -> list[Department]:
        """Every department that made this point: the comment's and its duplicates'."""
        group = self._merged_group()
        seen = {c.department_id: c.department for c in group if c.department is not None}
        return list(seen.values())

    def credited_speakers(self) -> list[str]:
        """Departments and workshop guests who made this point."""
        return list(dict.fromkeys(c.speaker for c in self._merged_group()))

    def _merged_group(self) -> list[Comment]:
        primary = self.effective
        return [primary, *(d for d in primary.duplicates if not d.is_deleted)]


class CommentEvent(db.Model):
    """One change made while triaging a comment: status, answer, assignee, link, duplicate."""

    __tablename__ = "comment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    field: Mapped[str] = mapped_column(String(32), nullable=False)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)

    comment: Mapped[Comment] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CommentMessage(db.Model):
    """A message in the discussion between the drafting team and the commenting department."""

    __tablename__ = "comment_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()


class CommentRevision(db.Model):
    """The text of a comment before an edit: who changed it and when."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), nullable=False, index=True
    )
    editor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    kind: Mapped[CommentKind] = mapped_column(enum_column(CommentKind), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    quote: Mapped[str | None] = mapped_column(Text, nullable=True)
    proposed_text: Mapped[str | None] = mapped_column(Text, nullable=True)

    comment: Mapped[Comment] = relationship(back_populates="revisions")
    editor: Mapped[User] = relationship()


class Attachment(db.Model):
    """A file attached to a comment, or the scanned official letter of a response."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), nullable=True, index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(128), nullable=False)
    size: Mapped[int] = mapped_column(nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    comment: Mapped[Comment | None] = relationship(
        back_populates="attachments", foreign_keys=[comment_id]
    )
    uploaded_by: Mapped[User] = relationship()

    def can_view(self, user) -> bool:
        if self.comment is not None:
            return self.comment.can_view(user)
        response = db.session.query(DepartmentResponse).filter_by(letter_id=self.id).first()
        return response is not None and response.can_view(user)
