"""Indexes for national scale: the inbox, a department's comments, sections being deleted.

Revision ID: b7e41c0d9a52
Revises: d2b8a54a912d
Create Date: 2026-11-24 19:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e41c0d9a52"
down_revision = "d2b8a54a912d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status")
        batch_op.drop_index("ix_comments_draft_id_department_id")
        batch_op.create_index(
            "ix_comments_by_department",
            ["draft_id", "department_id", "submitted_at"],
            unique=False,
        )
        # Deleting a section checks the comments that point at it: without this index,
        # each deleted section read every comment.
        batch_op.create_index("ix_comments_addressed_in_id", ["addressed_in_id"], unique=False)
        batch_op.create_index(
            "ix_comments_triage",
            ["draft_id", "status", "section_id", "department_id", "submitted_at", "deleted_at"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_triage")
        batch_op.drop_index("ix_comments_addressed_in_id")
        batch_op.drop_index("ix_comments_by_department")
        batch_op.create_index(
            "ix_comments_draft_id_department_id", ["draft_id", "department_id"], unique=False
        )
        batch_op.create_index("ix_comments_status", ["status"], unique=False)
