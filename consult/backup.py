"""Backups of the whole portal, taken while it runs: the database and the uploaded files.

A backup is one gzip-compressed tar archive:

- ``manifest.json``: what the archive is (``format`` "consult-backup", ``format_version``),
  when it was taken, the database kind, the PostgreSQL schema, the Alembic revision of the
  database, the SHA-256 of the database copy and the number of files;
- ``database.sqlite3`` (SQLite): a copy made with SQLite's online backup API, consistent even
  while reviewers write; or ``database.pgdump`` (PostgreSQL): ``pg_dump --format=custom`` of
  the portal's schema, taken in one snapshot;
- ``data/...``: the DATA_DIR tree (attachments of comments, scanned official letters,
  pending imports).

The database is copied first, the files second: an attachment is written to disk before the
row that names it is committed, so every attachment in the copy has its file in the archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from consult.exceptions import UserFacingError
from consult.extensions import db
from consult.models.text_index import trigram_schema
from consult.private_files import create_private, make_tree_private

FORMAT = "consult-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
DATA_PREFIX = "data"
# Files still being written by an upload (see uploads._write_new) are not part of a backup.
_PARTIAL_PREFIX = ".upload-"
_CHUNK = 1024 * 1024
DAMAGED = _l("The backup is damaged: its database copy does not match.")


class BackupError(UserFacingError):
    """A backup or restore could not be done; ``str()`` gives the translated reason."""


@dataclass
class Manifest:
    created_at: str
    database: str
    schema: str | None
    alembic_revision: str | None
    database_sha256: str
    files: int

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a manifest")
        if not isinstance(data.get("format_version"), int) or data["format_version"] > (
            FORMAT_VERSION
        ):
            raise ValueError("unknown version")
        if data.get("database") not in DATABASE_MEMBERS:
            raise ValueError("unknown database")
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Taking a backup


def create_backup(path: Path) -> Manifest:
    """Write a backup archive to ``path`` (replaced atomically if it exists)."""
    path = Path(path)
    kind = _database_kind()
    with tempfile.TemporaryDirectory(prefix="consult-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[kind]
        schema = None
        if kind == "sqlite":
            _sqlite_copy(_sqlite_path(), dump)
        else:
            schema = _current_schema()
            _pg_dump(schema, dump)
        data_dir = Path(current_app.config["DATA_DIR"])
        files = sorted(_data_files(data_dir))
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database=kind,
            schema=schema,
            alembic_revision=_alembic_revision(),
            database_sha256=_sha256(dump),
            files=len(files),
        )
        partial = path.with_name(f".{path.name}.part")
        try:
            # The archive holds every password hash: readable by its owner only.
            partial.unlink(missing_ok=True)
            create_private(partial)
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, MANIFEST, manifest.to_json())
                archive.add(dump, arcname=dump.name)
                for file in files:
                    relative = file.relative_to(data_dir).as_posix()
                    archive.add(file, arcname=f"{DATA_PREFIX}/{relative}", recursive=False)
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _database_kind() -> str:
    name = db.engine.dialect.name
    if name not in DATABASE_MEMBERS:  # pragma: no cover - only SQLite and PostgreSQL run
        raise BackupError(_l("Backups support SQLite and PostgreSQL only."))
    return name


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(_l("An in-memory SQLite database cannot be backed up."))
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database with the online backup API, then check the copy."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        # One step: the copy is one read transaction, a single consistent snapshot; WAL
        # lets the portal keep writing meanwhile.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        _check_sqlite(dst)
    finally:
        dst.close()
        src.close()


def _check_sqlite(conn: sqlite3.Connection) -> None:
    problems = conn.execute("PRAGMA integrity_check").fetchall()
    if problems != [("ok",)] or conn.execute("PRAGMA foreign_key_check").fetchall():
        raise BackupError(_l("The database copy failed its integrity check."))


def _current_schema() -> str:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar_one()


def _alembic_revision() -> str | None:
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None  # a database made without migrations (the test suite's)


def _data_files(data_dir: Path):
    if not data_dir.is_dir():
        return
    for root, dirs, names in os.walk(data_dir):
        dirs.sort()
        for name in names:
            file = Path(root) / name
            if not name.startswith(_PARTIAL_PREFIX) and file.is_file() and not file.is_symlink():
                yield file


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# PostgreSQL client tools


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _l(
                "The PostgreSQL client program %(name)s was not found. Install the PostgreSQL "
                "client tools (package postgresql-client) of the server's version or newer.",
                name=name,
            )
        )
    return found


def _pg_connection() -> tuple[str, dict[str, str]]:
    """A libpq URL for the portal's database, and the environment carrying its password."""
    url: URL = db.engine.url
    env = dict(os.environ)
    if url.password:
        # Through the environment, never on a command line that `ps` shows.
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None)
    return libpq.render_as_string(hide_password=False), env


def _run_pg(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _l(
                "%(name)s failed: %(error)s",
                name=Path(command[0]).name,
                error=result.stderr.strip() or result.returncode,
            )
        )


def _pg_dump(schema: str, target: Path) -> None:
    tool = _pg_tool("pg_dump")
    url, env = _pg_connection()
    _run_pg(
        [
            tool,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--schema={schema}",
            f"--file={target}",
            f"--dbname={url}",
        ],
        env,
    )


def _pg_restore(dump: Path) -> None:
    tool = _pg_tool("pg_restore")
    url, env = _pg_connection()
    # The schema itself stays: dropping and creating it again (even "public") needs its
    # owner's rights, and it already exists; only what is inside it is replaced.
    listing = subprocess.run(  # noqa: S603
        [tool, "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(DAMAGED)
    entries = [
        line
        for line in listing.stdout.splitlines()
        if not re.search(r"\b(SCHEMA -|COMMENT - SCHEMA) ", line)
    ]
    use_list = dump.with_suffix(".list")
    use_list.write_text("\n".join(entries) + "\n", encoding="utf-8")
    # The dump holds the portal's schema only; its text index names pg_trgm's operator
    # class in "public", where a database new to the portal may not have it yet.
    with db.engine.begin() as conn:
        trigram_schema(conn)
    # One transaction: the database is either fully the backup's, or left as it was.
    _run_pg(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--use-list={use_list}",
            f"--dbname={url}",
            str(dump),
        ],
        env,
    )


# ---------------------------------------------------------------------------------------------
# Restoring


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup archive; BackupError if ``path`` is not one."""
    not_a_backup = BackupError(_l("%(path)s is not a backup of the portal.", path=str(path)))
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.getmember(MANIFEST)
            handle = archive.extractfile(member)
            if handle is None:
                raise not_a_backup
            return Manifest.from_json(handle.read())
    except (tarfile.TarError, KeyError, OSError, EOFError, ValueError, TypeError) as exc:
        raise not_a_backup from exc


def restore_backup(path: Path) -> Manifest:
    """Replace the database and DATA_DIR with the backup's. Stop the portal first."""
    manifest = read_manifest(path)
    kind = _database_kind()
    if manifest.database != kind:
        raise BackupError(
            _l(
                "This backup holds a %(backup)s database but the portal uses %(current)s.",
                backup=manifest.database,
                current=kind,
            )
        )
    data_dir = Path(current_app.config["DATA_DIR"])
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="consult-restore-") as work,
        tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir.parent) as staging,
    ):
        dump = Path(work) / DATABASE_MEMBERS[kind]
        new_data = Path(staging) / "data"
        try:
            _extract(path, dump, new_data)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(DAMAGED) from exc
        if _sha256(dump) != manifest.database_sha256:
            raise BackupError(DAMAGED)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            _sqlite_restore(dump, _sqlite_path())
        else:
            current = _current_schema()
            if manifest.schema != current:
                raise BackupError(
                    _l(
                        "This backup is of schema %(backup)s but the portal uses %(current)s.",
                        backup=manifest.schema,
                        current=current,
                    )
                )
            db.engine.dispose()
            _pg_restore(dump)
        _swap_directory(new_data, data_dir, Path(staging) / "replaced")
    return manifest


def _extract(path: Path, dump: Path, new_data: Path) -> None:
    new_data.mkdir()
    found = False
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            if member.name == dump.name and member.isfile():
                archive.extract(member, dump.parent, filter="data")
                found = True
            elif member.name.startswith(DATA_PREFIX + "/") and member.isfile():
                member.name = member.name.removeprefix(DATA_PREFIX + "/")
                # The "data" filter refuses absolute paths, "..", links out of the folder.
                try:
                    archive.extract(member, new_data, filter="data")
                except tarfile.FilterError as exc:
                    raise BackupError(
                        _l("The backup holds an unexpected entry: %(n)s.", n=member.name)
                    ) from exc
            else:
                raise BackupError(_l("The backup holds an unexpected entry: %(n)s.", n=member.name))
    if not found:
        raise BackupError(DAMAGED)
    make_tree_private(new_data)  # older backups carried 0644 files


def _sqlite_restore(dump: Path, target: Path) -> None:
    src = sqlite3.connect(dump)
    try:
        _check_sqlite(src)
        dst = sqlite3.connect(target, timeout=30)
        try:
            # The backup API writes through SQLite's own locking and journal (WAL included),
            # so the database file is never seen half-replaced.
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _swap_directory(new: Path, current: Path, replaced: Path) -> None:
    if current.exists():
        os.replace(current, replaced)
    try:
        os.replace(new, current)
    except OSError:
        with contextlib.suppress(OSError):
            os.replace(replaced, current)
        raise
