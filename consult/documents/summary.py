"""The data a summary report is made of, independent of any output format.

"Bản tổng hợp ý kiến, tiếp thu, giải trình ý kiến góp ý": the app builds a `SummaryReport`
(from the database, in whatever language the user reads) and hands it to the writers in
`consult.documents`. Nothing here touches Flask or the database.

Every string the writers print comes from `SummaryReport.labels`. The writers start from
`VIETNAMESE_LABELS` and overlay the report's labels, so a report may pass only the keys it
changes (the app passes `consult.documents.labels`, translated). Some labels are templates
for `str.format` with named fields (documented next to each key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from consult.documents.frame import FRAME_LABELS


@dataclass(kw_only=True, slots=True)
class ReportRow:
    """One line of the report's table: a comment, or several comments that say the same thing.

    `section_key` is None for the "Góp ý chung" (general comments) group. Rows must arrive
    ordered by section: rows of one section are contiguous, and the writers group (merge)
    consecutive rows that share `section_key`, `section_number` and `section_heading`.
    Datetimes are timezone-aware; the writers show them in Vietnam time.
    """

    number: int
    section_number: str
    section_heading: str
    section_key: str | None
    departments: list[str]
    kind: str
    source: str
    comment: str
    quote: str | None = None
    proposed_text: str | None = None
    # A proposal to delete the quoted passage (the section, without a quote).
    proposes_deletion: bool = False
    answer: str | None = None
    status: str = ""
    submitted_at: datetime | None = None
    answered_at: datetime | None = None
    comment_ids: list[int] = field(default_factory=list)


@dataclass(kw_only=True, slots=True)
class ReportCounts:
    """The figures of the report's first part.

    `consulted_by_kind` and `by_status` map a display label to a number, in display order.
    `agreed` lists the bodies that agreed with the draft without comments, with the number
    of their official letter (None when there was none).
    """

    consulted: int = 0
    consulted_by_kind: dict[str, int] = field(default_factory=dict)
    letters_received: int = 0
    responded: int = 0
    agreed: list[tuple[str, str | None]] = field(default_factory=list)
    commented: int = 0
    comments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    not_responded: list[str] = field(default_factory=list)
    silence_counts_as_agreement: bool = False


@dataclass(kw_only=True, slots=True)
class SummaryReport:
    """A whole report. `rows` may be a generator: every writer iterates it exactly once."""

    issuing_body: str
    place: str
    issued_on: date
    proposal_title: str
    draft_number: int
    counts: ReportCounts
    rows: Iterable[ReportRow]
    period_opens: datetime | None = None
    period_closes: datetime | None = None
    # The administrative frame (see `consult.documents.frame.OfficialFrame`).
    parent_body: str = ""
    symbol: str = ""
    number: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    labels: dict[str, str] = field(default_factory=lambda: dict(VIETNAMESE_LABELS))


VIETNAMESE_LABELS: dict[str, str] = {
    # Language of the document (DOCX w:lang, PDF /Lang).
    "lang": "vi-VN",
    # Digit group separator for counts: 280.000.000 in Vietnamese.
    "thousands_sep": ".",
    # Heading block, date and closing block: national_name, motto, place_date, month_N,
    # number_line, recipients_label, ... (see FRAME_LABELS).
    **FRAME_LABELS,
    # Title, two lines. Fields of title_draft: title (upper-cased), number.
    "title": "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý",
    "title_draft": "ĐỐI VỚI DỰ THẢO {title} (lần {number})",
    # Part I: the counts. Fields are named in braces.
    "counts_heading": "I. TÌNH HÌNH LẤY Ý KIẾN GÓP Ý",
    "count_consulted": "1. Số cơ quan, đơn vị được lấy ý kiến: {n}, gồm: {by_kind}.",
    "count_consulted_plain": "1. Số cơ quan, đơn vị được lấy ý kiến: {n}.",
    "count_period": "Thời gian lấy ý kiến: từ ngày {opens} đến ngày {closes}.",
    "count_letters": "Số văn bản góp ý nhận được: {n}.",
    "count_results": "2. Kết quả: {n} cơ quan, đơn vị có văn bản trả lời, trong đó:",
    "count_agreed": "a) {n} cơ quan, đơn vị thống nhất với dự thảo, không có ý kiến khác: "
    "{bodies}.",
    "count_agreed_zero": "a) Không có cơ quan, đơn vị nào thống nhất với dự thảo mà không có "
    "ý kiến khác.",
    "agreed_with_letter": "{body} (văn bản số {letter})",
    "count_commented": "b) {n} cơ quan, đơn vị có ý kiến góp ý, với tổng số {comments} ý kiến.",
    "count_by_status": "Kết quả tiếp thu, giải trình: {items}.",
    "count_item": "{label}: {n}",
    "count_not_responded": "c) {n} cơ quan, đơn vị không có văn bản trả lời: {bodies}.",
    "count_not_responded_zero": "c) Tất cả cơ quan, đơn vị được lấy ý kiến đều đã có văn bản "
    "trả lời.",
    "silence_agreement": "Theo văn bản lấy ý kiến, cơ quan, đơn vị không có văn bản trả lời "
    "được coi là thống nhất với dự thảo.",
    "list_separator": "; ",
    # Part II: the table.
    "table_heading": "II. NỘI DUNG GÓP Ý VÀ Ý KIẾN TIẾP THU, GIẢI TRÌNH",
    "col_number": "STT",
    "col_section": "Mục / phần",
    "col_departments": "Cơ quan góp ý",
    "col_comment": "Nội dung góp ý",
    "col_answer": "Ý kiến tiếp thu, giải trình",
    "col_status": "Kết quả",
    "general_section": "Góp ý chung",
    "section_continued": "(tiếp theo)",
    # Fields: quote.
    "quote": "“{quote}”",
    "proposed_prefix": "Đề xuất sửa thành:",
    "proposed_deletion": "Đề xuất bỏ đoạn này.",
    "proposed_deletion_section": "Đề xuất bỏ mục này.",
    "no_answer": "",
    "no_rows": "Không có ý kiến góp ý.",
    # Spreadsheet and CSV columns (one row per table row).
    "sheet_rows": "Tổng hợp ý kiến",
    "sheet_counts": "Số liệu",
    "xcol_number": "STT",
    "xcol_section_number": "Số mục",
    "xcol_section_heading": "Tên mục",
    "xcol_departments": "Cơ quan góp ý",
    "xcol_kind": "Loại góp ý",
    "xcol_source": "Nguồn",
    "xcol_quote": "Đoạn trích",
    "xcol_comment": "Nội dung góp ý",
    "xcol_proposed": "Đề xuất sửa thành",
    "xcol_answer": "Ý kiến tiếp thu, giải trình",
    "xcol_status": "Kết quả",
    "xcol_submitted_at": "Thời gian gửi",
    "xcol_answered_at": "Thời gian trả lời",
    "xcol_comment_ids": "Mã ý kiến",
    # The counts sheet.
    "stat_label": "Chỉ tiêu",
    "stat_value": "Giá trị",
    "stat_issuing_body": "Cơ quan tổng hợp",
    "stat_proposal": "Dự thảo",
    "stat_draft_number": "Lần dự thảo",
    "stat_issued_on": "Ngày lập",
    "stat_period_opens": "Bắt đầu lấy ý kiến",
    "stat_period_closes": "Hạn góp ý",
    "stat_consulted": "Số cơ quan, đơn vị được lấy ý kiến",
    "stat_letters": "Số văn bản góp ý nhận được",
    "stat_responded": "Số cơ quan, đơn vị có văn bản trả lời",
    "stat_agreed": "Số cơ quan, đơn vị thống nhất, không có ý kiến khác",
    "stat_commented": "Số cơ quan, đơn vị có ý kiến góp ý",
    "stat_comments": "Tổng số ý kiến góp ý",
    "stat_not_responded": "Số cơ quan, đơn vị không có văn bản trả lời",
    "stat_silence": "Không trả lời được coi là thống nhất",
    "stat_by_kind": "Được lấy ý kiến: {label}",
    "stat_by_status": "Kết quả: {label}",
    "stat_agreed_bodies": "Cơ quan, đơn vị thống nhất với dự thảo",
    "stat_letter": "Số văn bản",
    "stat_not_responded_bodies": "Cơ quan, đơn vị không có văn bản trả lời",
    "yes": "Có",
    "no": "Không",
    # Chart without data.
    "chart_empty": "Chưa có số liệu",
    # In Word, where a chart could not be drawn (no cairo library on the server).
    "chart_unavailable": "(Biểu đồ không hiển thị được trong bản Word; xem bản PDF.)",
}
