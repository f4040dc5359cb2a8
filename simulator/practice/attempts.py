"""Starting, finding and listing attempts."""

from __future__ import annotations

from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from simulator.engine import AllianceState
from simulator.models import Assignment, Attempt, Turn, utcnow
from simulator.practice.events import PracticeEvent, emit
from simulator.practice.snapshots import pin_snapshot
from simulator.scenarios.model import ClientNode, Scenario

# Built once: every play page and every turn runs these (building a query costs as much as
# running it on SQLite).
_ATTEMPT_BY_ID = select(Attempt).where(Attempt.id == bindparam("attempt_id"))
_ALL_TURNS = (select(Turn).where(Turn.attempt_id == bindparam("attempt_id"))
              .order_by(col(Turn.index)))
_LIVE_TURNS = _ALL_TURNS.where(col(Turn.superseded).is_(False))
_TURN_ROWS = (select(Turn.__table__).where(Turn.__table__.c.attempt_id == bindparam("attempt_id"))
              .order_by(Turn.__table__.c.index))


class AttemptsUsedUp(Exception):
    """Every attempt an assignment allows has been started."""


def start_attempt(
    *, session: Session, trainee_id: int, scenario: Scenario, mode: str = "practice",
    assignment_id: int | None = None, assignment_slot: int | None = None,
    at_node: str | None = None, state: AllianceState | None = None,
) -> Attempt:
    """Create an attempt pinned to this version of the scenario (not committed).

    `at_node` starts it at one of the scenario's moments instead of its start, with the
    alliance `state` the trainee had there (the scenario's starting state when None).
    """
    if at_node is not None and not isinstance(scenario.nodes.get(at_node), ClientNode):
        raise ValueError(f"{scenario.id} has no moment {at_node!r} to start at")
    begin = state or AllianceState.initial(scenario)
    pin_snapshot(session=session, scenario=scenario)
    attempt = Attempt(
        trainee_id=trainee_id, scenario_id=scenario.id, scenario_hash=scenario.content_hash,
        assignment_id=assignment_id, assignment_slot=assignment_slot, mode=mode,
        current_node=at_node or scenario.start, salience=begin.salience,
        direction=begin.direction, started_at=utcnow(),
    )
    if at_node is not None:
        attempt.start_node = at_node
        attempt.start_salience, attempt.start_direction = begin.salience, begin.direction
    session.add(attempt)
    emit(session, PracticeEvent("launched", attempt.id))
    return attempt


def starting_state(attempt: Attempt, scenario: Scenario) -> AllianceState:
    """The alliance when the attempt began: where a moment was practised again from, else the
    scenario's own starting state."""
    if attempt.start_salience is None:
        return AllianceState.initial(scenario)
    return AllianceState(attempt.start_salience,
                         attempt.start_direction or scenario.alliance.direction)


def state_before(*, session: Session, turn: Turn, attempt: Attempt,
                 scenario: Scenario) -> AllianceState:
    """The alliance just before this turn was answered: the state the live turn before it
    left, or the attempt's starting state for its first."""
    previous = session.exec(
        select(Turn).where(Turn.attempt_id == turn.attempt_id, col(Turn.superseded).is_(False),
                           col(Turn.index) < turn.index)
        .order_by(col(Turn.index).desc()).limit(1)
    ).first()
    if previous is None:
        return starting_state(attempt, scenario)
    return AllianceState(previous.salience, previous.direction)


def start_from_turn(*, session: Session, turn: Turn, attempt: Attempt,
                    scenario: Scenario) -> Attempt:
    """A new practice attempt at the moment this turn answered, with the alliance as it stood
    then (not committed). `scenario` is the version `attempt` was pinned to."""
    state = state_before(session=session, turn=turn, attempt=attempt, scenario=scenario)
    return start_attempt(session=session, trainee_id=attempt.trainee_id, scenario=scenario,
                         mode="practice", at_node=turn.node_id, state=state)


def start_assigned_attempt(*, session: Session, trainee_id: int, scenario: Scenario,
                           assignment: Assignment) -> Attempt:
    """Take the assignment's next free slot, flushed; AttemptsUsedUp when none is left.

    The slot's unique index decides between parallel starts: the loser's insert fails, its
    transaction is rolled back, and it looks again (another slot may still be free).
    """
    allowed, assignment_id, mode = (assignment.attempts_allowed, assignment.id,
                                    assignment.mode)
    for _ in range(allowed):
        taken = session.exec(select(func.max(Attempt.assignment_slot)).where(
            Attempt.assignment_id == assignment_id, Attempt.trainee_id == trainee_id)).one()
        slot = (taken or 0) + 1
        if slot > allowed:
            break
        attempt = start_attempt(session=session, trainee_id=trainee_id, scenario=scenario,
                                mode=mode, assignment_id=assignment_id, assignment_slot=slot)
        try:
            session.flush()
        except IntegrityError:  # a parallel start took this slot a moment ago
            session.rollback()
            continue
        return attempt
    if allowed == 1:
        raise AttemptsUsedUp("This assignment allows one attempt, and it has been started.")
    raise AttemptsUsedUp(f"This assignment allows {allowed} attempts, and all {allowed} have "
                         "been started.")


def find_own_attempt(*, session: Session, attempt_id: str, trainee_id: int) -> Attempt | None:
    """The attempt if it belongs to this trainee; None for unknown and other people's alike."""
    attempt = session.exec(_ATTEMPT_BY_ID, params={"attempt_id": attempt_id}).first()
    if attempt is None or attempt.trainee_id != trainee_id:
        return None
    return attempt


def turns_of(*, session: Session, attempt_id: str, include_superseded: bool = False) -> list[Turn]:
    """The attempt's turns in order; rewound ones only when asked."""
    query = _ALL_TURNS if include_superseded else _LIVE_TURNS
    return list(session.exec(query, params={"attempt_id": attempt_id}).all())


def turn_rows(*, session: Session, attempt_id: str) -> list:
    """Every turn of the attempt, rewound ones included, in order, as read-only rows.

    Rows read like Turn objects (`row.index`, `row.scores`) at a fraction of the ORM's cost;
    the play page, rendered after every answer, needs nothing more.
    """
    return list(session.connection().execute(_TURN_ROWS, {"attempt_id": attempt_id}).all())


def attempts_of(*, session: Session, trainee_id: int, limit: int | None = None) -> list[Attempt]:
    """The trainee's attempts, newest first."""
    query = (select(Attempt).where(Attempt.trainee_id == trainee_id)
             .order_by(col(Attempt.started_at).desc()))
    if limit:
        query = query.limit(limit)
    return list(session.exec(query).all())
