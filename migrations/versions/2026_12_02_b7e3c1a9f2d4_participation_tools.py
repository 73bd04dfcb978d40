"""Participation tools: a body's phone, when it was last reminded, early floor comments.

Revision ID: b7e3c1a9f2d4
Revises: c3f1a9e7b2d4
Create Date: 2026-12-02 00:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7e3c1a9f2d4"
down_revision = "c3f1a9e7b2d4"
branch_labels = None
depends_on = None

# Plain ADD and DROP COLUMN (SQLite 3.35 and later drop an unindexed column in place), so
# that no table other rows point at is rebuilt.
COLUMNS = (
    ("departments", sa.Column("phone", sa.String(length=32), nullable=True)),
    ("draft_invitations", sa.Column("reminded_at", sa.DateTime(), nullable=True)),
    (
        "workshops",
        sa.Column("allows_early_recording", sa.Boolean(), nullable=False, server_default=sa.false()),
    ),
)


def upgrade():
    for table, column in COLUMNS:
        op.add_column(table, column)


def downgrade():
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column.name)
