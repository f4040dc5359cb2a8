"""A trainee's assignments (direct or through a cohort) and where each one stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from simulator.models import Assignment, Attempt, CohortMember, utcnow


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assignment
    attempts_used: int
    completed: bool
    status: str  # not started | in progress | completed | overdue

    @property
    def attempts_left(self) -> int:
        return max(0, self.assignment.attempts_allowed - self.attempts_used)


def assignments_for(*, session: Session, trainee_id: int,
                    now: datetime | None = None) -> list[AssignmentStatus]:
    """Every assignment that reaches this trainee, soonest due first (two queries)."""
    cohort_ids = select(CohortMember.cohort_id).where(
        CohortMember.user_id == trainee_id, CohortMember.role == "trainee")
    assignments = session.exec(select(Assignment).where(or_(
        Assignment.trainee_id == trainee_id, col(Assignment.cohort_id).in_(cohort_ids),
    ))).all()
    attempts = session.exec(select(Attempt).where(
        Attempt.trainee_id == trainee_id,
        col(Attempt.assignment_id).in_([a.id for a in assignments] or [-1]),
    )).all()
    now = now or utcnow()
    statuses = [_status(a, [t for t in attempts if t.assignment_id == a.id], now)
                for a in assignments]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(statuses, key=lambda s: (s.completed, s.assignment.due_at or far))


def assignment_status(completed: bool, started: bool, due: datetime | None,
                      now: datetime) -> str:
    """The words trainee and supervisor pages both use for where an assignment stands."""
    if completed:
        return "completed"
    if due and due < now:
        return "overdue"
    return "in progress" if started else "not started"


def _status(assignment: Assignment, attempts: list[Attempt], now: datetime) -> AssignmentStatus:
    completed = any(a.status == "completed" for a in attempts)
    status = assignment_status(completed, bool(attempts), assignment.due_at, now)
    return AssignmentStatus(assignment, len(attempts), completed, status)
