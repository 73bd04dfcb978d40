"""Comments: the quoted passage's context, deletion proposals, and what a Word file said.

A short quote that occurs more than once in its section is located by the rendered text
around it; a proposal to delete the passage gets its own flag (an empty proposed wording
keeps meaning "no proposal"); a comment read from a marked-up Word file keeps the key that
stops a re-upload from adding it twice, and its Word author as a note.

Revision ID: 5b3f0c2e8a71
Revises: 4d01f0c75a24
Create Date: 2026-12-01 23:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b3f0c2e8a71"
down_revision = "4d01f0c75a24"
branch_labels = None
depends_on = None


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to drop a column: with foreign keys on, its DROP TABLE would
    fail (or cascade) for the rows that point at comments. They are switched off around the
    rebuild, outside a transaction, and checked before they are on again."""
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
    # Plain ALTER TABLE ... ADD COLUMN on every database: no table rebuild, so no foreign key
    # (comments.duplicate_of_id points at comments) is touched.
    op.add_column("comments", sa.Column("quote_prefix", sa.Text(), nullable=True))
    op.add_column("comments", sa.Column("quote_suffix", sa.Text(), nullable=True))
    op.add_column("comments", sa.Column("import_key", sa.String(length=64), nullable=True))
    op.add_column("comments", sa.Column("import_note", sa.Text(), nullable=True))
    op.create_index("ix_comments_import_key", "comments", ["draft_id", "import_key"])
    for table in ("comments", "comment_revisions"):
        op.add_column(
            table,
            sa.Column("proposes_deletion", sa.Boolean(), server_default=sa.false(), nullable=False),
        )


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("comment_revisions", schema=None) as batch_op:
        batch_op.drop_column("proposes_deletion")
    op.drop_index("ix_comments_import_key", table_name="comments")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("import_note")
        batch_op.drop_column("import_key")
        batch_op.drop_column("proposes_deletion")
        batch_op.drop_column("quote_suffix")
        batch_op.drop_column("quote_prefix")
    _sqlite_foreign_keys(True)
