"""Departments (the consulted bodies and the drafting body) and user accounts."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, false, func, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.extensions import db
from consult.models.base import TimestampMixin, UTCDateTime, utcnow


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    # Stored as the enum's value (a short string) without a database ENUM type, so
    # adding a member never needs an ALTER TYPE on PostgreSQL.
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
        create_constraint=False,
    )


class DepartmentKind(enum.StrEnum):
    DEPARTMENT = "department"
    DISTRICT = "district"
    ENTERPRISE = "enterprise"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(DEPARTMENT_KIND_LABELS[self])


DEPARTMENT_KIND_LABELS = {
    DepartmentKind.DEPARTMENT: _l("Department or agency"),
    DepartmentKind.DISTRICT: _l("District"),
    DepartmentKind.ENTERPRISE: _l("Enterprise or institution"),
    DepartmentKind.OTHER: _l("Other body"),
}


class Role(enum.StrEnum):
    """An account's role: administrator, or a member of a body (its reviewer or its lead).

    Drafting-board seats and workshop organizing are not roles: they are memberships of one
    proposal (``ProposalMember``) that any account may hold.
    """

    ADMIN = "admin"
    REVIEWER = "reviewer"
    LEAD = "lead"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def speaks_for_body(self) -> bool:
        """Reviewers and leads comment as their body where it is consulted."""
        return self in BODY_ROLES


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.REVIEWER: _l("Department reviewer"),
    Role.LEAD: _l("Department lead"),
}
# The role groups, defined here once: nowhere else spells out a tuple of roles.
BODY_ROLES = frozenset({Role.REVIEWER, Role.LEAD})


class Department(TimestampMixin, db.Model):
    """A body of the portal: it may lead the drafting of one proposal and be consulted on others."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[DepartmentKind] = mapped_column(
        enum_column(DepartmentKind), nullable=False, default=DepartmentKind.DEPARTMENT
    )
    email: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The body's contact telephone, shown to the board on the participation page.
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    is_active: Mapped[bool] = mapped_column(nullable=False, default=True)

    users: Mapped[list[User]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.code}>"

    @classmethod
    def by_code(cls, code: str) -> Department | None:
        return db.session.scalar(select(cls).where(func.upper(cls.code) == code.strip().upper()))

    @classmethod
    def active_choices(cls) -> list[Department]:
        return list(
            db.session.scalars(select(cls).where(cls.is_active.is_(True)).order_by(cls.name))
        )


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    full_name: Mapped[str] = mapped_column(String(255), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    is_active: Mapped[bool] = mapped_column(nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Notifications by e-mail come once a day in one message instead of one by one.
    email_digest: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=false()
    )
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Given by an administrator: this account may start proposals (and chairs what it starts).
    may_create_proposals: Mapped[bool] = mapped_column(
        nullable=False, default=False, server_default=false()
    )

    department: Mapped[Department | None] = relationship(back_populates="users")
    seats: Mapped[list[ProposalMember]] = relationship(  # noqa: F821
        "ProposalMember", back_populates="user", cascade="all, delete-orphan", viewonly=False
    )

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    # The token of the session this request runs in (set when it is loaded or started);
    # Flask-Login keeps it, not the id, in the session and remember-me cookies.
    session_key = None  # str | None, not a column
    current_session = None  # UserSession | None, not a column

    def get_id(self) -> str | None:
        return self.session_key

    def set_password(self, password: str) -> None:
        """A new password ends every session of the account (the caller may start one)."""
        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        )
        self.end_sessions()
        self.revoke_api_tokens()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self, *, keep: UserSession | None = None) -> int:
        """Sign the account out everywhere (but in ``keep``); returns how many ended."""
        if self.id is None:
            return 0
        query = update(UserSession).where(
            UserSession.user_id == self.id, UserSession.ended_at.is_(None)
        )
        if keep is not None:
            query = query.where(UserSession.id != keep.id)
        return db.session.execute(
            query.values(ended_at=utcnow()).execution_options(synchronize_session=False)
        ).rowcount

    def revoke_api_tokens(self) -> int:
        """Revoke every live personal access token of the account; returns how many."""
        if self.id is None:
            return 0
        return db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == self.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_lead(self) -> bool:
        return self.role is Role.LEAD

    @property
    def body_id(self) -> int | None:
        """The body this account speaks for as reviewer or lead (None for administrators)."""
        return self.department_id if self.role in BODY_ROLES else None

    def can_create_proposals(self) -> bool:
        return self.is_authenticated and (self.is_admin or self.may_create_proposals)

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == normalise_email(email)))


class SignInFailures(db.Model):
    """Recent failed sign-ins for one email as typed, and the lock they led to.

    Kept by email rather than on the account so that an unknown email is locked just like
    a real one: the lockout message tells nobody which accounts exist.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    failures: Mapped[int] = mapped_column(nullable=False, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def __repr__(self) -> str:
        return f"<SignInFailures {self.email} {self.failures}>"


class UserSession(db.Model):
    """One signed-in browser (later also an API token): signing out ends it on the server,
    whichever app server the next request reaches.

    Only a hash of the token is stored, so a copy of the database (a backup) opens nothing.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    remember: Mapped[bool] = mapped_column(nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    def is_live(self, now: datetime) -> bool:
        return self.ended_at is None and self.expires_at > now

    @property
    def browser(self) -> str:
        """A short name of the browser and system, from the user agent."""
        agent = self.user_agent or ""
        names = [n for n in _BROWSERS if n in agent][:1] + [n for n in _SYSTEMS if n in agent][:1]
        return " · ".join(_BROWSER_LABELS.get(n, n) for n in names) or agent[:60]


class ApiScope(enum.StrEnum):
    """What a personal access token may do: read, or read and write (a write token reads too)."""

    READ = "read"
    WRITE = "write"

    @property
    def label(self) -> str:
        return str(API_SCOPE_LABELS[self])


API_SCOPE_LABELS = {
    ApiScope.READ: _l("Read"),
    ApiScope.WRITE: _l("Read and write"),
}


class ApiToken(db.Model):
    """A personal access token for the JSON API, made and revoked by its owner.

    Like a session, only the SHA-256 hash of the token is stored: the token itself is
    shown once, when it is made. It ends at its expiry, when revoked, when the owner's
    password changes and when the account is deactivated.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    scope: Mapped[ApiScope] = mapped_column(enum_column(ApiScope), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r} of user {self.user_id}>"

    hash_token = staticmethod(UserSession.hash_token)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def allows(self, scope: ApiScope) -> bool:
        """A write token reads too; a read token only reads."""
        return scope is ApiScope.READ or self.scope is ApiScope.WRITE


# Checked in this order: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = ("Edg", "OPR", "Firefox", "Chrome", "Safari", "curl", "python")
_SYSTEMS = ("Windows", "Android", "iPhone", "iPad", "Mac OS", "Linux")
_BROWSER_LABELS = {"Edg": "Edge", "OPR": "Opera", "Mac OS": "macOS"}


def normalise_email(email: str) -> str:
    return email.strip().lower()
