"""cohort invitations, practice shared with a cohort, applied rosters, and the cohort of a
one-trainee assignment

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Supervisors now see a trainee's work only through a cohort: its assignments, or practice the
trainee shared with it, from when the trainee joined. So that nothing a supervisor legitimately
sees today vanishes, the upgrade

- shares each practice attempt whose reflection was shared with every cohort the trainee had
  joined (as a trainee) by the time the attempt started; and
- gives each assignment to one trainee the cohort its author supervises with that trainee in it
  (the lowest id when there are several; none when its author supervises no such cohort, so
  only admins see that work).

Nothing is rebuilt: the new column is added in place (rebuilding `assignment` on SQLite would
empty every attempt's assignment through ON DELETE SET NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import simulator.models.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARE_SHARED_PRACTICE = sa.text("""
INSERT INTO attempt_share (attempt_id, cohort_id, shared_at)
SELECT attempt.id, cohort_member.cohort_id, COALESCE(attempt.finished_at, attempt.started_at)
FROM attempt JOIN cohort_member ON cohort_member.user_id = attempt.trainee_id
WHERE attempt.reflection_shared = :shared AND attempt.assignment_id IS NULL
  AND cohort_member.role = 'trainee' AND cohort_member.added_at <= attempt.started_at
""").bindparams(sa.bindparam("shared", True, type_=sa.Boolean()))

PLACE_ONE_TRAINEE_ASSIGNMENTS = """
UPDATE assignment SET within_cohort_id = (
    SELECT MIN(trainee.cohort_id) FROM cohort_member AS trainee
    JOIN cohort_member AS author ON author.cohort_id = trainee.cohort_id
    WHERE trainee.user_id = assignment.trainee_id AND trainee.role = 'trainee'
      AND author.user_id = assignment.created_by AND author.role = 'supervisor')
WHERE trainee_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table('cohort_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('created_at', simulator.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', simulator.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')",
                       name='ck_invitation_status'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'user_id', name='uq_invitation_cohort_user'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index('ix_cohort_invitation_cohort_id', 'cohort_invitation', ['cohort_id'])
    op.create_index('ix_cohort_invitation_user_id', 'cohort_invitation', ['user_id'])

    op.create_table('attempt_share',
    sa.Column('attempt_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('shared_at', simulator.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', 'cohort_id')
    )
    op.create_index('ix_attempt_share_cohort_id', 'attempt_share', ['cohort_id'])

    op.create_table('roster_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('imported_by', sa.Integer(), nullable=True),
    sa.Column('created_at', simulator.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['imported_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'digest', name='uq_roster_import_digest')
    )

    op.add_column('assignment', sa.Column('within_cohort_id', sa.Integer(), nullable=True))
    op.create_index('ix_assignment_within_cohort_id', 'assignment', ['within_cohort_id'])

    op.execute(SHARE_SHARED_PRACTICE)
    op.execute(PLACE_ONE_TRAINEE_ASSIGNMENTS)


def downgrade() -> None:
    op.drop_index('ix_assignment_within_cohort_id', table_name='assignment')
    op.drop_column('assignment', 'within_cohort_id')  # SQLite 3.35+ drops a column in place
    op.drop_table('roster_import')
    op.drop_index('ix_attempt_share_cohort_id', table_name='attempt_share')
    op.drop_table('attempt_share')
    op.drop_index('ix_cohort_invitation_user_id', table_name='cohort_invitation')
    op.drop_index('ix_cohort_invitation_cohort_id', table_name='cohort_invitation')
    op.drop_table('cohort_invitation')
