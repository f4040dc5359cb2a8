"""Someone else's scenario, draft or published, is out of reach in every authoring route:
another supervisor and any trainee get the same 404 as for an id that does not exist, and
nothing changes."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from simulator.models import AuditEvent, AuthoredScenario, ScenarioVersion
from tests.authoring.conftest import copy_text, publish_to, save_draft
from tests.security.conftest import token_on, without_tokens
from tests.supervisor.conftest import browser_for

MINE = "supervisor-a-private"
ROUTES = [
    ("get", "/supervise/scenarios/{id}/edit"),
    ("get", "/supervise/scenarios/{id}/edit?version=1"),
    ("post", "/supervise/scenarios/{id}/edit"),
    ("get", "/supervise/scenarios/{id}/versions"),
    ("get", "/supervise/scenarios/{id}/versions/1"),
    ("get", "/supervise/scenarios/{id}/versions/1.yaml"),
    ("post", "/supervise/scenarios/{id}/publish"),
    ("post", "/supervise/scenarios/{id}/unpublish"),
    ("get", "/supervise/scenarios/{id}/preview"),
    ("post", "/supervise/scenarios/{id}/preview"),
    ("get", "/supervise/scenarios/new?from={id}"),
]


def _state(session) -> tuple:
    session.expire_all()
    authored = session.exec(select(AuthoredScenario)).one()
    return (authored.published_version, authored.everyone,
            session.exec(select(func.count()).select_from(ScenarioVersion)).one(),
            session.exec(select(func.count()).select_from(AuditEvent)).one())


@pytest.mark.parametrize("who", ["supervisor_b", "trainee_a", "trainee_b"])
def test_another_supervisor_or_a_trainee_gets_404_and_changes_nothing(app, session, course,
                                                                       who):
    authored, version = save_draft(app, session, course.supervisor_a, copy_text(app, MINE))
    publish_to(session, course.supervisor_a, authored, version, course.cohort_a)
    intruder = browser_for(app, getattr(course, who))
    before = _state(session)
    for method, pattern in ROUTES:
        pages = []
        for scenario_id in (MINE, "no-such-scenario"):
            url = pattern.format(id=scenario_id)
            if method == "get":
                response = intruder.get(url)
            else:
                response = intruder.post(url, data={
                    "text": copy_text(app, MINE), "version": "1",
                    "cohorts": [str(course.cohort_b.id)], "csrf_token": token_on(intruder)})
            pages.append(response)
        if "new?from" in pattern and who == "supervisor_b":
            # Copying someone else's scenario falls back to the blank template: no leak.
            assert all(p.status_code == 200 for p in pages)
            assert without_tokens(pages[0].get_data(as_text=True)) == without_tokens(
                pages[1].get_data(as_text=True)), pattern
            continue
        assert [p.status_code for p in pages] == [404, 404], (who, method, pattern)
        assert without_tokens(pages[0].get_data(as_text=True)) == without_tokens(
            pages[1].get_data(as_text=True)), pattern
    assert _state(session) == before
