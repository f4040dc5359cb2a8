"""attempt slot: the attempt limit held by a unique index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

An attempt at an assignment takes a numbered slot (1 to the attempts allowed); a unique index
over (assignment, trainee, slot) lets only one of several parallel starts take each slot.
Existing assignment attempts are numbered by start time. The column is added and the index
created without rebuilding the table (which on SQLite would cascade to the turns).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NUMBER_EXISTING = """
UPDATE attempt SET assignment_slot = (
    SELECT COUNT(*) FROM attempt AS earlier
    WHERE earlier.assignment_id = attempt.assignment_id
      AND earlier.trainee_id = attempt.trainee_id
      AND (earlier.started_at < attempt.started_at
           OR (earlier.started_at = attempt.started_at AND earlier.id <= attempt.id)))
WHERE assignment_id IS NOT NULL AND trainee_id IS NOT NULL
"""


def upgrade() -> None:
    op.add_column('attempt', sa.Column('assignment_slot', sa.Integer(), nullable=True))
    op.execute(NUMBER_EXISTING)
    op.create_index('uq_attempt_assignment_slot', 'attempt',
                    ['assignment_id', 'trainee_id', 'assignment_slot'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_attempt_assignment_slot', table_name='attempt')
    op.drop_column('attempt', 'assignment_slot')  # SQLite 3.35+ drops a column in place
