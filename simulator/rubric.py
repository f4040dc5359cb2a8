"""Rubric data (criteria and flags with their levels) and the overall-score rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TOP_CRITERIA = 3
DEFAULT_WEIGHT = 1.0
DEFAULT_PENALTY = 0.2


def overall_score(
    criteria: Mapping[str, float],
    flags: Mapping[str, float],
    *,
    weights: Mapping[str, float] | None = None,
    penalties: Mapping[str, float] | None = None,
) -> float:
    """Weighted mean of the three best criterion scores minus flag penalties, in 0..1."""
    weights = weights or {}
    penalties = penalties or {}
    best = sorted(criteria.items(), key=lambda item: (-item[1], item[0]))[:TOP_CRITERIA]
    total_weight = sum(weights.get(cid, DEFAULT_WEIGHT) for cid, _ in best)
    positive = (
        sum(weights.get(cid, DEFAULT_WEIGHT) * score for cid, score in best) / total_weight
        if total_weight
        else 0.0
    )
    penalty = sum(penalties.get(fid, DEFAULT_PENALTY) * score for fid, score in flags.items())
    return round(min(1.0, max(0.0, positive - penalty)), 4)


@dataclass(frozen=True)
class Level:
    """One step of a rubric item's scale, reached when the score is at least `min`."""

    level: int
    min: float
    label: str
    feedback: str


@dataclass(frozen=True)
class RubricItem:
    """A criterion (a repair skill) or a flag (a move that deepens a rupture)."""

    id: str
    kind: str  # "criterion" | "flag"
    name: str
    description: str
    source: str
    levels: tuple[Level, ...]
    weight: float = DEFAULT_WEIGHT
    penalty: float = DEFAULT_PENALTY

    def level_for(self, score: float) -> Level:
        """The highest level whose minimum the score reaches."""
        reached = self.levels[0]
        for level in self.levels:
            if score >= level.min:
                reached = level
        return reached


@dataclass(frozen=True)
class Rubric:
    """A named set of criteria and flags, loaded from scenarios/rubrics/<id>.yaml."""

    id: str
    name: str
    description: str
    criteria: tuple[RubricItem, ...]
    flags: tuple[RubricItem, ...]

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.criteria)

    @property
    def flag_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.flags)

    def item(self, item_id: str) -> RubricItem:
        """The criterion or flag with this id (KeyError if none)."""
        for item in self.criteria + self.flags:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def overall(self, criteria: Mapping[str, float], flags: Mapping[str, float]) -> float:
        """The overall score for these criterion and flag scores, using this rubric's weights."""
        return overall_score(
            {cid: criteria.get(cid, 0.0) for cid in self.criterion_ids},
            {fid: flags.get(fid, 0.0) for fid in self.flag_ids},
            weights={item.id: item.weight for item in self.criteria},
            penalties={item.id: item.penalty for item in self.flags},
        )
