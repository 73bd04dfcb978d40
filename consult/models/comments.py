"""Department comments on a draft, their attachments and edit history, and the official
responses ("công văn") by which departments submit them."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from consult.extensions import db
from consult.models import text_index
from consult.models.accounts import Department, User, enum_column
from consult.models.base import TimestampMixin, UTCDateTime, utcnow
from consult.models.drafts import Draft, DraftStatus, IllegalTransition, Section
from consult.textsearch import fold, like_pattern

# A body is reminded by hand ("remind now") at most once within this interval.
REMIND_INTERVAL = timedelta(hours=24)


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

    @property
    def label(self) -> str:
        return str(COMMENT_STATUS_LABELS[self])

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


class ProposedChange(enum.StrEnum):
    """What a comment proposes for the passage it quotes (``Comment.proposal``)."""

    NONE = "none"
    REPLACE = "replace"  # proposed_text is the new wording
    DELETE = "delete"  # proposes_deletion: remove the passage (or the section)


# How much rendered text, each side, a quote keeps as its context.
QUOTE_CONTEXT = 40


def _is_ignorable(char: str) -> bool:
    # The same characters static/js/comments.js ignores when it matches a quote.
    return char.isspace() or char in "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _match_index(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` as a matching key (NFC, whitespace and invisible characters dropped), with
    the offsets in ``text`` where each key character starts and ends."""
    key: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        for char in unicodedata.normalize("NFC", text[i:j]):
            if not _is_ignorable(char):
                key.append(char)
                starts.append(i)
                ends.append(j)
        i = j
    return "".join(key), starts, ends


def match_key(text: str | None) -> str:
    """How a quote is compared with a text: NFC, without whitespace or invisible characters."""
    return _match_index(text or "")[0]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _scored_occurrences(text, quote, prefix, suffix) -> list[tuple[int, int, int]]:
    key, starts, ends = _match_index(text)
    needle = match_key(quote)
    if not needle:
        return []
    before, after = match_key(prefix), match_key(suffix)
    found = []
    at = key.find(needle)
    while at >= 0:
        end = at + len(needle)
        score = _common_suffix(key[:at], before) + _common_prefix(key[end:], after)
        found.append((score, starts[at], ends[end - 1]))
        at = key.find(needle, at + 1)
    return sorted(found, key=lambda f: (-f[0], f[1]))


def passage_occurrences(
    text: str, quote: str, prefix: str | None = None, suffix: str | None = None
) -> list[tuple[int, int]]:
    """Every occurrence of ``quote`` in ``text``, as (start, end) offsets into ``text``, the
    one whose surroundings agree best with ``prefix`` and ``suffix`` first (then in order).

    Matching ignores whitespace, invisible characters and Unicode forms, as the page's
    highlighting does (static/js/comments.js), so a quote copied across paragraphs is found.
    """
    return [(start, end) for _score, start, end in _scored_occurrences(text, quote, prefix, suffix)]


def locate_passage(
    text: str, quote: str, prefix: str | None = None, suffix: str | None = None
) -> tuple[int, int] | None:
    """The one occurrence of ``quote`` in ``text`` that its context points at, or None when
    it is absent or several occurrences fit the context equally well."""
    found = _scored_occurrences(text, quote, prefix, suffix)
    if not found or (len(found) > 1 and found[0][0] == found[1][0]):
        return None
    return found[0][1], found[0][2]


def passage_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The QUOTE_CONTEXT characters of ``text`` before ``start`` and after ``end``,
    whitespace-normalised: what ``Comment.quote_prefix`` and ``quote_suffix`` hold."""
    before = " ".join(text[:start].split())
    after = " ".join(text[end:].split())
    return before[-QUOTE_CONTEXT:].lstrip(), after[:QUOTE_CONTEXT].rstrip()


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
    # When the board last sent this body a "remind now" (never twice within REMIND_INTERVAL).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    draft: Mapped[Draft] = relationship()
    department: Mapped[Department] = relationship()

    def can_be_reminded(self, responded: bool, now: datetime | None = None) -> bool:
        """Whether the board may send this body a reminder now: it is silent (``responded``:
        it has a response), may still comment (open, active, before its deadline), and was
        not reminded within the last REMIND_INTERVAL. The rule of the button and service."""
        now = now or utcnow()
        return (
            self.draft.status is DraftStatus.OPEN
            and not responded
            and self.draft.is_accepting_comments_from(self.department_id, now)
            and (self.reminded_at is None or now - self.reminded_at >= REMIND_INTERVAL)
        )

    @property
    def next_reminder_at(self) -> datetime | None:
        return self.reminded_at + REMIND_INTERVAL if self.reminded_at else None


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
        return self.draft.can_read_department_work(user, self.department_id, submitted=True)


_FTS_ROWID = literal_column(f"{text_index.FTS_TABLE}.rowid")


class Comment(TimestampMixin, db.Model):
    """One comment by a department on a draft: on a section, a passage, or the whole draft."""

    __tablename__ = "comments"
    __table_args__ = (
        # A department's comments on a draft, and whether it submitted any (index only).
        # and the inbox's page in department order (deleted_at: without reading the rows).
        Index(
            "ix_comments_by_department", "draft_id", "department_id", "submitted_at", "deleted_at"
        ),
        # A section's comments (and a draft's general ones, section_id NULL) in id order:
        # the inbox's page in section order, the section page.
        Index("ix_comments_section_draft", "section_id", "draft_id"),
        Index("ix_comments_import_key", "draft_id", "import_key"),
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
    # The rendered text just before and after the quoted passage (up to QUOTE_CONTEXT
    # characters each, whitespace-normalised): which occurrence a short quote means when it
    # occurs more than once in its section. ``locate_quote`` uses them.
    quote_prefix: Mapped[str | None] = mapped_column(Text, nullable=True)
    quote_suffix: Mapped[str | None] = mapped_column(Text, nullable=True)
    proposed_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A proposal to delete the quoted passage (or the whole section, without a quote).
    # Its own meaning: an empty proposed wording means "no proposal", never "delete".
    proposes_deletion: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    # A comment read from a marked-up Word file: what the file said it was (a hash of its
    # section, quote and text, so a re-upload of the file, even re-saved, adds no duplicate)
    # and who wrote it in Word ("Word author"), kept as a note.
    import_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    import_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Soft delete: a removed draft comment stays for the record; one its department folded
    # into another before submitting is removed with ``duplicate_of`` pointing at that one.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
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
    # Being a duplicate is stored here and nowhere else: a duplicate is answered through its
    # primary comment, which credits every department; its own status is not used.
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
    def proposal(self) -> ProposedChange:
        """What the comment proposes for its passage: nothing, new wording, or deletion."""
        if self.proposes_deletion:
            return ProposedChange.DELETE
        if self.proposed_text:
            return ProposedChange.REPLACE
        return ProposedChange.NONE

    def quote_occurrences(self, text: str) -> list[tuple[int, int]]:
        """Every place of the quote in ``text`` (a section's rendered text), best match first:
        (start, end) offsets into ``text``. See ``locate_passage``."""
        return passage_occurrences(text, self.quote or "", self.quote_prefix, self.quote_suffix)

    def locate_quote(self, text: str) -> tuple[int, int] | None:
        """Where the quoted passage is in ``text`` (a section's rendered text): (start, end)
        offsets into ``text``, or None when it is not there or its context cannot tell which
        of several occurrences it is."""
        return locate_passage(text, self.quote or "", self.quote_prefix, self.quote_suffix)

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
        return self.draft.can_read_department_work(
            user, self.department_id, submitted=self.is_submitted
        )

    @classmethod
    def visible_clause(cls, draft: Draft, user):
        """SQL twin of ``can_view`` for the comments of ``draft``: the same rule, as a WHERE.

        Kept beside the Python rule it copies; tests/test_visibility_property.py checks on
        random worlds that both admit exactly the same comments for every user.
        """
        not_deleted = cls.deleted_at.is_(None)
        if not user.is_authenticated or not draft.can_view(user):
            return false()
        own = draft.proposal.speaks_for(user)
        own_clause = cls.department_id == own if own is not None else false()
        if draft.proposal.reads_all_submitted(user) or draft.reads_other_bodies(own):
            readable = or_(cls.submitted_at.is_not(None), own_clause)
        else:
            readable = own_clause
        return and_(cls.draft_id == draft.id, not_deleted, readable)

    def is_own_department(self, user) -> bool:
        """The department's own people, who alone see its drafts and their edit history."""
        return self.own_department_of(self.draft, user, self.department_id)

    @staticmethod
    def own_department_of(draft: Draft, user, department_id: int | None) -> bool:
        """``is_own_department`` from a comment's columns (a card drawn from a cache)."""
        return Comment.own_department_rule(draft, user)(department_id)

    @staticmethod
    def own_department_rule(draft: Draft, user) -> Callable[[int | None], bool]:
        """``own_department_of`` for many comments of ``draft`` read by ``user``: what
        depends on the reader is worked out once (a section page asks 300 times)."""
        own = draft.proposal.speaks_for(user)
        return lambda department_id: own is not None and own == department_id

    def can_edit(self, user) -> bool:
        """Reviewers and the lead of the department, on an unsubmitted comment, in time."""
        return self.editable_by(
            self.draft,
            user,
            submitted_at=self.submitted_at,
            deleted_at=self.deleted_at,
            department_id=self.department_id,
        )

    @staticmethod
    def editable_by(draft: Draft, user, *, submitted_at, deleted_at, department_id) -> bool:
        """``can_edit`` from a comment's columns (a card drawn from a cache)."""
        return Comment.editable_rule(draft, user)(submitted_at, deleted_at, department_id)

    @staticmethod
    def editable_rule(
        draft: Draft, user
    ) -> Callable[[datetime | None, datetime | None, int | None], bool]:
        """``editable_by`` for many comments of ``draft`` (submitted_at, deleted_at,
        department_id), the reader's body worked out once."""
        body = draft.commenting_body(user)
        return lambda submitted_at, deleted_at, department_id: (
            submitted_at is None
            and deleted_at is None
            and department_id is not None
            and body == department_id
        )

    def can_delete(self, user) -> bool:
        return self.can_edit(user) and (user.is_lead or user.id == self.author_id)

    def can_triage(self, user) -> bool:
        return self.is_submitted and not self.is_deleted and self.draft.can_manage(user)

    def can_discuss(self, user) -> bool:
        """The thread on a submitted comment: the board and the commenting department."""
        if not self.is_submitted or not self.can_view(user):
            return False
        if self.draft.can_manage(user):
            return True
        # A deactivated body keeps its history readable but writes nothing, here neither.
        return self.is_own_department(user) and self.department.is_active

    # --- the workflow: every move a method that refuses an illegal one ------------------

    def submit(self, response: DepartmentResponse | None, now: datetime | None = None) -> None:
        """Into triage, with the department's response (or from the floor of a workshop)."""
        if self.is_submitted:
            raise IllegalTransition(_l("This comment was already submitted."))
        if self.is_deleted:
            raise IllegalTransition(_l("A removed comment cannot be submitted."))
        self.submitted_at = now or utcnow()
        self.response = response

    def remove(self, now: datetime | None = None) -> None:
        if self.is_submitted:
            raise IllegalTransition(_l("A submitted comment cannot be removed."))
        self.deleted_at = now or utcnow()

    def fold_into(self, target: Comment, now: datetime | None = None) -> None:
        """Before submission: the department merges this comment into ``target``."""
        if target.id == self.id or self.is_submitted or target.is_submitted:
            raise IllegalTransition(_l("Only unsubmitted comments can be merged."))
        self.remove(now)
        self.duplicate_of = target

    def set_answer(self, status: CommentStatus, answer: str | None, by: User) -> bool:
        """The board's status and answer; True if anything changed."""
        if not self.is_submitted or self.is_deleted:
            raise IllegalTransition(_l("Only submitted comments can be triaged."))
        if self.duplicate_of is not None:
            raise IllegalTransition(
                _l("This comment is answered through the comment it duplicates.")
            )
        if status.is_final and not answer:
            raise IllegalTransition(_l("Write the answer: it is required for this status."))
        changed = status != self.status or answer != self.answer
        self.status = status
        if answer != self.answer:
            self.answer = answer
            self.answered_at = utcnow() if answer else None
            self.answered_by = by if answer else None
        return changed

    def can_merge_into(self, primary: Comment) -> bool:
        """Whether merging this comment into ``primary``'s group would change anything: never
        a comment into itself, into one of its duplicates, nor into the group it is in.
        The triage page offers only these; ``mark_duplicate_of`` refuses the others."""
        return self.effective.id != primary.effective.id

    def mark_duplicate_of(self, primary: Comment) -> list[Comment]:
        """Join ``primary``'s group; a comment that had duplicates brings them along.

        Returns the comments whose primary changed (this one and its former duplicates).
        """
        if not self.can_merge_into(primary):
            raise IllegalTransition(
                _l(
                    "Comment #%(id)d is already merged with comment #%(primary)d.",
                    id=self.id,
                    primary=primary.effective.id,
                )
            )
        if not (self.is_submitted and primary.is_submitted) or self.is_deleted:
            raise IllegalTransition(_l("Only submitted comments can be merged."))
        if primary.draft_id != self.draft_id:
            raise IllegalTransition(_l("Only comments on the same draft can be merged."))
        if primary.duplicate_of is not None:
            raise IllegalTransition(_l("A duplicate cannot be the primary comment."))
        if primary.id == self.id:
            raise IllegalTransition(_l("A comment cannot duplicate itself."))
        moved = [*self.duplicates, self]
        for child in moved:
            child.duplicate_of = primary
        return moved

    def separate(self) -> None:
        """Answered on its own again, back under review."""
        if self.duplicate_of is None:
            raise IllegalTransition(_l("This comment is not a duplicate."))
        self.duplicate_of = None
        self.status = CommentStatus.UNDER_REVIEW

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None and not self.is_deleted

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
        """The one definition of "answered": a final status with its answer written; a
        duplicate is answered when its primary is. ``answered_clause`` is its SQL twin."""
        return self.effective.status.is_final and bool(self.effective.answer)

    @classmethod
    def answered_clause(cls):
        primary = aliased(cls)
        return exists().where(
            primary.id == func.coalesce(cls.duplicate_of_id, cls.id),
            primary.status.in_(FINAL_STATUSES),
            primary.answer.is_not(None),
            primary.answer != "",
        )

    @classmethod
    def status_clause(cls, status: CommentStatus | None, *, duplicates: bool = False):
        """The inbox's and the reports' status filter: on the status that applies to a
        comment, its own; duplicates are their own choice."""
        if duplicates:
            return cls.duplicate_of_id.is_not(None)
        if status is None:
            return true()
        return and_(cls.duplicate_of_id.is_(None), cls.status == status)

    @classmethod
    def text_search(cls, query: str, newest: int | None = None):
        """Comments whose text holds ``query`` anywhere, diacritics and case aside: the
        inbox's, the reports' and the similar comments' search, from the text index.

        The index (``text_index``) answers a LIKE on PostgreSQL; on SQLite a quoted FTS5
        phrase, a substring match as LIKE's, which needs three characters: shorter terms
        keep the LIKE. ``newest``: the caller wants only that many matches, newest first
        (it orders by id descending and limits), so the index may stop there.
        """
        phrase = cls._fts_phrase(query)
        if phrase is not None:
            matches = select(_FTS_ROWID).select_from(table(text_index.FTS_TABLE)).where(phrase)
            if newest is not None:
                matches = matches.order_by(_FTS_ROWID.desc()).limit(newest)
            return cls.id.in_(matches)
        return cls.text_scan(query)

    @classmethod
    def text_scan(cls, query: str):
        """The same match as `text_search`, tested on each row rather than asked of the
        index: for a few rows already found by another index (one section's)."""
        return cls.search_text.like(like_pattern(query), escape="\\")

    @classmethod
    def first_text_matches(cls, query: str, within: Select, limit: int) -> Select:
        """The ids of at most ``limit`` comments of ``within`` (a select() of comments with
        no text search) that `text_search` would find: the index is read in id order and
        left as soon as there are ``limit``, so that telling a search of a few hundred
        matches from one of a hundred thousand costs the same few milliseconds."""
        phrase = cls._fts_phrase(query)
        if phrase is not None:
            # The index drives, each match is looked up by id: the database may not start
            # from the comments' side, which would read them all.
            return (
                select(_FTS_ROWID)
                .select_from(table(text_index.FTS_TABLE))
                .where(phrase, within.where(cls.id == _FTS_ROWID).exists())
                .limit(limit)
            )
        return within.where(cls.text_scan(query)).with_only_columns(cls.id).limit(limit)

    @staticmethod
    def _fts_phrase(query: str):
        """The FTS5 MATCH of ``query`` on SQLite, or None where the LIKE answers."""
        folded = fold(query)
        if len(folded) < text_index.MIN_MATCH or db.session.get_bind().dialect.name != "sqlite":
            return None
        phrase = '"' + folded.replace('"', '""') + '"'
        return literal_column(text_index.FTS_TABLE).op("MATCH")(phrase)

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

    @property
    def active_duplicates(self) -> list[Comment]:
        return [d for d in self.duplicates if not d.is_deleted]


text_index.listen(Comment.__table__)


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
    proposes_deletion: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

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
