"""The difficulty ladder: which level a trainee is ready for, and which scenario to try next.

A level is *met* by a completed session at a scenario of that difficulty whose written answers
average at least the rubric's "Clear" threshold (their mean effective overall score; a
supervisor's review counts). Meeting a level also meets the ones below it. A trainee is
offered scenarios up to one level above the highest level met, so nobody is sent to level
N + 1 before level N is met: a beginner starts at level 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.rubric import Rubric
from simulator.scenarios.library import Library
from simulator.scenarios.model import ClientNode, Scenario

CLEAR = "clear"


@dataclass(frozen=True)
class Ladder:
    """Where a trainee stands: the highest level met (0: none yet) and the level open now."""

    met: int
    level: int
    top: int
    threshold: float

    @property
    def words(self) -> str:
        """The rule as it applies to this trainee, in plain words."""
        clear = f"{self.threshold:.2f} (Clear)"
        if self.level >= self.top:
            return (f"You have met level {self.met}, so every level up to {self.top} is open."
                    if self.met else "")
        opens = (f"Level {self.level + 1} opens when one of your level {self.level} sessions "
                 f"averages {clear} or more.")
        if self.met == 0:
            return f"You are on level 1 of {self.top}. {opens}"
        return (f"You have met level {self.met}, so level {self.level} of {self.top} is open. "
                f"{opens}")


@dataclass(frozen=True)
class Recommendation:
    scenario: Scenario
    criterion: str
    reason: str
    level: int = 1  # the highest difficulty the ladder allowed


def clear_threshold(rubric: Rubric) -> float:
    """The score at which the rubric calls a skill "Clear" (the strictest over its criteria);
    for a rubric without that label, the lower bound of each criterion's second-highest level."""
    found = [level.min for item in rubric.criteria for level in item.levels
             if level.label.strip().lower() == CLEAR]
    if not found:
        found = [item.levels[-2].min if len(item.levels) > 1 else item.levels[-1].min
                 for item in rubric.criteria]
    return max(found, default=0.0)


def climb(sessions: Iterable[tuple[int | None, float | None]], library: Library,
          rubric: Rubric) -> Ladder:
    """The ladder after these (difficulty, written score) sessions."""
    threshold = clear_threshold(rubric)
    top = max((s.difficulty for s in library.scenarios.values()), default=1)
    met = max((difficulty for difficulty, score in sessions
               if difficulty is not None and score is not None and score >= threshold),
              default=0)
    return Ladder(met=met, level=min(met + 1, top), top=top, threshold=threshold)


def emphasis(scenario: Scenario, criterion: str) -> int:
    """How many branch conditions in the scenario turn on this criterion."""
    return sum(
        1
        for node in scenario.nodes.values() if isinstance(node, ClientNode)
        for branch in node.branches for condition in branch.conditions
        if condition.measure == criterion
    )


def recommend(library: Library, criterion: str, played: set[str],
              ladder: Ladder) -> Recommendation | None:
    """A scenario at the level the ladder allows that leans on the weakest skill: the highest
    such level first, then one not yet played, then the one leaning on it most."""
    open_now = [s for s in library.scenarios.values() if s.difficulty <= ladder.level]
    if not open_now:
        return None
    best = max(open_now, key=lambda s: (emphasis(s, criterion) > 0, s.difficulty,
                                        s.id not in played, emphasis(s, criterion), s.id))
    name = best.rubric.item(criterion).name if criterion in best.rubric.criterion_ids else criterion
    if emphasis(best, criterion):
        why = f"{name} is your weakest skill so far, and this client responds to it."
    else:
        why = (f"{name} is your weakest skill so far; no client at your level turns on it, so "
               "this one keeps you practising at that level.")
    return Recommendation(best, criterion, f"{why} {ladder.words}", ladder.level)
