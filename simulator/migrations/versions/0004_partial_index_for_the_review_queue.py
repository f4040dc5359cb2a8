"""partial index for the review queue

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Replaces 0003's turn (attempt_id, confidence) index with one over live free-text turns only
(superseded false, response_text set) that also holds created_at and id, so the review queue
finds, sorts and counts its turns from the index instead of reading the large turn rows.
The new index is built before the old one is dropped, so no moment is left without one; old
app servers keep working with either. The condition is written per database because each
spells a boolean test differently, and it must match what the queue's query sends.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_WHERE = "superseded IS 0 AND response_text IS NOT NULL"
POSTGRESQL_WHERE = "superseded IS false AND response_text IS NOT NULL"


def upgrade() -> None:
    op.create_index('ix_turn_review_queue', 'turn',
                    ['attempt_id', 'confidence', 'created_at', 'id'], unique=False,
                    sqlite_where=sa.text(SQLITE_WHERE),
                    postgresql_where=sa.text(POSTGRESQL_WHERE))
    op.drop_index('ix_turn_attempt_confidence', table_name='turn')


def downgrade() -> None:
    op.create_index('ix_turn_attempt_confidence', 'turn', ['attempt_id', 'confidence'],
                    unique=False)
    op.drop_index('ix_turn_review_queue', table_name='turn')
