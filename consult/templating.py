"""Jinja filters and globals: dates in Vietnam time, the language switch, role labels."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import get_locale

from consult.forms import EmptyForm
from consult.history import describe_comment_event
from consult.timeutil import format_date, format_datetime, format_time


def duration(seconds: float | None) -> str:
    """A time span in words, in the user's language ("3 minutes", "khoảng 40 giây")."""
    from datetime import timedelta

    from flask_babel import format_timedelta

    if seconds is None:
        return ""
    return format_timedelta(timedelta(seconds=max(1, seconds)), threshold=1.1)


def filesize(size: int | None) -> str:
    from flask_babel import format_decimal

    if not size:
        return "0 KB"
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"


def _unread_notifications() -> int:
    """The bell's count, asked for only where the page shows the bell."""
    from flask_login import current_user

    from consult.services.notifications import unread_count

    if not current_user or not current_user.is_authenticated:
        return 0
    return unread_count(current_user)


def init_app(app: Flask) -> None:
    # Dates as Vietnamese offices write them, in every language: 02/12/2026, 02/12/2026 08:30.
    app.jinja_env.filters["vn_date"] = format_date
    app.jinja_env.filters["vn_datetime"] = format_datetime
    app.jinja_env.filters["vn_time"] = format_time
    app.jinja_env.filters["history_sentence"] = describe_comment_event
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def portal_context() -> dict:
        return {
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            # Rendering a button reads nothing from the request: the error page of a body too
            # large (413) must not read that body again.
            "button_form": EmptyForm(formdata=None),
            "current_path": request.full_path.rstrip("?") if request else "/",
            "unread_notifications": _unread_notifications,
        }
