"""The summary report: every format holds the same comments, answers and counts."""

from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from consult.extensions import db
from consult.models import CommentStatus
from consult.services import comments as comment_service
from consult.services import drafts as draft_service
from consult.services import triage as triage_service
from tests.conftest import login


@pytest.fixture
def answered(consultation):
    """Three submitted comments, two merged as duplicates, answered; one body agrees."""
    c = consultation
    p = c.people
    s = c.draft.sections
    a = comment_service.create_comment(
        c.draft, s[1], p.reviewer, kind="change", body="Đề nghị bổ sung an toàn thông tin.",
        quote="đô thị thông minh", proposed_text="đô thị số",
    )  # fmt: skip
    b = comment_service.create_comment(
        c.draft, None, p.reviewer, kind="general", body="Góp ý chung về bố cục."
    )
    twin = comment_service.create_comment(
        c.draft, s[1], p.other_reviewer, kind="change", body="Cần bổ sung phần an toàn thông tin."
    )
    comment_service.submit_response(c.draft, p.lead, letter_number="125/STTTT-VP")
    comment_service.submit_response(c.draft, p.other_lead, letter_number="88/SXD")
    triage_service.mark_duplicates(a, [twin], p.drafting)
    triage_service.answer_comment(a, p.drafting, status=CommentStatus.ACCEPTED,
                                  answer="Tiếp thu, bổ sung mục 5.4.")  # fmt: skip
    triage_service.answer_comment(b, p.drafting, status=CommentStatus.NOTED,
                                  answer="Ghi nhận, sẽ rà soát bố cục.")  # fmt: skip
    db.session.commit()
    c.comments = (a, b, twin)
    return c


EXPECTED = [
    "Đề nghị bổ sung an toàn thông tin.",
    "Tiếp thu, bổ sung mục 5.4.",
    "Góp ý chung về bố cục.",
    "Ghi nhận, sẽ rà soát bố cục.",
    "Sở Thông tin và Truyền thông",
    "Sở Xây dựng",
]


def download(client, c, fmt, query=""):
    response = client.get(f"{c.base}/report.{fmt}{query}")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.data


def test_web_page(client, answered):
    c = answered
    login(client, c.people.drafting)
    page = client.get(f"{c.base}/report").get_data(as_text=True)
    for text in EXPECTED:
        assert text in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3  # the three charts
    # The duplicate is listed once, crediting both departments.
    assert page.count("Cần bổ sung phần an toàn thông tin.") == 0
    assert "Sở Thông tin và Truyền thông; Sở Xây dựng" in page


def test_web_page_shows_the_rows_a_page_at_a_time(app, client, answered):
    """A national consultation has a million rows: the page shows a page of them, numbered
    as in the whole table, and says that the downloads hold them all."""
    c = answered
    app.config["REPORT_PER_PAGE"] = 1
    login(client, c.people.drafting)
    first = client.get(f"{c.base}/report").get_data(as_text=True)
    assert "Góp ý chung về bố cục." in first  # general comments first
    assert "Đề nghị bổ sung an toàn thông tin." not in first
    assert "Trang 1 / 2" in first and "page=2" in first
    assert "Dòng 1 đến 1 trong 2; các tệp tải về có đủ mọi dòng." in first
    # What a page's rows credit is read for that page: the merged duplicate's body, and
    # where the point was taken into account.
    a = c.comments[0]
    draft2 = draft_service.start_next_draft(c.proposal)
    target = next(s for s in draft2.sections if s.key == a.section.key)
    triage_service.link_to_section(a, c.people.drafting, target)
    db.session.commit()
    second = client.get(f"{c.base}/report?page=2").get_data(as_text=True)
    assert "Đề nghị bổ sung an toàn thông tin." in second
    assert "Góp ý chung về bố cục." not in second
    assert "<td>2</td>" in second  # its number in the whole table
    assert "Sở Thông tin và Truyền thông; Sở Xây dựng" in second
    assert 'class="taken-into"' in second and target.number in second
    # The department filter credits the merged duplicate's body, and is counted so.
    by_department = client.get(f"{c.base}/report?department={c.sxd.id}").get_data(as_text=True)
    assert "Đề nghị bổ sung an toàn thông tin." in by_department
    assert "Trang 1 /" not in by_department
    from consult.services.reports import ReportFilters, count_rows

    assert count_rows(c.draft, ReportFilters(department=c.sxd.id)) == 1


def test_docx(client, answered):
    c = answered
    login(client, c.people.drafting)
    document = docx.Document(io.BytesIO(download(client, c, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
    for expected in EXPECTED:
        assert expected in text + cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text + cells
    assert "88/SXD" not in text  # SXD commented: not listed among the bodies that agreed


def test_xlsx(client, answered):
    c = answered
    login(client, c.people.drafting)
    book = openpyxl.load_workbook(io.BytesIO(download(client, c, "xlsx")))
    sheet = book.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 1 + 2  # header + two rows (the duplicate is merged)
    flat = "\n".join(str(v) for row in values for v in row if v is not None)
    for expected in EXPECTED:
        assert expected in flat
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert len(book.worksheets) == 2


def test_csv_has_a_bom_and_the_same_rows(client, answered):
    c = answered
    login(client, c.people.drafting)
    data = download(client, c, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3
    flat = "\n".join(v for row in rows for v in row)
    for expected in EXPECTED:
        assert expected in flat


def test_pdf(client, answered):
    import unicodedata

    c = answered
    login(client, c.people.drafting)
    reader = PdfReader(io.BytesIO(download(client, c, "pdf")))
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
    for expected in EXPECTED[:4]:
        assert " ".join(expected.split()) in " ".join(text.split())


def test_filters_apply_to_every_format(client, answered):
    c = answered
    login(client, c.people.drafting)
    query = "?section=0"
    page = client.get(f"{c.base}/report{query}").get_data(as_text=True)
    assert "Góp ý chung về bố cục." in page and "Đề nghị bổ sung an toàn" not in page
    rows = list(csv.reader(io.StringIO(download(client, c, "csv", query).decode("utf-8-sig"))))
    assert len(rows) == 2
    by_department = f"?department={c.sxd.id}"
    rows = list(
        csv.reader(io.StringIO(download(client, c, "csv", by_department).decode("utf-8-sig")))
    )
    assert len(rows) == 2  # SXD made the merged point
    assert client.get(f"{c.base}/report?from=bad&status=x&section=²").status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "lead"])
def test_departments_do_not_export_reports(client, answered, role):
    c = answered
    login(client, getattr(c.people, role))
    assert client.get(f"{c.base}/report").status_code == 404
    assert client.get(f"{c.base}/report.xlsx").status_code == 404


def test_organizer_exports(client, answered):
    c = answered
    login(client, c.people.organizer)
    assert client.get(f"{c.base}/report").status_code == 200
    assert download(client, c, "csv")


def test_unknown_format_is_404(client, answered):
    login(client, answered.people.drafting)
    assert client.get(f"{answered.base}/report.exe").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv", "pdf", "html"])
def test_report_command(runner, answered, tmp_path, fmt):
    output = tmp_path / f"bao-cao.{fmt}"
    result = runner.invoke(
        args=["report", "--draft", str(answered.draft.id), "--format", fmt, "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.stat().st_size > 0
    if fmt == "html":
        assert "Tiếp thu, bổ sung mục 5.4." in output.read_text(encoding="utf-8")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
        assert len(rows) == 3
    bad = runner.invoke(
        args=["report", "--draft", "999999", "--format", fmt, "--output", str(output)]
    )
    assert bad.exit_code != 0


def test_everything_workbook_holds_every_draft(client, answered):
    from consult.services import drafts as draft_service

    c = answered
    draft2 = draft_service.start_next_draft(c.proposal)
    db.session.commit()
    login(client, c.people.drafting)
    response = client.get(f"/proposals/{c.proposal.code}/everything.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert [s.title for s in book.worksheets] == ["Dự thảo lần 1"]  # draft 2 is unpublished
    flat = "\n".join(
        str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v
    )
    for expected in EXPECTED:
        assert expected in flat
    assert draft2.number == 2
    login(client, c.people.reviewer)
    assert client.get(f"/proposals/{c.proposal.code}/everything.xlsx").status_code == 404


def test_counts_in_the_exports_match_the_database(client, answered):
    c = answered
    login(client, c.people.drafting)
    book = openpyxl.load_workbook(io.BytesIO(download(client, c, "xlsx")))
    stats = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True) if row[0]}
    assert stats["Số cơ quan, đơn vị được lấy ý kiến"] == 2
    assert stats["Số cơ quan, đơn vị có ý kiến góp ý"] == 2
    assert stats["Tổng số ý kiến góp ý"] == 3  # the merged duplicate still counts as made
    assert stats["Số cơ quan, đơn vị không có văn bản trả lời"] == 0
    document = docx.Document(io.BytesIO(download(client, c, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Số cơ quan, đơn vị được lấy ý kiến: 2" in text


def test_results_count_a_duplicate_with_its_primary(answered):
    """The counts by result: the merged duplicate takes its primary's result, whatever its
    own status says; a deleted or unsubmitted comment counts for nothing."""
    from consult.services.reports import report_counts

    c = answered
    a, b, twin = c.comments
    assert twin.status is not CommentStatus.ACCEPTED  # its own status is not the result
    comment_service.create_comment(c.draft, None, c.people.reviewer, kind="general", body="Nháp.")
    db.session.commit()
    counts = report_counts(c.draft)
    assert counts.by_status == {"Tiếp thu": 2, "Ghi nhận": 1}
    assert counts.comments == 3
    triage_service.answer_comment(a, c.people.drafting, status=CommentStatus.NOT_ACCEPTED,
                                  answer="Giải trình: đã có ở mục 5.")  # fmt: skip
    db.session.commit()
    assert report_counts(c.draft).by_status == {"Giải trình, không tiếp thu": 2, "Ghi nhận": 1}


def test_report_documents_follow_the_readers_language(client, answered):
    c = answered
    login(client, c.people.drafting)
    client.post("/language/en", data={"next": "/"})
    page = client.get(f"{c.base}/report").get_data(as_text=True)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in page and "General comments" in page
    rows = list(csv.reader(io.StringIO(download(client, c, "csv").decode("utf-8-sig"))))
    assert rows[0][0] == "No."
    client.post("/language/vi", data={"next": "/"})
    rows = list(csv.reader(io.StringIO(download(client, c, "csv").decode("utf-8-sig"))))
    assert rows[0][0] == "STT"
