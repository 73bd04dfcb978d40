"""The changes that took accepted comments on draft N into the text of draft N+1."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import User, enum_column
from consult.models.base import UTCDateTime, utcnow
from consult.models.comments import Comment
from consult.models.drafts import Draft, IllegalTransition, Section

applied_change_comments = Table(
    "applied_change_comments",
    db.metadata,
    Column(
        "change_id",
        Integer,
        ForeignKey("applied_changes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "comment_id",
        Integer,
        ForeignKey("comments.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class ChangeKind(enum.StrEnum):
    REPLACE = "replace"  # the quoted passage replaced by the wording
    INSERT = "insert"  # a wording without a quote, inserted where the board chose
    DELETE = "delete"  # the quoted passage removed

    @property
    def label(self) -> str:
        return str(
            {
                ChangeKind.REPLACE: _l("Replacement"),
                ChangeKind.INSERT: _l("Insertion"),
                ChangeKind.DELETE: _l("Removal"),
            }[self]
        )


class AppliedChange(db.Model):
    """One change the board made in a section of draft N+1 to take in comments on draft N.

    It keeps the section's Markdown before and after, and the passage and wording exchanged,
    so that it can be undone while the draft is in preparation and traced once published.
    One change may answer several comments; one comment may be applied in several places.
    A change is deleted with its section (a re-import that drops the section says so first).
    """

    __tablename__ = "applied_changes"
    __table_args__ = (Index("ix_applied_changes_draft_section", "draft_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind), nullable=False)
    # The section's Markdown just before and just after the change.
    body_before: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_after: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # What was exchanged, at which offset of body_before: found again on undo.
    start: Mapped[int] = mapped_column(nullable=False, default=0)
    passage: Mapped[str] = mapped_column(Text, nullable=False, default="")
    wording: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Whether the board changed the proposed wording before applying it.
    edited: Mapped[bool] = mapped_column(nullable=False, default=False)
    applied_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # The section's key when applied: the change is found in later drafts by it.
    section_key: Mapped[str] = mapped_column(String(32), nullable=False, default="")

    draft: Mapped[Draft] = relationship()
    section: Mapped[Section] = relationship()
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])
    comments: Mapped[list[Comment]] = relationship(
        secondary=applied_change_comments, order_by="Comment.id"
    )

    def __repr__(self) -> str:
        return f"<AppliedChange {self.id} {self.kind} in {self.section_id}>"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None

    def can_view(self, user) -> bool:
        return self.draft.can_view(user)

    def can_undo(self, user) -> bool:
        """Until the draft is published, by whoever may consolidate it."""
        return self.is_active and self.draft.can_consolidate(user)

    def mark_undone(self, user: User, now: datetime | None = None) -> None:
        if not self.is_active:
            raise IllegalTransition(_l("This change was already undone."))
        if self.draft.is_published:
            raise IllegalTransition(_l("A published draft's changes can no longer be undone."))
        self.undone_at = now or utcnow()
        self.undone_by = user
