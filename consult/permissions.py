"""Who may open what: route decorators and the helpers that load an object and check it.

The rules themselves are model methods (``Proposal.can_manage``, ``Draft.can_comment``,
``Comment.can_triage`` ...); routes reach them only through the loaders below, which answer
in fixed order: a missing object is a 404; one the user may not see is a 404 too (an
anonymous visitor is asked to sign in); a right reserved to the proposal's insiders (its
board, organizers and administrators) is a 404 for everyone else, so that nobody learns
what a board works on; any other refusal is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn, TypeVar

from flask import abort
from flask_login import current_user, login_required

from consult.extensions import db, login_manager
from consult.models import Draft, Proposal, Section

F = TypeVar("F", bound=Callable)
M = TypeVar("M")

# Rights that only a proposal's insiders hold: refused with a 404, as if nothing were there.
INSIDER_RIGHTS = frozenset(
    {
        "edit",
        "consolidate",
        "manage",
        "manage_board",
        "report",
        "export_everything",
        "run_workshops",
        "triage",
    }
)

__all__ = [
    "admin_required",
    "load_draft",
    "load_or_404",
    "load_proposal",
    "load_section",
    "login_required",
]


def admin_required(view: F) -> F:
    """Signed in (else the login page) and an administrator (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def proposal_creator_required(view: F) -> F:
    """Administrators and the accounts they allowed to start proposals."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.can_create_proposals():
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _not_visible() -> NoReturn:
    """Anonymous visitors are asked to sign in; signed-in users learn nothing (404)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(404)


def _proposal_of(obj) -> Proposal | None:
    if isinstance(obj, Proposal):
        return obj
    draft = obj if isinstance(obj, Draft) else getattr(obj, "draft", None)
    return draft.proposal if draft is not None else None


def check(obj, can: str | None) -> None:
    """Refuse the current user ``obj.can_<can>``: 404 for insiders' rights, else 403."""
    if can is None or getattr(obj, f"can_{can}")(current_user):
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    proposal = _proposal_of(obj)
    # Rights on a proposal or draft (and triage on a comment) belong to its insiders; a
    # comment's "edit" is its department's, refused with a 403 like any other.
    insiders_only = can in INSIDER_RIGHTS and (isinstance(obj, Proposal | Draft) or can == "triage")
    if insiders_only and (proposal is None or not proposal.reads_all_submitted(current_user)):
        abort(404)
    abort(403)


def load_or_404(model: type[M], object_id: int, *, can: str | None = None) -> M:
    """Load ``model`` by id; a missing object is a 404, one the user may not see is a 404 too.

    With ``can="edit"`` the object's ``can_edit(user)`` is also checked, after visibility.
    """
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    can_view = getattr(obj, "can_view", None)
    if can_view is not None and not can_view(current_user):
        abort(404)
    check(obj, can)
    return obj


def load_proposal(code: str, *, can: str | None = None) -> Proposal:
    proposal = Proposal.by_code(code)
    # Missing or hidden answer alike, so that nobody learns which proposals exist.
    if proposal is None or not proposal.can_view(current_user):
        _not_visible()
    check(proposal, can)
    return proposal


def load_draft(code: str, number: int, *, can: str | None = None) -> Draft:
    proposal = load_proposal(code)
    draft = next((d for d in proposal.drafts if d.number == number), None)
    if draft is None or not draft.can_view(current_user):
        _not_visible()
    check(draft, can)
    return draft


def load_section(draft: Draft, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.draft_id != draft.id:
        abort(404)
    return section
