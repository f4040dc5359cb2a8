"""One cohort: its dashboard, its members, and its assignments."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from simulator.audit import record
from simulator.courses.cohorts import CohortError, add_member, members
from simulator.courses.dashboard import cohort_view
from simulator.courses.tokens import issue_token, set_password_path
from simulator.db import get_session
from simulator.library import get_library
from simulator.models import Assignment, User
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404
from simulator.supervisor.home import SUPERVISORS
from simulator.trainee.charts import line_chart
from simulator.users import UserError, create_user, find_user
from simulator.web import form_int

MAX_ATTEMPTS_ALLOWED = 20


def _page(cohort, status: int = 200, **extra):
    session = get_session()
    library = get_library()
    rubric = library.rubrics["repair-core"]
    view = cohort_view(session=session, cohort_id=cohort.id, rubric=rubric)
    trend_charts = {tid: line_chart(points, [str(i + 1) for i in range(len(points))], low=0,
                                    high=1) for tid, points in view.trends.items() if points}
    context = dict(cohort=cohort, view=view, rubric=rubric, library=library,
                   members=members(session=session, cohort_id=cohort.id),
                   trend_charts=trend_charts, form_error=None, assign_error=None, links=[])
    context.update(extra)
    return render_template("supervisor/cohort.html", **context), status


@bp.get("/cohorts/<int:cohort_id>")
@role_required(*SUPERVISORS)
def cohort(cohort_id: int):
    """Completion matrix, criterion heatmap, weakest skills and trends for one cohort."""
    return _page(cohort_or_404(cohort_id))


@bp.post("/cohorts/<int:cohort_id>/members")
@role_required(*SUPERVISORS)
def add_person(cohort_id: int):
    """Add one person; a new account gets a one-time link to set a password."""
    found = cohort_or_404(cohort_id)
    session = get_session()
    email, name = request.form.get("email", ""), request.form.get("name", "")
    role = request.form.get("role", "trainee")
    links = []
    try:
        user = find_user(session=session, email=email)
        if user is None:
            user = create_user(session=session, email=email, name=name, role=role)
            session.flush()
            links.append((user, set_password_path(issue_token(session=session, user=user))))
        add_member(session=session, cohort=found, user=user, role=role)
    except (UserError, CohortError) as error:
        session.rollback()
        return _page(found, 422, form_error=str(error))
    record(session, actor_id=current_user.id, action="cohort.add_member", object_type="cohort",
           object_id=str(found.id), user=user.id, role=role)
    session.commit()
    flash(f"{user.email} is now in {found.name} as {role}.", "info")
    return _page(found, links=links)


def _due(value: str) -> datetime | None:
    """A due date from the form: the end of that day, UTC."""
    if not value:
        return None
    day = datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 (a date, made UTC below)
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@bp.post("/cohorts/<int:cohort_id>/assignments")
@role_required(*SUPERVISORS)
def assign(cohort_id: int):
    """Assign scenarios to the whole cohort or to chosen trainees."""
    found = cohort_or_404(cohort_id)
    session = get_session()
    try:
        assignments = _assignments_from_form(found, session)
    except ValueError as error:
        return _page(found, 422, assign_error=str(error))
    session.add_all(assignments)
    session.flush()
    for assignment in assignments:
        record(session, actor_id=current_user.id, action="assignment.create",
               object_type="assignment", object_id=str(assignment.id),
               scenario=assignment.scenario_id)
    session.commit()
    flash(f"{len(assignments)} assignment{'s' if len(assignments) != 1 else ''} created.", "info")
    return redirect(url_for("supervisor.cohort", cohort_id=found.id), code=303)


def _assignments_from_form(cohort, session) -> list[Assignment]:
    library = get_library()
    scenario_ids = request.form.getlist("scenario")
    if not scenario_ids or any(s not in library.scenarios for s in scenario_ids):
        raise ValueError("Choose at least one scenario from the library.")
    mode = request.form.get("mode", "practice")
    if mode not in ("practice", "assessment"):
        raise ValueError("Mode must be practice or assessment.")
    allowed = form_int(request.form.get("attempts_allowed", "1"))
    if allowed is None or not 1 <= allowed <= MAX_ATTEMPTS_ALLOWED:
        raise ValueError(f"Attempts allowed must be a whole number from 1 to "
                         f"{MAX_ATTEMPTS_ALLOWED}.")
    try:
        due = _due(request.form.get("due", ""))
    except ValueError:
        raise ValueError("The due date must be a date such as 2026-12-01.") from None
    targets = _targets(cohort, session)
    return [Assignment(scenario_id=sid, mode=mode, attempts_allowed=allowed, due_at=due,
                       created_by=current_user.id, **target)
            for sid in scenario_ids for target in targets]


def _targets(cohort, session) -> list[dict]:
    chosen = [n for t in request.form.getlist("trainee") if (n := form_int(t)) is not None]
    if not chosen:
        return [{"cohort_id": cohort.id}]
    in_cohort = {m.user.id for m in members(session=session, cohort_id=cohort.id,
                                            role="trainee")}
    if not set(chosen) <= in_cohort:
        raise ValueError("Choose trainees from this cohort only.")
    users = session.exec(select(User).where(User.id.in_(chosen))).all()  # type: ignore[union-attr]
    return [{"trainee_id": user.id} for user in users]
