"""Accounts and departments: sign-in, creation and updates shared by the admin pages and the CLI."""

from __future__ import annotations

import csv
import functools
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from consult.extensions import db
from consult.models import AuditAction, Department, DepartmentKind, Role, SignInFailures, User
from consult.models.accounts import normalise_email
from consult.models.base import utcnow
from consult.services import audit


@functools.cache
def _dummy_hash() -> str:
    # Checked when the email is unknown, so that a wrong email takes as long as a wrong
    # password and the response time does not reveal which accounts exist.
    return generate_password_hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A rule about accounts was broken; the message is for the user."""


def authenticate(email: str, password: str) -> User | None:
    user = User.by_email(email or "")
    if user is None or not user.is_active:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def has_signed_in_from(email: str, address: str, *, days: int = 90) -> bool:
    """Whether the account of ``email`` had a session from ``address`` in the last days."""
    from consult.models import UserSession

    if not address:
        return False
    return (
        db.session.scalar(
            select(UserSession.id)
            .join(User, User.id == UserSession.user_id)
            .where(
                User.email == normalise_email(email or ""),
                UserSession.ip_address == address[:64],
                UserSession.created_at > utcnow() - timedelta(days=days),
            )
            .limit(1)
        )
        is not None
    )


class SignInLocked(AccountError):
    """Too many failed sign-ins for this email: refused for a while, whatever the password."""


def sign_in(email: str, password: str, *, now: datetime | None = None) -> User | None:
    """Check the credentials, counting failures per email towards a temporary lock.

    Returns the user, or None for a wrong email or password; raises SignInLocked while
    the email is locked (also on the failure that locks it). Unknown emails are counted
    and locked exactly like real ones, so the lock reveals nothing. Leaves the failure
    count and audit events in the session: the caller commits either way.
    """
    now = now or utcnow()
    key = normalise_email(email or "")[:255]
    failures = db.session.scalar(select(SignInFailures).where(SignInFailures.email == key))
    if failures is not None and failures.locked_until is not None and failures.locked_until > now:
        audit.record(AuditAction.LOGIN_FAILED, actor=User.by_email(key), actor_email=key,
                     detail={"reason": "locked"})  # fmt: skip
        raise SignInLocked(_locked_message())
    user = authenticate(email, password)
    if user is not None:
        if failures is not None:
            db.session.delete(failures)
        audit.record(AuditAction.LOGIN, actor=user)
        return user
    known = User.by_email(key)
    audit.record(AuditAction.LOGIN_FAILED, actor=known, actor_email=key)
    if _count_failure(key, failures, now):
        audit.record(AuditAction.LOCKOUT, known, actor=known, actor_email=key)
        raise SignInLocked(_locked_message())
    return None


def confirm_password(user: User, password: str, *, now: datetime | None = None) -> bool:
    """Check the current password of a signed-in ``user`` (before changing it).

    Wrong ones count towards the same per-email lock as sign-ins, each with an audit
    event; raises SignInLocked when the email is (or becomes) locked, having ended every
    session of the account: whoever guesses in an open session is signed out. Leaves the
    count and the events in the session: the caller commits either way.
    """
    now = now or utcnow()
    key = user.email
    failures = db.session.scalar(select(SignInFailures).where(SignInFailures.email == key))
    if failures is not None and failures.locked_until is not None and failures.locked_until > now:
        user.end_sessions()
        raise SignInLocked(_locked_message())
    if user.check_password(password or ""):
        return True
    audit.record(AuditAction.PASSWORD_CHECK_FAILED, user, actor=user)
    if _count_failure(key, failures, now):
        audit.record(AuditAction.LOCKOUT, user, actor=user)
        user.end_sessions()
        raise SignInLocked(_locked_message())
    return False


def _locked_message() -> str:
    return _(
        "Too many failed sign-ins for this email. Sign-in is locked for %(minutes)d minutes; "
        "try again later or ask the administrator to unlock it.",
        minutes=current_app.config["LOCKOUT_MINUTES"],
    )


def _count_failure(key: str, failures: SignInFailures | None, now: datetime) -> bool:
    """Count one failure; True when it locks the email."""
    config = current_app.config
    window = timedelta(minutes=config["LOCKOUT_WINDOW_MINUTES"])
    if failures is None:
        failures = SignInFailures(email=key, failures=0, window_started_at=now)
        try:
            # Two workers may count the first failure at once: the loser reads the winner's row.
            with db.session.begin_nested():
                db.session.add(failures)
        except IntegrityError:
            failures = db.session.scalar(select(SignInFailures).where(SignInFailures.email == key))
    if failures.window_started_at <= now - window or failures.locked_until is not None:
        failures.failures, failures.window_started_at, failures.locked_until = 0, now, None
    failures.failures += 1
    if failures.failures >= config["LOCKOUT_FAILURES"]:
        failures.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
    db.session.flush()
    return failures.locked_until is not None


def is_locked(email: str, *, now: datetime | None = None) -> bool:
    return bool(locked_emails([email], now=now))


def locked_emails(emails, *, now: datetime | None = None) -> set[str]:
    now = now or utcnow()
    keys = [normalise_email(e) for e in emails]
    return set(
        db.session.scalars(
            select(SignInFailures.email).where(
                SignInFailures.email.in_(keys), SignInFailures.locked_until > now
            )
        )
    )


def unlock_sign_in(email: str) -> bool:
    """Forget the failed sign-ins of ``email``; True if it was locked."""
    failures = db.session.scalar(
        select(SignInFailures).where(SignInFailures.email == normalise_email(email))
    )
    if failures is None:
        return False
    was_locked = failures.locked_until is not None and failures.locked_until > utcnow()
    db.session.delete(failures)
    db.session.flush()
    return was_locked


def _detail(via: str | None, **detail) -> dict:
    """What an audit entry says; ``via`` names the way in when not the web (e.g. "cli")."""
    return {**detail, "via": via} if via else detail


def check_department_fits_role(role: Role, department: Department | None) -> None:
    if role.speaks_for_body and department is None:
        raise AccountError(_("Reviewers and leads must belong to a department."))
    if department is not None and not department.is_active:
        raise AccountError(_("This department is deactivated."))


def create_user(
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str,
    department: Department | None,
    locale: str | None = None,
    may_create_proposals: bool = False,
    via: str | None = None,
) -> User:
    email = normalise_email(email)
    if User.by_email(email) is not None:
        raise AccountError(_("An account with this email already exists."))
    check_department_fits_role(role, department)
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        department=department,
        locale=locale,
        may_create_proposals=may_create_proposals,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        AuditAction.USER_CREATE, user, detail=_detail(via, email=user.email, role=user.role)
    )
    return user


def update_user(
    user: User,
    *,
    email: str,
    full_name: str,
    role: Role,
    department: Department | None,
    locale,
    may_create_proposals: bool | None = None,
) -> None:
    old_role = user.role
    email = normalise_email(email)
    other = User.by_email(email)
    if other is not None and other.id != user.id:
        raise AccountError(_("An account with this email already exists."))
    check_department_fits_role(role, department)
    if user.role != role:
        # A new role must not ride on sessions (or API tokens) opened under the old one.
        user.end_sessions()
        user.revoke_api_tokens()
    user.email, user.full_name, user.role = email, full_name.strip(), role
    user.department, user.locale = department, locale
    if may_create_proposals is not None:
        user.may_create_proposals = may_create_proposals
    db.session.flush()
    audit.record(AuditAction.USER_UPDATE, user, detail={"email": user.email})
    if user.role != old_role:
        audit.record(AuditAction.ROLE_CHANGE, user, detail={"from": old_role, "to": user.role})


def set_user_active(
    user: User, active: bool, *, acting_user: User | None = None, via: str | None = None
) -> None:
    if not active and acting_user is not None and acting_user.id == user.id:
        raise AccountError(_("You cannot deactivate your own account."))
    user.is_active = active
    if not active:
        user.end_sessions()
        user.revoke_api_tokens()
    db.session.flush()
    action = AuditAction.USER_ACTIVATE if active else AuditAction.USER_DEACTIVATE
    audit.record(action, user, detail=_detail(via, email=user.email))


def reset_password(user: User, password: str, *, via: str | None = None) -> None:
    """An administrator sets the password: it ends the open sessions and lifts a lock."""
    user.set_password(password)
    unlock_sign_in(user.email)
    audit.record(AuditAction.PASSWORD_RESET, user, detail=_detail(via, email=user.email))


def change_own_password(user: User, password: str) -> None:
    user.set_password(password)
    audit.record(AuditAction.PASSWORD_CHANGE, user, actor=user)


def unlock_account(user: User) -> None:
    unlock_sign_in(user.email)
    audit.record(AuditAction.ACCOUNT_UNLOCK, user, detail={"email": user.email})


def record_sign_out(user: User) -> None:
    audit.record(AuditAction.LOGOUT, actor=user)


def upsert_department(
    *,
    code: str,
    name: str,
    kind: DepartmentKind,
    email: str | None,
    phone: str | None = None,
    department=None,
) -> Department:
    """Create (or, given ``department``, edit) a body, with its audit entry."""
    action = AuditAction.DEPARTMENT_UPDATE if department else AuditAction.DEPARTMENT_CREATE
    department = _upsert_department(
        code=code, name=name, kind=kind, email=email, department=department
    )
    department.phone = " ".join((phone or "").split()) or None
    audit.record(action, department, detail={"code": department.code})
    return department


def _upsert_department(
    *, code: str, name: str, kind: DepartmentKind, email: str | None, department=None
) -> Department:
    code = code.strip().upper()
    existing = Department.by_code(code)
    if existing is not None and (department is None or existing.id != department.id):
        raise AccountError(_("The code %(code)s is already used.", code=code))
    department = department or Department()
    department.code, department.name, department.kind = code, name.strip(), kind
    department.email = normalise_email(email) if email else None
    db.session.add(department)
    db.session.flush()
    return department


def set_department_active(department: Department, active: bool) -> None:
    department.is_active = active
    action = AuditAction.DEPARTMENT_ACTIVATE if active else AuditAction.DEPARTMENT_DEACTIVATE
    audit.record(action, department, detail={"code": department.code})
    db.session.flush()


@dataclass
class DepartmentImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


DEPARTMENT_CSV_COLUMNS = ("code", "name", "kind", "email")


def import_departments_csv(text: str, *, via: str | None = None) -> DepartmentImportResult:
    """Create or update departments from CSV (code,name,kind,email), all or nothing.

    On any error nothing is written and every error is reported with its line number.
    """
    from email_validator import EmailNotValidError, validate_email

    result = DepartmentImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("code", "name") if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(_("Missing columns: %(cols)s.", cols=", ".join(missing)))
        return result
    rows, seen = [], set()
    for line_no, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip().upper()
        name = (row.get("name") or "").strip()
        kind_raw = (row.get("kind") or "department").strip().lower()
        email = (row.get("email") or "").strip() or None
        if not code or not name:
            result.errors.append(_("Line %(n)d: code and name are required.", n=line_no))
            continue
        if len(code) > 32 or len(name) > 255:
            result.errors.append(_("Line %(n)d: the code or name is too long.", n=line_no))
            continue
        if code in seen:
            result.errors.append(
                _("Line %(n)d: the code %(code)s appears twice.", n=line_no, code=code)
            )
            continue
        try:
            kind = DepartmentKind(kind_raw)
        except ValueError:
            result.errors.append(_("Line %(n)d: unknown kind %(kind)s.", n=line_no, kind=kind_raw))
            continue
        if email:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                result.errors.append(_("Line %(n)d: the email is not valid.", n=line_no))
                continue
        seen.add(code)
        rows.append((code, name, kind, email))
    if result.errors:
        return result
    if not rows:
        result.errors.append(_("The file holds no departments."))
        return result
    existing = {
        d.code: d for d in db.session.scalars(select(Department).where(Department.code.in_(seen)))
    }
    for code, name, kind, email in rows:
        department = existing.get(code)
        if department is None:
            result.created += 1
        else:
            result.updated += 1
        _upsert_department(code=code, name=name, kind=kind, email=email, department=department)
    audit.record(
        AuditAction.DEPARTMENT_IMPORT,
        detail=_detail(via, created=result.created, updated=result.updated),
    )
    return result
