"""A drafting board per proposal: lead agency, seats (chair, members, organizers).

Existing installations keep every right they had: the drafting body becomes the lead
agency of every proposal; each drafting-team member sits on every proposal's board (its
creator, or else the first member, as chair) and may create proposals; organizers become
organizers of every proposal. Both become reviewers of their body (the drafting body when
they had none). Being a duplicate is stored once: the DUPLICATE status and
``merged_into_id`` fold into ``duplicate_of_id``.

Revision ID: 99c549ac344c
Revises: 5e1a7c3d9b20
Create Date: 2026-12-01 20:11:01.665212

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "99c549ac344c"
down_revision = "5e1a7c3d9b20"
branch_labels = None
depends_on = None


def _drafting_body(conn, needed: bool) -> int | None:
    body = conn.execute(
        sa.text("SELECT id FROM departments WHERE is_drafting_body ORDER BY id LIMIT 1")
    ).scalar()
    if body is not None or not needed:
        return body
    now = datetime.now(UTC).replace(tzinfo=None)
    code = "BAN-SOAN-THAO"
    while conn.execute(sa.text("SELECT 1 FROM departments WHERE code = :c"), {"c": code}).first():
        code += "-1"
    conn.execute(
        sa.text(
            "INSERT INTO departments (code, name, kind, is_drafting_body, is_active, "
            "created_at, updated_at) VALUES (:code, 'Ban Soạn thảo', 'other', :t, :t, :now, :now)"
        ),
        {"code": code, "t": True, "now": now},
    )
    return conn.execute(sa.text("SELECT id FROM departments WHERE code = :c"), {"c": code}).scalar()


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to change a column: with foreign keys on, its DROP TABLE
    would delete (and cascade to) every row that references it. They are switched off
    around the rebuild; the pragma only takes effect outside a transaction, so the work
    so far is committed first, and the references are checked before they are on again."""
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
    op.create_table(
        "proposal_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "seat",
            sa.Enum("chair", "member", "organizer", name="seat", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_members_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_proposal_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_members")),
        sa.UniqueConstraint(
            "proposal_id", "user_id", name=op.f("uq_proposal_members_proposal_id_user_id")
        ),
    )
    with op.batch_alter_table("proposal_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_members_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_proposal_members_one_chair",
            ["proposal_id"],
            unique=True,
            sqlite_where=sa.text("seat = 'chair'"),
            postgresql_where=sa.text("seat = 'chair'"),
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "may_create_proposals", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_agency_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("board_name", sa.String(length=255), server_default="", nullable=False)
        )

    conn = op.get_bind()
    proposals = conn.execute(sa.text("SELECT id, created_by_id FROM proposals ORDER BY id")).all()
    team = conn.execute(
        sa.text("SELECT id, role, department_id FROM users WHERE role IN ('drafting', 'organizer')")
    ).all()
    body = _drafting_body(conn, bool(proposals) or any(u.department_id is None for u in team))
    if body is not None:
        name = conn.execute(sa.text("SELECT name FROM departments WHERE id = :b"), {"b": body})
        conn.execute(
            sa.text("UPDATE proposals SET lead_agency_id = :b, board_name = :n"),
            {"b": body, "n": name.scalar()},
        )
    drafting = sorted(u.id for u in team if u.role == "drafting")
    organizers = sorted(u.id for u in team if u.role == "organizer")
    now = datetime.now(UTC).replace(tzinfo=None)
    insert = sa.text(
        "INSERT INTO proposal_members (proposal_id, user_id, seat, added_at) "
        "VALUES (:p, :u, :s, :now)"
    )
    for proposal in proposals:
        chair = proposal.created_by_id if proposal.created_by_id in drafting else None
        chair = chair or (drafting[0] if drafting else None)
        for user_id in drafting:
            seat = "chair" if user_id == chair else "member"
            conn.execute(insert, {"p": proposal.id, "u": user_id, "s": seat, "now": now})
        for user_id in organizers:
            conn.execute(insert, {"p": proposal.id, "u": user_id, "s": "organizer", "now": now})
    conn.execute(
        sa.text("UPDATE users SET may_create_proposals = :t WHERE role = 'drafting'"), {"t": True}
    )
    if body is not None:
        conn.execute(
            sa.text(
                "UPDATE users SET department_id = :b "
                "WHERE role IN ('drafting', 'organizer') AND department_id IS NULL"
            ),
            {"b": body},
        )
    conn.execute(
        sa.text("UPDATE users SET role = 'reviewer' WHERE role IN ('drafting', 'organizer')")
    )
    conn.execute(
        sa.text(
            "UPDATE comments SET duplicate_of_id = merged_into_id "
            "WHERE merged_into_id IS NOT NULL AND duplicate_of_id IS NULL"
        )
    )
    conn.execute(sa.text("UPDATE comments SET status = 'under_review' WHERE status = 'duplicate'"))

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.alter_column("lead_agency_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_proposals_lead_agency_id"), ["lead_agency_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_lead_agency_id_departments"),
            "departments",
            ["lead_agency_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_comments_merged_into_id_comments"), type_="foreignkey"
        )
        batch_op.drop_column("merged_into_id")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("is_drafting_body")
    _sqlite_foreign_keys(True)


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_drafting_body", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_comments_merged_into_id_comments"),
            "comments",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE comments SET merged_into_id = duplicate_of_id, duplicate_of_id = NULL "
            "WHERE deleted_at IS NOT NULL AND duplicate_of_id IS NOT NULL"
        )
    )
    conn.execute(
        sa.text("UPDATE comments SET status = 'duplicate' WHERE duplicate_of_id IS NOT NULL")
    )
    conn.execute(
        sa.text(
            "UPDATE departments SET is_drafting_body = :t "
            "WHERE id IN (SELECT lead_agency_id FROM proposals)"
        ),
        {"t": True},
    )
    # A global role again: board seats become the drafting team, organizer seats organizers.
    conn.execute(
        sa.text(
            "UPDATE users SET role = 'organizer' WHERE role <> 'admin' AND id IN "
            "(SELECT user_id FROM proposal_members WHERE seat = 'organizer')"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE users SET role = 'drafting' WHERE role <> 'admin' AND id IN "
            "(SELECT user_id FROM proposal_members WHERE seat IN ('chair', 'member'))"
        )
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_proposals_lead_agency_id_departments"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_proposals_lead_agency_id"))
        batch_op.drop_column("board_name")
        batch_op.drop_column("lead_agency_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("may_create_proposals")
    with op.batch_alter_table("proposal_members", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_proposal_members_one_chair",
            sqlite_where=sa.text("seat = 'chair'"),
            postgresql_where=sa.text("seat = 'chair'"),
        )
        batch_op.drop_index(batch_op.f("ix_proposal_members_user_id"))
    op.drop_table("proposal_members")
    _sqlite_foreign_keys(True)
