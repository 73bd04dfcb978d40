"""Personal access tokens for the JSON API: made and revoked by their owner, looked up per call."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from consult.extensions import db
from consult.models import ApiScope, ApiToken, AuditAction, User
from consult.models.base import utcnow
from consult.services import audit

# Every token says what it is, so that a leaked one is recognised by secret scanners.
PREFIX = "consult_"
MAX_DAYS = 366
DEFAULT_DAYS = 90
# last_used_at is written at most this often, so a busy script costs no write per call.
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token could not be made; the message is for the user."""


def create(
    user: User, *, name: str, scope: ApiScope, days: int = DEFAULT_DAYS, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, which is never shown again."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_l("Give the token a name."))
    if len(name) > 100:
        raise TokenError(_l("The name is too long (100 characters at most)."))
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(_l("A token lasts from 1 to %(n)d days.", n=MAX_DAYS))
    if not user.is_active:
        raise TokenError(_l("A deactivated account cannot have tokens."))
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        token_hash=ApiToken.hash_token(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        AuditAction.API_TOKEN_CREATE,
        token,
        actor=actor or user,
        detail={"name": name, "scope": scope, "expires_at": token.expires_at},
    )
    return token, secret


def revoke(user: User, token_id: int | None) -> ApiToken | None:
    """Revoke one of ``user``'s live tokens; None when it is not theirs (or already over)."""
    token = next((t for t in live_tokens(user) if t.id == token_id), None)
    if token is not None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record(AuditAction.API_TOKEN_REVOKE, token, actor=user, detail={"name": token.name})
    return token


def live_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > utcnow(),
            )
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def load(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The live token whose secret is ``secret``, of an active account, or None."""
    if not secret or len(secret) > 200:
        return None
    now = now or utcnow()
    found = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == ApiToken.hash_token(secret),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
            User.is_active.is_(True),
        )
    ).first()
    return found[0] if found else None


def touch(token: ApiToken, now: datetime | None = None) -> bool:
    """Record that the token was used (at most once a minute); True if a write is pending."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return True
