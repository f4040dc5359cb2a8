"""A cohort linked to an LMS: grade return status per trainee and assignment, and roster sync.

The cohort page asks `lms_panel` (a template global) what to show; nothing is shown for a
cohort no LMS course maps to. Both actions are POSTs with a CSRF token, reachable only by the
cohort's supervisors (and admins): anything else is a 404, as for the rest of the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from simulator.audit import record
from simulator.db import get_session
from simulator.lti.grades import GradeStatus, grade_statuses, queue_grade
from simulator.lti.roster import sync_roster
from simulator.lti.service_token import ServiceError
from simulator.models import Assignment, Cohort, LtiContext, LtiLink, LtiPlatform
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404
from simulator.supervisor.cohort_views import cohort_page
from simulator.supervisor.home import SUPERVISORS
from simulator.supervisor.link_views import trainee_member_or_404
from simulator.web import wants_fragment

QUEUED = {
    "queued": "The LMS grade is queued to send now.",
    "unchanged": "The LMS grade is queued to send now.",
    "no-account": ("Not sent: this trainee has not opened the activity from the LMS yet (or "
                   "been brought in by a roster sync), so their LMS account is unknown."),
    "nothing": "Nothing to send yet: no completed, scored attempt at this assignment.",
}


class ButtonForm(FlaskForm):
    """A button: nothing to fill in, but a CSRF token to check."""


@dataclass(frozen=True)
class LmsCourse:
    """An LMS course this cohort came from, and whether its members can be synced."""

    context: LtiContext
    platform_name: str

    @property
    def can_sync(self) -> bool:
        return bool(self.context.memberships_url)


@dataclass(frozen=True)
class LmsPanel:
    courses: list[LmsCourse] = field(default_factory=list)
    grades: dict[tuple[int, int], list[GradeStatus]] = field(default_factory=dict)


@bp.app_template_global()
def lms_panel(cohort: Cohort, view) -> LmsPanel:
    """The LMS courses of a cohort and its trainees' grade return status (cohort page)."""
    session = get_session()
    rows = session.exec(select(LtiContext, LtiPlatform).join(
        LtiPlatform, col(LtiPlatform.id) == col(LtiContext.platform_id))
        .where(LtiContext.cohort_id == cohort.id).order_by(col(LtiContext.id))).all()
    if not rows:  # one query for a cohort no LMS course maps to (a link needs its course)
        return LmsPanel()
    grades = grade_statuses(session=session, assignment_ids=[a.id for a in view.assignments],
                            user_ids=[t.id for t in view.trainees])
    return LmsPanel([LmsCourse(ctx, platform.name or platform.issuer) for ctx, platform in rows],
                    grades)


def _link_or_404(cohort: Cohort, link_id: int, user_id: int) -> LtiLink:
    """An LMS placement of an assignment this cohort's supervisors grade for this trainee."""
    session = get_session()
    link = session.get(LtiLink, link_id)
    assignment = session.get(Assignment, link.assignment_id) \
        if link is not None and link.assignment_id is not None else None
    if assignment is None or not link.lineitem_url:
        abort(404)
    given = assignment.cohort_id == cohort.id or (
        assignment.within_cohort_id == cohort.id and assignment.trainee_id == user_id)
    if not given:
        abort(404)
    return link


@bp.post("/cohorts/<int:cohort_id>/lms-grades/<int:link_id>/<int:user_id>")
@role_required(*SUPERVISORS)
def retry_lms_grade(cohort_id: int, link_id: int, user_id: int):
    """Queue the trainee's grade for this placement again, due now, and wake the sender."""
    cohort = cohort_or_404(cohort_id)
    person = trainee_member_or_404(cohort.id, user_id)
    link = _link_or_404(cohort, link_id, person.id)
    if not ButtonForm().validate_on_submit():
        abort(400)  # only a post without a valid CSRF token gets here, and CSRFProtect stops it
    session = get_session()
    outcome = queue_grade(session=session, link=link, user_id=person.id, again=True)
    record(session, actor_id=current_user.id, action="lti.grade_retry", object_type="lti_link",
           object_id=str(link.id), user=person.id, outcome=outcome)
    session.commit()  # in inline delivery mode the sender has run when this returns
    message = QUEUED[outcome]
    status = grade_statuses(session=session, assignment_ids=[link.assignment_id],
                            user_ids=[person.id], link_id=link.id)
    found = status.get((person.id, link.assignment_id), [None])[0]
    if found is None:
        abort(404)
    if not wants_fragment():
        flash(message, "info")
        anchor = f"#lms-grade-{link.id}-{person.id}"
        return redirect(url_for("supervisor.cohort", cohort_id=cohort.id) + anchor, code=303)
    response = make_response(render_template(
        "supervisor/_lti_grade.html", cohort=cohort, status=found, trainee=person, scored=True,
        note=message))
    response.vary.add("HX-Request")
    return response


@bp.post("/cohorts/<int:cohort_id>/lms-roster/<int:context_id>")
@role_required(*SUPERVISORS)
def sync_lms_roster(cohort_id: int, context_id: int):
    """Bring the LMS course's members into the cohort, and show what was done."""
    cohort = cohort_or_404(cohort_id)
    session = get_session()
    context = session.get(LtiContext, context_id)
    if context is None or context.cohort_id != cohort.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        report = sync_roster(session=session, app=current_app._get_current_object(),
                             context=context, actor_id=current_user.id)
        session.commit()
    except ServiceError as error:
        session.rollback()
        return cohort_page(cohort, 502, lms_roster_error=(
            context.id, f"The LMS did not give the member list ({error.reason}). Nothing was "
                        "changed; try again later, or ask the LMS administrator to enable "
                        "names and roles for this tool."))
    except IntegrityError:  # the same person added by a launch or another sync just now
        session.rollback()
        return cohort_page(cohort, 409, lms_roster_error=(
            context.id, "Someone joined from the LMS at the same moment. Nothing was changed; "
                        "please sync again."))
    return cohort_page(cohort, lms_roster_report=(context.id, report))
