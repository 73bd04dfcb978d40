"""Sign-in, sign-out and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.auth import bp
from consult.auth.forms import ChangePasswordForm, LoginForm
from consult.extensions import db, limiter
from consult.forms import EmptyForm
from consult.services import accounts as account_service


def safe_next_url(target: str | None, default: str | None = None) -> str:
    """Only local paths are followed after a form, never another site (open redirect)."""
    if target:
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
            login_user(user, remember=form.remember_me.data)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            return redirect(safe_next_url(request.args.get("next")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            account_service.record_sign_out(current_user._get_current_object())
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
        account_service.change_own_password(user, form.new_password.data)
        db.session.commit()
        # The new session token ends the other sessions; keep this one signed in.
        login_user(user)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form), 200 if not form.errors else 422
