"""Scenario snapshots, assignments, attempts and their turns."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Index,
    Text,
    UniqueConstraint,
    and_,
    column,
)
from sqlmodel import Field, SQLModel

from simulator.models.types import UTCDateTime, utcnow

MODES = ("practice", "assessment")
ATTEMPT_STATUSES = ("in_progress", "completed", "abandoned")


def new_attempt_id() -> str:
    """An unguessable attempt id (128 bits of randomness)."""
    return secrets.token_urlsafe(16)


class ScenarioSnapshot(SQLModel, table=True):
    """The exact YAML an attempt was played on, so later edits never change a transcript."""

    __tablename__ = "scenario_snapshot"

    content_hash: str = Field(primary_key=True, max_length=64)
    scenario_id: str = Field(max_length=100, index=True)
    title: str = Field(max_length=200)
    source_text: str = Field(sa_column=Column(Text, nullable=False))
    origin: str = Field(default="library", max_length=20)  # library | upload
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Assignment(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(f"mode IN {MODES}", name="ck_assignment_mode"),
        CheckConstraint(
            "(cohort_id IS NULL) != (trainee_id IS NULL)", name="ck_assignment_one_target"
        ),
        CheckConstraint("attempts_allowed >= 1", name="ck_assignment_attempts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: str = Field(max_length=100)
    cohort_id: int | None = Field(
        default=None, foreign_key="cohort.id", index=True, ondelete="CASCADE"
    )
    trainee_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="CASCADE"
    )
    # For an assignment to one trainee: the cohort it was given in, whose supervisors see it.
    # No foreign key: adding one to an existing SQLite table means rebuilding it, and dropping
    # the old table would empty every attempt's assignment (ON DELETE SET NULL). Cohorts are
    # never deleted, and an id that names no cohort matches no membership, so grants nothing.
    within_cohort_id: int | None = Field(default=None, index=True)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mode: str = Field(default="practice", max_length=20)
    attempts_allowed: int = 1
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Attempt(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(f"mode IN {MODES}", name="ck_attempt_mode"),
        CheckConstraint(f"status IN {ATTEMPT_STATUSES}", name="ck_attempt_status"),
        Index("ix_attempt_trainee_started", "trainee_id", "started_at"),
        # One row per numbered try at an assignment: the database, not a count read a moment
        # before, holds the attempt limit (parallel starts cannot both take try 1).
        Index("uq_attempt_assignment_slot", "assignment_id", "trainee_id", "assignment_slot",
              unique=True),
    )

    id: str = Field(default_factory=new_attempt_id, primary_key=True, max_length=32)
    trainee_id: int | None = Field(foreign_key="user.id", ondelete="SET NULL")
    scenario_id: str = Field(max_length=100, index=True)
    scenario_hash: str = Field(foreign_key="scenario_snapshot.content_hash", max_length=64)
    assignment_id: int | None = Field(
        default=None, foreign_key="assignment.id", index=True, ondelete="SET NULL"
    )
    assignment_slot: int | None = None  # 1..attempts_allowed for an assignment's attempts
    mode: str = Field(default="practice", max_length=20)
    status: str = Field(default="in_progress", max_length=20)
    current_node: str = Field(max_length=100)
    salience: int = 3
    direction: str = Field(default="away", max_length=10)
    # Where the attempt began when the trainee chose to practise one moment again, with the
    # alliance as it stood there; all None for an attempt from the scenario's start.
    start_node: str | None = Field(default=None, max_length=100)
    start_salience: int | None = None
    start_direction: str | None = Field(default=None, max_length=10)
    outcome: str | None = Field(default=None, max_length=20)
    reflection: str | None = Field(default=None, sa_column=Column(Text))
    reflection_shared: bool = False
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# Turns that still count (not rewound) and were answered in the trainee's own words.
_LIVE_FREE_TEXT = and_(column("superseded", Boolean).is_(False),
                      column("response_text", Text).is_not(None))


class Turn(SQLModel, table=True):
    """One answered client line. A rewound turn stays, marked superseded, for comparison."""

    __table_args__ = (
        UniqueConstraint("attempt_id", "index", name="uq_turn_attempt_index"),
        # The review queue: an attempt's unsure live free-text turns, in the order the queue
        # sorts them, from the index instead of the large turn rows. Partial, so the database
        # uses it only for queries that repeat the condition, as the queue's do.
        Index("ix_turn_review_queue", "attempt_id", "confidence", "created_at", "id",
              sqlite_where=_LIVE_FREE_TEXT, postgresql_where=_LIVE_FREE_TEXT),
    )

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: str = Field(foreign_key="attempt.id", index=True, ondelete="CASCADE")
    index: int
    node_id: str = Field(max_length=100)
    client_line: str = Field(sa_column=Column(Text, nullable=False))
    response_text: str | None = Field(default=None, sa_column=Column(Text))
    choice_index: int | None = None
    notice: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    overall: float = 0.0
    confidence: float = 1.0
    next_node: str = Field(max_length=100)
    salience: int = 3
    direction: str = Field(default="away", max_length=10)
    superseded: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
