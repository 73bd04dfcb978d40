"""Benchmark the portal under gunicorn on generated data, beside floors measured in the same run.

Usage:
  python bench/run.py --quick                 # 10,000 comments in a throw-away SQLite, ~1 min
  python bench/run.py                         # 100,000 comments (generated unless present)
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/consult_bench python bench/run.py
  python bench/run.py --only report           # just the report (e.g. on 1,000,000 comments)

The database comes from DATABASE_URL (default: bench/data/bench-<N>.db); it is filled by
bench/generate.py when it holds no benchmark data yet. Measured, through HTTP on loopback,
signed in through the real login form as a member of the drafting team:

1. the section page with 300 comments: requests per second with 2 and 16 concurrent
   clients, p50/p95 latency, while one comment of the section is answered (in the
   database, by the benchmark) every 20 page views, so that cached cards do change;
   beside it the template floor: the same page rendered by the same template, in the same
   server, from plain Python objects (bench/floor.py);
2. the triage inbox filtered by status with a search typed without diacritics, the search
   alone (``inbox_search_only_*``), no filter, its last page, and the triage page of a
   comment with its similar comments (``triage_page_*``): p50/p95; then the report page
   (counts, charts and its first 200 rows, ``report_page_*``), five requests;
3. the summary report of the whole draft as XLSX and DOCX: seconds, and the peak resident
   memory (VmHWM) of the gunicorn worker that made it: a fresh single-worker server per
   report, so the peak belongs to that report (plus the worker's own start-up, reported as
   ``*_base_mb``); beside it the library floor: the same rows, already in memory, written
   straight by XlsxWriter in constant-memory mode, in a child process;
4. importing a generated 300-section .docx draft (upload, preview, confirm): seconds;
5. the summary report as XLSX exported as a background job: seconds from pressing
   "export" to the status endpoint saying the file is ready, through gunicorn and a
   ``flask worker`` (one forked process, SQLite queue), and the peak resident memory
   (VmHWM) of the worker process that made it (``job_xlsx_*``; ``--job-formats xlsx docx
   pdf`` does the same for the other formats, ``job_docx_*``, ``job_pdf_*``).

Prints one JSON object; a full run also writes its figures into bench/RESULTS.md (the
table between the ``figures`` markers, one column per database), --quick writes nothing.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

PYTHON = sys.executable
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
RESULTS_JSON = ROOT / "bench" / "results.json"
CORES = os.cpu_count() or 1


# ---------------------------------------------------------------------------------------------
# A small HTTP client: one connection per thread, cookies kept, forms with their CSRF token.


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(
                # A report of a million rows is sent only once it is written.
                "127.0.0.1",
                self.port,
                timeout=3600,
            )
        return conn

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._conn()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                self._local.conn = None
                if attempt == 2:
                    raise
        if response.will_close:
            conn.close()
            self._local.conn = None
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data, response

    def get(self, path: str) -> tuple[int, bytes]:
        status, data, _ = self.request("GET", path)
        return status, data

    def csrf_token(self, path: str) -> str:
        status, page = self.get(path)
        assert status == 200, (path, status)
        match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str], files=None) -> tuple[int, bytes, str]:
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content, mimetype) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {mimetype}\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(fields).encode()
            ctype = "application/x-www-form-urlencoded"
        status, data, response = self.request("POST", path, body, {"Content-Type": ctype})
        return status, data, response.getheader("Location") or ""

    def login(self, email: str) -> None:
        token = self.csrf_token("/login")
        status, _data, location = self.post_form(
            "/login", {"csrf_token": token, "email": email, "password": generate.PASSWORD}
        )
        assert status == 302, f"sign-in failed ({status})"


# ---------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group started for ``proc``; SIGKILL after 30 s."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Server:
    """gunicorn serving bench.floor:app (the portal plus the floor page) on loopback."""

    def __init__(self, url: str, workers: int, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "3600",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
                "bench.floor:app",
            ],  # fmt: skip
            env={**os.environ, **env, "DATABASE_URL": url},
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                status, _ = Client(self.port).get("/login")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; see {log}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def stop(self) -> None:
        stop_group(self.proc)
        self.log.close()


def vm_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


# ---------------------------------------------------------------------------------------------
# Measurements


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(round(p / 100 * (len(ordered) - 1))), len(ordered) - 1)]


def load(
    client: Client, path: str, clients: int, seconds: float, after=None
) -> tuple[int, list[float]]:
    """``clients`` threads requesting ``path`` for ``seconds``: completed requests, latencies.
    ``after()`` runs after each request (the answers written while the page is read)."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    errors: list[str] = []

    def worker() -> None:
        mine = []
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            status, _ = client.get(path)
            if status != 200:
                errors.append(f"{path}: {status}")
                return
            mine.append((time.perf_counter() - t) * 1000)
            if after is not None:
                after()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return len(latencies), latencies


def throughput(
    client: Client,
    pages: dict[str, str],
    clients: int,
    rounds: int,
    seconds: float,
    after: dict | None = None,
):
    """Alternate the pages in short slices, so that noise from the machine hits them alike.
    ``after``: page name -> a function run after each request of that page."""
    after = after or {}
    done = dict.fromkeys(pages, 0)
    spent = dict.fromkeys(pages, 0.0)
    lat: dict[str, list[float]] = {name: [] for name in pages}
    for path in pages.values():
        load(client, path, clients, min(seconds, 1.0))  # warm every worker up
    for _ in range(rounds):
        for name, path in pages.items():
            t = time.perf_counter()
            n, samples = load(client, path, clients, seconds, after.get(name))
            spent[name] += time.perf_counter() - t
            done[name] += n
            lat[name] += samples
    return {
        name: {
            "rps": round(done[name] / spent[name], 1),
            "p50_ms": round(percentile(lat[name], 50), 1),
            "p95_ms": round(percentile(lat[name], 95), 1),
        }
        for name in pages
    }


class Answerer:
    """Answers one comment of the section (round robin) every ``every`` page views, as the
    drafting team would while reviewers read: the card of that comment changes."""

    def __init__(self, url: str, section_id: int, every: int = 20) -> None:
        import sqlalchemy as sa

        self.sa, self.every = sa, every
        self.engine = sa.create_engine(url)
        with self.engine.connect() as conn:
            self.ids = (
                conn.execute(
                    sa.text("SELECT id FROM comments WHERE section_id = :s ORDER BY id"),
                    {"s": section_id},
                )
                .scalars()
                .all()
            )
        self.views = 0
        self.answers = 0
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            self.views += 1
            if self.views % self.every:
                return
            comment_id = self.ids[self.answers % len(self.ids)]
            self.answers += 1
        text = f"Tiếp thu, chỉnh sửa lần {self.answers}."
        with self.engine.begin() as conn:
            conn.execute(
                self.sa.text(
                    "UPDATE comments SET status = 'accepted', answer = :a, answer_html = :h, "
                    "answered_at = :now, version = version + 1, updated_at = :now "
                    "WHERE id = :id"
                ),
                {"a": text, "h": f"<p>{text}</p>", "now": _utc_now(), "id": comment_id},
            )

    def close(self) -> None:
        self.engine.dispose()


def _utc_now():
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)


def sequential(client: Client, path: str, n: int, warm: int = 1) -> dict[str, float]:
    """p50 and p95 of ``n`` requests one after another, after ``warm`` requests unmeasured
    (enough for every gunicorn worker to have compiled the page's templates and queries and
    read its pages into its own database cache, as in a server that has been running)."""
    for _ in range(warm):
        client.get(path)
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        status, _ = client.get(path)
        assert status == 200, (path, status)
        samples.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
    }


def report_in_fresh_worker(url: str, env: dict, log: Path, path: str, email: str) -> dict:
    """Download a report from a single fresh worker; its VmHWM is the report's peak."""
    server = Server(url, 1, env, log)
    try:
        client = Client(server.port)
        client.login(email)
        (worker,) = server.workers()
        base = vm_kb(worker, "VmHWM")
        t = time.perf_counter()
        status, data = client.get(path)
        seconds = time.perf_counter() - t
        assert status == 200, (path, status, data[:300])
        peak = vm_kb(worker, "VmHWM")
    finally:
        server.stop()
    return {
        "s": round(seconds, 2),
        "peak_mb": round(peak / 1024, 1),
        "base_mb": round(base / 1024, 1),
        "bytes": len(data),
    }


class Worker:
    """``flask worker`` with one forked worker process, on the same database and DATA_DIR."""

    def __init__(self, url: str, env: dict[str, str], log: Path) -> None:
        self.log = log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "flask", "--app", "run", "worker", "--workers", "1", "--no-periodic"],
            cwd=ROOT,
            env={**os.environ, **env, "DATABASE_URL": url},
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while not self.children():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start; see {log}")
            time.sleep(0.2)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        stop_group(self.proc)
        self.log.close()


def report_as_job(url: str, env: dict, log: Path, path: str, email: str) -> dict:
    """Press "export" on the report page; time until the job's file is ready to download."""
    server = Server(url, 1, env, log)
    worker = Worker(url, env, log)
    try:
        client = Client(server.port)
        client.login(email)
        token = client.csrf_token(path.split("?")[0].rsplit(".", 1)[0])  # the report page
        # Huey forks the worker and its scheduler: the job's peak is the larger one.
        processes = worker.children()
        base = max(vm_kb(pid, "VmHWM") for pid in processes)
        t = time.perf_counter()
        status, _data, location = client.post_form(path, {"csrf_token": token})
        assert status == 303 and "/jobs/" in location, (status, location)
        job = location.split("/jobs/")[1]
        while True:
            status, data = client.get(f"/jobs/{job}/status")
            state = json.loads(data)
            if state["finished"]:
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - t
        assert state["state"] == "done", state
        peak = max(vm_kb(pid, "VmHWM") for pid in processes)
        status, data = client.get(state["download_url"])
        assert status == 200
    finally:
        worker.stop()
        server.stop()
    return {
        "s": round(seconds, 2),
        "peak_mb": round(peak / 1024, 1),
        "base_mb": round(base / 1024, 1),
        "bytes": len(data),
    }


def xlsx_floor(url: str) -> dict:
    """The library floor, in this (child) process: rows in memory, then XlsxWriter alone."""
    import resource

    import xlsxwriter

    from consult import create_app
    from consult.documents.common import _SHEET_COLUMNS, _sheet_values
    from consult.documents.summary import VIETNAMESE_LABELS
    from consult.models import Proposal
    from consult.services.reports import ReportFilters, report_rows

    os.environ["DATABASE_URL"] = url
    app = create_app()
    with app.app_context(), app.test_request_context():
        draft = Proposal.by_code(generate.PROPOSAL_CODE).drafts[2]
        rows = [_sheet_values(r, VIETNAMESE_LABELS) for r in report_rows(draft, ReportFilters())]
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        workbook = xlsxwriter.Workbook(
            f"{tmp}/floor.xlsx",
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
             "strings_to_urls": False},
        )  # fmt: skip
        sheet = workbook.add_worksheet()
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        number = workbook.add_format({"valign": "top", "align": "center"})
        stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
        kinds = [kind for _key, _width, kind in _SHEET_COLUMNS]
        for r, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                kind = kinds[col]
                if kind == "int":
                    sheet.write_number(r, col, value, number)
                elif kind == "datetime":
                    sheet.write_datetime(r, col, value.replace(tzinfo=None), stamp)
                else:
                    sheet.write_string(r, col, value, wrap)
        workbook.close()
        seconds = time.perf_counter() - t
        size = Path(f"{tmp}/floor.xlsx").stat().st_size
    return {
        "s": round(seconds, 2),
        "rows": len(rows),
        "bytes": size,
        "rows_in_memory_mb": round(loaded / 1024, 1),
    }


def import_docx(client: Client, code: str) -> float:
    docx = generate.draft_docx(300)
    t = time.perf_counter()
    token = client.csrf_token(f"/proposals/{code}/import")
    status, page, _ = client.post_form(
        f"/proposals/{code}/import",
        {"csrf_token": token, "change_note": "Dự thảo lần 4 (benchmark)"},
        files={"file": ("du-thao-4.docx", docx, "application/octet-stream")},
    )
    assert status == 200, (status, page[:500])
    fields = {
        unescape(n.decode()): unescape(v.decode())
        for n, v in re.findall(rb'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    status, page, location = client.post_form(
        f"/proposals/{code}/import/confirm",
        # The sections the file no longer has are removed, as the board confirms on the page.
        {**{k: fields[k] for k in ("csrf_token", "token", "change_note") if k in fields},
         "remove_ok": "y"},
    )  # fmt: skip
    assert status == 302 and "/drafts/" in location, (status, location, page[:300])
    return time.perf_counter() - t


# ---------------------------------------------------------------------------------------------
# The run


def bench_info(url: str) -> dict | None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT d.id FROM drafts d JOIN proposals p ON p.id = d.proposal_id "
                    "WHERE p.code = :code AND d.number = 3"
                ),
                {"code": generate.PROPOSAL_CODE},
            ).first()
            if row is None:
                return None
            draft_id = row[0]
            section_id = conn.execute(
                sa.text("SELECT id FROM sections WHERE draft_id = :d AND position = :p"),
                {"d": draft_id, "p": generate.BENCH_SECTION_POSITION},
            ).scalar_one()
            count = conn.execute(
                sa.text("SELECT count(*) FROM comments WHERE draft_id = :d"), {"d": draft_id}
            ).scalar_one()
            first_comment = conn.execute(
                sa.text("SELECT min(id) FROM comments WHERE section_id = :s"), {"s": section_id}
            ).scalar_one()
            on_section = conn.execute(
                sa.text("SELECT count(*) FROM comments WHERE section_id = :s"), {"s": section_id}
            ).scalar_one()
            later = conn.execute(
                sa.text(
                    "SELECT max(d.number) FROM drafts d JOIN proposals p ON p.id = d.proposal_id "
                    "WHERE p.code = :code"
                ),
                {"code": generate.PROPOSAL_CODE},
            ).scalar_one()
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        return None
    finally:
        engine.dispose()
    return {
        "draft_id": draft_id,
        "section_id": section_id,
        "comments": count,
        "section_comments": on_section,
        "first_comment": first_comment,
        "last_draft": later,
    }


def drop_imported_drafts(url: str, above: int) -> None:
    """Leave the data set as generated: remove the drafts the import benchmark made."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        ids = conn.execute(
            sa.text(
                "SELECT d.id FROM drafts d JOIN proposals p ON p.id = d.proposal_id "
                "WHERE p.code = :code AND d.number > :n"
            ),
            {"code": generate.PROPOSAL_CODE, "n": above},
        ).scalars()
        for draft_id in list(ids):
            conn.execute(sa.text("DELETE FROM sections WHERE draft_id = :d"), {"d": draft_id})
            conn.execute(sa.text("DELETE FROM drafts WHERE id = :d"), {"d": draft_id})
    engine.dispose()


def run(args) -> dict:
    from consult.config import normalise_database_url

    comments = 10_000 if args.quick else args.comments
    url = os.environ.get("DATABASE_URL")
    if args.quick and not url:
        tmp = tempfile.mkdtemp(prefix="consult-bench-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        url = f"sqlite:///{tmp}/quick.db"
    elif not url:
        (ROOT / "bench" / "data").mkdir(exist_ok=True)
        url = f"sqlite:///{ROOT / 'bench' / 'data' / f'bench-{comments}.db'}"
    url = normalise_database_url(url)
    os.environ.setdefault("SECRET_KEY", "bench")
    figures: dict = {}
    info = bench_info(url)
    if info is None or args.regenerate:
        print(f"Generating {comments} comments into {url.split('@')[-1]} ...", file=sys.stderr)
        generate.reset_database(url)
        made = generate.generate(url, comments=comments)
        figures["generate_s"] = made["total_s"]
        info = bench_info(url)
    else:  # a data set generated earlier: bring its schema (indexes) up to date
        subprocess.run(  # noqa: S603
            [PYTHON, "-m", "flask", "--app", "run", "db", "upgrade"],
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    assert info is not None
    figures.update(
        database=url.split(":")[0].split("+")[0],
        comments=info["comments"],
        section_comments=info["section_comments"],
        cores=CORES,
    )
    code = generate.PROPOSAL_CODE
    section_url = f"/proposals/{code}/drafts/3/sections/{info['section_id']}"
    email = f"bst1@{generate.DOMAIN}"
    log = Path(tempfile.gettempdir()) / f"consult-bench-gunicorn-{os.getpid()}.log"
    data_dir = tempfile.mkdtemp(prefix="consult-bench-data-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    env = {
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "RATELIMIT_ENABLED": "false",
        "DATA_DIR": data_dir,
        "BENCH_SECTION_URL": section_url,
        "BENCH_USER_EMAIL": email,
    }
    only = set(args.only or ["section", "inbox", "report", "import", "job"])
    seconds, rounds, samples = (1.5, 2, 10) if args.quick else (args.seconds, 3, 60)
    workers = 2 * CORES + 1
    figures["workers"] = workers

    if only & {"section", "inbox", "import"}:
        server = Server(url, workers, env, log)
        try:
            client = Client(server.port)
            client.login(email)
            if "section" in only:
                answerer = Answerer(url, info["section_id"])
                for clients in (2, 16):
                    result = throughput(
                        client,
                        {"page": section_url, "floor": "/_bench/floor"},
                        clients,
                        rounds,
                        seconds,
                        after={"page": answerer},
                    )
                    for name, prefix in (("page", "section_page"), ("floor", "section_page_floor")):
                        for key, value in result[name].items():
                            figures[f"{prefix}_c{clients}_{key}"] = value
                figures["section_page_rps"] = figures["section_page_c16_rps"]
                figures["section_page_floor_rps"] = figures["section_page_floor_c16_rps"]
                figures["section_page_ratio"] = round(
                    figures["section_page_rps"] / figures["section_page_floor_rps"], 2
                )
                figures["section_page_answers"] = answerer.answers
                answerer.close()
                figures["section_page_p50_ms"] = figures["section_page_c2_p50_ms"]
                figures["section_page_p95_ms"] = figures["section_page_c2_p95_ms"]
            if "inbox" in only:
                inbox = f"/proposals/{code}/drafts/3/inbox"
                query = urlencode({"status": "accepted", "q": "co so du lieu dung chung"})
                for name, path in (
                    ("inbox", f"{inbox}?{query}"),
                    ("inbox_plain", inbox),
                    ("inbox_search_only", f"{inbox}?q=an+toan+thong+tin"),
                    ("inbox_last_page", f"{inbox}?page={max(info['comments'] // 50 - 1, 1)}"),
                    # The triage page of a comment, with its similar comments.
                    ("triage_page", f"/comments/{info['first_comment']}/triage"),
                ):
                    for key, value in sequential(client, path, samples, 2 * workers).items():
                        figures[f"{name}_{key}"] = value
                # The report page (its first 200 rows, the counts and charts): seconds each.
                report_page = f"/proposals/{code}/drafts/3/report"
                for key, value in sequential(client, report_page, 5, workers).items():
                    figures[f"report_page_{key}"] = value
            if "import" in only:
                figures["import_docx_s"] = round(import_docx(client, code), 2)
        finally:
            server.stop()
            if "import" in only:
                drop_imported_drafts(url, info["last_draft"])

    if "report" in only:
        # Without the floor page, so the worker at rest is just the portal.
        report_env = {k: v for k, v in env.items() if not k.startswith("BENCH_")}
        for fmt in ("xlsx", "docx"):
            if fmt in args.skip:
                continue
            path = f"/proposals/{code}/drafts/3/report.{fmt}"
            if fmt == "docx" and args.quick:
                # python-docx builds the document in memory at ~5 ms a row: the quick run
                # checks the path on one section's rows only.
                path += f"?section={info['section_id']}"
                figures["report_docx_rows"] = info["section_comments"]
            result = report_in_fresh_worker(url, report_env, log, path, email)
            for key, value in result.items():
                figures[f"report_{fmt}_{key}"] = value
        if "xlsx" not in args.skip and "floor" not in args.skip:
            floor = subprocess.run(  # noqa: S603
                [PYTHON, __file__, "--xlsx-floor"],
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(floor.stdout.strip().splitlines()[-1])
            figures["report_xlsx_floor_s"] = result["s"]
            figures["report_xlsx_floor_rows"] = result["rows"]
            figures["report_xlsx_ratio"] = round(
                figures["report_xlsx_s"] / figures["report_xlsx_floor_s"], 2
            )
    if "job" in only:
        job_env = {k: v for k, v in env.items() if not k.startswith("BENCH_")}
        # Every report format as a job (the XLSX always; --job-formats adds DOCX, PDF, CSV).
        for fmt in args.job_formats:
            path = f"/proposals/{code}/drafts/3/report.{fmt}"
            if args.quick:  # one section's rows: the quick run checks the path, cheaply
                path += f"?section={info['section_id']}"
            for key, value in report_as_job(url, job_env, log, path, email).items():
                figures[f"job_{fmt}_{key}"] = value
    return figures


# ---------------------------------------------------------------------------------------------
# RESULTS.md: one column per database

TABLE = [
    # (label, key, target, unit)
    (
        "Section page, 16 clients, an answer every 20 views",
        "section_page_rps",
        "≥ 2 × floor",
        "req/s",
    ),
    ("— template floor, 16 clients", "section_page_floor_rps", "", "req/s"),
    ("— ratio to the floor", "section_page_ratio", "≥ 2", ""),
    ("Section page, 2 clients", "section_page_c2_rps", "", "req/s"),
    ("— template floor, 2 clients", "section_page_floor_c2_rps", "", "req/s"),
    ("Section page p50 / p95, 2 clients", ("section_page_p50_ms", "section_page_p95_ms"), "", "ms"),
    (
        "Section page p50 / p95, 16 clients",
        ("section_page_c16_p50_ms", "section_page_c16_p95_ms"),
        "",
        "ms",
    ),
    (
        "Inbox, status filter + search, p50 / p95",
        ("inbox_p50_ms", "inbox_p95_ms"),
        "p95 < 150",
        "ms",
    ),
    (
        "Inbox, search alone, p50 / p95",
        ("inbox_search_only_p50_ms", "inbox_search_only_p95_ms"),
        "p95 < 150",
        "ms",
    ),
    ("Inbox, no filter, p50 / p95", ("inbox_plain_p50_ms", "inbox_plain_p95_ms"), "", "ms"),
    ("Inbox, last page, p50 / p95", ("inbox_last_page_p50_ms", "inbox_last_page_p95_ms"), "", "ms"),
    ("Report XLSX", "report_xlsx_s", "≤ ½ floor", "s"),
    ("— library floor (XlsxWriter alone, constant memory)", "report_xlsx_floor_s", "", "s"),
    ("— ratio to the floor", "report_xlsx_ratio", "≤ 0.5", ""),
    ("— peak memory of the worker", "report_xlsx_peak_mb", "< 250", "MB"),
    ("Report DOCX", "report_docx_s", "", "s"),
    ("— peak memory of the worker", "report_docx_peak_mb", "", "MB"),
    ("Worker at rest (before a report)", "report_xlsx_base_mb", "", "MB"),
    (
        "Triage page of a comment, p50 / p95",
        ("triage_page_p50_ms", "triage_page_p95_ms"),
        "p95 < 150",
        "ms",
    ),
    (
        "Report page (counts, charts, first 200 rows), p50 / p95",
        ("report_page_p50_ms", "report_page_p95_ms"),
        "",
        "ms",
    ),
    ("Import of a 300-section .docx", "import_docx_s", "", "s"),
    ("Report XLSX as a job, export to file ready", "job_xlsx_s", "", "s"),
    ("— peak memory of the job's worker process", "job_xlsx_peak_mb", "", "MB"),
    ("— the worker process at rest", "job_xlsx_base_mb", "", "MB"),
    ("Report DOCX as a job", "job_docx_s", "", "s"),
    ("— peak memory of the job's worker process", "job_docx_peak_mb", "< 250", "MB"),
    ("Report PDF as a job", "job_pdf_s", "", "s"),
    ("— peak memory of the job's worker process", "job_pdf_peak_mb", "< 250", "MB"),
]


def markdown_table(runs: dict[str, dict]) -> str:
    labels = list(runs)
    lines = [
        "| Figure | Target | " + " | ".join(labels) + " |",
        "|---|---|" + "---|" * len(labels),
    ]
    for label, key, target, unit in TABLE:
        cells = []
        for name in labels:
            keys = key if isinstance(key, tuple) else (key,)
            values = [runs[name].get(k) for k in keys]
            cells.append(
                " / ".join("–" if v is None else f"{v:g}" for v in values)
                + (f" {unit}" if unit and any(v is not None for v in values) else "")
            )
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    heads = [
        f"{name}: {runs[name].get('comments', '?'):,} comments, "
        f"{runs[name].get('cores', '?')} cores, {runs[name].get('workers', '?')} workers, "
        f"{runs[name].get('date', '')}"
        for name in labels
    ]
    return "\n".join(lines) + "\n\n" + "; ".join(heads) + ".\n"


def write_results(label: str, figures: dict) -> None:
    runs = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    runs[label] = {**runs.get(label, {}), **figures, "date": time.strftime("%Y-%m-%d")}
    RESULTS_JSON.write_text(json.dumps(runs, indent=1, ensure_ascii=False) + "\n")
    table = markdown_table(runs)
    replace_between(RESULTS_MD, "figures", table)
    replace_between(ROOT / "README.md", "performance", table)


def replace_between(path: Path, marker: str, text: str) -> None:
    """Put ``text`` between the ``<!-- marker:start -->`` and ``:end`` lines of ``path``."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    content = path.read_text()
    if start not in content:
        return
    before, _, rest = content.partition(start)
    _, _, after = rest.partition(end)
    path.write_text(f"{before}{start}\n{text}{end}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 comments, short runs")
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one load slice")
    parser.add_argument(
        "--only", nargs="*", choices=["section", "inbox", "report", "import", "job"]
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["xlsx", "docx", "floor"])
    parser.add_argument(
        "--job-formats", nargs="*", default=["xlsx"], choices=["xlsx", "docx", "pdf", "csv"]
    )
    parser.add_argument("--regenerate", action="store_true", help="generate the data afresh")
    parser.add_argument("--label", help="column of bench/RESULTS.md (default: the database)")
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    parser.add_argument("--xlsx-floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.xlsx_floor:
        print(json.dumps(xlsx_floor(os.environ["DATABASE_URL"])))
        return
    figures = run(args)
    print(json.dumps(figures, ensure_ascii=False))
    if not (args.quick or args.no_write):
        label = args.label or {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
            figures["database"], figures["database"]
        )
        write_results(label, figures)


if __name__ == "__main__":
    main()
