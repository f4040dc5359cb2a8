"""What a supervisor may reach: their cohorts, and the work those cohorts let them see.

A trainee's attempt is in reach only through a cohort the supervisor supervises: an
assignment given there, or practice the trainee shared there, started after the trainee joined
(the rule is simulator.courses.visibility.seen_through). Admins reach every cohort and every
attempt.
Anything out of reach is a 404, the same as something that does not exist.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import and_
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import col, select

from simulator.courses.visibility import seen_through, trainees_of
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


def visible_attempts() -> ColumnElement[bool]:
    """The condition, on `Attempt`, that the signed-in supervisor may see it through a cohort.

    For an admin: every attempt seen through any cohort (the work under supervision). The
    database checks it inside the query that uses it, so a list page costs no extra round trip.
    """
    if current_user.role == "admin":
        return seen_through(select(Cohort.id))
    cohorts = _supervised_cohort_ids()
    return and_(col(Attempt.trainee_id).in_(trainees_of(cohorts)), seen_through(cohorts))


def cohort_or_404(cohort_id: int) -> Cohort:
    """A cohort the signed-in supervisor may see, or 404."""
    for cohort in visible_cohorts():
        if cohort.id == cohort_id:
            return cohort
    abort(404)


def attempt_or_404(attempt_id: str) -> Attempt:
    """An attempt the signed-in supervisor may see (any attempt for an admin), or 404."""
    session = get_session()
    if current_user.role == "admin":
        attempt = session.get(Attempt, attempt_id)
    else:
        attempt = session.exec(select(Attempt).where(
            Attempt.id == attempt_id, visible_attempts())).first()
    if attempt is None or attempt.trainee_id is None:
        abort(404)
    return attempt


def turn_or_404(turn_id: int) -> tuple[Turn, Attempt]:
    """A turn of a reachable attempt, or 404."""
    turn = get_session().get(Turn, turn_id)
    if turn is None:
        abort(404)
    return turn, attempt_or_404(turn.attempt_id)
