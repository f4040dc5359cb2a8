"""How far the automated scorer agrees with supervisors: quadratic weighted kappa per criterion.

The statistics are pure functions of (engine level, supervisor level) pairs. The data function
only reads through the session it is given; nothing here imports Flask or commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from simulator.courses.visibility import seen_through, trainees_of
from simulator.models import Attempt, Review, Turn
from simulator.rubric import Rubric, RubricItem
from simulator.scoring.metrics import Pair, confusion_table, quadratic_weighted_kappa

__all__ = ["MIN_RATED_TURNS", "AgreementRow", "Pair", "agreement_by_criterion", "confusion_table",
           "quadratic_weighted_kappa"]


# Below this many rated turns on a criterion no kappa is shown. With fewer, one more rating can
# move kappa by 0.2 or more, so a number would look far surer than it is (and a single pair
# that disagrees gives exactly 0.00, which reads as "chance" rather than "too few to tell").
MIN_RATED_TURNS = 10


@dataclass(frozen=True)
class AgreementRow:
    """Agreement on one criterion: pairs counted, kappa (None if undefined), confusion table."""

    criterion: str
    n: int
    kappa: float | None
    table: list[list[int]]  # rows: engine level, columns: supervisor level (rubric order)
    levels: tuple[int, ...] = field(default=(), compare=False)  # the table's level order

    @property
    def enough(self) -> bool:
        """True when there are enough rated turns for kappa to mean something."""
        return self.n >= MIN_RATED_TURNS

    @property
    def needed(self) -> int:
        return MIN_RATED_TURNS

    def kappa_words(self) -> str:
        """Kappa to two places, or in words why there is no number to show."""
        if not self.enough:
            return f"Not enough rated turns yet ({self.n} of the {MIN_RATED_TURNS} needed)"
        if self.kappa is None:
            return f"undefined ({self.why_undefined()})"
        return f"{self.kappa:.2f}"

    def why_undefined(self) -> str:
        """Why kappa has no value here: one rater (or both) used a single level throughout."""
        engine = [lvl for lvl, row in zip(self.levels, self.table, strict=True) if sum(row)]
        rated = [lvl for j, lvl in enumerate(self.levels) if sum(row[j] for row in self.table)]
        if engine == rated and len(engine) == 1:
            return (f"the engine and supervisors put every rated turn at level {engine[0]}, "
                    "so there is no spread to compare")
        if len(engine) == 1:
            return (f"the engine put every rated turn at level {engine[0]}, so its agreement "
                    "cannot be told apart from chance")
        return (f"supervisors put every rated turn at level {rated[0]}, so agreement cannot "
                "be told apart from chance")


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
    kappa = quadratic_weighted_kappa(placed, levels)
    # When either rater used one level only, kappa is 0 by construction (or undefined), whatever
    # the agreement: it says nothing, so it is reported as undefined with the reason.
    if len({engine for engine, _ in placed}) < 2 or len({rated for _, rated in placed}) < 2:
        kappa = None
    return AgreementRow(item.id, len(placed), kappa, confusion_table(placed, levels),
                        tuple(levels))


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
