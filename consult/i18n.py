"""Language selection: Vietnamese by default, English on request, remembered per user."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_datetime
from flask_login import current_user

from consult.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Command-line tools and background jobs speak the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def vn_datetime(value: datetime | None, format: str = "short") -> str:
    """Show a stored UTC time in Vietnam time (BABEL_DEFAULT_TIMEZONE), in the user's locale."""
    if value is None:
        return ""
    return format_datetime(value, format)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
