"""Excel workbooks: the summary report, every draft of a proposal, the audit log.

XlsxWriter in constant-memory mode spills rows to a temporary file, so rows stream.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from flask_babel import gettext as _

from consult.documents.common import (
    _SHEET_COLUMNS,
    _audit_headings,
    _audit_values,
    _clean,
    _labels,
    _sheet_values,
    _title_lines,
    _vietnam,
)
from consult.documents.summary import SummaryReport
from consult.text import NEEDS_XML_SAFE

if TYPE_CHECKING:
    from consult.models import AuditEvent

# Excel refuses longer cell texts, and more rows in a sheet (the header takes one).
XLSX_MAX_TEXT = 32767
XLSX_MAX_ROWS = 1_048_575

# Printing: A4 (XlsxWriter's paper 9), landscape, every column on the page's width.
XLSX_PAPER_A4 = 9
# Excel's tallest row (points), and the height of one line of its default 11 pt font.
XLSX_MAX_ROW_PT = 409
XLSX_LINE_PT = 15.0

# --------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------


def set_print_layout(sheet: Any, header_rows: int = 1) -> None:
    """How a sheet prints: landscape A4, fit to the page's width (as many pages down as it
    takes), the header row repeated on every page, narrow margins, page numbers below.

    Kept apart from the writers so that any writer of these sheets (a streaming one too)
    sets the same; `tests/test_report_writers.py` reads them back with openpyxl."""
    sheet.set_landscape()
    sheet.set_paper(XLSX_PAPER_A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_rows - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C&P / &N")


def estimated_lines(text: str, width: float) -> int:
    """How many lines a wrapped cell of ``width`` (Excel characters) shows ``text`` on.

    An estimate from the text's length, one paragraph at a time (it keeps the writer fast:
    no font metrics); it leans to one line too many, never to text hidden under the next row.
    """
    per_line = max(width - 1.0, 1.0)
    return sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))


def row_height(values: Iterable[Any], widths: Iterable[float]) -> float | None:
    """The height (points) a row needs for its wrapped text, or None for a one-line row."""
    lines = max(
        (estimated_lines(v, w) for v, w in zip(values, widths) if isinstance(v, str) and v),
        default=1,
    )
    if lines <= 1:
        return None
    return min(lines * XLSX_LINE_PT, XLSX_MAX_ROW_PT)


_SHEET_WIDTHS = [width for _key, width, _kind in _SHEET_COLUMNS]


def _sheet_name(name: str, fallback: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'")[:31]
    return name or fallback


def _cell_text(value: str) -> str:
    value = _clean(value)
    if len(value) > XLSX_MAX_TEXT // 2 and len(value.encode("utf-16-le")) > 2 * XLSX_MAX_TEXT:
        # Excel counts UTF-16 code units.
        cut = value.encode("utf-16-le")[: 2 * (XLSX_MAX_TEXT - 1)]
        value = cut.decode("utf-16-le", errors="ignore") + "…"
    return value


def _write_row(
    sheet: Any, r: int, values: list[Any], *, number: Any, stamp: Any, wrap: Any
) -> None:
    """One report row in the columns of `_SHEET_COLUMNS`; empty cells stay empty, and the
    row is as tall as its longest wrapped text (constant-memory mode: set before the cells)."""
    height = row_height(values, _SHEET_WIDTHS)
    if height is not None:
        sheet.set_row(r, height)
    for col, value in enumerate(values):
        kind = _SHEET_COLUMNS[col][2]
        if value is None or value == "":
            continue
        if kind == "int":
            sheet.write_number(r, col, value, number)
        elif kind == "datetime":
            sheet.write_datetime(r, col, value.replace(tzinfo=None), stamp)
        else:
            sheet.write_string(r, col, _cell_text(value), wrap)


def write_xlsx(report: SummaryReport, fileobj: IO[bytes]) -> None:
    """Write the report as an Excel workbook into the binary file object `fileobj`.

    Sheet 1 has one row per `ReportRow` (bold frozen header, autofilter, wrapped text,
    Excel datetimes in Vietnam time); sheet 2 the counts. Past Excel's 1,048,575 rows the
    rows go on in further sheets ("<name> (2)", ...) after the counts. `fileobj` is not closed.

    The rows are written as XML text into temporary files (`_SheetRows`), at a fraction of
    XlsxWriter's cost per cell; XlsxWriter writes the rest (styles, header, print setup,
    filters, the counts), and the rows are spliced into its sheets (`_splice_rows`).
    """
    import xlsxwriter

    labels = _labels(report)
    skeleton = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        skeleton,
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties(
        {
            "title": _clean(" ".join(_title_lines(report, labels))),
            "author": _clean(report.issuing_body),
            "created": datetime.combine(report.issued_on, datetime.min.time()),
        }
    )
    header = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E2F3", "border": 1}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    number = workbook.add_format({"valign": "top", "align": "center"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    bold = workbook.add_format({"bold": True})

    row_sheet_name = _sheet_name(labels["sheet_rows"], "Sheet1")
    sheets = [workbook.add_worksheet(row_sheet_name)]
    stats = workbook.add_worksheet(_sheet_name(labels["sheet_counts"], "Sheet2"))

    def start_sheet(sheet: Any) -> None:
        headings = [labels[key] for key, _width, _kind in _SHEET_COLUMNS]
        height = row_height(headings, _SHEET_WIDTHS)
        if height is not None:
            sheet.set_row(0, height)
        for col, (key, width, kind) in enumerate(_SHEET_COLUMNS):
            fmt = {"int": number, "datetime": stamp}.get(kind, wrap)
            sheet.set_column(col, col, width, fmt)
            sheet.write_string(0, col, labels[key], header)
        sheet.freeze_panes(1, 0)
        set_print_layout(sheet)

    def end_sheet(sheet: Any, last_row: int) -> None:
        sheet.autofilter(0, 0, last_row, len(_SHEET_COLUMNS) - 1)

    start_sheet(sheets[0])
    # The style indexes of the cells' formats (XlsxWriter numbers a format when first used).
    styles = {k: f._get_xf_index() for k, f in (("int", number), ("datetime", stamp), ("", wrap))}
    parts = [_SheetRows(styles)]
    for row in report.rows:
        if parts[-1].count == XLSX_MAX_ROWS:
            # Excel's limit: go on in another sheet, "<name> (2)", after the counts sheet.
            suffix = f" ({len(sheets) + 1})"
            sheets.append(workbook.add_worksheet(row_sheet_name[: 31 - len(suffix)] + suffix))
            start_sheet(sheets[-1])
            parts.append(_SheetRows(styles))
        parts[-1].add(_sheet_values(row, labels))
    for sheet, part in zip(sheets, parts, strict=True):
        end_sheet(sheet, part.count)

    # Sheet 2: label / value rows, then the named bodies.
    c = report.counts
    stats.set_column(0, 0, 55, wrap)
    stats.set_column(1, 1, 30, wrap)
    set_print_layout(stats)
    r = 0
    stats.write_string(r, 0, labels["stat_label"], header)
    stats.write_string(r, 1, labels["stat_value"], header)
    stats.freeze_panes(1, 0)
    entries: list[tuple[str, Any]] = [
        (labels["stat_issuing_body"], report.issuing_body),
        (labels["stat_proposal"], report.proposal_title),
        (labels["stat_draft_number"], report.draft_number),
        (labels["stat_issued_on"], report.issued_on),
    ]
    if report.period_opens:
        entries.append((labels["stat_period_opens"], report.period_opens))
    if report.period_closes:
        entries.append((labels["stat_period_closes"], report.period_closes))
    entries += [
        (labels["stat_consulted"], c.consulted),
        *((labels["stat_by_kind"].format(label=k), v) for k, v in c.consulted_by_kind.items()),
        (labels["stat_letters"], c.letters_received),
        (labels["stat_responded"], c.responded),
        (labels["stat_agreed"], len(c.agreed)),
        (labels["stat_commented"], c.commented),
        (labels["stat_comments"], c.comments),
        *((labels["stat_by_status"].format(label=k), v) for k, v in c.by_status.items()),
        (labels["stat_not_responded"], len(c.not_responded)),
        (
            labels["stat_silence"],
            labels["yes"] if c.silence_counts_as_agreement else labels["no"],
        ),
    ]
    for label, value in entries:
        r += 1
        stats.write_string(r, 0, _cell_text(label))
        if isinstance(value, bool):
            stats.write_string(r, 1, str(value))
        elif isinstance(value, int):
            stats.write_number(r, 1, value)
        elif isinstance(value, datetime):
            stats.write_datetime(r, 1, _vietnam(value).replace(tzinfo=None), stamp)
        elif isinstance(value, date):
            stats.write_datetime(r, 1, value, day)
        else:
            stats.write_string(r, 1, _cell_text(str(value)))
    r += 2
    stats.write_string(r, 0, labels["stat_agreed_bodies"], bold)
    stats.write_string(r, 1, labels["stat_letter"], bold)
    for body, letter in c.agreed:
        r += 1
        stats.write_string(r, 0, _cell_text(body))
        if letter:
            stats.write_string(r, 1, _cell_text(letter))
    r += 2
    stats.write_string(r, 0, labels["stat_not_responded_bodies"], bold)
    for body in c.not_responded:
        r += 1
        stats.write_string(r, 0, _cell_text(body))
    workbook.close()
    order = workbook.worksheets()
    spliced = {f"xl/worksheets/sheet{order.index(s) + 1}.xml": p for s, p in zip(sheets, parts)}
    _splice_rows(skeleton, fileobj, spliced)


# Rows as XlsxWriter writes them in constant-memory mode: inline strings, a height when the
# text wraps; checked against it in tests/test_report_writers.py.
_LETTERS = [chr(ord("A") + i) for i in range(len(_SHEET_COLUMNS))]
_KINDS = [kind for _key, _width, kind in _SHEET_COLUMNS]
_EXCEL_EPOCH = datetime(1899, 12, 31)
XLSX_ROWS_BATCH = 2000


def _excel_serial(value: datetime) -> float:
    delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
    days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return days + 1 if days > 59 else days  # Excel's 29 February 1900


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Characters per line of each column, as `estimated_lines` counts them.
_PER_LINE = [int(max(width - 1.0, 1.0)) for width in _SHEET_WIDTHS]


class _SheetRows:
    """The data rows of one sheet as SpreadsheetML, kept in a temporary file.

    `add` is the report's inner loop (a million rows, a dozen cells each): it does inline
    what `row_height`, `_cell_text` and `_xml_text` do, taking the short way for the usual
    cell (one line, nothing to clean or escape); tests/test_report_writers.py checks the
    result against XlsxWriter's own.
    """

    def __init__(self, styles: dict[str, int]) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed once spliced)
        self.count = 0
        self._styles = [styles.get(kind, styles[""]) for kind in _KINDS]
        self._batch: list[str] = []

    def add(self, values: list[Any]) -> None:
        self.count += 1
        r = self.count + 1  # the header is row 1
        lines = 1
        cells = []
        append = cells.append
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = _KINDS[col]
            if kind == "int":
                append(f'<c r="{_LETTERS[col]}{r}" s="{self._styles[col]}"><v>{value:.16G}</v></c>')
            elif kind == "datetime":
                serial = _excel_serial(value)
                append(
                    f'<c r="{_LETTERS[col]}{r}" s="{self._styles[col]}"><v>{serial:.16G}</v></c>'
                )
            else:
                # The row's height, from the text as given (`row_height`).
                per_line = _PER_LINE[col]
                if len(value) > per_line or "\n" in value:
                    n = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
                    if n > lines:
                        lines = n
                text = value
                if NEEDS_XML_SAFE.search(text) or len(text) > XLSX_MAX_TEXT // 2:
                    text = _cell_text(text)
                if "&" in text or "<" in text or ">" in text:
                    text = _xml_text(text)
                # XlsxWriter's rule (a space first or last), without its regex's cost.
                if text[:1].isspace() or text[-1:].isspace():
                    append(
                        f'<c r="{_LETTERS[col]}{r}" s="{self._styles[col]}" t="inlineStr">'
                        f'<is><t xml:space="preserve">{text}</t></is></c>'
                    )
                else:
                    append(
                        f'<c r="{_LETTERS[col]}{r}" s="{self._styles[col]}" t="inlineStr">'
                        f"<is><t>{text}</t></is></c>"
                    )
        if lines > 1:  # in whole pixels, as XlsxWriter sets it
            height = 0.75 * int(min(lines * XLSX_LINE_PT, XLSX_MAX_ROW_PT) * 4.0 / 3.0 + 0.5)
            self._batch.append(f'<row r="{r}" ht="{height:g}" customHeight="1">')
        else:
            self._batch.append(f'<row r="{r}">')
        self._batch.append("".join(cells))
        self._batch.append("</row>")
        if len(self._batch) >= 3 * XLSX_ROWS_BATCH:
            self.flush()

    def flush(self) -> None:
        self.file.write("".join(self._batch).encode())
        self._batch.clear()


def _splice_rows(skeleton: io.BytesIO, out: IO[bytes], rows: dict[str, _SheetRows]) -> None:
    """Copy the workbook in ``skeleton`` into ``out``, each sheet named in ``rows`` with its
    rows after the header and its dimension set to them."""
    last_col = _LETTERS[-1]
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            part = rows.get(item.filename)
            if part is None:
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            part.flush()
            data = re.sub(
                rb'<dimension ref="[^"]*"/>',
                f'<dimension ref="A1:{last_col}{part.count + 1}"/>'.encode(),
                data,
                count=1,
            )
            head, tail = data.split(b"</sheetData>", 1)
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            size = part.file.tell()
            part.file.seek(0)
            # Past 4 GB an entry needs Zip64, asked for before writing; below, plain zip.
            with target.open(info, "w", force_zip64=size > 3_000_000_000) as entry:
                entry.write(head)
                shutil.copyfileobj(part.file, entry, 1 << 20)
                entry.write(b"</sheetData>" + tail)
            part.file.close()


def write_everything_xlsx(reports: Iterable[tuple[str, SummaryReport]], fileobj: IO[bytes]) -> None:
    """Every draft of a proposal in one workbook: a sheet per draft, the same columns as the
    report's first sheet, so the whole consultation can be analysed without the portal.

    `reports` pairs a sheet name with each draft's report; rows stream (constant memory).
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        fileobj,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    header = workbook.add_format({"bold": True, "text_wrap": True, "bg_color": "#D9E2F3"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    for index, (name, report) in enumerate(reports, start=1):
        labels = _labels(report)
        sheet = workbook.add_worksheet(_sheet_name(name, f"Sheet{index}"))
        for col, (key, width, _kind) in enumerate(_SHEET_COLUMNS):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, labels[key], header)
        sheet.freeze_panes(1, 0)
        set_print_layout(sheet)
        r = 0
        for row in report.rows:
            if r == XLSX_MAX_ROWS:
                break  # one sheet per draft: a draft past Excel's limit has its own report
            r += 1
            _write_row(sheet, r, _sheet_values(row, labels), number=None, stamp=stamp, wrap=wrap)
        sheet.autofilter(0, 0, r, len(_SHEET_COLUMNS) - 1)
    workbook.close()


def write_audit_xlsx(events: Iterable[AuditEvent], fileobj: IO[bytes]) -> None:
    """The audit events as one Excel sheet, in the order given, rows streamed."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        fileobj,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )  # fmt: skip
    sheet = workbook.add_worksheet(_("Audit log")[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss", "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    widths = (19, 28, 24, 30, 16, 16, 10, 60)
    for col, (title, width) in enumerate(zip(_audit_headings(), widths)):
        sheet.set_column(col, col, width, stamp if col == 0 else wrap)
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    set_print_layout(sheet)
    last = 0
    for last, event in enumerate(events, start=1):
        values = _audit_values(event)
        height = row_height(values, widths)
        if height is not None:
            sheet.set_row(last, height)
        for col, value in enumerate(values):
            if col == 0:
                sheet.write_datetime(last, col, value, stamp)
            elif isinstance(value, int):
                sheet.write_number(last, col, value)
            elif value:
                sheet.write_string(last, col, _clean(str(value)), wrap)
    sheet.autofilter(0, 0, max(last, 1), 7)
    workbook.close()
