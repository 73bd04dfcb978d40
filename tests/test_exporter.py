"""Draft export to Markdown and Word, round trips through the importer, and the examples."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from docx import Document
from docx.oxml.ns import qn

from consult.documents.exporter import (
    example_docx,
    example_markdown,
    export_docx,
    export_markdown,
    markdown_plain_text,
)
from consult.documents.importer import ParsedSection, parse_docx, parse_markdown


@dataclass
class StoredSection:
    """Stands in for the database model: only the attributes the exporter reads."""

    level: int
    number: str
    heading: str
    body: str


SECTIONS = [
    ParsedSection(
        1,
        "Chương I",
        "Sự cần thiết",
        "Cần Thơ cần **quản lý đô thị** hiện đại và *dữ liệu mở*.\n\n"
        "Xem [Cổng thông tin](https://cantho.gov.vn/de-an) để biết thêm.",
    ),
    ParsedSection(
        2,
        "1.1",
        "Hạ tầng số",
        "- Mạng 5G;\n  - Trạm gốc mới\n- Cáp quang.\n\n1. Khảo sát\n2. Đầu tư",
    ),
    ParsedSection(
        3,
        "a",
        "Chỉ tiêu",
        "| Chỉ tiêu | 2025 | 2030 |\n| --- | --- | --- |\n"
        "| Camera \\| AI | 300 | 1.000 |\n| Trạm quan trắc |  | 30 |",
    ),
    ParsedSection(2, "1.2", "Căn cứ", "> Trích nghị quyết.\n\nDòng một\\\nDòng hai"),
    ParsedSection(1, "Chương II", "Mục tiêu", ""),
    ParsedSection(
        2,
        "",
        "Giới thiệu chung",
        "1\\. không phải danh sách\n\n1. Lại một\n2. Lại hai\n\nTiếp theo:\n\n5. Năm\n6. Sáu",
    ),
]


def test_markdown_round_trip():
    text = export_markdown("Đề án Cần Thơ thông minh", SECTIONS)
    assert text.startswith(
        '---\ntitle: "Đề án Cần Thơ thông minh"\n---\n\n# Chương I. Sự cần thiết'
    )
    assert "\n### a) Chỉ tiêu\n" in text
    assert parse_markdown(text) == SECTIONS


def test_markdown_export_escapes_headings_and_clamps_levels():
    sections = [StoredSection(1, "", "Giá *ưu đãi* #", ""), StoredSection(2, "", "Sâu", "")]
    sections.append(StoredSection(8, "", "Rất sâu", ""))
    text = export_markdown("", sections)
    assert text.splitlines()[0] == "# Giá \\*ưu đãi\\* \\#"
    assert "\n###### Rất sâu" in text
    assert parse_markdown(text)[0].heading == "Giá *ưu đãi* #"


def test_docx_round_trip():
    data = export_docx("Đề án Cần Thơ thông minh", SECTIONS)
    assert parse_docx(data) == SECTIONS


def test_docx_round_trip_from_stored_sections_is_stable():
    stored = [StoredSection(s.level, s.number, s.heading, s.body) for s in SECTIONS]
    once = parse_docx(export_docx("T", stored))
    twice = parse_docx(export_docx("T", once))
    assert once == twice == SECTIONS


def test_docx_uses_heading_styles_title_and_times_new_roman():
    document = Document(io.BytesIO(export_docx("Đề án", SECTIONS)))
    paragraphs = document.paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Title", "Đề án")
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [
        ("Heading 1", "Chương I. Sự cần thiết"),
        ("Heading 2", "1.1. Hạ tầng số"),
        ("Heading 3", "a) Chỉ tiêu"),
    ]
    for name in ("Normal", "Heading 1", "Title"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None


@pytest.mark.nodb
def test_docx_is_a4_with_decree_30_margins_and_times_new_roman_13():
    """Issue 18: the export was US Letter with Word's default margins."""
    document = Document(io.BytesIO(export_docx("Đề án", SECTIONS)))
    (section,) = document.sections
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.size.pt == 13
    assert document.styles["Heading 1"].font.size.pt == 14


@pytest.mark.nodb
def test_docx_table_header_row_is_bold_and_repeats_on_every_page():
    document = Document(io.BytesIO(export_docx("Đề án", SECTIONS)))
    (table,) = document.tables
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(cell.paragraphs[0].style.font.bold for cell in header.cells)
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_docx_renders_markdown_formatting():
    document = Document(io.BytesIO(export_docx("", SECTIONS[:3])))
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    italic = [r.text for p in document.paragraphs for r in p.runs if r.italic]
    assert bold == ["quản lý đô thị"]
    assert italic == ["dữ liệu mở"]
    styles = [p.style.name for p in document.paragraphs if p.style.name.startswith("List")]
    assert styles == ["List Bullet", "List Bullet 2", "List Bullet", "List Number", "List Number"]
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["Camera | AI", "300", "1.000"]
    assert table.style.name == "Table Grid"


def test_docx_each_numbered_list_restarts_at_its_own_number():
    document = Document(io.BytesIO(export_docx("", SECTIONS)))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = document.part.numbering_part.element
    starts = [
        numbering.xpath(f'./w:num[@w:numId="{num_id}"]//w:startOverride/@w:val')
        for num_id in dict.fromkeys(num_ids)
    ]
    assert starts == [["1"], ["1"], ["5"]]


def test_docx_to_docx_round_trip_of_a_user_document():
    document = Document()
    document.add_heading("Phần thứ nhất. Tổng quan", level=1)
    paragraph = document.add_paragraph("Đô thị ")
    paragraph.add_run("thông minh").bold = True
    document.add_heading("Điều 5. Phạm vi", level=2)
    document.add_paragraph("Dữ liệu", style="List Bullet")
    document.add_paragraph("Hạ tầng", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    imported = parse_docx(buffer.getvalue())
    assert parse_docx(export_docx("", imported)) == imported
    assert [(s.number, s.body) for s in imported] == [
        ("Phần thứ nhất", "Đô thị **thông minh**"),
        ("Điều 5", "- Dữ liệu\n- Hạ tầng"),
    ]


def test_examples_show_the_expected_shape():
    markdown_sections = parse_markdown(example_markdown())
    numbers = [s.number for s in markdown_sections]
    assert numbers[:3] == ["Chương I", "1.1", "1.2"]
    assert "Chương II" in numbers
    bodies = "\n".join(s.body for s in markdown_sections)
    assert "\n- " in bodies and "\n1. " in bodies and "| --- |" in bodies
    assert "Cần Thơ" in bodies
    assert parse_docx(example_docx()) == markdown_sections


def test_markdown_plain_text():
    body = "Đoạn **đậm**.\n\n- Một\n- Hai\n\n3. Ba\n4. Bốn\n\n| A | B |\n| --- | --- |\n| 1 | 2 |"
    assert markdown_plain_text(body) == "Đoạn đậm.\n• Một\n• Hai\n3. Ba\n4. Bốn\nA | B\n1 | 2"


@pytest.mark.nodb
def test_footnotes_become_word_footnotes_and_come_back():
    sections = [
        ParsedSection(1, "Điều 1", "Phạm vi", "Căn cứ[^1] và **đậm**[^2].\n\n[^1]: Luật 2015.\n\n"
                      "[^2]: Nghị định *30*."),
        ParsedSection(1, "Điều 2", "Khác", "Văn bản[^3].\n\n[^3]: Thông tư."),
    ]  # fmt: skip
    data = export_docx("T", sections)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        notes = archive.read("word/footnotes.xml").decode()
    assert "Luật 2015." in notes and "Thông tư." in notes  # real footnotes, under the page
    assert parse_docx(data) == sections


@pytest.mark.nodb
def test_footnotes_in_the_plain_text_of_the_redline():
    assert markdown_plain_text("Căn cứ[^1].\n\n[^1]: Luật 2015.") == "Căn cứ[1].\n[1] Luật 2015."
