"""The supervisor's forms: each bad field gets its message beside it, and nothing is saved."""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import func, select

from simulator.models import Assignment, Cohort, CohortInvitation, User
from tests.supervisor.conftest import browser_for, token_of


def _post(browser, url: str, data: dict, **kwargs):
    return browser.post(url, data={**data, "csrf_token": token_of(browser)}, **kwargs)


def _beside(html: str, field_id: str, message: str) -> bool:
    """The message is in the field's error, and the field points to it."""
    error = f'id="{field_id}-error">{message}</p>'
    described = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', html)
    return error in html and described is not None and f"{field_id}-error" in described[0]


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize(("name", "message"), [
    ("", "A cohort needs a name."),
    ("n" * 121, "Cohort names can be at most 120 characters."),
    ("Section A", "A cohort named &#39;Section A&#39; already exists."),
    ("2026", "A cohort name cannot be only digits."),
])
def test_a_bad_cohort_name_is_explained_beside_the_field(app, course, session, name, message):
    browser = browser_for(app, course.supervisor_a)
    before = _count(session, Cohort)
    response = _post(browser, "/supervise/cohorts", {"name": name, "description": ""})
    assert response.status_code == 422
    assert _beside(response.text, "cohort-name", message), response.text
    assert _count(session, Cohort) == before


@pytest.mark.parametrize(("field", "value", "field_id", "message"), [
    ("email", "", "member-email", "Type the person&#39;s email address."),
    ("email", "not-an-email", "member-email", "Type an email address such as name@example.org."),
    ("email", "a@" + "b" * 260 + ".org", "member-email", "Emails can be at most 254 characters."),
    ("name", "n" * 121, "member-name", "Names can be at most 120 characters."),
    ("role", "astronaut", "member-role", "Choose trainee or supervisor."),
])
def test_a_bad_person_is_explained_beside_the_field(app, course, session, field, value,
                                                    field_id, message):
    browser = browser_for(app, course.supervisor_a)
    users = _count(session, User)
    data = {"email": "pat@example.org", "name": "Pat", "role": "trainee", field: value}
    response = _post(browser, f"/supervise/cohorts/{course.cohort_a.id}/members", data)
    assert response.status_code == 422
    assert _beside(response.text, field_id, message), response.text
    assert (_count(session, User), _count(session, CohortInvitation)) == (users, 0)


def test_every_bad_assignment_field_is_explained_at_once_and_nothing_is_saved(app, course,
                                                                             session):
    browser = browser_for(app, course.supervisor_a)
    response = _post(browser, f"/supervise/cohorts/{course.cohort_a.id}/assignments", {
        "scenario": ["no-such-scenario"], "trainee": ["³"], "due": "31/12/2026",
        "mode": "exam", "attempts_allowed": "0"})
    html = response.text
    assert response.status_code == 422
    assert 'id="scenario-error">Choose scenarios from the library only.</p>' in html
    assert 'id="trainee-error">Choose trainees from this cohort only.</p>' in html
    assert _beside(html, "due", "The due date must be a date such as 2026-12-01.")
    assert _beside(html, "mode", "Mode must be practice or assessment.")
    assert _beside(html, "attempts", "Attempts allowed must be a whole number from 1 to 20.")
    assert 'aria-describedby="scenario-error"' in html
    assert _count(session, Assignment) == 0


def test_choosing_no_scenario_and_someone_outside_the_cohort_is_explained(app, course,
                                                                          session):
    browser = browser_for(app, course.supervisor_a)
    response = _post(browser, f"/supervise/cohorts/{course.cohort_a.id}/assignments", {
        "trainee": [str(course.trainee_b.id)], "mode": "practice", "attempts_allowed": "1"})
    assert response.status_code == 422
    assert 'id="scenario-error">Choose at least one scenario from the library.</p>' in (
        response.text)
    assert 'id="trainee-error">Choose trainees from this cohort only.</p>' in response.text
    assert _count(session, Assignment) == 0


def test_a_good_assignment_keeps_its_typed_values(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    response = _post(browser, f"/supervise/cohorts/{course.cohort_a.id}/assignments", {
        "scenario": ["the-long-story", "you-started-late-again"], "due": "2099-12-01",
        "trainee": [str(course.trainee_a.id)], "mode": "assessment", "attempts_allowed": "3"})
    assert response.status_code == 303
    rows = session.exec(select(Assignment).order_by(Assignment.scenario_id)).all()
    assert [(a.scenario_id, a.trainee_id, a.within_cohort_id, a.mode, a.attempts_allowed,
             a.due_at.isoformat()) for a in rows] == [
        (sid, course.trainee_a.id, course.cohort_a.id, "assessment", 3,
         "2099-12-01T23:59:59+00:00") for sid in ("the-long-story", "you-started-late-again")]


def test_a_roster_without_a_file_is_explained_beside_the_file_field(app, course):
    browser = browser_for(app, course.supervisor_a)
    response = _post(browser, f"/supervise/cohorts/{course.cohort_a.id}/roster", {})
    assert response.status_code == 422
    assert _beside(response.text, "roster",
                   "Choose a CSV file with the columns email, name, role.")


def test_confirming_a_roster_with_problems_asks_beside_the_skip_box(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    url = f"/supervise/cohorts/{course.cohort_a.id}/roster"
    roster = b"email,name,role\ngood@example.org,Good,trainee\nbad@,Bad,trainee\n"
    preview = _post(browser, url, {"roster": (io.BytesIO(roster), "roster.csv")},
                    content_type="multipart/form-data")
    payload = re.search(r'name="payload" value="([^"]+)"', preview.text)[1]
    refused = _post(browser, f"{url}/confirm", {"payload": payload})
    assert refused.status_code == 422
    assert ('id="skip-invalid-error">Nothing was imported: the roster still has problems. Fix '
            'them, or choose to import only the good rows.</p>') in refused.text
    assert 'aria-describedby="skip-invalid-error"' in refused.text
    assert _count(session, CohortInvitation) == 0
