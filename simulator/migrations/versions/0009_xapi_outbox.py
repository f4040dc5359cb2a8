"""xAPI outbox: statements queued for a learning record store in the transaction that made them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

With SIMULATOR_LRS_URL set, each practice event (a launch, an answer, a notice step, a rewind,
a completion, a supervisor's review) writes its xAPI statements here in its own transaction, and
a sender delivers them after commit, retrying with back-off while the LRS is away. A statement
is stored whole and frozen, so a re-send is identical (an LRS takes that as a no-op). Rows
cascade with their account and attempt: deleting a trainee deletes their queued words.

A new table only: nothing existing is touched, and the downgrade drops it (queued statements
are lost with it; `simulator xapi status` shows how many are waiting before a downgrade).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import simulator.models.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('xapi_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('verb', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('statement', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', simulator.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', simulator.models.types.UTCDateTime(timezone=True),
              nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', simulator.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', simulator.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sent', 'rejected')",
                       name='ck_xapi_outbox_status'),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('statement_id', name='uq_xapi_outbox_statement_id')
    )
    op.create_index('ix_xapi_outbox_user_id', 'xapi_outbox', ['user_id'])
    op.create_index('ix_xapi_outbox_attempt_id', 'xapi_outbox', ['attempt_id'])
    op.create_index('ix_xapi_outbox_created_at', 'xapi_outbox', ['created_at'])
    op.create_index('ix_xapi_outbox_due', 'xapi_outbox', ['status', 'next_try_at'])


def downgrade() -> None:
    op.drop_index('ix_xapi_outbox_due', table_name='xapi_outbox')
    op.drop_index('ix_xapi_outbox_created_at', table_name='xapi_outbox')
    op.drop_index('ix_xapi_outbox_attempt_id', table_name='xapi_outbox')
    op.drop_index('ix_xapi_outbox_user_id', table_name='xapi_outbox')
    op.drop_table('xapi_outbox')
