"""Background jobs: submitting, running in the worker, cancelling, retrying, reaping, expiring.

The only write path for `Job`. A job is queued after the request that made it commits (the
worker must see its row); the worker claims it with an atomic update, keeps a lease alive
while it runs, writes its file under a temporary name and renames it only when it is whole.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from consult.extensions import db
from consult.models import User
from consult.models.base import utcnow
from consult.models.job_kinds import KINDS, JobCancelled, kind_of
from consult.models.jobs import Job, JobState

log = logging.getLogger(__name__)


class LeaseLost(JobCancelled):
    """The job was taken away from this worker (reaped after a stall, or cancelled)."""


# --- in the web request ---------------------------------------------------------------------


def submit(kind: str, params: dict, user: User | None, subject=None) -> Job:
    """A new queued job; it goes to the queue when the caller's transaction commits."""
    job = Job(
        kind=kind,
        params=params,
        requested_by=user,
        subject_type=type(subject).__name__.lower() if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        state=JobState.QUEUED,
    )
    kind_of(job)  # an unknown kind is a programming error: fail here, not in the worker
    db.session.add(job)
    db.session.flush()
    enqueue_after_commit(job.id)
    return job


def enqueue_after_commit(job_id: int) -> None:
    db.session.info.setdefault("jobs_to_enqueue", []).append(job_id)


def cancel(job: Job) -> None:
    job.cancel()
    db.session.flush()


def retry(job: Job) -> None:
    _remove_file(job)
    job.requeue()
    db.session.flush()
    enqueue_after_commit(job.id)


def title(job: Job) -> str:
    return kind_of(job).title(job)


def status(job: Job, now: datetime | None = None) -> dict:
    """What the progress page shows, as JSON for its script."""
    now = now or utcnow()
    remaining = None
    fraction = job.fraction
    if job.state is JobState.RUNNING and fraction and job.started_at:
        elapsed = (now - job.started_at).total_seconds()
        remaining = max(0, round(elapsed * (1 - fraction) / fraction))
    return {
        "id": job.id,
        "state": job.state.value,
        "label": job.state.label,
        "finished": job.state.is_finished,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": round(fraction * 100) if fraction is not None else None,
        "remaining_seconds": remaining,
        "error": job.error,
        "download_url": url_for("jobs.download", job_id=job.id) if job.has_file else None,
    }


# --- in the worker --------------------------------------------------------------------------


def results_dir() -> Path:
    path = Path(current_app.config["DATA_DIR"]) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


class _Heartbeat(threading.Thread):
    """Renews the lease while the job runs, on a connection of its own, until stopped."""

    def __init__(self, engine, job_id: int, token: str, lease: timedelta):
        super().__init__(daemon=True, name=f"job-{job_id}-lease")
        self.engine, self.job_id, self.token, self.lease = engine, job_id, token, lease
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.lease.total_seconds() / 3):
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(Job)
                        .where(Job.id == self.job_id, Job.lease_token == self.token)
                        .values(lease_until=utcnow() + self.lease)
                    )
            except Exception:  # a busy database: the next beat tries again
                log.warning("could not renew the lease of job %s", self.job_id, exc_info=True)


class _Progress:
    """``progress(done, total)`` for a running job: written at most twice a second, on a
    connection of its own (the job may be streaming rows on the session's)."""

    def __init__(self, engine, job_id: int, token: str):
        self.engine, self.job_id, self.token = engine, job_id, token
        self.last = 0.0
        self.done = 0

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        import time

        self.done = done
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        with self.engine.begin() as conn:
            values = {"progress_done": done}
            if total is not None:
                values["progress_total"] = total
            changed = conn.execute(
                update(Job)
                .where(
                    Job.id == self.job_id,
                    Job.lease_token == self.token,
                    Job.state == JobState.RUNNING,
                )
                .values(**values)
            ).rowcount
            cancelled = conn.scalar(select(Job.cancel_requested).where(Job.id == self.job_id))
        if not changed:
            raise LeaseLost()
        if cancelled:
            raise JobCancelled()


def run(job_id: int) -> JobState | None:
    """Run job ``job_id`` once, if it is still queued. Called by the queue's task."""
    token = secrets.token_hex(8)
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(
            state=JobState.RUNNING,
            lease_token=token,
            lease_until=now + _lease(),
            started_at=now,
            attempts=Job.attempts + 1,
            progress_done=0,
        )
    ).rowcount
    db.session.commit()
    if not claimed:
        return None  # cancelled, or already taken by another worker
    job = db.session.get(Job, job_id)
    kind = kind_of(job)
    folder = results_dir()
    part = folder / f".{job.id}-{token}.part"
    engine = db.engine
    heartbeat = _Heartbeat(engine, job.id, token, _lease())
    heartbeat.start()
    progress = _Progress(engine, job.id, token)
    locale = (job.requested_by.locale if job.requested_by else None) or "vi"
    final: Path | None = None
    try:
        with force_locale(locale):
            try:
                with open(part, "wb") as out:
                    output = kind.run(job, progress, out)
                    out.flush()
                    os.fsync(out.fileno())
                # Cancelled, or given to another worker, while the file was being finished?
                progress(progress.done, None, force=True)
                if output is not None:
                    final = folder / f"{job.id}-{token}{Path(output.filename).suffix}"
                    os.replace(part, final)  # whole, or not there at all
                return _finish(job, token, output, final)
            except JobCancelled:
                db.session.rollback()
                return _end(job, token, JobState.CANCELLED, None)
            except Exception as exc:
                db.session.rollback()
                from consult.exceptions import UserFacingError

                if isinstance(exc, UserFacingError):
                    message = str(exc)
                else:
                    log.exception("job %s (%s) failed", job.id, job.kind)
                    message = _(
                        "An unexpected error stopped this job. Try again; if it fails again, "
                        "tell the portal's administrator (job %(id)d).",
                        id=job.id,
                    )
                return _end(job, token, JobState.FAILED, message)
    finally:
        heartbeat.stopped.set()
        part.unlink(missing_ok=True)
        if final is not None and db.session.get(Job, job_id).result_path != final.name:
            final.unlink(missing_ok=True)  # the lease was lost: nobody will offer this file


def _finish(job: Job, token: str, output, final: Path | None) -> JobState | None:
    db.session.commit()  # whatever the job wrote; and a fresh snapshot before the update
    now = utcnow()
    values = {"state": JobState.DONE, "finished_at": now, "lease_until": None}
    if output is not None and final is not None:
        values.update(
            result_path=final.name,
            result_name=output.filename,
            result_mimetype=output.mimetype,
            result_size=final.stat().st_size,
            expires_at=now + timedelta(hours=current_app.config["JOB_RESULT_HOURS"]),
        )
    changed = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.lease_token == token, Job.state == JobState.RUNNING)
        .values(**values)
    ).rowcount
    if changed:
        db.session.refresh(job)
        if job.progress_total:
            job.progress_done = job.progress_total
        _tell_requester(job)
    db.session.commit()
    return JobState.DONE if changed else None


def _end(job: Job, token: str, state: JobState, error: str | None) -> JobState | None:
    changed = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.lease_token == token, Job.state == JobState.RUNNING)
        .values(state=state, error=error, finished_at=utcnow(), lease_until=None)
    ).rowcount
    if changed and state is JobState.FAILED:
        db.session.refresh(job)
        _tell_requester(job)
    db.session.commit()
    return state if changed else None


def _tell_requester(job: Job) -> None:
    """A bell notification for a job that took long enough for the requester to look away."""
    if job.requested_by is None or job.created_at is None:
        return
    took = (utcnow() - job.created_at).total_seconds()
    if took < current_app.config["JOB_NOTIFY_AFTER_SECONDS"]:
        return
    from consult.services import notifications

    notifications.job_finished(job, title(job))


# --- maintenance (a periodic task of the worker) --------------------------------------------


@dataclass
class Maintenance:
    requeued: list[int]
    failed: list[int]
    expired: int
    deleted: int


def reap(now: datetime | None = None) -> Maintenance:
    """Jobs whose worker died: back to the queue, or failed after the last attempt; results
    past their time: files removed; old rows: deleted. Safe to run on several workers."""
    now = now or utcnow()
    report = Maintenance([], [], 0, 0)
    stale = db.session.scalars(
        select(Job).where(Job.state == JobState.RUNNING, Job.lease_until < now)
    ).all()
    for job in stale:
        for leftover in results_dir().glob(f".{job.id}-*.part"):
            leftover.unlink(missing_ok=True)
        if job.attempts < current_app.config["JOB_MAX_ATTEMPTS"]:
            job.requeue()
            enqueue_after_commit(job.id)
            report.requeued.append(job.id)
        else:
            job.state = JobState.FAILED
            job.finished_at = now
            job.lease_until = None
            with force_locale(_locale_of(job)):
                job.error = _(
                    "The worker doing this job stopped before it finished. "
                    "No file was kept; try again."
                )
            report.failed.append(job.id)
            _tell_requester(job)
    # A queued job the queue lost (its message never sent, or a queue emptied by hand).
    forgotten = db.session.scalars(
        select(Job.id).where(Job.state == JobState.QUEUED, Job.updated_at < now - 5 * _lease())
    ).all()
    for job_id in forgotten:
        db.session.execute(update(Job).where(Job.id == job_id).values(updated_at=now))
        enqueue_after_commit(job_id)
    for job in db.session.scalars(
        select(Job).where(Job.result_path.is_not(None), Job.expires_at <= now)
    ):
        _remove_file(job)
        report.expired += 1
    for kind in KINDS.values():
        if kind.clean_up is not None:
            kind.clean_up(now)
    keep = timedelta(days=current_app.config["JOB_KEEP_DAYS"])
    report.deleted = db.session.execute(
        delete(Job).where(Job.finished_at.is_not(None), Job.finished_at < now - keep)
    ).rowcount
    db.session.commit()
    return report


def _locale_of(job: Job) -> str:
    return (job.requested_by.locale if job.requested_by else None) or "vi"


def _remove_file(job: Job) -> None:
    if job.result_path:
        (results_dir() / job.result_path).unlink(missing_ok=True)
        job.result_path = None
        job.result_size = None


def file_of(job: Job) -> Path | None:
    """The finished file, if the job has one that has not expired."""
    if not job.has_file:
        return None
    path = results_dir() / job.result_path
    return path if path.is_file() else None


def jobs_of(user: User, limit: int = 50) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.requested_by_id == user.id)
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(limit)
        )
    )
