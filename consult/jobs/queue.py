"""The job queue (Huey): SQLite storage in DATA_DIR by default, Redis with REDIS_URL.

The queue carries only "run job N" and the periodic tasks; everything a user sees is in the
``jobs`` table (consult.models.jobs). One Huey instance per app, in
``app.extensions["huey"]``; its tasks run inside that app's context.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def make_huey(app: Flask) -> Huey:
    """The queue the configuration asks for: ``memory`` (tests), ``redis`` or ``sqlite``."""
    name = app.config["JOBS_QUEUE_NAME"]
    backend = app.config["JOBS_QUEUE"]
    if backend == "memory":
        return MemoryHuey(name, utc=True)
    if backend == "redis":
        return RedisHuey(name, url=app.config["REDIS_URL"], utc=True)
    path = Path(app.config["JOBS_QUEUE_FILE"] or Path(app.config["DATA_DIR"]) / "queue.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), utc=True)


def init_app(app: Flask) -> None:
    huey = make_huey(app)
    register_tasks(huey, app)
    app.extensions["huey"] = huey


def register_tasks(huey: Huey, app: Flask) -> None:
    """The worker's tasks, bound to ``app``: run a job; every minute the job maintenance;
    every five minutes what ``flask notify send-due`` does; the e-mail outbox on demand."""

    def in_app(fn):
        def wrapped(*args):
            with app.app_context(), _public_request(app):
                try:
                    return fn(*args)
                finally:
                    from consult.extensions import db

                    db.session.remove()

        return wrapped

    @huey.task(name="run_job")
    @in_app
    def run_job(job_id: int):
        from consult.services import jobs

        jobs.run(job_id)

    @huey.periodic_task(crontab(minute="*"), name="job_maintenance")
    @in_app
    def job_maintenance():
        from consult.services import jobs

        report = jobs.reap()
        if report.requeued or report.failed:
            log.warning(
                "jobs of dead workers: requeued %s, failed %s", report.requeued, report.failed
            )

    @huey.periodic_task(crontab(minute="*/5"), name="send_due")
    @in_app
    def send_due():
        from consult.services import notifications

        report = notifications.send_due()
        log.info(
            "send-due: %d reminders, %d e-mails, %d digests, %d to retry, %d given up",
            report.reminders,
            report.sent,
            report.digests,
            report.retried,
            report.failed,
        )

    @huey.task(name="send_mail")
    @in_app
    def send_mail():
        from consult.services import notifications

        notifications.send_due(reminders=False)

    huey.consult_tasks = {
        "run_job": run_job,
        "job_maintenance": job_maintenance,
        "send_due": send_due,
        "send_mail": send_mail,
    }

    @huey.on_startup(name="dispose_inherited_connections")
    def dispose_inherited_connections():
        # A forked worker must not use the parent's pooled connections (shared sockets).
        with app.app_context():
            from consult.extensions import db

            db.engine.dispose(close=False)


def _public_request(app: Flask):
    """Links built by jobs (notifications, reports) point at the portal's public address."""
    return app.test_request_context("/", base_url=app.config["PORTAL_URL"])


def make_consumer(app: Flask, workers: int | None = None, *, threads=False, periodic=True):
    """The worker of ``flask worker``: processes (each a fork of this one) or threads."""
    from consult.extensions import db

    consumer = huey_of(app).create_consumer(
        workers=workers or app.config["JOB_WORKERS"],
        worker_type="thread" if threads else "process",
        periodic=periodic,
        check_worker_health=True,
        # An idle worker looks at a SQLite queue at least every second (Redis wakes it at
        # once): a job waits about a second at most before it starts.
        max_delay=1.0,
    )
    with app.app_context():
        db.engine.dispose()  # nothing pooled in the parent for the forks to inherit
    return consumer


def huey_of(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["huey"]


def enqueue(job_id: int, app: Flask | None = None) -> None:
    huey = huey_of(app)
    huey.enqueue(task(huey, "run_job").s(job_id))


def task(huey: Huey, name: str):
    """One of the tasks of `register_tasks` (``run_job``, ``job_maintenance``, ``send_due``)."""
    return huey.consult_tasks[name]


def work_off(app: Flask | None = None, limit: int = 100) -> int:
    """Run what is in the queue now, in this process (tests, and the browser journeys)."""
    huey = huey_of(app)
    count = 0
    while count < limit and (task := huey.dequeue()) is not None:
        huey.execute(task)
        count += 1
    return count


def work_in_thread(app: Flask, stop: threading.Event, interval: float = 0.2) -> threading.Thread:
    """A worker thread for a server that runs in a thread itself (the browser journeys)."""

    def loop():
        while not stop.is_set():
            if not work_off(app):
                stop.wait(interval)

    thread = threading.Thread(target=loop, daemon=True, name="job-worker")
    thread.start()
    return thread


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    """Jobs submitted in a transaction go to the queue once it commits (the worker must see
    their rows); a rolled-back transaction sends nothing."""
    job_ids = session.info.pop("jobs_to_enqueue", None)
    send_mail = session.info.pop("send_mail_after_commit", False)
    if not (job_ids or send_mail):
        return
    app = current_app._get_current_object()
    if send_mail and app.config["JOBS_SEND_MAIL_AT_ONCE"]:
        try:
            huey_of(app).enqueue(task(huey_of(app), "send_mail").s())
        except Exception:
            log.exception("could not queue the e-mail outbox; the periodic run sends it")
    job_ids = job_ids or []
    for job_id in job_ids:
        try:
            enqueue(job_id, app)
        except Exception:
            # The queue is down: the job stays queued and job maintenance sends it again.
            log.exception("could not queue job %s", job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop("jobs_to_enqueue", None)
    session.info.pop("send_mail_after_commit", None)
