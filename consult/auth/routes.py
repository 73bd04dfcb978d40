"""Sign-in, sign-out and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.auth import bp
from consult.auth.forms import ChangePasswordForm, LoginForm
from consult.extensions import db, limiter
from consult.forms import EmptyForm
from consult.models import AuditAction
from consult.services import accounts as account_service
from consult.services import audit
from consult.services import sessions as session_service


def safe_next_url(target: str | None, default: str | None = None) -> str:
    """Only local paths are followed after a form, never another site (open redirect)."""
    # No control character or space either: a line break in a Location header would end
    # it (header injection) and is a 500 in Werkzeug.
    if target and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        parts = urlsplit(target)
        local = target.startswith("/") and not target.startswith("//")
        if local and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return default or url_for("main.index")


def _failed_attempt(response) -> bool:
    return response.status_code >= 400


@bp.route("/login", methods=["GET", "POST"])
# Per client address, counting only refused attempts: a whole office behind one address
# signs in freely, a password-guessing script gets 429 after a few tries.
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed_attempt
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = account_service.sign_in(form.email.data, form.password.data)
        except account_service.SignInLocked as exc:
            user = None
            form.password.errors.append(str(exc))
        else:
            if user is None:
                # The same message whether the email is unknown or the password wrong.
                form.password.errors.append(_("The email or password is not correct."))
        if user is None:
            db.session.commit()  # the failure count and the audit events
        else:
            _start_session(user, remember=form.remember_me.data)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            return redirect(safe_next_url(request.args.get("next")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


def _start_session(user, *, remember: bool) -> None:
    session_service.start(
        user,
        remember=remember,
        user_agent=request.user_agent.string,
        ip_address=request.remote_addr,
    )
    login_user(user, remember=remember, duration=current_app.config["REMEMBER_COOKIE_DURATION"])


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            audit.record(AuditAction.LOGOUT)
            if current_user.current_session is not None:
                session_service.end(current_user.current_session)
            db.session.commit()
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
    if form.validate_on_submit():
        remember = bool(user.current_session and user.current_session.remember)
        user.set_password(form.new_password.data)  # ends every session, this one too
        audit.record(AuditAction.PASSWORD_CHANGE, user)
        _start_session(user, remember=remember)  # ... and keeps this browser signed in
        db.session.commit()
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form), 200 if not form.errors else 422


@bp.route("/account/sessions")
@login_required
def list_sessions():
    user = current_user._get_current_object()
    return render_template(
        "auth/sessions.html",
        sessions=session_service.live_sessions(user),
        current=user.current_session,
        form=EmptyForm(),
    )


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_session():
    user = current_user._get_current_object()
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = session_service.end_one_of_mine(user, request.form.get("session_id", type=int))
    if session is None:
        abort(404)
    db.session.commit()
    if session is user.current_session:
        logout_user()
        flash(_("You have signed out."), "info")
        return redirect(url_for("main.index"))
    flash(_("The session has been ended."), "success")
    return redirect(url_for("auth.list_sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if not EmptyForm().validate_on_submit():
        abort(400)
    session_service.end_others(current_user._get_current_object())
    db.session.commit()
    flash(_("Your other sessions have been ended."), "success")
    return redirect(url_for("auth.list_sessions"))
