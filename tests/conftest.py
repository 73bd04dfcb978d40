"""Test fixtures: a fresh app and clean tables for every test, on SQLite or PostgreSQL.

The suite runs on SQLite by default. With TEST_DATABASE_URL pointing at PostgreSQL it
runs in a schema of its own, created for the session and dropped at the end.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, exists, literal, select, text, union_all

from consult import create_app
from consult.config import TestConfig, normalise_database_url
from consult.extensions import db
from consult.models import Department, DepartmentKind, Role, Seat, User
from tests.openapi_check import check_response

PASSWORD = "Correct-horse-42"

# Property-based tests: few examples, derandomized (the same ones every run, so CI is stable),
# no example database left in the work tree. HYPOTHESIS_PROFILE=thorough explores much more.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "consult",
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "thorough", max_examples=200, deadline=None, database=None, suppress_health_check=_SLOW_IS_FINE
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "consult"))
_counter = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    # What touches no database gives the same answer on every database: run it once.
    if os.environ.get("TEST_DATABASE_URL"):
        skip = pytest.mark.skip(reason="touches no database: runs in the SQLite pass")
        for item in items:
            if item.get_closest_marker("nodb"):
                item.add_marker(skip)


def _database_url(tmp_path_factory) -> tuple[str, dict, str | None]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        path = tmp_path_factory.mktemp("db") / "test.db"
        return f"sqlite:///{path}", {}, None
    url = normalise_database_url(url)
    schema = f"test_{secrets.token_hex(4)}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    options = {"connect_args": {"options": f"-csearch_path={schema}"}, "pool_pre_ping": True}
    return url, options, schema


@pytest.fixture(scope="session")
def test_config(tmp_path_factory):
    url, engine_options, schema = _database_url(tmp_path_factory)

    class SuiteConfig(TestConfig):
        DATA_DIR = str(tmp_path_factory.mktemp("data"))
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = engine_options

    app = create_app(SuiteConfig)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield SuiteConfig
    if schema:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _empty_tables() -> None:
    """Every table emptied, ids starting again at 1, in a few milliseconds.

    Only the tables that hold rows are touched: one query finds them, then they are deleted
    from, children first. (A TRUNCATE of every table costs PostgreSQL about 80 ms, twice a
    test, minutes a run.)
    """
    tables = list(reversed(db.metadata.sorted_tables))
    probe = union_all(*(select(literal(t.name)).where(exists().select_from(t)) for t in tables))
    filled = set(db.session.scalars(probe))
    postgres = db.engine.dialect.name == "postgresql"
    for table in tables:
        if table.name in filled:
            db.session.execute(table.delete())
            if postgres and "id" in table.c and table.c.id.autoincrement is not False:
                db.session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), 1, false)"),
                    {"t": f'"{table.name}"'},
                )
    db.session.commit()


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole run: each test's new app need not recompile them."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _SharedBytecodeCache()


@pytest.fixture
def app(test_config):
    app = create_app(test_config)
    app.jinja_env.bytecode_cache = _TEMPLATE_CACHE
    app.test_client_class = IsolatedClient
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _close_connections_of_other_apps():
    """An app made inside a test (a second app server, other settings) has engines of its
    own: their connections are closed when the test ends, not left to the garbage collector
    (on PostgreSQL that is a ResourceWarning, raised in whichever test runs then)."""
    yield
    for engines in list(db._app_engines.values()):
        for engine in engines.values():
            engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request in an app context of its own, as in production.

    Without it the test's app context would be reused, sharing ``g`` (and the signed-in
    user cached there) and the database session between requests.
    """

    def open(self, *args, **kwargs):
        # Buffered: file downloads are read and closed at once, as a browser would.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # Every API response of every test matches the OpenAPI document.
        request = response.request
        check_response(self.application, request.method, request.path, response)
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_department(app) -> Callable[..., Department]:
    def make(**kw) -> Department:
        n = next(_counter)
        kw.setdefault("code", f"D{n}")
        kw.setdefault("name", f"Sở thử nghiệm {n}")
        kw.setdefault("kind", DepartmentKind.DEPARTMENT)
        department = Department(**kw)
        db.session.add(department)
        db.session.commit()
        return department

    return make


@pytest.fixture
def lead_agency(make_department) -> Department:
    """The body that leads the drafting of the test proposals (SKHDT in the demo)."""
    return make_department(code="SKHDT", name="Sở Kế hoạch và Đầu tư")


@pytest.fixture
def make_user(app, make_department) -> Callable[..., User]:
    """An account: a reviewer (or ``role``) of a body of its own unless one is given."""

    def make(role: Role = Role.REVIEWER, **kw) -> User:
        n = next(_counter)
        kw.setdefault("email", f"user{n}@example.vn")
        kw.setdefault("full_name", f"Người dùng {n}")
        if "department" not in kw:
            kw["department"] = make_department() if role.speaks_for_body else None
        password = kw.pop("password", PASSWORD)
        user = User(role=role, **kw)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_seated(make_user) -> Callable[..., User]:
    """A new account seated on ``proposal`` (board member by default)."""
    from consult.models import ProposalMember

    def make(proposal, seat: Seat = Seat.MEMBER, **kw) -> User:
        user = make_user(Role.REVIEWER, **kw)
        proposal.members.append(ProposalMember(user=user, seat=seat))
        db.session.commit()
        return user

    return make


def login(client, user, password: str = PASSWORD):
    """Sign out whoever is signed in on ``client``, then sign ``user`` in through the login
    form; the one sign-in helper of the suite (``auth.login_as`` uses it too)."""
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


class AuthActions:
    def __init__(self, client, make_user):
        self._client = client
        self._make_user = make_user

    def login_as(self, role: Role | None, **kw) -> User | None:
        """Sign in a new user holding ``role``; None stays anonymous."""
        if role is None:
            return None
        user = self._make_user(role, **kw)
        login(self._client, user)
        return user

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, make_user) -> AuthActions:
    return AuthActions(client, make_user)


SAMPLE_SECTIONS = [
    (1, "Chương I", "Sự cần thiết và căn cứ pháp lý", "Thành phố Cần Thơ là đô thị trung tâm."),
    (2, "1.1", "Sự cần thiết", "Cần xây dựng **đô thị thông minh** để nâng cao chất lượng sống."),
    (2, "1.2", "Căn cứ pháp lý", "- Nghị quyết 36a/NQ-CP\n- Quyết định của UBND thành phố"),
    (1, "Chương II", "Hiện trạng", "Hạ tầng viễn thông đã phủ sóng toàn thành phố."),
    (2, "2.1", "Hạ tầng công nghệ thông tin", "Trung tâm dữ liệu còn phân tán."),
]


@pytest.fixture
def make_proposal(app, make_user, make_department):
    """A proposal whose draft 1 holds SAMPLE_SECTIONS, open for comments unless told."""
    from datetime import timedelta

    from consult.documents.importer import ParsedSection
    from consult.models import Proposal, Visibility
    from consult.models.base import utcnow
    from consult.services import comments as comment_service
    from consult.services import drafts as draft_service

    def make(
        *,
        code: str | None = None,
        sections=SAMPLE_SECTIONS,
        visibility: Visibility = Visibility.INTERNAL,
        publish: bool = True,
        chair: User | None = None,
        lead_agency: Department | None = None,
    ) -> Proposal:
        """``chair`` (default: a new account allowed to create proposals) creates it."""
        author = chair or make_user(Role.REVIEWER, may_create_proposals=True)
        proposal = draft_service.create_proposal(
            code=code or f"DA-{next(_counter)}",
            title="Đề án xây dựng đô thị thông minh",
            summary="",
            visibility=visibility,
            user=author,
            lead_agency=lead_agency or author.department or make_department(),
        )
        draft = draft_service.import_draft(
            proposal, [ParsedSection(*s) for s in sections], "Bản đầu tiên"
        )
        if publish:
            now = utcnow()
            comment_service.publish_draft(
                draft, now - timedelta(days=1), now + timedelta(days=7), now=now
            )
        db.session.commit()
        return proposal

    return make


@pytest.fixture
def consultation(app, make_user, make_department, make_proposal, make_seated, lead_agency):
    """Draft 1 of a proposal open for comments, with two invited departments and their people.

    ``people.drafting`` chairs the proposal's board, ``people.organizer`` organizes its
    workshops (both from the lead agency); ``people.outsider`` chairs another proposal.
    """
    from types import SimpleNamespace

    from consult.services import comments as comment_service

    stttt = make_department(code="STTTT", name="Sở Thông tin và Truyền thông")
    sxd = make_department(code="SXD", name="Sở Xây dựng")
    chair = make_user(Role.REVIEWER, department=lead_agency, may_create_proposals=True)
    people = SimpleNamespace(
        reviewer=make_user(Role.REVIEWER, department=stttt, full_name="Võ Thanh Tâm"),
        reviewer2=make_user(Role.REVIEWER, department=stttt, full_name="Huỳnh Ngọc Lan"),
        lead=make_user(Role.LEAD, department=stttt, full_name="Đặng Quốc Thông"),
        other_reviewer=make_user(Role.REVIEWER, department=sxd, full_name="Ngô Bảo Xây"),
        other_lead=make_user(Role.LEAD, department=sxd, full_name="Châu Văn Dựng"),
        drafting=chair,
        admin=make_user(Role.ADMIN),
    )
    proposal = make_proposal(code="DTTM-CT", chair=chair)
    people.member = make_seated(proposal, Seat.MEMBER, department=lead_agency)
    people.organizer = make_seated(proposal, Seat.ORGANIZER, department=lead_agency)
    other = make_proposal(code="KH-NN", publish=False)
    people.outsider = other.chair
    draft = proposal.drafts[0]
    comment_service.invite_departments(draft, [stttt, sxd])
    db.session.commit()
    return SimpleNamespace(
        proposal=proposal, draft=draft, stttt=stttt, sxd=sxd, people=people, other=other,
        section=draft.sections[1], base=f"/proposals/{proposal.code}/drafts/1",
    )  # fmt: skip


@pytest.fixture
def redis_url():
    """The test Redis (TEST_REDIS_URL, database 15 by default): skipped if it is not running,
    except in CI or with CONSULT_REQUIRE_REDIS=1, where its absence fails the test."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true" or os.environ.get("CONSULT_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required here but not reachable at {url}: {exc}")
        pytest.skip(f"Redis not reachable at {url}")
    return url
