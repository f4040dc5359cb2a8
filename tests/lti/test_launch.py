"""LTI 1.3 launches end to end: the test LMS over real HTTP, real JWTs, the real database."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator.models import (
    Assignment,
    AuditEvent,
    Cohort,
    CohortMember,
    LtiContext,
    LtiIdentity,
    LtiLink,
    User,
)
from tests.helpers import make_user
from tests.lti.conftest import launch, start_launch
from tests.lti.platform import (
    AGS_SCOPES,
    INSTRUCTOR,
    LEARNER,
    MENTOR,
    TEACHING_ASSISTANT,
    TestPlatform,
)

SCENARIO = "anyway-the-driving-test"
TITLE = "Anyway, the driving test"


def _member(session, cohort_id: int, user_id: int) -> CohortMember | None:
    session.expire_all()
    return session.get(CohortMember, (cohort_id, user_id))


def _refusal(response) -> str:
    match = re.search(r'id="lti-error">([^<]*)<', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1).replace("&#39;", "'").replace("&#34;", '"')


def _assignment(session, cohort_id: int, scenario_id: str = SCENARIO) -> Assignment:
    assignment = Assignment(scenario_id=scenario_id, cohort_id=cohort_id)
    session.add(assignment)
    session.commit()
    session.refresh(assignment)
    return assignment


def test_learner_first_launch_creates_account_cohort_and_lands_home(client, platform,
                                                                     registered, session):
    response = launch(client, platform, sub="stu-1", roles=[LEARNER], name="Lee Learner",
                      email="Lee@Example.edu")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"  # no assignment on this link: the trainee home
    user = session.exec(select(User).where(User.email == "lee@example.edu")).one()
    assert (user.name, user.role) == ("Lee Learner", "trainee")
    identity = session.exec(select(LtiIdentity)).one()
    assert (identity.platform_id, identity.subject, identity.user_id) == (
        registered.id, "stu-1", user.id)
    context = session.exec(select(LtiContext)).one()
    cohort = session.get(Cohort, context.cohort_id)
    assert cohort.name == "Counselling skills 101"
    assert context.deployment_id == "deployment-1"
    assert context.memberships_url == platform.url("/contexts/course-1/memberships")
    assert context.lineitems_url == platform.url("/contexts/course-1/lineitems")
    assert _member(session, cohort.id, user.id).role == "trainee"
    link = session.exec(select(LtiLink)).one()
    assert link.resource_link_id == "link-1" and link.assignment_id is None
    assert link.lineitem_url == platform.url("/contexts/course-1/lineitems/link-1/lineitem")
    assert link.scopes == AGS_SCOPES
    home = client.get("/")
    assert home.status_code == 200 and "Lee Learner" in home.get_data(as_text=True)


def test_learner_on_a_bound_link_lands_on_the_assignments_scenario(client, platform,
                                                                    registered, session):
    teacher = launch(client, platform, sub="teach-1", roles=[INSTRUCTOR], name="Tess Teacher",
                     email="tess@example.edu", resource_link_id="setup")
    assert teacher.status_code == 303
    context = session.exec(select(LtiContext)).one()
    assignment = _assignment(session, context.cohort_id)
    response = launch(client, platform, sub="stu-2", roles=[LEARNER], email="sam@example.edu",
                      name="Sam Student", resource_link_id="link-9",
                      custom={"assignment_id": str(assignment.id)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/scenarios/{SCENARIO}"
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and TITLE in text
    assert "Start the assigned session" in text
    assert f'name="assignment" value="{assignment.id}"' in text
    link = session.exec(select(LtiLink).where(LtiLink.resource_link_id == "link-9")).one()
    assert link.assignment_id == assignment.id


def test_instructor_launch_makes_a_supervisor_and_lands_on_the_cohort(client, platform,
                                                                       registered, session):
    response = launch(client, platform, sub="teach-1", roles=[INSTRUCTOR],
                      name="Tess Teacher", email="tess@example.edu")
    context = session.exec(select(LtiContext)).one()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/supervise/cohorts/{context.cohort_id}"
    user = session.exec(select(User).where(User.email == "tess@example.edu")).one()
    assert user.role == "supervisor"
    assert _member(session, context.cohort_id, user.id).role == "supervisor"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Counselling skills 101" in page.get_data(as_text=True)


def test_a_second_launch_reuses_the_account_and_the_cohort(client, platform, registered,
                                                            session):
    launch(client, platform, sub="stu-1", email="lee@example.edu")
    again = launch(client, platform, sub="stu-1", email="lee@example.edu",
                   context_title="Renamed in the LMS")
    assert again.status_code == 303
    assert len(session.exec(select(User)).all()) == 1
    assert len(session.exec(select(LtiIdentity)).all()) == 1
    assert len(session.exec(select(Cohort)).all()) == 1
    assert len(session.exec(select(LtiContext)).all()) == 1
    assert session.exec(select(LtiContext)).one().title == "Renamed in the LMS"


def test_a_trainee_launched_as_teaching_assistant_becomes_supervisor(client, platform,
                                                                      registered, session):
    launch(client, platform, sub="stu-1", roles=[LEARNER], email="lee@example.edu")
    response = launch(client, platform, sub="stu-1", roles=[TEACHING_ASSISTANT],
                      email="lee@example.edu")
    user = session.exec(select(User)).one()
    context = session.exec(select(LtiContext)).one()
    assert response.headers["Location"] == f"/supervise/cohorts/{context.cohort_id}"
    assert user.role == "supervisor"
    assert _member(session, context.cohort_id, user.id).role == "supervisor"


def test_a_supervisor_is_never_downgraded_by_a_learner_launch(client, platform, registered,
                                                               session):
    launch(client, platform, sub="teach-1", roles=[INSTRUCTOR], email="tess@example.edu")
    response = launch(client, platform, sub="teach-1", roles=[LEARNER], email="tess@example.edu")
    assert response.status_code == 303
    user = session.exec(select(User)).one()
    context = session.exec(select(LtiContext)).one()
    assert user.role == "supervisor"
    assert _member(session, context.cohort_id, user.id).role == "supervisor"


def test_an_existing_trainee_account_is_linked_by_email(client, platform, registered, session):
    existing = make_user(session, email="kim@example.edu", role="trainee")
    assert launch(client, platform, sub="kim", email="KIM@example.edu").status_code == 303
    identity = session.exec(select(LtiIdentity)).one()
    assert identity.user_id == existing.id
    assert len(session.exec(select(User)).all()) == 1


@pytest.mark.parametrize("roles", [[LEARNER], [INSTRUCTOR]])
def test_an_admin_account_is_never_linked(client, platform, registered, session, roles):
    make_user(session, email="boss@example.edu", role="admin")
    response = launch(client, platform, sub="boss", roles=roles, email="boss@example.edu")
    assert response.status_code == 403
    assert "Administrator accounts cannot be signed in through an LMS" in _refusal(response)
    assert session.exec(select(LtiIdentity)).all() == []
    assert client.get("/admin/").status_code == 302  # not signed in


def test_a_learner_launch_does_not_open_a_supervisors_account(client, platform, registered,
                                                               session):
    make_user(session, email="sup@example.edu", role="supervisor")
    response = launch(client, platform, sub="pretender", roles=[LEARNER], email="sup@example.edu")
    assert response.status_code == 403
    assert "supervisor's account" in _refusal(response)


def test_missing_email_is_refused_with_what_the_lms_admin_must_change(client, platform,
                                                                       registered, session):
    response = launch(client, platform, sub="anon", email=None)
    assert response.status_code == 400
    assert "did not share your email address" in _refusal(response)
    assert "Share launcher's email with the tool" in _refusal(response)
    assert session.exec(select(User)).all() == []


def test_a_role_that_is_neither_learner_nor_instructor_is_refused(client, platform, registered,
                                                                   session):
    response = launch(client, platform, sub="mentor", roles=[MENTOR])
    assert response.status_code == 403
    assert "for learners and instructors" in _refusal(response)
    assert session.exec(select(User)).all() == []


def test_a_link_naming_another_cohorts_assignment_is_refused(client, platform, registered,
                                                              session):
    other = Cohort(name="Somebody else's cohort")
    session.add(other)
    session.commit()
    foreign = _assignment(session, other.id)
    response = launch(client, platform, sub="stu-1", resource_link_id="sneaky",
                      custom={"assignment_id": str(foreign.id)})
    assert response.status_code == 400
    assert f"names assignment '{foreign.id}', which is not one of this course's" \
        in _refusal(response)
    assert session.exec(select(LtiLink)).all() == []
    assert client.get("/").status_code == 302  # nobody signed in


def test_the_launch_is_audited_without_email_or_token(client, platform, registered, session):
    fields = start_launch(client, platform, sub="stu-1", email="lee@example.edu")
    client.post("/lti/launch", data=fields)
    events = session.exec(select(AuditEvent).where(
        AuditEvent.action.in_(["login", "lti.launch"]))).all()
    assert {e.action for e in events} == {"login", "lti.launch"}
    stored = " ".join(str(e.detail) for e in events)
    assert "lee@example.edu" not in stored and fields["id_token"][:20] not in stored
    assert all(e.detail.get("via", "lti") == "lti" for e in events)


# -- refusals --------------------------------------------------------------------------------

def test_a_tampered_signature_is_refused(client, platform, registered, session):
    fields = start_launch(client, platform, sub="stu-1")
    header, body, signature = fields["id_token"].split(".")
    forged = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    response = client.post("/lti/launch", data={**fields, "id_token": f"{header}.{body}.{forged}"})
    assert response.status_code == 403
    assert "signature could not be verified" in _refusal(response)
    assert session.exec(select(User)).all() == []


def test_a_token_signed_by_another_key_is_refused(client, platform, registered, session):
    from jwcrypto.jwk import JWK

    fields = start_launch(client, platform, sub="stu-1")
    other = TestPlatform(key=JWK.generate(kty="RSA", size=2048))
    claims = platform.claims(nonce=_nonce_of(fields["id_token"]), sub="stu-1")
    token = other.sign(claims, kid=platform.kid)  # right kid, wrong key
    response = client.post("/lti/launch", data={**fields, "id_token": token})
    assert response.status_code == 403
    assert "signature could not be verified" in _refusal(response)


def _nonce_of(token: str) -> str:
    import jwt

    return jwt.decode(token, options={"verify_signature": False})["nonce"]


def test_an_unknown_issuer_is_refused_at_login(client, platform, registered):
    params = {**platform.login_params(), "iss": "https://lms.nowhere.example"}
    response = client.get("/lti/login", query_string=params)
    assert response.status_code == 403
    assert "No LMS is registered here with issuer 'https://lms.nowhere.example'" \
        in _refusal(response)


def test_a_launch_from_an_unknown_issuer_is_refused(client, platform, registered, session):
    fields = start_launch(client, platform, sub="stu-1")
    claims = platform.claims(nonce=_nonce_of(fields["id_token"]), sub="stu-1",
                             iss="https://lms.nowhere.example")
    response = client.post("/lti/launch", data={**fields, "id_token": platform.sign(claims)})
    assert response.status_code == 403
    assert "No LMS is registered here with issuer 'https://lms.nowhere.example'" \
        in _refusal(response)


def test_an_unregistered_deployment_is_refused(client, platform, registered, session):
    response = launch(client, platform, sub="stu-1", deployment_id="deployment-other")
    assert response.status_code == 403
    assert _refusal(response) \
        == "The deployment 'deployment-other' is not registered for this LMS."
    assert session.exec(select(User)).all() == []


def test_an_expired_token_is_refused(client, platform, registered):
    response = launch(client, platform, sub="stu-1", expires_in=-3600)
    assert response.status_code == 403
    assert "The launch has expired" in _refusal(response)


def test_a_token_for_another_tool_is_refused(client, platform, registered):
    fields = start_launch(client, platform, sub="stu-1")
    claims = platform.claims(nonce=_nonce_of(fields["id_token"]), sub="stu-1",
                             aud=["holding-space", "another-tool"], azp="another-tool")
    response = client.post("/lti/launch", data={**fields, "id_token": platform.sign(claims)})
    assert response.status_code == 403
    assert "authorized party" in _refusal(response)


def test_a_replayed_launch_is_refused(client, platform, registered, session):
    fields = start_launch(client, platform, sub="stu-1")
    assert client.post("/lti/launch", data=fields).status_code == 303
    replay = client.post("/lti/launch", data=fields)
    assert replay.status_code == 403
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "lti.launch")).all()) \
        == 1


def test_a_replayed_nonce_is_refused_even_with_a_fresh_state(client, platform, registered):
    first = start_launch(client, platform, sub="stu-1")
    assert client.post("/lti/launch", data=first).status_code == 303
    second = start_launch(client, platform, sub="stu-1")  # a new state and nonce ...
    replay = {**second, "id_token": first["id_token"]}  # ... but the old, used nonce
    response = client.post("/lti/launch", data=replay)
    assert response.status_code == 403
    assert "already used" in _refusal(response)


def test_a_wrong_state_is_refused(client, platform, registered):
    fields = start_launch(client, platform, sub="stu-1")
    response = client.post("/lti/launch", data={**fields, "state": "state-made-up"})
    assert response.status_code == 403
    assert "state does not match this browser" in _refusal(response)


def test_a_launch_without_login_is_refused(client, platform, registered):
    token = platform.id_token(sub="stu-1")
    response = client.post("/lti/launch", data={"id_token": token, "state": "state-x"})
    assert response.status_code == 403


def test_garbage_instead_of_a_jwt_is_a_400_not_a_500(client, platform, registered):
    fields = start_launch(client, platform, sub="stu-1")
    response = client.post("/lti/launch", data={**fields, "id_token": "not.a-jwt"})
    assert response.status_code == 400
    assert "not a JWT" in _refusal(response)


def test_refusals_are_logged_without_the_token(client, platform, registered, caplog):
    fields = start_launch(client, platform, sub="stu-1")
    client.post("/lti/launch", data={**fields, "state": "state-made-up"})
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "LTI launch refused (403): state" in logged
    assert fields["id_token"][:30] not in logged and fields["id_token"].split(".")[1][:30] \
        not in logged


def test_login_initiation_may_be_a_form_post(client, platform, registered, session):
    login = client.post("/lti/login", data=platform.login_params(sub="stu-1"))
    assert login.status_code == 302
    action, fields = platform.authorize(login.headers["Location"])
    assert client.post("/lti/launch", data=fields).status_code == 303
    assert session.exec(select(LtiIdentity)).one().subject == "stu-1"


@pytest.mark.parametrize(("missing", "message"), [
    ("id_token", "The LMS's launch has no id_token."),
    ("state", "The LMS's launch has no state."),
])
def test_a_launch_missing_its_fields_says_which(client, platform, registered, missing, message):
    fields = start_launch(client, platform, sub="stu-1")
    response = client.post("/lti/launch", data={**fields, missing: ""})
    assert response.status_code == 400
    assert _refusal(response) == message


def test_a_json_list_for_a_body_is_a_400_not_a_500(client, platform, registered):
    import base64

    fields = start_launch(client, platform, sub="stu-1")
    header, _, signature = fields["id_token"].split(".")
    body = base64.urlsafe_b64encode(b"[1, 2]").rstrip(b"=").decode()
    forged = f"{header}.{body}.{signature}"
    response = client.post("/lti/launch", data={**fields, "id_token": forged})
    assert response.status_code == 400
