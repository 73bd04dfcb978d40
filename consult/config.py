"""Configuration classes: environment variables with development defaults."""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = BASE_DIR / "instance"


def load_secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written whole under a temporary name (readable by the owner only: the key signs every
    # session cookie), then linked into place: gunicorn workers starting together all end up
    # with the first key, never with a half-written file or a key of their own.
    fd, temp_name = tempfile.mkstemp(dir=instance_path, prefix=".secret_key-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key)
        try:
            os.link(temp_name, key_file)
        except FileExistsError:
            return key_file.read_text(encoding="ascii").strip()
    finally:
        os.unlink(temp_name)
    return key


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


class Config:
    SECRET_KEY: str | None = None  # filled in by create_app
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_INSTANCE / 'consult.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies travel over HTTPS only: set SESSION_COOKIE_SECURE=1 in production.
    SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", False)
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto/-Host are believed.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Sessions are rows on the server (consult.services.sessions): "keep me signed in" lasts
    # this long from sign-in; a session without it ends after this long unused.
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", 30)))
    SESSION_IDLE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_IDLE_HOURS", 12)))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a reviewer may keep a long comment open all afternoon
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 25 * 1024 * 1024))
    # Where uploaded files and pending imports are kept: outside static/, never served as-is.
    DATA_DIR = os.environ.get("DATA_DIR", str(DEFAULT_INSTANCE / "data"))
    MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))
    MAX_ATTACHMENTS = 5
    MAX_IMPORT_BYTES = int(os.environ.get("MAX_IMPORT_BYTES", 10 * 1024 * 1024))
    # Draft files from this size up are read by the worker (a progress page), smaller at once.
    IMPORT_JOB_BYTES = int(os.environ.get("IMPORT_JOB_BYTES", 1024 * 1024))
    # Word and Excel files are zips: what an attachment or an imported draft may expand to
    # (consult/zipsafety.py). Deflate tops out near 1000:1; real Office XML stays under 30:1.
    ZIP_MAX_UNCOMPRESSED_BYTES = int(
        os.environ.get("ZIP_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
    )
    ZIP_MAX_ENTRIES = 2000
    ZIP_MAX_COMPRESSION_RATIO = 100
    PER_PAGE = 50
    # Rows of the summary report's web page (its downloads hold every row).
    REPORT_PER_PAGE = 200
    # An inbox search is counted up to this many matches; past it the inbox says "more
    # than" and pages through the first ones (counting them all would read them all).
    INBOX_SEARCH_COUNT_LIMIT = 1000
    # Sign-in throttling. The per-address limit counts failed attempts only, so an office
    # behind one address signs in as many people as it likes; memory:// is per process,
    # several gunicorn workers share redis://host:6379 instead.
    RATELIMIT_ENABLED = env_flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = "consult"
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;60 per hour")
    # The JSON API (/api/v1/): calls per token (or per signed-in user, or per address).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute;5000 per hour")
    # Browser origins that may call the API from their own pages (CORS), separated by
    # spaces or commas; empty (the default): none, only the portal's own pages.
    API_CORS_ORIGINS = os.environ.get("API_CORS_ORIGINS", "")
    API_TITLE = "Consult API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.1.0"
    API_SPEC_OPTIONS = {
        # A personal access token, the portal's own session, or nobody (public reading).
        "security": [{"bearerAuth": []}, {"sessionCookie": []}, {}],
        "info": {
            "description": "Proposals under consultation, their drafts and sections, the "
            "comments of the consulted bodies and the drafting board's answers. Errors are "
            "RFC 9457 problem details. See the README's API section."
        },
    }
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"  # served from static/vendor/swagger-ui (no CDN)
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
    # Failed sign-ins for one email within the window lock it for LOCKOUT_MINUTES (in the
    # database, so every worker sees it).
    LOCKOUT_FAILURES = int(os.environ.get("LOCKOUT_FAILURES", 5))
    LOCKOUT_WINDOW_MINUTES = int(os.environ.get("LOCKOUT_WINDOW_MINUTES", 15))
    LOCKOUT_MINUTES = int(os.environ.get("LOCKOUT_MINUTES", 15))
    # Behind a reverse proxy: how many proxies set X-Forwarded-For / -Proto (0: none, trust
    # nothing). With them the client's address and https are seen as the proxy saw them.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", 0))
    PROXY_FIX_X_PROTO = int(os.environ.get("PROXY_FIX_X_PROTO", 0))
    PROXY_FIX_X_HOST = int(os.environ.get("PROXY_FIX_X_HOST", 0))
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a hash method name, not a password)
    PORTAL_NAME = "Consult"
    # Links in e-mails point here (the address users open the portal at).
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://localhost:5000")

    # E-mail, with Flask-Mail's names. Without MAIL_SERVER messages are logged, not sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_flag("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Consult <no-reply@localhost>")
    MAIL_SUPPRESS_SEND = False
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 30))
    # Daily digests go out at this hour, Vietnam time; workshops last this long in calendars.
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", 7))
    WORKSHOP_HOURS = 3

    # Background jobs (exports, imports, the e-mail outbox), run by `flask --app run worker`.
    # The queue is a SQLite file in DATA_DIR unless REDIS_URL is set (several app servers
    # share one Redis). JOBS_QUEUE=memory keeps it in the process (tests only).
    REDIS_URL = os.environ.get("REDIS_URL") or None
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE") or ("redis" if REDIS_URL else "sqlite")
    JOBS_QUEUE_FILE = os.environ.get("JOBS_QUEUE_FILE") or None  # default DATA_DIR/queue.sqlite3
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "consult")
    JOB_WORKERS = int(os.environ.get("JOB_WORKERS", 2))
    # A running job's worker renews its lease every third of this; a job whose lease ran
    # out is put back in the queue (JOB_MAX_ATTEMPTS in all) or marked failed.
    JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", 60))
    JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", 2))
    JOB_RESULT_HOURS = int(os.environ.get("JOB_RESULT_HOURS", 24))  # files kept this long
    JOB_KEEP_DAYS = int(os.environ.get("JOB_KEEP_DAYS", 30))  # then the job's row goes too
    # A bell notification for jobs that take longer than this (shorter ones are watched).
    JOB_NOTIFY_AFTER_SECONDS = int(os.environ.get("JOB_NOTIFY_AFTER_SECONDS", 5))
    # After a commit that wrote e-mails, ask the worker to send the outbox at once.
    JOBS_SEND_MAIL_AT_ONCE = env_flag("JOBS_SEND_MAIL_AT_ONCE", True)

    # Rendered comment cards (consult/cache.py): "memory" (each process its own), a Redis URL
    # (one cache for every app server), or "none"; unset, REDIS_URL's Redis if set.
    CACHE_URL = os.environ.get("CACHE_URL") or None
    CACHE_MAX_ENTRIES = int(os.environ.get("CACHE_MAX_ENTRIES", 20_000))  # memory, per process
    CACHE_TTL_SECONDS = int(os.environ.get("CACHE_TTL_SECONDS", 7 * 24 * 3600))  # Redis


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite://")
    )
    WTF_CSRF_ENABLED = False
    # Hashing strength is not under test; a cheap method keeps the suite fast.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105
    SERVER_NAME = "localhost"
    PORTAL_URL = "http://localhost"
    MAIL_SERVER = None
    JOBS_QUEUE = "memory"
    CACHE_URL = "memory"
    JOB_NOTIFY_AFTER_SECONDS = 0
    JOBS_SEND_MAIL_AT_ONCE = False  # tests run the outbox themselves (test_jobs.py turns it on)
