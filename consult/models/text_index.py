"""The text index of the comments' folded text: SQLite FTS5 (trigram), PostgreSQL pg_trgm (GIN).

A search without diacritics is ``LIKE '%…%'`` on ``comments.search_text``, which no B-tree
index can answer. On PostgreSQL a GIN index with pg_trgm's trigram operator class answers
that same LIKE; on SQLite an FTS5 table with the trigram tokenizer, kept current by
triggers on ``comments``, answers a quoted phrase MATCH (a substring match, like LIKE's)
for terms of three characters or more; shorter ones keep the LIKE (``Comment.text_search``).

``create_text_index`` is the one definition: ``db.create_all()`` runs it after creating the
comments table (tests, ``flask init-db``) and migration ``c3f1a9e7b2d4`` runs it on an
existing database. A later change to these statements needs a migration of its own.

pg_trgm lives in one schema per database while test runs and some installations use a
schema each: it is installed in ``public`` (unless it is already somewhere else) and the
operator class is named with its schema.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

FTS_TABLE = "comments_fts"
PG_INDEX = "ix_comments_search_trgm"
MIN_MATCH = 3  # an FTS5 trigram phrase matches nothing shorter
TRIGGERS = ("comments_fts_insert", "comments_fts_delete", "comments_fts_update")

_SQLITE = [
    # External content: the FTS table stores only its index, the text stays in comments.
    "CREATE VIRTUAL TABLE IF NOT EXISTS comments_fts USING fts5("
    "search_text, content='comments', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS comments_fts_insert AFTER INSERT ON comments BEGIN "
    "INSERT INTO comments_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS comments_fts_delete AFTER DELETE ON comments BEGIN "
    "INSERT INTO comments_fts(comments_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS comments_fts_update AFTER UPDATE OF search_text ON comments "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO comments_fts(comments_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO comments_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Rows written before the table existed (a migrated database).
    "INSERT INTO comments_fts(comments_fts) VALUES ('rebuild')",
]

# Objects that are not in the models' metadata, for the migration checks to leave alone.
NAMES = frozenset({FTS_TABLE, PG_INDEX, *TRIGGERS}) | {
    f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config", "content")
}


def trigram_schema(connection: Connection) -> str:
    """The schema holding pg_trgm, installing it in ``public`` first if it is missing."""
    find = text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    schema = connection.execute(find).scalar()
    if schema is None:
        # Two test runs may race to install it: the loser finds the winner's.
        try:
            with connection.begin_nested():
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        except DBAPIError:
            pass
        schema = connection.execute(find).scalar_one()
    return schema


def create_text_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        schema = trigram_schema(connection)
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON comments "
            f'USING gin (search_text "{schema}".gin_trgm_ops)'
        )


def drop_text_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for trigger in TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")


def listen(table) -> None:
    """Build the index whenever ``create_all`` creates the comments table."""
    event.listen(table, "after_create", lambda _t, connection, **_kw: create_text_index(connection))
    event.listen(table, "before_drop", lambda _t, connection, **_kw: drop_text_index(connection))
