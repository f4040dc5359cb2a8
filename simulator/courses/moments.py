"""Moments typed by people (a `since` date): ISO 8601, read as UTC when no zone is given."""

from __future__ import annotations

from datetime import UTC, datetime

MAX_MOMENT_LENGTH = 64
EXAMPLES = "for example 2025-03-01 or 2025-03-01T09:30:00Z"
NOT_A_MOMENT = f"is not an ISO 8601 date or date-time ({EXAMPLES})"
OUT_OF_RANGE = f"falls outside the years 1 to 9999 in UTC ({EXAMPLES})"


class MomentError(ValueError):
    """Text that names no usable moment; the message completes "'<text>' ..." and says why."""


def utc_moment(text: str) -> datetime:
    """The moment `text` names, as an aware UTC datetime; MomentError when it names none."""
    value = text.strip()
    try:
        if len(value) > MAX_MOMENT_LENGTH:
            raise ValueError(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise MomentError(NOT_A_MOMENT) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first moment UTC can hold
        raise MomentError(OUT_OF_RANGE) from None


def shown(text: str, limit: int = 40) -> str:
    """Typed text quoted for a message, cut short when long."""
    value = text.strip()
    return repr(value if len(value) <= limit else value[:limit] + "…")
