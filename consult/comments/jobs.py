"""A marked-up Word file read by a worker: the upload is kept, read in the background, and the
job hands back the preview of the comments found, for the reviewer to tick and save."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import Draft
from consult.models.job_kinds import JobError, JobKind, register
from consult.private_files import private_folder, remove_older_than, write_private


def uploads_folder() -> Path:
    return private_folder(Path(current_app.config["DATA_DIR"]) / "imports" / "word")


def _draft(job) -> Draft | None:
    return db.session.get(Draft, job.params.get("draft_id"))


def _title(job) -> str:
    draft = _draft(job)
    return _(
        "Reading the marked-up file %(file)s for %(draft)s",
        file=job.params.get("filename", "?"),
        draft=f"{draft.proposal.code}, {draft.title}" if draft else "?",
    )


def _run(job, progress, out) -> None:
    from consult.services import word as word_service
    from consult.services.comments import CommentError

    draft = _draft(job)
    stored = uploads_folder() / job.params["upload"]
    if draft is None or not stored.is_file():
        raise JobError(_("The uploaded file is no longer there. Please upload it again."))
    progress(0, 2, force=True)
    try:
        lines = word_service.read_file(
            draft, job.params["department_id"], stored.read_bytes(), job.params["filename"]
        )
    except CommentError as exc:
        raise JobError(str(exc)) from exc
    finally:
        stored.unlink(missing_ok=True)
    progress(1, 2, force=True)
    job.params = {**job.params, "lines": word_service.lines_to_json(lines)}
    return None


def _preview_url(job) -> str | None:
    draft = _draft(job)
    if draft is None or "lines" not in job.params:
        return None
    return url_for(
        "comments.word_preview", code=draft.proposal.code, number=draft.number, job_id=job.id
    )


def purge_old_uploads(now) -> None:
    cutoff = now.timestamp() - current_app.config["JOB_RESULT_HOURS"] * 3600
    remove_older_than(uploads_folder(), "*.docx", cutoff)


WORD_IMPORT = register(
    JobKind(
        name="word-import",
        title=_title,
        run=_run,
        # The preview belongs to the requester alone (the preview page checks it too).
        back_url=lambda job: (
            url_for("comments.word_page", code=_draft(job).proposal.code, number=_draft(job).number)
            if _draft(job)
            else None
        ),
        next_url=_preview_url,
        next_label=lambda job: _("Open the preview"),
        clean_up=purge_old_uploads,
    )
)


def start(draft: Draft, department_id: int, data: bytes, filename: str, user):
    from consult.services import jobs

    stored = f"{secrets.token_urlsafe(16)}.docx"
    write_private(uploads_folder() / stored, data)
    return jobs.submit(
        WORD_IMPORT.name,
        {
            "draft_id": draft.id,
            "department_id": department_id,
            "upload": stored,
            "filename": filename,
        },
        user,
    )


def finished_job(job_id: int, user, draft: Draft):
    """The requester's finished import job on ``draft``, or None."""
    from consult.models import Job, JobState

    job = db.session.get(Job, job_id)
    if (
        job is None
        or job.kind != WORD_IMPORT.name
        or job.requested_by_id != user.id
        or job.params.get("draft_id") != draft.id
        or job.state is not JobState.DONE
        or "lines" not in job.params
    ):
        return None
    return job
