"""Configuration: secret key, database URLs, SQLite settings, time zones."""

from datetime import UTC, datetime

from sqlalchemy import text

from consult.config import load_secret_key, normalise_database_url
from consult.extensions import db
from consult.models import Role
from consult.timeutil import format_datetime as vn_datetime


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(tmp_path)
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load_secret_key(tmp_path) == first


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_times_are_stored_in_utc_and_shown_in_vietnam_time(app, make_user):
    user = make_user(Role.REVIEWER)
    user.last_login_at = datetime(2018, 4, 11, 2, 30, tzinfo=UTC)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.execute(
        text("SELECT last_login_at FROM users WHERE id = :id"), {"id": user.id}
    ).scalar()
    assert str(stored).startswith("2018-04-11 02:30")
    assert user.last_login_at == datetime(2018, 4, 11, 2, 30, tzinfo=UTC)
    with app.test_request_context():
        assert "09:30" in vn_datetime(user.last_login_at)


def test_forwarded_headers_are_believed_only_behind_a_configured_proxy(test_config):
    from flask import request

    from consult import create_app

    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    for proxies, expected in [(0, ("127.0.0.1", "http")), (1, ("203.0.113.7", "https"))]:

        class ProxyConfig(test_config):
            TRUSTED_PROXIES = proxies

        app = create_app(ProxyConfig)

        @app.route("/whoami")
        def whoami():
            return f"{request.remote_addr} {request.scheme}"

        seen = app.test_client().get("/whoami", headers=forwarded).get_data(as_text=True)
        assert seen == " ".join(expected), proxies
        with app.app_context():
            from consult.extensions import db

            db.engine.dispose()


def _load_after(barrier, path, results):
    barrier.wait()
    try:
        results.put(load_secret_key(path))
    except Exception as exc:
        results.put(repr(exc))


def test_workers_starting_together_share_one_generated_secret_key(tmp_path, monkeypatch):
    """gunicorn workers without SECRET_KEY: all get the one key, none fails or reads half."""
    import multiprocessing

    monkeypatch.delenv("SECRET_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    for attempt in range(10):
        folder = tmp_path / str(attempt)
        barrier, results = context.Barrier(6), context.Queue()
        workers = [
            context.Process(target=_load_after, args=(barrier, folder, results)) for _ in range(6)
        ]
        for worker in workers:
            worker.start()
        keys = [results.get(timeout=30) for _ in workers]
        for worker in workers:
            worker.join()
        assert len(set(keys)) == 1 and len(keys[0]) == 64, keys
        assert [p.name for p in folder.iterdir()] == ["secret_key"]
