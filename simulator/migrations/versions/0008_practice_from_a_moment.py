"""practice from a moment: where an attempt began, and the alliance there

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

"Practise this moment again" starts an attempt at one node of a scenario, with the alliance
as it stood when the trainee answered that moment before. The attempt records the node and
that state; all three are NULL for an attempt from the scenario's start, which every existing
attempt is. The columns are added in place (no table rebuild, which on SQLite would cascade
to the turns); the downgrade drops them (SQLite 3.35+ drops a column in place).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('attempt', sa.Column('start_node', sqlmodel.sql.sqltypes.AutoString(length=100),
                                       nullable=True))
    op.add_column('attempt', sa.Column('start_salience', sa.Integer(), nullable=True))
    op.add_column('attempt', sa.Column('start_direction',
                                       sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column('attempt', 'start_direction')
    op.drop_column('attempt', 'start_salience')
    op.drop_column('attempt', 'start_node')
