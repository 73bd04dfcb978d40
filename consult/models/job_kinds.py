"""The kinds of job the worker knows: what each does, what it is called, who sees its file.

Each area registers its own kinds (``consult/reports/jobs.py``, ``consult/workshops/jobs.py``,
``consult/drafts/jobs.py``, imported by the area's views, so by every app and worker) with
`register`; the worker runs a job by its kind's name. Plain data beside the Job model: it
imports nothing above the models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from consult.exceptions import UserFacingError

Job = Any  # consult.models.jobs.Job (not imported: that module imports this one)


class JobError(UserFacingError):
    """A job stopped for a reason the requester must read (shown on the job's page)."""


class JobCancelled(Exception):  # noqa: N818  (a signal, not an error)
    """Raised inside a job when its requester cancelled it."""


@dataclass(frozen=True)
class Output:
    """What a job wrote into its file: the name it downloads as and its type."""

    filename: str
    mimetype: str


@dataclass(frozen=True)
class JobKind:
    name: str
    # The job's title on its page, e.g. "Summary report, draft 3 (XLSX)".
    title: Callable[[Job], str]
    # run(job, progress, out) writes the result into ``out`` and returns its Output, or None
    # for a job without a file. ``progress(done, total)`` reports how far it is (and raises
    # JobCancelled when the requester cancelled).
    run: Callable[[Job, Callable[[int, int | None], None], IO[bytes]], Output | None]
    # The object the job is about, and whether a user other than the requester may see
    # the job and its file: the same model methods as the page it was started from.
    subject: Callable[[Job], Any] | None = None
    allows: Callable[[Any, Any], bool] | None = None
    # Where "back" goes from the job's page.
    back_url: Callable[[Job], str | None] | None = None
    # For a job that makes no file: where its result is seen once it is done (a preview).
    next_url: Callable[[Job], str | None] | None = None
    next_label: Callable[[Job], str] | None = None
    # Run by the worker's maintenance with the time: removes what the kind left behind.
    clean_up: Callable[[Any], None] | None = None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(job: Job) -> JobKind:
    try:
        return KINDS[job.kind]
    except KeyError:
        raise JobError(f"unknown job kind {job.kind!r}") from None


def subject_allows(job: Job, user) -> bool:
    kind = KINDS.get(job.kind)
    if kind is None or kind.subject is None or kind.allows is None:
        return False
    subject = kind.subject(job)
    return subject is not None and bool(kind.allows(subject, user))
