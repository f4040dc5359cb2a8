"""Which attempts a cohort's supervisors may see: the rule every supervisor-facing query uses.

An attempt is seen through a cohort when its trainee is a trainee of that cohort, it started
at or after the moment they joined (accepted the invitation), and it is either

- on an assignment given to the cohort, or to that trainee within the cohort; or
- practice the trainee chose to share with that cohort.

So joining a cohort never opens a trainee's past. The rule is a condition on `Attempt` that
the database checks inside the query using it, attempt by attempt, through the indexes on
memberships, assignments and shares; nothing here imports Flask or commits.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import col, select

from simulator.models import Assignment, Attempt, AttemptShare, CohortMember

CohortIds = list[int] | Select  # ids, or a SELECT of them


def seen_through(cohort_ids: CohortIds) -> ColumnElement[bool]:
    """The condition that the supervisors of one of these cohorts may see an `Attempt` row."""
    member = aliased(CohortMember)
    joined_before = and_(col(member.user_id) == col(Attempt.trainee_id),
                         member.role == "trainee",
                         col(member.added_at) <= col(Attempt.started_at),
                         col(member.cohort_id).in_(cohort_ids))
    assigned = exists().where(
        col(Assignment.id) == col(Attempt.assignment_id), joined_before,
        or_(col(Assignment.cohort_id) == col(member.cohort_id),
            and_(col(Assignment.trainee_id) == col(Attempt.trainee_id),
                 col(Assignment.within_cohort_id) == col(member.cohort_id))))
    shared = exists().where(col(AttemptShare.attempt_id) == col(Attempt.id), joined_before,
                            col(AttemptShare.cohort_id) == col(member.cohort_id))
    return or_(assigned, shared)


def trainees_of(cohort_ids: CohortIds) -> Select:
    """A SELECT of the ids of these cohorts' trainees.

    Not part of the rule (seen_through implies it), but `Attempt.trainee_id IN trainees_of(…)`
    beside it lets the database start from those trainees' attempts when the cohorts are few.
    """
    return select(CohortMember.user_id).where(col(CohortMember.cohort_id).in_(cohort_ids),
                                              CohortMember.role == "trainee")
