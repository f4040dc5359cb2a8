"""Supervisor overrides of machine scores, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from simulator.models.types import UTCDateTime, utcnow


class Review(SQLModel, table=True):
    """One version of a supervisor's rating of a criterion on a turn; the newest one counts."""

    __table_args__ = (Index("ix_review_turn_criterion", "turn_id", "criterion"),)

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", ondelete="CASCADE")
    criterion: str = Field(max_length=40)
    old_level: int | None = None
    new_level: int
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    reviewer_id: int | None = Field(foreign_key="user.id", ondelete="SET NULL")
    blind: bool = False  # rated without seeing the engine's score first
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    """Who did what to which object. Never holds response text or passwords."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    action: str = Field(max_length=60)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
