"""Home page and language switch."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.extensions import db
from consult.forms import EmptyForm
from consult.main import bp
from consult.models import Draft, Proposal, Seat
from consult.utils import safe_next_url


@dataclass
class DraftCard:
    """A draft on the home page and what the visitor may do with it."""

    draft: Draft
    seat: Seat | None
    has_body: bool
    can_manage: bool
    can_report: bool
    can_run_workshops: bool
    # The board's next draft, while the published one above is still worked on.
    preparing: Draft | None = None


@bp.route("/")
def index():
    """The home page: the visitor's proposals, those they draft first, then those their body
    is consulted on, then the others they may read; each with its latest visible draft."""
    proposals = db.session.scalars(select(Proposal).order_by(Proposal.created_at.desc())).all()
    groups: dict[str, list[DraftCard]] = {"drafting": [], "consulted": [], "other": []}
    for proposal in proposals:
        if not proposal.can_view(current_user):
            continue
        latest = proposal.latest_visible_draft(current_user)
        if latest is None:
            continue
        published = [d for d in proposal.drafts if d.is_published and d.can_view(current_user)]
        draft = published[-1] if published else latest
        card = DraftCard(
            draft=draft,
            seat=proposal.seat_of(current_user),
            has_body=proposal.speaks_for(current_user) is not None,
            can_manage=draft.can_manage(current_user) and draft.is_published,
            can_report=draft.can_report(current_user) and draft.is_published,
            can_run_workshops=draft.can_run_workshops(current_user) and draft.is_published,
            preparing=latest if latest is not draft else None,
        )
        if card.seat is not None:
            groups["drafting"].append(card)
        elif card.has_body and draft.invitation_for(proposal.speaks_for(current_user)):
            groups["consulted"].append(card)
        else:
            groups["other"].append(card)
    return render_template("main/index.html", groups=groups)


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
