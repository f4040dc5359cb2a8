"""Supervisor overrides of machine scores: versioned, effective newest-first, and the queue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func
from sqlalchemy.orm import load_only
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select

from simulator.models import Attempt, Review, Turn, utcnow
from simulator.practice.events import PracticeEvent, emit
from simulator.rubric import Rubric

LOW_CONFIDENCE = 0.6
TraineeIds = list[int] | Select  # ids, or a SELECT of them that the database runs itself
AttemptsWhere = ColumnElement[bool]  # a condition on Attempt (e.g. "a supervisor may see it")


class ReviewError(ValueError):
    """An override that cannot be recorded; the message says why."""


def history_for(*, session: Session, turn_ids: Iterable[int]) -> dict[int, list[Review]]:
    """Every review of these turns, oldest first, grouped by turn (one query)."""
    ids = list(turn_ids)
    grouped: dict[int, list[Review]] = defaultdict(list)
    if not ids:
        return grouped
    rows = session.exec(select(Review).where(col(Review.turn_id).in_(ids))
                        .order_by(col(Review.created_at), col(Review.id))).all()
    for review in rows:
        grouped[review.turn_id].append(review)
    return grouped


def effective_level(turn: Turn, criterion: str, reviews: list[Review]) -> int | None:
    """The supervisor's newest level for the criterion, else the engine's."""
    for review in reversed(reviews):
        if review.criterion == criterion:
            return review.new_level
    item = turn.scores.get("criteria", {}).get(criterion)
    return item["level"] if item else None


def add_override(
    *, session: Session, turn: Turn, rubric: Rubric, criterion: str, new_level: int,
    comment: str, reviewer_id: int, blind: bool = False,
) -> Review:
    """Record a new version of the criterion's level on this turn (not committed)."""
    if criterion not in rubric.criterion_ids:
        raise ReviewError(f"Unknown criterion '{criterion}'.")
    judged = (turn.scores or {}).get("criteria")
    if judged and criterion not in judged:
        raise ReviewError(f"{rubric.item(criterion).name} was not judged at this moment (safety "
                          "is judged only where the client gives a risk cue).")
    levels = [level.level for level in rubric.item(criterion).levels]
    if new_level not in levels:
        raise ReviewError(f"Level {new_level} is not on the scale ({levels[0]}–{levels[-1]}).")
    if len(comment) > 2000:
        raise ReviewError("Comments are limited to 2,000 characters.")
    previous = history_for(session=session, turn_ids=[turn.id])[turn.id]
    review = Review(
        turn_id=turn.id, criterion=criterion, new_level=new_level, comment=comment.strip(),
        old_level=effective_level(turn, criterion, previous), reviewer_id=reviewer_id,
        blind=blind, created_at=utcnow(),
    )
    session.add(review)
    emit(session, PracticeEvent("reviewed", turn.attempt_id, turn_id=turn.id, review=review))
    return review


def _within(trainee_ids: TraineeIds | None, attempts_where: AttemptsWhere | None):
    """The attempts a queue covers: some trainees', or those meeting a condition (one of them)."""
    if (trainee_ids is None) == (attempts_where is None):
        raise TypeError("give trainee_ids or attempts_where")
    if attempts_where is not None:
        return attempts_where
    return col(Attempt.trainee_id).in_(trainee_ids)


def _unreviewed_unsure(query, within, threshold: float):
    """`query` over turns joined to attempts, kept to the queue's turns."""
    # superseded and response_text are tested exactly as ix_turn_review_queue's condition is:
    # SQLite uses a partial index only for a query that repeats its condition word for word.
    reviewed = select(Review.turn_id)
    return (query.join(Attempt, col(Attempt.id) == col(Turn.attempt_id))
            .where(within, col(Turn.superseded).is_(False),
                   col(Turn.response_text).is_not(None), col(Turn.confidence) < threshold,
                   col(Turn.id).not_in(reviewed)))


# The queue shows these and nothing else; loading `scores` would decode a large JSON document
# per row. Reading any other column raises instead of quietly issuing a query per row.
_QUEUE_COLUMNS = (load_only(Turn.id, Turn.attempt_id, Turn.response_text, Turn.confidence,
                            Turn.created_at, raiseload=True),
                  load_only(Attempt.id, Attempt.trainee_id, Attempt.scenario_id, raiseload=True))


def review_queue(*, session: Session, trainee_ids: TraineeIds | None = None,
                 attempts_where: AttemptsWhere | None = None, limit: int = 50,
                 threshold: float = LOW_CONFIDENCE) -> list[tuple[Turn, Attempt]]:
    """Unreviewed free-text turns the engine was unsure about, oldest first (one query).

    The queue covers `trainee_ids` (a list or a SELECT) or the attempts meeting
    `attempts_where`. Only the columns the queue shows are loaded (turn id, attempt, response,
    confidence and time; attempt id, trainee, scenario).
    """
    # Sort and cut only ids, which the index holds; then load the few rows that made the cut.
    within = _within(trainee_ids, attempts_where)
    oldest = (_unreviewed_unsure(select(Turn.id), within, threshold)
              .order_by(col(Turn.created_at), col(Turn.id)).limit(limit))
    query = (select(Turn, Attempt).join(Attempt, col(Attempt.id) == col(Turn.attempt_id))
             .where(col(Turn.id).in_(oldest)).order_by(col(Turn.created_at), col(Turn.id))
             .options(*_QUEUE_COLUMNS))
    return [(turn, attempt) for turn, attempt in session.exec(query)]


def review_queue_length(*, session: Session, trainee_ids: TraineeIds | None = None,
                        attempts_where: AttemptsWhere | None = None, cap: int = 200,
                        threshold: float = LOW_CONFIDENCE) -> int:
    """How many turns wait in the queue, counted up to `cap` (no turn is loaded)."""
    within = _within(trainee_ids, attempts_where)
    waiting = _unreviewed_unsure(select(Turn.id), within, threshold).limit(cap).subquery()
    return session.exec(select(func.count()).select_from(waiting)).one()
