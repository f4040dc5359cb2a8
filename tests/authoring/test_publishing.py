"""Publishing: a draft is its author's alone; a published version reaches only the cohorts
chosen; unpublishing stops new attempts while an attempt under way finishes on its version;
nobody can save or publish over a scenario another supervisor owns."""

from __future__ import annotations

import re

from sqlmodel import select

from simulator.library import shipped_library
from simulator.models import Attempt, AuthoredScenario, ScenarioVersion
from tests.authoring.conftest import copy_text
from tests.supervisor.conftest import browser_for, token_of
from tests.trainee.conftest import answer, answer_for, attempt_of, start

NEW = "late-again-our-cohort"


def _save(browser, text: str, scenario_id: str | None = None, message: str = ""):
    path = f"/supervise/scenarios/{scenario_id}/edit" if scenario_id else "/supervise/scenarios/new"
    return browser.post(path, data={"text": text, "message": message,
                                    "csrf_token": token_of(browser, "/supervise/scenarios")})


def _publish(browser, scenario_id: str, version: int, *cohort_ids, everyone=False):
    data = {"version": str(version), "cohorts": [str(c) for c in cohort_ids],
            "csrf_token": token_of(browser, "/supervise/scenarios")}
    if everyone:
        data["everyone"] = "y"
    return browser.post(f"/supervise/scenarios/{scenario_id}/publish", data=data)


def _library_ids(browser) -> set[str]:
    html = browser.get("/scenarios").get_data(as_text=True)
    return set(re.findall(r'href="/scenarios/([a-z0-9-]+)"', html))


def test_a_draft_is_seen_by_nobody_but_its_author_until_published_to_a_cohort(app, course,
                                                                              session):
    author = browser_for(app, course.supervisor_a)
    assert _save(author, copy_text(app, NEW)).status_code == 303
    trainee_a, trainee_b = browser_for(app, course.trainee_a), browser_for(app, course.trainee_b)
    other = browser_for(app, course.supervisor_b)
    assert NEW not in _library_ids(trainee_a) | _library_ids(trainee_b)
    assert trainee_a.get(f"/scenarios/{NEW}").status_code == 404
    assert other.get(f"/supervise/scenarios/{NEW}/edit").status_code == 404
    assert other.get(f"/supervise/scenarios/{NEW}/versions/1").status_code == 404
    assert other.get(f"/supervise/scenarios/{NEW}/versions/1.yaml").status_code == 404

    response = _publish(author, NEW, 1, course.cohort_a.id)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert NEW in _library_ids(trainee_a)
    assert NEW not in _library_ids(trainee_b)
    assert trainee_b.get(f"/scenarios/{NEW}").status_code == 404
    # Cohort A's trainee can play it; the attempt is pinned to the published version's text.
    url = start(trainee_a, NEW)
    attempt = attempt_of(session, url)
    version = session.exec(select(ScenarioVersion)).one()
    assert attempt.scenario_hash == version.content_hash


def test_a_supervisor_cannot_publish_to_a_cohort_they_do_not_supervise(app, course, session):
    author = browser_for(app, course.supervisor_a)
    _save(author, copy_text(app, NEW))
    response = _publish(author, NEW, 1, course.cohort_b.id)
    assert response.status_code == 409
    assert "only to cohorts you supervise" in response.get_data(as_text=True)
    assert session.exec(select(AuthoredScenario)).one().published_version is None
    everyone = _publish(author, NEW, 1, course.cohort_a.id, everyone=True)
    assert everyone.status_code == 409
    assert "only an admin" in everyone.get_data(as_text=True)


def test_an_admin_may_publish_to_every_trainee(app, course, session):
    author = browser_for(app, course.supervisor_a)
    _save(author, copy_text(app, NEW))
    admin = browser_for(app, course.admin)
    assert _publish(admin, NEW, 1, everyone=True).status_code == 303
    assert NEW in _library_ids(browser_for(app, course.trainee_b))


def test_unpublishing_stops_new_attempts_but_one_under_way_finishes(app, course, session):
    author = browser_for(app, course.supervisor_a)
    _save(author, copy_text(app, NEW))
    _publish(author, NEW, 1, course.cohort_a.id)
    trainee = browser_for(app, course.trainee_a)
    url = start(trainee, NEW)
    scenario = shipped_library(app).scenarios["you-started-late-again"]
    first = scenario.node(attempt_of(session, url).current_node)
    assert answer(trainee, url, answer_for(first)).status_code == 303

    response = author.post(f"/supervise/scenarios/{NEW}/unpublish",
                           data={"csrf_token": token_of(author, "/supervise/scenarios")})
    assert response.status_code == 303
    assert NEW not in _library_ids(trainee)
    assert trainee.get(f"/scenarios/{NEW}").status_code == 404
    refused = trainee.post(f"/scenarios/{NEW}/attempts", data={
        "mode": "practice", "csrf_token": token_of(trainee, "/scenarios")})
    assert refused.status_code == 404
    # The attempt under way goes on to its ending on the version it started with.
    for _ in range(12):
        attempt = attempt_of(session, url)
        node = scenario.node(attempt.current_node)
        if node.is_ending:
            break
        assert answer(trainee, url, answer_for(node)).status_code == 303
    attempt = attempt_of(session, url)
    assert attempt.status == "completed"
    assert trainee.get(f"{url}/debrief").status_code == 200
    assert session.exec(select(Attempt).where(Attempt.scenario_id == NEW)).all() == [attempt]


def test_a_second_supervisor_cannot_take_over_an_id(app, course, session):
    author = browser_for(app, course.supervisor_a)
    _save(author, copy_text(app, NEW))
    _publish(author, NEW, 1, course.cohort_a.id)
    other = browser_for(app, course.supervisor_b)
    changed = copy_text(app, NEW).replace("title:", "title: Hijacked —", 1)
    refused = _save(other, changed)
    assert refused.status_code == 409
    assert "belongs to a scenario another author wrote" in refused.get_data(as_text=True)
    upload = other.post("/supervise/scenarios/upload", data={
        "csrf_token": token_of(other, "/supervise/scenarios/upload"),
        "scenario": (__import__("io").BytesIO(changed.encode()), "anything.yaml")},
        content_type="multipart/form-data")
    assert upload.status_code == 409
    assert "another author" in upload.get_data(as_text=True)
    assert len(session.exec(select(ScenarioVersion)).all()) == 1
    assert other.post(f"/supervise/scenarios/{NEW}/publish", data={
        "version": "1", "csrf_token": token_of(other, "/supervise/scenarios")}
    ).status_code == 404
    assert "Hijacked" not in browser_for(app, course.trainee_a).get(
        f"/scenarios/{NEW}").get_data(as_text=True)


def test_shipped_ids_are_reserved(app, course, session):
    author = browser_for(app, course.supervisor_a)
    response = _save(author, copy_text(app, "you-started-late-again"))
    assert response.status_code == 409
    assert "shipped scenario" in response.get_data(as_text=True)
    assert session.exec(select(AuthoredScenario)).first() is None


def test_a_cohort_can_be_assigned_only_what_is_published_to_it(app, course, session):
    author = browser_for(app, course.admin)
    _save(author, copy_text(app, NEW))
    _publish(author, NEW, 1, course.cohort_a.id)
    page_a = author.get(f"/supervise/cohorts/{course.cohort_a.id}").get_data(as_text=True)
    page_b = author.get(f"/supervise/cohorts/{course.cohort_b.id}").get_data(as_text=True)
    assert f'id="assign-{NEW}"' in page_a
    assert f'id="assign-{NEW}"' not in page_b
    refused = author.post(f"/supervise/cohorts/{course.cohort_b.id}/assignments", data={
        "scenario": [NEW], "mode": "practice", "attempts_allowed": "1",
        "csrf_token": token_of(author, "/supervise/scenarios")})
    assert refused.status_code == 422
