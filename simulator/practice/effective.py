"""One truth for scores: a turn's scores as a trainee should see them, supervisor overrides in.

The engine's scores stay on the turn as they were (they decided where the conversation went).
Every page that shows a score to a person reads it through `EffectiveTurn`: the newest
supervisor review of a criterion replaces the engine's level, and the overall score is worked
out again from the effective criterion scores. A review names a level, not a number: the score
kept is the engine's when it already lies in that level, else the level's lower bound.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from simulator.courses.reviews import history_for
from simulator.models import Review, Turn
from simulator.rubric import Rubric

RubricOf = Rubric | Callable[[Turn], Rubric]


def _score_in(rubric: Rubric, criterion: str, level: int, engine_score: float) -> float | None:
    """The score a reviewed level stands for; None when the rubric has no such level."""
    levels = rubric.item(criterion).levels
    for i, step in enumerate(levels):
        if step.level != level:
            continue
        upper = levels[i + 1].min if i + 1 < len(levels) else float("inf")
        return engine_score if step.min <= engine_score < upper else step.min
    return None


@dataclass(frozen=True)
class EffectiveTurn:
    """A turn as shown to people: every attribute of the stored turn, with effective scores."""

    turn: Turn
    scores: dict[str, Any]
    overall: float
    reviews: dict[str, dict] = field(default_factory=dict)  # criterion -> the review note

    @property
    def reviewed(self) -> bool:
        return bool(self.reviews)

    @property
    def engine_scores(self) -> dict[str, Any]:
        """The engine's scores as stored (what branched)."""
        return self.turn.scores

    @property
    def engine_overall(self) -> float:
        return self.turn.overall

    def __getattr__(self, name: str):  # id, node_id, response_text, superseded, ...
        return getattr(self.turn, name)


def _newest(reviews: Iterable[Review]) -> dict[str, Review]:
    newest: dict[str, Review] = {}
    for review in reviews:  # oldest first: later rows win
        newest[review.criterion] = review
    return newest


def apply_reviews(turn: Turn, rubric: Rubric, reviews: Sequence[Review] = ()) -> EffectiveTurn:
    """The turn with its newest review per criterion applied (reviews oldest first)."""
    newest = {cid: r for cid, r in _newest(reviews).items()
              if cid in rubric.criterion_ids and cid in turn.scores.get("criteria", {})}
    if not newest:
        return EffectiveTurn(turn, turn.scores, turn.overall)
    scores = copy.deepcopy(turn.scores)
    notes: dict[str, dict] = {}
    for cid, review in newest.items():
        stored = scores["criteria"][cid]
        item = rubric.item(cid)
        placed = _score_in(rubric, cid, review.new_level, float(stored["score"]))
        if placed is None:  # a level the rubric no longer has: the engine's score stands
            continue
        level = item.level_for(placed)
        notes[cid] = {"level": level.level, "label": level.label, "comment": review.comment,
                      "engine_level": stored.get("level"), "engine_label": stored.get("label"),
                      "at": review.created_at}
        stored.update(score=placed, level=level.level, label=level.label,
                      feedback=level.feedback, review=notes[cid])
    if not notes:
        return EffectiveTurn(turn, turn.scores, turn.overall)
    overall = rubric.overall({cid: item["score"] for cid, item in scores["criteria"].items()},
                             {fid: item["score"] for fid, item in scores.get("flags", {}).items()},
                             scores.get("needs") or None)
    scores["overall"] = overall
    return EffectiveTurn(turn, scores, overall, notes)


def effective_turns(session: Session, turns: Sequence[Turn],
                    rubric_of: RubricOf) -> list[EffectiveTurn]:
    """The turns with their reviews applied; the reviews are loaded in one query."""
    history = history_for(session=session, turn_ids=[t.id for t in turns if t.id is not None])
    pick = rubric_of if callable(rubric_of) else (lambda _turn: rubric_of)
    return [apply_reviews(t, pick(t), history.get(t.id, ())) for t in turns]
