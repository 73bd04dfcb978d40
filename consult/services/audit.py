"""Recording audit events, and the filtered list the administrators read and export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, or_, select

from consult.extensions import db
from consult.models import AuditAction, AuditEvent, User
from consult.timeutil import VIETNAM

DETAIL_MAX = 2000


def record(
    action: AuditAction,
    obj=None,
    *,
    actor: User | None = None,
    actor_email: str | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Add one event to the session; it is committed with the change it describes.

    The actor is the signed-in user unless given; ``obj`` is any model with an id.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if actor_email is None and actor is not None:
        actor_email = actor.email
    text = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True) if detail else None
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_email=(actor_email or "")[:255] or None,
        ip=_client_address(),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        detail=text[:DETAIL_MAX] if text else None,
    )
    db.session.add(event)
    return event


def _client_address() -> str | None:
    if not has_request_context() or not request.remote_addr:
        return None
    return request.remote_addr[:45]


def record_export(what: str, obj=None, *, actor: User | None = None, **detail) -> AuditEvent:
    """A report, export or download: ``what`` names it (report, draft, attachment...)."""
    return record(AuditAction.EXPORT, obj, actor=actor, detail={"what": what, **detail})


@dataclass
class AuditFilter:
    action: AuditAction | None = None
    user: str = ""
    start: date | None = None
    end: date | None = None

    def query(self) -> Select:
        query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        if self.action is not None:
            query = query.where(AuditEvent.action == self.action)
        if self.user:
            like = f"%{self.user.strip().lower()}%"
            query = query.outerjoin(AuditEvent.actor).where(
                or_(AuditEvent.actor_email.ilike(like), User.full_name.ilike(like))
            )
        # Dates are days in the portal's time zone, both ends included.
        if self.start is not None:
            query = query.where(AuditEvent.created_at >= _local_midnight(self.start))
        if self.end is not None:
            query = query.where(AuditEvent.created_at < _local_midnight(self.end + timedelta(1)))
        return query


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)
