"""Real shapes of Vietnamese legal documents, built here with python-docx (no database)."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from consult.documents import importer
from consult.documents.importer import DraftImportError, read_docx, read_upload

pytestmark = pytest.mark.nodb

LONG_TITLE = "Quy định về " + "trình tự, thủ tục " * 40  # about 700 characters


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def outline(report) -> list[tuple[int, str, str]]:
    return [(s.level, s.number, s.heading) for s in report.sections]


def bold(document, text, center=False):
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def decree() -> Document:
    """A decree as they are typed: everything in Normal, the structure in the words."""
    document = Document()
    bold(document, "NGHỊ ĐỊNH", center=True)
    bold(document, "QUY ĐỊNH VỀ QUẢN LÝ ĐÔ THỊ THÔNG MINH", center=True)
    document.add_paragraph("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;")
    document.add_paragraph("Theo đề nghị của Bộ trưởng Bộ Xây dựng;")
    document.add_paragraph("Chính phủ ban hành Nghị định quy định như sau:")
    bold(document, "Chương I", center=True)
    bold(document, "QUY ĐỊNH CHUNG", center=True)
    bold(document, "Điều 1. Phạm vi điều chỉnh")
    document.add_paragraph("1. Nghị định này quy định về đô thị thông minh.")
    document.add_paragraph("a) Hạ tầng số;")
    document.add_paragraph("đ) Dữ liệu mở.")
    document.add_paragraph("Điều 2. Đối tượng áp dụng")  # not bold: the words suffice
    document.add_paragraph("Cơ quan, tổ chức, cá nhân có liên quan.")
    bold(document, "Chương II", center=True)
    bold(document, "TRIỂN KHAI", center=True)
    bold(document, "Mục 1. KẾ HOẠCH")
    bold(document, f"Điều 3. {LONG_TITLE}")
    document.add_paragraph("Điều 4 được sửa đổi, bổ sung như sau:")
    document.add_paragraph("Điều 4. Trách nhiệm thi hành (được trích dẫn, không phải điều mới)")
    bold(document, "Điều 4. Hiệu lực thi hành")
    document.add_paragraph("Nghị định này có hiệu lực từ ngày ký.")
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("- Các bộ, ngành;")
    bold(document, "TM. CHÍNH PHỦ", center=True)
    bold(document, "THỦ TƯỚNG", center=True)
    return document


def test_body_style_articles_chapters_preamble_and_signature():
    report = read_docx(docx_bytes(decree()))
    assert outline(report) == [
        (1, "", "NGHỊ ĐỊNH QUY ĐỊNH VỀ QUẢN LÝ ĐÔ THỊ THÔNG MINH"),
        (1, "Chương I", "QUY ĐỊNH CHUNG"),
        (2, "Điều 1", "Phạm vi điều chỉnh"),
        (2, "Điều 2", "Đối tượng áp dụng"),
        (1, "Chương II", "TRIỂN KHAI"),
        (2, "Mục 1", "KẾ HOẠCH"),
        (3, "Điều 3", LONG_TITLE.strip()),
        (3, "Điều 4", "Hiệu lực thi hành"),
        (1, "", "Nơi nhận, chữ ký"),
    ]
    preamble, article_1 = report.sections[0], report.sections[2]
    assert "Căn cứ Luật Tổ chức Chính phủ" in preamble.body
    # Khoản and điểm stay in the article: they are what comments quote.
    assert article_1.body == (
        "1\\. Nghị định này quy định về đô thị thông minh.\n\na) Hạ tầng số;\n\nđ) Dữ liệu mở."
    )
    # The quoted article is text of the article that quotes it.
    assert "được trích dẫn" in report.sections[6].body
    assert "TM. CHÍNH PHỦ" in report.sections[-1].body
    assert "Nơi nhận:" in report.sections[-1].body
    assert report.words_kept == report.words_total > 100


def test_administrative_numbering_in_bold_and_text_under_it():
    document = Document()
    bold(document, "ĐỀ ÁN", center=True)
    bold(document, "I. SỰ CẦN THIẾT")
    document.add_paragraph("Thành phố cần chuyển đổi số.")
    bold(document, "1. Bối cảnh")
    document.add_paragraph("1. Không đậm nên là văn bản.")
    bold(document, "1.1. Quốc tế")
    document.add_paragraph("a) Kinh nghiệm Singapore;")
    bold(document, "II. MỤC TIÊU")
    report = read_docx(docx_bytes(document))
    assert outline(report) == [
        (1, "", "ĐỀ ÁN"),
        (1, "I", "SỰ CẦN THIẾT"),
        (2, "1", "Bối cảnh"),
        (3, "1.1", "Quốc tế"),
        (1, "II", "MỤC TIÊU"),
    ]
    assert report.sections[2].body == "1\\. Không đậm nên là văn bản."


def test_bold_short_paragraphs_are_headings_when_nothing_else_is():
    document = Document()
    bold(document, "KẾ HOẠCH", center=True)  # the title block stays in the preamble
    document.add_paragraph("Mở đầu của kế hoạch.")
    bold(document, "Bối cảnh chung")
    document.add_paragraph("Nội dung bối cảnh.")
    paragraph = document.add_paragraph()
    paragraph.add_run("Giải pháp").font.all_caps = True  # Word's All Caps: shown, and read, so
    document.add_paragraph("Nội dung giải pháp.")
    report = read_docx(docx_bytes(document))
    assert outline(report) == [(1, "", "KẾ HOẠCH"), (1, "", "Bối cảnh chung"), (1, "", "GIẢI PHÁP")]


NUMBERING = """
<w:numbering {ns}>
  <w:abstractNum w:abstractNumId="10">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
      <w:lvlText w:val="Điều %1."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="11">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>
      <w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
      <w:lvlText w:val="%1.%2."/><w:isLgl/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="3"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="11"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="2"/></w:lvlOverride></w:num>
  {many}
</w:numbering>
"""


def numbered_document(num_id_text: str = "3", many: int = 0) -> Document:
    document = Document()
    root = document.part.numbering_part.element
    filler = "".join(
        f'<w:num w:numId="{100 + i}"><w:abstractNumId w:val="10"/></w:num>' for i in range(many)
    )
    fresh = parse_xml(NUMBERING.format(ns=nsdecls("w"), many=filler))
    for child in list(root):
        root.remove(child)
    for child in fresh:
        root.append(child)

    def numbered(text, num_id, ilvl=0, strong=True):
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = strong
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().set(qn("w:val"), num_id)

    numbered("Phạm vi", num_id_text)
    document.add_paragraph("Nội dung điều một.")
    numbered("Đối tượng", num_id_text)
    numbered("Mục tiêu", "4")  # starts at II
    numbered("Chỉ tiêu", "4", ilvl=1)
    numbered("Giải pháp", "4")
    return document


def test_word_automatic_numbering_is_computed_and_kept():
    report = read_docx(docx_bytes(numbered_document()))
    assert outline(report)[:2] == [(1, "Điều 1", "Phạm vi"), (1, "Điều 2", "Đối tượng")]
    assert report.sections[0].body == "Nội dung điều một."
    # Inside an article, numbered paragraphs are its text, numbers written out as Word shows
    # them: II. (the list restarts at 2), 2.1. (legal numbering under a Roman one), III.
    assert report.sections[1].body == (
        "II. **Mục tiêu**\n\n2.1. **Chỉ tiêu**\n\nIII. **Giải pháp**"
    )


def test_numbering_ids_are_never_put_into_a_query():
    # A quote in w:numId used to end up inside an XPath expression: a 500.
    report = read_docx(docx_bytes(numbered_document(num_id_text='1"')))
    assert report.sections[0].body.startswith("**Phạm vi**")  # no such list: no number
    # A few hundred lists are read once, not searched once per paragraph.
    report = read_docx(docx_bytes(numbered_document(many=500)))
    assert outline(report)[0] == (1, "Điều 1", "Phạm vi")


FOOTNOTES = (
    "<w:footnotes {ns}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Theo Luật Ban hành văn bản 2015.</w:t></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    + struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)))
    + struct.pack(">I", len(zlib.compress(b"\x00\x00")))
    + b"IDAT"
    + zlib.compress(b"\x00\x00")
    + struct.pack(">I", zlib.crc32(b"IDAT" + zlib.compress(b"\x00\x00")))
    + struct.pack(">I", 0)
    + b"IEND"
    + struct.pack(">I", zlib.crc32(b"IEND"))
)


def with_footnotes(data: bytes) -> bytes:
    """Add a footnotes part to a saved .docx (python-docx cannot write one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(item, content)
        target.writestr("word/footnotes.xml", FOOTNOTES.format(ns=nsdecls("w")))
    return out.getvalue()


def rich_document() -> bytes:
    """A footnote, an image, a text box, a nested table, a comment and tracked changes."""
    document = Document()
    document.add_paragraph("QUYẾT ĐỊNH", style="Title")
    bold(document, "Điều 1. Phạm vi")
    paragraph = document.add_paragraph("Căn cứ pháp lý")
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'
        )
    )
    paragraph.add_run(" của điều này.")
    document.add_picture(io.BytesIO(PNG))
    box = document.add_paragraph("Trước hộp.")
    box._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
            "<w:pict><v:shape><v:textbox><w:txbxContent>"
            "<w:p><w:r><w:t>Chữ trong hộp văn bản</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Chỉ tiêu"
    table.cell(0, 1).text = "Giá trị"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "lồng một"
    inner.cell(0, 1).text = "lồng hai"
    bold(document, "Điều 2. Sửa đổi")
    changed = document.add_paragraph("Giữ ")
    changed._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="7" w:author="Sở Tư pháp" w:date="2026-01-01T00:00:00Z">'
            "<w:r><w:t>chữ thêm</w:t></w:r></w:ins>"
        )
    )
    changed._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="8" w:author="Sở Tư pháp" w:date="2026-01-01T00:00:00Z">'
            "<w:r><w:delText>chữ xoá</w:delText></w:r></w:del>"
        )
    )
    commented = document.add_paragraph()
    run = commented.add_run("Đoạn có góp ý.")
    document.add_comment(run, text="Đề nghị làm rõ", author="Sở Xây dựng")
    return with_footnotes(docx_bytes(document))


def test_footnotes_images_text_boxes_nested_tables_comments_and_changes():
    report = read_docx(rich_document())
    # Only a Title above the first article: the file's title, named in the report.
    assert outline(report) == [(1, "Điều 1", "Phạm vi"), (1, "Điều 2", "Sửa đổi")]
    article_1, article_2 = report.sections[0].body, report.sections[1].body
    assert "Căn cứ pháp lý[^1] của điều này." in article_1
    assert article_1.endswith("[^1]: Theo Luật Ban hành văn bản 2015.")
    assert "Chữ trong hộp văn bản" in article_1
    assert "lồng một lồng hai" in article_1
    assert "Giữ chữ thêm" in article_2 and "xoá" not in article_2
    assert report.tracked_changes == 2
    assert report.comments == 1
    assert report.not_kept == ["the title “QUYẾT ĐỊNH”", "image image1.png"]
    assert report.words_kept == report.words_total - 2


def test_markdown_footnotes_render_under_the_section():
    from consult.markup import render_markdown

    html = str(render_markdown("Căn cứ[^1].\n\n[^1]: Luật 2015.", anchor_prefix="s7"))
    assert "Luật 2015." in html
    assert 'href="#fn-s7-1"' in html or "fn-s7" in html


# --- bounds ---------------------------------------------------------------------------------


def test_one_huge_paragraph_is_refused_before_it_is_read():
    document = Document()
    document.add_paragraph("chữ " * (importer.MAX_PARAGRAPH_CHARS // 4 + 10))
    with pytest.raises(DraftImportError, match="longer than"):
        read_docx(docx_bytes(document))


def test_too_much_text_in_total_is_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAX_TEXT_CHARS", 5_000)
    document = Document()
    for _ in range(20):
        document.add_paragraph("văn bản " * 40)
    with pytest.raises(DraftImportError, match="more than"):
        read_docx(docx_bytes(document))


def test_a_megabyte_of_brackets_in_markdown_is_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(DraftImportError, match="longer than"):
        read_upload("du-thao.md", b"[" * 1_000_000)
    assert time.perf_counter() - started < 5  # it took 35 s when it was parsed


# --- text and Markdown --------------------------------------------------------------------


def test_plain_text_legal_document_is_read_by_its_structure():
    text = (
        "CHÍNH PHỦ\nNGHỊ ĐỊNH\nVỀ ĐÔ THỊ THÔNG MINH\nCăn cứ Luật Tổ chức Chính phủ;\n"
        "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\n1. Nội dung *một*.\n"
    )
    report = read_upload("nghi-dinh.txt", text.encode())
    assert outline(report) == [
        (1, "", "NGHỊ ĐỊNH VỀ ĐÔ THỊ THÔNG MINH"),
        (1, "Chương I", "QUY ĐỊNH CHUNG"),
        (2, "Điều 1", "Phạm vi"),
    ]
    assert report.sections[2].body == "1\\. Nội dung \\*một\\*."


def test_markdown_with_articles_typed_in_paragraphs():
    text = "# Con dấu\n\nChương I\n\nQUY ĐỊNH CHUNG\n\nĐiều 39.12.NĐ.1. Phạm vi\n\n1. Một.\n"
    report = read_upload("con-dau.md", text.encode())
    assert outline(report) == [
        (1, "", "Con dấu"),
        (2, "Chương I", "QUY ĐỊNH CHUNG"),
        (3, "Điều 39.12.NĐ.1", "Phạm vi"),
    ]
    assert report.sections[2].body == "1. Một."


def test_heading_styles_that_contradict_the_words_give_way_and_appendices_stand_beside():
    document = Document()
    document.add_paragraph("LUẬT VIÊN CHỨC")
    document.add_heading("CHƯƠNG I", level=1)  # Chương and Mục in one style: the words decide
    bold(document, "NHỮNG QUY ĐỊNH CHUNG", center=True)
    bold(document, "Điều 1. Phạm vi điều chỉnh")
    document.add_heading("Mục 1", level=1)
    bold(document, "QUYỀN CỦA VIÊN CHỨC", center=True)
    bold(document, "Điều 2. Quyền")
    document.add_paragraph("Luật này đã được Quốc hội thông qua.")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "CHỦ TỊCH QUỐC HỘI Nguyễn Văn A"
    bold(document, "PHỤ LỤC", center=True)
    bold(document, "DANH SÁCH CÁC HUYỆN", center=True)
    document.add_paragraph("Huyện Phong Điền.")
    report = read_docx(docx_bytes(document))
    assert outline(report) == [
        (1, "", "LUẬT VIÊN CHỨC"),
        (1, "CHƯƠNG I", "NHỮNG QUY ĐỊNH CHUNG"),
        (2, "Điều 1", "Phạm vi điều chỉnh"),
        (2, "Mục 1", "QUYỀN CỦA VIÊN CHỨC"),
        (3, "Điều 2", "Quyền"),
        (1, "", "Nơi nhận, chữ ký"),  # the signer's table at the end of the text
        (1, "PHỤ LỤC", "DANH SÁCH CÁC HUYỆN"),
    ]
    assert report.sections[4].body == "Luật này đã được Quốc hội thông qua."


# --- Word 97-2003 -----------------------------------------------------------------------------


def _libreoffice_doc(document) -> bytes:
    """A real .doc, made by LibreOffice from a .docx built here."""
    import subprocess
    import tempfile
    from pathlib import Path

    from consult.documents.convert import soffice

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "nghi-dinh.docx"
        source.write_bytes(docx_bytes(document))
        profile = (Path(folder) / "profile").as_uri()
        subprocess.run(  # noqa: S603
            [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
             "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return (Path(folder) / "nghi-dinh.doc").read_bytes()


def _needs_libreoffice():
    import glob

    from consult.documents.convert import soffice

    if soffice() is None or not glob.glob("/usr/lib/libreoffice/program/libswlo.so"):
        pytest.skip("LibreOffice Writer is not installed (scripts/test.sh installs it)")


def test_word_97_2003_doc_is_converted_through_libreoffice():
    _needs_libreoffice()
    data = _libreoffice_doc(decree())
    assert data.startswith(importer.OLE_MAGIC)
    report = read_upload("nghi-dinh.doc", data)
    assert [s.number for s in report.sections][:4] == ["", "Chương I", "Điều 1", "Điều 2"]
    assert report.sections[6].heading == LONG_TITLE.strip()


def test_doc_conversion_that_hangs_is_killed_and_refused(monkeypatch, tmp_path):
    from consult.documents import convert

    hanging = tmp_path / "soffice"
    hanging.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(convert, "soffice", lambda: str(hanging))
    started = time.perf_counter()
    with pytest.raises(convert.ConversionError, match="too long"):
        convert.doc_to_docx(b"not really a doc", timeout=1)
    assert time.perf_counter() - started < 10


# --- other packages -------------------------------------------------------------------------


def _rewrite(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            name, content = change(item.filename, source.read(item.filename))
            target.writestr(name, content)
    return out.getvalue()


def test_strict_open_xml_is_read():
    pairs = [(t, s) for s, t in importer._STRICT_NAMESPACES]

    def to_strict(name, content):
        if name.endswith((".xml", ".rels")):
            for transitional, strict in pairs:
                content = content.replace(transitional.encode(), strict.encode())
        return name, content

    report = read_docx(_rewrite(docx_bytes(decree()), to_strict))
    assert [s.number for s in report.sections][:3] == ["", "Chương I", "Điều 1"]


def test_a_main_part_not_named_document_xml_is_read():
    def rename(name, content):
        if name == "word/document.xml":
            return "word/main.xml", content
        if name in ("[Content_Types].xml", "_rels/.rels"):
            content = content.replace(b"word/document.xml", b"word/main.xml")
        if name == "word/_rels/document.xml.rels":
            return "word/_rels/main.xml.rels", content
        return name, content

    report = read_docx(_rewrite(docx_bytes(decree()), rename))
    assert [s.number for s in report.sections][:3] == ["", "Chương I", "Điều 1"]
