"""The administrative frame of Decree 30/2020/NĐ-CP, read back from Word and PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from consult.documents.official import (
    OfficialFrame,
    document_date,
    keep_together,
    official_docx,
    official_pdf,
    pdf_paragraph,
)

pytestmark = pytest.mark.nodb

BODY = "Thực hiện Kế hoạch số 123/KH-UBND, Ban Soạn thảo đã tổ chức hội thảo lấy ý kiến. " * 4


def report_frame(**overrides) -> OfficialFrame:
    fields = {
        "parent_body": "UBND thành phố Cần Thơ",
        "issuing_body": "Ban Soạn thảo Đề án xây dựng thành phố Cần Thơ thông minh",
        "symbol": "BC-BST",
        "place": "Cần Thơ",
        "issued_on": date(2026, 12, 2),
        "title_lines": ["BÁO CÁO", "Kết quả hội thảo góp ý dự thảo Đề án (lần 3)"],
        "recipients": ["UBND thành phố (để b/c)", "Sở Tài chính;"],
        "signer_authority": "TM. Ban Soạn thảo",
        "signer_title": "Trưởng ban",
        "signer_name": "Nguyễn Văn An",
    }
    fields.update(overrides)
    return OfficialFrame(**fields)


def letter_frame() -> OfficialFrame:
    return report_frame(
        issuing_body="Sở Tài chính",
        symbol="STC-NS",
        number="45",
        title_lines=[],
        subject="V/v góp ý dự thảo Đề án (lần 2)",
        addressees=["Ban Soạn thảo Đề án xây dựng thành phố Cần Thơ thông minh"],
        recipients=["Như trên"],
        signer_authority="KT. Giám đốc",
        signer_title="Phó Giám đốc",
        signer_name="Trần Thị Bình",
    )


def test_dates_are_written_as_decree_30_asks():
    labels = report_frame().labels
    assert document_date("Cần Thơ", date(2026, 12, 2), labels) == (
        "Cần Thơ, ngày 02 tháng 12 năm 2026"
    )
    # Days below 10 and the months 1 and 2 take a leading zero; other months do not.
    assert document_date("Cần Thơ", date(2027, 1, 9), labels).endswith("ngày 09 tháng 01 năm 2027")
    assert document_date("Cần Thơ", date(2027, 3, 15), labels).endswith("ngày 15 tháng 3 năm 2027")


def test_version_in_a_title_never_breaks():
    assert keep_together("Dự thảo Đề án (lần 3)") == "Dự thảo Đề án\u00a0(lần\u00a03)"
    assert keep_together("ON THE DRAFT X (version 12)") == "ON THE DRAFT X\u00a0(version\u00a012)"


def test_recipients_end_with_the_archive_line():
    frame = report_frame()
    assert frame.recipient_lines() == [
        "- UBND thành phố (để b/c);",
        "- Sở Tài chính;",
        "- Lưu: VT, BST.",
    ]
    own = report_frame(recipients=["Như trên", "Lưu: VT, VP"])
    assert own.recipient_lines() == ["- Như trên;", "- Lưu: VT, VP."]


def test_number_line_leaves_a_blank_for_the_clerk():
    assert report_frame().number_line().replace("\u00a0", " ").split() == ["Số:", "/BC-BST"]
    assert report_frame(number="12").number_line() == "Số: 12/BC-BST"


def test_docx_report_frame():
    doc = Document(io.BytesIO(official_docx(report_frame(), lambda d: d.add_paragraph(BODY))))
    heading, closing = doc.tables[0], doc.tables[-1]
    left, right = heading.rows[0].cells
    assert [p.text for p in left.paragraphs[:2]] == [
        "UBND THÀNH PHỐ CẦN THƠ",
        "BAN SOẠN THẢO ĐỀ ÁN XÂY DỰNG THÀNH PHỐ CẦN THƠ THÔNG MINH",
    ]
    assert left.paragraphs[1].runs[0].bold
    assert [p.text for p in right.paragraphs[:2]] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number, place = heading.rows[1].cells
    assert number.paragraphs[0].text.startswith("Số:")
    assert number.paragraphs[0].text.endswith("/BC-BST")
    assert place.paragraphs[0].text == "Cần Thơ, ngày 02 tháng 12 năm 2026"
    assert place.paragraphs[0].runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả hội thảo góp ý dự thảo Đề án\u00a0(lần\u00a03)" in texts
    assert BODY.strip() in [t.strip() for t in texts]
    recipients, signature = closing.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[1].text == "- UBND thành phố (để b/c);"
    lines = [p.text for p in signature.paragraphs]
    assert lines[:2] == ["TM. BAN SOẠN THẢO", "TRƯỞNG BAN"]
    assert lines[-1] == "Nguyễn Văn An"
    assert lines[2:-1] == [""] * (len(lines) - 3)  # the space to sign
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15


def test_docx_letter_frame():
    doc = Document(io.BytesIO(official_docx(letter_frame(), lambda d: d.add_paragraph(BODY))))
    number = doc.tables[0].rows[1].cells[0]
    assert [p.text for p in number.paragraphs] == [
        "Số: 45/STC-NS",
        "V/v góp ý dự thảo Đề án (lần 2)",
    ]
    texts = [p.text for p in doc.paragraphs]
    assert "Kính gửi: Ban Soạn thảo Đề án xây dựng thành phố Cần Thơ thông minh." in texts
    signature = doc.tables[-1].rows[0].cells[1]
    assert [p.text for p in signature.paragraphs][:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def pdf_text(data: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return text.replace("\u00a0", " "), fonts


def test_pdf_report_frame():
    text, fonts = pdf_text(official_pdf(report_frame(), lambda p: pdf_paragraph(p, BODY)))
    assert "UBND THÀNH PHỐ CẦN THƠ" in text
    assert "BAN SOẠN THẢO ĐỀ ÁN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "/BC-BST" in text and "Số:" in text
    assert "Cần Thơ, ngày 02 tháng 12 năm 2026" in text
    assert "Kết quả hội thảo góp ý dự thảo Đề án (lần 3)" in text
    assert "Nơi nhận:" in text and "- UBND thành phố (để b/c);" in text
    assert "- Lưu: VT, BST." in text
    assert "TM. BAN SOẠN THẢO" in text and "TRƯỞNG BAN" in text and "Nguyễn Văn An" in text
    assert fonts <= {"LiberationSerif", "LiberationSerifBold", "LiberationSerifItalic",
                     "LiberationSerifBoldItalic"}  # fmt: skip
    assert "LiberationSerif" in fonts


def test_pdf_title_never_breaks_inside_the_version():
    title = "Kết quả hội thảo góp ý dự thảo Đề án xây dựng thành phố (lần 3) về đô thị thông minh"
    for pad in range(8, 15):  # with plain spaces, pads 10 to 12 end a line with "(lần"
        frame = report_frame(title_lines=["BÁO CÁO", "x" * pad + " " + title])
        text, _fonts = pdf_text(official_pdf(frame, lambda p: None))
        assert "(lần 3)" in text
        assert "(lần\n" not in text


def test_pdf_letter_frame():
    text, _fonts = pdf_text(official_pdf(letter_frame(), lambda p: pdf_paragraph(p, BODY)))
    assert "Số: 45/STC-NS" in text
    assert "V/v góp ý dự thảo Đề án (lần 2)" in text
    assert "Kính gửi: Ban Soạn thảo Đề án" in text
    assert "KT. GIÁM ĐỐC" in text and "Trần Thị Bình" in text


def test_pdf_draws_what_liberation_serif_lacks_with_dejavu_sans():
    frame = report_frame()
    text, fonts = pdf_text(official_pdf(frame, lambda p: pdf_paragraph(p, "✓ Có mặt → ★")))
    assert "✓ Có mặt → ★" in text
    assert "DejaVuSansBook" in fonts and "LiberationSerif" in fonts
