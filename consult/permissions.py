"""Who may do what: route decorators and the one helper that loads an object and checks it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user, login_required

from consult.extensions import db
from consult.models import Role

F = TypeVar("F", bound=Callable)
M = TypeVar("M")


def role_required(*roles: Role) -> Callable[[F], F]:
    """Signed in (else the login page) and holding one of ``roles`` (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


admin_required = role_required(Role.ADMIN)


def load_or_404(model: type[M], object_id: int, *, can: str | None = None) -> M:
    """Load ``model`` by id; a missing object is a 404, one the user may not see is a 404 too.

    With ``can="edit"`` the object's ``can_edit(user)`` is also checked and answers 403,
    after visibility: nobody learns that a private object exists.
    """
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    can_view = getattr(obj, "can_view", None)
    if can_view is not None and not can_view(current_user):
        abort(404)
    if can is not None and not getattr(obj, f"can_{can}")(current_user):
        abort(403)
    return obj
