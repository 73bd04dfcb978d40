"""Uploaded attachments: checked by their content, stored under DATA_DIR/attachments/.

Comments take PDF, Word, Excel and image files; official letters are scans (PDF or images).
The type is decided from the bytes, never from the browser's content type, and the name's
extension must agree with it. Files are stored under random names, outside static/, and are
served only by a route that checks permissions.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import re
import secrets
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from consult.exceptions import UserFacingError
from consult.private_files import private_folder, write_private
from consult.zipsafety import expands_too_far

KIND_MIMETYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
# The extensions a file of each kind may carry; the first one is used when a name has none.
KIND_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "gif": (".gif",),
    "webp": (".webp",),
}
KIND_LABELS: dict[str, str] = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
}
COMMENT_KINDS = {"pdf", "docx", "xlsx", "png", "jpeg", "gif", "webp"}
LETTER_KINDS = {"pdf", "png", "jpeg"}

MAX_NAME_LENGTH = 200
FALLBACK_STEM = "tep-dinh-kem"
SUBFOLDER = "attachments"

_STORED_NAME_RE = re.compile(r"[0-9a-f]{32}")
# Characters Windows refuses in file names; replaced so that downloads save cleanly.
_RESERVED_CHARS = re.compile(r'[<>:"|?*]')
_EXTENSION_RE = re.compile(r"(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,10}")
_CHUNK = 1024 * 1024


class UploadError(UserFacingError):
    """An upload was refused; ``str()`` gives the (translated) message for the user."""


@dataclass
class StoredFile:
    stored_name: str
    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


# ---------------------------------------------------------------------------------------------
# Storing


def store_upload(storage: FileStorage, *, allowed: set[str], max_bytes: int) -> StoredFile:
    """Check an uploaded file and store it under a random name; raises UploadError if refused.

    Nothing is written to disk unless the file is accepted.
    """
    unknown = set(allowed) - KIND_MIMETYPES.keys()
    if unknown:
        raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
    data = _read_limited(storage, max_bytes)
    if len(data) > max_bytes:
        raise UploadError(
            _l("The file is larger than the limit of %(limit)s MB.", limit=megabytes(max_bytes))
        )
    if not data:
        raise UploadError(_l("The file is empty."))

    stem, extension = _split_name(storage.filename or "")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise UploadError(
            _l(
                "This type of file is not accepted. Allowed types: %(types)s.",
                types=allowed_types_text(allowed),
            )
        )
    if extension and extension.lower() not in KIND_EXTENSIONS[kind]:
        raise UploadError(
            _l(
                "The file name ends in %(ext)s but the file is of type %(kind)s. Rename it or "
                "upload a file of one of the allowed types: %(types)s.",
                ext=extension,
                kind=KIND_LABELS[kind],
                types=allowed_types_text(allowed),
            )
        )

    stored_name = _write_new(data)
    _written_in_this_transaction(stored_name)
    return StoredFile(
        stored_name=stored_name,
        original_name=_display_name(stem, extension or KIND_EXTENSIONS[kind][0]),
        kind=kind,
        content_type=KIND_MIMETYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


# A stored file belongs to the transaction that wrote it: if that transaction is rolled back,
# or the request ends without committing (a refused form, an error), the file is removed, so
# a 422 leaves nothing on disk. `flask attachments prune` removes what a crash left behind.
_PENDING_KEY = "consult_uploads_written"


def _written_in_this_transaction(stored_name: str) -> None:
    from consult.extensions import db

    db.session().info.setdefault(_PENDING_KEY, []).append(stored_name)


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted_files(session: Session, transaction) -> None:
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    for stored_name in session.info.pop(_PENDING_KEY, ()):
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            delete_stored(stored_name)


def delete_stored(stored_name: str) -> None:
    """Remove a stored file; a file already gone is fine."""
    stored_path(stored_name).unlink(missing_ok=True)


def orphaned_files(min_age_seconds: int = 3600) -> list[Path]:
    """Files in the attachments folder that no attachment row references (left by a crash
    between writing and committing) and half-written temporary files, older than
    ``min_age_seconds`` so that an upload in progress is never taken for one."""
    import time

    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Attachment

    folder = _folder()
    if not folder.is_dir():
        return []
    referenced = set(db.session.scalars(select(Attachment.stored_name)))
    cutoff = time.time() - min_age_seconds
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name in referenced:
            continue
        half_written = path.name.startswith(".") and path.name.endswith(".tmp")
        ours = _STORED_NAME_RE.fullmatch(path.name) or half_written
        if ours and path.stat().st_mtime < cutoff:
            found.append(path)
    return found


def stored_path(stored_name: str) -> Path:
    """Where the file stored as ``stored_name`` is; ValueError for anything but a stored name."""
    if not isinstance(stored_name, str) or not _STORED_NAME_RE.fullmatch(stored_name):
        raise ValueError("Not a stored file name.")
    return _folder() / stored_name


def allowed_types_text(allowed: set[str]) -> str:
    """The extensions of ``allowed`` kinds, in a fixed order: ".pdf, .png, .jpg, .jpeg"."""
    return ", ".join(
        ext for kind in KIND_MIMETYPES if kind in allowed for ext in KIND_EXTENSIONS[kind]
    )


def _folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / SUBFOLDER


def _read_limited(storage: FileStorage, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes, so that a larger file is detected without reading it."""
    stream = storage.stream
    # A validator may already have read the stream.
    with contextlib.suppress(AttributeError, OSError):
        stream.seek(0)
    chunks = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _write_new(data: bytes) -> str:
    folder = private_folder(_folder())
    stored_name = secrets.token_hex(16)
    while (folder / stored_name).exists():  # pragma: no cover - 128 random bits
        stored_name = secrets.token_hex(16)
    write_private(folder / stored_name, data)
    return stored_name


def megabytes(size: int) -> str:
    """A size in MB as limits are shown to users: "10", "2.5"."""
    # Rounded up to a tenth, so a small limit never reads "0".
    text = f"{math.ceil(size * 10 / (1024 * 1024)) / 10:.1f}"
    return text.removesuffix(".0")


# ---------------------------------------------------------------------------------------------
# File names


def _split_name(filename: str) -> tuple[str, str]:
    """The cleaned stem and extension (".pdf", ".JPG" or "") of an uploaded file's name."""
    name = unicodedata.normalize("NFC", filename)
    # Browsers on Windows may send the full client path.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split())
    # Control and format characters, including the right-to-left override used to disguise
    # extensions ("bản-gpj.exe" shown as "bản-exe.jpg").
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = _RESERVED_CHARS.sub("_", name)
    # Windows drops trailing dots and spaces; leading dots would hide the file elsewhere.
    name = " ".join(name.split()).rstrip(" .")
    stem, dot, extension = name.rpartition(".")
    # "Báo cáo v1.2" has no extension; "báo cáo.pdf" and "scan.JPEG" have one.
    if not dot or not _EXTENSION_RE.fullmatch(extension):
        return name.lstrip(" ."), ""
    return stem.strip(" ."), "." + extension


def clean_filename(filename: str, kind: str) -> str:
    """An uploaded file's name as the portal shows it (see ``_split_name``)."""
    stem, extension = _split_name(filename or "")
    return _display_name(stem, extension or KIND_EXTENSIONS[kind][0])


def _display_name(stem: str, extension: str) -> str:
    stem = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") or FALLBACK_STEM
    return stem + extension


# ---------------------------------------------------------------------------------------------
# Recognising a file by its content


def sniff(data: bytes) -> str | None:
    """The kind of file ``data`` is (a key of KIND_MIMETYPES), or None if not recognised.

    Raises UploadError for a zip that would expand to too much data.
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_office(data)
    return None


def _sniff_office(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return None
    with archive:
        if expands_too_far(archive):
            raise UploadError(_l("The file expands to too much data to be processed safely."))
        members = archive.infolist()
        # An entry must sit at the very start: no executable or other file in front.
        if not members or min(member.header_offset for member in members) != 0:
            return None
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names:
            return None
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None  # macros: a .docm or .xlsm in disguise
        is_docx = "word/document.xml" in names
        is_xlsx = "xl/workbook.xml" in names
        if is_docx == is_xlsx:
            return None
        # Inflate every entry to check it: zipfile stops at the declared sizes, bounded above,
        # and the CRC check fails for an entry that lies about its size or is damaged.
        try:
            if archive.testzip() is not None:
                return None
        except (
            zipfile.BadZipFile,
            RuntimeError,
            NotImplementedError,
            ValueError,
            EOFError,
            OSError,
            zlib.error,
        ):
            return None
    return "docx" if is_docx else "xlsx"
