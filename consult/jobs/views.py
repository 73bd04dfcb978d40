"""What a page that starts a job answers: commit (the job is queued then) and show its page."""

from __future__ import annotations

from flask import redirect, url_for

from consult.extensions import db
from consult.models.jobs import Job


def started(job: Job):
    db.session.commit()
    return redirect(url_for("jobs.view_job", job_id=job.id), code=303)
