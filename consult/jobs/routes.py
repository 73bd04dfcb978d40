"""A job's page (progress bar, remaining time, its file or why it failed), its status as JSON
for the page's script, the file itself, and retry and cancel."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.extensions import db
from consult.forms import EmptyForm
from consult.jobs import bp
from consult.models.drafts import IllegalTransition
from consult.models.job_kinds import kind_of
from consult.models.jobs import Job, JobState
from consult.permissions import load_or_404
from consult.services import jobs as job_service


def _job_url(job: Job) -> str:
    return url_for("jobs.view_job", job_id=job.id)


def _status(job: Job) -> dict:
    """The job's status with its progress in words, for the page and for its script."""
    from consult.templating import duration

    status = job_service.status(job)
    parts = []
    if status["total"]:
        parts.append(_("%(done)d of %(total)d done", done=status["done"], total=status["total"]))
        if status["percent"] is not None:
            parts[-1] += f" ({status['percent']}%)"
    if status["remaining_seconds"] is not None:
        parts.append(_("about %(time)s left", time=duration(status["remaining_seconds"])))
    status["detail"] = " · ".join(parts)
    return status


@bp.route("/jobs")
@login_required
def list_jobs():
    jobs = job_service.jobs_of(current_user)
    return render_template("jobs/list.html", jobs=[(job, job_service.title(job)) for job in jobs])


@bp.route("/jobs/<int:job_id>")
@login_required
def view_job(job_id: int):
    job = load_or_404(Job, job_id)
    kind = kind_of(job)
    done = job.state is JobState.DONE and kind.next_url is not None
    return render_template(
        "jobs/view.html",
        job=job,
        title=job_service.title(job),
        status=_status(job),
        back_url=kind.back_url(job) if kind.back_url else None,
        next_url=kind.next_url(job) if done and job.can_edit(current_user) else None,
        next_label=kind.next_label(job) if done and kind.next_label else None,
        can_edit=job.can_edit(current_user),
        form=EmptyForm(),
    )


@bp.route("/jobs/<int:job_id>/status")
@login_required
def job_status(job_id: int):
    job = load_or_404(Job, job_id)
    response = jsonify(_status(job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/file")
@login_required
def download(job_id: int):
    job = load_or_404(Job, job_id)
    path = job_service.file_of(job)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype=job.result_mimetype,
        as_attachment=True,
        download_name=job.result_name,
        max_age=0,
    )


def _change(job_id: int, change, done: str):
    """Cancel or retry: the requester only (403 for others who see the job), with CSRF."""
    job = load_or_404(Job, job_id, can="edit")
    if EmptyForm().validate_on_submit():
        try:
            change(job)
        except IllegalTransition as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(done, "success")
    return redirect(_job_url(job), code=303)


@bp.route("/jobs/<int:job_id>/cancel", methods=["POST"])
@login_required
def cancel(job_id: int):
    return _change(job_id, job_service.cancel, _("The job is cancelled."))


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: int):
    return _change(job_id, job_service.retry, _("The job is queued again."))
