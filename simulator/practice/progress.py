"""A trainee's progress: each criterion across sessions, strongest and weakest, what next.

Every score here is the effective one (a supervisor's review replaces the engine's score;
simulator.practice.effective). What to practise next climbs the difficulty ladder
(simulator.practice.ladder) and points at the exact moment the weakest skill was weakest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from simulator.models import Attempt, Turn
from simulator.practice.effective import EffectiveTurn, effective_turns
from simulator.practice.ladder import Ladder, Recommendation, climb, recommend
from simulator.rubric import Rubric
from simulator.scenarios.library import Library

RECENT_ATTEMPTS = 20
SHORT_TITLE = 17  # characters of a scenario's title shown under a chart point
SCORED_KINDS = ("free", "choice")


@dataclass(frozen=True)
class PlayedSession:
    """One completed session as progress names it: its scenario and the day it ended."""

    attempt: Attempt
    title: str
    short_title: str
    date: str
    difficulty: int | None  # None when the scenario is no longer in the library
    score: float | None  # mean effective overall of its written answers (the ladder's measure)
    reviewed: bool  # a supervisor's review changed a score in it

    @property
    def label(self) -> str:
        return f"{self.title}, {self.date}"


@dataclass(frozen=True)
class Trend:
    criterion: str
    name: str
    points: tuple[float, ...]  # mean effective score per session, oldest first
    mean: float
    reviewed: tuple[bool, ...] = ()  # per session: a supervisor's review is in that mean

    @property
    def any_reviewed(self) -> bool:
        return any(self.reviewed)


@dataclass(frozen=True)
class Moment:
    """The written answer where a skill was weakest: practising it again starts there."""

    turn_id: int
    attempt_id: str
    scenario_title: str
    date: str
    node_id: str
    criterion: str
    criterion_name: str
    score: float
    client_line: str
    reviewed: bool


@dataclass(frozen=True)
class Progress:
    attempts: tuple[Attempt, ...]
    trends: tuple[Trend, ...]
    strongest: Trend | None
    weakest: Trend | None
    recommendation: Recommendation | None
    sessions: tuple[PlayedSession, ...] = ()
    ladder: Ladder | None = None
    moment: Moment | None = None


def criterion_means(turns: Sequence[Turn | EffectiveTurn]) -> dict[str, float]:
    """Mean score per criterion over the free-text turns given (pass effective turns)."""
    sums: dict[str, list[float]] = defaultdict(list)
    for turn in turns:
        if turn.scores.get("kind") != "free":
            continue
        for cid, item in turn.scores.get("criteria", {}).items():
            sums[cid].append(item["score"])
    return {cid: round(sum(v) / len(v), 4) for cid, v in sums.items()}


def attempt_score(turns: Sequence[Turn | EffectiveTurn]) -> float | None:
    """An attempt's score: the mean overall of its live free-text and choice turns."""
    scored = [t.overall for t in turns
              if not t.superseded and t.scores.get("kind") in SCORED_KINDS]
    return round(sum(scored) / len(scored), 4) if scored else None


def written_score(turns: Sequence[Turn | EffectiveTurn]) -> float | None:
    """The mean overall of a session's live answers in the trainee's own words."""
    scored = [t.overall for t in turns if not t.superseded and t.scores.get("kind") == "free"]
    return round(sum(scored) / len(scored), 4) if scored else None


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """A title cut at a word to fit under a chart point, with an ellipsis when cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    head = title[:limit - 1]
    if title[limit - 1] != " " and " " in head:  # the head ends inside a word: drop it
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.;:!?") + "…"


def day(moment: datetime | None) -> str:
    """A date as progress shows it: 4 Dec 2026 (UTC)."""
    return f"{moment.day} {moment:%b %Y}" if moment else "date unknown"


def default_rubric(library: Library) -> Rubric | None:
    return library.rubrics.get("repair-core") or next(iter(library.rubrics.values()), None)


def progress_for(*, session: Session, trainee_id: int, library: Library) -> Progress:
    """Trends over the trainee's recent completed sessions (three queries, whatever the size)."""
    rubric = default_rubric(library)
    attempts = list(session.exec(
        select(Attempt).where(Attempt.trainee_id == trainee_id, Attempt.status == "completed")
        .order_by(col(Attempt.finished_at).desc()).limit(RECENT_ATTEMPTS)
    ).all())[::-1]
    if not attempts or rubric is None:
        return Progress((), (), None, None, None)
    by_attempt = _effective_by_attempt(session, attempts, library, rubric)
    scored = [(a, criterion_means(by_attempt[a.id])) for a in attempts]
    scored = [(a, means) for a, means in scored if means]  # choice-only sessions have no scores
    sessions = tuple(_played(a, by_attempt[a.id], library) for a, _ in scored)
    trends = _trends(scored, by_attempt, rubric)
    ranked = sorted(trends, key=lambda t: (t.mean, t.criterion))
    weakest = ranked[0] if ranked else None
    ladder = climb(((s.difficulty, s.score) for s in sessions), library, rubric)
    played = {s.attempt.scenario_id for s in sessions}
    return Progress(
        attempts=tuple(s.attempt for s in sessions), trends=tuple(trends),
        strongest=ranked[-1] if ranked else None, weakest=weakest,
        recommendation=recommend(library, weakest.criterion, played, ladder) if weakest else None,
        sessions=sessions, ladder=ladder,
        moment=weakest_moment(sessions, by_attempt, weakest, library) if weakest else None,
    )


def _effective_by_attempt(session: Session, attempts: list[Attempt], library: Library,
                          rubric: Rubric) -> dict[str, list[EffectiveTurn]]:
    """The live turns of these attempts, reviews applied, grouped by attempt in order."""
    turns = session.exec(select(Turn).where(
        col(Turn.attempt_id).in_([a.id for a in attempts]), col(Turn.superseded).is_(False)
    ).order_by(col(Turn.attempt_id), col(Turn.index))).all()
    scenario_of = {a.id: library.scenarios.get(a.scenario_id) for a in attempts}

    def rubric_of(turn: Turn) -> Rubric:
        found = scenario_of.get(turn.attempt_id)
        return found.rubric if found is not None else rubric

    by_attempt: dict[str, list[EffectiveTurn]] = defaultdict(list)
    for turn in effective_turns(session, list(turns), rubric_of):
        by_attempt[turn.attempt_id].append(turn)
    return by_attempt


def _played(attempt: Attempt, turns: list[EffectiveTurn], library: Library) -> PlayedSession:
    scenario = library.scenarios.get(attempt.scenario_id)
    title = scenario.title if scenario is not None else attempt.scenario_id
    return PlayedSession(
        attempt=attempt, title=title, short_title=short_title(title),
        date=day(attempt.finished_at),
        difficulty=scenario.difficulty if scenario is not None else None,
        score=written_score(turns), reviewed=any(t.reviewed for t in turns),
    )


def _trends(scored: list[tuple[Attempt, dict[str, float]]],
            by_attempt: dict[str, list[EffectiveTurn]], rubric: Rubric) -> list[Trend]:
    trends = []
    for item in rubric.criteria:
        if not all(item.id in means for _a, means in scored):
            continue  # a session scored on another rubric: no line that skips sessions
        points = tuple(means[item.id] for _a, means in scored)
        reviewed = tuple(any(item.id in t.reviews for t in by_attempt[a.id]) for a, _ in scored)
        trends.append(Trend(item.id, item.name, points, round(sum(points) / len(points), 4),
                            reviewed))
    return trends


def weakest_moment(sessions: Sequence[PlayedSession], by_attempt: dict[str, list[EffectiveTurn]],
                   weakest: Trend, library: Library) -> Moment | None:
    """The live written answer with the lowest effective score on the weakest skill, among
    moments that needed that skill when there are any; the most recent on a tie."""
    candidates = []
    for order, played in enumerate(sessions):
        if played.attempt.scenario_id not in library.scenarios:
            continue  # a scenario no longer offered cannot be practised again
        for turn in by_attempt[played.attempt.id]:
            item = turn.scores.get("criteria", {}).get(weakest.criterion)
            if turn.scores.get("kind") != "free" or item is None:
                continue
            needed = weakest.criterion in (turn.scores.get("needs") or ())
            candidates.append((not needed, item["score"], -order, -turn.index, turn, played))
    if not candidates:
        return None
    *_rank, turn, played = min(candidates, key=lambda c: c[:4])
    return Moment(
        turn_id=turn.id, attempt_id=turn.attempt_id, scenario_title=played.title,
        date=played.date, node_id=turn.node_id, criterion=weakest.criterion,
        criterion_name=weakest.name, score=turn.scores["criteria"][weakest.criterion]["score"],
        client_line=turn.client_line, reviewed=weakest.criterion in turn.reviews,
    )
