"""Object-level access: a trainee of another cohort reaches none of cohort A's objects.

Every object kind is covered (attempts, turns, reflections, reviews, cohorts, exports, uploads),
and a forbidden object answers exactly like one that does not exist.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from simulator.models import Attempt, AuditEvent, Review, Turn
from tests.security.conftest import token_on, without_tokens
from tests.supervisor.conftest import browser_for

# (method, URL pattern) for every route that names or reveals one of cohort A's objects.
OBJECT_ROUTES = [
    ("get", "/attempts/{attempt}"),
    ("get", "/attempts/{attempt}/debrief"),
    ("post", "/attempts/{attempt}/turns"),
    ("post", "/attempts/{attempt}/rewind"),
    ("post", "/attempts/{attempt}/reflection"),
    ("get", "/supervise/attempts/{attempt}"),
    ("get", "/supervise/attempts/{attempt}/transcript"),
    ("post", "/supervise/turns/{turn}/reviews"),
    ("post", "/supervise/blind/{turn}"),
    ("get", "/supervise/cohorts/{cohort}"),
    ("get", "/supervise/cohorts/{cohort}/gradebook.csv"),
    ("post", "/supervise/cohorts/{cohort}/members"),
    ("post", "/supervise/cohorts/{cohort}/assignments"),
    ("post", "/supervise/cohorts/{cohort}/roster"),
    ("post", "/supervise/cohorts/{cohort}/roster/confirm"),
    ("get", "/supervise/xapi.json"),
    ("get", "/supervise/scenarios/upload"),
    ("post", "/supervise/scenarios/upload"),
    ("get", "/supervise/queue"),
    ("get", "/supervise/blind"),
    ("get", "/supervise/agreement"),
    ("post", "/supervise/cohorts"),
    ("get", "/admin/"),
    ("post", "/admin/users/{user}"),
]
FORM = {"turn": "0", "response": "Sorry.", "reflection": "mine now", "share": "yes",
        "criterion": "reflection", "level": "0", "level_reflection": "0", "comment": "x",
        "email": "new@example.org", "name": "Intruder", "role": "trainee", "scenario":
        "the-long-story", "mode": "practice", "attempts_allowed": "1", "payload": "",
        "active": "", "description": ""}


def _url(pattern: str, course, unknown: bool = False) -> str:
    return pattern.format(
        attempt="AAAAAAAAAAAAAAAAAAAAAA" if unknown else course.attempt_a.rsplit("/", 1)[-1],
        turn=987654 if unknown else course.turn_a,
        cohort=987654 if unknown else course.cohort_a.id,
        user=987654 if unknown else course.trainee_a.id)


def _send(browser, method: str, url: str):
    if method == "get":
        return browser.get(url)
    return browser.post(url, data={**FORM, "csrf_token": token_on(browser)})


def _state(session, course) -> tuple:
    session.expire_all()
    attempt = session.get(Attempt, course.attempt_a.rsplit("/", 1)[-1])
    return (attempt.reflection, attempt.current_node, attempt.status,
            session.exec(select(func.count()).select_from(Turn)).one(),
            session.exec(select(func.count()).select_from(Review)).one(),
            session.get(type(course.trainee_a), course.trainee_a.id).active)


@pytest.mark.parametrize(("method", "pattern"), OBJECT_ROUTES,
                         ids=[f"{m} {p}" for m, p in OBJECT_ROUTES])
def test_a_trainee_of_another_cohort_gets_404_and_changes_nothing(app, session, course, method,
                                                                  pattern):
    intruder = browser_for(app, course.trainee_b)
    before = _state(session, course)
    forbidden = _send(intruder, method, _url(pattern, course))
    missing = _send(intruder, method, _url(pattern, course, unknown=True))
    assert forbidden.status_code == 404
    assert missing.status_code == 404
    # Forbidden looks exactly like missing.
    assert without_tokens(forbidden.get_data(as_text=True)) == without_tokens(
        missing.get_data(as_text=True))
    assert _state(session, course) == before


def test_a_supervisor_of_another_cohort_cannot_reach_cohort_a_work(app, session, course):
    outsider = browser_for(app, course.supervisor_b)
    for method, pattern in OBJECT_ROUTES[:15]:
        if pattern.startswith("/attempts/"):
            continue  # trainee pages: covered above, and owned by the trainee alone
        assert _send(outsider, method, _url(pattern, course)).status_code == 404, pattern


def test_xapi_export_holds_only_the_supervisors_own_trainees(app, course):
    mine = json.loads(browser_for(app, course.supervisor_a).get("/supervise/xapi.json").data)
    theirs = json.loads(browser_for(app, course.supervisor_b).get("/supervise/xapi.json").data)
    assert {s["actor"]["account"]["name"] for s in mine} == {str(course.trainee_a.id)}
    assert theirs == []


def test_reflections_stay_private_until_shared(app, session, course):
    owner = browser_for(app, course.trainee_a)
    supervisor = browser_for(app, course.supervisor_a)
    url = course.attempt_a
    review = url.replace("/attempts/", "/supervise/attempts/")
    secret = "I froze when he raised his voice, like with my own father."
    for share, visible in (("", False), ("yes", True), ("", False)):
        data = {"reflection": secret, "share": share, "csrf_token": token_on(owner)}
        assert owner.post(f"{url}/reflection", data=data).status_code == 303
        for page in (review, f"{review}/transcript"):
            assert ("I froze when he raised his voice" in supervisor.get(page).get_data(
                as_text=True)) is visible, (share, page)


def test_supervisor_views_of_transcripts_are_audited(app, session, course):
    supervisor = browser_for(app, course.supervisor_a)
    review = course.attempt_a.replace("/attempts/", "/supervise/attempts/")
    supervisor.get(review)
    supervisor.get(f"{review}/transcript")
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "transcript.view")).all()
    assert [(e.actor_id, e.object_id) for e in events] == [
        (course.supervisor_a.id, course.attempt_a.rsplit("/", 1)[-1])] * 2
