"""Comments by section and draft, and by department with deletion: the inbox's pages.

Revision ID: d4a8e6f1c2b9
Revises: b7e3c1a9f2d4
Create Date: 2026-12-02 18:00:00

The inbox in section order now counts its comments by section and then reads only the
sections its page falls in, in id order: (section_id, draft_id) answers that for a
section and for the general comments (no section) of a draft without a sort. It replaces
the index on section_id alone, which it contains. In department order the inbox counts a
draft's comments by department: ix_comments_by_department gains deleted_at so that it
answers that alone.
"""

from alembic import op

revision = "d4a8e6f1c2b9"
down_revision = "b7e3c1a9f2d4"
branch_labels = None
depends_on = None


BY_DEPARTMENT = ["draft_id", "department_id", "submitted_at"]


def upgrade():
    op.create_index("ix_comments_section_draft", "comments", ["section_id", "draft_id"])
    op.drop_index("ix_comments_section_id", table_name="comments")
    op.drop_index("ix_comments_by_department", table_name="comments")
    op.create_index("ix_comments_by_department", "comments", [*BY_DEPARTMENT, "deleted_at"])


def downgrade():
    op.drop_index("ix_comments_by_department", table_name="comments")
    op.create_index("ix_comments_by_department", "comments", BY_DEPARTMENT)
    op.create_index("ix_comments_section_id", "comments", ["section_id"])
    op.drop_index("ix_comments_section_draft", table_name="comments")
