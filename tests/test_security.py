"""Sign-in throttling and lockout, cookie flags, the reverse proxy and the security headers."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from consult import create_app
from consult.extensions import db
from consult.models import AuditAction, AuditEvent, Role, SignInFailures, User
from consult.models.base import utcnow
from tests.conftest import PASSWORD, IsolatedClient

LOCKED = "Sign-in is locked"
LOCKED_VI = "tạm khóa"


def _dispose(app) -> None:
    """Close the connections of an app made inside a test (the fixture closes its own)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _fail(client, email, ip="10.1.1.1"):
    return client.post(
        "/login",
        data={"email": email, "password": "Wrong-password-1"},
        environ_base={"REMOTE_ADDR": ip},
    )


def _sign_in(client, email, ip="10.1.1.1", password=PASSWORD):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


@pytest.fixture
def limited_app(app):
    """Rate limit tight enough to reach, lockout out of reach: each tested on its own."""
    app.config.update(LOCKOUT_FAILURES=1000, LOGIN_RATE_LIMIT="3 per minute")
    return app


# --- rate limit per address -------------------------------------------------------------


def test_failed_sign_ins_from_one_address_are_limited(limited_app, client, make_user):
    user = make_user(Role.REVIEWER)
    for _ in range(3):
        assert _fail(client, user.email).status_code == 422
    response = _fail(client, user.email)
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.get_data(as_text=True)
    # Even the right password waits: the address is throttled, not the account.
    assert _sign_in(client, user.email).status_code == 429
    # Another address is not affected.
    assert _sign_in(client, user.email, ip="10.2.2.2").status_code == 302


def test_successful_sign_ins_from_one_address_are_never_limited(limited_app, app, make_user):
    users = [make_user(Role.REVIEWER) for _ in range(8)]
    for user in users:
        client = app.test_client()
        assert _sign_in(client, user.email).status_code == 302
    # One typo in the office does not block the next colleague.
    client = app.test_client()
    assert _fail(client, users[0].email).status_code == 422
    assert _sign_in(client, users[1].email).status_code == 302


def test_rate_limit_can_be_switched_off(test_config, make_user, monkeypatch):
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    from consult.config import env_flag

    class Off(test_config):
        RATELIMIT_ENABLED = env_flag("RATELIMIT_ENABLED", True)
        LOGIN_RATE_LIMIT = "1 per minute"
        LOCKOUT_FAILURES = 1000

    app = create_app(Off)
    with app.app_context():
        client = app.test_client()
        for _ in range(4):
            assert _fail(client, "nobody@example.vn").status_code == 422
    _dispose(app)
    # The limiter is shared by every app in this process: switch it back for the next test.
    create_app(test_config)


def test_storage_is_configurable_and_memory_by_default(monkeypatch):
    from consult.config import Config

    assert Config.RATELIMIT_STORAGE_URI == "memory://"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    import importlib

    import consult.config

    reloaded = importlib.reload(consult.config)
    try:
        assert reloaded.Config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379"
    finally:
        monkeypatch.delenv("RATELIMIT_STORAGE_URI")
        importlib.reload(consult.config)


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_rate_limit_shared_through_redis(test_config, make_user):
    """Two app instances (two gunicorn workers) count the same failures in Redis."""
    # A fresh address per run: the keys in Redis hold it, and other runs cannot collide.
    ip = "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))

    class WithRedis(test_config):
        RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
        LOGIN_RATE_LIMIT = "3 per minute"
        LOCKOUT_FAILURES = 1000

    import redis

    store = redis.Redis(host="127.0.0.1", port=6379)
    try:
        worker_a = create_app(WithRedis)
        with worker_a.app_context():
            client = worker_a.test_client()
            for _ in range(3):
                assert _fail(client, "nobody@example.vn", ip=ip).status_code == 422
        assert list(store.scan_iter(f"*{ip}*")), "nothing was counted in Redis"
        worker_b = create_app(WithRedis)
        with worker_b.app_context():
            client = worker_b.test_client()
            assert _fail(client, "nobody@example.vn", ip=ip).status_code == 429
            assert _fail(client, "nobody@example.vn", ip=ip + "0").status_code == 422
        _dispose(worker_a)
        _dispose(worker_b)
    finally:
        for key in store.scan_iter(f"*{ip}*"):
            store.delete(key)
        create_app(test_config)  # back to the memory storage for the next tests


# --- lockout per email -----------------------------------------------------------------------


def _fail_from_many_addresses(client, email, n):
    return [_fail(client, email, ip=f"10.0.0.{i}") for i in range(n)]


def test_repeated_failures_lock_the_account(app, client, make_user):
    user = make_user(Role.REVIEWER)
    responses = _fail_from_many_addresses(client, user.email, 5)
    assert all(r.status_code == 422 for r in responses)
    assert "không đúng" in responses[0].get_data(as_text=True)
    assert LOCKED_VI in responses[-1].get_data(as_text=True)
    # Locked: even the right password is refused, from any address.
    response = _sign_in(client, user.email, ip="10.3.3.3")
    assert response.status_code == 422
    assert LOCKED_VI in response.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action=AuditAction.LOCKOUT).count() == 1


def test_the_lock_ends_by_itself(app, client, make_user):
    user = make_user(Role.REVIEWER)
    _fail_from_many_addresses(client, user.email, 5)
    failures = db.session.query(SignInFailures).one()
    failures.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _sign_in(client, user.email).status_code == 302
    assert db.session.query(SignInFailures).count() == 0


def test_failures_outside_the_window_do_not_add_up(app, client, make_user):
    user = make_user(Role.REVIEWER)
    _fail_from_many_addresses(client, user.email, 4)
    failures = db.session.query(SignInFailures).one()
    failures.window_started_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    response = _fail(client, user.email)
    assert LOCKED_VI not in response.get_data(as_text=True)
    assert _sign_in(client, user.email).status_code == 302


def test_a_success_resets_the_count(app, client, make_user):
    user = make_user(Role.REVIEWER)
    _fail_from_many_addresses(client, user.email, 4)
    assert _sign_in(client, user.email).status_code == 302
    client.post("/logout")
    response = _fail(client, user.email)
    assert LOCKED_VI not in response.get_data(as_text=True)


def test_unknown_emails_lock_the_same_way(app, client, make_user):
    """The lock message shows for any email, so it reveals no account."""
    known = make_user(Role.REVIEWER)
    pages = {}
    for email in (known.email, "ghost@example.vn"):
        pages[email] = _fail_from_many_addresses(client, email, 6)[-1]
    assert pages[known.email].status_code == pages["ghost@example.vn"].status_code == 422
    assert LOCKED_VI in pages[known.email].get_data(as_text=True)
    assert LOCKED_VI in pages["ghost@example.vn"].get_data(as_text=True)


def test_lock_message_is_translated(app, client, make_user):
    user = make_user(Role.REVIEWER)
    client.post("/language/en")
    response = _fail_from_many_addresses(client, user.email, 5)[-1]
    assert LOCKED in response.get_data(as_text=True)


def test_admin_unlocks_an_account(app, client, auth, make_user):
    user = make_user(Role.REVIEWER, full_name="Khóa Tạm Thời")
    _fail_from_many_addresses(app.test_client(), user.email, 5)
    auth.login_as(Role.ADMIN)
    listing = client.get("/admin/users?q=Khóa").get_data(as_text=True)
    assert "khóa đăng nhập" in listing
    page = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert f"/admin/users/{user.id}/unlock" in page
    response = client.post(f"/admin/users/{user.id}/unlock")
    assert response.status_code == 302
    assert _sign_in(app.test_client(), user.email).status_code == 302
    event = db.session.query(AuditEvent).filter_by(action=AuditAction.ACCOUNT_UNLOCK).one()
    assert event.object_id == user.id


def test_admin_password_reset_unlocks(app, client, auth, make_user):
    user = make_user(Role.REVIEWER)
    _fail_from_many_addresses(app.test_client(), user.email, 5)
    auth.login_as(Role.ADMIN)
    client.post(f"/admin/users/{user.id}/password", data={"password": "Fresh-start-2026"})
    assert _sign_in(app.test_client(), user.email, password="Fresh-start-2026").status_code == 302


def test_cli_set_password_unlocks(app, runner, make_user):
    user = make_user(Role.REVIEWER)
    _fail_from_many_addresses(app.test_client(), user.email, 5)
    result = runner.invoke(
        args=["users", "set-password", user.email, "--password", "Fresh-start-2026"]
    )
    assert result.exit_code == 0, result.output
    assert _sign_in(app.test_client(), user.email, password="Fresh-start-2026").status_code == 302


# --- sessions ------------------------------------------------------------------------------


def test_deactivation_ends_open_sessions(app, client, auth, make_user):
    user = make_user(Role.REVIEWER)
    browser = app.test_client()
    _sign_in(browser, user.email)
    assert browser.get("/account/password").status_code == 200
    auth.login_as(Role.ADMIN)
    client.post(f"/admin/users/{user.id}/active")
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active is False
    assert browser.get("/account/password").status_code == 302


def _set_cookies(response) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}


def test_session_and_remember_cookies_are_httponly_and_lax(app, make_user):
    user = make_user(Role.REVIEWER)
    client = app.test_client()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember_me": "y"}
    )
    cookies = _set_cookies(response)
    for name in ("session", "remember_token"):
        attributes = cookies[name].lower()
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        # Plain http (development): a Secure cookie would never come back.
        assert "secure" not in attributes, name


def test_cookies_are_secure_over_https(app, make_user):
    user = make_user(Role.REVIEWER)
    client = app.test_client()
    response = client.post(
        "https://localhost/login",
        data={"email": user.email, "password": PASSWORD, "remember_me": "y"},
    )
    cookies = _set_cookies(response)
    for name in ("session", "remember_token"):
        assert "; secure" in cookies[name].lower(), name


def test_cookies_are_secure_behind_a_trusted_proxy(test_config, make_user):
    class BehindProxy(test_config):
        PROXY_FIX_X_FOR = 1
        PROXY_FIX_X_PROTO = 1

    user = make_user(Role.REVIEWER)
    app = create_app(BehindProxy)
    app.test_client_class = IsolatedClient
    response = app.test_client().post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )
    _dispose(app)
    assert response.status_code == 302
    assert "; secure" in _set_cookies(response)["session"].lower()
    event = db.session.query(AuditEvent).filter_by(action=AuditAction.LOGIN).one()
    assert event.ip == "203.0.113.7"
    create_app(test_config)


def test_forwarded_headers_are_ignored_without_a_proxy(app, client, make_user):
    """By default nobody can forge their address or scheme through X-Forwarded-*."""
    user = make_user(Role.REVIEWER)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )
    assert "secure" not in _set_cookies(response)["session"].lower()
    event = db.session.query(AuditEvent).filter_by(action=AuditAction.LOGIN).one()
    assert event.ip == "127.0.0.1"


def test_secure_cookie_can_be_forced(monkeypatch):
    import importlib

    import consult.config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    try:
        reloaded = importlib.reload(consult.config)
        assert reloaded.Config.SESSION_COOKIE_SECURE is True
        assert reloaded.Config.REMEMBER_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("SESSION_COOKIE_SECURE")
        importlib.reload(consult.config)


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/static/css/consult.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-inline" not in directives.get("default-src", "")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_in_pages(client, auth):
    """The CSP forbids inline scripts; a page that used one would break silently."""
    import re

    auth.login_as(Role.ADMIN)
    for path in ("/", "/login", "/admin/users", "/admin/audit", "/proposals"):
        page = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", page), path


# --- input no database takes --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/proposals/%00", "/proposals?q=%00", "/admin/audit?user=a%00b"])
def test_nul_characters_in_addresses_are_refused(client, auth, path):
    """PostgreSQL refuses NUL in text: without this check these were 500s there."""
    auth.login_as(Role.ADMIN)
    assert client.get(path).status_code == 400


def test_nul_characters_typed_in_forms_are_dropped(client, auth):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/departments/new", data={"code": "S\x00YT", "name": "Sở\x00 Y tế", "kind": "other"}
    )
    assert response.status_code == 302
    from consult.models import Department

    assert Department.by_code("SYT").name == "Sở Y tế"


@pytest.mark.parametrize("path", ["/comments/2147483648", "/attachments/99999999999999999999"])
def test_ids_too_large_for_the_database_are_404(client, auth, path):
    """PostgreSQL ids are 32-bit: a larger number in a URL was a 500 there."""
    auth.login_as(Role.ADMIN)
    assert client.get(path).status_code == 404


def test_ids_too_large_in_forms_are_no_ids():
    from consult.utils import parse_id

    assert parse_id("2147483647") == 2147483647
    assert parse_id("2147483648") is None


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("drafting", "/proposals/DTTM-CT/drafts/1/inbox"),
        (Role.ADMIN, "/admin/users"),
        (Role.LEAD, "/proposals/DTTM-CT/drafts/1/my-department"),
        (Role.REVIEWER, "/notifications"),
        (Role.REVIEWER, "/account/password"),
    ],
)
def test_private_pages_are_never_stored_by_the_browser(consultation, client, role, path):
    """Issue 17, finding 7: Back after sign-out on a shared computer shows nothing."""
    people = {"drafting": "drafting", Role.ADMIN: "admin", Role.LEAD: "lead",
              Role.REVIEWER: "reviewer"}  # fmt: skip
    user = getattr(consultation.people, people[role])
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 200, path
    assert "no-store" in response.headers.get("Cache-Control", "")
    assert "no-store" in client.post("/logout").headers.get("Cache-Control", "")


def test_public_pages_and_static_files_may_be_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/css/consult.css").headers.get("Cache-Control", "")


# --- the current password on /account/password (issue 17, finding 9) -----------------------


def _wrong_current(client, n):
    return [
        client.post(
            "/account/password",
            data={
                "current_password": "Wrong-password-1",
                "new_password": "Brand-new-pass-7",
                "confirm_password": "Brand-new-pass-7",
            },
        )  # fmt: skip
        for _ in range(n)
    ]


def test_wrong_current_passwords_lock_the_account_and_sign_out(app, client, make_user):
    user = make_user(Role.REVIEWER)
    assert _sign_in(client, user.email).status_code == 302
    first, *_middle, last = _wrong_current(client, 5)
    assert first.status_code == 422 and "không đúng" in first.get_data(as_text=True)
    assert last.status_code == 302 and last.headers["Location"].startswith("/login")
    assert client.get("/account/password").status_code == 302  # signed out
    assert LOCKED_VI in _sign_in(client, user.email).get_data(as_text=True)
    events = db.session.query(AuditEvent)
    assert events.filter_by(action=AuditAction.PASSWORD_CHECK_FAILED).count() == 5
    assert events.filter_by(action=AuditAction.LOCKOUT).count() == 1
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_the_new_password_field_is_no_way_to_test_guesses(app, client, make_user):
    """'Choose a different password' would tell that a guess is the current password."""
    user = make_user(Role.REVIEWER)
    assert _sign_in(client, user.email).status_code == 302
    response = client.post(
        "/account/password",
        data={"current_password": "Wrong-password-1", "new_password": PASSWORD,
              "confirm_password": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 422
    assert "khác mật khẩu hiện tại" not in response.get_data(as_text=True)


# --- the limiter counts before checking (issue 17, finding 10) ------------------------------


def test_the_limit_counts_attempts_before_checking_them(limited_app, client, make_user):
    """Parallel wrong passwords: no more are checked than the limit allows."""
    from concurrent.futures import ThreadPoolExecutor

    email = make_user(Role.REVIEWER).email
    checked = []
    real = User.check_password

    def counting(self, password):
        checked.append(password)
        return real(self, password)

    import unittest.mock

    with unittest.mock.patch.object(User, "check_password", counting):

        def attempt(_n):
            return _fail(limited_app.test_client(), email).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(attempt, range(24)))
    assert codes.count(429) == 21 and len(checked) == 3


def test_a_colleague_signs_in_through_a_throttled_address(limited_app, app, make_user):
    """One person's typos do not lock the office out: someone who has signed in from this
    address before gets in with the right password; a wrong one is still refused."""
    colleague, typist = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    office = app.test_client()
    assert _sign_in(office, colleague.email).status_code == 302
    office.post("/logout")
    for _ in range(3):
        assert _fail(office, typist.email).status_code == 422
    assert _fail(office, typist.email).status_code == 429
    assert _fail(office, colleague.email).status_code == 429
    assert _sign_in(office, colleague.email).status_code == 302
