"""Roster sync (LTI NRPS): a cohort's supervisor brings the LMS course's members in.

The member list is served in two pages by the test LMS (tests/lti/services.py) behind a
bearer token got with our signed client assertion.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from simulator.models import AuditEvent, Cohort, CohortMember, LtiContext, LtiIdentity, User
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.lti.platform import TEACHING_ASSISTANT
from tests.lti.services import LmsServices, member


@pytest.fixture
def lms(app, platform) -> LmsServices:
    """The test LMS with its services, trusting the keys the tool publishes."""
    # A plain http client: the package's https `client` would need a Referer for CSRF.
    jwks = app.test_client().get("/lti/jwks.json")
    assert jwks.status_code == 200
    return LmsServices(platform, tool_jwks=jwks.get_json())


@pytest.fixture
def cohort(session) -> Cohort:
    found = Cohort(name="Counselling skills 101")
    session.add(found)
    session.commit()
    return found


@pytest.fixture
def context(session, lms, cohort) -> LtiContext:
    registered = lms.platform.register(session)
    found = LtiContext(platform_id=registered.id, context_id="course-1",
                       title="Counselling skills 101", cohort_id=cohort.id,
                       deployment_id=lms.platform.deployment_id,
                       memberships_url=lms.platform.url("/contexts/course-1/memberships"))
    session.add(found)
    session.commit()
    return found


def _supervisor_of(app, session, cohort: Cohort):
    user = make_user(session, role="supervisor")
    session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role="supervisor"))
    session.commit()
    browser = app.test_client()
    assert sign_in(browser, user.email).status_code == 302
    return browser


def _sync(browser, cohort: Cohort, context: LtiContext):
    page = f"/supervise/cohorts/{cohort.id}"
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      browser.get(page).get_data(as_text=True)).group(1)
    return browser.post(f"{page}/lms-roster/{context.id}", data={"csrf_token": token})


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _roles(session, cohort: Cohort) -> dict[str, tuple[str, str]]:
    session.expire_all()
    rows = session.exec(select(User.email, User.role, CohortMember.role).join(
        CohortMember, CohortMember.user_id == User.id).where(
        CohortMember.cohort_id == cohort.id)).all()
    return {email: (account, role) for email, account, role in rows}


def test_a_sync_brings_in_both_pages_once_and_never_an_admin(app, session, lms, cohort,
                                                               context):
    make_user(session, role="admin", email="root@example.edu", name="Root Admin")
    ben = make_user(session, email="ben@example.edu", name="Ben Here Already")
    lms.members += [member("nrps-root", "Root Admin", "root@example.edu"),
                    member("nrps-ta", "Tia Assistant", "tia@example.edu", [TEACHING_ASSISTANT])]
    browser = _supervisor_of(app, session, cohort)

    response = _sync(browser, cohort, context)

    assert response.status_code == 200, response.get_data(as_text=True)
    page = _text(response)
    assert "Roster synced" in page and "Added: 4." in page and "Skipped: 2." in page
    assert "Dee Noemail: the LMS gave no email address" in page
    assert "Root Admin: an administrator account has this email" in page
    assert [path for _, path in lms.platform.requests if path.endswith("/memberships")] == [
        "/contexts/course-1/memberships"] * 2, "both pages were read"
    roles = _roles(session, cohort)
    assert roles["ada@example.edu"] == ("trainee", "trainee")
    assert roles["ben@example.edu"] == ("trainee", "trainee")
    assert roles["cleo@example.edu"] == ("supervisor", "supervisor")
    assert roles["tia@example.edu"] == ("supervisor", "supervisor")
    assert "root@example.edu" not in roles
    identities = {i.subject: i.user_id for i in session.exec(select(LtiIdentity))}
    assert identities["nrps-learner-2"] == ben.id, "the existing account was linked"
    assert "nrps-root" not in identities and "nrps-learner-3" not in identities
    assert session.get(LtiContext, context.id).roster_synced_at is not None
    assert session.exec(select(User).where(User.email == "ben@example.edu")).one().name == \
        "Ben Here Already"
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "lti.roster_sync")).one()
    assert audit.detail["added"] == 4 and "@" not in json.dumps(audit.detail)

    again = _text(_sync(browser, cohort, context))
    assert "Added: 0." in again and "Already here: 4." in again
    assert _roles(session, cohort) == roles
    assert len(session.exec(select(LtiIdentity)).all()) == 4


def test_members_gone_from_the_lms_are_listed_not_removed(app, session, lms, cohort, context):
    browser = _supervisor_of(app, session, cohort)
    assert _sync(browser, cohort, context).status_code == 200
    lms.members = [m for m in lms.members if m["user_id"] != "nrps-learner-1"]

    page = _text(_sync(browser, cohort, context))

    assert "No longer in the LMS course: 1." in page and "Ada Learner" in page
    assert "ada@example.edu" in _roles(session, cohort)


def test_an_instructor_is_never_downgraded_and_a_trainee_is_promoted(app, session, lms,
                                                                      cohort, context):
    cleo = make_user(session, role="supervisor", email="cleo@example.edu")
    ada = make_user(session, email="ada@example.edu")
    session.add(CohortMember(cohort_id=cohort.id, user_id=ada.id, role="trainee"))
    session.commit()
    lms.members = [member("nrps-teacher-1", "Cleo", "cleo@example.edu"),  # now a Learner
                   member("nrps-learner-1", "Ada", "ada@example.edu",
                          ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"])]
    browser = _supervisor_of(app, session, cohort)

    page = _text(_sync(browser, cohort, context))

    roles = _roles(session, cohort)
    assert roles["ada@example.edu"] == ("supervisor", "supervisor")
    assert "cleo@example.edu" not in roles
    assert "Cleo: has a supervisor account here, which a learner in the LMS is not linked " \
           "to" in page
    assert "Now supervising: 1." in page and "Ada (supervisor)" in page
    assert session.get(User, cleo.id).role == "supervisor"


def test_another_cohorts_supervisor_cannot_sync(app, session, lms, cohort, context):
    elsewhere = Cohort(name="Elsewhere")
    session.add(elsewhere)
    session.commit()
    browser = _supervisor_of(app, session, elsewhere)
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(
        f"/supervise/cohorts/{elsewhere.id}").get_data(as_text=True)).group(1)

    response = browser.post(f"/supervise/cohorts/{cohort.id}/lms-roster/{context.id}",
                            data={"csrf_token": token})
    assert response.status_code == 404
    # Nor through their own cohort's URL with this course's id.
    response = browser.post(f"/supervise/cohorts/{elsewhere.id}/lms-roster/{context.id}",
                            data={"csrf_token": token})
    assert response.status_code == 404
    assert lms.token_requests == 0 and _roles(session, cohort) == {}


def test_an_lms_that_refuses_is_a_clear_page_and_changes_nothing(app, session, lms, cohort,
                                                                 context):
    lms.platform.routes.pop("/token")
    browser = _supervisor_of(app, session, cohort)

    response = _sync(browser, cohort, context)

    assert response.status_code == 502
    assert "The LMS did not give the member list (token refused (HTTP 404))" in _text(response)
    assert set(_roles(session, cohort).values()) == {("supervisor", "supervisor")}


def test_a_next_page_on_another_site_is_not_followed(app, session, lms, cohort, context):
    lms.next_page = "http://127.0.0.2:9/steal?page=2"
    browser = _supervisor_of(app, session, cohort)

    response = _sync(browser, cohort, context)

    assert response.status_code == 502
    assert "the LMS pointed the next page at another site" in _text(response)
    assert set(_roles(session, cohort).values()) == {("supervisor", "supervisor")}
