"""One cohort: its dashboard, its members and invitations, and its assignments."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from simulator.audit import record
from simulator.courses.cohorts import CohortError, Member, add_member, members
from simulator.courses.dashboard import cohort_view
from simulator.courses.invitations import InvitationLink, invite, is_member, pending_in
from simulator.courses.roster import IssuedLink
from simulator.courses.tokens import issue_token
from simulator.db import get_session
from simulator.library import get_library, library_for_cohort
from simulator.models import Assignment
from simulator.roles import role_required
from simulator.scenarios.library import Library
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404
from simulator.supervisor.forms import AssignForm, PersonForm, RosterUploadForm
from simulator.supervisor.home import SUPERVISORS
from simulator.trainee.charts import line_chart
from simulator.users import UserError, create_user, find_user

ADMINS_ONLY = ("Only an administrator can add a supervisor. Add this person as a trainee, or "
               "ask an administrator.")


def _assign_form(people: list[Member], offered: Library, *, bound: bool = True) -> AssignForm:
    """The assignment form, its choices what the cohort is offered (shipped scenarios and
    those published to it: library_for_cohort) and the cohort's trainees."""
    form = AssignForm() if bound else AssignForm(formdata=None)
    form.scenario.choices = [SelectChoice(s.id, s.title) for s in sorted(
        offered.scenarios.values(), key=lambda s: s.title)]
    form.trainee.choices = [SelectChoice(m.user.id, m.user.name) for m in people
                            if m.role == "trainee"]
    return form


def cohort_page(cohort, status: int = 200, **extra):
    """The cohort's page; `extra` carries a rejected form (errors beside its fields) or links."""
    session = get_session()
    library = get_library()
    rubric = library.rubrics["repair-core"]
    view = cohort_view(session=session, cohort_id=cohort.id, rubric=rubric)
    trend_charts = {tid: line_chart(points, [str(i + 1) for i in range(len(points))], low=0,
                                    high=1) for tid, points in view.trends.items() if points}
    people = members(session=session, cohort_id=cohort.id)
    offered = library_for_cohort(cohort.id)
    context = dict(cohort=cohort, view=view, rubric=rubric, library=library, members=people,
                   offered=offered,
                   invited=pending_in(session=session, cohort_id=cohort.id),
                   trend_charts=trend_charts, links=[], links_invite=False)
    context.update(extra)
    context.setdefault("person_form", PersonForm(formdata=None))
    context.setdefault("assign_form", _assign_form(people, offered, bound=False))
    context.setdefault("roster_form", RosterUploadForm(formdata=None))
    return render_template("supervisor/cohort.html", **context), status


@bp.get("/cohorts/<int:cohort_id>")
@role_required(*SUPERVISORS)
def cohort(cohort_id: int):
    """Completion matrix, criterion heatmap, weakest skills and trends for one cohort."""
    return cohort_page(cohort_or_404(cohort_id))


@bp.post("/cohorts/<int:cohort_id>/members")
@role_required(*SUPERVISORS)
def add_person(cohort_id: int):
    """Invite one person (admins add directly); the answer is the same for every email."""
    found = cohort_or_404(cohort_id)
    form = PersonForm()
    admin = current_user.role == "admin"
    if form.validate_on_submit() and form.role.data != "trainee" and not admin:
        form.role.errors.append(ADMINS_ONLY)
    if form.errors:
        return cohort_page(found, 422, person_form=form)
    session = get_session()
    if is_member(session=session, cohort=found, email=form.email.data):
        # Only someone the member list already shows: saying so reveals nothing new.
        flash(f"{form.email.data.lower()} is already in {found.name}.", "info")
        return cohort_page(found)
    try:
        link, done = _add_directly(found, form) if admin else _invite(found, form)
        session.commit()
    except (UserError, CohortError) as error:
        session.rollback()
        form.email.errors.append(str(error))
        return cohort_page(found, 422, person_form=form)
    except IntegrityError:  # the same person added at the same moment in another request
        session.rollback()
        flash("Someone else changed this cohort at the same moment. Nothing was saved; please "
              "add the person again.", "warning")
        return cohort_page(found, 409, person_form=form)
    flash(done, "info")
    return cohort_page(found, links=[link] if link else [], links_invite=not admin)


def _invite(cohort, form: PersonForm) -> tuple[InvitationLink, str]:
    """Invite the person (not committed); the link and what to tell the supervisor."""
    session = get_session()
    link = invite(session=session, cohort=cohort, email=form.email.data, name=form.name.data,
                  invited_by=current_user.id)
    session.flush()
    record(session, actor_id=current_user.id, action="cohort.invite", object_type="cohort",
           object_id=str(cohort.id), user=link.user_id)
    return link, f"{link.email} is invited to {cohort.name}."


def _add_directly(cohort, form: PersonForm) -> tuple[IssuedLink | None, str]:
    """Add the person now (not committed); a new account's link, and what to tell the admin."""
    session = get_session()
    role, link = form.role.data, None
    user = find_user(session=session, email=form.email.data)
    if user is None:
        user = create_user(session=session, email=form.email.data, name=form.name.data,
                           role=role)
        session.flush()
        link = IssuedLink(user.id, user.email, user.name, issue_token(session=session, user=user))
    add_member(session=session, cohort=cohort, user=user, role=role)
    record(session, actor_id=current_user.id, action="cohort.add_member", object_type="cohort",
           object_id=str(cohort.id), user=user.id, role=role)
    return link, f"{user.email} is now in {cohort.name} as {role}."


@bp.post("/cohorts/<int:cohort_id>/assignments")
@role_required(*SUPERVISORS)
def assign(cohort_id: int):
    """Assign scenarios to the whole cohort or to chosen trainees."""
    found = cohort_or_404(cohort_id)
    session = get_session()
    form = _assign_form(members(session=session, cohort_id=found.id),
                        library_for_cohort(found.id))
    if not form.validate_on_submit():
        return cohort_page(found, 422, assign_form=form)
    targets = ([{"trainee_id": t, "within_cohort_id": found.id} for t in form.trainee.data]
               or [{"cohort_id": found.id}])
    assignments = [Assignment(scenario_id=sid, mode=form.mode.data,
                              attempts_allowed=form.attempts_allowed.data,
                              due_at=form.due.end_of_day(), created_by=current_user.id, **target)
                   for sid in form.scenario.data for target in targets]
    session.add_all(assignments)
    session.flush()
    for assignment in assignments:
        record(session, actor_id=current_user.id, action="assignment.create",
               object_type="assignment", object_id=str(assignment.id),
               scenario=assignment.scenario_id)
    session.commit()
    flash(f"{len(assignments)} assignment{'s' if len(assignments) != 1 else ''} created.", "info")
    return redirect(url_for("supervisor.cohort", cohort_id=found.id), code=303)

