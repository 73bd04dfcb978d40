"""Database engine settings: SQLite pragmas for a safe embedded default."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consult.extensions import db


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # WAL lets readers go on while a reviewer's comment is written; memory databases
    # (tests) cannot use it and simply keep their journal.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite)


def include_migration_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out of migration checks an index the models create on another database only
    (``Index(...).ddl_if(dialect=...)``), which Alembic would otherwise report missing, and
    the text index's table and index, which are made by DDL outside the models' metadata."""
    from consult.extensions import db
    from consult.models.text_index import NAMES

    if reflected and name in NAMES:
        return False

    condition = getattr(obj, "_ddl_if", None) if type_ == "index" and not reflected else None
    if condition is not None and condition.dialect:
        return condition.dialect == db.engine.dialect.name
    return True


def render_migration_item(type_: str, obj, autogen_context):
    """Write UTCDateTime as a plain DateTime in migrations, so they never import app code."""
    from consult.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
