"""Nothing is lost: many reviewers at once on gunicorn workers, and a crash in the middle.

These tests start the real portal (gunicorn, several workers, the migrated database) and
talk to it over HTTP through the sign-in and comment forms, as browsers do.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from live_portal import (
    Browser,
    LoadResult,
    Portal,
    check_attachment_files,
    drop_database,
    make_database,
    populate,
    run_load,
    stored_comments,
)
from sqlalchemy import text

pytestmark = pytest.mark.slow

REVIEWERS = 50
COMMENTS_EACH = 20


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    database = make_database(tmp_path_factory.mktemp("live"))
    yield database
    drop_database(database)


@pytest.fixture(scope="module")
def portal(live):
    """One portal for the module: the crash test kills it and starts it again."""
    consultation = populate(live, REVIEWERS)
    server = Portal(live)
    server.start()
    yield server, consultation
    server.stop()


def test_fifty_reviewers_posting_at_once_lose_nothing(live, portal):
    server, consultation = portal
    result = LoadResult()
    run_load(server.port, consultation, COMMENTS_EACH, result, prefix="load")
    print(
        f"\n{REVIEWERS * COMMENTS_EACH} comments by {REVIEWERS} reviewers: {result.seconds:.1f} s"
    )

    assert result.failures == []
    assert len(result.acknowledged) == REVIEWERS * COMMENTS_EACH
    stored = stored_comments(live, "load")
    assert stored.comments == dict.fromkeys(result.acknowledged, 1)
    assert {m: len(files) for m, files in stored.attachments.items()} == dict.fromkeys(
        result.with_attachment, 1
    )
    check_attachment_files(live, stored)


def test_a_crash_under_load_keeps_every_acknowledged_comment(live, portal):
    server, consultation = portal
    result = LoadResult()
    load = threading.Thread(
        target=run_load,
        args=(server.port, consultation, COMMENTS_EACH, result),
        kwargs={"prefix": "crash"},
    )
    load.start()
    # Kill once a good part of the load is acknowledged, while the rest is in flight.
    deadline = time.monotonic() + 120
    while len(result.acknowledged) < REVIEWERS * COMMENTS_EACH // 3:
        assert time.monotonic() < deadline and load.is_alive(), result.failures[:5]
        time.sleep(0.005)
    server.kill()
    load.join()
    acknowledged = set(result.acknowledged)
    print(f"\nkilled after {len(acknowledged)} acknowledged comments")
    assert 0 < len(acknowledged) < REVIEWERS * COMMENTS_EACH
    assert result.failures, "the crash should have cut requests short"

    check_database_integrity(live)
    server.start()

    stored = stored_comments(live, "crash")
    # Acknowledged: there, once. In flight when killed: there once or not at all.
    assert all(stored.comments[marker] == 1 for marker in acknowledged)
    assert max(stored.comments.values()) == 1
    for marker in acknowledged & result.with_attachment:
        assert len(stored.attachments[marker]) == 1
    # No comment half-stored: an in-flight one is there with its attachment or not at all.
    for marker in stored.comments.keys() - acknowledged:
        if int(marker.rsplit("-", 1)[1]) % 5 == 0:
            assert len(stored.attachments.get(marker, [])) == 1, marker
    check_attachment_files(live, stored)

    # The restarted portal takes new comments.
    browser = Browser(server.port)
    browser.sign_in(consultation.emails[0])
    token = browser.csrf_token(consultation.base)
    assert browser.post_comment(f"{consultation.base}/comments", token, "", "after-1 Sau.", None)
    assert stored_comments(live, "after").comments == {"after-1": 1}


def check_database_integrity(live) -> None:
    if live.sqlite_path:
        conn = sqlite3.connect(live.sqlite_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
        return
    engine = live.engine()
    with engine.begin() as conn:
        # amcheck verifies every B-tree index against its table (heapallindexed).
        schema = conn.execute(
            text(
                "SELECT n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'"
            )
        ).scalar()
        if schema is None:  # installed in our schema, dropped with it
            schema = live.schema
            conn.execute(text(f'CREATE EXTENSION amcheck SCHEMA "{schema}"'))
        checked = conn.execute(
            text(
                f'SELECT count("{schema}".bt_index_check(c.oid, true)) FROM pg_index i '  # noqa: S608
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_am a ON a.oid = c.relam "
                "WHERE n.nspname = :schema AND a.amname = 'btree'"
            ),
            {"schema": live.schema},
        ).scalar()
        assert checked > 10
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM attachments a LEFT JOIN comments c ON c.id = a.comment_id "
                "WHERE a.comment_id IS NOT NULL AND c.id IS NULL"
            )
        ).scalar()
        assert orphans == 0
    engine.dispose()
