"""Recording audit events, and the filtered list the administrators read and export."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, func, or_, select

from consult.extensions import db
from consult.models import AuditAction, AuditEvent, Department, User
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


@dataclass
class References:
    """The people and objects a page of audit entries names, loaded at once."""

    objects: dict[tuple[str, int], object] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    users_by_email: dict[str, User] = field(default_factory=dict)
    departments_by_code: dict[str, Department] = field(default_factory=dict)


def _model_classes() -> dict[str, type]:
    return {m.class_.__name__: m.class_ for m in db.Model.registry.mappers}


def references(events: Iterable[AuditEvent], details: Iterable[dict]) -> References:
    """Everything the entries name: their objects, and the people and bodies in their
    details (board seats by email, assignees by id, bodies by code); a few queries a page."""
    events, details = list(events), list(details)
    refs = References()
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_type and event.object_id is not None:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    classes = _model_classes()
    for name, ids in wanted.items():
        model = classes.get(name)
        if model is None:
            continue
        for obj in db.session.scalars(select(model).where(model.id.in_(ids))):
            refs.objects[(name, obj.id)] = obj
    emails = {str(d[k]).lower() for d in details for k in ("person", "before") if d.get(k)}
    user_ids = {d["assignee"] for d in details if isinstance(d.get("assignee"), int)}
    codes = {str(d["department"]) for d in details if d.get("department")}
    codes |= {str(d["lead_agency"]) for d in details if d.get("lead_agency")}
    codes |= {str(c) for d in details for c in d.get("invited") or [] if isinstance(c, str)}
    if emails:
        for user in db.session.scalars(select(User).where(func.lower(User.email).in_(emails))):
            refs.users_by_email[user.email.lower()] = user
    if user_ids:
        for user in db.session.scalars(select(User).where(User.id.in_(user_ids))):
            refs.users[user.id] = user
    if codes:
        for dept in db.session.scalars(select(Department).where(Department.code.in_(codes))):
            refs.departments_by_code[dept.code] = dept
    return refs
