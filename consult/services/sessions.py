"""Sessions kept on the server: started at sign-in, looked up on every request, ended at
sign-out, by a password change or deactivation, or by the person from their sessions page."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from consult.extensions import db
from consult.models import AuditAction, User, UserSession
from consult.models.base import utcnow
from consult.services import audit

# last_seen_at is written at most this often, so a busy page costs no write per request.
TOUCH_EVERY = timedelta(minutes=1)


def _lifetime(remember: bool) -> timedelta:
    config = current_app.config
    if remember:
        return config["REMEMBER_COOKIE_DURATION"]
    return config["SESSION_IDLE_TIMEOUT"]


def start(
    user: User, *, remember: bool, user_agent: str | None = None, ip_address: str | None = None
) -> str:
    """A new session for ``user``; returns its token (kept by the browser, hashed here)."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    session = UserSession(
        user=user,
        token_hash=UserSession.hash_token(token),
        remember=remember,
        created_at=now,
        last_seen_at=now,
        expires_at=now + _lifetime(remember),
        user_agent=(user_agent or "")[:255] or None,
        ip_address=(ip_address or "")[:64] or None,
    )
    db.session.add(session)
    db.session.flush()
    user.session_key, user.current_session = token, session
    return token


def load(token: str, now: datetime | None = None) -> User | None:
    """The active user whose live session holds ``token``, or None."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    found = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.token_hash == UserSession.hash_token(token),
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
            User.is_active.is_(True),
        )
    ).first()
    if found is None:
        return None
    session, user = found
    user.session_key, user.current_session = token, session
    return user


def touch_due(session: UserSession, now: datetime | None = None) -> bool:
    return (now or utcnow()) - session.last_seen_at >= TOUCH_EVERY


def touch(session: UserSession, now: datetime | None = None) -> None:
    """Record that the session was used; a session without remember-me lives on."""
    now = now or utcnow()
    values = {"last_seen_at": now}
    if not session.remember:
        values["expires_at"] = now + _lifetime(False)
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session.id, UserSession.ended_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def end(session: UserSession) -> None:
    if session.ended_at is None:
        session.ended_at = utcnow()
    db.session.flush()


def end_one_of_mine(user: User, session_id: int | None) -> UserSession | None:
    """End one of ``user``'s live sessions by id; None when it is not theirs (or over)."""
    session = next((s for s in live_sessions(user) if s.id == session_id), None)
    if session is not None:
        end(session)
        audit.record(AuditAction.SESSION_END, session, actor=user)
    return session


def end_others(user: User) -> int:
    """End every session of ``user`` but the one of this request."""
    ended = user.end_sessions(keep=user.current_session)
    if ended:
        audit.record(AuditAction.SESSION_END, actor=user, detail={"sessions": ended})
    return ended


def live_sessions(user: User) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.expires_at > utcnow(),
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )
