"""Proposals, their numbered drafts, and each draft's ordered tree of sections."""

from __future__ import annotations

import enum
import math
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import Department, User, enum_column
from consult.models.base import TimestampMixin, UTCDateTime, utcnow
from consult.numbering import punctuated_number


class IllegalTransition(ValueError):
    """A workflow move that the current state does not allow; the message is for the user."""


class Visibility(enum.StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return str(
            {
                Visibility.INTERNAL: _l("Internal: signed-in users only"),
                Visibility.PUBLIC: _l("Public: anyone can read"),
            }[self]
        )


class DraftStatus(enum.StrEnum):
    PREPARATION = "preparation"
    OPEN = "open"
    CLOSED = "closed"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return str(DRAFT_STATUS_LABELS[self])


DRAFT_STATUS_LABELS = {
    DraftStatus.PREPARATION: _l("In preparation"),
    DraftStatus.OPEN: _l("Open for comments"),
    DraftStatus.CLOSED: _l("Closed"),
    DraftStatus.SUPERSEDED: _l("Superseded"),
}


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


class Seat(enum.StrEnum):
    """What a person is on one proposal: its board's chair or member, or a workshop organizer."""

    CHAIR = "chair"
    MEMBER = "member"
    ORGANIZER = "organizer"

    @property
    def label(self) -> str:
        return str(SEAT_LABELS[self])

    @property
    def on_board(self) -> bool:
        return self in (Seat.CHAIR, Seat.MEMBER)


SEAT_LABELS = {
    Seat.CHAIR: _l("Board chair (Trưởng ban)"),
    Seat.MEMBER: _l("Board member"),
    Seat.ORGANIZER: _l("Workshop organizer"),
}


class ProposalMember(db.Model):
    """A person's seat on one proposal: the drafting board ("Ban Soạn thảo") or its organizers.

    A seat belongs to the person, whatever their body: a specialist of another department
    may sit on the board. A proposal has exactly one chair.
    """

    __tablename__ = "proposal_members"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        Index(
            "uq_proposal_members_one_chair",
            "proposal_id",
            unique=True,
            sqlite_where=db.text("seat = 'chair'"),
            postgresql_where=db.text("seat = 'chair'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    seat: Mapped[Seat] = mapped_column(enum_column(Seat), nullable=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="seats")

    def __repr__(self) -> str:
        return f"<ProposalMember {self.proposal_id} {self.user_id} {self.seat}>"

    @property
    def is_chair(self) -> bool:
        return self.seat is Seat.CHAIR


class Proposal(TimestampMixin, db.Model):
    """A proposal under consultation, e.g. the Cần Thơ smart-city proposal.

    Who may do what on it is decided here, once: its board (chair and members) drafts,
    publishes, triages and reports; its organizers run workshops; the bodies invited to a
    draft comment through their reviewers and leads; the lead agency is never consulted
    on its own proposal. Administrators hold the board's rights on every proposal.
    """

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Where the documents are issued ("Cần Thơ, ngày ... tháng ... năm ...").
    place: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), nullable=False, default=Visibility.INTERNAL
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # The body that leads the drafting ("cơ quan chủ trì soạn thảo").
    lead_agency_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    # The board's name as it signs documents ("Ban Soạn thảo Đề án ..."); empty: "Ban Soạn thảo".
    board_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    # The frame of the board's official papers (Decree 30/2020/NĐ-CP); empty: the defaults
    # of `official_paper` below. Recipients ("Nơi nhận") one per line.
    parent_body: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    document_symbol: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    recipients: Mapped[str] = mapped_column(Text, nullable=False, default="")
    signer_authority: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    signer_title: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    signer_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")

    created_by: Mapped[User | None] = relationship()
    lead_agency: Mapped[Department] = relationship()
    drafts: Mapped[list[Draft]] = relationship(
        back_populates="proposal", order_by="Draft.number", cascade="all, delete-orphan"
    )
    members: Mapped[list[ProposalMember]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalMember.id"
    )

    def __repr__(self) -> str:
        return f"<Proposal {self.code}>"

    @classmethod
    def by_code(cls, code: str) -> Proposal | None:
        return db.session.scalar(select(cls).where(cls.code == code.strip().upper()))

    # --- who is what on this proposal -------------------------------------------------

    def seat_of(self, user) -> Seat | None:
        if not signed_in(user):
            return None
        return next((m.seat for m in self.members if m.user_id == user.id), None)

    @property
    def chair(self) -> User | None:
        return next((m.user for m in self.members if m.seat is Seat.CHAIR), None)

    def board(self) -> list[ProposalMember]:
        return [m for m in self.members if m.seat.on_board]

    def is_on_board(self, user) -> bool:
        seat = self.seat_of(user)
        return seat is not None and seat.on_board

    def can_manage(self, user) -> bool:
        """Board rights: edit drafts, publish, invite, triage, answer, merge, reports."""
        return signed_in(user) and (user.is_admin or self.is_on_board(user))

    def can_manage_board(self, user) -> bool:
        """The chair (or an administrator) seats and unseats board members and organizers."""
        return signed_in(user) and (user.is_admin or self.seat_of(user) is Seat.CHAIR)

    def can_run_workshops(self, user) -> bool:
        return self.can_manage(user) or self.seat_of(user) is Seat.ORGANIZER

    def reads_all_submitted(self, user) -> bool:
        """Board, organizers and administrators read every body's submitted comments."""
        return self.can_run_workshops(user)

    def consults(self, department_id: int | None) -> bool:
        """Whether a body may be consulted on this proposal: any but its lead agency."""
        return department_id is not None and department_id != self.lead_agency_id

    def consultable(self, departments: list[Department]) -> list[Department]:
        return [d for d in departments if self.consults(d.id)]

    def speaks_for(self, user) -> int | None:
        """The body ``user`` comments for on this proposal, or None.

        Reviewers and leads speak for their body, except where they hold a seat (they act
        in that capacity) and on a proposal their body leads (it is never consulted).
        """
        if not signed_in(user) or user.body_id is None:
            return None
        if not self.consults(user.body_id) or self.seat_of(user) is not None:
            return None
        return user.body_id

    def can_view(self, user) -> bool:
        if self.reads_all_submitted(user):
            return True
        if self.visibility is Visibility.PUBLIC:
            return self.has_published_draft
        return signed_in(user) and self.has_published_draft

    def can_edit(self, user) -> bool:
        return self.can_manage(user)

    def can_export_everything(self, user) -> bool:
        return self.reads_all_submitted(user)

    def can_report(self, user) -> bool:
        """The board page, reports and participation: the proposal's insiders."""
        return self.reads_all_submitted(user)

    # --- its official papers -----------------------------------------------------------

    DEFAULT_PARENT_BODY = "UBND THÀNH PHỐ CẦN THƠ"
    DEFAULT_BOARD_NAME = "Ban Soạn thảo"
    DEFAULT_SYMBOL = "BC-BST"
    DEFAULT_RECIPIENTS = ("Các thành viên Ban Soạn thảo",)
    DEFAULT_SIGNER_AUTHORITY = "TM. BAN SOẠN THẢO"
    DEFAULT_SIGNER_TITLE = "Trưởng ban"

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in (self.recipients or "").splitlines() if line.strip()]

    def official_paper(self) -> dict[str, object]:
        """Who issues and signs the board's papers, each empty setting by its default: the
        fields of `consult.documents.frame.OfficialFrame` (and of `SummaryReport`). The
        archive line "Lưu: VT, <unit of the symbol>" is added by the frame when missing."""
        chair = self.chair
        return {
            "parent_body": self.parent_body or self.DEFAULT_PARENT_BODY,
            "issuing_body": self.board_name or self.DEFAULT_BOARD_NAME,
            "symbol": self.document_symbol or self.DEFAULT_SYMBOL,
            "recipients": self.recipient_list() or list(self.DEFAULT_RECIPIENTS),
            "signer_authority": self.signer_authority or self.DEFAULT_SIGNER_AUTHORITY,
            "signer_title": self.signer_title or self.DEFAULT_SIGNER_TITLE,
            "signer_name": self.signer_name or (chair.full_name if chair else ""),
        }

    @property
    def has_published_draft(self) -> bool:
        return any(d.is_published for d in self.drafts)

    @property
    def latest_draft(self) -> Draft | None:
        return self.drafts[-1] if self.drafts else None

    def latest_visible_draft(self, user) -> Draft | None:
        visible = [d for d in self.drafts if d.can_view(user)]
        return visible[-1] if visible else None

    def draft_in_preparation(self) -> Draft | None:
        return next((d for d in self.drafts if d.status is DraftStatus.PREPARATION), None)


class Draft(TimestampMixin, db.Model):
    """Draft number N of a proposal ("Dự thảo lần N") and its comment period."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(nullable=False)
    status: Mapped[DraftStatus] = mapped_column(
        enum_column(DraftStatus), nullable=False, default=DraftStatus.PREPARATION
    )
    change_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Whether departments may read each other's submitted comments (the drafting team decides).
    departments_see_each_other: Mapped[bool] = mapped_column(nullable=False, default=False)
    # Whether a body that does not answer is considered to agree (said in the report).
    silence_counts_as_agreement: Mapped[bool] = mapped_column(nullable=False, default=False)

    proposal: Mapped[Proposal] = relationship(back_populates="drafts")
    invitations: Mapped[list[DraftInvitation]] = relationship(  # noqa: F821
        "DraftInvitation", cascade="all, delete-orphan", overlaps="draft"
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="draft", order_by="Section.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Draft {self.proposal_id}#{self.number} {self.status}>"

    # --- who may do what --------------------------------------------------------------

    @property
    def is_published(self) -> bool:
        return self.status is not DraftStatus.PREPARATION

    def can_view(self, user) -> bool:
        if self.proposal.can_manage(user):
            return True
        return self.is_published and self.proposal.can_view(user)

    def can_edit(self, user) -> bool:
        """Only a draft in preparation can change: a published text is fixed."""
        return self.proposal.can_manage(user) and self.status is DraftStatus.PREPARATION

    def can_manage(self, user) -> bool:
        return self.proposal.can_manage(user)

    def can_consolidate(self, user) -> bool:
        """Take the answers to the previous draft into this one: its board, in preparation."""
        return self.can_edit(user) and self.previous() is not None

    def can_report(self, user) -> bool:
        """Participation and the summary report: the board, the organizers, administrators."""
        return self.proposal.reads_all_submitted(user)

    def can_run_workshops(self, user) -> bool:
        return self.proposal.can_run_workshops(user)

    def commenting_body(self, user, now: datetime | None = None) -> int | None:
        """The body ``user`` may write comments for on this draft now, or None.

        The one rule for "may this department comment now": a reviewer or lead of a body
        the proposal consults, invited to this draft, within its comment period.
        """
        body_id = self.proposal.speaks_for(user)
        if body_id is None or not self.is_accepting_comments_from(body_id, now):
            return None
        return body_id

    def can_work_as_department(self, user) -> bool:
        """The department's page of a published draft: its people's comments and response."""
        return self.is_published and self.proposal.speaks_for(user) is not None

    def can_comment(self, user, now: datetime | None = None) -> bool:
        return self.commenting_body(user, now) is not None

    def can_respond(self, user, now: datetime | None = None) -> bool:
        """The lead of a commenting body submits its official response."""
        return self.can_comment(user, now) and user.is_lead

    def can_read_department_work(self, user, department_id: int | None, *, submitted: bool) -> bool:
        """The one rule for reading a body's comments and responses on this draft.

        Unsubmitted comments are the body's own; submitted ones are also read by the board,
        organizers and administrators, and by other consulted bodies when the draft allows
        it. ``Comment.visible_clause`` is this rule's SQL twin (a property test holds them
        together).
        """
        if not signed_in(user) or not self.can_view(user):
            return False
        own = self.proposal.speaks_for(user)
        if own is not None and own == department_id:
            return True
        if not submitted:
            return False
        if self.proposal.reads_all_submitted(user):
            return True
        return self.reads_other_bodies(own)

    def reads_other_bodies(self, own_body: int | None) -> bool:
        """A body invited to this draft reads the others' submitted comments, if allowed."""
        return (
            self.departments_see_each_other
            and own_body is not None
            and self.invitation_for(own_body) is not None
        )

    # --- the comment period -----------------------------------------------------------

    def is_accepting_comments(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (
            self.status is DraftStatus.OPEN
            and self.opens_at is not None
            and self.closes_at is not None
            and self.opens_at <= now < self.closes_at
        )

    def invitation_for(self, department_id: int | None) -> DraftInvitation | None:  # noqa: F821
        return next((i for i in self.invitations if i.department_id == department_id), None)

    def deadline_for(self, department_id: int | None) -> datetime | None:
        """The deadline that applies to a department: the draft's, or its own extension."""
        invitation = self.invitation_for(department_id)
        if invitation and invitation.extended_until and self.closes_at:
            return max(self.closes_at, invitation.extended_until)
        return self.closes_at

    def is_accepting_comments_from(
        self, department_id: int | None, now: datetime | None = None
    ) -> bool:
        """Checked on the server for every write: invited, opened, and before its deadline,
        by a body that is still active (a deactivated one keeps its history, writes nothing)."""
        if self.status not in (DraftStatus.OPEN, DraftStatus.CLOSED):
            return False
        invitation = self.invitation_for(department_id)
        if invitation is None or not invitation.department.is_active:
            return False
        now = now or utcnow()
        deadline = self.deadline_for(department_id)
        return (
            self.opens_at is not None and deadline is not None and self.opens_at <= now < deadline
        )

    def period_state(self, now: datetime | None = None) -> str:
        """'upcoming', 'open' or 'ended' for an open draft; the status otherwise."""
        if self.status is not DraftStatus.OPEN:
            return self.status.value
        now = now or utcnow()
        if self.opens_at and now < self.opens_at:
            return "upcoming"
        if self.closes_at and now >= self.closes_at:
            return "ended"
        return "open"

    def days_left(self, now: datetime | None = None) -> int:
        """Whole days until the deadline, rounded up (0 once it has passed)."""
        if self.closes_at is None:
            return 0
        seconds = (self.closes_at - (now or utcnow())).total_seconds()
        return max(0, math.ceil(seconds / 86400))

    def open_predecessor(self, now: datetime | None = None) -> Draft | None:
        """The earlier draft still open for comments, whose period publishing this one would
        cut short (the board is asked first: ``publish(..., cut_short=True)``)."""
        now = now or utcnow()
        return next(
            (
                d
                for d in reversed(self.proposal.drafts)
                if d.number < self.number
                and d.status is DraftStatus.OPEN
                and d.closes_at is not None
                and d.closes_at > now
            ),
            None,
        )

    # --- transitions ------------------------------------------------------------------

    def publish(
        self,
        opens_at: datetime,
        closes_at: datetime,
        now: datetime | None = None,
        *,
        cut_short: bool = False,
    ) -> None:
        """Open the comment period; earlier drafts are superseded. An earlier draft still
        open is closed only when the board said so (``cut_short``)."""
        if self.status is not DraftStatus.PREPARATION:
            raise IllegalTransition(_l("Only a draft in preparation can be published."))
        if closes_at <= opens_at:
            raise IllegalTransition(_l("The comment period must close after it opens."))
        if not self.sections:
            raise IllegalTransition(_l("A draft without sections cannot be published."))
        now = now or utcnow()
        if closes_at <= now:
            raise IllegalTransition(_l("The deadline must be in the future."))
        still_open = self.open_predecessor(now)
        if still_open is not None and not cut_short:
            raise IllegalTransition(
                _l(
                    "Draft %(n)d is still open for comments: confirm that its period ends now.",
                    n=still_open.number,
                )
            )
        self.status = DraftStatus.OPEN
        self.opens_at, self.closes_at = opens_at, closes_at
        self.published_at = now
        for earlier in self.proposal.drafts:
            if earlier.number < self.number and earlier.status in (
                DraftStatus.OPEN,
                DraftStatus.CLOSED,
            ):
                earlier.supersede(now)

    def close(self, now: datetime | None = None) -> None:
        if self.status is not DraftStatus.OPEN:
            raise IllegalTransition(_l("Only a draft open for comments can be closed."))
        now = now or utcnow()
        self.status = DraftStatus.CLOSED
        self.closed_at = now
        if self.closes_at is None or self.closes_at > now:
            self.closes_at = now

    def supersede(self, now: datetime | None = None) -> None:
        if self.status not in (DraftStatus.OPEN, DraftStatus.CLOSED):
            raise IllegalTransition(_l("Only a published draft can be superseded."))
        now = now or utcnow()
        if self.status is DraftStatus.OPEN:
            self.closed_at = now
            if self.closes_at is None or self.closes_at > now:
                self.closes_at = now
        self.status = DraftStatus.SUPERSEDED

    def extend_deadline(self, closes_at: datetime, now: datetime | None = None) -> None:
        if self.status not in (DraftStatus.OPEN, DraftStatus.CLOSED):
            raise IllegalTransition(_l("Only a published draft's deadline can be extended."))
        if self.closes_at and closes_at <= self.closes_at:
            raise IllegalTransition(_l("The new deadline must be later than the current one."))
        if closes_at <= (now or utcnow()):
            raise IllegalTransition(_l("The deadline must be in the future."))
        self.closes_at = closes_at
        self.status = DraftStatus.OPEN
        self.closed_at = None

    # --- reading ----------------------------------------------------------------------

    @property
    def title(self) -> str:
        return str(_l("Draft %(n)d", n=self.number))

    def previous(self) -> Draft | None:
        earlier = [d for d in self.proposal.drafts if d.number < self.number]
        return earlier[-1] if earlier else None


def new_section_key() -> str:
    return secrets.token_hex(8)


class Section(TimestampMixin, db.Model):
    """One section of a draft, in document order; ``level`` makes the tree.

    ``key`` is the section's identity across drafts: the copy of a section in the next
    draft keeps it, so comments, comparisons and reports can follow a section.
    """

    __tablename__ = "sections"
    __table_args__ = (
        UniqueConstraint("draft_id", "key"),
        Index("ix_sections_draft_id_position", "draft_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
    )
    key: Mapped[str] = mapped_column(String(32), nullable=False, default=new_section_key)
    position: Mapped[int] = mapped_column(nullable=False)
    level: Mapped[int] = mapped_column(nullable=False, default=1)
    number: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    # Text: an article title can run to several hundred characters (700 in real decrees).
    heading: Mapped[str] = mapped_column(Text, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Rendered and sanitized once on save: reading a section never re-renders Markdown.
    body_html: Mapped[str] = mapped_column(Text, nullable=False, default="")

    draft: Mapped[Draft] = relationship(back_populates="sections")

    def __repr__(self) -> str:
        return f"<Section {self.number} {self.heading[:30]!r}>"

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip() if self.number else self.heading

    @property
    def display_number(self) -> str:
        """The number as documents write it before the heading: "1.", "a)", "Điều 5."."""
        return punctuated_number(self.number or "", self.heading or "")

    @property
    def anchor(self) -> str:
        return f"s-{self.key}"

    @property
    def identity(self) -> str:
        return self.key

    def can_view(self, user) -> bool:
        return self.draft.can_view(user)

    def can_edit(self, user) -> bool:
        return self.draft.can_edit(user)
