"""Workshops ("hội thảo") on a draft: agenda, participants, and comments from the floor."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import Department, User
from consult.models.base import TimestampMixin, UTCDateTime, utcnow
from consult.models.drafts import Draft, Seat, Section
from consult.timeutil import VIETNAM

workshop_sections = Table(
    "workshop_sections",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("section_id", ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True),
)


class Workshop(TimestampMixin, db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    organizer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    place: Mapped[str] = mapped_column(String(500), nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Bumped when the time, place or title changes: the SEQUENCE of its calendar invitation.
    revision: Mapped[int] = mapped_column(nullable=False, default=0, server_default="0")
    # The board let the organizers record comments from the floor before the workshop's day.
    allows_early_recording: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=false()
    )

    draft: Mapped[Draft] = relationship()
    organizer: Mapped[User] = relationship()
    agenda: Mapped[list[Section]] = relationship(
        secondary=workshop_sections, order_by="Section.position"
    )
    participants: Mapped[list[WorkshopParticipant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopParticipant.id"
    )
    comments: Mapped[list[Comment]] = relationship(  # noqa: F821
        "Comment", back_populates="workshop", order_by="Comment.id"
    )

    def can_view(self, user) -> bool:
        return self.draft.can_run_workshops(user) and self.draft.can_view(user)

    def can_edit(self, user) -> bool:
        """The proposal's organizers and board (and administrators) run its workshops."""
        return self.can_view(user)

    def can_allow_early_recording(self, user) -> bool:
        """The proposal's board chair and organizers (and administrators) decide."""
        proposal = self.draft.proposal
        return self.can_edit(user) and (
            proposal.can_manage_board(user) or proposal.seat_of(user) is Seat.ORGANIZER
        )

    @property
    def day(self) -> date:
        """The workshop's day, in Vietnam."""
        return self.starts_at.astimezone(VIETNAM).date()

    def accepts_floor_comments(self, now: datetime | None = None) -> bool:
        """Comments from the floor are recorded from the workshop's day on (Vietnam date),
        or earlier when the board allowed it. The one rule for the page, route and service."""
        today = (now or utcnow()).astimezone(VIETNAM).date()
        return self.allows_early_recording or today >= self.day


class WorkshopParticipant(db.Model):
    """An invited body or a named guest, and whether they attended."""

    __tablename__ = "workshop_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), nullable=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    guest_organization: Mapped[str | None] = mapped_column(String(255), nullable=True)
    attended: Mapped[bool] = mapped_column(nullable=False, default=False)

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    department: Mapped[Department | None] = relationship()

    @property
    def name(self) -> str:
        if self.department is not None:
            return self.department.name
        org = f" ({self.guest_organization})" if self.guest_organization else ""
        return f"{self.guest_name or ''}{org}"
