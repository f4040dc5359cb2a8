"""Submitting and rewinding turns. One turn per index: a replay or a second tab cannot fork."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from simulator.engine import AllianceState, advance
from simulator.models import Attempt, Turn, utcnow
from simulator.practice.answers import Answer, check_answer, score_answer, score_notice_answer
from simulator.scenarios.model import ClientNode, Ending, Scenario


class AttemptMovedOn(RuntimeError):
    """The form was for an earlier turn: another tab or a replay already answered it."""


class AttemptClosed(RuntimeError):
    """The attempt has ended; nothing more can be answered."""


def next_index(*, session: Session, attempt_id: str) -> int:
    """The index the next turn will take (counting rewound turns, which are kept)."""
    highest = session.exec(
        select(func.max(Turn.index)).where(Turn.attempt_id == attempt_id)
    ).one()
    return 0 if highest is None else highest + 1


def submit_turn(
    *, session: Session, attempt: Attempt, scenario: Scenario, expected_index: int,
    answer: Answer,
) -> Turn:
    """Score the answer, store the turn and move the attempt on, in one transaction."""
    if attempt.status != "in_progress":
        raise AttemptClosed("This attempt has finished.")
    if expected_index != next_index(session=session, attempt_id=attempt.id):
        raise AttemptMovedOn("This attempt moved on since this page was loaded.")
    node = scenario.node(attempt.current_node)
    assert isinstance(node, ClientNode)
    check_answer(node, answer)
    scored = score_answer(scenario, node, answer)
    state = AllianceState(attempt.salience, attempt.direction)
    step = advance(scenario, node.id, scored.measures, state, choice_index=_choice(node, answer))
    turn = Turn(
        attempt_id=attempt.id, index=expected_index, node_id=node.id, client_line=node.say,
        response_text=(answer.response or "").strip() or None, choice_index=_choice(node, answer),
        notice=score_notice_answer(node, answer), scores=scored.stored,
        overall=scored.measures["overall"], confidence=scored.stored.get("confidence", 1.0),
        next_node=step.next_node, salience=step.alliance.salience,
        direction=step.alliance.direction, created_at=utcnow(),
    )
    _move_attempt(attempt, scenario, step.next_node, step.alliance)
    session.add(turn)
    session.add(attempt)
    _commit_once(session)
    return turn


def _choice(node: ClientNode, answer: Answer) -> int | None:
    return answer.choice if node.respond in ("choice", "both") else None


def _move_attempt(attempt: Attempt, scenario: Scenario, node_id: str,
                  alliance: AllianceState) -> None:
    attempt.current_node = node_id
    attempt.salience, attempt.direction = alliance.salience, alliance.direction
    node = scenario.node(node_id)
    if isinstance(node, Ending):
        attempt.status, attempt.outcome, attempt.finished_at = "completed", node.outcome, utcnow()


def _commit_once(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:  # the (attempt, index) pair was taken a moment ago
        session.rollback()
        raise AttemptMovedOn("This attempt moved on since this page was loaded.") from None


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
    last.superseded = True
    attempt.current_node = last.node_id
    attempt.salience = before.salience if before else scenario.alliance.salience
    attempt.direction = before.direction if before else scenario.alliance.direction
    attempt.status, attempt.outcome, attempt.finished_at = "in_progress", None, None
    session.add_all([last, attempt])
    session.commit()
    return last
