"""A trainee sharing an attempt with cohorts. Keyword-only data functions; nothing commits.

An attempt can be shared only with cohorts the trainee had joined when it started: the same
condition under which those cohorts' supervisors could see it (simulator.courses.visibility).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlmodel import Session, col, select

from simulator.models import Assignment, Attempt, AttemptShare, Cohort, CohortMember, utcnow


def cohorts_open_to_share(*, session: Session, attempt: Attempt) -> list[Cohort]:
    """The cohorts the attempt's trainee had joined when it started, by name."""
    return list(session.exec(
        select(Cohort).join(CohortMember, col(CohortMember.cohort_id) == col(Cohort.id))
        .where(CohortMember.user_id == attempt.trainee_id, CohortMember.role == "trainee",
               col(CohortMember.added_at) <= attempt.started_at)
        .order_by(col(Cohort.name))).all())


def shared_with(*, session: Session, attempt: Attempt) -> set[int]:
    """The ids of the cohorts the attempt is shared with."""
    return set(session.exec(select(AttemptShare.cohort_id).where(
        AttemptShare.attempt_id == attempt.id)).all())


def assigned_in(*, session: Session, attempt: Attempt) -> Cohort | None:
    """The cohort whose assignment the attempt answers, if any (its supervisors see it)."""
    if attempt.assignment_id is None:
        return None
    assignment = session.get(Assignment, attempt.assignment_id)
    cohort_id = assignment and (assignment.cohort_id or assignment.within_cohort_id)
    return session.get(Cohort, cohort_id) if cohort_id else None


def share(*, session: Session, attempt: Attempt, cohort_ids: Iterable[int]) -> set[int]:
    """Share the attempt with exactly these cohorts (not committed); returns those kept.

    Cohorts the trainee had not joined when the attempt started are left out.
    """
    open_ids = {c.id for c in cohorts_open_to_share(session=session, attempt=attempt)}
    wanted = set(cohort_ids) & open_ids
    before = shared_with(session=session, attempt=attempt)
    if before - wanted:
        session.exec(delete(AttemptShare).where(
            col(AttemptShare.attempt_id) == attempt.id,
            col(AttemptShare.cohort_id).in_(before - wanted)))
    session.add_all(AttemptShare(attempt_id=attempt.id, cohort_id=cohort_id, shared_at=utcnow())
                    for cohort_id in wanted - before)
    return wanted
