"""Report exports as background jobs: a draft's summary report in any format, and the
workbook of every draft of a proposal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import url_for
from flask_babel import gettext as _

from consult.documents.report import CHART_FORMATS, MIMETYPES, report_filename, write_report
from consult.extensions import db
from consult.models import Draft, Proposal
from consult.models.job_kinds import JobError, JobKind, Output, register
from consult.services import reports as report_service
from consult.services.reports import ReportFilters


def _counted(rows: Iterable, progress, done: int = 0, total: int | None = None) -> Iterator:
    for row in rows:
        yield row
        done += 1
        progress(done, total)


def _draft(job) -> Draft | None:
    return db.session.get(Draft, job.params.get("draft_id"))


def _proposal(job) -> Proposal | None:
    return db.session.get(Proposal, job.params.get("proposal_id"))


def _report_title(job) -> str:
    draft = _draft(job)
    return _(
        "Summary report of draft %(n)s of %(code)s (%(fmt)s)",
        n=draft.number if draft else "?",
        code=draft.proposal.code if draft else "?",
        fmt=job.params.get("fmt", "").upper(),
    )


def _run_report(job, progress, out) -> Output:
    draft = _draft(job)
    if draft is None:
        raise JobError(_("The draft of this report no longer exists."))
    fmt = job.params["fmt"]
    filters = ReportFilters.from_args(job.params.get("filters") or {})
    total = report_service.count_rows(draft, filters)
    progress(0, total, force=True)
    report = report_service.summary_report(draft, filters)
    report.rows = _counted(report.rows, progress, total=total)
    charts = ()
    if fmt in CHART_FORMATS:
        charts = [c.encode("utf-8") for c in report_service.charts_for(draft, report)]
    write_report(report, fmt, out, charts=charts)
    return Output(report_filename(draft.proposal.code, draft.number, fmt), MIMETYPES[fmt])


def _report_back(job) -> str | None:
    draft = _draft(job)
    if draft is None:
        return None
    return url_for(
        "reports.summary",
        code=draft.proposal.code,
        number=draft.number,
        **(job.params.get("filters") or {}),
    )


REPORT = register(
    JobKind(
        name="report",
        title=_report_title,
        run=_run_report,
        subject=_draft,
        allows=lambda draft, user: draft.can_report(user),
        back_url=_report_back,
    )
)


def _everything_title(job) -> str:
    proposal = _proposal(job)
    return _(
        "Every draft of %(code)s with its comments (XLSX)", code=proposal.code if proposal else "?"
    )


def _run_everything(job, progress, out) -> Output:
    from consult.documents.xlsx import write_everything_xlsx

    proposal = _proposal(job)
    if proposal is None:
        raise JobError(_("This proposal no longer exists."))
    drafts = [d for d in proposal.drafts if d.is_published]
    counts = [report_service.count_rows(d, ReportFilters()) for d in drafts]
    total = sum(counts)
    progress(0, total, force=True)

    def reports():
        done = 0
        for draft, count in zip(drafts, counts, strict=True):
            report = report_service.summary_report(draft)
            report.rows = _counted(report.rows, progress, done, total)
            yield _("Draft %(n)d", n=draft.number), report
            done += count

    write_everything_xlsx(reports(), out)
    return Output(f"{proposal.code}-tat-ca-du-thao.xlsx", MIMETYPES["xlsx"])


EVERYTHING = register(
    JobKind(
        name="everything",
        title=_everything_title,
        run=_run_everything,
        subject=_proposal,
        allows=lambda proposal, user: proposal.can_export_everything(user),
        back_url=lambda job: (
            url_for("drafts.view_proposal", code=_proposal(job).code) if _proposal(job) else None
        ),
    )
)


def start_report(draft: Draft, fmt: str, filters: ReportFilters, user):
    from consult.services import jobs

    return jobs.submit(
        REPORT.name, {"draft_id": draft.id, "fmt": fmt, "filters": filters.to_args()}, user, draft
    )


def start_everything(proposal: Proposal, user):
    from consult.services import jobs

    return jobs.submit(EVERYTHING.name, {"proposal_id": proposal.id}, user, proposal)
