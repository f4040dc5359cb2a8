"""Scenarios written on the web: each save a version, published to chosen cohorts.

An id belongs to one author (the first to save it): another supervisor's save or upload of
the same id is refused, so nobody can replace or publish over someone else's scenario, and a
trainee's library never holds two scenarios under one id. Shipped ids are reserved as well.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from simulator.models.types import UTCDateTime, utcnow


class AuthoredScenario(SQLModel, table=True):
    """One scenario id written in the app, its owner, and which version trainees get.

    `published_version` is the version number trainees start on (None: a draft, seen only by
    its owner and admins). Who gets it: the cohorts in `scenario_audience`, or every trainee
    when `everyone` (admins only).
    """

    __tablename__ = "authored_scenario"

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: str = Field(max_length=100, unique=True, index=True)
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True,
                                 ondelete="SET NULL")
    published_version: int | None = Field(default=None)
    everyone: bool = Field(default=False)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScenarioVersion(SQLModel, table=True):
    """One save: the whole YAML text as typed, whether it was valid, who saved it and why."""

    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("authored_id", "number", name="uq_scenario_version"),)

    id: int | None = Field(default=None, primary_key=True)
    authored_id: int = Field(foreign_key="authored_scenario.id", index=True, ondelete="CASCADE")
    number: int
    source_text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64)
    valid: bool = Field(default=False)
    title: str = Field(default="", max_length=200)
    message: str = Field(default="", max_length=500)
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScenarioAudience(SQLModel, table=True):
    """A cohort whose trainees may start the published version of an authored scenario."""

    __tablename__ = "scenario_audience"

    authored_id: int = Field(foreign_key="authored_scenario.id", primary_key=True,
                             ondelete="CASCADE")
    cohort_id: int = Field(foreign_key="cohort.id", primary_key=True, index=True,
                           ondelete="CASCADE")
