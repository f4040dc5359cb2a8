"""Who reaches what: role x route x object, including a supervisor of another cohort."""

from __future__ import annotations

import pytest

from tests.supervisor.conftest import browser_for, token_of

ACTORS = ("admin", "supervisor_a", "supervisor_b", "trainee_a", "trainee_b")

# (method, URL pattern, actors who may reach it); everyone else gets 404.
ROUTES = [
    ("get", "/supervise/", {"admin", "supervisor_a", "supervisor_b"}),
    ("get", "/supervise/cohorts/{cohort_a}", {"admin", "supervisor_a"}),
    ("get", "/supervise/cohorts/{cohort_a}/gradebook.csv", {"admin", "supervisor_a"}),
    ("get", "/supervise/attempts/{attempt_a}", {"admin", "supervisor_a"}),
    ("get", "/supervise/attempts/{attempt_a}/transcript", {"admin", "supervisor_a"}),
    ("post", "/supervise/turns/{turn_a}/reviews", {"admin", "supervisor_a"}),
    ("post", "/supervise/cohorts/{cohort_a}/members", {"admin", "supervisor_a"}),
    ("post", "/supervise/cohorts/{cohort_a}/assignments", {"admin", "supervisor_a"}),
    ("get", "/supervise/queue", {"admin", "supervisor_a", "supervisor_b"}),
    ("get", "/supervise/agreement", {"admin", "supervisor_a", "supervisor_b"}),
    ("get", "/supervise/scenarios/upload", {"admin", "supervisor_a", "supervisor_b"}),
    ("get", "/attempts/{attempt_a}", {"trainee_a"}),
    ("get", "/attempts/{attempt_a}/debrief", {"trainee_a"}),
    ("get", "/admin/", {"admin"}),
]


def _url(pattern: str, course) -> str:
    return pattern.format(cohort_a=course.cohort_a.id, attempt_a=course.attempt_a.rsplit("/")[-1],
                          turn_a=course.turn_a)


def _reach(app, course, actor: str, method: str, url: str) -> int:
    browser = browser_for(app, getattr(course, actor))
    if method == "get":
        return browser.get(url).status_code
    data = {"csrf_token": token_of(browser), "criterion": "reflection", "level": "2",
            "comment": "checked", "email": f"new.{actor}@example.org", "role": "trainee",
            "scenario": "the-long-story", "mode": "practice", "attempts_allowed": "1"}
    return browser.post(url, data=data).status_code


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_access(app, course, method, pattern, allowed):
    url = _url(pattern, course)
    seen = {actor: _reach(app, course, actor, method, url) for actor in ACTORS}
    expected = {actor: ("ok" if actor in allowed else 404) for actor in ACTORS}
    assert {a: ("ok" if s in (200, 303) else s) for a, s in seen.items()} == expected


def test_a_supervisor_sees_only_their_cohorts(app, course):
    page = browser_for(app, course.supervisor_b).get("/supervise/").get_data(as_text=True)
    assert "Section B" in page and "Section A" not in page


def test_viewing_a_transcript_is_audited(app, course, session):
    from sqlmodel import select

    from simulator.models import AuditEvent

    browser_for(app, course.supervisor_a).get(_url("/supervise/attempts/{attempt_a}", course))
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "transcript.view")).all()
    assert [(e.actor_id, e.object_id) for e in events] == [
        (course.supervisor_a.id, course.attempt_a.rsplit("/")[-1])]
