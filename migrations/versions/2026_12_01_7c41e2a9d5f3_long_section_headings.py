"""Section headings as text: article titles longer than 500 characters import on PostgreSQL.

Revision ID: 7c41e2a9d5f3
Revises: a17c5e55e0f1
Create Date: 2026-12-01 21:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c41e2a9d5f3"
down_revision = "a17c5e55e0f1"
branch_labels = None
depends_on = None


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds the table to change a column: with foreign keys on, its DROP TABLE
    would fail (or cascade) for the comments that point at sections. They are switched off
    around the rebuild, outside a transaction, and checked before they are on again."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.dbapi_connection
    raw.commit()
    if on:
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def upgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.alter_column(
            "heading", existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=False
        )
    _sqlite_foreign_keys(True)


def downgrade():
    # Headings past 500 characters are cut so that the old column can hold them.
    op.execute("UPDATE sections SET heading = SUBSTR(heading, 1, 500) WHERE LENGTH(heading) > 500")
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.alter_column(
            "heading", existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=False
        )
    _sqlite_foreign_keys(True)
