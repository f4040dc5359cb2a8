"""The cohort gradebook: one row per trainee and assignment, and its spreadsheet-safe CSV."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy import and_
from sqlmodel import Session, col, or_, select

from simulator.courses.csv_safety import write_safe_rows
from simulator.courses.visibility import seen_through
from simulator.models import Assignment, Attempt, CohortMember, Turn, User, utcnow
from simulator.practice.assignments import assignment_status
from simulator.practice.effective import EffectiveTurn, effective_turns
from simulator.practice.progress import SCORED_KINDS, attempt_score, criterion_means
from simulator.rubric import Rubric

BOM = "\ufeff"  # lets spreadsheet programs recognise UTF-8 (names with accents survive)


@dataclass(frozen=True)
class GradebookRow:
    """Where one trainee stands on one assignment. Scores are 0..1; None means none yet."""

    trainee_email: str
    trainee_name: str
    scenario_id: str
    assignment_id: int
    due_at: datetime | None
    mode: str
    attempts: int
    best_overall: float | None
    last_overall: float | None
    criteria: dict[str, float | None]  # the best attempt's mean per criterion, rubric order
    submitted_at: datetime | None  # when the last completed attempt finished
    late: bool
    status: str  # not started | in progress | completed | overdue


@dataclass
class _Facts:
    """Everything the rows are built from, fetched in a fixed number of queries."""

    rubric: Rubric
    now: datetime
    attempts: dict[tuple[int, int], list[Attempt]]  # (trainee, assignment) -> attempts
    turns: dict[str, list[EffectiveTurn]]  # attempt id -> live scored turns, reviews applied


def best_overall_for(*, session: Session, cohort_id: int, trainee: User,
                     assignment: Assignment, rubric: Rubric,
                     now: datetime | None = None) -> float | None:
    """One trainee's best_overall on one assignment, by the same steps as their gradebook row
    (the grade an LMS line item is sent: simulator.lti.grades)."""
    facts = _gather(session, rubric, cohort_id, [trainee.id], [assignment.id], now or utcnow())
    return _row(trainee, assignment, facts).best_overall


def gradebook_rows(*, session: Session, cohort_id: int, rubric: Rubric,
                   now: datetime | None = None) -> list[GradebookRow]:
    """Rows for every trainee of the cohort × its assignments (to all, or to them within it).

    Only work seen through the cohort counts (simulator.courses.visibility). At most five
    queries, however many trainees, assignments or attempts there are.
    """
    trainees = session.exec(
        select(User).join(CohortMember, col(CohortMember.user_id) == User.id)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == "trainee")
        .order_by(col(User.name), col(User.email))
    ).all()
    trainee_ids = [t.id for t in trainees]
    assignments = session.exec(select(Assignment).where(or_(
        Assignment.cohort_id == cohort_id,
        and_(col(Assignment.trainee_id).in_(trainee_ids or [-1]),
             Assignment.within_cohort_id == cohort_id),
    )).order_by(col(Assignment.due_at), col(Assignment.id))).all()
    facts = _gather(session, rubric, cohort_id, trainee_ids, [a.id for a in assignments],
                    now or utcnow())
    return [
        _row(trainee, assignment, facts)
        for trainee in trainees
        for assignment in assignments
        if assignment.cohort_id == cohort_id or assignment.trainee_id == trainee.id
    ]


def _gather(session: Session, rubric: Rubric, cohort_id: int, trainee_ids: list[int],
            assignment_ids: list[int], now: datetime) -> _Facts:
    attempts = session.exec(select(Attempt).where(
        col(Attempt.trainee_id).in_(trainee_ids or [-1]),
        col(Attempt.assignment_id).in_(assignment_ids or [-1]),
        seen_through([cohort_id]),
    ).order_by(col(Attempt.started_at))).all()
    by_pair: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_pair[(attempt.trainee_id, attempt.assignment_id)].append(attempt)
    completed = [a.id for a in attempts if a.status == "completed"]
    turns = session.exec(select(Turn).where(
        col(Turn.attempt_id).in_(completed), col(Turn.superseded).is_(False),
    ).order_by(col(Turn.index))).all() if completed else []
    scored = [t for t in turns if t.scores.get("kind") in SCORED_KINDS]
    by_attempt: dict[str, list[EffectiveTurn]] = defaultdict(list)
    for turn in effective_turns(session, scored, rubric):  # a review replaces a score
        by_attempt[turn.attempt_id].append(turn)
    return _Facts(rubric, now, by_pair, by_attempt)


def _row(trainee: User, assignment: Assignment, facts: _Facts) -> GradebookRow:
    attempts = facts.attempts.get((trainee.id, assignment.id), [])
    finished = sorted((a for a in attempts if a.status == "completed"),
                      key=lambda a: a.finished_at)
    scores = {a.id: attempt_score(facts.turns.get(a.id, [])) for a in finished}
    ranked = [a for a in finished if scores[a.id] is not None]
    best = max(ranked, key=lambda a: scores[a.id]) if ranked else None  # earliest of ties
    last = finished[-1] if finished else None
    submitted = finished[0].finished_at if finished else None  # first completion counts
    due = assignment.due_at
    return GradebookRow(
        trainee_email=trainee.email, trainee_name=trainee.name,
        scenario_id=assignment.scenario_id, assignment_id=assignment.id, due_at=due,
        mode=assignment.mode, attempts=len(attempts),
        best_overall=scores[best.id] if best else None,
        last_overall=scores[last.id] if last else None,
        criteria=_criteria(facts.turns.get(best.id, []) if best else [], facts),
        submitted_at=submitted,
        late=bool(due and (submitted > due if submitted else facts.now > due)),
        status=assignment_status(bool(finished), bool(attempts), due, facts.now),
    )


def _criteria(turns: list[EffectiveTurn], facts: _Facts) -> dict[str, float | None]:
    """Mean per criterion over the free-text turns' effective scores."""
    means = criterion_means(turns)
    return {item.id: means.get(item.id) for item in facts.rubric.criteria}


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def header(criterion_ids: Sequence[str]) -> list[str]:
    """The CSV column names, with one column per criterion (the best attempt's score)."""
    return ["trainee_email", "trainee_name", "scenario", "assignment", "due", "mode",
            "attempts", "best_overall", "last_overall", *criterion_ids, "submitted", "late",
            "status"]


def _cells(row: GradebookRow, criterion_ids: Sequence[str]) -> list:
    return [row.trainee_email, row.trainee_name, row.scenario_id, row.assignment_id,
            _iso(row.due_at), row.mode, row.attempts, row.best_overall, row.last_overall,
            *(row.criteria.get(cid) for cid in criterion_ids), _iso(row.submitted_at),
            "yes" if row.late else "no", row.status]


def write_gradebook_csv(rows: Iterable[GradebookRow], stream: TextIO, *,
                        criterion_ids: Sequence[str] | None = None) -> None:
    """Write a header and the rows: UTF-8 BOM, CRLF, 2-decimal scores, formulas neutralised.

    `stream` is a text stream opened with newline=""; criterion columns default to the first
    row's criteria (pass the rubric's ids so an empty gradebook keeps the same columns).
    """
    rows = list(rows)
    if criterion_ids is None:
        criterion_ids = list(rows[0].criteria) if rows else []
    stream.write(BOM)
    write_safe_rows(stream, [header(criterion_ids), *(_cells(r, criterion_ids) for r in rows)])


def gradebook_csv(rows: Iterable[GradebookRow], *,
                  criterion_ids: Sequence[str] | None = None) -> bytes:
    """The CSV as UTF-8 bytes, ready for a download response or a file."""
    buffer = io.StringIO(newline="")
    write_gradebook_csv(rows, buffer, criterion_ids=criterion_ids)
    return buffer.getvalue().encode("utf-8")
