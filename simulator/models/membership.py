"""Joining cohorts and sharing with them: invitations, shared practice, applied rosters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from simulator.models.types import UTCDateTime, utcnow

INVITATION_STATUSES = ("pending", "accepted", "declined")


class CohortInvitation(SQLModel, table=True):
    """An invitation to join a cohort as a trainee; membership starts when the invitee accepts.

    Only a hash of the link's token is stored. `name` is what the inviter typed, shown to them
    instead of the account's own name, so the listing looks alike whether or not the account
    existed before.
    """

    __tablename__ = "cohort_invitation"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_invitation_cohort_user"),
        CheckConstraint(f"status IN {INVITATION_STATUSES}", name="ck_invitation_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    status: str = Field(default="pending", max_length=20)
    invited_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AttemptShare(SQLModel, table=True):
    """A trainee's choice to let one cohort's supervisors see an attempt."""

    __tablename__ = "attempt_share"

    attempt_id: str = Field(foreign_key="attempt.id", primary_key=True, max_length=32,
                            ondelete="CASCADE")
    cohort_id: int = Field(foreign_key="cohort.id", primary_key=True, index=True,
                           ondelete="CASCADE")
    shared_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RosterImport(SQLModel, table=True):
    """A roster already applied to a cohort; the unique digest makes a second confirm a no-op."""

    __tablename__ = "roster_import"
    __table_args__ = (UniqueConstraint("cohort_id", "digest", name="uq_roster_import_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", ondelete="CASCADE")
    digest: str = Field(max_length=64)
    imported_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
