"""Failed password checks per key, counted where every worker and server sees them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class FailureCount(SQLModel, table=True):
    """Password checks let through for one key (an account or an address) in a fixed window.

    The key is a keyed hash, never the email or address itself. Times are whole seconds since
    the epoch: the window arithmetic is the same integer sum on every database.
    """

    __tablename__ = "failure_count"

    key: str = Field(primary_key=True, max_length=100)
    window_start: int = Field(sa_column=Column(BigInteger, nullable=False))
    failures: int = 0
    expires_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
