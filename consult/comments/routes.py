"""Writing and reading comments; a department's page; the drafting team's participation view."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult import uploads
from consult.comments import bp
from consult.comments import jobs as word_jobs
from consult.comments.forms import (
    AgreeForm,
    CommentForm,
    ConsultationSettingsForm,
    ExtensionForm,
    ResponseForm,
    WordUploadForm,
    word_choices,
)
from consult.comments.pages import render_draft_page, render_section_page
from consult.documents.participation import XLSX_MIMETYPE, write_participation_xlsx
from consult.extensions import db
from consult.forms import EmptyForm
from consult.jobs.views import started
from consult.models import (
    Attachment,
    Comment,
    CommentKind,
    Department,
    DepartmentResponse,
    Draft,
)
from consult.permissions import load_draft, load_or_404, load_section, login_required
from consult.services import comments as comment_service
from consult.services import consolidation, exports
from consult.services import word as word_service
from consult.services.comments import CommentError
from consult.timeutil import from_vietnam_local
from consult.triage.forms import MessageForm
from consult.utils import download_response, draft_url, flash_form_errors, parse_id, parse_ids

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _speaking_body(draft: Draft) -> int:
    """The body the current user speaks for on the draft's proposal; else 403."""
    if not draft.can_work_as_department(current_user):
        abort(403)
    return draft.proposal.speaks_for(current_user)


def _lead_of_body(draft: Draft) -> int:
    """Only the lead of a body consulted on the proposal acts for it; else 403."""
    department_id = _speaking_body(draft)
    if not current_user.is_lead:
        abort(403)
    return department_id


def comment_url(comment: Comment) -> str:
    if comment.section_id is None:
        return draft_url(comment.draft, _anchor=f"comment-{comment.id}")
    return url_for(
        "drafts.view_section",
        code=comment.draft.proposal.code,
        number=comment.draft.number,
        section_id=comment.section_id,
        _anchor=f"comment-{comment.id}",
    )


# --- writing --------------------------------------------------------------------------------


def comment_fields(form: CommentForm) -> dict:
    return {
        "kind": CommentKind(form.kind.data),
        "body": form.body.data,
        "quote": form.quote.data,
        "quote_prefix": form.quote_prefix.data,
        "quote_suffix": form.quote_suffix.data,
        "proposed_text": form.proposed_text.data,
        "proposes_deletion": form.proposes_deletion.data,
        "files": request.files.getlist(form.files.name),
    }


@bp.route("/proposals/<code>/drafts/<int:number>/comments", methods=["POST"])
@login_required
def create_comment(code: str, number: int):
    draft = load_draft(code, number)
    form = CommentForm()
    section = None
    if form.section_id.data:
        section_id = parse_id(form.section_id.data)
        if section_id is None:
            abort(404)
        section = load_section(draft, section_id)

    def again(status=422):
        if section is None:
            return render_draft_page(draft, form, status)
        return render_section_page(draft, section, form, status)

    _speaking_body(draft)
    if not draft.can_comment(current_user):
        flash(str(comment_service.closed_message(current_user)), "error")
        return again(403)
    if not form.validate_on_submit():
        return again()
    try:
        comment = comment_service.create_comment(
            draft, section, current_user, **comment_fields(form)
        )
    except CommentError as exc:
        db.session.rollback()
        form.body.errors = [str(exc)]
        return again()
    db.session.commit()
    flash(_("Comment saved as a draft of your department. The lead submits it."), "success")
    return redirect(comment_url(comment))


@bp.route("/comments/<int:comment_id>")
@login_required
def view_comment(comment_id: int):
    comment = load_or_404(Comment, comment_id)
    return render_template(
        "comments/comment.html",
        comment=comment,
        can_edit=comment.can_edit(current_user),
        can_delete=comment.can_delete(current_user),
        message_form=MessageForm(),
        button=EmptyForm(),
    )


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment = load_or_404(Comment, comment_id, can="edit")
    form = CommentForm(obj=comment)
    if request.method == "GET":
        form.kind.data = comment.kind.value
    if form.validate_on_submit():
        try:
            comment_service.edit_comment(comment, current_user, **comment_fields(form))
        except CommentError as exc:
            db.session.rollback()
            form.body.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Comment saved."), "success")
            return redirect(comment_url(comment))
    return render_template("comments/edit.html", comment=comment, form=form), (
        422 if form.errors else 200
    )


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(comment_id: int):
    comment = load_or_404(Comment, comment_id, can="delete")
    if EmptyForm().validate_on_submit():
        comment_service.delete_comment(comment, current_user)
        db.session.commit()
        flash(_("Comment removed."), "success")
    return redirect(department_url(comment.draft))


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download_attachment(attachment_id: int):
    attachment = load_or_404(Attachment, attachment_id)
    path = uploads.stored_path(attachment.stored_name)
    if not path.is_file():
        abort(404)
    exports.record_download(
        "attachment",
        attachment,
        actor=current_user,
        allowed=attachment.can_view,
        comment_id=attachment.comment_id,
    )
    db.session.commit()
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )


# --- a department's page --------------------------------------------------------------------


def department_url(draft: Draft) -> str:
    return draft_url(draft, "comments.my_department")


@bp.route("/proposals/<code>/drafts/<int:number>/my-department")
@login_required
def my_department(code: str, number: int):
    draft = load_draft(code, number)
    department_id = _speaking_body(draft)
    responses = comment_service.responses_of(draft, department_id)
    at_workshops = comment_service.said_at_workshops(draft, department_id)
    submitted = [c for r in responses for c in r.comments] + list(at_workshops)
    response_form, agree_form = ResponseForm(prefix="response"), AgreeForm(prefix="agree")
    for form in (response_form, agree_form):
        form.number_example_for(current_user.department)
    return render_template(
        "comments/my_department.html",
        draft=draft,
        proposal=draft.proposal,
        department=current_user.department,
        pending=comment_service.unsubmitted_comments(draft, department_id),
        responses=responses,
        at_workshops=at_workshops,
        places=consolidation.places(submitted),
        open_for_us=draft.can_comment(current_user),
        closed_message=comment_service.closed_message(current_user),
        deadline=draft.deadline_for(department_id),
        invited=draft.invitation_for(department_id) is not None,
        is_lead=current_user.is_lead,
        response_form=response_form,
        agree_form=agree_form,
        button=EmptyForm(),
    )


@bp.route("/proposals/<code>/drafts/<int:number>/my-department/merge", methods=["POST"])
@login_required
def merge_comments(code: str, number: int):
    draft = load_draft(code, number)
    _lead_of_body(draft)
    if EmptyForm().validate_on_submit():
        ids = parse_ids(request.form.getlist("comment_id"))
        comments = list(
            db.session.scalars(
                select(Comment).where(Comment.id.in_(ids), Comment.draft_id == draft.id)
            )
        )
        try:
            if len(comments) != len(set(ids)):
                raise CommentError(_("Only your department's unsubmitted comments can be merged."))
            target = comment_service.merge_comments(comments, current_user)
        except CommentError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("%(n)d comments merged into one.", n=len(comments)), "success")
            return redirect(department_url(draft) + f"#comment-{target.id}")
    return redirect(department_url(draft))


def _commit_response() -> bool:
    """Commit a new response; a second click racing the first one is told, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("This response was already submitted. Check what your department sent."), "error")
        return False
    return True


def _letter_fields(form) -> dict:
    return {
        "letter_number": form.letter_number.data,
        "letter_date": form.letter_date.data,
        "letter_file": form.letter.data,
    }


@bp.route("/proposals/<code>/drafts/<int:number>/my-department/submit", methods=["POST"])
@login_required
def submit_response(code: str, number: int):
    draft = load_draft(code, number)
    _lead_of_body(draft)
    form = ResponseForm(prefix="response")
    if form.validate_on_submit():
        try:
            response = comment_service.submit_response(
                draft, current_user, note=form.note.data or "", **_letter_fields(form)
            )
        except CommentError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if not _commit_response():
                return redirect(department_url(draft))
            flash(
                _(
                    "The response of %(dept)s is submitted (%(n)d comments).",
                    dept=current_user.department.name,
                    n=len(response.comments),
                ),  # fmt: skip
                "success",
            )
    else:
        flash_form_errors(form)
    return redirect(department_url(draft))


@bp.route("/proposals/<code>/drafts/<int:number>/my-department/agree", methods=["POST"])
@login_required
def agree_with_draft(code: str, number: int):
    draft = load_draft(code, number)
    _lead_of_body(draft)
    form = AgreeForm(prefix="agree")
    if form.validate_on_submit():
        try:
            comment_service.agree_with_draft(draft, current_user, **_letter_fields(form))
        except CommentError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if _commit_response():
                flash(_("Recorded: your department agrees with the draft."), "success")
    else:
        flash_form_errors(form)
    return redirect(department_url(draft))


@bp.route("/responses/<int:response_id>")
@login_required
def view_response(response_id: int):
    response = load_or_404(DepartmentResponse, response_id)
    return render_template("comments/response.html", response=response, draft=response.draft)


# --- the drafting team's side ---------------------------------------------------------------


@bp.route("/proposals/<code>/drafts/<int:number>/participation")
@login_required
def participation(code: str, number: int):
    draft = load_draft(code, number, can="report")
    rows = comment_service.participation(draft)
    form = ExtensionForm()
    form.department_id.choices = [(r.department.id, r.department.name) for r in rows]
    return render_template(
        "comments/participation.html",
        draft=draft,
        proposal=draft.proposal,
        rows=rows,
        extension_form=form,
        can_extend=draft.can_manage(current_user),
        can_remind=draft.can_manage(current_user),
        to_remind=[r for r in rows if r.can_remind],
        button=EmptyForm(),
    )


@bp.route("/proposals/<code>/drafts/<int:number>/participation/remind", methods=["POST"])
@login_required
def remind_bodies(code: str, number: int):
    """ "Remind now": one body (``department_id``) or every body that has not responded."""
    draft = load_draft(code, number, can="manage")
    if EmptyForm().validate_on_submit():
        departments = None
        if request.form.get("department_id"):
            department_id = parse_id(request.form["department_id"])
            invitation = draft.invitation_for(department_id)
            if invitation is None:
                abort(404)
            departments = [invitation.department]
        try:
            reminded = comment_service.remind_bodies(draft, departments, actor=current_user)
        except CommentError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            if reminded:
                flash(
                    ngettext(
                        "%(num)d body reminded: %(names)s.",
                        "%(num)d bodies reminded: %(names)s.",
                        len(reminded),
                        names=", ".join(d.name for d in reminded),
                    ),
                    "success",
                )
            else:
                flash(_("No body to remind: each has responded or was reminded today."), "info")
    return redirect(draft_url(draft, "comments.participation"))


@bp.route("/proposals/<code>/drafts/<int:number>/participation.xlsx")
@login_required
def participation_xlsx(code: str, number: int):
    draft = load_draft(code, number, can="report")
    rows = comment_service.participation(draft)
    exports.record_download(
        "participation", draft, actor=current_user, allowed=draft.can_report, format="xlsx"
    )
    db.session.commit()
    title = f"{draft.proposal.title} — {draft.title}"
    return download_response(
        write_participation_xlsx(title, rows),
        f"{draft.proposal.code}-tham-gia-du-thao-{draft.number}.xlsx",
        XLSX_MIMETYPE,
    )


@bp.route("/proposals/<code>/drafts/<int:number>/participation/extension", methods=["POST"])
@login_required
def grant_extension(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    form = ExtensionForm()
    form.department_id.choices = [(i.department_id, "") for i in draft.invitations]
    if form.validate_on_submit():
        department = db.session.get(Department, form.department_id.data)
        try:
            comment_service.grant_extension(
                draft, department, from_vietnam_local(form.until.data), actor=current_user
            )
        except CommentError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                _("%(dept)s can comment until its new deadline.", dept=department.name), "success"
            )
    else:
        flash_form_errors(form)
    return redirect(draft_url(draft, "comments.participation"))


@bp.route("/proposals/<code>/drafts/<int:number>/consultation", methods=["GET", "POST"])
@login_required
def consultation_settings(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    form = ConsultationSettingsForm(obj=draft)
    departments = Department.active_choices()
    departments = draft.proposal.consultable(departments)
    form.invited.choices = [(d.id, f"{d.name} ({d.code})") for d in departments]
    if request.method == "GET":
        form.invited.data = [i.department_id for i in draft.invitations]
    if form.validate_on_submit():
        comment_service.update_consultation(
            draft,
            invited=[d for d in departments if d.id in set(form.invited.data or [])],
            departments_see_each_other=form.departments_see_each_other.data,
            silence_counts_as_agreement=form.silence_counts_as_agreement.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("Consultation settings saved."), "success")
        return redirect(draft_url(draft, "comments.participation"))
    return render_template(
        "comments/settings.html", draft=draft, proposal=draft.proposal, form=form
    ), (422 if form.errors else 200)


# --- working in Word ------------------------------------------------------------------------


def _word_url(draft: Draft, endpoint: str = "comments.word_page", **values) -> str:
    return url_for(endpoint, code=draft.proposal.code, number=draft.number, **values)


@bp.route("/proposals/<code>/drafts/<int:number>/word")
@login_required
def word_page(code: str, number: int):
    draft = load_draft(code, number)
    return render_template(
        "comments/word.html",
        draft=draft,
        proposal=draft.proposal,
        form=WordUploadForm(),
        can_upload=draft.can_comment(current_user),
        can_read_all=draft.can_report(current_user),
        can_letter=draft.can_work_as_department(current_user) and current_user.is_lead,
    )


@bp.route("/proposals/<code>/drafts/<int:number>/review.docx")
@login_required
def review_copy(code: str, number: int):
    draft = load_draft(code, number)
    exports.record_download(
        "draft", draft, actor=current_user, allowed=draft.can_view, format="docx-review"
    )
    db.session.commit()
    filename = f"{draft.proposal.code}-du-thao-{draft.number}-gop-y.docx"
    return download_response(word_service.review_copy(draft), filename, DOCX_MIMETYPE)


@bp.route("/proposals/<code>/drafts/<int:number>/with-comments.docx")
@login_required
def comments_copy(code: str, number: int):
    draft = load_draft(code, number, can="report")
    exports.record_download(
        "draft", draft, actor=current_user, allowed=draft.can_report, format="docx-comments"
    )
    db.session.commit()
    filename = f"{draft.proposal.code}-du-thao-{draft.number}-kem-y-kien.docx"
    return download_response(word_service.comments_copy(draft), filename, DOCX_MIMETYPE)


@bp.route("/proposals/<code>/drafts/<int:number>/word/upload", methods=["POST"])
@login_required
def word_upload(code: str, number: int):
    draft = load_draft(code, number)
    department_id = _speaking_body(draft)
    if not draft.can_comment(current_user):
        flash(str(comment_service.closed_message(current_user)), "error")
        return redirect(_word_url(draft))
    form = WordUploadForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_word_url(draft))
    limit = current_app.config["MAX_IMPORT_BYTES"]
    data = form.file.data.stream.read(limit + 1)
    try:
        word_service.check_upload(data, limit)
    except CommentError as exc:
        flash(str(exc), "error")
        return redirect(_word_url(draft))
    filename = uploads.clean_filename(form.file.data.filename or "", "docx")
    return started(word_jobs.start(draft, department_id, data, filename, current_user))


@bp.route(
    "/proposals/<code>/drafts/<int:number>/word/preview/<int:job_id>", methods=["GET", "POST"]
)
@login_required
def word_preview(code: str, number: int, job_id: int):
    draft = load_draft(code, number)
    _speaking_body(draft)
    job = word_jobs.finished_job(job_id, current_user, draft)
    if job is None:
        abort(404)
    lines = word_service.lines_from_json(job.params["lines"])
    form = EmptyForm()
    status = 200
    if request.method == "POST":
        choices, problems = (
            word_choices(request.form, lines)
            if form.validate_on_submit()
            else (
                [],
                [_("The form has expired. Please try again.")],
            )
        )
        for problem in problems:
            flash(problem, "error")
        if not problems:
            try:
                created = word_service.save_lines(
                    draft, current_user, lines, choices, job.params.get("filename", "")
                )
            except CommentError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(
                    _(
                        "%(n)d comments saved as drafts of your department. The lead submits them.",
                        n=len(created),
                    ),
                    "success",
                )
                return redirect(department_url(draft))
        status = 422
    return render_template(
        "comments/word_preview.html",
        draft=draft,
        proposal=draft.proposal,
        lines=lines,
        form=form,
        filename=job.params.get("filename", ""),
        posted=request.form if request.method == "POST" else None,
    ), status


@bp.route("/proposals/<code>/drafts/<int:number>/my-department/letter.docx")
@login_required
def response_letter(code: str, number: int):
    draft = load_draft(code, number)
    _lead_of_body(draft)
    exports.record_download(
        "response-letter", draft, actor=current_user, allowed=draft.can_work_as_department
    )
    db.session.commit()
    filename = f"{draft.proposal.code}-cong-van-gop-y-{current_user.department.code}.docx"
    return download_response(
        word_service.response_letter(draft, current_user), filename, DOCX_MIMETYPE
    )
