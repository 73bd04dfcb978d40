"""A real portal for the reliability tests: a migrated database, gunicorn workers, HTTP clients.

On SQLite the database is a file in the test's folder; on PostgreSQL (TEST_DATABASE_URL) a
schema of its own, named in the connection URL, so parallel runs never meet.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from consult import create_app
from consult.config import BASE_DIR, Config, normalise_database_url
from consult.extensions import db
from consult.models import Department, DepartmentKind, Role, User, Visibility
from consult.models.base import utcnow

PASSWORD = "Correct-horse-42"
PNG = b"\x89PNG\r\n\x1a\n"
_CSRF_RE = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class LiveDatabase:
    url: str  # as an operator writes DATABASE_URL
    folder: Path
    schema: str | None = None

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.schema else Path(self.url.removeprefix("sqlite:///"))

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TEST_"))}
        env.update(
            DATABASE_URL=self.url,
            DATA_DIR=str(self.data_dir),
            # One key for every worker: otherwise a session signed by one is refused by another.
            SECRET_KEY="live-portal-secret",
            RATELIMIT_ENABLED="false",
            PYTHONUNBUFFERED="1",
        )
        return env

    def engine(self):
        return create_engine(normalise_database_url(self.url))


def make_database(folder: Path) -> LiveDatabase:
    """An empty database built by the real migrations (`flask db upgrade`)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        schema = f"live_{secrets.token_hex(4)}"
        engine = create_engine(normalise_database_url(base))
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        joiner = "&" if "?" in base else "?"
        live = LiveDatabase(f"{base}{joiner}options=-csearch_path%3D{schema}", folder, schema)
    else:
        live = LiveDatabase(f"sqlite:///{folder / 'portal.db'}", folder)
    flask = Path(sys.executable).parent / "flask"
    subprocess.run(
        [str(flask), "--app", "run", "db", "upgrade"],
        cwd=BASE_DIR,
        env=live.env(),
        check=True,
        capture_output=True,
    )
    return live


def drop_database(live: LiveDatabase) -> None:
    if live.schema:
        engine = create_engine(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{live.schema}" CASCADE'))
        engine.dispose()


@dataclass
class Consultation:
    base: str  # /proposals/<code>/drafts/1
    section_ids: list[int]
    emails: list[str]


def populate(live: LiveDatabase, reviewers: int, departments: int = 5) -> Consultation:
    """A draft open for comments, and ``reviewers`` reviewers spread over the departments."""
    from consult.documents.importer import ParsedSection
    from consult.services import comments as comment_service
    from consult.services import drafts as draft_service

    class LiveConfig(Config):
        SQLALCHEMY_DATABASE_URI = normalise_database_url(live.url)
        SECRET_KEY = "live-portal-secret"  # noqa: S105  (tests only)
        DATA_DIR = str(live.data_dir)
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  (sign-in speed is not tested)

    app = create_app(LiveConfig)
    with app.app_context():
        board = Department(code="BST", name="Ban Soạn thảo", kind=DepartmentKind.OTHER)
        bodies = [
            Department(code=f"S{n}", name=f"Sở thử tải {n}", kind=DepartmentKind.DEPARTMENT)
            for n in range(departments)
        ]
        author = User(
            email="bst@live.vn", full_name="Ban Soạn thảo", role=Role.REVIEWER,
            may_create_proposals=True,
        )  # fmt: skip
        author.department = board
        author.set_password(PASSWORD)
        people = []
        for n in range(reviewers):
            user = User(email=f"r{n}@live.vn", full_name=f"Chuyên viên {n}", role=Role.REVIEWER)
            user.department = bodies[n % departments]
            user.set_password(PASSWORD)
            people.append(user)
        db.session.add_all([board, *bodies, author, *people])
        db.session.flush()
        proposal = draft_service.create_proposal(
            code="TAI",
            title="Đề án thử tải",
            summary="",
            visibility=Visibility.INTERNAL,
            user=author,
            lead_agency=board,
        )
        sections = [
            ParsedSection(1, "I", "Căn cứ", "Thành phố Cần Thơ là đô thị trung tâm."),
            ParsedSection(1, "II", "Hiện trạng", "Hạ tầng viễn thông đã phủ sóng."),
            ParsedSection(1, "III", "Lộ trình", "Ba giai đoạn đến năm 2025."),
        ]
        draft = draft_service.import_draft(proposal, sections, "Bản đầu tiên")
        now = utcnow()
        comment_service.publish_draft(draft, now - timedelta(days=1), now + timedelta(days=7))
        db.session.commit()
        result = Consultation(
            base=f"/proposals/{proposal.code}/drafts/{draft.number}",
            section_ids=[s.id for s in draft.sections],
            emails=[u.email for u in people],
        )
        db.session.remove()
        db.engine.dispose()
    return result


class Portal:
    """gunicorn serving run:app on a free loopback port, in a process group of its own."""

    def __init__(self, live: LiveDatabase, workers: int = 4, threads: int = 4) -> None:
        self.live = live
        self.workers = workers
        self.threads = threads
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log = live.folder / "gunicorn.log"

    def start(self, timeout: float = 60) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", "gthread", "--threads", str(self.threads),
            "--timeout", "120", "--graceful-timeout", "5",
            "run:app",
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.live.env(), stdout=log, stderr=log,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", "/login")
                if conn.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut or the OOM killer."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGINT: gunicorn's quick shutdown; the tests have checked what they need by then.
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


class Browser:
    """One reviewer's browser: a cookie jar and the forms' CSRF tokens, a connection a request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=b"", content_type=None):
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response.status, response.headers, data

    def csrf_token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        match = _CSRF_RE.search(page)
        if status != 200 or match is None:
            raise AssertionError(f"GET {path}: {status}")
        return match.group(1).decode()

    def sign_in(self, email: str) -> None:
        token = self.csrf_token("/login")
        form = urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
        status, _, _ = self.request(
            "POST", "/login", form.encode(), "application/x-www-form-urlencoded"
        )
        if status != 302:
            raise AssertionError(f"sign-in of {email}: {status}")

    def post_comment(self, path, token, section_id, body, attachment: bytes | None):
        """Posts through the comment form; True when the portal acknowledged it (302)."""
        fields = {"csrf_token": token, "section_id": section_id, "kind": "general", "body": body}
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        if attachment is not None:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="so-do.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
                + attachment
                + b"\r\n"
            )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, headers, _ = self.request(
            "POST", path, data, f"multipart/form-data; boundary={boundary}"
        )
        if status == 302 and "#comment-" in (headers.get("Location") or ""):
            return True
        raise AssertionError(f"comment refused: {status}")


def attachment_for(marker: str) -> bytes:
    return PNG + marker.encode()


@dataclass
class LoadResult:
    acknowledged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    with_attachment: set[str] = field(default_factory=set)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_load(
    port: int,
    consultation: Consultation,
    comments_each: int,
    result: LoadResult,
    *,
    prefix: str,
    attachment_every: int = 5,
) -> None:
    """Every reviewer signs in, then all post ``comments_each`` comments at the same time.

    A comment is acknowledged when the portal answered with the redirect to it. A reviewer
    whose request fails records the failure and stops, as a person would on an error page.
    """
    barrier = threading.Barrier(len(consultation.emails))
    path = f"{consultation.base}/comments"

    def reviewer(n: int, email: str) -> None:
        browser = Browser(port)
        try:
            browser.sign_in(email)
            section_id = consultation.section_ids[n % len(consultation.section_ids)]
            token = browser.csrf_token(f"{consultation.base}/sections/{section_id}")
        except (AssertionError, OSError, http.client.HTTPException) as exc:
            with result.lock:
                result.failures.append(f"{email}: {exc!r}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            return
        for i in range(comments_each):
            marker = f"{prefix}-{n}-{i}"
            attachment = attachment_for(marker) if i % attachment_every == 0 else None
            # Every third comment is a general one, on the whole draft.
            target = "" if i % 3 == 0 else str(section_id)
            try:
                browser.post_comment(path, token, target, f"{marker} Đề nghị bổ sung.", attachment)
            except (AssertionError, OSError, http.client.HTTPException) as exc:
                with result.lock:
                    result.failures.append(f"{marker}: {exc!r}")
                return
            with result.lock:
                result.acknowledged.append(marker)
                if attachment is not None:
                    result.with_attachment.add(marker)

    started = time.monotonic()
    threads = [
        threading.Thread(target=reviewer, args=(n, email), daemon=True)
        for n, email in enumerate(consultation.emails)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    result.seconds = time.monotonic() - started


@dataclass
class Stored:
    comments: Counter  # marker -> how many comments carry it
    attachments: dict  # marker -> list of (stored_name, sha256, size)


def stored_comments(live: LiveDatabase, prefix: str) -> Stored:
    engine = live.engine()
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, body, body_html FROM comments WHERE body LIKE :p"),
            {"p": f"{prefix}-%"},
        ).all()
        files = conn.execute(
            text(
                "SELECT c.body, a.stored_name, a.sha256, a.size FROM attachments a "
                "JOIN comments c ON c.id = a.comment_id WHERE c.body LIKE :p"
            ),
            {"p": f"{prefix}-%"},
        ).all()
    engine.dispose()
    assert all(html for _, _, html in rows), "a comment was stored without its rendered text"
    attachments: dict[str, list] = {}
    for body, stored_name, sha256, size in files:
        attachments.setdefault(body.split()[0], []).append((stored_name, sha256, size))
    return Stored(Counter(body.split()[0] for _, body, _ in rows), attachments)


def check_attachment_files(live: LiveDatabase, stored: Stored) -> None:
    """Every attachment row has its file on disk, whole."""
    for marker, files in stored.attachments.items():
        for stored_name, sha256, size in files:
            data = (live.data_dir / "attachments" / stored_name).read_bytes()
            assert len(data) == size and hashlib.sha256(data).hexdigest() == sha256, marker
            assert data == attachment_for(marker)
