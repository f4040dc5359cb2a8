"""The supervisor's start page and creating cohorts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import col, select

from simulator.audit import record
from simulator.courses.cohorts import CohortError, add_member, create_cohort
from simulator.courses.reviews import review_queue_length
from simulator.db import get_session
from simulator.models import CohortMember
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import visible_attempts, visible_cohorts
from simulator.supervisor.forms import CohortForm

SUPERVISORS = ("supervisor", "admin")


def trainee_counts(session, cohort_ids: list[int]) -> dict[int, int]:
    """Trainees per cohort, in one query."""
    rows = session.exec(
        select(CohortMember.cohort_id, func.count()).where(
            col(CohortMember.cohort_id).in_(cohort_ids or [-1]), CohortMember.role == "trainee")
        .group_by(CohortMember.cohort_id)).all()
    return dict(rows)


def _home(form: CohortForm, status: int = 200):
    session = get_session()
    cohorts = visible_cohorts()
    sizes = trainee_counts(session, [c.id for c in cohorts])
    waiting = review_queue_length(session=session, attempts_where=visible_attempts())
    return render_template("supervisor/home.html", cohorts=cohorts, sizes=sizes,
                           queue_length=waiting, form=form), status


@bp.get("/")
@role_required(*SUPERVISORS)
def home():
    """Cohorts at a glance, the review queue's length, and a form for a new cohort."""
    return _home(CohortForm(formdata=None))


@bp.post("/cohorts")
@role_required(*SUPERVISORS)
def create():
    """Create a cohort; a supervisor who creates one supervises it."""
    form = CohortForm()
    if not form.validate_on_submit():
        return _home(form, 422)
    session = get_session()
    try:
        cohort = create_cohort(session=session, name=form.name.data,
                               description=form.description.data)
        session.flush()
        if current_user.role == "supervisor":
            add_member(session=session, cohort=cohort, user=current_user.user, role="supervisor")
    except CohortError as error:
        session.rollback()
        form.name.errors.append(str(error))
        return _home(form, 422)
    record(session, actor_id=current_user.id, action="cohort.create", object_type="cohort",
           object_id=str(cohort.id))
    session.commit()
    flash(f"Cohort “{cohort.name}” created.", "info")
    return redirect(url_for("supervisor.cohort", cohort_id=cohort.id), code=303)
