"""Starting, finding and listing attempts."""

from __future__ import annotations

from sqlmodel import Session, col, select

from simulator.models import Attempt, Turn, utcnow
from simulator.practice.snapshots import pin_snapshot
from simulator.scenarios.model import Scenario


def start_attempt(
    *, session: Session, trainee_id: int, scenario: Scenario, mode: str = "practice",
    assignment_id: int | None = None,
) -> Attempt:
    """Create an attempt pinned to this version of the scenario (not committed)."""
    pin_snapshot(session=session, scenario=scenario)
    attempt = Attempt(
        trainee_id=trainee_id, scenario_id=scenario.id, scenario_hash=scenario.content_hash,
        assignment_id=assignment_id, mode=mode, current_node=scenario.start,
        salience=scenario.alliance.salience, direction=scenario.alliance.direction,
        started_at=utcnow(),
    )
    session.add(attempt)
    return attempt


def find_own_attempt(*, session: Session, attempt_id: str, trainee_id: int) -> Attempt | None:
    """The attempt if it belongs to this trainee; None for unknown and other people's alike."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.trainee_id != trainee_id:
        return None
    return attempt


def turns_of(*, session: Session, attempt_id: str, include_superseded: bool = False) -> list[Turn]:
    """The attempt's turns in order; rewound ones only when asked."""
    query = select(Turn).where(Turn.attempt_id == attempt_id)
    if not include_superseded:
        query = query.where(col(Turn.superseded).is_(False))
    return list(session.exec(query.order_by(col(Turn.index))).all())


def attempts_of(*, session: Session, trainee_id: int, limit: int | None = None) -> list[Attempt]:
    """The trainee's attempts, newest first."""
    query = (select(Attempt).where(Attempt.trainee_id == trainee_id)
             .order_by(col(Attempt.started_at).desc()))
    if limit:
        query = query.limit(limit)
    return list(session.exec(query).all())
