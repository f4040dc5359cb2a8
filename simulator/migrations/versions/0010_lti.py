"""LTI 1.3: registered platforms, and the people, courses, placements and grades they map to

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

An admin registers each LMS (issuer + client id, its endpoints and deployment ids). A launch
from it maps the LMS user (`sub`) to an account (lti_identity), the course to a cohort
(lti_context, with the roster and line-item service URLs it last sent) and the placement to an
assignment (lti_link, with the line item grades go to). lti_grade_sync holds the score owed to
each line item for each person until the LMS has it. Everything cascades from the platform, so
removing a registration removes what it mapped; the accounts, cohorts and assignments stay.

New tables only: nothing existing is touched, and the downgrade drops them (registrations and
mappings are lost; the next launch from a re-registered platform creates new accounts unless
the email matches).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import simulator.models.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = simulator.models.types.UTCDateTime


def upgrade() -> None:
    op.create_table('lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', String(length=120), nullable=False),
    sa.Column('issuer', String(length=500), nullable=False),
    sa.Column('client_id', String(length=255), nullable=False),
    sa.Column('auth_url', String(length=1000), nullable=False),
    sa.Column('token_url', String(length=1000), nullable=False),
    sa.Column('jwks_url', String(length=1000), nullable=False),
    sa.Column('deployment_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', When(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('issuer', 'client_id', name='uq_lti_platform_client')
    )
    op.create_index('ix_lti_platform_issuer', 'lti_platform', ['issuer'])

    op.create_table('lti_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('subject', String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', When(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform_id', 'subject', name='uq_lti_identity')
    )
    op.create_index('ix_lti_identity_platform_id', 'lti_identity', ['platform_id'])
    op.create_index('ix_lti_identity_user_id', 'lti_identity', ['user_id'])

    op.create_table('lti_context',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_id', String(length=255), nullable=False),
    sa.Column('title', String(length=255), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', String(length=255), nullable=False),
    sa.Column('memberships_url', String(length=1000), nullable=True),
    sa.Column('lineitems_url', String(length=1000), nullable=True),
    sa.Column('roster_synced_at', When(timezone=True), nullable=True),
    sa.Column('created_at', When(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform_id', 'context_id', name='uq_lti_context')
    )
    op.create_index('ix_lti_context_platform_id', 'lti_context', ['platform_id'])
    op.create_index('ix_lti_context_cohort_id', 'lti_context', ['cohort_id'])

    op.create_table('lti_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', String(length=255), nullable=False),
    sa.Column('context_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('lineitem_url', String(length=1000), nullable=True),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_at', When(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['context_id'], ['lti_context.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform_id', 'resource_link_id', name='uq_lti_link')
    )
    op.create_index('ix_lti_link_platform_id', 'lti_link', ['platform_id'])
    op.create_index('ix_lti_link_context_id', 'lti_link', ['context_id'])
    op.create_index('ix_lti_link_assignment_id', 'lti_link', ['assignment_id'])

    op.create_table('lti_grade_sync',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', String(length=32), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('status', String(length=20), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', When(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', When(timezone=True), nullable=True),
    sa.Column('updated_at', When(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')",
                       name='ck_lti_grade_sync_status'),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['lti_link.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('link_id', 'user_id', name='uq_lti_grade_sync')
    )
    op.create_index('ix_lti_grade_sync_link_id', 'lti_grade_sync', ['link_id'])
    op.create_index('ix_lti_grade_sync_user_id', 'lti_grade_sync', ['user_id'])


def downgrade() -> None:
    op.drop_index('ix_lti_grade_sync_user_id', table_name='lti_grade_sync')
    op.drop_index('ix_lti_grade_sync_link_id', table_name='lti_grade_sync')
    op.drop_table('lti_grade_sync')
    op.drop_index('ix_lti_link_assignment_id', table_name='lti_link')
    op.drop_index('ix_lti_link_context_id', table_name='lti_link')
    op.drop_index('ix_lti_link_platform_id', table_name='lti_link')
    op.drop_table('lti_link')
    op.drop_index('ix_lti_context_cohort_id', table_name='lti_context')
    op.drop_index('ix_lti_context_platform_id', table_name='lti_context')
    op.drop_table('lti_context')
    op.drop_index('ix_lti_identity_user_id', table_name='lti_identity')
    op.drop_index('ix_lti_identity_platform_id', table_name='lti_identity')
    op.drop_table('lti_identity')
    op.drop_index('ix_lti_platform_issuer', table_name='lti_platform')
    op.drop_table('lti_platform')
