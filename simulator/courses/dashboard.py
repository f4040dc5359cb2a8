"""A cohort at a glance: completion matrix, criterion heatmap, weakest skills, trends.

Each function issues a fixed number of queries, whatever the cohort's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, cast, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Session, col, or_, select

from simulator.courses.visibility import seen_through
from simulator.models import Assignment, Attempt, CohortMember, Turn, User, utcnow
from simulator.practice.assignments import assignment_status
from simulator.practice.progress import SCORED_KINDS
from simulator.rubric import Rubric


@dataclass(frozen=True)
class Cell:
    status: str  # completed | in progress | not started | overdue | late
    best: float | None
    attempts: int
    latest: str | None = None  # id of the newest attempt, for the review link


@dataclass(frozen=True)
class CohortView:
    trainees: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Cell]  # (trainee id, assignment id) -> cell
    heatmap: dict[str, dict[str, float]]  # scenario id -> criterion -> mean score
    weakest: list[tuple[str, float]]  # criterion, mean — weakest first
    trends: dict[int, list[float]]  # trainee id -> attempt scores, oldest first


def cohort_trainees(*, session: Session, cohort_id: int) -> list[User]:
    """The cohort's trainees, by name."""
    return list(session.exec(
        select(User).join(CohortMember, col(CohortMember.user_id) == col(User.id))
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == "trainee")
        .order_by(col(User.name), col(User.email))
    ).all())


def cohort_assignments(*, session: Session, cohort_id: int, trainee_ids: list[int]
                       ) -> list[Assignment]:
    """Assignments to the cohort and to its trainees within it, soonest due first."""
    return list(session.exec(select(Assignment).where(or_(
        Assignment.cohort_id == cohort_id,
        and_(col(Assignment.trainee_id).in_(trainee_ids or [-1]),
             Assignment.within_cohort_id == cohort_id),
    )).order_by(col(Assignment.due_at), col(Assignment.id))).all())


def cohort_view(*, session: Session, cohort_id: int, rubric: Rubric,
                now: datetime | None = None) -> CohortView:
    """Everything the cohort page shows (four queries), from the work seen through the cohort."""
    trainees = cohort_trainees(session=session, cohort_id=cohort_id)
    ids = [t.id for t in trainees]
    assignments = cohort_assignments(session=session, cohort_id=cohort_id, trainee_ids=ids)
    # Plain rows, not model objects: a cohort's history is thousands of attempts.
    attempts = session.exec(select(
        Attempt.id, Attempt.trainee_id, Attempt.assignment_id, Attempt.scenario_id,
        Attempt.status, Attempt.finished_at,
    ).where(col(Attempt.trainee_id).in_(ids or [-1]),
            seen_through([cohort_id]))
     .order_by(col(Attempt.started_at))).all()
    criteria = tuple(rubric.criterion_ids)
    summaries = attempt_summaries(session=session, attempts=attempts, criteria=criteria)
    scores = {a.id: summaries[a.id].score for a in attempts}
    return CohortView(
        trainees=trainees, assignments=assignments,
        cells=_cells(trainees, assignments, attempts, scores, now or utcnow()),
        heatmap=_heatmap(attempts, summaries, criteria),
        weakest=_weakest(summaries.values(), criteria),
        trends=_trends(attempts, scores),
    )


@dataclass(frozen=True, slots=True)  # thousands are kept per process
class AttemptSummary:
    """An attempt's score, free-text turns, and per rubric criterion their score sum and count."""

    score: float | None
    free: int
    totals: tuple[float, ...]  # per criterion, in the rubric's order
    counts: tuple[int, ...]


# A completed attempt's live turns cannot change until it is rewound, and a rewind clears
# finished_at, so (id, finished_at) names one summary for good: each process keeps it rather
# than asking the database to read thousands of stored score documents on every cohort page.
_summaries: dict[tuple, AttemptSummary] = {}
MAX_CACHED_SUMMARIES = 20_000


def attempt_summaries(*, session: Session, attempts, criteria: tuple[str, ...]
                      ) -> dict[str, AttemptSummary]:
    """Summaries in the attempts' order; one query adds up those not summarised before."""
    found, todo = {}, []
    for attempt in attempts:
        cached = (_summaries.get((attempt.id, attempt.finished_at, criteria))
                  if attempt.status == "completed" else None)
        if cached is None:
            todo.append(attempt)
        else:
            found[attempt.id] = cached
    # Always one query, even with nothing to read, so the page's query count stays fixed.
    rows = session.exec(_totals(session, criteria, [a.id for a in todo] or ["-"])).all()
    fresh = {row[0]: _summary(row[1:]) for row in rows}
    no_turns = AttemptSummary(None, 0, (0.0,) * len(criteria), (0,) * len(criteria))
    if len(_summaries) + len(todo) > MAX_CACHED_SUMMARIES:
        _summaries.clear()  # crude but thread-safe; a refill costs one slow page
    for attempt in todo:
        found[attempt.id] = summary = fresh.get(attempt.id, no_turns)
        if attempt.status == "completed":
            _summaries[(attempt.id, attempt.finished_at, criteria)] = summary
    return {attempt.id: found[attempt.id] for attempt in attempts}


# How each database reads the stored scores fastest. PostgreSQL would parse the `json` text
# again for every value taken from it, so it converts each document to jsonb once.
_DOCUMENT = {"postgresql": lambda scores: cast(scores, JSONB)}


def _totals(session: Session, criteria: tuple[str, ...], attempt_ids: list[str]):
    """Per attempt, added up in the database: scored overalls, free-text turns, criterion scores."""
    document = _DOCUMENT.get(session.get_bind().dialect.name, lambda scores: scores)
    live = (select(Turn.attempt_id, Turn.overall, document(Turn.scores).label("doc"))
            .where(col(Turn.attempt_id).in_(attempt_ids), col(Turn.superseded).is_(False))
            .offset(0)  # keeps PostgreSQL from folding the conversion into every lookup
            .subquery())
    kind = live.c.doc["kind"].as_string()
    scored = case((kind.in_(SCORED_KINDS), live.c.overall))
    free = kind == "free"
    columns = [live.c.attempt_id, func.sum(scored), func.count(scored), func.count(case((free, 1)))]
    for cid in criteria:
        score = case((free, live.c.doc[("criteria", cid, "score")].as_float()))
        columns += [func.sum(score), func.count(score)]
    return select(*columns).group_by(live.c.attempt_id)


def _summary(totals) -> AttemptSummary:
    total, scored, free, *per_criterion = totals
    return AttemptSummary(round(total / scored, 4) if scored else None, free,
                          tuple(t or 0.0 for t in per_criterion[::2]), tuple(per_criterion[1::2]))


def _means(summaries, criteria: tuple[str, ...]) -> dict[str, float]:
    """Mean score per criterion over every free-text turn the summaries cover."""
    # Adding 0.0 for an attempt without the criterion leaves every sum exactly as it was.
    totals, counts = [0.0] * len(criteria), [0] * len(criteria)
    for summary in summaries:
        totals = [a + b for a, b in zip(totals, summary.totals, strict=True)]
        counts = [a + b for a, b in zip(counts, summary.counts, strict=True)]
    return {cid: round(total / n, 4)
            for cid, total, n in zip(criteria, totals, counts, strict=True) if n}


def _cells(trainees, assignments, attempts, scores, now) -> dict[tuple[int, int], Cell]:
    by_pair: dict[tuple[int, int], list] = defaultdict(list)
    for attempt in attempts:
        by_pair[(attempt.trainee_id, attempt.assignment_id)].append(attempt)
    cells = {}
    for trainee in trainees:
        for assignment in assignments:
            if assignment.trainee_id not in (None, trainee.id):
                continue
            mine = by_pair.get((trainee.id, assignment.id), [])
            cells[(trainee.id, assignment.id)] = _cell(assignment, mine, scores, now)
    return cells


def _cell(assignment: Assignment, attempts: list, scores, now) -> Cell:
    done = [a for a in attempts if a.status == "completed"]
    best = max((scores[a.id] for a in done if scores[a.id] is not None), default=None)
    due = assignment.due_at
    status = assignment_status(bool(done), bool(attempts), due, now)
    if done and due and min(a.finished_at for a in done) > due:
        status = "late"
    latest = attempts[-1].id if attempts else None  # attempts arrive oldest first
    return Cell(status, best, len(attempts), latest)


def _heatmap(attempts, summaries, criteria) -> dict[str, dict[str, float]]:
    per_scenario: dict[str, list[AttemptSummary]] = defaultdict(list)
    for attempt in attempts:
        per_scenario[attempt.scenario_id].append(summaries[attempt.id])
    return {sid: _means(found, criteria) for sid, found in sorted(per_scenario.items())
            if any(summary.free for summary in found)}


def _weakest(summaries, criteria: tuple[str, ...]) -> list[tuple[str, float]]:
    means = _means(summaries, criteria)
    return sorted(means.items(), key=lambda pair: (pair[1], pair[0]))


def _trends(attempts, scores) -> dict[int, list[float]]:
    trends: dict[int, list[float]] = defaultdict(list)
    for attempt in attempts:
        if attempt.status == "completed" and scores[attempt.id] is not None:
            trends[attempt.trainee_id].append(scores[attempt.id])
    return trends
