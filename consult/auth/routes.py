"""Sign-in, sign-out, password change, sessions and personal access tokens for the API."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.auth import bp, throttle
from consult.auth.forms import ApiTokenForm, ChangePasswordForm, LoginForm
from consult.extensions import db
from consult.forms import EmptyForm
from consult.models import ApiScope
from consult.services import accounts as account_service
from consult.services import api_tokens as token_service
from consult.services import sessions as session_service
from consult.utils import safe_next_url


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        # Counted before the password is checked (consult.auth.throttle). Beyond the limit
        # only someone who has signed in from this address before has the password checked:
        # a colleague behind the office's address still signs in, a script spraying
        # passwords over many accounts from a new address gets 429 without any check.
        within = throttle.take_a_place(address)
        if not within and not account_service.has_signed_in_from(form.email.data, address):
            abort(429)
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
            if not within:
                abort(429)
        else:
            throttle.give_back(address)
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
            account_service.record_sign_out(current_user._get_current_object())
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
        try:
            confirmed = account_service.confirm_password(user, form.current_password.data)
        except account_service.SignInLocked as exc:
            db.session.commit()  # the count, the audit events, the ended sessions
            logout_user()
            flash(str(exc), "error")
            return redirect(url_for("auth.login"))
        if not confirmed:
            form.current_password.errors.append(_("The current password is not correct."))
        elif user.check_password(form.new_password.data):
            form.new_password.errors.append(_("Choose a password different from the current one."))
        if form.errors:
            db.session.commit()  # the failure count and its audit event
            return render_template("auth/change_password.html", form=form), 422
        remember = bool(user.current_session and user.current_session.remember)
        # A new password ends every session, this one too ...
        account_service.change_own_password(user, form.new_password.data)
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


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """Personal access tokens for the API: made here, shown once, revoked here."""
    user = current_user._get_current_object()
    form = ApiTokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = token_service.create(
                user, name=form.name.data, scope=ApiScope(form.scope.data), days=form.days.data
            )
        except token_service.TokenError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            form = ApiTokenForm(formdata=None)
    return render_template(
        "auth/tokens.html",
        tokens=token_service.live_tokens(user),
        form=form,
        secret=secret,
        button=EmptyForm(),
    ), 422 if form.errors else 200


@bp.route("/account/tokens/revoke", methods=["POST"])
@login_required
def revoke_api_token():
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if token_service.revoke(user, request.form.get("token_id", type=int)) is None:
        abort(404)
    db.session.commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("auth.api_tokens"))
