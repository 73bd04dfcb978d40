"""Home page and language switch."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.extensions import db
from consult.forms import EmptyForm
from consult.main import bp
from consult.models import Proposal
from consult.utils import safe_next_url


@bp.route("/")
def index():
    """The home page: the published drafts the visitor may read, newest first."""
    proposals = db.session.scalars(select(Proposal).order_by(Proposal.created_at.desc())).all()
    drafts = [
        draft
        for proposal in proposals
        if proposal.can_view(current_user)
        for draft in [proposal.latest_visible_draft(current_user)]
        if draft is not None
    ]
    return render_template("main/index.html", drafts=drafts)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    form = EmptyForm()
    if code not in current_app.config["LANGUAGES"]:
        flash(_("This language is not available."), "error")
    elif form.validate_on_submit():
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next")))
