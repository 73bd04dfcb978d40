"""Jinja filters and globals: dates in Vietnam time, the language switch, role labels."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request
from flask_babel import format_datetime, get_locale

from consult.forms import EmptyForm


def vn_datetime(value: datetime | None, format: str = "short") -> str:
    """Show a stored UTC time in Vietnam time (BABEL_DEFAULT_TIMEZONE), in the user's locale."""
    if value is None:
        return ""
    return format_datetime(value, format)


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
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["filesize"] = filesize
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
