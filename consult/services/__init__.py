"""Writes that touch several rows or carry business rules; they flush, the request commits.

Each write checks its actor's right through the models' ``can_*`` methods (``require``),
writes its audit entry and its notifications. ``actor=None`` is the system itself: the
demo loader and the operator's command line, which hold every right.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from consult.exceptions import NotAllowed


def require(actor, allowed: Callable[[object], bool], message=None) -> None:
    """Refuse the change unless ``allowed(actor)``; the system (``actor=None``) may do all."""
    if actor is not None and not allowed(actor):
        raise NotAllowed(message or _l("You are not allowed to do this."))
