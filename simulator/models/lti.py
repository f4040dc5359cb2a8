"""LTI 1.3: the learning platforms registered with us, and what their launches mapped to.

A platform (an LMS such as Moodle or Canvas) is registered by an admin. A launch from it names
a person (`sub`), a course (`context`) and a placement (`resource link`): the person maps to
one of our accounts, the course to a cohort, and a placement made by Deep Linking to an
assignment. Grades for an assignment go back to the placement's line item through
LtiGradeSync rows, queued in the transaction that changed the score and sent after commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from simulator.models.types import UTCDateTime, utcnow

GRADE_SYNC_STATUSES = ("pending", "sent", "failed")


class LtiPlatform(SQLModel, table=True):
    """One registration of this tool in one LMS (issuer + client id), with its endpoints."""

    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_lti_platform_client"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=120)
    issuer: str = Field(max_length=500, index=True)
    client_id: str = Field(max_length=255)
    auth_url: str = Field(max_length=1000)  # OIDC authorization endpoint
    token_url: str = Field(max_length=1000)  # OAuth 2 token endpoint (AGS, NRPS)
    jwks_url: str = Field(max_length=1000)  # the platform's public keys
    deployment_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LtiIdentity(SQLModel, table=True):
    """Which of our accounts a platform's user (`sub`) is."""

    __tablename__ = "lti_identity"
    __table_args__ = (UniqueConstraint("platform_id", "subject", name="uq_lti_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="lti_platform.id", index=True, ondelete="CASCADE")
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LtiContext(SQLModel, table=True):
    """A platform's course, the cohort it maps to, and its service endpoints as last launched."""

    __tablename__ = "lti_context"
    __table_args__ = (UniqueConstraint("platform_id", "context_id", name="uq_lti_context"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="lti_platform.id", index=True, ondelete="CASCADE")
    context_id: str = Field(max_length=255)
    title: str = Field(default="", max_length=255)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    deployment_id: str = Field(default="", max_length=255)
    memberships_url: str | None = Field(default=None, max_length=1000)  # NRPS
    lineitems_url: str | None = Field(default=None, max_length=1000)  # AGS
    roster_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LtiLink(SQLModel, table=True):
    """A placement in a course: the assignment it launches and the line item grades go to.

    Made when an instructor's Deep Linking choice is first launched (the link's custom
    parameters name the assignment); `lineitem_url` comes from the launch's AGS claim.
    """

    __tablename__ = "lti_link"
    __table_args__ = (UniqueConstraint("platform_id", "resource_link_id", name="uq_lti_link"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="lti_platform.id", index=True, ondelete="CASCADE")
    resource_link_id: str = Field(max_length=255)
    context_id: int = Field(foreign_key="lti_context.id", index=True, ondelete="CASCADE")
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True,
                                      ondelete="SET NULL")
    lineitem_url: str | None = Field(default=None, max_length=1000)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LtiGradeSync(SQLModel, table=True):
    """The score owed to one line item for one person, and whether the LMS has it.

    One row per (link, user): a newer score replaces the owed one and sets the row pending
    again. `score` is 0..1 (the effective score, supervisors' reviews applied).
    """

    __tablename__ = "lti_grade_sync"
    __table_args__ = (
        UniqueConstraint("link_id", "user_id", name="uq_lti_grade_sync"),
        CheckConstraint(f"status IN {GRADE_SYNC_STATUSES}", name="ck_lti_grade_sync_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="lti_link.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    attempt_id: str | None = Field(default=None, foreign_key="attempt.id", max_length=32,
                                   ondelete="SET NULL")
    score: float = 0.0
    status: str = Field(default="pending", max_length=20)
    tries: int = 0
    next_try_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
