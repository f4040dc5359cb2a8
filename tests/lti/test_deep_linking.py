"""Deep Linking: an instructor picks a scenario in the LMS frame; the LMS gets a signed link."""

from __future__ import annotations

import re
from datetime import timedelta

import jwt
import pytest
from jwcrypto.jwk import JWK
from sqlmodel import select

from simulator.models import Assignment, LtiContext, LtiLink
from simulator.models.types import utcnow
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR, LEARNER, TOOL_LAUNCH_URL

DL = "LtiDeepLinkingRequest"
SCENARIO = "anyway-the-driving-test"
TITLE = "Anyway, the driving test"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _open_picker(client, platform, **claims):
    response = launch(client, platform, message_type=DL, sub="teach-1", roles=[INSTRUCTOR],
                      name="Tess Teacher", email="tess@example.edu", **claims)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == "/lti/deep-link"
    picker = client.get("/lti/deep-link")
    assert picker.status_code == 200
    return picker


def _pick(client, picker, **fields):
    form = {"scenario": SCENARIO, "mode": "assessment", "attempts_allowed": "2",
            "due": (utcnow().date() + timedelta(days=7)).isoformat(),
            "csrf_token": _token(picker.get_data(as_text=True)), **fields}
    return client.post("/lti/deep-link", data=form)


def _returned_jwt(response) -> tuple[str, str]:
    html = response.get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)" id="lti-deep-link-return"', html)
    token = re.search(r'<input type="hidden" name="JWT" value="([^"]+)">', html)
    assert action and token, html
    return action.group(1), token.group(1)


def _verify_with_tool_jwks(client, token: str, audience: str) -> dict:
    jwks = client.get("/lti/jwks.json").get_json()
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks["keys"] if k["kid"] == kid)
    public = JWK(**key).export_to_pem()
    return jwt.decode(token, public, algorithms=["RS256"], audience=audience)


def test_the_picker_lists_the_library_and_is_framed_by_the_lms(client, platform, registered):
    picker = _open_picker(client, platform)
    html = picker.get_data(as_text=True)
    assert TITLE in html and "Counselling skills 101" in html
    assert 'name="attempts_allowed"' in html and 'name="due"' in html and 'name="mode"' in html
    policy = picker.headers["Content-Security-Policy"]
    assert f"frame-ancestors {platform.base_url}" in policy
    assert "X-Frame-Options" not in picker.headers


def test_a_pick_creates_the_assignment_and_a_signed_link_for_the_lms(client, platform,
                                                                      registered, session):
    response = _pick(client, _open_picker(client, platform))
    assert response.status_code == 200
    action, token = _returned_jwt(response)
    assert action == platform.url("/deep-link-return")
    html = response.get_data(as_text=True)
    assert 'src="/static/js/lti-return.js"' in html and "<script>" not in html
    assert ">Return to the LMS</button>" in html
    policy = response.headers["Content-Security-Policy"]
    assert f"form-action 'self' {platform.base_url};" in policy
    assert f"frame-ancestors {platform.base_url}" in policy

    context = session.exec(select(LtiContext)).one()
    assignment = session.exec(select(Assignment)).one()
    assert (assignment.scenario_id, assignment.cohort_id, assignment.mode,
            assignment.attempts_allowed) == (SCENARIO, context.cohort_id, "assessment", 2)
    assert assignment.due_at.date() == utcnow().date() + timedelta(days=7)

    claims = _verify_with_tool_jwks(client, token, audience=platform.issuer)
    assert claims["iss"] == platform.client_id
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "deployment_id"] == platform.deployment_id
    assert claims[DL_CLAIM + "data"] == "platform-opaque-data"
    [item] = claims[DL_CLAIM + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["title"] == TITLE
    assert item["url"] == TOOL_LAUNCH_URL
    assert item["custom"] == {"assignment_id": str(assignment.id)}
    assert item["lineItem"] == {"scoreMaximum": 100, "label": TITLE,
                                "resourceId": f"assignment-{assignment.id}"}


def test_launching_the_picked_link_binds_it_and_lands_on_the_scenario(client, platform,
                                                                       registered, session):
    _, token = _returned_jwt(_pick(client, _open_picker(client, platform)))
    custom = _verify_with_tool_jwks(client, token, platform.issuer)[
        DL_CLAIM + "content_items"][0]["custom"]
    response = launch(client, platform, sub="stu-1", roles=[LEARNER], email="lee@example.edu",
                      resource_link_id="placed-1", custom=custom)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/scenarios/{SCENARIO}"
    link = session.exec(select(LtiLink).where(LtiLink.resource_link_id == "placed-1")).one()
    assert str(link.assignment_id) == custom["assignment_id"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Start the assigned session" in page and "assessment mode" in page


def test_without_ags_the_link_has_no_line_item(client, platform, registered):
    _, token = _returned_jwt(_pick(client, _open_picker(client, platform, ags=False)))
    [item] = _verify_with_tool_jwks(client, token, platform.issuer)[DL_CLAIM + "content_items"]
    assert "lineItem" not in item


@pytest.mark.parametrize(("fields", "message"), [
    ({"scenario": ""}, "Choose a scenario."),
    ({"scenario": "no-such-scenario"}, "Choose a scenario from the library."),
    ({"attempts_allowed": "11"}, "Attempts allowed must be a whole number from 1 to 10."),
    ({"due": "2001-01-01"}, "The due date 2001-01-01 has already passed"),
])
def test_a_bad_pick_is_shown_beside_its_field_and_saves_nothing(client, platform, registered,
                                                                 session, fields, message):
    response = _pick(client, _open_picker(client, platform), **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'class="field-error" id="[\w-]+-error">' + re.escape(message), html)
    assert session.exec(select(Assignment)).all() == []


def test_the_pick_needs_the_forms_csrf_token(client, platform, registered, session):
    response = _pick(client, _open_picker(client, platform), csrf_token="forged")
    assert response.status_code == 400
    assert session.exec(select(Assignment)).all() == []


def test_a_learner_cannot_open_the_picker_from_the_lms(client, platform, registered, session):
    response = launch(client, platform, message_type=DL, sub="stu-1", roles=[LEARNER])
    assert response.status_code == 403
    assert "Only the course&#39;s instructors can add" in response.get_data(as_text=True)


def test_a_learner_posting_the_picker_is_refused(client, platform, registered, session):
    launch(client, platform, sub="stu-1", roles=[LEARNER], email="lee@example.edu")
    token = _token(client.get("/").get_data(as_text=True))
    response = client.post("/lti/deep-link", data={"scenario": SCENARIO, "mode": "practice",
                                                   "attempts_allowed": "1", "csrf_token": token})
    assert response.status_code == 403
    assert session.exec(select(Assignment)).all() == []


def test_the_pick_answers_one_request_only(client, platform, registered, session):
    picker = _open_picker(client, platform)
    assert _pick(client, picker).status_code == 200
    assert _pick(client, picker).status_code == 403
    assert len(session.exec(select(Assignment)).all()) == 1
