"""How far the automated scorer agrees with supervisors: quadratic weighted kappa per criterion.

The statistics are pure functions of (engine level, supervisor level) pairs. The data function
only reads through the session it is given; nothing here imports Flask or commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from simulator.courses.visibility import seen_through, trainees_of
from simulator.models import Attempt, Review, Turn
from simulator.rubric import Rubric, RubricItem
from simulator.scoring.metrics import Pair, confusion_table, quadratic_weighted_kappa

__all__ = ["AgreementRow", "Pair", "agreement_by_criterion", "confusion_table",
           "quadratic_weighted_kappa"]


@dataclass(frozen=True)
class AgreementRow:
    """Agreement on one criterion: pairs counted, kappa (None if undefined), confusion table."""

    criterion: str
    n: int
    kappa: float | None
    table: list[list[int]]  # rows: engine level, columns: supervisor level (rubric order)


def agreement_by_criterion(
    *, session: Session, rubric: Rubric, cohort_id: int | None = None, blind_only: bool = False,
) -> list[AgreementRow]:
    """One row per rubric criterion pairing the engine's level with the newest supervisor level.

    Only live free-text turns count: choice turns carry authored scores, not the scorer's.
    `cohort_id` keeps turns of the work seen through that cohort (simulator.courses.visibility);
    `blind_only` keeps ratings made without seeing the engine's score, which are free of
    anchoring. Two queries whatever the size.
    """
    supervisor_levels = _newest_levels(session, rubric, cohort_id, blind_only)
    turns = _live_free_turns(session, {turn_id for turn_id, _ in supervisor_levels})
    pairs: dict[str, list[Pair]] = defaultdict(list)
    for (turn_id, criterion), supervisor in supervisor_levels.items():
        turn = turns.get(turn_id)
        if turn is not None:
            pairs[criterion].append((engine_level(turn, rubric.item(criterion)), supervisor))
    return [_row(item, pairs[item.id]) for item in rubric.criteria]


def engine_level(turn: Turn, item: RubricItem) -> int:
    """The level the scorer gave this turn on this criterion (derived from the score if absent)."""
    scored = turn.scores.get("criteria", {}).get(item.id, {})
    if "level" in scored:
        return int(scored["level"])
    return item.level_for(float(scored.get("score", 0.0))).level


def _row(item: RubricItem, pairs: list[Pair]) -> AgreementRow:
    levels = [level.level for level in item.levels]
    known = set(levels)
    # A rubric edited after the rating may have dropped a level; such pairs cannot be placed.
    placed = [pair for pair in pairs if pair[0] in known and pair[1] in known]
    return AgreementRow(item.id, len(placed), quadratic_weighted_kappa(placed, levels),
                        confusion_table(placed, levels))


def _newest_levels(session: Session, rubric: Rubric, cohort_id: int | None,
                   blind_only: bool) -> dict[tuple[int, str], int]:
    query = select(Review).where(col(Review.criterion).in_(rubric.criterion_ids))
    if blind_only:
        query = query.where(col(Review.blind).is_(True))
    if cohort_id is not None:
        query = (query.join(Turn, col(Turn.id) == Review.turn_id)
                 .join(Attempt, col(Attempt.id) == Turn.attempt_id)
                 .where(col(Attempt.trainee_id).in_(trainees_of([cohort_id])),
                        seen_through([cohort_id])))
    newest: dict[tuple[int, str], int] = {}
    for review in session.exec(query.order_by(col(Review.created_at), col(Review.id))):
        newest[(review.turn_id, review.criterion)] = review.new_level  # later rows win
    return newest


def _live_free_turns(session: Session, turn_ids: set[int]) -> dict[int, Turn]:
    if not turn_ids:
        return {}
    turns = session.exec(select(Turn).where(
        col(Turn.id).in_(turn_ids), col(Turn.superseded).is_(False))).all()
    return {turn.id: turn for turn in turns if turn.scores.get("kind") == "free"}
