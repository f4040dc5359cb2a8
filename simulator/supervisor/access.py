"""What a supervisor may reach: their cohorts, those cohorts' trainees and their work.

Admins reach everything. Anything out of reach is a 404, the same as something that does
not exist.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.sql import Select
from sqlmodel import col, select

from simulator.db import get_session
from simulator.models import Attempt, Cohort, CohortMember, Turn


def visible_cohorts() -> list[Cohort]:
    """The cohorts the signed-in supervisor supervises (every cohort for an admin)."""
    query = select(Cohort).order_by(col(Cohort.name))
    if current_user.role != "admin":
        query = query.where(col(Cohort.id).in_(_supervised_cohort_ids()))
    return list(get_session().exec(query).all())


def _supervised_cohort_ids() -> Select:
    """A SELECT of the ids of the cohorts the signed-in user supervises."""
    return select(CohortMember.cohort_id).where(CohortMember.user_id == current_user.id,
                                                CohortMember.role == "supervisor")


def supervised_trainees() -> Select:
    """A SELECT of the trainees in the visible cohorts, for the database to run inside a query.

    Saves a round trip and a parameter per trainee (a thousand for an admin) over the list.
    """
    query = select(CohortMember.user_id).where(CohortMember.role == "trainee")
    if current_user.role != "admin":  # an admin sees every cohort, so every cohort's trainees
        query = query.where(col(CohortMember.cohort_id).in_(_supervised_cohort_ids()))
    return query


def supervised_trainee_ids(cohort_ids: list[int] | None = None) -> list[int]:
    """Trainees in the visible cohorts (optionally only some of them)."""
    query = supervised_trainees()
    if cohort_ids:  # none or an empty list: every visible cohort, as before
        query = query.where(col(CohortMember.cohort_id).in_(cohort_ids))
    return sorted(set(get_session().exec(query).all()))


def cohort_or_404(cohort_id: int) -> Cohort:
    """A cohort the signed-in supervisor may see, or 404."""
    for cohort in visible_cohorts():
        if cohort.id == cohort_id:
            return cohort
    abort(404)


def attempt_or_404(attempt_id: str) -> Attempt:
    """An attempt by a trainee of one of the supervisor's cohorts, or 404."""
    attempt = get_session().get(Attempt, attempt_id)
    if attempt is None or attempt.trainee_id not in supervised_trainee_ids():
        abort(404)
    return attempt


def turn_or_404(turn_id: int) -> tuple[Turn, Attempt]:
    """A turn of a reachable attempt, or 404."""
    turn = get_session().get(Turn, turn_id)
    if turn is None:
        abort(404)
    return turn, attempt_or_404(turn.attempt_id)
