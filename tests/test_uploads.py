"""Uploaded attachments: recognised by content, stored under random names, names cleaned."""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from werkzeug.datastructures import FileStorage

from consult.documents.importer import DraftImportError, parse_docx
from consult.uploads import (
    COMMENT_KINDS,
    KIND_MIMETYPES,
    LETTER_KINDS,
    StoredFile,
    UploadError,
    store_upload,
    stored_path,
)

MB = 1024 * 1024
LIMIT = 10 * MB


# --- real files, built in memory ------------------------------------------------------------


def make_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def make_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def make_gif() -> bytes:
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
        b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def make_webp() -> bytes:
    body = b"WEBPVP8L" + struct.pack("<I", 10) + b"\x2f\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def make_docx(text: str = "Góp ý của Sở Tài chính") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Kinh phí"
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.close()
    return buffer.getvalue()


def make_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(
        stream=io.BytesIO(data), filename=filename, content_type="application/octet-stream"
    )


# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def data_dir(app, tmp_path) -> Path:
    """A DATA_DIR of this test's own: the suite's one is shared by every test."""
    app.config["DATA_DIR"] = str(tmp_path)
    return tmp_path


def attachments(data_dir: Path) -> list[Path]:
    folder = data_dir / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def refuse(data_dir: Path, data: bytes, filename: str, *, allowed=COMMENT_KINDS, max_bytes=LIMIT):
    """The message an upload is refused with, after checking nothing reached the disk."""
    with pytest.raises(UploadError) as caught:
        store_upload(upload(data, filename), allowed=allowed, max_bytes=max_bytes)
    assert attachments(data_dir) == []
    message = str(caught.value)
    assert message
    return message


# --- accepted files ---------------------------------------------------------------------------

SAMPLES = {
    "pdf": (make_pdf, "Góp ý.pdf"),
    "png": (make_png, "bản đồ.png"),
    "jpeg": (make_jpeg, "ảnh chụp.JPG"),
    "gif": (make_gif, "sơ đồ.gif"),
    "webp": (make_webp, "hình.webp"),
    "docx": (make_docx, "Ý kiến.docx"),
    "xlsx": (make_xlsx, "Bảng kinh phí.xlsx"),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_allowed_kind_is_stored_byte_for_byte(data_dir, kind):
    make, filename = SAMPLES[kind]
    data = make()

    stored = store_upload(upload(data, filename), allowed=COMMENT_KINDS, max_bytes=LIMIT)

    assert isinstance(stored, StoredFile)
    assert stored.kind == kind
    assert stored.content_type == KIND_MIMETYPES[kind]
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.original_name == filename
    assert len(stored.stored_name) == 32
    assert int(stored.stored_name, 16) >= 0
    path = stored_path(stored.stored_name)
    assert path.parent == data_dir / "attachments"
    assert path.read_bytes() == data
    # Only the file itself: no temporary file left behind, no extension on the stored name.
    assert attachments(data_dir) == [path]


def test_the_kind_lists():
    assert {"pdf", "docx", "xlsx", "png", "jpeg", "gif", "webp"} == COMMENT_KINDS
    assert {"pdf", "png", "jpeg"} == LETTER_KINDS
    assert set(KIND_MIMETYPES) == COMMENT_KINDS


@pytest.mark.parametrize("filename", ["scan.jpg", "scan.jpeg", "SCAN.JPEG"])
def test_both_jpeg_extensions_are_fine(data_dir, filename):
    stored = store_upload(upload(make_jpeg(), filename), allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored.kind == "jpeg"
    assert stored.original_name == filename


def test_every_upload_gets_a_new_random_name(data_dir):
    names = {
        store_upload(upload(make_pdf(), "a.pdf"), allowed=LETTER_KINDS, max_bytes=LIMIT).stored_name
        for _ in range(3)
    }
    assert len(names) == 3
    assert len(attachments(data_dir)) == 3


def test_a_file_exactly_at_the_limit_is_accepted(data_dir):
    data = make_pdf()
    stored = store_upload(upload(data, "a.pdf"), allowed=LETTER_KINDS, max_bytes=len(data))
    assert stored.size == len(data)


def test_a_stream_already_read_by_a_validator_is_read_from_the_start(data_dir):
    data = make_pdf()
    storage = upload(data, "a.pdf")
    storage.stream.read()
    stored = store_upload(storage, allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored_path(stored.stored_name).read_bytes() == data


def test_a_name_without_extension_gets_the_one_of_its_kind(data_dir):
    stored = store_upload(upload(make_png(), "scan"), allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored.original_name == "scan.png"
    stored = store_upload(upload(make_pdf(), "Báo cáo v1.2"), allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored.original_name == "Báo cáo v1.2.pdf"


# --- files lying about their type ------------------------------------------------------------


def test_an_executable_renamed_pdf_is_refused(data_dir):
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64)
    message = refuse(data_dir, executable, "công văn.pdf")
    for extension in (".pdf", ".docx", ".xlsx", ".png", ".jpg", ".gif", ".webp"):
        assert extension in message


def test_html_renamed_png_is_refused(data_dir):
    html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    message = refuse(data_dir, html, "ảnh.png")
    assert ".png" in message


def test_svg_is_not_an_image_we_accept(data_dir):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    refuse(data_dir, svg, "logo.svg")


def test_a_docx_renamed_xlsx_is_refused(data_dir):
    message = refuse(data_dir, make_docx(), "bảng.xlsx")
    assert ".xlsx" in message
    assert "Word" in message


def test_a_pdf_renamed_docx_is_refused(data_dir):
    message = refuse(data_dir, make_pdf(), "văn bản.docx")
    assert ".docx" in message
    assert "PDF" in message


def test_a_png_renamed_jpg_is_refused(data_dir):
    refuse(data_dir, make_png(), "scan.jpg", allowed=LETTER_KINDS)


def test_a_letter_refuses_office_files(data_dir):
    message = refuse(data_dir, make_docx(), "công văn.docx", allowed=LETTER_KINDS)
    assert ".pdf" in message
    assert ".docx" not in message
    refuse(data_dir, make_xlsx(), "công văn.xlsx", allowed=LETTER_KINDS)


def test_a_plain_zip_renamed_docx_is_refused(data_dir):
    refuse(data_dir, make_zip({"readme.txt": b"hello"}), "văn bản.docx")


def test_a_docx_with_macros_is_refused(data_dir):
    data = make_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00" * 16,
        }
    )
    refuse(data_dir, data, "văn bản.docx")


def test_a_damaged_docx_is_refused(data_dir):
    body = b"<w:document>" + b"noi dung " * 50 + b"</w:document>"
    data = make_zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": body},
        compression=zipfile.ZIP_STORED,
    )
    damaged = data.replace(b"noi dung noi", b"NOI DUNG NOI", 1)
    assert damaged != data
    refuse(data_dir, damaged, "văn bản.docx")


def test_a_truncated_docx_is_refused(data_dir):
    data = make_docx()
    refuse(data_dir, data[: len(data) // 2], "văn bản.docx")


def test_a_zip_bomb_renamed_docx_is_refused(app, data_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            zeros = bytes(MB)
            for _ in range(app.config["ZIP_MAX_UNCOMPRESSED_BYTES"] // MB + 1):
                member.write(zeros)
    data = buffer.getvalue()
    assert len(data) < MB

    message = refuse(data_dir, data, "văn bản.docx")
    assert ".docx" not in message  # a message of its own, not "wrong type"


def test_a_zip_with_too_many_entries_is_refused(app, data_dir):
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/media/{n}.xml": b"" for n in range(app.config["ZIP_MAX_ENTRIES"])})
    refuse(data_dir, make_zip(entries, compression=zipfile.ZIP_STORED), "văn bản.docx")


TOO_MUCH = "giải nén ra quá nhiều dữ liệu"  # "expands to too much data", in Vietnamese


def bomb_docx(megabytes: int = 4) -> bytes:
    """A Word file well under every size limit whose one large part is compressed ~1000:1."""
    document = make_docx()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(document)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/media/padding.xml", bytes(megabytes * MB))
    return buffer.getvalue()


def test_attachments_and_draft_imports_share_one_zip_rule(app, data_dir):
    # Far below the size limit, but compressed past the ratio real documents reach.
    bomb = bomb_docx()
    assert len(bomb) < MB and app.config["ZIP_MAX_UNCOMPRESSED_BYTES"] > 4 * MB
    assert TOO_MUCH in refuse(data_dir, bomb, "văn bản.docx")
    with pytest.raises(DraftImportError, match=TOO_MUCH):
        parse_docx(bomb)


def test_the_zip_limits_come_from_the_configuration(app, data_dir, monkeypatch):
    plain = make_docx()
    monkeypatch.setitem(app.config, "ZIP_MAX_UNCOMPRESSED_BYTES", 10_000)
    assert TOO_MUCH in refuse(data_dir, plain, "văn bản.docx")
    with pytest.raises(DraftImportError, match=TOO_MUCH):
        parse_docx(plain)
    monkeypatch.setitem(app.config, "ZIP_MAX_UNCOMPRESSED_BYTES", 100 * MB)
    monkeypatch.setitem(app.config, "ZIP_MAX_COMPRESSION_RATIO", 5000)
    stored = store_upload(
        upload(bomb_docx(), "văn bản.docx"), allowed=COMMENT_KINDS, max_bytes=LIMIT
    )
    assert stored.kind == "docx"


def test_a_docx_behind_other_data_is_refused(data_dir):
    # Self-extracting archives and polyglots: zipfile finds the archive at the end.
    refuse(data_dir, b"PK\x03\x04" + bytes(100) + make_docx(), "văn bản.docx")


# --- size -------------------------------------------------------------------------------------


def test_an_empty_file_is_refused(data_dir):
    refuse(data_dir, b"", "trống.pdf")


def test_a_file_over_the_limit_is_refused_naming_the_limit(data_dir):
    data = make_pdf() + bytes(MB)
    message = refuse(data_dir, data, "lớn.pdf", max_bytes=MB)
    assert "1 MB" in message


def test_the_limit_in_the_message_reads_naturally(data_dir):
    message = refuse(data_dir, make_pdf() + bytes(3 * MB), "lớn.pdf", max_bytes=5 * MB // 2)
    assert "2.5 MB" in message


class EndlessZeros(io.RawIOBase):
    """A stream that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = len(buffer)
        buffer[:size] = bytes(size)
        self.read_so_far += size
        return size


def test_no_more_than_the_limit_is_read(data_dir):
    stream = EndlessZeros()
    storage = FileStorage(stream=stream, filename="vô tận.pdf")
    with pytest.raises(UploadError):
        store_upload(storage, allowed=LETTER_KINDS, max_bytes=MB)
    assert stream.read_so_far == MB + 1
    assert attachments(data_dir) == []


# --- names ------------------------------------------------------------------------------------


def test_a_vietnamese_name_stays_readable(data_dir):
    stored = store_upload(
        upload(make_pdf(), "Công văn số 12.pdf"), allowed=LETTER_KINDS, max_bytes=LIMIT
    )
    assert stored.original_name == "Công văn số 12.pdf"


def test_names_are_normalised_to_composed_letters(data_dir):
    decomposed = unicodedata.normalize("NFD", "Quyết định số 5.pdf")
    assert decomposed != "Quyết định số 5.pdf"
    stored = store_upload(upload(make_pdf(), decomposed), allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored.original_name == "Quyết định số 5.pdf"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\Windows\\System32\\công văn.pdf", "công văn.pdf"),
        ("C:\\Users\\An\\Desktop\\Tờ trình.pdf", "Tờ trình.pdf"),
        ("/var/www/static/x.pdf", "x.pdf"),
        ("../../", "tep-dinh-kem.pdf"),
        ("..", "tep-dinh-kem.pdf"),
        (".pdf", "tep-dinh-kem.pdf"),
        ("", "tep-dinh-kem.pdf"),
    ],
)
def test_path_components_are_dropped(data_dir, filename, expected):
    stored = store_upload(upload(make_pdf(), filename), allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored.original_name == expected
    # Whatever the name, the file lands in the attachments folder under its random name.
    assert attachments(data_dir) == [data_dir / "attachments" / stored.stored_name]
    assert not (data_dir / "etc").exists()


def test_control_characters_and_direction_overrides_are_removed(data_dir):
    # U+202E would show "bao-cao-fdp.exe" as "bao-cao-exe.pdf".
    filename = "bao\x00-cao\r\n\t-\u202efdp.pdf"
    stored = store_upload(upload(make_pdf(), filename), allowed=LETTER_KINDS, max_bytes=LIMIT)
    assert stored.original_name == "bao-cao -fdp.pdf"


def test_characters_windows_refuses_are_replaced(data_dir):
    stored = store_upload(
        upload(make_pdf(), 'Báo cáo "quý 1": <bản> số|2?*.pdf'),
        allowed=LETTER_KINDS,
        max_bytes=LIMIT,
    )
    assert stored.original_name == "Báo cáo _quý 1__ _bản_ số_2__.pdf"


def test_long_names_are_shortened_keeping_the_extension(data_dir):
    filename = "Ý kiến góp ý " * 40 + ".docx"
    stored = store_upload(upload(make_docx(), filename), allowed=COMMENT_KINDS, max_bytes=LIMIT)
    assert len(stored.original_name) <= 200
    assert stored.original_name.startswith("Ý kiến góp ý")
    assert stored.original_name.endswith("ý.docx")
    assert " .docx" not in stored.original_name


# --- finding and deleting stored files -------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "../" + "a" * 29,
        "a" * 31,
        "a" * 33,
        "A" * 32,
        "g" * 32,
        "a" * 31 + "/",
        "a" * 32 + "\n",
        "",
        "/etc/passwd",
        "..",
    ],
)
def test_stored_path_refuses_anything_but_a_stored_name(data_dir, name):
    with pytest.raises(ValueError):
        stored_path(name)


def test_stored_path_is_inside_the_attachments_folder(data_dir):
    name = "0123456789abcdef" * 2
    assert stored_path(name) == data_dir / "attachments" / name


def test_messages_are_translated_in_the_users_language(app, data_dir):
    with app.test_request_context():
        from flask import session

        session["locale"] = "en"
        message = refuse(data_dir, b"", "trống.pdf")
    assert message == "The file is empty."
