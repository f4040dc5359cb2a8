"""Users, cohorts (course sections) and who belongs to which."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from simulator.models.types import UTCDateTime, utcnow

ROLES = ("trainee", "supervisor", "admin")
COHORT_ROLES = ("trainee", "supervisor")


def new_session_token() -> str:
    """A fresh token; changing it signs the user out of every browser."""
    return secrets.token_urlsafe(24)


class UserBase(SQLModel):
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=120)
    role: str = Field(default="trainee", max_length=20)
    active: bool = True


class User(UserBase, table=True):
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="ck_user_role"),)

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str | None = Field(default=None, max_length=255)
    session_token: str = Field(default_factory=new_session_token, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Cohort(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True, index=True)
    description: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_member"
    __table_args__ = (CheckConstraint(f"role IN {COHORT_ROLES}", name="ck_member_role"),)

    cohort_id: int = Field(foreign_key="cohort.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True, ondelete="CASCADE")
    role: str = Field(default="trainee", max_length=20)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SetPasswordToken(SQLModel, table=True):
    """A one-time link to set a password. Only a hash of the token is stored."""

    __tablename__ = "set_password_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
