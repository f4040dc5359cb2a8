"""A trainee's progress: each criterion across attempts, strongest and weakest, what next."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from simulator.models import Attempt, Turn
from simulator.scenarios.library import Library
from simulator.scenarios.model import ClientNode, Scenario

RECENT_ATTEMPTS = 20


@dataclass(frozen=True)
class Trend:
    criterion: str
    name: str
    points: tuple[float, ...]  # mean score per attempt, oldest first
    mean: float


@dataclass(frozen=True)
class Recommendation:
    scenario: Scenario
    criterion: str
    reason: str


@dataclass(frozen=True)
class Progress:
    attempts: tuple[Attempt, ...]
    trends: tuple[Trend, ...]
    strongest: Trend | None
    weakest: Trend | None
    recommendation: Recommendation | None


def criterion_means(turns: list[Turn]) -> dict[str, float]:
    """Mean score per criterion over the free-text turns given."""
    sums: dict[str, list[float]] = defaultdict(list)
    for turn in turns:
        if turn.scores.get("kind") != "free":
            continue
        for cid, item in turn.scores.get("criteria", {}).items():
            sums[cid].append(item["score"])
    return {cid: round(sum(v) / len(v), 4) for cid, v in sums.items()}


SCORED_KINDS = ("free", "choice")


def attempt_score(turns: list[Turn]) -> float | None:
    """An attempt's score: the mean overall of its live free-text and choice turns."""
    scored = [t.overall for t in turns
              if not t.superseded and t.scores.get("kind") in SCORED_KINDS]
    return round(sum(scored) / len(scored), 4) if scored else None


def progress_for(*, session: Session, trainee_id: int, library: Library) -> Progress:
    """Trends over the trainee's recent completed attempts (two queries, whatever the size)."""
    attempts = list(session.exec(
        select(Attempt).where(Attempt.trainee_id == trainee_id, Attempt.status == "completed")
        .order_by(col(Attempt.finished_at).desc()).limit(RECENT_ATTEMPTS)
    ).all())[::-1]
    turns = session.exec(select(Turn).where(
        col(Turn.attempt_id).in_([a.id for a in attempts]), col(Turn.superseded).is_(False)
    )).all() if attempts else []
    by_attempt: dict[str, list[Turn]] = defaultdict(list)
    for turn in turns:
        by_attempt[turn.attempt_id].append(turn)
    scored = [(a, criterion_means(by_attempt[a.id])) for a in attempts]
    scored = [(a, means) for a, means in scored if means]  # choice-only sessions have no scores
    attempts = [a for a, _ in scored]
    trends = _trends([means for _, means in scored], library)
    ranked = sorted(trends, key=lambda t: (t.mean, t.criterion))
    weakest = ranked[0] if ranked else None
    played = {a.scenario_id for a in attempts}
    return Progress(
        attempts=tuple(attempts), trends=tuple(trends),
        strongest=ranked[-1] if ranked else None, weakest=weakest,
        recommendation=recommend(library, weakest.criterion, played) if weakest else None,
    )


def _trends(per_attempt: list[dict[str, float]], library: Library) -> list[Trend]:
    rubric = library.rubrics.get("repair-core") or next(iter(library.rubrics.values()), None)
    if rubric is None:
        return []
    trends = []
    for item in rubric.criteria:
        points = tuple(means[item.id] for means in per_attempt if item.id in means)
        if points:
            trends.append(Trend(item.id, item.name, points, round(sum(points) / len(points), 4)))
    return trends


def emphasis(scenario: Scenario, criterion: str) -> int:
    """How many branch conditions in the scenario turn on this criterion."""
    return sum(
        1
        for node in scenario.nodes.values() if isinstance(node, ClientNode)
        for branch in node.branches for condition in branch.conditions
        if condition.measure == criterion
    )


def recommend(library: Library, criterion: str, played: set[str]) -> Recommendation | None:
    """The scenario that leans most on the weakest skill, preferring ones not yet played."""
    candidates = [s for s in library.scenarios.values() if emphasis(s, criterion) > 0]
    if not candidates:
        return None
    best = max(candidates, key=lambda s: (s.id not in played, emphasis(s, criterion),
                                          -s.difficulty, s.id))
    name = best.rubric.item(criterion).name if criterion in best.rubric.criterion_ids else criterion
    reason = (f"{name} is your weakest skill so far, and this client responds most to it.")
    return Recommendation(best, criterion, reason)
