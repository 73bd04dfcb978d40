"""Word 97-2003 (.doc) to .docx through LibreOffice, when the server has it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess  # nosec B404: a fixed program, no shell, arguments built here
import tempfile
from pathlib import Path

from flask_babel import lazy_gettext as _l

from consult.exceptions import UserFacingError

CONVERT_TIMEOUT_SECONDS = 60


class ConversionError(UserFacingError):
    """The .doc could not be turned into .docx; ``message`` says what to do instead."""


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_to_docx(data: bytes, timeout: float = CONVERT_TIMEOUT_SECONDS) -> bytes:
    """Convert with ``soffice --headless --convert-to docx`` in a process group of its own.

    Each call has its own LibreOffice profile (two conversions at once would otherwise fight
    over one, and a profile left broken by a killed run would break the next), and the whole
    group is killed at the timeout: LibreOffice starts helper processes of its own.
    """
    program = soffice()
    if program is None:
        raise ConversionError(_save_as_docx())
    with tempfile.TemporaryDirectory(prefix="consult-doc-") as folder:
        work = Path(folder)
        source = work / "draft.doc"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603  # nosec B603
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "HOME": str(work)},
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise ConversionError(
                _l(
                    "Converting the .doc file took too long. Open it in Word, save it as a "
                    "Word document (.docx) and upload that file."
                )
            ) from None
        finally:
            _kill_group(process)
        result = work / "out" / "draft.docx"
        if process.returncode != 0 or not result.is_file():
            raise ConversionError(
                _l(
                    "The .doc file could not be read. Open it in Word, save it as a Word "
                    "document (.docx) and upload that file."
                )
            )
        return result.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _save_as_docx():
    return _l(
        "This kind of file (%(ext)s) is not supported. Open it in Word, save it as a Word "
        "document (.docx) and upload that file.",
        ext=".doc",
    )
