"""Background jobs: long work (exports, imports, the e-mail outbox) done by a worker.

The queue (Huey) only carries "run job N"; this table holds what users see and what must
survive a dead worker: who asked, what, its state and progress, the result file, the error
shown to the user, and the lease the running worker keeps renewing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import User, enum_column
from consult.models.base import TimestampMixin, UTCDateTime, utcnow
from consult.models.drafts import IllegalTransition


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(JOB_STATE_LABELS[self])

    @property
    def is_finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


JOB_STATE_LABELS = {
    JobState.QUEUED: _l("Waiting for a worker"),
    JobState.RUNNING: _l("Running"),
    JobState.DONE: _l("Done"),
    JobState.FAILED: _l("Failed"),
    JobState.CANCELLED: _l("Cancelled"),
}


class Job(TimestampMixin, db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_requested_by_created", "requested_by_id", "created_at"),
        Index("ix_jobs_state_lease", "state", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A name in consult.models.job_kinds (e.g. "report"), with its parameters.
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )
    # What the job is about (a draft, a proposal, a workshop): who else may see its file.
    subject_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    subject_id: Mapped[int | None] = mapped_column(nullable=True)

    state: Mapped[JobState] = mapped_column(
        enum_column(JobState), nullable=False, default=JobState.QUEUED
    )
    progress_done: Mapped[int] = mapped_column(nullable=False, default=0)
    progress_total: Mapped[int | None] = mapped_column(nullable=True)
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    # The running attempt's token and how long its worker is believed alive without news.
    lease_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(nullable=False, default=False)

    # The finished file: its name under DATA_DIR/jobs, what the user downloads it as.
    result_path: Mapped[str | None] = mapped_column(String(200), nullable=True)
    result_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    result_mimetype: Mapped[str | None] = mapped_column(String(120), nullable=True)
    result_size: Mapped[int | None] = mapped_column(nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Said to the user when the job failed, in the requester's language.
    error: Mapped[str | None] = mapped_column(Text, nullable=True)

    requested_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"

    # --- who may do what --------------------------------------------------------------

    def can_view(self, user) -> bool:
        """The requester, and whoever may see the page the job's subject is exported from."""
        if not (user and user.is_authenticated):
            return False
        if user.id == self.requested_by_id:
            return True
        from consult.models.job_kinds import subject_allows

        return subject_allows(self, user)

    def can_edit(self, user) -> bool:
        """Retry and cancel: the requester only."""
        return bool(user and user.is_authenticated) and user.id == self.requested_by_id

    # --- state ------------------------------------------------------------------------

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def has_file(self) -> bool:
        return self.state is JobState.DONE and self.result_path is not None and not self.is_expired

    @property
    def can_retry(self) -> bool:
        return self.state in (JobState.FAILED, JobState.CANCELLED) or (
            self.state is JobState.DONE and self.is_expired
        )

    @property
    def can_cancel(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def fraction(self) -> float | None:
        if not self.progress_total:
            return None
        return min(1.0, self.progress_done / self.progress_total)

    def cancel(self) -> None:
        if not self.can_cancel:
            raise IllegalTransition(_l("This job has already finished."))
        if self.state is JobState.QUEUED:
            self.state = JobState.CANCELLED
            self.finished_at = utcnow()
        else:
            # The worker sees the flag at its next progress report and stops there.
            self.cancel_requested = True

    def requeue(self) -> None:
        """Back to the queue: after a failure or cancellation (retry), or a dead worker."""
        if self.state is JobState.QUEUED:
            raise IllegalTransition(_l("This job is already waiting for a worker."))
        if self.state is JobState.DONE and not self.is_expired:
            raise IllegalTransition(_l("This job has already finished."))
        self.state = JobState.QUEUED
        self.progress_done = 0
        self.progress_total = None
        self.lease_token = None
        self.lease_until = None
        self.cancel_requested = False
        self.error = None
        self.result_path = None
        self.result_size = None
        self.expires_at = None
        self.finished_at = None
