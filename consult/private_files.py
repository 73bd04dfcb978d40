"""Files holding the portal's data (database, backups, uploads, pending imports) are readable
by the account the portal runs as and nobody else on the host, whatever its umask."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


def create_private(path: Path) -> None:
    """Create ``path`` empty, owner-only, if it does not exist (a file opened later keeps it)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def write_private(path: Path, data: bytes, *, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` whole: under a temporary name (``.<name>-….tmp``), synced,
    then renamed into place, so a reader at the same moment sees the old file or the new
    one, never half of one. Owner-only unless ``mode`` says otherwise."""
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != FILE_MODE:
            os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def make_tree_private(root: Path) -> None:
    """Owner-only modes for every folder and file under ``root`` (after a restore)."""
    root = Path(root)
    for folder, _folders, files in os.walk(root):
        os.chmod(folder, FOLDER_MODE)
        for name in files:
            os.chmod(Path(folder) / name, FILE_MODE)


def remove_older_than(folder: Path, pattern: str, cutoff: float) -> None:
    """Remove the files of ``folder`` matching ``pattern`` last changed before ``cutoff``
    (a timestamp): uploads a job never got to (its worker died, or it was cancelled)."""
    for path in Path(folder).glob(pattern):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
