"""What the report writers share: fonts, text cleaning, the report's labels and the sheet columns.

Every string the documents print comes from the report's labels, laid over
`VIETNAMESE_LABELS` (see `consult.documents.summary`). Datetimes are shown in Vietnam time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from consult.documents.frame import OfficialFrame, document_date
from consult.documents.summary import VIETNAMESE_LABELS, ReportRow, SummaryReport
from consult.text import xml_safe
from consult.timeutil import VIETNAM

if TYPE_CHECKING:
    from consult.models import AuditEvent


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------


def _labels(report: SummaryReport) -> dict[str, str]:
    return {**VIETNAMESE_LABELS, **(report.labels or {})}


_clean = xml_safe


def _num(n: int, labels: dict[str, str]) -> str:
    return f"{n:,}".replace(",", labels.get("thousands_sep", ","))


def _vietnam(value: datetime | None) -> datetime | None:
    """An aware datetime in Vietnam time; a naive one is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VIETNAM)


def _short_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _vietnam(value).date()
    return value.strftime("%d/%m/%Y")


def _place_date(report: SummaryReport, labels: dict[str, str]) -> str:
    return document_date(report.place, report.issued_on, labels)


def _title_lines(report: SummaryReport, labels: dict[str, str]) -> list[str]:
    return [
        labels["title"],
        labels["title_draft"].format(
            title=report.proposal_title.upper(), number=report.draft_number
        ),
    ]


def report_frame(report: SummaryReport, labels: dict[str, str]) -> OfficialFrame:
    """The report's administrative frame (heading block, title, "Nơi nhận", signature)."""
    return OfficialFrame(
        parent_body=report.parent_body,
        issuing_body=report.issuing_body,
        symbol=report.symbol,
        number=report.number,
        place=report.place,
        issued_on=report.issued_on,
        title_lines=_title_lines(report, labels),
        recipients=list(report.recipients),
        signer_authority=report.signer_authority,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
        labels=labels,
    )


def _count_paragraphs(report: SummaryReport, labels: dict[str, str]) -> list[tuple[str, int]]:
    """The counts as (text, level) paragraphs: level 0 for "1.", "2.", level 1 below."""
    c = report.counts
    sep = labels["list_separator"]

    def items(mapping: dict[str, int]) -> str:
        return sep.join(
            labels["count_item"].format(label=k, n=_num(v, labels)) for k, v in mapping.items()
        )

    out: list[tuple[str, int]] = []
    if c.consulted_by_kind:
        out.append(
            (
                labels["count_consulted"].format(
                    n=_num(c.consulted, labels), by_kind=items(c.consulted_by_kind)
                ),
                0,
            )
        )
    else:
        out.append((labels["count_consulted_plain"].format(n=_num(c.consulted, labels)), 0))
    if report.period_opens and report.period_closes:
        out.append(
            (
                labels["count_period"].format(
                    opens=_short_date(report.period_opens),
                    closes=_short_date(report.period_closes),
                ),
                1,
            )
        )
    out.append((labels["count_letters"].format(n=_num(c.letters_received, labels)), 1))
    out.append((labels["count_results"].format(n=_num(c.responded, labels)), 0))
    if c.agreed:
        bodies = sep.join(
            labels["agreed_with_letter"].format(body=body, letter=letter) if letter else body
            for body, letter in c.agreed
        )
        out.append((labels["count_agreed"].format(n=_num(len(c.agreed), labels), bodies=bodies), 1))
    else:
        out.append((labels["count_agreed_zero"], 1))
    out.append(
        (
            labels["count_commented"].format(
                n=_num(c.commented, labels), comments=_num(c.comments, labels)
            ),
            1,
        )
    )
    if c.by_status:
        out.append((labels["count_by_status"].format(items=items(c.by_status)), 1))
    if c.not_responded:
        out.append(
            (
                labels["count_not_responded"].format(
                    n=_num(len(c.not_responded), labels), bodies=sep.join(c.not_responded)
                ),
                1,
            )
        )
    else:
        out.append((labels["count_not_responded_zero"], 1))
    if c.silence_counts_as_agreement:
        out.append((labels["silence_agreement"], 1))
    return [(_clean(text), level) for text, level in out]


def _group_key(row: ReportRow) -> tuple[str | None, str, str]:
    return (row.section_key, row.section_number, row.section_heading)


def _section_title(row: ReportRow, labels: dict[str, str]) -> str:
    if row.section_key is None:
        return labels["general_section"]
    number = (row.section_number or "").strip()
    heading = (row.section_heading or "").strip()
    if number and heading:
        joiner = " " if number.endswith((".", ":", ")")) else ". "
        return _clean(f"{number}{joiner}{heading}")
    return _clean(number or heading)


def _comment_parts(row: ReportRow, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The comment cell as (style, text) paragraphs: quote in italics, comment, proposal."""
    parts: list[tuple[str, str]] = []
    if row.quote and row.quote.strip():
        parts.append(("I", labels["quote"].format(quote=_clean(row.quote.strip()))))
    parts.append(("", _clean(row.comment)))
    if row.proposes_deletion:
        parts.append(("BI", proposed_deletion(row, labels)))
    elif row.proposed_text and row.proposed_text.strip():
        parts.append(("BI", labels["proposed_prefix"]))
        parts.append(("", _clean(row.proposed_text.strip())))
    return parts


def proposed_deletion(row: ReportRow, labels: dict[str, str]) -> str:
    """How a deletion proposal reads: of the quoted passage, or of the whole section."""
    return labels["proposed_deletion" if row.quote else "proposed_deletion_section"]


# --------------------------------------------------------------------------------------
# Spreadsheet columns, shared by XLSX and CSV
# --------------------------------------------------------------------------------------

# (label key, width in Excel characters, kind) — kind "int", "text", "datetime".
_SHEET_COLUMNS: list[tuple[str, float, str]] = [
    ("xcol_number", 6, "int"),
    ("xcol_section_number", 10, "text"),
    ("xcol_section_heading", 28, "text"),
    ("xcol_departments", 30, "text"),
    ("xcol_kind", 16, "text"),
    ("xcol_source", 12, "text"),
    ("xcol_quote", 36, "text"),
    ("xcol_comment", 60, "text"),
    ("xcol_proposed", 36, "text"),
    ("xcol_answer", 60, "text"),
    ("xcol_status", 18, "text"),
    ("xcol_submitted_at", 17, "datetime"),
    ("xcol_answered_at", 17, "datetime"),
    ("xcol_comment_ids", 14, "text"),
]


def _sheet_values(row: ReportRow, labels: dict[str, str]) -> list[Any]:
    return [
        row.number,
        row.section_number if row.section_key is not None else "",
        row.section_heading if row.section_key is not None else labels["general_section"],
        "; ".join(row.departments),
        row.kind,
        row.source,
        row.quote or "",
        row.comment,
        proposed_deletion(row, labels) if row.proposes_deletion else row.proposed_text or "",
        row.answer or "",
        row.status,
        _vietnam(row.submitted_at),
        _vietnam(row.answered_at),
        ", ".join(str(i) for i in row.comment_ids),
    ]


# --------------------------------------------------------------------------------------
# Audit log columns, shared by XLSX and CSV
# --------------------------------------------------------------------------------------


def _audit_headings() -> list[str]:
    return [
        _("Time"), _("Action"), _("User"), _("Email"), _("IP address"), _("Object"),
        _("Object id"), _("Details"),
    ]  # fmt: skip


def _audit_values(event: AuditEvent) -> list:
    return [
        event.created_at.astimezone(VIETNAM).replace(tzinfo=None),
        event.action.label,
        event.actor.full_name if event.actor else "",
        event.actor_email or "",
        event.ip or "",
        event.object_type or "",
        event.object_id,
        event.detail or "",
    ]
