"""Who may do what: route decorators, and the helpers that load an object and check it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn, TypeVar

from flask import abort
from flask_login import current_user, login_required

from consult.extensions import db, login_manager
from consult.models import Draft, Proposal, Role, Section

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


def _not_visible() -> NoReturn:
    """Anonymous visitors are asked to sign in; signed-in users learn nothing (404)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(404)


def load_proposal(code: str) -> Proposal:
    """The proposal with ``code``: 404 if there is none or the user may not see it."""
    proposal = Proposal.by_code(code)
    if proposal is None:
        abort(404)
    if not proposal.can_view(current_user):
        _not_visible()
    return proposal


def load_draft(code: str, number: int) -> Draft:
    """Draft ``number`` of proposal ``code``, visible to the user, else 404."""
    proposal = load_proposal(code)
    draft = next((d for d in proposal.drafts if d.number == number), None)
    if draft is None:
        abort(404)
    if not draft.can_view(current_user):
        _not_visible()
    return draft


def load_editable_draft(code: str, number: int) -> Draft:
    """A draft the user may see (else 404) and edit (else 403)."""
    draft = load_draft(code, number)
    if not draft.can_edit(current_user):
        abort(403)
    return draft


def load_section(draft: Draft, section_id: int) -> Section:
    """A section of ``draft`` (one of another draft is a 404 too)."""
    section = db.session.get(Section, section_id)
    if section is None or section.draft_id != draft.id:
        abort(404)
    return section
