"""Background jobs: a report exported by a worker, its progress page, who downloads its file,
failure, retry, cancel, expiry, a worker killed midway, and the queue on SQLite and Redis."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, update

import tests.job_kinds  # noqa: F401  (registers the test kinds)
from consult.extensions import db
from consult.jobs import queue
from consult.models import Job, JobState, Notification, NotificationKind, Role, Seat
from consult.models.base import utcnow
from consult.services import comments as comment_service
from consult.services import jobs as job_service
from tests.conftest import login
from tests.job_kinds import STEP_BYTES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_results_left(app):
    """Job ids start again at 1 in every test: so do the job files."""
    import shutil

    shutil.rmtree(job_service.results_dir())
    yield


@pytest.fixture
def commented(consultation):
    c = consultation
    for n in range(3):
        comment_service.create_comment(
            c.draft, c.section, c.people.reviewer, kind="change", body=f"Góp ý số {n + 1}."
        )
    comment_service.submit_response(c.draft, c.people.lead, letter_number="125/STTTT-VP")
    db.session.commit()
    return c


def _job_id(response) -> int:
    assert response.status_code == 303, response.status_code
    match = re.fullmatch(r".*/jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _start_report(client, c, fmt="xlsx", query="") -> int:
    return _job_id(client.post(f"{c.base}/report.{fmt}{query}"))


def _submit(kind, user, **params) -> Job:
    job = job_service.submit(kind, params, user)
    db.session.commit()
    return job


def _reload(job_id) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


# --- a report as a job ----------------------------------------------------------------------


def test_report_job_progress_page_then_file(app, client, commented):
    c = commented
    login(client, c.people.drafting)
    job_id = _start_report(client, c)

    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Waiting for a worker" in page or "Đang chờ" in page
    assert '<progress id="job-progress"' in page
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript
    assert "/file" not in page
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["state"] == "queued" and status["download_url"] is None
    assert client.get(f"/jobs/{job_id}/file").status_code == 404

    assert queue.work_off(app) == 1

    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["state"] == "done" and status["finished"]
    assert (status["done"], status["total"], status["percent"]) == (3, 3, 100)
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "http-equiv" not in page and status["download_url"] in page
    response = client.get(status["download_url"])
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "DTTM-CT-tong-hop-y-kien-du-thao-1.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert {"Góp ý số 1.", "Góp ý số 2.", "Góp ý số 3."} <= cells
    # The bell tells the requester, and the notification opens the job's page.
    bell = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.JOB_FINISHED)
    ).all()
    assert [(n.user_id, n.link) for n in bell] == [(c.people.drafting.id, f"/jobs/{job_id}")]
    assert f"/jobs/{job_id}" in client.get("/jobs").get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["docx", "csv", "pdf"])
def test_every_report_format_as_a_job(app, client, commented, fmt):
    login(client, commented.people.drafting)
    job_id = _start_report(client, commented, fmt, "?status=new")
    queue.work_off(app)
    job = _reload(job_id)
    assert job.state is JobState.DONE, job.error
    assert job.params["filters"] == {"status": "new"}
    data = client.get(f"/jobs/{job_id}/file").data
    assert data.startswith({"docx": b"PK", "csv": b"\xef\xbb\xbf", "pdf": b"%PDF"}[fmt])


def test_everything_workbook_and_workshop_papers_as_jobs(app, client, commented):
    from consult.models import Workshop

    c = commented
    login(client, c.people.drafting)
    everything = _job_id(client.post(f"/proposals/{c.proposal.code}/everything.xlsx"))
    workshop = Workshop(
        draft=c.draft,
        organizer=c.people.organizer,
        title="Hội thảo",
        starts_at=utcnow(),
        place="UBND",
    )
    db.session.add(workshop)
    db.session.commit()
    papers = [
        _job_id(client.post(f"/workshops/{workshop.id}/{kind}.{fmt}"))
        for kind in ("packet", "report")
        for fmt in ("docx", "pdf")
    ]
    assert queue.work_off(app) == 5
    for job_id in (everything, *papers):
        job = _reload(job_id)
        assert job.state is JobState.DONE, job.error
        assert client.get(f"/jobs/{job_id}/file").status_code == 200
    assert _reload(everything).result_name == "DTTM-CT-tat-ca-du-thao.xlsx"


def test_progress_and_remaining_time(app, client, make_user):
    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user)
    login(client, user)
    job.state = JobState.RUNNING
    job.started_at = utcnow() - timedelta(seconds=30)
    job.progress_done, job.progress_total = 25, 100
    db.session.commit()
    asked = utcnow()
    status = client.get(f"/jobs/{job.id}/status").get_json()
    late = (utcnow() - asked).total_seconds()  # a busy machine: the clock moved meanwhile
    assert status["percent"] == 25
    # 30 s (and the time the request took) for a quarter: three times that to go.
    assert 89 <= status["remaining_seconds"] <= 3 * (30 + late) + 1
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'value="25"' in page and "25 / 100" not in page
    assert "25 trên 100" in page or "25 of 100" in page
    assert "phút" in page or "minute" in page


# --- who sees a job and its file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("drafting", True),  # the requester
        ("member", True),  # another member of the board
        ("admin", True),
        ("organizer", True),  # reads the summary report too
        ("reviewer", False),
        ("lead", False),
        ("outsider", False),  # the board of another proposal
    ],
)
def test_who_downloads_a_report_job(app, client, commented, make_user, who, sees):
    c = commented
    login(client, c.people.drafting)
    job_id = _start_report(client, c, "csv")
    queue.work_off(app)
    person = getattr(c.people, who)
    login(client, person)
    codes = [client.get(f"/jobs/{job_id}{path}").status_code for path in ("", "/status", "/file")]
    assert codes == ([200, 200, 200] if sees else [404, 404, 404])
    # The same people as on the report page itself: the two rules agree.
    page = client.get(f"{c.base}/report").status_code
    assert (page == 200) is sees


def test_a_job_without_a_subject_is_its_requesters_alone(app, client, make_user):
    owner, admin = make_user(Role.REVIEWER), make_user(Role.ADMIN)
    job = _submit("test-steps", owner, steps=1)
    queue.work_off(app)
    login(client, admin)
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    assert client.post(f"/jobs/{job.id}/retry").status_code == 404
    login(client, owner)
    assert client.get(f"/jobs/{job.id}/file").data == b"x" * STEP_BYTES
    client.post("/logout")
    assert client.get(f"/jobs/{job.id}/file").headers["Location"].startswith("/login")


def test_only_the_requester_retries_or_cancels(app, client, commented, make_user):
    c = commented
    login(client, c.people.drafting)
    job_id = _start_report(client, c, "csv")
    login(client, c.people.member)
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 403
    assert _reload(job_id).state is JobState.QUEUED
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "/cancel" not in page


# --- failure, retry, cancel, expiry ---------------------------------------------------------


def test_failure_shows_the_users_message_and_keeps_no_file(app, client, make_user):
    user = make_user(Role.REVIEWER)
    job = _submit("test-failing", user)
    queue.work_off(app)
    job = _reload(job.id)
    assert job.state is JobState.FAILED and job.error == "Tệp quá lớn để xuất."
    login(client, user)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Tệp quá lớn để xuất." in page and "/retry" in page
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    assert list(job_service.results_dir().glob("*")) == []
    bell = db.session.scalars(select(Notification)).one()
    assert bell.params["state"] == "failed" and bell.params["error"] == "Tệp quá lớn để xuất."


def test_an_unexpected_error_says_so_without_its_details(app, client, make_user):
    user = make_user(Role.REVIEWER, locale="en")
    job = _submit("test-failing", user, unexpected=True)
    queue.work_off(app)
    job = _reload(job.id)
    assert job.state is JobState.FAILED
    assert "An unexpected error stopped this job" in job.error and str(job.id) in job.error
    assert "secret" not in job.error


def test_retry_after_a_failure(app, client, make_user, tmp_path):
    user = make_user(Role.REVIEWER)
    marker = tmp_path / "fail"
    marker.touch()
    job = _submit("test-failing", user, fail_while=str(marker))
    queue.work_off(app)
    assert _reload(job.id).state is JobState.FAILED
    marker.unlink()
    login(client, user)
    assert client.post(f"/jobs/{job.id}/retry").status_code == 303
    job = _reload(job.id)
    assert job.state is JobState.QUEUED and job.error is None
    queue.work_off(app)
    job = _reload(job.id)
    assert job.state is JobState.DONE and job.attempts == 2
    assert client.get(f"/jobs/{job.id}/file").data == b"half a file and the rest"
    # A finished job is not retried (nothing changes).
    client.post(f"/jobs/{job.id}/retry")
    assert _reload(job.id).state is JobState.DONE


def test_cancel_a_queued_job(app, client, make_user):
    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user, steps=2)
    login(client, user)
    assert client.post(f"/jobs/{job.id}/cancel").status_code == 303
    assert _reload(job.id).state is JobState.CANCELLED
    queue.work_off(app)  # the worker finds it cancelled and leaves it
    job = _reload(job.id)
    assert job.state is JobState.CANCELLED and job.attempts == 0
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "/retry" in page and "/cancel" not in page


def test_cancel_a_running_job_stops_it_at_its_next_step(app, make_user, monkeypatch):
    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user, steps=5)
    real = job_service._Progress.__call__

    def progress(self, done, total=None, *, force=False):
        if done == 2:  # the requester presses "Cancel" while the job runs
            with db.engine.begin() as conn:
                conn.execute(update(Job).where(Job.id == self.job_id).values(cancel_requested=True))
        return real(self, done, total, force=force)

    monkeypatch.setattr(job_service._Progress, "__call__", progress)
    queue.work_off(app)
    job = _reload(job.id)
    assert job.state is JobState.CANCELLED and job.progress_done == 2
    assert job.result_path is None
    assert list(job_service.results_dir().glob("*")) == []


def test_results_expire_and_old_jobs_go(app, client, make_user):
    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user, steps=1)
    queue.work_off(app)
    job = _reload(job.id)
    path = job_service.results_dir() / job.result_path
    assert path.is_file()
    assert job.expires_at - utcnow() > timedelta(hours=23)
    login(client, user)
    later = utcnow() + timedelta(hours=25)
    report = job_service.reap(now=later)
    assert report.expired == 1 and not path.exists()
    db.session.execute(update(Job).where(Job.id == job.id).values(expires_at=utcnow()))
    db.session.commit()
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "/retry" in page  # made again on demand
    assert job_service.reap(now=utcnow() + timedelta(days=31)).deleted == 1
    assert _reload(job.id) is None


# --- a worker that dies ---------------------------------------------------------------------


def _worker_env(test_config, queue_file: Path) -> dict:
    options = test_config.SQLALCHEMY_ENGINE_OPTIONS.get("connect_args", {}).get("options", "")
    return {
        **os.environ,
        "WORKER_DATABASE_URL": test_config.SQLALCHEMY_DATABASE_URI,
        "WORKER_SCHEMA": options.removeprefix("-csearch_path="),
        "WORKER_DATA_DIR": test_config.DATA_DIR,
        "WORKER_QUEUE_FILE": str(queue_file),
    }


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_worker_killed_midway_never_offers_a_half_file(
    app, client, make_user, test_config, tmp_path
):
    from huey import SqliteHuey

    user = make_user(Role.REVIEWER)
    pid_file = tmp_path / "pid"
    queue_file = tmp_path / "queue.sqlite3"
    job = _submit("test-steps", user, steps=200, delay=0.05, pid_file=str(pid_file))
    # The job goes into the worker's queue (a SQLite file, as in production).
    file_queue = SqliteHuey("consult", filename=str(queue_file), utc=True)
    queue.register_tasks(file_queue, app)
    file_queue.enqueue(queue.task(file_queue, "run_job").s(job.id))

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.job_worker"],
        cwd=ROOT,
        env=_worker_env(test_config, queue_file),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: (_reload(job.id).progress_done or 0) >= 5)
        forked = int(pid_file.read_text())
        assert forked != worker.pid  # the job runs in a forked worker process
        parts = list(job_service.results_dir().glob(f".{job.id}-*.part"))
        assert len(parts) == 1 and parts[0].stat().st_size >= 5 * STEP_BYTES
        os.kill(forked, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)

    job = _reload(job.id)
    assert job.state is JobState.RUNNING and job.result_path is None
    login(client, user)
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    assert "/file" not in client.get(f"/jobs/{job.id}").get_data(as_text=True)

    # Once its lease has run out the job is queued again and the half file removed.
    report = job_service.reap(now=utcnow() + timedelta(seconds=10))
    assert report.requeued == [job.id]
    assert list(job_service.results_dir().glob(f".{job.id}-*")) == []
    job = _reload(job.id)
    assert job.state is JobState.QUEUED and job.attempts == 1
    db.session.execute(update(Job).where(Job.id == job.id).values(params={"steps": 3}))
    db.session.commit()
    queue.work_off(app)
    job = _reload(job.id)
    assert job.state is JobState.DONE and job.attempts == 2
    assert client.get(f"/jobs/{job.id}/file").data == b"x" * 3 * STEP_BYTES


def test_a_job_whose_worker_died_on_its_last_attempt_fails(app, client, make_user):
    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user)
    db.session.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(state=JobState.RUNNING, attempts=2, lease_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    report = job_service.reap()
    assert report.failed == [job.id]
    job = _reload(job.id)
    assert job.state is JobState.FAILED
    assert "Tiến trình thực hiện việc này đã dừng" in job.error  # the requester's language
    login(client, user)
    assert "/retry" in client.get(f"/jobs/{job.id}").get_data(as_text=True)


def test_a_lost_lease_discards_the_file(app, make_user, monkeypatch):
    """A stalled worker that wakes up after its job was given to another keeps nothing."""
    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user, steps=3)
    real = job_service._Progress.__call__

    def progress(self, done, total=None, *, force=False):
        if done == 3:
            with db.engine.begin() as conn:
                conn.execute(update(Job).where(Job.id == self.job_id).values(lease_token="other"))
        return real(self, done, total, force=force)

    monkeypatch.setattr(job_service._Progress, "__call__", progress)
    queue.work_off(app)
    assert list(job_service.results_dir().glob("*")) == []
    assert _reload(job.id).result_path is None


# --- the queue: embedded (SQLite file) and Redis --------------------------------------------


def _through(app, client, c, huey) -> Job:
    """Export a report through ``huey`` as the app's queue; a worker of it runs the job."""
    queue.register_tasks(huey, app)
    app.extensions["huey"] = huey
    login(client, c.people.drafting)
    job_id = _start_report(client, c, "csv")
    assert _reload(job_id).state is JobState.QUEUED
    assert len(huey) == 1  # the task waits in that queue, not in the process
    assert queue.work_off(app) == 1
    return _reload(job_id)


def test_embedded_queue_in_a_sqlite_file(app, client, commented, tmp_path):
    from huey import SqliteHuey

    app.config.update(JOBS_QUEUE="sqlite", JOBS_QUEUE_FILE=str(tmp_path / "q.sqlite3"))
    huey = queue.make_huey(app)
    assert isinstance(huey, SqliteHuey)
    job = _through(app, client, commented, huey)
    assert job.state is JobState.DONE
    assert (tmp_path / "q.sqlite3").exists()


def test_redis_queue_shared_by_two_app_servers(app, client, commented, redis_url, test_config):
    from huey import RedisHuey

    from consult import create_app

    name = f"consult-test-{uuid.uuid4().hex[:8]}"
    app.config.update(JOBS_QUEUE="redis", REDIS_URL=redis_url, JOBS_QUEUE_NAME=name)
    huey = queue.make_huey(app)
    assert isinstance(huey, RedisHuey)
    try:
        job = _through(app, client, commented, huey)
        assert job.state is JobState.DONE
        # Another app server enqueues, this one's worker runs it: one queue for both.
        other = create_app(test_config)
        other.config.update(JOBS_QUEUE="redis", REDIS_URL=redis_url, JOBS_QUEUE_NAME=name)
        other_huey = queue.make_huey(other)
        queue.register_tasks(other_huey, other)
        second = _submit("test-steps", commented.people.drafting, steps=1)
        queue.huey_of(app).flush()  # what the submit queued went to this app: start empty
        queue.enqueue(second.id, app=_with_huey(other, other_huey))
        assert len(huey) == 1
        queue.work_off(app)
        assert _reload(second.id).state is JobState.DONE
    finally:
        huey.flush()


def _with_huey(app, huey):
    app.extensions["huey"] = huey
    return app


# --- the periodic tasks ---------------------------------------------------------------------


def test_the_periodic_task_does_what_send_due_does(app, consultation, monkeypatch):
    """Reminders written and e-mails sent by the worker, as by ``flask notify send-due``."""
    from consult.models import Draft

    c = consultation
    draft = db.session.get(Draft, c.draft.id)
    draft.closes_at = utcnow() + timedelta(hours=20)  # within a day: reminders are due
    db.session.commit()
    huey = queue.huey_of(app)
    periodic = {task.name for task in huey.read_periodic(_crontab_moment())}
    assert {"send_due", "job_maintenance"} <= periodic
    huey.execute(queue.task(huey, "send_due").s())
    reminders = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.DEADLINE_REMINDER)
    ).all()
    assert {n.user_id for n in reminders} >= {c.people.reviewer.id, c.people.lead.id}
    assert all(n.email_state.value == "sent" for n in reminders if n.user.email)


def _crontab_moment():
    from datetime import datetime

    return datetime(2026, 5, 11, 8, 15)  # a minute divisible by five


def test_forked_workers_dispose_of_inherited_connections(app):
    assert "dispose_inherited_connections" in queue.huey_of(app)._startup


def test_cancel_while_the_file_is_being_finished(app, make_user, monkeypatch):
    """A job that reports no progress at the end still honours a cancel pressed meanwhile."""
    from consult.models import job_kinds as kinds

    user = make_user(Role.REVIEWER)
    job = _submit("test-steps", user, steps=1)
    real = kinds.KINDS["test-steps"].run

    def run(job, progress, out):
        output = real(job, progress, out)
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == job.id).values(cancel_requested=True))
        return output

    monkeypatch.setitem(
        kinds.KINDS,
        "test-steps",
        kinds.KINDS["test-steps"].__class__(name="test-steps", title=lambda job: "Steps", run=run),
    )
    queue.work_off(app)
    job = _reload(job.id)
    assert job.state is JobState.CANCELLED and job.result_path is None
    assert list(job_service.results_dir().glob("*")) == []


# --- a large draft file read by the worker --------------------------------------------------


def _upload(text: str, name: str = "du-thao.md"):
    return {"file": (io.BytesIO(text.encode()), name), "change_note": "Bản lớn"}


def test_a_large_draft_file_is_read_by_the_worker_then_previewed(
    app, client, make_proposal, make_seated
):
    from consult.models import Proposal

    app.config["IMPORT_JOB_BYTES"] = 10  # every file counts as large here
    proposal = make_proposal(sections=[], publish=False)
    user = proposal.chair
    login(client, user)
    text = "# Chương I. Sự cần thiết\n\nMở đầu.\n\n## 1.1. Bối cảnh\n\nNội dung.\n"
    job_id = _job_id(
        client.post(f"/proposals/{proposal.code}/import", data=_upload(text),
                    content_type="multipart/form-data")
    )  # fmt: skip
    assert "Đang chờ thực hiện" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    queue.work_off(app)
    job = _reload(job_id)
    assert job.state is JobState.DONE and job.result_path is None
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    match = re.search(r'id="job-next" href="([^"]+)"', page)
    assert match, page
    preview = client.get(match.group(1).replace("&amp;", "&"))
    assert preview.status_code == 200
    body = preview.get_data(as_text=True)
    assert "Bối cảnh" in body and 'value="Bản lớn"' in body
    token = job.params["token"]
    # The preview is the requester's: another member of the board neither sees the job nor it.
    login(client, make_seated(proposal, Seat.MEMBER))
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(match.group(1).replace("&amp;", "&")).status_code == 302
    login(client, user)
    response = client.post(
        f"/proposals/{proposal.code}/import/confirm",
        data={"token": token, "change_note": "Bản lớn"},
    )
    assert response.status_code == 302
    sections = db.session.get(Proposal, proposal.id).drafts[0].sections
    assert [s.heading for s in sections] == ["Sự cần thiết", "Bối cảnh"]


def test_a_bad_large_draft_file_fails_with_the_importers_message(app, client, make_proposal):
    app.config["IMPORT_JOB_BYTES"] = 10
    proposal = make_proposal(sections=[], publish=False)
    user = proposal.chair
    login(client, user)
    job_id = _job_id(
        client.post(f"/proposals/{proposal.code}/import",
                    data=_upload("this is not a zip file", "du-thao.docx"),
                    content_type="multipart/form-data")
    )  # fmt: skip
    queue.work_off(app)
    job = _reload(job_id)
    assert job.state is JobState.FAILED and "docx" in job.error
    assert job.error in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert list((Path(app.config["DATA_DIR"]) / "imports" / "uploads").glob("*")) == []


def test_e_mails_leave_right_after_the_commit_that_wrote_them(app, consultation, monkeypatch):
    """With a worker, a published draft's invitations are sent at once, not at the next run."""
    from consult.models import EmailState
    from consult.services import notifications

    app.config["JOBS_SEND_MAIL_AT_ONCE"] = True
    c = consultation
    c.draft.closes_at = utcnow() + timedelta(hours=20)  # reminders would be due
    db.session.commit()
    huey = queue.huey_of(app)
    huey.flush()
    notifications.draft_published(c.draft)
    db.session.rollback()  # a transaction that does not commit sends nothing
    assert len(huey) == 0
    notifications.draft_published(c.draft)
    db.session.commit()
    assert len(huey) == 1
    queue.work_off(app)
    sent = db.session.scalars(select(Notification)).all()
    assert sent and all(n.email_state is EmailState.SENT for n in sent)
    # Only the outbox: the deadline reminders wait for the periodic run (or the cron line).
    assert {n.kind for n in sent} == {NotificationKind.DRAFT_PUBLISHED}
