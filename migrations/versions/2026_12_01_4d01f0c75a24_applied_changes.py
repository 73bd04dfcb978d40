"""Applied changes: each change that took accepted comments into the next draft, and its comments.

Revision ID: 4d01f0c75a24
Revises: 309128b1d1de
Create Date: 2026-12-01 23:15:48.968592

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "4d01f0c75a24"
down_revision = "309128b1d1de"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "applied_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("replace", "insert", "delete", name="changekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("body_before", sa.Text(), nullable=False),
        sa.Column("body_after", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("passage", sa.Text(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("applied_by_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("section_key", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["applied_by_id"],
            ["users.id"],
            name=op.f("fk_applied_changes_applied_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_applied_changes_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_applied_changes_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["users.id"],
            name=op.f("fk_applied_changes_undone_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applied_changes")),
    )
    with op.batch_alter_table("applied_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_applied_changes_draft_section", ["draft_id", "section_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applied_changes_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "applied_change_comments",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["applied_changes.id"],
            name=op.f("fk_applied_change_comments_change_id_applied_changes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_applied_change_comments_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_id", "comment_id", name=op.f("pk_applied_change_comments")),
    )
    with op.batch_alter_table("applied_change_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applied_change_comments_comment_id"), ["comment_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("applied_change_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_change_comments_comment_id"))

    op.drop_table("applied_change_comments")
    with op.batch_alter_table("applied_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_changes_section_id"))
        batch_op.drop_index("ix_applied_changes_draft_section")

    op.drop_table("applied_changes")
