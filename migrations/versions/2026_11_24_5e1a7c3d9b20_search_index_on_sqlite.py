"""On SQLite, an index that holds the folded text, for the inbox search without diacritics.

PostgreSQL gets none: its B-tree refuses keys over a third of a page (a long comment).

Revision ID: 5e1a7c3d9b20
Revises: 3768b1b4a3c0
Create Date: 2026-11-24 20:35:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e1a7c3d9b20'
down_revision = '3768b1b4a3c0'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(
            "ix_comments_search", "comments", ["draft_id", "status", "search_text"], unique=False
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_comments_search", table_name="comments")
