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
from simulator.practice.progress import attempt_score, criterion_means
from simulator.rubric import Rubric


@dataclass(frozen=True)
class Cell:
    status: str  # completed | in progress | not started | overdue | late
    best: float | None
    attempts: int


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
    attempts = list(session.exec(select(Attempt).where(col(Attempt.trainee_id).in_(ids or [-1]))
                                 .order_by(col(Attempt.started_at))).all())
    turns = session.exec(select(Turn).where(
        col(Turn.attempt_id).in_([a.id for a in attempts] or ["-"]),
        col(Turn.superseded).is_(False))).all()
    by_attempt: dict[str, list[Turn]] = defaultdict(list)
    for turn in turns:
        by_attempt[turn.attempt_id].append(turn)
    scores = {a.id: attempt_score(by_attempt[a.id]) for a in attempts}
    return CohortView(
        trainees=trainees, assignments=assignments,
        cells=_cells(trainees, assignments, attempts, scores, now or utcnow()),
        heatmap=_heatmap(attempts, by_attempt), weakest=_weakest(turns, rubric),
        trends=_trends(attempts, scores),
    )


def _cells(trainees, assignments, attempts, scores, now) -> dict[tuple[int, int], Cell]:
    cells = {}
    for trainee in trainees:
        for assignment in assignments:
            if assignment.trainee_id not in (None, trainee.id):
                continue
            mine = [a for a in attempts
                    if a.assignment_id == assignment.id and a.trainee_id == trainee.id]
            cells[(trainee.id, assignment.id)] = _cell(assignment, mine, scores, now)
    return cells


def _cell(assignment: Assignment, attempts: list[Attempt], scores, now) -> Cell:
    done = [a for a in attempts if a.status == "completed"]
    best = max((scores[a.id] for a in done if scores[a.id] is not None), default=None)
    due = assignment.due_at
    status = assignment_status(bool(done), bool(attempts), due, now)
    if done and due and min(a.finished_at for a in done) > due:
        status = "late"
    return Cell(status, best, len(attempts))


def _heatmap(attempts, by_attempt) -> dict[str, dict[str, float]]:
    per_scenario: dict[str, list[Turn]] = defaultdict(list)
    for attempt in attempts:
        per_scenario[attempt.scenario_id].extend(by_attempt[attempt.id])
    return {sid: means for sid, turns in sorted(per_scenario.items())
            if (means := criterion_means(turns))}


def _weakest(turns, rubric: Rubric) -> list[tuple[str, float]]:
    means = criterion_means(list(turns))
    return sorted(((cid, means[cid]) for cid in rubric.criterion_ids if cid in means),
                  key=lambda pair: (pair[1], pair[0]))


def _trends(attempts, scores) -> dict[int, list[float]]:
    trends: dict[int, list[float]] = defaultdict(list)
    for attempt in attempts:
        if attempt.status == "completed" and scores[attempt.id] is not None:
            trends[attempt.trainee_id].append(scores[attempt.id])
    return trends
