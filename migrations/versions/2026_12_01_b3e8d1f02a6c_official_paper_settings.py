"""Per-proposal frame of official papers: parent body, symbol, recipients and signer.

Revision ID: b3e8d1f02a6c
Revises: 267d55b4a862
Create Date: 2026-12-01 23:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b3e8d1f02a6c"
down_revision = "267d55b4a862"
branch_labels = None
depends_on = None

COLUMNS = (
    ("parent_body", sa.String(length=255)),
    ("document_symbol", sa.String(length=32)),
    ("recipients", sa.Text()),
    ("signer_authority", sa.String(length=100)),
    ("signer_title", sa.String(length=100)),
    ("signer_name", sa.String(length=100)),
)


def _sqlite_foreign_keys(on: bool) -> None:
    """Dropping a column rebuilds the table on SQLite: with foreign keys on, its DROP TABLE
    would cascade to the proposal's drafts and seats. Off around the rebuild, then checked."""
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
    # Adding columns with a default needs no table rebuild, on SQLite either.
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=""))


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
    _sqlite_foreign_keys(True)
