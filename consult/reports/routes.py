"""The summary report of a draft: a web page, and downloads in DOCX, XLSX, CSV and PDF."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from consult.documents.report import (
    CHART_FORMATS,
    FORMATS,
    MIMETYPES,
    report_filename,
    write_report,
)
from consult.extensions import db
from consult.jobs.views import started
from consult.models import (
    CommentKind,
    CommentSource,
    CommentStatus,
)
from consult.permissions import load_draft, load_proposal, login_required
from consult.reports import bp
from consult.reports import jobs as report_jobs
from consult.services import comments as comment_service
from consult.services import exports
from consult.services import reports as report_service
from consult.services.reports import ReportFilters, charts_for
from consult.utils import paginate_rows, send_written


@bp.route("/proposals/<code>/drafts/<int:number>/report")
@login_required
def summary(code: str, number: int):
    draft = load_draft(code, number, can="report")
    filters = ReportFilters.from_args(request.args)
    report = report_service.summary_report(draft, filters)
    # The page shows the rows a page at a time (a national consultation has a million);
    # the downloads stream every row.
    rows = paginate_rows(
        lambda start, limit: report_service.report_rows(draft, filters, start, limit),
        lambda: report_service.count_rows(draft, filters),
        per_page=current_app.config["REPORT_PER_PAGE"],
    )
    departments = comment_service.commenting_departments(draft)
    return render_template(
        "reports/summary.html",
        draft=draft,
        proposal=draft.proposal,
        report=report,
        rows=rows,
        charts=charts_for(draft, report),
        filters=filters,
        filter_args=filters.to_args(),
        departments=departments,
        statuses=list(CommentStatus),
        kinds=list(CommentKind),
        sources=list(CommentSource),
        formats=FORMATS,
    )


@bp.route("/proposals/<code>/everything.xlsx", methods=["GET", "POST"])
@login_required
def everything(code: str):
    """One workbook with every draft of the proposal, its comments and their answers."""
    from flask_babel import gettext as _

    from consult.documents.xlsx import write_everything_xlsx

    proposal = load_proposal(code, can="export_everything")
    exports.record_download(
        "everything",
        proposal,
        actor=current_user,
        allowed=proposal.can_export_everything,
        format="xlsx",
    )
    if request.method == "POST":  # made by a worker; its page shows the progress
        return started(report_jobs.start_everything(proposal, current_user))
    drafts = [d for d in proposal.drafts if d.is_published]
    reports = ((_("Draft %(n)d", n=d.number), report_service.summary_report(d)) for d in drafts)
    db.session.commit()
    return send_written(
        lambda out: write_everything_xlsx(reports, out),
        MIMETYPES["xlsx"],
        f"{proposal.code}-tat-ca-du-thao.xlsx",
    )


@bp.route("/proposals/<code>/drafts/<int:number>/report.<fmt>", methods=["GET", "POST"])
@login_required
def download(code: str, number: int, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    draft = load_draft(code, number, can="report")
    filters = ReportFilters.from_args(request.args)
    exports.record_download(
        "report",
        draft,
        actor=current_user,
        allowed=draft.can_report,
        format=fmt,
        filters=request.args.to_dict(),
    )
    if request.method == "POST":  # made by a worker; its page shows the progress
        return started(report_jobs.start_report(draft, fmt, filters, current_user))
    report = report_service.summary_report(draft, filters)
    charts = [c.encode("utf-8") for c in charts_for(draft, report)] if fmt in CHART_FORMATS else ()
    db.session.commit()
    return send_written(
        lambda out: write_report(report, fmt, out, charts=charts),
        MIMETYPES[fmt],
        report_filename(draft.proposal.code, draft.number, fmt),
    )
