"""The summary report writers: Word, Excel, CSV, PDF and SVG, read back with real readers.

Pure functions only: no app, no database. Rows come from generators, as in production.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from consult.documents import xlsx
from consult.documents.csv import write_csv
from consult.documents.docx import write_docx
from consult.documents.pdf import write_pdf
from consult.documents.summary import (
    VIETNAMESE_LABELS,
    ReportCounts,
    ReportRow,
    SummaryReport,
)
from consult.documents.svg import render_svg_bar_chart
from consult.documents.xlsx import write_xlsx
from tests.english_labels import ENGLISH_LABELS

pytestmark = pytest.mark.nodb

LONG_ANSWER = (
    "Giải trình: nguồn vốn ngân sách được bố trí theo kế hoạch đầu tư công trung hạn; "
    "phần còn lại huy động từ doanh nghiệp theo hình thức đối tác công tư. "
) * 40


def row_data() -> list[dict]:
    return [
        {
            "section_key": None,
            "section_number": "",
            "section_heading": "",
            "departments": ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
            "kind": "Góp ý chung",
            "source": "Trực tuyến",
            "comment": "Đề nghị bổ sung lộ trình ba giai đoạn và nguồn lực cho từng giai đoạn.",
            "answer": "Tiếp thu, đã bổ sung tại Chương VII.",
            "status": "Tiếp thu",
            "comment_ids": [11, 17],
        },
        {
            "section_key": None,
            "section_number": "",
            "section_heading": "",
            "departments": ["Công an thành phố"],
            "kind": "Băn khoăn",
            "source": "Hội thảo",
            "comment": "=Đảm bảo an ninh, an toàn thông tin cho trung tâm điều hành.",
            "answer": "Ghi nhận, sẽ triển khai ở giai đoạn 2.",
            "status": "Ghi nhận",
            "comment_ids": [12],
        },
        {
            "section_key": "s-1-1",
            "section_number": "1.1",
            "section_heading": "Hạ tầng số",
            "departments": ["Sở Thông tin và Truyền thông"],
            "kind": "Đề xuất sửa",
            "source": "Trực tuyến",
            "quote": "phủ sóng 4G toàn thành phố",
            "comment": "Đề nghị bổ sung chỉ tiêu về mạng 5G và cáp quang đến hộ gia đình.",
            "proposed_text": "Phủ sóng 4G/5G và cáp quang đến 100% phường, xã.",
            "answer": "Tiếp thu một phần: bổ sung cáp quang; 5G đưa vào giai đoạn 3.",
            "status": "Tiếp thu một phần",
            "comment_ids": [13],
        },
        {
            "section_key": "s-1-1",
            "section_number": "1.1",
            "section_heading": "Hạ tầng số",
            "departments": ["Quận Ninh Kiều"],
            "kind": "Câu hỏi",
            "source": "Trực tuyến",
            "comment": "Kinh phí đối ứng của quận được tính như thế nào?\nXin giải thích rõ.",
            "answer": LONG_ANSWER,
            "status": "Giải trình",
            "comment_ids": [14],
        },
        {
            "section_key": "s-7",
            "section_number": "Chương VII",
            "section_heading": "Lộ trình và kinh phí thực hiện",
            "departments": ["Sở Xây dựng"],
            "kind": "Biên tập",
            "source": "Trực tuyến",
            "comment": "Sửa lỗi chính tả: “quy hoạch đô thị thông minh” & <tên riêng>.",
            "answer": None,
            "status": "Chưa trả lời",
            "comment_ids": [15],
        },
    ]


def make_rows(submitted: datetime | None = None) -> Iterator[ReportRow]:
    when = submitted or datetime(2018, 5, 10, 2, 30, tzinfo=UTC)
    for n, data in enumerate(row_data(), start=1):
        yield ReportRow(
            number=n,
            submitted_at=when,
            answered_at=when.replace(day=20) if data["answer"] else None,
            **data,
        )


class OnceOnly:
    """Rows that may be iterated once: a second pass fails the test."""

    def __init__(self, rows: Iterator[ReportRow]) -> None:
        self.rows = rows
        self.passes = 0

    def __iter__(self) -> Iterator[ReportRow]:
        self.passes += 1
        if self.passes > 1:
            raise AssertionError("the writer iterated the rows twice")
        return self.rows


def make_report(rows=None, **overrides) -> SummaryReport:
    fields = {
        "issuing_body": "Ban Soạn thảo Đề án Đô thị thông minh",
        "place": "Cần Thơ",
        "issued_on": date(2018, 5, 15),
        "proposal_title": "Đề án xây dựng TP Cần Thơ phát triển trở thành đô thị thông minh",
        "draft_number": 3,
        "period_opens": datetime(2018, 4, 20, 1, 0, tzinfo=UTC),
        "period_closes": datetime(2018, 5, 10, 10, 0, tzinfo=UTC),
        "counts": ReportCounts(
            consulted=32,
            consulted_by_kind={"Sở, ban, ngành": 17, "Quận, huyện": 9, "Doanh nghiệp": 6},
            letters_received=24,
            responded=24,
            agreed=[("Sở Tư pháp", "125/STP-VP"), ("Sở Y tế", None)],
            commented=22,
            comments=1234,
            by_status={"Tiếp thu": 20, "Tiếp thu một phần": 5, "Giải trình": 3, "Ghi nhận": 2},
            not_responded=["Huyện Cờ Đỏ", "Sở Ngoại vụ"],
            silence_counts_as_agreement=True,
        ),
        "rows": OnceOnly(make_rows()) if rows is None else rows,
        "parent_body": "UBND thành phố Cần Thơ",
        "symbol": "BC-BST",
        "recipients": ["UBND thành phố (để báo cáo)", "Các sở, ban, ngành", "Lưu: VT"],
        "signer_authority": "TM. Ban Soạn thảo",
        "signer_title": "Trưởng ban",
        "signer_name": "Nguyễn Văn An",
    }
    fields.update(overrides)
    return SummaryReport(**fields)


def parse_xml(text: str) -> ET.Element:
    """Our own output, not untrusted input."""
    return ET.fromstring(text)  # noqa: S314


def docx_text(doc) -> str:
    """Every paragraph of the body, tables included, in document order."""
    return "\n".join(t.text for t in doc.element.body.iter(qn("w:t")))


# --------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return write_docx(make_report())


@pytest.fixture(scope="module")
def doc(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


def test_docx_golden_layout(doc):
    """Decree 30/2020/NĐ-CP: A4, margins 2/2/3/1.5 cm, Times New Roman 13 pt."""
    first, table_section = doc.sections
    # Exact twips, as Word stores them.
    assert (first.page_width.twips, first.page_height.twips) == (11906, 16838)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert table_section.orientation == WD_ORIENT.LANDSCAPE
    assert (table_section.page_width.twips, table_section.page_height.twips) == (16838, 11906)
    for section in doc.sections:
        assert abs(section.top_margin - Cm(2)) < Cm(0.01)
        assert abs(section.bottom_margin - Cm(2)) < Cm(0.01)
        assert abs(section.left_margin - Cm(3)) < Cm(0.01)
        assert abs(section.right_margin - Cm(1.5)) < Cm(0.01)
        # A4 in EMU, whichever way round.
        assert sorted([section.page_width, section.page_height]) == pytest.approx(
            [Cm(21), Cm(29.7)], abs=Cm(0.01)
        )
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(13)
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert rfonts.get(qn(attr)) == "Times New Roman"
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    assert defaults.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:ascii")) == (
        "Times New Roman"
    )
    # No run overrides the font with another family.
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs} - {None}
    assert fonts <= {"Times New Roman"}


def test_docx_heading_block_and_title(doc):
    heading = doc.tables[0]
    left, right = heading.rows[0].cells
    number_cell, place_cell = heading.rows[1].cells
    # The parent body in capitals over the issuing body in bold.
    assert left.paragraphs[0].text == "UBND THÀNH PHỐ CẦN THƠ"
    assert not left.paragraphs[0].runs[0].bold
    assert left.paragraphs[1].text == "BAN SOẠN THẢO ĐỀ ÁN ĐÔ THỊ THÔNG MINH"
    assert left.paragraphs[1].runs[0].bold
    assert left.paragraphs[1].runs[0].font.size == Pt(12)
    # The short rule under the issuing body: a bottom border on a short paragraph.
    assert left.paragraphs[2]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    # The number line (a blank for the clerk's number) stands level with place and date.
    assert number_cell.paragraphs[0].text.startswith("Số:")
    assert number_cell.paragraphs[0].text.endswith("/BC-BST")
    national, motto, rule = right.paragraphs
    (place,) = place_cell.paragraphs
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert national.runs[0].bold and national.runs[0].font.size == Pt(12)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.runs[0].bold and motto.runs[0].font.size == Pt(13)
    assert rule._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert place.text == "Cần Thơ, ngày 15 tháng 5 năm 2018"
    assert place.runs[0].italic
    # The heading table has no borders.
    borders = heading._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}

    texts = [p.text for p in doc.paragraphs]
    assert "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in texts
    # "(lần 3)" is bound to the word before it by non-breaking spaces: it never breaks.
    title = (
        "ĐỐI VỚI DỰ THẢO ĐỀ ÁN XÂY DỰNG TP CẦN THƠ PHÁT TRIỂN TRỞ THÀNH ĐÔ THỊ THÔNG"
        " MINH\u00a0(lần\u00a03)"
    )
    assert title in texts
    title_p = doc.paragraphs[texts.index(title)]
    assert title_p.runs[0].bold


def test_docx_place_date_pads_small_days_and_months():
    doc = Document(io.BytesIO(write_docx(make_report(issued_on=date(2018, 2, 5)))))
    assert doc.tables[0].rows[1].cells[1].paragraphs[-1].text == (
        "Cần Thơ, ngày 05 tháng 02 năm 2018"
    )


def test_docx_counts(doc):
    text = docx_text(doc)
    assert "1. Số cơ quan, đơn vị được lấy ý kiến: 32, gồm: Sở, ban, ngành: 17;" in text
    assert "Thời gian lấy ý kiến: từ ngày 20/04/2018 đến ngày 10/05/2018." in text
    assert "Số văn bản góp ý nhận được: 24." in text
    assert "2. Kết quả: 24 cơ quan, đơn vị có văn bản trả lời, trong đó:" in text
    assert "Sở Tư pháp (văn bản số 125/STP-VP); Sở Y tế." in text
    assert "với tổng số 1.234 ý kiến" in text  # Vietnamese digit grouping
    assert "Tiếp thu một phần: 5" in text
    assert "c) 2 cơ quan, đơn vị không có văn bản trả lời: Huyện Cờ Đỏ; Sở Ngoại vụ." in text
    assert VIETNAMESE_LABELS["silence_agreement"] in text


def test_docx_without_silence_flag_leaves_the_sentence_out():
    report = make_report()
    report.counts.silence_counts_as_agreement = False
    text = docx_text(Document(io.BytesIO(write_docx(report))))
    assert VIETNAMESE_LABELS["silence_agreement"] not in text


def test_docx_table(doc):
    table = doc.tables[1]
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "STT",
        "Mục / phần",
        "Cơ quan góp ý",
        "Nội dung góp ý",
        "Ý kiến tiếp thu, giải trình",
        "Kết quả",
    ]
    tr_pr = header._tr.trPr
    assert tr_pr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 1 + len(row_data())
    # Section cells: restart on the first row of each section, continue below it.
    merges = []
    for tr in table._tbl.tr_lst[1:]:
        merge = tr.tc_lst[1].tcPr.find(qn("w:vMerge"))
        merges.append(None if merge is None else merge.get(qn("w:val"), "continue"))
    assert merges == ["restart", "continue", "restart", "continue", "restart"]
    # Merged cells read back as the same cell.
    assert table.cell(1, 1).text == table.cell(2, 1).text == "Góp ý chung"
    assert table.cell(3, 1).text == "1.1. Hạ tầng số"
    assert table.cell(5, 1).text == "Chương VII. Lộ trình và kinh phí thực hiện"
    # Every comment and answer, the quote in italics before the comment.
    text = docx_text(doc)
    for data in row_data():
        assert data["comment"].replace("\n", "") in text.replace("\n", "")
        if data["answer"]:
            assert data["answer"].strip() in text
    comment_cell = table.cell(3, 3)
    quote, comment, label, proposed = comment_cell.paragraphs
    assert quote.text == "“phủ sóng 4G toàn thành phố”" and quote.runs[0].italic
    assert comment.text.startswith("Đề nghị bổ sung chỉ tiêu")
    assert label.text == "Đề xuất sửa thành:"
    assert proposed.text == "Phủ sóng 4G/5G và cáp quang đến 100% phường, xã."
    assert table.cell(1, 2).text == "Sở Kế hoạch và Đầu tư\nSở Tài chính"
    assert [table.cell(i, 5).text for i in range(1, 6)] == [
        "Tiếp thu",
        "Ghi nhận",
        "Tiếp thu một phần",
        "Giải trình",
        "Chưa trả lời",
    ]
    # Table text is 12 pt, through a paragraph style based on Normal (Times New Roman).
    paragraphs = [p for row in table.rows for c in row.cells for p in c.paragraphs]
    assert {p.style.name for p in paragraphs} == {"Report Table Text"}
    assert paragraphs[0].style.font.size == Pt(12)
    assert paragraphs[0].style.base_style.name == "Normal"
    assert {r.font.size for p in paragraphs for r in p.runs} == {None}


def test_docx_page_numbers_from_page_two(doc):
    first, second = doc.sections
    assert first.different_first_page_header_footer
    assert not first.first_page_header.paragraphs[0].text
    header = first.header.paragraphs[0]
    assert header.alignment == 1  # centred
    instr = [e.text for e in header._p.iter(qn("w:instrText"))]
    assert [i.strip() for i in instr] == ["PAGE"]
    # The landscape section inherits the numbered header and shows it on its first page.
    assert not second.different_first_page_header_footer
    assert second.header.is_linked_to_previous


def test_docx_closing_block(doc):
    left, right = doc.tables[-1].rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[0].runs[0].bold and left.paragraphs[0].runs[0].italic
    assert [p.text for p in left.paragraphs[1:]] == [
        "- UBND thành phố (để báo cáo);",
        "- Các sở, ban, ngành;",
        "- Lưu: VT.",
    ]
    assert right.paragraphs[0].text == "TM. BAN SOẠN THẢO"
    assert right.paragraphs[1].text == "TRƯỞNG BAN"
    assert right.paragraphs[0].runs[0].bold and right.paragraphs[1].runs[0].bold
    assert right.paragraphs[-1].text == "Nguyễn Văn An"


def test_docx_is_valid_ooxml_order(docx_bytes):
    """Word rejects out-of-order children; check the ones the writer adds by hand."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    root = parse_xml(xml)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    seq = [
        "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
        "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
        "tblLayout", "tblCellMar", "tblLook",
    ]  # fmt: skip
    for tbl_pr in root.iter(f"{w}tblPr"):
        tags = [child.tag.removeprefix(w) for child in tbl_pr]
        assert tags == sorted(tags, key=seq.index)
    tc_seq = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "vAlign"]
    for tc_pr in root.iter(f"{w}tcPr"):
        tags = [child.tag.removeprefix(w) for child in tc_pr]
        assert tags == sorted(tags, key=tc_seq.index)


def test_docx_english_labels_and_no_rows():
    report = make_report(rows=iter(()), labels=dict(ENGLISH_LABELS))
    doc = Document(io.BytesIO(write_docx(report)))
    text = docx_text(doc)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text
    assert "Cần Thơ, 15 May 2018" in text
    assert "ON THE DRAFT ĐỀ ÁN XÂY DỰNG" in text
    assert "1,234 comments in total" in text
    assert "No comments." in text
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"


def test_labels_have_the_same_keys():
    assert set(VIETNAMESE_LABELS) == set(ENGLISH_LABELS)


def test_partial_labels_fall_back_to_vietnamese():
    report = make_report(labels={"col_number": "Số TT"})
    table = Document(io.BytesIO(write_docx(report))).tables[1]
    assert table.rows[0].cells[0].text == "Số TT"
    assert table.rows[0].cells[1].text == "Mục / phần"


def test_docx_drops_characters_xml_cannot_carry():
    rows = (
        ReportRow(
            number=1,
            section_number="",
            section_heading="",
            section_key=None,
            departments=["Sở Y tế"],
            kind="",
            source="",
            comment="Dán từ Word\x0b có ký tự điều khiển\x01.",
            status="Ghi nhận",
        )
        for _ in range(1)
    )
    text = docx_text(Document(io.BytesIO(write_docx(make_report(rows=rows)))))
    assert "Dán từ Word có ký tự điều khiển." in text


# --------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------


def test_xlsx():
    out = io.BytesIO()
    write_xlsx(make_report(), out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    sheet, stats = wb.worksheets
    assert sheet.title == "Tổng hợp ý kiến"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N6"
    assert sheet.max_row == len(row_data()) + 1
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["STT", "Số mục", "Tên mục", "Cơ quan góp ý"]
    assert header[-3:] == ["Thời gian gửi", "Thời gian trả lời", "Mã ý kiến"]
    assert all(c.font.b for c in sheet[1])
    first = [c.value for c in sheet[2]]
    assert first[0] == 1
    assert first[2] == "Góp ý chung"
    assert first[3] == "Sở Kế hoạch và Đầu tư; Sở Tài chính"
    assert first[7] == row_data()[0]["comment"]
    assert first[11] == datetime(2018, 5, 10, 9, 30)  # Vietnam wall-clock time
    assert first[13] == "11, 17"
    # A comment that looks like a formula stays text.
    assert sheet["H3"].value == row_data()[1]["comment"]
    assert sheet["H3"].data_type == "s"
    third = [c.value for c in sheet[4]]
    assert third[1:3] == ["1.1", "Hạ tầng số"]
    assert third[6] == "phủ sóng 4G toàn thành phố"
    assert third[8] == "Phủ sóng 4G/5G và cáp quang đến 100% phường, xã."
    assert sheet["M6"].value is None  # not answered yet
    assert sheet.column_dimensions["H"].width > 40
    assert sheet["H2"].alignment.wrap_text

    values = {row[0]: row[1] for row in stats.iter_rows(values_only=True) if row[0]}
    assert stats.title == "Số liệu"
    assert values["Số cơ quan, đơn vị được lấy ý kiến"] == 32
    assert values["Được lấy ý kiến: Quận, huyện"] == 9
    assert values["Tổng số ý kiến góp ý"] == 1234
    assert values["Kết quả: Tiếp thu một phần"] == 5
    assert values["Không trả lời được coi là thống nhất"] == "Có"
    assert values["Sở Tư pháp"] == "125/STP-VP"
    assert "Sở Y tế" in values
    assert "Huyện Cờ Đỏ" in values and "Sở Ngoại vụ" in values
    assert values["Lần dự thảo"] == 3


def test_docx_shows_the_charts_as_pictures_drawn_from_the_same_svg():
    """Issue 18: Word cannot show SVG; the report's charts come in as PNG (CairoSVG)."""
    chart = render_svg_bar_chart(
        "Ý kiến theo cơ quan", [("Sở Thông tin và Truyền thông", 7), ("Sở Xây dựng", 3)]
    )
    doc = Document(io.BytesIO(write_docx(make_report(), charts=[chart])))
    (shape,) = doc.inline_shapes
    assert round(shape.width.cm) == 15
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    image = doc.part.related_parts[blip.embed].image
    assert image.content_type == "image/png" and image.px_width >= 1000  # drawn at 2x
    assert shape._inline.docPr.get("descr") == "Ý kiến theo cơ quan"
    # In the portrait part, after the counts and before the table.
    body = doc.element.body
    drawing = next(body.iter(qn("w:drawing")))
    paragraphs = list(body.iterchildren(qn("w:p")))
    index = next(i for i, p in enumerate(paragraphs) if drawing in p.iter(qn("w:drawing")))
    assert any("Theo văn bản lấy ý kiến" in "".join(paragraphs[i].itertext()) for i in range(index))


def test_docx_without_cairo_notes_the_missing_chart(monkeypatch):
    from consult.documents import docx as docx_writer

    monkeypatch.setattr(docx_writer, "svg_to_png", lambda svg: None)
    chart = render_svg_bar_chart("Kết quả", [("Tiếp thu", 2)])
    doc = Document(io.BytesIO(write_docx(make_report(), charts=[chart])))
    assert not doc.inline_shapes
    assert VIETNAMESE_LABELS["chart_unavailable"] in docx_text(doc)


def test_chart_labels_are_names_not_shortened_codes():
    chart = render_svg_bar_chart("Ý kiến", [("Sở Thông tin và Truyền thông", 7)])
    assert ">Sở Thông tin và Truyền thông</text>" in chart


def test_xlsx_prints_landscape_a4_fit_to_width_with_rows_tall_enough():
    """Issue 18: printed from LibreOffice, the comment text overlapped the rows below."""
    out = io.BytesIO()
    write_xlsx(make_report(), out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    for sheet in wb.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape"
        assert int(setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (1 is the attribute's default, so it may be left out), any long.
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows.replace("$", "") == "1:1"  # the header row repeats
    sheet = wb.worksheets[0]
    # One line per row for short texts; the long answer (row 5) gets many lines.
    height = {r: sheet.row_dimensions[r].height for r in range(2, 7)}
    long_lines = xlsx.estimated_lines(LONG_ANSWER, 60)
    assert long_lines > 20
    expected = min(long_lines * xlsx.XLSX_LINE_PT, xlsx.XLSX_MAX_ROW_PT)
    assert height[5] == pytest.approx(expected, abs=1)  # stored in whole pixels
    # Two short paragraphs in one comment need two lines at least.
    assert height[5] > height[3] or height[3] is None
    assert all(sheet.cell(5, col).alignment.wrap_text for col in (8, 10))


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [("", 10, 1), ("x" * 9, 10, 1), ("x" * 10, 10, 2), ("a\nb\nc", 30, 3), ("x" * 59, 60, 1)],
)
def test_xlsx_line_estimate(text, width, lines):
    assert xlsx.estimated_lines(text, width) == lines


def test_xlsx_uses_constant_memory_inline_strings():
    out = io.BytesIO()
    write_xlsx(make_report(), out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert 't="inlineStr"' in sheet  # constant_memory mode writes strings inline


def test_xlsx_truncates_text_longer_than_excel_allows():
    rows = [next(make_rows())]
    rows[0].comment = "Đ" * 40000
    out = io.BytesIO()
    write_xlsx(make_report(rows=rows), out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert len(sheet["H2"].value) == 32767
    assert sheet["H2"].value.endswith("…")


def test_xlsx_goes_on_in_another_sheet_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(xlsx, "XLSX_MAX_ROWS", 2)
    out = io.BytesIO()
    write_xlsx(make_report(), out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == [
        "Tổng hợp ý kiến",
        "Số liệu",
        "Tổng hợp ý kiến (2)",
        "Tổng hợp ý kiến (3)",
    ]
    numbers = []
    for name in ("Tổng hợp ý kiến", "Tổng hợp ý kiến (2)", "Tổng hợp ý kiến (3)"):
        sheet = wb[name]
        assert sheet["A1"].value == "STT"
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:N{sheet.max_row}"
        numbers += [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------


def test_csv_round_trip():
    out = io.BytesIO()
    write_csv(make_report(), out)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert not out.closed
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "STT",
        "Số mục",
        "Tên mục",
        "Cơ quan góp ý",
        "Loại góp ý",
        "Nguồn",
        "Đoạn trích",
        "Nội dung góp ý",
        "Đề xuất sửa thành",
        "Ý kiến tiếp thu, giải trình",
        "Kết quả",
        "Thời gian gửi",
        "Thời gian trả lời",
        "Mã ý kiến",
    ]
    assert len(rows) == len(row_data()) + 1
    for parsed, data_row in zip(rows[1:], row_data()):
        assert parsed[3] == "; ".join(data_row["departments"])
        assert parsed[9] == (data_row["answer"] or "")
        assert parsed[10] == data_row["status"]
        assert parsed[13] == ", ".join(map(str, data_row["comment_ids"]))
        assert parsed[11] == "2018-05-10T09:30:00+07:00"
    assert rows[1][7] == row_data()[0]["comment"]
    assert rows[4][7] == row_data()[3]["comment"]  # the newline survives
    # Formula injection is defused.
    assert rows[2][7] == "'" + row_data()[1]["comment"]
    assert rows[3][1:3] == ["1.1", "Hạ tầng số"]
    assert rows[5][12] == ""


class WriteOnly:
    """A response stream: nothing but write()."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)


def test_csv_needs_only_write():
    out = WriteOnly()
    write_csv(make_report(), out)
    data = b"".join(out.chunks)
    assert out.chunks[0] == b"\xef\xbb\xbf"
    assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))) == 6


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Extracted text with line breaks and repeated spaces folded."""
    return " ".join(nfc(text).split())


def pdf_bytes(report: SummaryReport, **options) -> bytes:
    out = io.BytesIO()
    write_pdf(report, out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdf_reader() -> PdfReader:
    chart = render_svg_bar_chart("Kết quả tiếp thu", [("Tiếp thu", 20), ("Giải trình", 3)])
    return PdfReader(io.BytesIO(pdf_bytes(make_report(), charts=[chart])))


def test_pdf_text_round_trips(pdf_reader):
    pages = [squash(p.extract_text()) for p in pdf_reader.pages]
    text = " ".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Cần Thơ, ngày 15 tháng 5 năm 2018" in text
    assert "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in text
    assert "Đề nghị bổ sung" in text
    assert "Sở Tư pháp (văn bản số 125/STP-VP)" in text
    assert squash(VIETNAMESE_LABELS["silence_agreement"]) in text
    for data in row_data():
        assert squash(data["comment"]) in text
        if data["answer"]:
            assert squash(data["answer"])[:200] in text
    assert "Nơi nhận:" in text
    assert "TRƯỞNG BAN" in text and "Nguyễn Văn An" in text


def test_pdf_pages(pdf_reader):
    first = pdf_reader.pages[0]
    assert float(first.mediabox.width) == pytest.approx(595.28, abs=0.1)  # A4 portrait
    assert float(first.mediabox.height) == pytest.approx(841.89, abs=0.1)
    table_page = pdf_reader.pages[1]
    assert float(table_page.mediabox.width) == pytest.approx(841.89, abs=0.1)  # landscape
    # The long answer spills over more than one page; the header row repeats on each.
    assert len(pdf_reader.pages) >= 3
    for number, page in enumerate(pdf_reader.pages[1:], start=2):
        text = squash(page.extract_text())
        assert text.startswith(str(number))  # page number in the top margin
        if "Nơi nhận" in text and "Kết quả" not in text:
            continue
        assert "STT" in text and "Ý kiến tiếp thu, giải trình" in text
    assert not squash(pdf_reader.pages[0].extract_text()).startswith("1 ")
    fonts = set()
    for page in pdf_reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # A serif metrically compatible with Times New Roman; DejaVu Sans only in the charts.
    serif = {f for f in fonts if "LiberationSerif" in f}
    assert {f.split("+")[-1] for f in serif} >= {"LiberationSerif", "LiberationSerifBold"}
    assert all("DejaVuSans" in f for f in fonts - serif)


def test_pdf_chart_is_drawn(pdf_reader):
    first = squash(pdf_reader.pages[0].extract_text())
    assert "Kết quả tiếp thu" in first


def test_pdf_rows_taller_than_a_page_are_split():
    rows = [next(make_rows())]
    rows[0].comment = "Đề nghị bổ sung nội dung về dữ liệu mở. " * 400
    reader = PdfReader(io.BytesIO(pdf_bytes(make_report(rows=rows))))
    assert len(reader.pages) >= 4
    text = squash(" ".join(p.extract_text() for p in reader.pages))
    # Rows split between lines, so no line is lost at a page break.
    assert text.count("về dữ liệu mở.") == 400
    # The section is named again, as continued, at the top of each following page.
    for page in reader.pages[2:-1]:
        assert "Góp ý chung (tiếp theo)" in squash(page.extract_text())


def long_rows(count: int) -> Iterator[ReportRow]:
    """``count`` rows, seven to a section, with the texts of `row_data` in turn."""
    data = row_data()
    for n in range(1, count + 1):
        fields = {**data[n % len(data)], "section_key": f"s-{n // 7}"}
        fields["section_number"] = str(n // 7)
        yield ReportRow(number=n, submitted_at=datetime(2018, 5, 10, tzinfo=UTC), **fields)


def test_pdf_built_in_parts_is_the_same_document():
    """A long report is built in parts of a few pages and joined: the reader gets one
    document, page for page the same as one built whole, with the same title, language
    and opening view, page numbers running on, and every object where the file says."""
    chart = render_svg_bar_chart("Kết quả tiếp thu", [("Tiếp thu", 20), ("Giải trình", 3)])
    whole = pdf_bytes(make_report(rows=long_rows(60)), charts=[chart])
    joined = pdf_bytes(make_report(rows=long_rows(60)), charts=[chart], part_pages=7)
    one, parts = PdfReader(io.BytesIO(whole)), PdfReader(io.BytesIO(joined), strict=True)
    assert len(one.pages) > 3 * 7  # so at least four parts
    assert [p.extract_text() for p in parts.pages] == [p.extract_text() for p in one.pages]
    assert [p.mediabox for p in parts.pages] == [p.mediabox for p in one.pages]
    for number, page in enumerate(parts.pages[1:], start=2):
        assert squash(page.extract_text()).startswith(f"{number} ")
    assert parts.metadata.title == one.metadata.title
    assert parts.metadata.author == "Ban Soạn thảo Đề án Đô thị thông minh"
    assert parts.trailer["/Root"]["/Lang"] == "vi-VN"
    assert parts.trailer["/Root"]["/OpenAction"][0] == parts.pages[0].indirect_reference
    # Each part's fonts and graphics states (the chart's, on the first page) came along.
    assert "/ExtGState" in parts.pages[0]["/Resources"]
    for page, same in zip(parts.pages, one.pages, strict=True):
        assert page["/Parent"].get_object()["/Count"] == len(one.pages)
        assert set(page["/Resources"]) == set(same["/Resources"])
        fonts = page["/Resources"]["/Font"].values()
        assert all(f.get_object()["/DescendantFonts"][0]["/FontDescriptor"] for f in fonts)
    # The cross-reference table points at each object's own "N 0 obj" line.
    start = int(joined.rsplit(b"startxref", 1)[1].split()[0])
    lines = joined[start:].split(b"trailer")[0].splitlines()[3:]
    for number, line in enumerate(lines, start=1):
        offset = int(line.split()[0])
        assert joined[offset:].startswith(b"%d 0 obj" % number)


def test_pdf_prints_text_as_written():
    """fpdf2 would put the number of pages in place of "{nb}"; a comment may hold it."""
    row = next(make_rows())
    row.comment = "Mẫu số {nb} và {nb}/2018"
    reader = PdfReader(io.BytesIO(pdf_bytes(make_report(rows=[row]))))
    assert "Mẫu số {nb} và {nb}/2018" in squash(" ".join(p.extract_text() for p in reader.pages))


def test_pdf_without_rows():
    reader = PdfReader(io.BytesIO(pdf_bytes(make_report(rows=[]))))
    assert "Không có ý kiến góp ý." in squash(reader.pages[-1].extract_text())


# --------------------------------------------------------------------------------------
# SVG
# --------------------------------------------------------------------------------------


def test_svg_chart_is_well_formed_and_accessible():
    svg = render_svg_bar_chart(
        "Ý kiến theo cơ quan <đơn vị> & “kết quả”",
        [("Sở Thông tin & Truyền thông", 12), ("<script>alert(1)</script>", 3), ("Zero", 0)],
    )
    root = parse_xml(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("role") == "img"
    title = root.find(f"{ns}title")
    assert title.text == "Ý kiến theo cơ quan <đơn vị> & “kết quả”"
    assert root.get("aria-labelledby").split() == [
        title.get("id"),
        root.find(f"{ns}desc").get("id"),
    ]
    assert "Sở Thông tin & Truyền thông: 12" in root.find(f"{ns}desc").text
    assert "<script>" not in svg
    assert root.find(f".//{ns}script") is None
    bars = [r for r in root.iter(f"{ns}rect") if r.get("fill") != "#ffffff"]
    assert [float(b.get("width")) for b in bars][2] == 0
    assert float(bars[0].get("width")) > float(bars[1].get("width")) > 0
    assert int(root.get("width")) == 640


def test_svg_chart_without_items():
    root = parse_xml(render_svg_bar_chart("Kết quả", []))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert VIETNAMESE_LABELS["chart_empty"] in texts


def test_svg_chart_ids_differ_between_charts():
    a = parse_xml(render_svg_bar_chart("A", [("x", 1)]))
    b = parse_xml(render_svg_bar_chart("B", [("x", 1)]))
    assert a.get("aria-labelledby") != b.get("aria-labelledby")


# --------------------------------------------------------------------------------------
# Streaming
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv", "pdf"])
def test_writers_iterate_rows_once(fmt):
    rows = OnceOnly(make_rows())
    report = make_report(rows=rows)
    out = io.BytesIO()
    if fmt == "docx":
        out.write(write_docx(report))
    elif fmt == "xlsx":
        write_xlsx(report, out)
    elif fmt == "csv":
        write_csv(report, out)
    else:
        write_pdf(report, out)
    assert rows.passes == 1
    assert next(rows.rows, None) is None  # consumed to the end
    assert out.getvalue()


def test_pdf_with_charts_logs_nothing(caplog):
    chart = render_svg_bar_chart("Kết quả", [("Tiếp thu", 2)])
    with caplog.at_level("WARNING"):
        pdf_bytes(make_report(), charts=[chart, chart.encode("utf-8")])
    assert not [r for r in caplog.records if r.name.startswith("fpdf")]


def test_pdf_tall_chart_fits_on_a_page():
    chart = render_svg_bar_chart("Ý kiến theo cơ quan", [(f"Cơ quan {i}", i) for i in range(60)])
    reader = PdfReader(io.BytesIO(pdf_bytes(make_report(), charts=[chart])))
    chart_pages = [p for p in reader.pages if "Cơ quan 59" in nfc(p.extract_text())]
    assert len(chart_pages) == 1
    assert "Cơ quan 0" in nfc(chart_pages[0].extract_text())


FORMULA_STARTS = [
    "=1+1", "+1+1", "@SUM(A1)", "-1+2", "-x", "- 2+3+cmd|' /C calc'!A0", "-\t2+3",
    "\t=1+1", "\r=1+1",
]  # fmt: skip


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_defuses_every_formula_start(start):
    """Issue 17 (finding 11 and a test that could not fail): every character a spreadsheet
    may take for the start of a formula, in the comment and the answer alike."""
    data = {**row_data()[0], "comment": start, "answer": start}
    row = ReportRow(number=1, submitted_at=None, answered_at=None, **data)
    out = io.BytesIO()
    write_csv(make_report(rows=[row]), out)
    (parsed,) = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))[1:]
    for cell in (parsed[7], parsed[9]):
        assert cell.startswith("'"), (start, cell)
        assert cell[1:].replace("\n", "\r") in (start, start.replace("\r\n", "\n"))


def test_csv_leaves_ordinary_text_alone():
    data = {**row_data()[0], "comment": "Đề nghị bổ sung - 2 phụ lục."}
    row = ReportRow(number=1, submitted_at=None, answered_at=None, **data)
    out = io.BytesIO()
    write_csv(make_report(rows=[row]), out)
    (parsed,) = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))[1:]
    assert parsed[7] == "Đề nghị bổ sung - 2 phụ lục."


@pytest.mark.nodb
def test_xlsx_rows_are_the_xml_xlsxwriter_writes():
    """The report's rows, written as text, are what XlsxWriter's constant-memory mode wrote
    for them: the same cells, types, text, spaces, escapes and row heights."""
    import re

    import xlsxwriter

    report = make_report()
    labels = xlsx._labels(report)
    rows = [xlsx._sheet_values(row, labels) for row in make_report().rows]
    odd = list(rows[0])
    odd[2], odd[3], odd[4], odd[5] = "  x & <y> ", "a\nb", None, ""  # edges, escapes, empties
    rows.append(odd)
    # Windows and old Mac line ends, characters XML refuses, text past Excel's limit, a
    # line just as wide as the column and one a character wider.
    dirty = list(rows[0])
    width = int(xlsx._SHEET_WIDTHS[7] - 1)
    dirty[2], dirty[3], dirty[6] = "dòng 1\r\ndòng 2\rdòng 3", "a\x01b\x0c", "x" * 40000
    dirty[7], dirty[8] = "y" * width, "z" * (int(xlsx._SHEET_WIDTHS[8] - 1) + 1)
    rows.append(dirty)
    out = io.BytesIO()
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, **options})
    sheet = workbook.add_worksheet("a")
    wrap, number, stamp = (workbook.add_format({"text_wrap": True}) for _ in range(3))
    sheet.write_string(0, 0, "header")
    for r, values in enumerate(rows, start=1):
        xlsx._write_row(sheet, r, values, number=number, stamp=stamp, wrap=wrap)
    workbook.close()
    theirs = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    theirs = theirs[theirs.index('<row r="2"') : theirs.index("</sheetData>")]
    part = xlsx._SheetRows({"int": 0, "datetime": 0, "": 0})
    for values in rows:
        part.add(values)
    part.flush()
    part.file.seek(0)
    ours = part.file.read().decode()
    part.file.close()
    assert re.sub(r' s="\d+"', "", ours) == re.sub(r' s="\d+"', "", theirs)
