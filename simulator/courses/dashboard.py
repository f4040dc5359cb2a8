"""A cohort at a glance: completion matrix, criterion heatmap, weakest skills, trends.

Each function issues a fixed number of queries, whatever the cohort's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from simulator.models import Assignment, Attempt, CohortMember, Turn, User, utcnow
from simulator.practice.assignments import assignment_status
from simulator.practice.progress import attempt_score
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
    """Assignments to the cohort and to any of its trainees, soonest due first."""
    return list(session.exec(select(Assignment).where(or_(
        Assignment.cohort_id == cohort_id, col(Assignment.trainee_id).in_(trainee_ids or [-1]),
    )).order_by(col(Assignment.due_at), col(Assignment.id))).all())


def cohort_view(*, session: Session, cohort_id: int, rubric: Rubric,
                now: datetime | None = None) -> CohortView:
    """Everything the cohort page shows (four queries)."""
    trainees = cohort_trainees(session=session, cohort_id=cohort_id)
    ids = [t.id for t in trainees]
    assignments = cohort_assignments(session=session, cohort_id=cohort_id, trainee_ids=ids)
    # Plain rows, not model objects: a cohort's history is thousands of attempts.
    attempts = session.exec(select(
        Attempt.id, Attempt.trainee_id, Attempt.assignment_id, Attempt.scenario_id,
        Attempt.status, Attempt.finished_at,
    ).where(col(Attempt.trainee_id).in_(ids or [-1])).order_by(col(Attempt.started_at))).all()
    summaries = attempt_summaries(session=session, attempts=attempts)
    scores = {a.id: summaries[a.id].score for a in attempts}
    return CohortView(
        trainees=trainees, assignments=assignments,
        cells=_cells(trainees, assignments, attempts, scores, now or utcnow()),
        heatmap=_heatmap(attempts, summaries), weakest=_weakest(summaries.values(), rubric),
        trends=_trends(attempts, scores),
    )


@dataclass(frozen=True)
class AttemptSummary:
    """An attempt's score and, per criterion, the sum and count of its free-text scores."""

    score: float | None
    criteria: tuple[tuple[str, float, int], ...]


# A completed attempt's live turns cannot change until it is rewound, and a rewind clears
# finished_at, so (id, finished_at) names one summary for good: each process keeps it rather
# than decoding thousands of stored score documents on every cohort page.
_summaries: dict[tuple[str, datetime], AttemptSummary] = {}
MAX_CACHED_SUMMARIES = 20_000


def attempt_summaries(*, session: Session, attempts) -> dict[str, AttemptSummary]:
    """Summaries of these attempts; turns are read only for those not summarised before."""
    found, todo = {}, []
    for attempt in attempts:
        cached = (_summaries.get((attempt.id, attempt.finished_at))
                  if attempt.status == "completed" else None)
        if cached is None:
            todo.append(attempt)
        else:
            found[attempt.id] = cached
    # Always one query, even with nothing to read, so the page's query count stays fixed.
    turns = session.exec(select(Turn.attempt_id, Turn.overall, Turn.superseded, Turn.scores)
                         .where(col(Turn.attempt_id).in_([a.id for a in todo] or ["-"]),
                                col(Turn.superseded).is_(False))).all()
    by_attempt: dict[str, list] = defaultdict(list)
    for turn in turns:
        by_attempt[turn.attempt_id].append(turn)
    if len(_summaries) + len(todo) > MAX_CACHED_SUMMARIES:
        _summaries.clear()  # crude but thread-safe; a refill costs one slow page
    for attempt in todo:
        found[attempt.id] = summary = _summarise(by_attempt[attempt.id])
        if attempt.status == "completed":
            _summaries[(attempt.id, attempt.finished_at)] = summary
    return found


def _summarise(turns: list) -> AttemptSummary:
    sums: dict[str, list] = defaultdict(lambda: [0.0, 0])
    for turn in turns:
        if turn.scores.get("kind") == "free":
            for cid, item in turn.scores.get("criteria", {}).items():
                sums[cid][0] += item["score"]
                sums[cid][1] += 1
    return AttemptSummary(attempt_score(turns),
                          tuple((cid, total, n) for cid, (total, n) in sums.items()))


def _means(summaries) -> dict[str, float]:
    """Mean score per criterion over every free-text turn the summaries cover."""
    sums: dict[str, list] = defaultdict(lambda: [0.0, 0])
    for summary in summaries:
        for cid, total, n in summary.criteria:
            sums[cid][0] += total
            sums[cid][1] += n
    return {cid: round(total / n, 4) for cid, (total, n) in sums.items()}


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


def _heatmap(attempts, summaries) -> dict[str, dict[str, float]]:
    per_scenario: dict[str, list[AttemptSummary]] = defaultdict(list)
    for attempt in attempts:
        per_scenario[attempt.scenario_id].append(summaries[attempt.id])
    return {sid: means for sid, found in sorted(per_scenario.items())
            if (means := _means(found))}


def _weakest(summaries, rubric: Rubric) -> list[tuple[str, float]]:
    means = _means(summaries)
    return sorted(((cid, means[cid]) for cid in rubric.criterion_ids if cid in means),
                  key=lambda pair: (pair[1], pair[0]))


def _trends(attempts, scores) -> dict[int, list[float]]:
    trends: dict[int, list[float]] = defaultdict(list)
    for attempt in attempts:
        if attempt.status == "completed" and scores[attempt.id] is not None:
            trends[attempt.trainee_id].append(scores[attempt.id])
    return trends
