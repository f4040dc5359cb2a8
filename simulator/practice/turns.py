"""Submitting and rewinding turns. One turn per index: a replay or a second tab cannot fork."""

from __future__ import annotations

from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from simulator.engine import AllianceState, advance
from simulator.models import Attempt, Turn, utcnow
from simulator.practice.answers import (
    Answer,
    check_answer,
    counted,
    score_answer,
    score_notice_answer,
)
from simulator.practice.attempts import starting_state
from simulator.practice.choice_order import shown_record
from simulator.practice.events import PracticeEvent, emit
from simulator.scenarios.model import ClientNode, Ending, Scenario

MOVED_ON = "This attempt moved on since this page was loaded."
# Turn submission is the busiest write: its statements are built once, as plain SQL on the
# session's connection (same transaction), which costs a fraction of the ORM's unit of work.
_TURNS, _ATTEMPTS = Turn.__table__, Attempt.__table__
_NEXT_INDEX = select(func.max(_TURNS.c.index)).where(_TURNS.c.attempt_id == bindparam("a_id"))
_INSERT_TURN = _TURNS.insert().returning(_TURNS.c.id)
# The SET clause comes from the other parameters' names (columns of `attempt`).
# The trainee's live answers at other moments of this attempt (a repeat earns credit once).
_EARLIER = select(_TURNS.c.response_text).where(
    _TURNS.c.attempt_id == bindparam("a_id"), _TURNS.c.superseded.is_(False),
    _TURNS.c.node_id != bindparam("a_node"), _TURNS.c.response_text.is_not(None),
).order_by(_TURNS.c.index)
_MOVE_ATTEMPT = _ATTEMPTS.update().where(_ATTEMPTS.c.id == bindparam("a_id"),
                                         _ATTEMPTS.c.current_node == bindparam("a_node"),
                                         _ATTEMPTS.c.status == bindparam("a_status"))


class AttemptMovedOn(RuntimeError):
    """The form was for an earlier turn: another tab or a replay already answered it."""


class AttemptClosed(RuntimeError):
    """The attempt has ended; nothing more can be answered."""


def next_index(*, session: Session, attempt_id: str) -> int:
    """The index the next turn will take (counting rewound turns, which are kept)."""
    highest = session.connection().execute(_NEXT_INDEX, {"a_id": attempt_id}).scalar()
    return 0 if highest is None else highest + 1


def submit_turn(
    *, session: Session, attempt: Attempt, scenario: Scenario, expected_index: int,
    answer: Answer, expected_node: str | None = None,
) -> int:
    """Score the answer, store the turn and move the attempt on, in one transaction; the
    stored turn's id.

    `expected_node` is the moment the form was shown for; a tab loaded before a rewind
    carries the old one and is refused rather than answering a different moment.
    """
    if attempt.status != "in_progress":
        raise AttemptClosed("This attempt has finished.")
    stale = expected_node not in (None, attempt.current_node)
    if stale or expected_index != next_index(session=session, attempt_id=attempt.id):
        raise AttemptMovedOn(MOVED_ON)
    node = scenario.node(attempt.current_node)
    assert isinstance(node, ClientNode)
    check_answer(node, answer)
    answer = counted(node, answer)  # only the mode the trainee answered in is scored and stored
    scored = score_answer(scenario, node, answer, _earlier_answers(session, attempt, node.id))
    state = AllianceState(attempt.salience, attempt.direction)
    step = advance(scenario, node.id, scored.measures, state, choice_index=answer.choice)
    row = {  # every column of a turn but its id, which the database assigns
        "attempt_id": attempt.id, "index": expected_index, "node_id": node.id,
        "client_line": node.say, "response_text": (answer.response or "").strip() or None,
        "choice_index": answer.choice, "notice": score_notice_answer(node, answer),
        "scores": {**scored.stored, **shown_record(attempt.id, node, answer.choice)},
        "overall": scored.measures["overall"],
        "confidence": scored.stored.get("confidence", 1.0), "next_node": step.next_node,
        "salience": step.alliance.salience, "direction": step.alliance.direction,
        "superseded": False, "created_at": utcnow(),
    }
    turn_id = _store(session, row)
    _move_from(session, attempt, node.id, **_moved(scenario, step.next_node, step.alliance))
    emit(session, PracticeEvent("responded", attempt.id, turn_id=turn_id))
    if attempt.status == "completed":
        emit(session, PracticeEvent("completed", attempt.id, turn_id=turn_id))
    _commit_once(session)
    return turn_id


def _earlier_answers(session: Session, attempt: Attempt, node_id: str) -> list[str]:
    rows = session.connection().execute(_EARLIER, {"a_id": attempt.id, "a_node": node_id})
    return [text for (text,) in rows]


def _moved(scenario: Scenario, node_id: str, alliance: AllianceState) -> dict:
    values = {"current_node": node_id, "salience": alliance.salience,
              "direction": alliance.direction}
    node = scenario.node(node_id)
    if isinstance(node, Ending):
        values.update(status="completed", outcome=node.outcome, finished_at=utcnow())
    return values


def _move_from(session: Session, attempt: Attempt, node_id: str, **values) -> None:
    """Move the attempt only if it is still at `node_id`, as this request found it.

    Two tabs can load the attempt at the same moment; the (attempt, index) key stops two
    answers, and this compare-and-set stops an answer and a rewind from both landing.
    """
    moved = session.connection().execute(_MOVE_ATTEMPT, {
        "a_id": attempt.id, "a_node": node_id, "a_status": attempt.status, **values})
    if moved.rowcount != 1:
        session.rollback()
        raise AttemptMovedOn(MOVED_ON)
    for name, value in values.items():
        set_committed_value(attempt, name, value)


def _store(session: Session, row: dict) -> int:
    try:
        return session.connection().execute(_INSERT_TURN, row).scalar_one()
    except IntegrityError:  # the (attempt, index) pair was taken a moment ago
        session.rollback()
        raise AttemptMovedOn(MOVED_ON) from None


def _commit_once(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:  # the (attempt, index) pair was taken a moment ago
        session.rollback()
        raise AttemptMovedOn(MOVED_ON) from None


def rewind(*, session: Session, attempt: Attempt, scenario: Scenario) -> Turn:
    """Set the last answered moment aside (kept for comparison) and return to it."""
    if attempt.mode != "practice":
        raise AttemptClosed("Rewinding is only available in practice mode.")
    live = session.exec(
        select(Turn).where(Turn.attempt_id == attempt.id, col(Turn.superseded).is_(False))
        .order_by(col(Turn.index).desc())
    ).all()
    if not live:
        raise AttemptClosed("There is no answered moment to go back to yet.")
    last, before = live[0], (live[1] if len(live) > 1 else None)
    begin = starting_state(attempt, scenario)  # where an attempt from a moment began
    last.superseded = True
    session.add(last)
    try:
        _move_from(session, attempt, attempt.current_node, current_node=last.node_id,
                   salience=(before or begin).salience, direction=(before or begin).direction,
                   status="in_progress", outcome=None, finished_at=None)
    except AttemptMovedOn:  # an answer from another tab landed first
        raise AttemptClosed(f"{MOVED_ON} Nothing was rewound.") from None
    emit(session, PracticeEvent("rewound", attempt.id, turn_id=last.id))
    session.commit()
    return last
