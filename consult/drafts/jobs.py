"""A large draft file read by a worker: the upload is kept, parsed in the background, and
the job hands back the preview (the same one an inline import shows) to confirm."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import Proposal
from consult.models.job_kinds import JobError, JobKind, register
from consult.private_files import remove_older_than


def _uploads() -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / "imports" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def runs_as_job(upload) -> bool:
    """Files from IMPORT_JOB_BYTES up are read by a worker; smaller ones at once."""
    upload.stream.seek(0, 2)
    size = upload.stream.tell()
    upload.stream.seek(0)
    # One over the limit is refused at once, with the form's own message.
    return current_app.config["IMPORT_JOB_BYTES"] <= size <= current_app.config["MAX_IMPORT_BYTES"]


def _proposal(job) -> Proposal | None:
    return db.session.get(Proposal, job.params.get("proposal_id"))


def _title(job) -> str:
    proposal = _proposal(job)
    return _(
        "Reading %(file)s for %(code)s",
        file=job.params.get("filename", "?"),
        code=proposal.code if proposal else "?",
    )


def _run(job, progress, out) -> None:
    from consult.documents.importer import DraftImportError, read_upload
    from consult.drafts import import_store

    proposal = _proposal(job)
    stored = _uploads() / job.params["upload"]
    if proposal is None or not stored.is_file():
        raise JobError(_("The uploaded file is no longer there. Please upload it again."))
    progress(0, 2, force=True)
    try:
        report = read_upload(
            job.params["filename"],
            stored.read_bytes(),
            max_bytes=current_app.config["MAX_IMPORT_BYTES"],
        )
    except DraftImportError as exc:
        stored.unlink(missing_ok=True)  # the same file would fail the same way
        raise JobError(str(exc)) from exc
    progress(1, 2, force=True)
    job.params = {
        **job.params,
        "token": import_store.save(report, user_id=job.requested_by_id, proposal_id=proposal.id),
    }
    stored.unlink(missing_ok=True)
    return None


def _preview_url(job) -> str | None:
    proposal = _proposal(job)
    token = job.params.get("token")
    if proposal is None or not token:
        return None
    return url_for(
        "drafts.preview_import",
        code=proposal.code,
        token=token,
        change_note=job.params.get("change_note") or None,
    )


def purge_old_uploads(now) -> None:
    """Uploads a job never got to (its worker died on every attempt, or it was cancelled)."""
    cutoff = now.timestamp() - current_app.config["JOB_RESULT_HOURS"] * 3600
    remove_older_than(_uploads(), "*.upload", cutoff)


DRAFT_IMPORT = register(
    JobKind(
        name="draft-import",
        title=_title,
        run=_run,
        # The preview belongs to the requester alone (import_store checks it too).
        back_url=lambda job: (
            url_for("drafts.import_draft", code=_proposal(job).code) if _proposal(job) else None
        ),
        next_url=_preview_url,
        next_label=lambda job: _("Open the preview"),
        clean_up=purge_old_uploads,
    )
)


def start(proposal: Proposal, upload, change_note: str, user):
    from consult.services import jobs

    stored = f"{secrets.token_urlsafe(16)}.upload"
    upload.save(_uploads() / stored)
    return jobs.submit(
        DRAFT_IMPORT.name,
        {
            "proposal_id": proposal.id,
            "upload": stored,
            "filename": upload.filename or "",
            "change_note": change_note or "",
        },
        user,
    )
