"""Section headings as text: article titles longer than 500 characters import on PostgreSQL.

Revision ID: 7c41e2a9d5f3
Revises: 99c549ac344c
Create Date: 2026-12-01 21:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c41e2a9d5f3"
down_revision = "99c549ac344c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.alter_column(
            "heading", existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=False
        )


def downgrade():
    # Headings past 500 characters are cut so that the old column can hold them.
    op.execute("UPDATE sections SET heading = SUBSTR(heading, 1, 500) WHERE LENGTH(heading) > 500")
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.alter_column(
            "heading", existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=False
        )
