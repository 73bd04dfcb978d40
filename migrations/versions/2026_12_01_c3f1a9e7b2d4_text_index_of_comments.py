"""A text index of the comments' folded text: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL.

The statements are in consult/models/text_index.py, which ``db.create_all()`` runs too, so
that a test database and a migrated one have the same index.

Revision ID: c3f1a9e7b2d4
Revises: b3e8d1f02a6c
Create Date: 2026-12-01 23:40:00.000000

"""
from alembic import op

from consult.models.text_index import create_text_index, drop_text_index


# revision identifiers, used by Alembic.
revision = 'c3f1a9e7b2d4'
down_revision = 'b3e8d1f02a6c'
branch_labels = None
depends_on = None


def upgrade():
    create_text_index(op.get_bind())


def downgrade():
    drop_text_index(op.get_bind())
