"""The audit trail: who did what. Details must never contain response text or passwords."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from simulator.models import AuditEvent


def record(
    session: Session, *, actor_id: int | None, action: str, object_type: str = "",
    object_id: str = "", **detail: Any,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits it with the change it records)."""
    event = AuditEvent(
        actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
        detail=detail,
    )
    session.add(event)
    return event
