"""Deep Linking: an instructor picks a scenario in the LMS frame; the LMS gets a signed link.

The deep-linking launch signs the instructor in and keeps the request (return URL, opaque
`data`, deployment) in the session. The picker's POST creates a cohort assignment and answers
with a form that posts the signed LtiDeepLinkingResponse back to the LMS (sent by a static
script, or by the button without JavaScript). That response's CSP lets forms post to the return
URL's origin; no other page's does.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, session, url_for
from flask_login import current_user, login_required
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from wtforms.fields.choices import SelectChoice

from simulator.audit import record
from simulator.db import get_session
from simulator.headers import content_security_policy
from simulator.library import get_library
from simulator.lti import bp
from simulator.lti.forms import MAX_ATTEMPTS, PickForm
from simulator.lti.framing import origin, platform_origins
from simulator.lti.tool_conf import DbToolConf
from simulator.lti.views import DEEP_LINK
from simulator.models import Assignment, CohortMember, LtiContext, LtiPlatform


def _request() -> tuple[dict, LtiPlatform, LtiContext]:
    """The deep-linking request this session answers, for a supervisor of its cohort; else 403."""
    pending = session.get(DEEP_LINK)
    if not pending or current_user.role not in ("supervisor", "admin"):
        abort(403)
    db = get_session()
    platform = db.get(LtiPlatform, pending["platform"])
    context = db.get(LtiContext, pending["context"])
    member = db.get(CohortMember, (context.cohort_id, current_user.id)) if context else None
    if platform is None or member is None or member.role != "supervisor":
        abort(403)
    return pending, platform, context


def _form(bound: bool = True) -> PickForm:
    form = PickForm() if bound else PickForm(formdata=None)
    scenarios = sorted(get_library().scenarios.values(), key=lambda s: (s.difficulty, s.title))
    form.scenario.choices = [SelectChoice(s.id, s.title) for s in scenarios]
    return form


def _picker(form: PickForm, context: LtiContext, status: int = 200):
    library = get_library().scenarios
    scenarios = [library[choice.value] for choice in form.scenario.choices]
    return render_template("lti/picker.html", form=form, scenarios=scenarios, context=context,
                           max_attempts=MAX_ATTEMPTS), status


@bp.get("/deep-link")
@login_required
def picker():
    """The scenarios to choose from, with mode, attempts and due date."""
    _, _, context = _request()
    return _picker(_form(bound=False), context)


@bp.post("/deep-link")
@login_required
def pick():
    """Create the assignment and answer the LMS with a signed deep-linking response."""
    pending, platform, context = _request()
    form = _form()
    if not form.validate():
        return _picker(form, context, 422)
    db = get_session()
    scenario = get_library().scenarios[form.scenario.data]
    assignment = Assignment(scenario_id=scenario.id, cohort_id=context.cohort_id,
                            mode=form.mode.data, attempts_allowed=form.attempts_allowed.data,
                            due_at=form.due.end_of_day(), created_by=current_user.id)
    db.add(assignment)
    db.flush()
    token = _response_jwt(pending, platform, scenario.title, assignment.id)
    record(db, actor_id=current_user.id, action="assignment.create", object_type="assignment",
           object_id=str(assignment.id), scenario=scenario.id, via="lti-deep-link")
    db.commit()
    session.pop(DEEP_LINK, None)  # one answer per request
    return _return_form(pending["return_url"], token, scenario.title, platform.id)


def _response_jwt(pending: dict, platform: LtiPlatform, title: str, assignment_id: int) -> str:
    """The LtiDeepLinkingResponse, signed with the tool's current key."""
    resource = (DeepLinkResource().set_title(title).set_url(url_for("lti.launch", _external=True))
                .set_custom_params({"assignment_id": str(assignment_id)}))
    if pending.get("ags"):
        resource.set_lineitem(LineItem().set_score_maximum(100).set_label(title)
                              .set_resource_id(f"assignment-{assignment_id}"))
    registration = DbToolConf(get_session(), current_app).registration(platform)
    settings = {"deep_link_return_url": pending["return_url"], "data": pending.get("data")}
    return DeepLink(registration, pending["deployment_id"], settings).get_response_jwt([resource])


def _return_form(return_url: str, token: str, title: str, platform_id: int):
    response = make_response(render_template("lti/deep_link_return.html", return_url=return_url,
                                             token=token, title=title))
    response.headers["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=platform_origins(platform_id) or None, form_action=[origin(return_url)])
    return response
