"""Backups: `flask backup` while the portal writes, `flask restore` brings everything back."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
import threading

import pytest
from sqlalchemy import func, select, text

from consult import backup
from consult.extensions import db
from consult.models import Attachment, Comment, CommentKind, Department
from tests.conftest import login

PNG = b"\x89PNG\r\n\x1a\n" + b"so-do-kien-truc"


@pytest.fixture
def written(app, consultation, client, tmp_path, monkeypatch):
    """A comment with an attachment, stored through the comment form, in a DATA_DIR of this
    test's own (the suite's holds every other test's attachments)."""
    monkeypatch.setitem(app.config, "DATA_DIR", str(tmp_path / "data"))
    login(client, consultation.people.reviewer)
    response = client.post(
        f"{consultation.base}/comments",
        data={
            "section_id": str(consultation.section.id),
            "kind": "general",
            "body": "Bổ sung sơ đồ kiến trúc.",
            "files": [(io.BytesIO(PNG), "so-do.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return db.session.scalar(select(Attachment))


def _count(model) -> int:
    """Counted in a transaction of its own, so that no lock stays held for a restore."""
    db.session.remove()
    count = db.session.scalar(select(func.count()).select_from(model))
    db.session.remove()
    return count


def test_backup_and_restore_round_trip(app, runner, written, tmp_path):
    from consult.uploads import stored_path

    archive = tmp_path / "consult.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi bản sao lưu" in result.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == "consult-backup" and manifest["files"] == 1
    assert f"data/attachments/{written.stored_name}" in names

    # Everything changes after the backup: a comment is rewritten, a file lost, one added.
    db.session.execute(text("UPDATE comments SET body = 'đã sửa'"))
    db.session.add(Department(code="MOI", name="Cơ quan mới"))
    db.session.commit()
    stored_path(written.stored_name).unlink()
    stray = stored_path("f" * 32)
    stray.write_bytes(b"tep-moi")

    db.session.remove()  # a restore waits for open transactions (PostgreSQL locks)
    # Restoring asks first; "no" changes nothing.
    refused = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert refused.exit_code != 0 and "Thay toàn bộ cơ sở dữ liệu" in refused.output
    assert Department.by_code("MOI") is not None
    db.session.remove()

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    db.session.remove()
    assert db.session.scalar(select(Comment.body)) == "Bổ sung sơ đồ kiến trúc."
    assert Department.by_code("MOI") is None
    assert stored_path(written.stored_name).read_bytes() == PNG
    assert not stray.exists()


def test_restore_refuses_what_is_not_a_backup(app, runner, consultation, tmp_path):
    departments = _count(Department)
    cases = {
        "notes.txt": b"not an archive",
        "other.tar.gz": _tar({"manifest.json": b'{"format": "something-else"}'}),
        "empty.tar.gz": _tar({"readme.txt": b"hello"}),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0
        assert "không phải là tệp sao lưu" in result.output, name
    assert _count(Department) == departments


def test_restore_refuses_a_damaged_or_tampered_backup(app, runner, consultation, tmp_path):
    archive = tmp_path / "consult.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    database = next(name for name in members if name.startswith("database."))
    departments = _count(Department)

    damaged = dict(members, **{database: members[database][:-10] + b"0" * 10})
    escaping = dict(members, **{"data/../../evil": b"x"})
    for name, content in {"damaged": damaged, "escaping": escaping}.items():
        path = tmp_path / f"{name}.tar.gz"
        path.write_bytes(_tar(content))
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0, name
        assert "Tệp sao lưu" in result.output, result.output
    assert _count(Department) == departments
    assert not (tmp_path.parent / "evil").exists()


def test_backup_while_a_writer_keeps_writing_is_consistent(app, runner, consultation, tmp_path):
    """The copy is one snapshot: it passes the integrity check and restores whole."""
    from consult.services import comments as comment_service

    stop = threading.Event()
    written = []
    errors = []

    def writer():
        with app.app_context():
            draft = db.session.merge(consultation.draft)
            author = db.session.merge(consultation.people.reviewer)
            try:
                while not stop.is_set():
                    comment_service.create_comment(
                        draft, None, author, kind=CommentKind.GENERAL, body=f"viết {len(written)}"
                    )
                    db.session.commit()
                    written.append(1)
            except Exception as exc:  # reported by the test below
                errors.append(exc)
            finally:
                db.session.remove()

    db.session.remove()
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        archives = []
        for n in range(3):
            while len(written) < 20 * (n + 1) and thread.is_alive():
                stop.wait(0.01)
            archive = tmp_path / f"during-{n}.tar.gz"
            result = runner.invoke(args=["backup", str(archive)])
            assert result.exit_code == 0, result.output
            archives.append(archive)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(written) >= 60

    counts = []
    for archive in archives:
        assert runner.invoke(args=["restore", str(archive), "--yes"]).exit_code == 0
        counts.append(_count(Comment))
        if db.engine.dialect.name == "sqlite":
            conn = sqlite3.connect(db.engine.url.database)
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            conn.close()
    # Each copy holds the comments committed when it was taken: more in each later one.
    assert counts == sorted(counts) and counts[0] >= 20 and counts[-1] <= len(written)


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_missing_postgres_tools_give_a_clear_message(app, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError) as error:
        backup._pg_tool("pg_dump")
    assert "postgresql-client" in str(error.value)


@pytest.fixture
def usual_umask():
    import os

    previous = os.umask(0o022)  # what most hosts have: new files readable by everyone
    yield
    os.umask(previous)


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


def test_backups_and_what_they_restore_are_readable_by_the_owner_only(
    app, runner, written, tmp_path, usual_umask
):
    """Issue 17, finding 12: a backup holds every password hash."""
    from consult.uploads import stored_path

    archive = tmp_path / "consult.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    assert _mode(archive) == 0o600
    db.session.remove()
    assert runner.invoke(args=["restore", str(archive), "--yes"]).exit_code == 0
    db.session.remove()
    assert _mode(stored_path(written.stored_name)) == 0o600


def test_pending_imports_are_readable_by_the_owner_only(app, tmp_path, usual_umask):
    from consult.documents.importer import ParsedSection
    from consult.drafts import import_store

    app.config["DATA_DIR"] = str(tmp_path)
    import_store.save([ParsedSection(1, "I", "Mở đầu", "")], user_id=1, proposal_id=1)
    (saved,) = (tmp_path / "imports").glob("*.json")
    assert _mode(saved) == 0o600
    assert _mode(tmp_path / "imports") == 0o700


def test_a_new_sqlite_database_is_readable_by_the_owner_only(tmp_path, usual_umask):
    from consult import create_app
    from consult.config import TestConfig

    class FileConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'instance' / 'consult.db'}"

    app = create_app(FileConfig)
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    assert _mode(tmp_path / "instance" / "consult.db") == 0o600
