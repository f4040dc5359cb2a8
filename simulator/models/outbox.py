"""xAPI statements waiting for, or already taken by, the learning record store.

A row is written in the transaction that made its practice event (simulator.xapi.outbox), so
a statement exists exactly when what it reports does. The statement is frozen at that moment:
sending it again sends the identical statement, which an LRS takes as a no-op (a changed copy
under the same id would be refused as a conflict). Rows go with their account and attempt
(ON DELETE CASCADE): an erased trainee's queued words leave with them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlalchemy.orm import relationship
from sqlmodel import Field, Relationship, SQLModel

from simulator.models.types import UTCDateTime, utcnow

OUTBOX_STATUSES = ("queued", "sent", "rejected")


class XapiOutbox(SQLModel, table=True):
    """One xAPI statement and how its delivery stands.

    queued: not yet accepted (tries, next_try_at and last_error say how it went so far);
    sent: the LRS accepted it; rejected: the LRS refused it on its own (400 or 409), kept with
    the LRS's message so an admin can see why. `claimed_until` is a sender's lease on the row.
    """

    __tablename__ = "xapi_outbox"
    __table_args__ = (
        UniqueConstraint("statement_id", name="uq_xapi_outbox_statement_id"),
        CheckConstraint(f"status IN {OUTBOX_STATUSES}", name="ck_xapi_outbox_status"),
        Index("ix_xapi_outbox_due", "status", "next_try_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    statement_id: str = Field(max_length=36)
    # Whose statement it is (the actor: the trainee, or the supervisor for a "scored").
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    attempt_id: str | None = Field(default=None, foreign_key="attempt.id", max_length=32,
                                   index=True, ondelete="CASCADE")
    verb: str = Field(max_length=20)
    statement: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="queued", max_length=20)
    tries: int = 0
    next_try_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_column=Column(Text))  # never response text
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Never read: it tells the unit of work to insert an attempt before the statement about
    # its launch, which is queued before the new attempt is flushed (no foreign key breaks).
    attempt: Any = Relationship(sa_relationship=relationship("Attempt", lazy="raise"))
