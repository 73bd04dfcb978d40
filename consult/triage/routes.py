"""The inbox of submitted comments, the triage page of a comment, and the dashboard."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from consult.extensions import db
from consult.forms import EmptyForm
from consult.models import Comment, CommentKind, CommentStatus, Draft, Section, User
from consult.permissions import load_draft, load_or_404, login_required
from consult.services import comments as comment_service
from consult.services import triage as triage_service
from consult.services.triage import InboxFilters, TriageConflict, TriageError
from consult.triage import bp
from consult.triage.forms import AnswerForm, BulkForm, LinkForm, MessageForm
from consult.utils import (
    draft_url,
    flash_form_errors,
    paginate_by_ids,
    paginate_walk,
    parse_ids,
    safe_next_url,
)


def load_comment_for_triage(comment_id: int) -> Comment:
    return load_or_404(Comment, comment_id, can="triage")


def triage_url(comment: Comment, **kw) -> str:
    return url_for("triage.triage_comment", comment_id=comment.id, **kw)


@bp.route("/proposals/<code>/drafts/<int:number>/inbox")
@login_required
def inbox(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    filters = InboxFilters.from_args(request.args)
    page = _inbox_page(draft, filters)
    members = triage_service.team_members(draft.proposal)
    departments = comment_service.commenting_departments(draft)
    return render_template(
        "triage/inbox.html",
        draft=draft,
        proposal=draft.proposal,
        page=page,
        filters=filters,
        members=members,
        departments=departments,
        statuses=list(CommentStatus),
        kinds=list(CommentKind),
        # Each status's and kind's label translated once, not once per row.
        labels={m: str(m.label) for m in (*CommentStatus, *CommentKind)},
        bulk_form=BulkForm(members),
    )


def _inbox_page(draft: Draft, filters: InboxFilters):
    """The page of the inbox the URL asks for, found the cheapest way its order allows.

    In an order that keeps groups together (sections), the groups are counted and only
    the page's are read. A search is first asked for its matches up to a limit: a few are
    then paged as a list of ids; very many are not counted (that would read them all), and
    the page is found by walking the groups, testing the search on their rows."""
    loading = triage_service.inbox_loading()
    search = {}
    if filters.q and triage_service.SORTS[filters.sort].group is not None:
        limit = current_app.config["INBOX_SEARCH_COUNT_LIMIT"]
        matches = triage_service.inbox_search_matches(draft, filters, limit)
        if matches is None:
            return paginate_walk(
                triage_service.inbox_query(draft, filters),
                *loading,
                values=triage_service.inbox_group_values(draft, filters),
                group_rows=lambda value: triage_service.inbox_group_rows(
                    draft, filters, value, scan=True
                ),
                limit=limit,
            )
        search = {"matches": matches}
    groups = triage_service.inbox_groups(draft, filters, **search)
    return paginate_by_ids(
        triage_service.inbox_query(draft, filters, **search),
        *loading,
        count_apart=not filters.q,  # a text search runs once, counted as it goes
        count_select=triage_service.inbox_filtered(draft, filters, **search),
        groups=groups,
        group_rows=lambda value: triage_service.inbox_group_rows(draft, filters, value, **search),
    )


@bp.route("/proposals/<code>/drafts/<int:number>/inbox/bulk", methods=["POST"])
@login_required
def bulk_action(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    members = triage_service.team_members(draft.proposal)
    form = BulkForm(members)
    target = safe_next_url(request.form.get("next"), draft_url(draft, "triage.inbox"))
    ids = parse_ids(request.form.getlist("comment_id"))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(target)
    comments = list(
        db.session.scalars(select(Comment).where(Comment.id.in_(ids), Comment.draft_id == draft.id))
    )
    if not comments:
        flash(_("Select at least one comment."), "error")
        return redirect(target)
    try:
        if form.action.data == "assign":
            assignee = (
                db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
            )
            n = triage_service.bulk_assign(comments, current_user, assignee)
        else:
            n = triage_service.bulk_answer(
                comments, current_user, CommentStatus(form.status.data), form.answer.data
            )
    except TriageError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(ngettext("%(num)d comment updated.", "%(num)d comments updated.", n), "success")
    return redirect(target)


def _triage_page(comment: Comment, form: AnswerForm, status: int = 200):
    next_draft = triage_service.next_draft_of(comment.draft)
    link_form = LinkForm(next_draft.sections if next_draft else [])
    link_form.section_id.data = comment.addressed_in_id or 0
    return render_template(
        "triage/comment.html",
        comment=comment,
        draft=comment.draft,
        form=form,
        link_form=link_form,
        next_draft=next_draft,
        message_form=MessageForm(),
        similar=triage_service.similar_comments(comment),
        button=EmptyForm(),
    ), status


@bp.route("/comments/<int:comment_id>/triage", methods=["GET", "POST"])
@login_required
def triage_comment(comment_id: int):
    comment = load_comment_for_triage(comment_id)
    members = triage_service.team_members(comment.draft.proposal)
    form = AnswerForm(members)
    if request.method == "GET":
        form.status.data = comment.status.value
        form.answer.data = comment.answer
        form.assignee_id.data = comment.assignee_id or 0
        form.version.data = comment.version
    if form.validate_on_submit():
        assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
        try:
            if comment.duplicate_of is None:
                triage_service.answer_comment(
                    comment,
                    current_user,
                    status=CommentStatus(form.status.data),
                    answer=form.answer.data,
                    expected_version=form.version.data,
                )
            triage_service.assign_comment(comment, current_user, assignee)
            db.session.commit()
        except TriageConflict as exc:
            db.session.rollback()
            form.answer.errors.append(str(exc))
            return _triage_page(comment, form, 409)
        except StaleDataError:
            db.session.rollback()
            form.answer.errors.append(
                _("Someone saved this comment at the same moment. Reload it and try again.")
            )
            return _triage_page(comment, form, 409)
        except TriageError as exc:
            db.session.rollback()
            form.answer.errors.append(str(exc))
            return _triage_page(comment, form, 422)
        flash(_("Comment #%(id)d saved.", id=comment.id), "success")
        return redirect(triage_url(comment))
    return _triage_page(comment, form, 422 if form.errors else 200)


@bp.route("/comments/<int:comment_id>/duplicates", methods=["POST"])
@login_required
def mark_duplicates(comment_id: int):
    comment = load_comment_for_triage(comment_id)
    if EmptyForm().validate_on_submit():
        ids = parse_ids(request.form.getlist("duplicate_id"))
        others = list(db.session.scalars(select(Comment).where(Comment.id.in_(ids))))
        try:
            if not others:
                raise TriageError(_("Select the comments that say the same thing."))
            triage_service.mark_duplicates(comment, others, current_user)
        except TriageError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d comment merged: it will receive the answer of #%(id)d.",
                    "%(num)d comments merged: they will receive the answer of #%(id)d.",
                    len(others),
                    id=comment.effective.id,
                ),
                "success",
            )
    return redirect(triage_url(comment))


@bp.route("/comments/<int:comment_id>/separate", methods=["POST"])
@login_required
def separate_duplicate(comment_id: int):
    comment = load_comment_for_triage(comment_id)
    if EmptyForm().validate_on_submit():
        triage_service.separate_duplicate(comment, current_user)
        db.session.commit()
        flash(_("The comment is answered on its own again."), "success")
    return redirect(triage_url(comment))


@bp.route("/comments/<int:comment_id>/link", methods=["POST"])
@login_required
def link_section(comment_id: int):
    comment = load_comment_for_triage(comment_id)
    next_draft = triage_service.next_draft_of(comment.draft)
    form = LinkForm(next_draft.sections if next_draft else [])
    if form.validate_on_submit():
        section = db.session.get(Section, form.section_id.data) if form.section_id.data else None
        try:
            triage_service.link_to_section(comment, current_user, section)
        except TriageError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Link saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(triage_url(comment))


@bp.route("/comments/<int:comment_id>/messages", methods=["POST"])
@login_required
def post_message(comment_id: int):
    comment = load_or_404(Comment, comment_id)
    if not comment.can_discuss(current_user):
        abort(403)
    form = MessageForm()
    if form.validate_on_submit():
        triage_service.post_message(comment, current_user, form.body.data)
        db.session.commit()
        flash(_("Message sent."), "success")
    else:
        flash_form_errors(form)
    if comment.can_triage(current_user):
        return redirect(triage_url(comment, _anchor="discussion"))
    return redirect(url_for("comments.view_comment", comment_id=comment.id, _anchor="discussion"))


@bp.route("/proposals/<code>/drafts/<int:number>/dashboard")
@login_required
def dashboard(code: str, number: int):
    draft = load_draft(code, number, can="report")
    return render_template(
        "triage/dashboard.html",
        draft=draft,
        proposal=draft.proposal,
        board=triage_service.dashboard(draft),
        statuses=list(CommentStatus),
    )
