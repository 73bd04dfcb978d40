"""How Flask-Login finds the signed-in user: from a session row on the server."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from consult.extensions import db
from consult.models import User
from consult.services import sessions


def load_user(session_token: str) -> User | None:
    # The cookie holds the token of a session row: signing out, a changed password or a
    # deactivated account ends the row, and with it the cookie, on every app server.
    return sessions.load(session_token)


def init_login_manager(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def init_app(app: Flask) -> None:
    @app.before_request
    def note_session_use():
        # Before the view, so that this small commit never carries a view's changes.
        if request.endpoint == "static" or not current_user.is_authenticated:
            return
        session = current_user.current_session
        if session is not None and sessions.touch_due(session):
            sessions.touch(session)
            db.session.commit()
