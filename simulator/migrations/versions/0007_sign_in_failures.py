"""failed password checks counted in the database (sign-in throttling shared by every worker)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

One row per throttle key (a keyed hash of an account or an address) with its fixed window and
the password checks let through in it. Rows are swept once their window has passed, so the
table holds only the last minute's or hour's keys. Nothing here is needed across an upgrade:
the downgrade drops the table, and counting starts again from zero.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('failure_count',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('window_start', sa.BigInteger(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('failure_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failure_count_expires_at'), ['expires_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('failure_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failure_count_expires_at'))

    op.drop_table('failure_count')
