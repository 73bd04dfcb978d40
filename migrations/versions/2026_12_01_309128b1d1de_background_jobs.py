"""Background jobs: who asked, what, state, progress, lease, result file and error.

The queue itself (Huey) keeps its own storage (a SQLite file in DATA_DIR, or Redis).

Revision ID: 309128b1d1de
Revises: 7c41e2a9d5f3
Create Date: 2026-12-01 20:09:29.448991

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '309128b1d1de'
down_revision = '7c41e2a9d5f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('subject_type', sa.String(length=20), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', 'cancelled', name='jobstate', native_enum=False, length=20), nullable=False),
    sa.Column('progress_done', sa.Integer(), nullable=False),
    sa.Column('progress_total', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_token', sa.String(length=32), nullable=True),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('result_path', sa.String(length=200), nullable=True),
    sa.Column('result_name', sa.String(length=255), nullable=True),
    sa.Column('result_mimetype', sa.String(length=120), nullable=True),
    sa.Column('result_size', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_jobs_requested_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_requested_by_created', ['requested_by_id', 'created_at'], unique=False)
        batch_op.create_index('ix_jobs_state_lease', ['state', 'lease_until'], unique=False)



def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_state_lease')
        batch_op.drop_index('ix_jobs_requested_by_created')

    op.drop_table('jobs')
