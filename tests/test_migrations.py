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


def test_upgrade_builds_the_schema_of_the_models_and_downgrade_removes_it(empty_database):
    url, options = empty_database

    class MigrationConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = options

    app = create_app(MigrationConfig)
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
