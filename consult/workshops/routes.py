"""Workshops: list, create, edit, attendance, comments from the floor, packet and report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.forms import EmptyForm
from consult.jobs.views import started
from consult.models import Comment, CommentKind, Department, Section, Workshop
from consult.permissions import load_draft, load_or_404, login_required
from consult.services import comments as comment_service
from consult.services import exports
from consult.services import workshops as workshop_service
from consult.services.workshops import WorkshopError
from consult.timeutil import from_vietnam_local, to_vietnam_local
from consult.utils import download_response, flash_form_errors, parse_ids
from consult.workshops import bp
from consult.workshops import jobs as workshop_jobs
from consult.workshops.forms import FloorCommentForm, GuestForm, WorkshopForm


def _consulted_bodies(draft):
    return draft.proposal.consultable(Department.active_choices())


def _form(draft, workshop=None):
    return WorkshopForm(draft.sections, _consulted_bodies(draft), obj=workshop)


def workshop_url(workshop: Workshop, **kw) -> str:
    return url_for("workshops.view_workshop", workshop_id=workshop.id, **kw)


@bp.route("/proposals/<code>/drafts/<int:number>/workshops")
@login_required
def list_workshops(code: str, number: int):
    draft = load_draft(code, number, can="run_workshops")
    workshops = db.session.scalars(
        select(Workshop)
        .where(Workshop.draft_id == draft.id)
        .options(selectinload(Workshop.agenda), selectinload(Workshop.comments))
        .order_by(Workshop.starts_at)
    ).all()
    return render_template(
        "workshops/list.html", draft=draft, proposal=draft.proposal, workshops=workshops
    )


def _save(form, draft, workshop=None):
    agenda = db.session.scalars(
        select(Section).where(Section.id.in_(form.agenda.data or []), Section.draft_id == draft.id)
    ).all()
    invited = db.session.scalars(
        select(Department).where(Department.id.in_(form.invited.data or []))
    ).all()
    return workshop_service.save_workshop(
        workshop,
        draft=draft,
        organizer=current_user._get_current_object(),
        title=form.title.data,
        starts_at=from_vietnam_local(form.starts_at.data),
        place=form.place.data,
        notes=form.notes.data,
        agenda=list(agenda),
        invited=list(invited),
    )


@bp.route("/proposals/<code>/drafts/<int:number>/workshops/new", methods=["GET", "POST"])
@login_required
def create_workshop(code: str, number: int):
    draft = load_draft(code, number, can="run_workshops")
    form = _form(draft)
    if form.validate_on_submit():
        try:
            workshop = _save(form, draft)
        except WorkshopError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Workshop created."), "success")
            return redirect(workshop_url(workshop))
    return render_template("workshops/form.html", draft=draft, form=form, workshop=None), (
        422 if form.errors else 200
    )


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit_workshop(workshop_id: int):
    workshop = load_or_404(Workshop, workshop_id, can="edit")
    draft = workshop.draft
    form = _form(draft, workshop)
    if request.method == "GET":
        form.starts_at.data = to_vietnam_local(workshop.starts_at)
        form.agenda.data = [s.id for s in workshop.agenda]
        form.invited.data = [p.department_id for p in workshop.participants if p.department_id]
    if form.validate_on_submit():
        try:
            _save(form, draft, workshop)
        except WorkshopError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Workshop saved."), "success")
            return redirect(workshop_url(workshop))
    return render_template("workshops/form.html", draft=draft, form=form, workshop=workshop), (
        422 if form.errors else 200
    )


@bp.route("/workshops/<int:workshop_id>")
@login_required
def view_workshop(workshop_id: int):
    workshop = load_or_404(Workshop, workshop_id)
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.workshop_id == workshop.id, Comment.deleted_at.is_(None))
        .options(*comment_service.card_loading())
        .order_by(Comment.id)
    ).all()
    return render_template(
        "workshops/view.html",
        workshop=workshop,
        comments=comments,
        draft=workshop.draft,
        can_edit=workshop.can_edit(current_user),
        accepts_floor_comments=workshop.accepts_floor_comments(),
        can_allow_early=workshop.can_allow_early_recording(current_user),
        guest_form=GuestForm(),
        comment_form=FloorCommentForm(workshop),
        button=EmptyForm(),
    )


@bp.route("/workshops/<int:workshop_id>/attendance", methods=["POST"])
@login_required
def record_attendance(workshop_id: int):
    workshop = load_or_404(Workshop, workshop_id, can="edit")
    if EmptyForm().validate_on_submit():
        workshop_service.record_attendance(
            workshop, set(parse_ids(request.form.getlist("present"))), actor=current_user
        )
        db.session.commit()
        flash(_("Attendance saved."), "success")
    return redirect(workshop_url(workshop, _anchor="attendance"))


@bp.route("/workshops/<int:workshop_id>/guests", methods=["POST"])
@login_required
def add_guest(workshop_id: int):
    workshop = load_or_404(Workshop, workshop_id, can="edit")
    form = GuestForm()
    if form.validate_on_submit():
        workshop_service.add_guest(
            workshop, form.guest_name.data, form.guest_organization.data, actor=current_user
        )
        db.session.commit()
        flash(_("Guest added."), "success")
    else:
        flash_form_errors(form)
    return redirect(workshop_url(workshop, _anchor="attendance"))


@bp.route("/workshops/<int:workshop_id>/comments", methods=["POST"])
@login_required
def record_comment(workshop_id: int):
    workshop = load_or_404(Workshop, workshop_id, can="edit")
    form = FloorCommentForm(workshop)
    if form.validate_on_submit():
        participant = next(p for p in workshop.participants if p.id == form.participant_id.data)
        section = db.session.get(Section, form.section_id.data) if form.section_id.data else None
        try:
            workshop_service.record_floor_comment(
                workshop,
                current_user._get_current_object(),
                section=section,
                participant=participant,
                kind=CommentKind(form.kind.data),
                body=form.body.data,
            )
        except WorkshopError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Comment recorded; it enters triage."), "success")
    else:
        flash_form_errors(form)
    return redirect(workshop_url(workshop, _anchor="floor"))


@bp.route("/workshops/<int:workshop_id>/early-recording", methods=["POST"])
@login_required
def set_early_recording(workshop_id: int):
    """The board chair or an organizer allows comments from the floor before the day."""
    workshop = load_or_404(Workshop, workshop_id, can="allow_early_recording")
    if EmptyForm().validate_on_submit():
        allowed = request.form.get("allowed") == "1"
        workshop_service.set_early_recording(workshop, allowed, actor=current_user)
        db.session.commit()
        if allowed:
            flash(_("Comments from the floor can be recorded before the workshop."), "success")
        else:
            flash(_("Comments from the floor are recorded from the workshop's day on."), "success")
    return redirect(workshop_url(workshop, _anchor="floor"))


@bp.route("/workshops/<int:workshop_id>/<kind>.<fmt>", methods=["GET", "POST"])
@login_required
def download(workshop_id: int, kind: str, fmt: str):
    workshop = load_or_404(Workshop, workshop_id)
    if kind not in ("packet", "report") or fmt not in ("docx", "pdf"):
        abort(404)
    exports.record_download(
        f"workshop-{kind}", workshop, actor=current_user, allowed=workshop.can_view, format=fmt
    )
    if request.method == "POST":  # made by a worker; its page shows the progress
        return started(workshop_jobs.start(workshop, kind, fmt, current_user))
    db.session.commit()
    return download_response(
        workshop_jobs.write(workshop, kind, fmt),
        workshop_jobs.filename(workshop, kind, fmt),
        workshop_jobs.MIMETYPES[fmt],
    )
