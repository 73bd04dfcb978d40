"""Browser journeys: the portal served for real, driven by Debian's Chromium through Playwright.

The demo database is built once (the real migrations, then ``flask seed-demo``) and copied
for every journey, so each journey starts from the same state. Every journey signs in
through the login form, saves screenshots at desktop and phone sizes into
``test-artifacts/screenshots/<journey>/`` and runs axe-core on each page it visits.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from consult import create_app
from consult.config import Config

# CI machines are small and busy: give every expectation time before calling it broken.
expect.set_options(timeout=20_000)

CHROMIUM = Path(os.environ.get("CONSULT_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_SOURCE = Path(__file__).with_name("vendor") / "axe.min.js"
DEMO_PASSWORD = "CanTho-2018"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config, items):
    reason = None
    # CI sets CONSULT_REQUIRE_BROWSER=1: there a missing browser fails instead of skipping.
    required = os.environ.get("CONSULT_REQUIRE_BROWSER") == "1"
    if os.environ.get("TEST_DATABASE_URL"):
        reason = "browser journeys run once, in the SQLite pass"
        required = False
    elif not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (scripts/test.sh installs Debian's chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (requirements-dev.txt)"
    browser_items = [i for i in items if "tests/browser/" in i.nodeid.replace(os.sep, "/")]
    if reason and browser_items and required:
        raise pytest.UsageError(
            f"CONSULT_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}"
        )
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


# Set while the portal's worker takes jobs from its queue (cleared: jobs wait).
WORKER_AT_WORK = threading.Event()


def _portal_config(directory: Path) -> type[Config]:
    class BrowserConfig(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{directory / 'consult.db'}"
        SQLALCHEMY_ENGINE_OPTIONS = {}
        SECRET_KEY = "browser-tests"  # noqa: S105  (tests only)
        DATA_DIR = str(directory / "data")
        RATELIMIT_ENABLED = False
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105
        JOBS_QUEUE = "sqlite"
        JOBS_QUEUE_FILE = None  # DATA_DIR/queue.sqlite3: a queue per portal
        JOB_NOTIFY_AFTER_SECONDS = 0

    return BrowserConfig


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """A directory holding the migrated demo database and its uploaded files."""
    directory = tmp_path_factory.mktemp("demo")
    app = create_app(_portal_config(directory))
    runner = app.test_cli_runner()
    with app.app_context():
        for args in (["db", "upgrade"], ["seed-demo"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output

        from consult.extensions import db

        db.engine.dispose()
    return directory


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@pytest.fixture
def portal(demo_database, tmp_path):
    """The portal served on a free local port, on a fresh copy of the demo database."""
    directory = tmp_path / "portal"
    shutil.copytree(demo_database, directory)
    app = create_app(_portal_config(directory))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The worker beside it, on the portal's own queue (a SQLite file in its DATA_DIR); a
    # journey may hold it back (WORKER_AT_WORK) to see a job waiting.
    from consult.jobs.queue import work_off

    stop_worker = threading.Event()
    WORKER_AT_WORK.set()

    def work():
        while not stop_worker.is_set():
            if not (WORKER_AT_WORK.wait(0.2) and work_off(app)):
                stop_worker.wait(0.2)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    yield f"http://127.0.0.1:{server.server_port}"
    stop_worker.set()
    worker.join()
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        from consult.extensions import db

        db.engine.dispose()


@pytest.fixture
def worker_at_work(portal) -> threading.Event:
    """Cleared, the portal's worker leaves the queue alone (a job is seen waiting)."""
    yield WORKER_AT_WORK
    WORKER_AT_WORK.set()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Vietnamese browser: dates and the file picker read as they do on the users' PCs.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--lang=vi-VN"])
        yield browser
        browser.close()


class Journey:
    """One user's walk through the portal: a page, screenshots, accessibility checks."""

    def __init__(self, browser, base_url: str, name: str, *, javascript: bool = True):
        self.base_url = base_url
        self.name = name
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.context = browser.new_context(
            viewport=DESKTOP,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
            java_script_enabled=javascript,
            base_url=base_url,
        )
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.javascript = javascript
        # Without JavaScript the page cannot run axe: the same URL is audited in a
        # second browser context that shares the cookies (scripts only enhance pages).
        self.audit_context = None
        if not javascript:
            self.audit_context = browser.new_context(
                viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=base_url
            )
            self.audit_context.set_default_timeout(30_000)
        self.loaded: set[str] = set()
        self.checked: set[str] = set()
        self.console_errors: list[str] = []
        self.page.on("load", lambda page: self.loaded.add(self._path(page.url)))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self._steps = 0

    def _console(self, message) -> None:
        # A form sent back with its errors answers 422: the browser logs it, rightly.
        if message.type == "error" and "status of 422" not in message.text:
            self.console_errors.append(message.text)

    def _path(self, url: str) -> str:
        return url.removeprefix(self.base_url).split("#")[0]

    def goto(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def login(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the real login form."""
        page = self.page
        self.goto("/login")
        self.check("login")
        page.get_by_label(re.compile("Email")).fill(email)
        page.get_by_label(re.compile("Mật khẩu|Password")).fill(password)
        page.get_by_role("button", name=re.compile("^(Đăng nhập|Sign in)$")).click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"sign-in as {email} failed"

    def logout(self) -> None:
        self.context.clear_cookies()

    def check(self, step: str) -> None:
        """Screenshots at both sizes and an axe-core audit of the current page."""
        self._steps += 1
        page = self.page
        stem = f"{self._steps:02d}-{step}"
        page.wait_for_load_state("load")
        if self.javascript:
            page.evaluate("document.fonts.ready")
        page.screenshot(path=self.folder / f"{stem}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        if self.javascript:  # (without scripts, audit() checks the width in its own page)
            # Let scripts that follow the viewport (the quote button) settle first.
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            assert_fits_phone(page)
        page.screenshot(path=self.folder / f"{stem}-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)
        self.audit()

    def audit(self) -> None:
        path = self._path(self.page.url)
        if path in self.checked:
            return
        if self.audit_context is None:
            violations = run_axe(self.page)
        else:
            self.audit_context.clear_cookies()
            self.audit_context.add_cookies(self.context.cookies())
            audit_page = self.audit_context.new_page()
            audit_page.goto(self.page.url)
            violations = run_axe(audit_page)
            audit_page.set_viewport_size(PHONE)
            assert_fits_phone(audit_page)
            audit_page.close()
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, f"axe on {path}:\n" + json.dumps(serious, ensure_ascii=False, indent=1)
        self.checked.add(path)

    def close(self) -> None:
        self.context.close()
        if self.audit_context is not None:
            self.audit_context.close()

    def assert_all_pages_checked(self) -> None:
        missed = self.loaded - self.checked
        assert not missed, f"pages visited without an accessibility check: {sorted(missed)}"
        assert not self.console_errors, self.console_errors


def assert_fits_phone(page) -> None:
    """Nothing sticks out sideways at phone width (text would be cut off)."""
    overflow = page.evaluate(
        """() => {
            const html = document.documentElement;
            if (html.scrollWidth <= html.clientWidth) return null;
            return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > html.clientWidth + 1)
                .slice(-3).map(e => e.outerHTML.slice(0, 160));
        }"""
    )
    assert not overflow, f"{page.url} is wider than a phone's screen: {overflow}"


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page (WCAG 2.1 A and AA rules and best practices).

    The script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern: the app's CSP stays as strict as in production.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, html: n.html.slice(0, 200),
                                                    summary: n.failureSummary}))
            }));
        }"""
    )
    return result


@pytest.fixture
def journey(browser, portal, request):
    """A desktop browser on a fresh demo portal; every visited page must pass axe."""
    journeys: list[Journey] = []

    def start(name: str | None = None, **kw) -> Journey:
        j = Journey(browser, portal, name or request.node.name.removeprefix("test_"), **kw)
        journeys.append(j)
        return j

    yield start
    for j in journeys:
        try:
            if request.node.rep_call.passed if hasattr(request.node, "rep_call") else True:
                j.assert_all_pages_checked()
        finally:
            j.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
