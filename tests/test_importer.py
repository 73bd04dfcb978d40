"""Draft import: heading numbers, Markdown and Word parsing, and rejected uploads (no database)."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from flask import Flask
from flask_babel import Babel

from consult.documents import importer
from consult.documents.importer import (
    DraftImportError,
    ParsedSection,
    parse_docx,
    parse_markdown,
    parse_upload,
    split_heading_number,
    validate_levels,
)
from consult.numbering import join_heading_number

pytestmark = pytest.mark.nodb


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def outline(sections: list[ParsedSection]) -> list[tuple[int, str, str]]:
    return [(s.level, s.number, s.heading) for s in sections]


# ---------------------------------------------------------------------------------------------
# Heading numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chương II: Hiện trạng", ("Chương II", "Hiện trạng")),
        ("2.3.1. Hạ tầng mạng", ("2.3.1", "Hạ tầng mạng")),
        ("2.3.1 Hạ tầng mạng", ("2.3.1", "Hạ tầng mạng")),
        ("1) Mục tiêu chung", ("1", "Mục tiêu chung")),
        ("1.Giới thiệu", ("1", "Giới thiệu")),
        ("I. Mở đầu", ("I", "Mở đầu")),
        ("IV - Giải pháp", ("IV", "Giải pháp")),
        ("Phần I", ("Phần I", "")),
        ("Phần thứ nhất. Tổng quan", ("Phần thứ nhất", "Tổng quan")),
        ("PHẦN THỨ HAI: ĐỊNH HƯỚNG", ("PHẦN THỨ HAI", "ĐỊNH HƯỚNG")),
        ("Chương 2 Hiện trạng", ("Chương 2", "Hiện trạng")),
        ("Mục 1. Quy định chung", ("Mục 1", "Quy định chung")),
        ("Điều 5. Phạm vi điều chỉnh", ("Điều 5", "Phạm vi điều chỉnh")),
        ("Khoản 2 – Đối tượng", ("Khoản 2", "Đối tượng")),
        ("Điểm a) Dữ liệu mở", ("Điểm a", "Dữ liệu mở")),
        ("Phụ lục I. Danh mục dự án", ("Phụ lục I", "Danh mục dự án")),
        ("a) Giai đoạn 2025–2027", ("a", "Giai đoạn 2025–2027")),
        ("đ) Mục cuối", ("đ", "Mục cuối")),
        ("A. MỞ ĐẦU", ("A", "MỞ ĐẦU")),
        ("  Chương   III :  Giải pháp ", ("Chương III", "Giải pháp")),
        ("Giới thiệu", ("", "Giới thiệu")),
        # Words that merely start like structure words, and years or dates, are not numbers.
        ("Mục tiêu tổng quát", ("", "Mục tiêu tổng quát")),
        ("MỤC LỤC", ("", "MỤC LỤC")),
        ("Phần mềm dùng chung", ("", "Phần mềm dùng chung")),
        ("Điều kiện thực hiện", ("", "Điều kiện thực hiện")),
        ("2025 - năm chuyển đổi số", ("", "2025 - năm chuyển đổi số")),
        ("12.5.2024 họp lấy ý kiến", ("", "12.5.2024 họp lấy ý kiến")),
        ("V-League tại Cần Thơ", ("", "V-League tại Cần Thơ")),
    ],
)
def test_split_heading_number(text, expected):
    assert split_heading_number(text) == expected


@pytest.mark.parametrize(
    ("number", "heading", "joined"),
    [
        ("2.3.1", "Hạ tầng mạng", "2.3.1. Hạ tầng mạng"),
        ("1", "Mục tiêu", "1. Mục tiêu"),
        ("IV", "Giải pháp", "IV. Giải pháp"),
        ("a", "Giai đoạn đầu", "a) Giai đoạn đầu"),
        ("Chương II", "Hiện trạng", "Chương II. Hiện trạng"),
        ("Phần thứ nhất", "", "Phần thứ nhất"),
        ("", "Giới thiệu", "Giới thiệu"),
    ],
)
def test_join_heading_number_is_inverse_of_split(number, heading, joined):
    assert join_heading_number(number, heading) == joined
    assert split_heading_number(joined) == (number, heading)


# ---------------------------------------------------------------------------------------------
# Levels


def levels(values: list[int]) -> list[int]:
    sections = [ParsedSection(level, "", f"h{i}", "") for i, level in enumerate(values)]
    return [s.level for s in validate_levels(sections)]


def test_validate_levels_closes_jumps_and_keeps_siblings():
    assert levels([1, 3, 3, 2, 4, 1]) == [1, 2, 2, 2, 3, 1]
    assert levels([2, 2, 3]) == [1, 1, 2]
    assert levels([3, 1, 2]) == [1, 1, 2]
    assert levels([]) == []


def test_validate_levels_returns_new_objects():
    original = [ParsedSection(2, "", "x", "")]
    assert validate_levels(original)[0].level == 1
    assert original[0].level == 2


# ---------------------------------------------------------------------------------------------
# Markdown

MARKDOWN_DRAFT = """\
# Chương I. Sự cần thiết

Cần Thơ là đô thị trung tâm vùng Đồng bằng sông Cửu Long.

## 1.1. Bối cảnh

- Đô thị hóa nhanh;
- Biến đổi khí hậu.

```
# không phải tiêu đề
```

### Hạ tầng số

| Chỉ tiêu | 2025 |
| --- | --- |
| Camera | 300 |

# Chương II: Mục tiêu
"""


def test_parse_markdown_sections_and_verbatim_bodies():
    sections = parse_markdown(MARKDOWN_DRAFT)
    assert outline(sections) == [
        (1, "Chương I", "Sự cần thiết"),
        (2, "1.1", "Bối cảnh"),
        (3, "", "Hạ tầng số"),
        (1, "Chương II", "Mục tiêu"),
    ]
    assert sections[0].body == "Cần Thơ là đô thị trung tâm vùng Đồng bằng sông Cửu Long."
    assert sections[1].body == (
        "- Đô thị hóa nhanh;\n- Biến đổi khí hậu.\n\n```\n# không phải tiêu đề\n```"
    )
    assert sections[2].body == "| Chỉ tiêu | 2025 |\n| --- | --- |\n| Camera | 300 |"
    assert sections[3].body == ""


def test_parse_markdown_heading_text_is_plain_and_levels_are_normalised():
    sections = parse_markdown("## 1. **Mục tiêu** `chung` ##\n\n#### Chi tiết\n\nNội dung")
    assert outline(sections) == [(1, "1", "Mục tiêu chung"), (2, "", "Chi tiết")]
    assert sections[1].body == "Nội dung"


def test_parse_markdown_ignores_leading_blank_lines_bom_and_crlf():
    sections = parse_markdown("\ufeff\r\n\r\n# Giới thiệu\r\nDòng một\r\n")
    assert outline(sections) == [(1, "", "Giới thiệu")]
    assert sections[0].body == "Dòng một"


def test_parse_markdown_skips_front_matter():
    text = '---\ntitle: "Đề án"\n---\n\n# Giới thiệu\n\nNội dung'
    assert outline(parse_markdown(text)) == [(1, "", "Giới thiệu")]


def test_parse_markdown_accepts_setext_headings():
    sections = parse_markdown("Tổng quan\n=========\n\nMột đoạn.\n\nChi tiết\n--------\n")
    assert outline(sections) == [(1, "", "Tổng quan"), (2, "", "Chi tiết")]
    assert sections[0].body == "Một đoạn."


def test_parse_markdown_normalises_vietnamese_to_composed_form():
    decomposed = unicodedata.normalize("NFD", "# Chương I. Hiện trạng\n\nCần Thơ")
    sections = parse_markdown(decomposed)
    assert sections[0].number == "Chương I"
    assert sections[0].heading == unicodedata.normalize("NFC", "Hiện trạng")
    assert sections[0].body == unicodedata.normalize("NFC", "Cần Thơ")


def test_parse_markdown_keeps_text_before_first_heading_as_a_section():
    sections = parse_markdown("\nLời nói đầu\n\n# Chương I\n")
    assert [(s.heading, s.body) for s in sections] == [("Phần mở đầu", "Lời nói đầu"), ("", "")]
    assert sections[1].number == "Chương I"


def test_parse_markdown_without_headings_is_one_section():
    text = "Chỉ có một đoạn văn.\n\n    # thụt lề nên là mã"
    assert [(s.heading, s.body) for s in parse_markdown(text)] == [("Phần mở đầu", text)]


def test_parse_markdown_blank_text_is_empty():
    with pytest.raises(DraftImportError, match="empty"):
        parse_markdown(" \n\n ")


# ---------------------------------------------------------------------------------------------
# Word


def build_word_draft() -> bytes:
    document = Document()
    document.add_paragraph("Đề án Cần Thơ thông minh", style="Title")
    document.add_paragraph("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ")  # cover text, before headings
    document.add_heading("Chương I. Sự cần thiết", level=1)
    paragraph = document.add_paragraph("Thành phố cần ")
    paragraph.add_run("quản lý thông minh").bold = True
    paragraph.add_run(" và ")
    paragraph.add_run("dữ liệu mở").italic = True
    paragraph.add_run(".")
    document.add_heading("", level=2)  # empty headings are spacing, not sections
    document.add_heading("1.1. Hạ tầng số", level=3)  # jumps a level
    document.add_paragraph("Mạng 5G phủ sóng;", style="List Bullet")
    document.add_paragraph("Cáp quang đến hộ gia đình.", style="List Bullet")
    document.add_paragraph("Khảo sát", style="List Number")
    document.add_paragraph("Đầu tư", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("Chỉ tiêu", "Giá trị"), ("A | B", "10"), ("C", "")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Sau bảng.")
    document.add_heading("Chương II: Mục tiêu", level=1)
    document.add_heading("a) Giai đoạn 2025–2027", level=2)
    document.add_paragraph("Xây dựng trung tâm điều hành.")
    return docx_bytes(document)


def test_parse_docx_structure():
    sections = parse_docx(build_word_draft())
    assert outline(sections) == [
        (1, "", "Đề án Cần Thơ thông minh"),  # the text before the first heading, titled
        (1, "Chương I", "Sự cần thiết"),
        (2, "1.1", "Hạ tầng số"),
        (1, "Chương II", "Mục tiêu"),
        (2, "a", "Giai đoạn 2025–2027"),
    ]
    assert sections[4].body == "Xây dựng trung tâm điều hành."
    assert sections[0].body == "Đề án Cần Thơ thông minh\n\nỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"


def test_parse_docx_bodies_become_markdown():
    sections = parse_docx(build_word_draft())[1:]
    assert sections[0].body == "Thành phố cần **quản lý thông minh** và *dữ liệu mở*."
    assert sections[1].body == (
        "- Mạng 5G phủ sóng;\n"
        "- Cáp quang đến hộ gia đình.\n"
        "\n"
        "1. Khảo sát\n"
        "2. Đầu tư\n"
        "\n"
        "| Chỉ tiêu | Giá trị |\n"
        "| --- | --- |\n"
        "| A \\| B | 10 |\n"
        "| C |  |\n"
        "\n"
        "Sau bảng."
    )


def test_parse_docx_localized_styles_and_outline_levels():
    document = Document()
    custom = document.styles.add_style("Tiêu đề 1", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Normal"]
    document.add_paragraph("Phần thứ nhất. Tổng quan", style=custom)
    paragraph = document.add_paragraph("Điều 5. Phạm vi")
    outline_level = OxmlElement("w:outlineLvl")
    outline_level.set(qn("w:val"), "1")
    paragraph._p.get_or_add_pPr().append(outline_level)
    document.add_paragraph("Nội dung điều 5.")
    sections = parse_docx(docx_bytes(document))
    assert outline(sections) == [(1, "Phần thứ nhất", "Tổng quan"), (2, "Điều 5", "Phạm vi")]
    assert sections[1].body == "Nội dung điều 5."


def test_parse_docx_list_from_numbering_properties_and_nesting():
    document = Document()
    document.add_heading("Danh sách", level=1)
    # numId 1 is the template's bullet list; numId 5 its numbered list.
    for text, num_id, ilvl in [("Một", "5", "0"), ("Con", "1", "1"), ("Hai", "5", "0")]:
        paragraph = document.add_paragraph(text, style="List Paragraph")
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = int(ilvl)
        num_pr.get_or_add_numId().val = int(num_id)
    sections = parse_docx(docx_bytes(document))
    assert sections[0].body == "1. Một\n   - Con\n2. Hai"


def test_parse_docx_keeps_tracked_insertions_and_drops_deletions():
    document = Document()
    document.add_heading("Sửa đổi", level=1)
    paragraph = document.add_paragraph("Giữ ")
    for tag, text in (("w:ins", "thêm"), ("w:del", "bỏ")):
        wrapper = OxmlElement(tag)
        wrapper.set(qn("w:id"), "1")
        wrapper.set(qn("w:author"), "A")
        run = OxmlElement("w:r")
        text_element = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        text_element.text = text
        run.append(text_element)
        wrapper.append(run)
        paragraph._p.append(wrapper)
    assert parse_docx(docx_bytes(document))[0].body == "Giữ thêm"


def test_parse_docx_escapes_markdown_in_text():
    document = Document()
    document.add_heading("Ký tự", level=1)
    document.add_paragraph("1. không phải danh sách")
    document.add_paragraph("Giá *đặc biệt* [mới]")
    paragraph = document.add_paragraph()
    paragraph.add_run("Cần Thơ,").bold = True
    paragraph.add_run("tiếp")
    body = parse_docx(docx_bytes(document))[0].body
    assert body == "1\\. không phải danh sách\n\nGiá \\*đặc biệt\\* \\[mới\\]\n\n**Cần Thơ**,tiếp"


def test_parse_docx_without_any_structure_is_one_section():
    document = Document()
    document.add_paragraph("Chỉ có văn bản thường.")
    assert [(s.heading, s.body) for s in parse_docx(docx_bytes(document))] == [
        ("Phần mở đầu", "Chỉ có văn bản thường.")
    ]


def test_parse_docx_rejects_files_that_are_not_docx():
    with pytest.raises(DraftImportError, match="not a valid Word"):
        parse_docx(b"PK\x03\x04 but not really a zip")
    with pytest.raises(DraftImportError, match="not a valid Word"):
        parse_docx(b"%PDF-1.7 ...")


def test_parse_docx_rejects_zip_without_document_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DraftImportError, match="not a valid Word"):
        parse_docx(buffer.getvalue())


def test_parse_docx_rejects_legacy_doc():
    with pytest.raises(DraftImportError, match=r"\.docx"):
        parse_docx(importer.OLE_MAGIC + b"\0" * 512)


def test_parse_docx_rejects_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 50_000
    with pytest.raises(DraftImportError, match="too much data"):
        parse_docx(data)


def test_parse_docx_rejects_too_much_uncompressed_data():
    data = build_word_draft()
    assert parse_docx(data)  # outside the app: the configuration's defaults
    app = Flask(__name__)
    Babel(app)
    app.config["ZIP_MAX_UNCOMPRESSED_BYTES"] = 10_000
    with app.app_context(), pytest.raises(DraftImportError, match="too much data"):
        parse_docx(data)


# ---------------------------------------------------------------------------------------------
# Uploads


def test_parse_upload_dispatches_on_extension():
    markdown = "# Giới thiệu\n\nNội dung".encode()
    assert outline(parse_upload("du-thao.MD", markdown)) == [(1, "", "Giới thiệu")]
    # A text file is read by its words, not as Markdown.
    assert outline(parse_upload("ghi-chu.txt", markdown)) == [(1, "", "Phần mở đầu")]
    text = "QUYẾT ĐỊNH\nĐiều 1. Phạm vi\nNội dung.".encode()
    assert outline(parse_upload("qd.txt", text)) == [
        (1, "", "QUYẾT ĐỊNH"),
        (1, "Điều 1", "Phạm vi"),
    ]
    assert outline(parse_upload("a.markdown", markdown)) == [(1, "", "Giới thiệu")]
    sections = parse_upload(r"C:\Users\x\Dự thảo.docx", build_word_draft())
    assert sections[1].number == "Chương I"


@pytest.mark.parametrize("filename", ["du-thao.pdf", "du-thao", "anh.png.exe"])
def test_parse_upload_rejects_unsupported_extensions(filename):
    with pytest.raises(DraftImportError, match="Unsupported file type"):
        parse_upload(filename, b"%PDF-1.7")


def test_parse_upload_explains_old_word_format(monkeypatch):
    monkeypatch.setattr(importer, "soffice", lambda: None)  # a server without LibreOffice
    with pytest.raises(DraftImportError, match=r"save it as a Word document \(\.docx\)"):
        parse_upload("du-thao.doc", importer.OLE_MAGIC)


def test_parse_upload_rejects_empty_and_too_large_files():
    with pytest.raises(DraftImportError, match="empty"):
        parse_upload("a.docx", b"")
    with pytest.raises(DraftImportError, match="too large"):
        parse_upload("a.md", b"# x\n" * 100, max_bytes=100)


def test_parse_upload_requires_utf8_text():
    with pytest.raises(DraftImportError, match="UTF-8"):
        parse_upload("a.md", "# Cần Thơ".encode("utf-16"))
    with pytest.raises(DraftImportError, match="not a text file"):
        parse_upload("a.md", b"# a\x00b")


def test_import_error_message_is_lazy_and_readable():
    with pytest.raises(DraftImportError) as caught:
        parse_upload("a.md", b"")
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == str(caught.value.message) == "The file is empty."
