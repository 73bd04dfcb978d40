"""The migrations build the whole schema on an empty database, and it matches the models."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from consult import create_app
from consult.config import TestConfig, normalise_database_url
from consult.database import include_migration_object
from consult.extensions import db


@pytest.fixture
def empty_database(tmp_path):
    """An empty SQLite file, or a fresh schema on the PostgreSQL test server."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}", {}
        return
    url = normalise_database_url(url)
    schema = f"mig_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _app_on(database):
    url, options = database

    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = options

    return create_app(MigrationConfig)


def test_upgrade_builds_the_schema_of_the_models_and_downgrade_removes_it(empty_database):
    app = _app_on(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    "include_object": include_migration_object,
                },
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        assert {"users", "departments"} <= set(inspect(db.engine).get_table_names())
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


OLD_HEAD = "5e1a7c3d9b20"  # the release before drafting boards per proposal


def _old_release_rows(conn) -> None:
    """Rows of every kind as the previous release wrote them: a drafting body, each
    old role, a proposal with an open draft, an invited body's response, comments that
    are duplicates (by status) and merged (by merged_into_id)."""
    now = "2026-11-30 08:00:00"
    later = "2026-12-30 08:00:00"
    t = True

    def run(sql, **params):
        conn.execute(text(sql), params)

    for id_, code, drafting in ((1, "BST", t), (2, "STTTT", False)):
        run(
            "INSERT INTO departments (id, code, name, kind, is_drafting_body, is_active, "
            "created_at, updated_at) VALUES (:id, :code, :code, 'department', :d, :t, :n, :n)",
            id=id_, code=code, d=drafting, t=t, n=now,
        )  # fmt: skip
    users = [
        (1, "admin", None), (2, "drafting", 1), (3, "drafting", None), (4, "organizer", 1),
        (5, "reviewer", 2), (6, "lead", 2),
    ]  # fmt: skip
    for id_, role, department in users:
        run(
            "INSERT INTO users (id, email, full_name, password_hash, role, department_id, "
            "is_active, session_token, email_digest, created_at, updated_at) VALUES "
            "(:id, :email, 'X', 'x', :role, :dep, :t, :tok, :f, :n, :n)",
            id=id_, email=f"u{id_}@example.vn", role=role, dep=department, t=t,
            tok=f"token{id_}", f=False, n=now,
        )  # fmt: skip
    run(
        "INSERT INTO proposals (id, code, title, summary, place, visibility, created_by_id, "
        "created_at, updated_at) VALUES (1, 'DTTM-CT', 'Đề án', '', '', 'internal', 3, :n, :n)",
        n=now,
    )
    run(
        "INSERT INTO drafts (id, proposal_id, number, status, change_note, opens_at, closes_at, "
        "published_at, departments_see_each_other, silence_counts_as_agreement, created_at, "
        "updated_at) VALUES (1, 1, 1, 'open', '', :n, :l, :n, :f, :f, :n, :n)",
        n=now, l=later, f=False,
    )  # fmt: skip
    run("INSERT INTO draft_invitations (id, draft_id, department_id, created_at) "
        "VALUES (1, 1, 2, :n)", n=now)  # fmt: skip
    run(
        "INSERT INTO department_responses (id, draft_id, department_id, sequence, kind, "
        "submitted_by_id, submitted_at, note) VALUES (1, 1, 2, 1, 'comments', 6, :n, '')",
        n=now,
    )
    comments = [
        # id, status, response, duplicate_of, merged_into, deleted
        (1, "accepted", 1, None, None, None),
        (2, "duplicate", 1, 1, None, None),
        (3, "new", None, None, None, None),
        (4, "new", None, None, 3, now),
    ]
    for id_, status, response, dup, merged, deleted in comments:
        run(
            "INSERT INTO comments (id, draft_id, department_id, author_id, submitted_at, "
            "response_id, kind, body, body_html, status, answer, duplicate_of_id, "
            "merged_into_id, deleted_at, source, search_text, version, created_at, updated_at) "
            "VALUES (:id, 1, 2, 5, :sub, :resp, 'general', 'x', 'x', :st, :ans, :dup, :mer, "
            ":del, 'online', 'x', 1, :n, :n)",
            id=id_, sub=now if response else None, resp=response, st=status,
            ans="Tiếp thu." if status == "accepted" else None, dup=dup, mer=merged,
            **{"del": deleted}, n=now,
        )  # fmt: skip


def test_upgrade_from_the_previous_release_keeps_every_right(empty_database):
    from consult.models import Comment, Draft, Proposal, Seat, User

    app = _app_on(empty_database)
    with app.app_context():
        upgrade(revision=OLD_HEAD)
        with db.engine.begin() as conn:
            _old_release_rows(conn)
        upgrade()
        proposal = db.session.get(Proposal, 1)
        draft = db.session.get(Draft, 1)
        user = {u.id: u for u in db.session.query(User)}
        # The drafting body leads; the creator chairs; the other member sits on the board.
        assert proposal.lead_agency.code == "BST"
        assert proposal.seat_of(user[3]) is Seat.CHAIR
        assert proposal.seat_of(user[2]) is Seat.MEMBER
        assert proposal.seat_of(user[4]) is Seat.ORGANIZER
        for former_drafting in (user[2], user[3]):
            assert draft.can_manage(former_drafting) and draft.can_edit(former_drafting) is False
            assert former_drafting.can_create_proposals()
            assert former_drafting.department.code == "BST"
        assert draft.can_run_workshops(user[4]) and not draft.can_manage(user[4])
        assert draft.can_manage(user[1]) and user[1].is_admin
        # Reviewers and leads still comment and respond for their body.
        assert draft.can_comment(user[5]) and draft.can_respond(user[6])
        assert not draft.can_comment(user[2])  # the lead agency is not consulted
        # Duplicates are stored once; the merged comment points at its target.
        comments = {c.id: c for c in db.session.query(Comment)}
        assert comments[2].duplicate_of_id == 1 and comments[2].is_answered
        assert comments[4].duplicate_of_id == 3 and comments[4].is_deleted
        assert comments[1].can_triage(user[2]) and comments[1].can_view(user[4])
        db.session.remove()
        downgrade(revision=OLD_HEAD)
        with db.engine.connect() as conn:
            roles = dict(conn.execute(text("SELECT id, role FROM users")).all())
        assert roles == {1: "admin", 2: "drafting", 3: "drafting", 4: "organizer",
                         5: "reviewer", 6: "lead"}  # fmt: skip
        db.engine.dispose()


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="a SQLite file: run in the SQLite pass"
)
def test_the_previous_releases_demo_upgrades_with_every_right_kept(tmp_path):
    """tests/fixtures/previous-release-demo.sqlite.gz: `flask seed-demo` of the release
    before boards, at its migration head. After the upgrade, everyone can do what they
    could: the drafting team manages every proposal, the organizer runs its workshops,
    each department's people comment and its lead responds where the body was invited."""
    import gzip
    from pathlib import Path

    from consult.models import Proposal, User

    path = tmp_path / "demo.db"
    with gzip.open(Path(__file__).parent / "fixtures" / "previous-release-demo.sqlite.gz") as f:
        path.write_bytes(f.read())
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        before = dict(conn.execute(text("SELECT email, role FROM users")).all())
    engine.dispose()
    app = _app_on((f"sqlite:///{path}", {}))
    with app.app_context():
        upgrade()
        (proposal,) = db.session.query(Proposal).all()
        draft = proposal.drafts[-1]
        assert draft.status.value == "open"
        # The fixture's deadline was two days after it was made: rights, not dates, are tested.
        from datetime import timedelta

        from consult.models.base import utcnow

        draft.closes_at = utcnow() + timedelta(days=7)
        invited = {i.department_id for i in draft.invitations}
        for user in db.session.query(User):
            old = before[user.email]
            if old in ("drafting", "admin"):
                assert draft.can_manage(user) and proposal.can_edit(user), user
            if old == "drafting":
                assert user.can_create_proposals() and proposal.is_on_board(user)
            if old == "organizer":
                assert draft.can_run_workshops(user) and draft.can_report(user), user
            if old in ("reviewer", "lead"):
                assert user.role.value == old
                assert draft.can_comment(user) == (user.department_id in invited), user
                assert draft.can_respond(user) == (old == "lead" and user.department_id in invited)
        assert proposal.chair is not None and proposal.chair.email == "bst@demo.example.vn"
        db.session.remove()
        db.engine.dispose()
