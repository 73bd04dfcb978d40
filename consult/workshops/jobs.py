"""A workshop's packet (before it) and report (after it), in DOCX or PDF, as background jobs."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import Workshop
from consult.models.job_kinds import JobError, JobKind, Output, register

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _workshop(job) -> Workshop | None:
    return db.session.get(Workshop, job.params.get("workshop_id"))


def _title(job) -> str:
    workshop = _workshop(job)
    name = workshop.title if workshop else "?"
    fmt = job.params.get("fmt", "").upper()
    if job.params.get("kind") == "packet":
        return _("Workshop packet: %(title)s (%(fmt)s)", title=name, fmt=fmt)
    return _("Workshop report: %(title)s (%(fmt)s)", title=name, fmt=fmt)


def filename(workshop: Workshop, kind: str, fmt: str) -> str:
    return f"hoi-thao-{workshop.id}-{'tai-lieu' if kind == 'packet' else 'bao-cao'}.{fmt}"


def write(workshop: Workshop, kind: str, fmt: str) -> bytes:
    from consult.services import workshops as workshop_service

    packet = kind == "packet"
    if fmt == "pdf":
        return workshop_service.workshop_pdf(workshop, packet)
    if packet:
        return workshop_service.packet_docx(workshop)
    return workshop_service.report_docx(workshop)


def _run(job, progress, out) -> Output:
    workshop = _workshop(job)
    if workshop is None:
        raise JobError(_("This workshop no longer exists."))
    kind, fmt = job.params["kind"], job.params["fmt"]
    progress(0, 1, force=True)
    out.write(write(workshop, kind, fmt))
    progress(1, 1, force=True)
    return Output(filename(workshop, kind, fmt), MIMETYPES[fmt])


WORKSHOP_DOCUMENT = register(
    JobKind(
        name="workshop",
        title=_title,
        run=_run,
        subject=_workshop,
        allows=lambda workshop, user: workshop.can_view(user),
        back_url=lambda job: (
            url_for("workshops.view_workshop", workshop_id=job.params["workshop_id"])
            if _workshop(job)
            else None
        ),
    )
)


def start(workshop: Workshop, kind: str, fmt: str, user):
    from consult.services import jobs

    return jobs.submit(
        WORKSHOP_DOCUMENT.name,
        {"workshop_id": workshop.id, "kind": kind, "fmt": fmt},
        user,
        workshop,
    )
