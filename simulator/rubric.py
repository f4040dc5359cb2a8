"""Rubric data (criteria and flags with their levels) and the overall-score rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_PENALTY = 0.2
# Overall = PRIMARY_SHARE x the best of the moves this moment needs + the rest x the best other
# criterion: doing the needed move well is what counts; listing moves adds little.
PRIMARY_SHARE = 0.75
# A flag at this score or more, with words to show, is shown as "some signs of..." even below
# its "present" level: never praised as absent.
SIGNS_MIN = 0.25


def overall_score(
    criteria: Mapping[str, float],
    flags: Mapping[str, float],
    *,
    needs: Sequence[str] | None = None,
    penalties: Mapping[str, float] | None = None,
) -> float:
    """The best needed criterion (75%) plus the best other one (25%), minus flag penalties."""
    penalties = penalties or {}
    if not criteria:
        return 0.0
    needed = [cid for cid in (needs or ()) if cid in criteria] or sorted(criteria)
    primary = max(needed, key=lambda cid: (criteria[cid], cid))
    support = max((score for cid, score in criteria.items() if cid != primary), default=0.0)
    positive = PRIMARY_SHARE * criteria[primary] + (1 - PRIMARY_SHARE) * support
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
    penalty: float = DEFAULT_PENALTY

    def shown(self, score: float, has_evidence: bool) -> Level | None:
        """How a score is shown to a person: its level, or for a flag between absent and
        present with words to point at, "Some signs" with the present level's advice (never the
        absent level's praise); None when a flag is absent (nothing to show)."""
        level = self.level_for(score)
        if self.kind != "flag" or level.level > 0:
            return level
        if score >= SIGNS_MIN and has_evidence and len(self.levels) > 1:
            return Level(0, SIGNS_MIN, f"Some signs of {self.name.lower()}",
                         self.levels[1].feedback)
        return None

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
    # rupture family -> the criteria its moments need when a client node names none
    needs: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

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

    def needs_for(self, family: str | None, named: Sequence[str] = ()) -> tuple[str, ...]:
        """The moves a moment needs: those its node names, else its family's default, else all."""
        return tuple(named) or tuple(self.needs.get(family or "", ())) or self.criterion_ids

    def overall(self, criteria: Mapping[str, float], flags: Mapping[str, float],
                needs: Sequence[str] | None = None) -> float:
        """The overall score for these criterion and flag scores and the moment's needs."""
        return overall_score(
            {cid: criteria.get(cid, 0.0) for cid in self.criterion_ids},
            {fid: flags.get(fid, 0.0) for fid in self.flag_ids},
            needs=needs or self.criterion_ids,
            penalties={item.id: item.penalty for item in self.flags},
        )
