"""The consolidation page of a draft in preparation: apply, preview, undo, apply all."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.consolidation import bp
from consult.consolidation.forms import ApplyAllForm, ChangeForm, UndoForm
from consult.documents import passages
from consult.documents.redline import redline_html
from consult.exceptions import NotAllowed
from consult.extensions import db
from consult.models import AppliedChange, ChangeKind, Comment
from consult.permissions import load_draft, load_section, login_required
from consult.services import consolidation
from consult.utils import draft_url

URL = "/proposals/<code>/drafts/<int:number>/consolidation"


def _page(draft, anchor: str | None = None):
    return redirect(draft_url(draft, "consolidation.overview", _anchor=anchor))


@bp.route(URL)
@login_required
def overview(code: str, number: int):
    draft = load_draft(code, number, can="consolidate")
    plans = consolidation.plan(draft)
    return render_template(
        "consolidation/overview.html",
        draft=draft,
        earlier=draft.previous(),
        plans=plans,
        sections=draft.sections,
        automatic=sum(len(p.automatic) for p in plans),
        apply_all_form=ApplyAllForm(),
        undo_form=UndoForm(),
        change_form=ChangeForm(),
        labels=consolidation.REASONS,
    )


def _proposed(draft, form: ChangeForm):
    """The change the form describes, on the section's current text; None with a flash."""
    section = load_section(draft, form.section_id.data)
    comments = list(
        db.session.scalars(select(Comment).where(Comment.id.in_(form.comments.data or [])))
    )
    kind = ChangeKind(form.kind.data)  # one of the form's choices
    try:
        proposed = consolidation.prepare(
            section,
            kind=kind,
            wording=form.wording.data or "",
            start=form.start.data,
            end=form.end.data,
            position=form.position.data,
        )
    except consolidation.ConsolidationError as exc:
        flash(str(exc), "error")
        return section, comments, None
    # A general comment's wording goes at the end of a section chosen with it ("any").
    anywhere = kind is ChangeKind.INSERT and form.base.data == "any"
    if not anywhere and form.base.data != consolidation.fingerprint(section.body):
        flash(
            _("The section changed since you opened it. Look at its text again, then apply."),
            "error",
        )
        return section, comments, None
    return section, comments, proposed


def _read_change(draft, form: ChangeForm):
    """The posted change as (section, comments, proposed, None), or with the page to go back
    to, the reason flashed, as its last item."""
    if not form.validate_on_submit():
        flash(_("The change could not be read: open the consolidation page again."), "error")
        return None, [], None, _page(draft)
    section, comments, proposed = _proposed(draft, form)
    if proposed is None:
        return section, comments, None, _page(draft, section.anchor)
    return section, comments, proposed, None


@bp.route(f"{URL}/preview", methods=["POST"])
@login_required
def preview_change(code: str, number: int):
    draft = load_draft(code, number, can="consolidate")
    form = ChangeForm()
    section, comments, proposed, refused = _read_change(draft, form)
    if refused is not None:
        return refused
    return render_template(
        "consolidation/preview.html",
        draft=draft,
        section=section,
        comments=comments,
        proposed=proposed,
        form=form,
        redline=redline_html(proposed.body_before, proposed.body_after),
    )


@bp.route(f"{URL}/apply", methods=["POST"])
@login_required
def apply_change(code: str, number: int):
    draft = load_draft(code, number, can="consolidate")
    form = ChangeForm()
    section, comments, proposed, refused = _read_change(draft, form)
    if refused is not None:
        return refused
    wording = passages.normalise(proposed.wording)
    edited = all(passages.normalise(c.proposed_text or "") not in wording for c in comments)
    try:
        consolidation.apply_change(
            draft,
            proposed,
            comments,
            current_user,
            base=None if form.base.data == "any" else form.base.data,
            edited=edited,
        )
    except consolidation.ConsolidationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The change is applied in %(section)s.", section=section.title), "success")
    return _page(draft, section.anchor)


@bp.route(f"{URL}/undo", methods=["POST"])
@login_required
def undo_change(code: str, number: int):
    draft = load_draft(code, number, can="consolidate")
    form = UndoForm()
    change = (
        db.session.get(AppliedChange, form.change_id.data) if form.validate_on_submit() else None
    )
    if change is None or change.draft_id != draft.id:
        flash(_("This change was not found: open the consolidation page again."), "error")
        return _page(draft)
    try:
        consolidation.undo_change(change, current_user)
    except consolidation.UndoConflict as conflict:
        db.session.rollback()
        return render_template(
            "consolidation/undo_conflict.html",
            draft=draft,
            change=change,
            current=conflict.current,
            message=str(conflict),
            since=redline_html(change.body_after, conflict.current),
        ), 409
    except (consolidation.ConsolidationError, NotAllowed) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The change is undone."), "success")
    return _page(draft, change.section.anchor)


@bp.route(f"{URL}/apply-all", methods=["POST"])
@login_required
def apply_all(code: str, number: int):
    draft = load_draft(code, number, can="consolidate")
    form = ApplyAllForm()
    if not form.validate_on_submit():
        flash(_("The change could not be read: open the consolidation page again."), "error")
        return _page(draft)
    section = load_section(draft, form.section_id.data) if form.section_id.data else None
    try:
        outcome = consolidation.apply_all(draft, current_user, section)
    except consolidation.ConsolidationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(draft)
    db.session.commit()
    return render_template(
        "consolidation/applied.html", draft=draft, section=section, outcome=outcome
    )
