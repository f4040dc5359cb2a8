"""Authored scenarios: versions, publishing to cohorts, one owner per id

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Scenarios written or uploaded on the web become `authored_scenario` rows with every save kept
as a `scenario_version`; trainees get only the published version, and only in the cohorts it
was published to (`scenario_audience`) or everywhere (`everyone`, set by admins).

Uploads made before this revision were live for every trainee; they are carried over as
authored scenarios owned by their first uploader, one version per upload in upload order,
published (newest version) to everyone, so nobody loses a scenario they were using. Their
snapshots stay where they are: attempts remain pinned to them. The downgrade drops the new
tables; the upload snapshots are untouched, so the old behaviour returns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString as String

from simulator.models.types import UTCDateTime as When

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('authored_scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', String(length=100), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('published_version', sa.Integer(), nullable=True),
    sa.Column('everyone', sa.Boolean(), nullable=False),
    sa.Column('published_at', When(timezone=True), nullable=True),
    sa.Column('created_at', When(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_authored_scenario_scenario_id', 'authored_scenario', ['scenario_id'],
                    unique=True)
    op.create_index('ix_authored_scenario_owner_id', 'authored_scenario', ['owner_id'])

    op.create_table('scenario_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authored_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('content_hash', String(length=64), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('title', String(length=200), nullable=False),
    sa.Column('message', String(length=500), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', When(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['authored_id'], ['authored_scenario.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('authored_id', 'number', name='uq_scenario_version')
    )
    op.create_index('ix_scenario_version_authored_id', 'scenario_version', ['authored_id'])

    op.create_table('scenario_audience',
    sa.Column('authored_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['authored_id'], ['authored_scenario.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('authored_id', 'cohort_id')
    )
    op.create_index('ix_scenario_audience_cohort_id', 'scenario_audience', ['cohort_id'])
    _carry_over_uploads()


def _carry_over_uploads() -> None:
    """Each earlier upload becomes a version of an authored scenario published to everyone.

    Times are copied as the database returned them (untyped columns), so SQLite's stored text
    and PostgreSQL's timestamps both go back in unchanged.
    """
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT content_hash, scenario_id, title, source_text, uploaded_by, created_at "
        "FROM scenario_snapshot WHERE origin = 'upload' ORDER BY created_at, content_hash"
    )).mappings().all()
    authored: dict[str, list] = {}
    for row in rows:
        authored.setdefault(row["scenario_id"], []).append(row)
    table = sa.table('authored_scenario', sa.column('id', sa.Integer),
                     sa.column('scenario_id'), sa.column('owner_id', sa.Integer),
                     sa.column('published_version', sa.Integer),
                     sa.column('everyone', sa.Boolean), sa.column('published_at'),
                     sa.column('created_at'))
    versions = sa.table('scenario_version', sa.column('authored_id', sa.Integer),
                        sa.column('number', sa.Integer), sa.column('source_text'),
                        sa.column('content_hash'), sa.column('valid', sa.Boolean),
                        sa.column('title'), sa.column('message'),
                        sa.column('author_id', sa.Integer), sa.column('created_at'))
    for scenario_id, uploads in authored.items():
        first, last = uploads[0], uploads[-1]
        connection.execute(table.insert().values(
            scenario_id=scenario_id, owner_id=first["uploaded_by"],
            published_version=len(uploads), everyone=True, published_at=last["created_at"],
            created_at=first["created_at"]))
        authored_id = connection.execute(sa.text(
            "SELECT id FROM authored_scenario WHERE scenario_id = :s"), {"s": scenario_id}
        ).scalar_one()
        for number, row in enumerate(uploads, start=1):
            connection.execute(versions.insert().values(
                authored_id=authored_id, number=number, source_text=row["source_text"],
                content_hash=row["content_hash"], valid=True, title=row["title"],
                message="uploaded before versions were kept", author_id=row["uploaded_by"],
                created_at=row["created_at"]))


def downgrade() -> None:
    op.drop_index('ix_scenario_audience_cohort_id', table_name='scenario_audience')
    op.drop_table('scenario_audience')
    op.drop_index('ix_scenario_version_authored_id', table_name='scenario_version')
    op.drop_table('scenario_version')
    op.drop_index('ix_authored_scenario_owner_id', table_name='authored_scenario')
    op.drop_index('ix_authored_scenario_scenario_id', table_name='authored_scenario')
    op.drop_table('authored_scenario')
