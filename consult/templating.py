"""Jinja filters and globals: dates in Vietnam time, the language switch, role labels."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import get_locale

from consult.forms import EmptyForm
from consult.i18n import vn_datetime


def _unread_notifications() -> int:
    """The bell's count, asked for only where the page shows the bell."""
    from flask_login import current_user

    from consult.services.notifications import unread_count

    if not current_user or not current_user.is_authenticated:
        return 0
    return unread_count(current_user)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def portal_context() -> dict:
        return {
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "button_form": EmptyForm(),
            "current_path": request.full_path.rstrip("?") if request else "/",
            "unread_notifications": _unread_notifications,
        }
