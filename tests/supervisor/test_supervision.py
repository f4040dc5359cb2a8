"""Supervisors at work: cohorts, rosters, assignments, overrides, uploads and exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from simulator.courses.reviews import ReviewError, add_override
from simulator.library import shipped_library
from simulator.models import (
    Assignment,
    CohortMember,
    Review,
    ScenarioVersion,
    Turn,
    User,
    utcnow,
)
from simulator.resources import resource_dir
from tests.conftest import sign_in
from tests.supervisor.conftest import browser_for, token_of
from tests.trainee.conftest import play_to_end, start

ROSTER = (b"email,name,role\n"
          b"new.one@example.org,New One,trainee\n"
          b"not-an-email,Bad Row,trainee\n"
          b"new.two@example.org,New Two,astronaut\n")


ONE_USED_UP = "This assignment allows one attempt, and it has been started."


def _cohort_url(course) -> str:
    return f"/supervise/cohorts/{course.cohort_a.id}"


def test_creating_a_cohort_makes_its_creator_supervisor(app, course, session):
    browser = browser_for(app, course.supervisor_b)
    response = browser.post("/supervise/cohorts", data={
        "csrf_token": token_of(browser), "name": "Counselling Skills 2", "description": ""})
    assert response.status_code == 303
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Counselling Skills 2</h1>" in page
    again = browser.post("/supervise/cohorts", data={
        "csrf_token": token_of(browser), "name": "Counselling Skills 2"})
    assert again.status_code == 422


def test_roster_preview_reports_bad_rows_and_writes_nothing(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    url = _cohort_url(course)
    response = browser.post(f"{url}/roster", data={
        "csrf_token": token_of(browser, url), "roster": (io.BytesIO(ROSTER), "roster.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "roster.csv:3:" in page and "roster.csv:4:" in page
    assert "new.one@example.org" in page and "<td>invite</td>" in page
    assert "create a new account" not in page
    assert session.exec(select(User).where(User.email == "new.one@example.org")).first() is None
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    refused = browser.post(f"{url}/roster/confirm", data={
        "csrf_token": token_of(browser, url), "payload": payload})
    assert refused.status_code == 422
    assert session.exec(select(User).where(User.email == "new.one@example.org")).first() is None
    done = browser.post(f"{url}/roster/confirm", data={
        "csrf_token": token_of(browser, url), "payload": payload, "skip_invalid": "yes"})
    html = done.get_data(as_text=True)
    assert done.status_code == 200
    link = re.search(r"http://localhost(/join/[A-Za-z0-9_-]+)", html).group(1)
    session.expire_all()
    user = session.exec(select(User).where(User.email == "new.one@example.org")).one()
    assert session.get(CohortMember, (course.cohort_a.id, user.id)) is None  # not until joining
    newcomer = app.test_client()
    form = newcomer.get(link).get_data(as_text=True)
    assert "Set password and join" in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    joined = newcomer.post(link, data={"csrf_token": token, "password": "a brand new password",
                                       "confirm": "a brand new password"})
    assert joined.status_code == 302
    session.expire_all()
    assert session.get(CohortMember, (course.cohort_a.id, user.id)).role == "trainee"
    assert sign_in(newcomer, "new.one@example.org", "a brand new password").status_code == 302


def test_assignments_reach_trainees_and_lateness_shows(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    url = _cohort_url(course)
    due = utcnow().date().isoformat()  # a past date is refused (tests/supervisor/test_polish.py)
    response = browser.post(f"{url}/assignments", data={
        "csrf_token": token_of(browser, url), "scenario": ["the-long-story"], "due": due,
        "mode": "assessment", "attempts_allowed": "2"})
    assert response.status_code == 303
    assignment = session.exec(select(Assignment)).one()
    assignment.due_at = utcnow() - timedelta(days=2)  # two days go by
    session.add(assignment)
    session.commit()
    assert (assignment.cohort_id, assignment.mode, assignment.attempts_allowed) == (
        course.cohort_a.id, "assessment", 2)
    trainee_home = browser_for(app, course.trainee_a).get("/").get_data(as_text=True)
    assert "The long story" in trainee_home or "the-long-story" in trainee_home
    assert "overdue" in trainee_home
    other = browser_for(app, course.trainee_b).get("/").get_data(as_text=True)
    assert "No assignments yet" in other
    matrix = browser.get(url).get_data(as_text=True)
    assert "overdue" in matrix


def test_bad_assignment_input_is_explained(app, course):
    browser = browser_for(app, course.supervisor_a)
    url = _cohort_url(course)
    response = browser.post(f"{url}/assignments", data={
        "csrf_token": token_of(browser, url), "scenario": ["the-long-story"],
        "attempts_allowed": "0"})
    assert response.status_code == 422
    assert "Attempts allowed must be a whole number from 1 to 20." in response.get_data(
        as_text=True)


def test_an_override_is_versioned_and_shown_to_the_trainee(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    review_url = f"/supervise/attempts/{course.attempt_a.rsplit('/')[-1]}"
    for level, comment in ((3, "Clear ownership of the lateness."), (2, "On reflection, clear.")):
        response = browser.post(f"/supervise/turns/{course.turn_a}/reviews", data={
            "csrf_token": token_of(browser, review_url), "criterion": "ownership",
            "level": str(level), "comment": comment})
        assert response.status_code == 303
    reviews = session.exec(select(Review).order_by(Review.id)).all()
    assert [(r.new_level, r.reviewer_id) for r in reviews] == [
        (3, course.supervisor_a.id), (2, course.supervisor_a.id)]
    assert reviews[1].old_level == 3
    page = browser.get(review_url).get_data(as_text=True)
    assert "Override history (2)" in page
    debrief = browser_for(app, course.trainee_a).get(f"{course.attempt_a}/debrief")
    assert "Supervisor feedback" in debrief.get_data(as_text=True)
    assert "On reflection, clear." in debrief.get_data(as_text=True)


def test_an_override_outside_the_scale_is_refused(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    review_url = f"/supervise/attempts/{course.attempt_a.rsplit('/')[-1]}"
    response = browser.post(f"/supervise/turns/{course.turn_a}/reviews", data={
        "csrf_token": token_of(browser, review_url), "criterion": "ownership", "level": "9"})
    assert response.status_code == 422
    assert "Level 9 is not on the scale (0–3)." in response.get_data(as_text=True)
    assert session.exec(select(Review)).first() is None


def test_private_reflections_stay_private(app, course, session):
    trainee = browser_for(app, course.trainee_a)
    debrief_url = f"{course.attempt_a}/debrief"
    trainee.post(f"{course.attempt_a}/reflection", data={
        "csrf_token": token_of(trainee, debrief_url), "reflection": "I felt defensive."})
    review_url = f"/supervise/attempts/{course.attempt_a.rsplit('/')[-1]}"
    supervisor = browser_for(app, course.supervisor_a)
    assert "I felt defensive." not in supervisor.get(review_url).get_data(as_text=True)
    trainee.post(f"{course.attempt_a}/reflection", data={
        "csrf_token": token_of(trainee, debrief_url), "reflection": "I felt defensive.",
        "share": "yes"})
    assert "I felt defensive." in supervisor.get(review_url).get_data(as_text=True)


def test_gradebook_download_neutralises_formulas(app, course, session):
    evil = session.get(User, course.trainee_a.id)
    evil.name = '=HYPERLINK("http://evil.example","click")'
    session.add(evil)
    session.add(Assignment(scenario_id="you-started-late-again", cohort_id=course.cohort_a.id))
    session.commit()
    browser = browser_for(app, course.supervisor_a)
    response = browser.get(f"{_cohort_url(course)}/gradebook.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert names == ["'=HYPERLINK(\"http://evil.example\",\"click\")"]


def test_a_broken_upload_changes_nothing(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    broken = b"id: my-scenario\ntitle: [unclosed\n"
    response = browser.post("/supervise/scenarios/upload", data={
        "csrf_token": token_of(browser, "/supervise/scenarios/upload"),
        "scenario": (io.BytesIO(broken), "my-scenario.yaml")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "my-scenario.yaml:" in page and "was not saved" in page
    assert session.exec(select(ScenarioVersion)).first() is None


def test_a_valid_upload_is_a_draft_until_published_then_can_be_played(app, course, session):
    source = (resource_dir("scenarios") / "you-must-be-sick-of-me.yaml").read_text()
    text = source.replace("id: you-must-be-sick-of-me", "id: sick-of-me-local", 1)
    browser = browser_for(app, course.supervisor_a)
    response = browser.post("/supervise/scenarios/upload", data={
        "csrf_token": token_of(browser, "/supervise/scenarios/upload"),
        "scenario": (io.BytesIO(text.encode()), "any-name-at-all.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/supervise/scenarios/sick-of-me-local/edit")
    trainee = browser_for(app, course.trainee_a)
    assert 'href="/scenarios/sick-of-me-local"' not in trainee.get("/scenarios").get_data(
        as_text=True)
    published = browser.post("/supervise/scenarios/sick-of-me-local/publish", data={
        "version": "1", "cohorts": [str(course.cohort_a.id)],
        "csrf_token": token_of(browser, "/supervise/scenarios")})
    assert published.status_code == 303
    assert 'href="/scenarios/sick-of-me-local"' in trainee.get("/scenarios").get_data(
        as_text=True)
    from simulator.library import shipped_library

    scenario = shipped_library(app).scenarios["you-must-be-sick-of-me"]
    url = start(trainee, "sick-of-me-local")
    play_to_end(trainee, session, url, scenario)
    assert "Outcome:" in trainee.get(f"{url}/debrief").get_data(as_text=True)


def test_uploading_over_a_shipped_scenario_is_refused(app, course):
    source = (resource_dir("scenarios") / "you-must-be-sick-of-me.yaml").read_bytes()
    browser = browser_for(app, course.supervisor_a)
    response = browser.post("/supervise/scenarios/upload", data={
        "csrf_token": token_of(browser, "/supervise/scenarios/upload"),
        "scenario": (io.BytesIO(source + b"\n# edited\n"), "you-must-be-sick-of-me.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 409
    assert "is a shipped scenario" in response.get_data(as_text=True)


def test_review_queue_and_blind_rating(app, course, session):
    from simulator.models import Turn

    turn = session.get(Turn, course.turn_a)
    turn.confidence = 0.2
    session.add(turn)
    session.commit()
    browser = browser_for(app, course.supervisor_a)
    queue = browser.get("/supervise/queue").get_data(as_text=True)
    assert f"#turn-{turn.id}" in queue
    blind = browser.get("/supervise/blind").get_data(as_text=True)
    assert "Rate this response" in blind and "Engine" not in blind
    rated_id = re.search(r'action="/supervise/blind/(\d+)"', blind).group(1)
    response = browser.post(f"/supervise/blind/{rated_id}", data={
        "csrf_token": token_of(browser, "/supervise/blind"), "level_reflection": "1",
        "level_ownership": "2"})
    assert response.status_code == 303
    stored = session.exec(select(Review).where(Review.turn_id == int(rated_id))).all()
    assert {(r.criterion, r.new_level, r.blind) for r in stored} == {
        ("reflection", 1, True), ("ownership", 2, True)}
    agreement = browser.get(f"/supervise/agreement?cohort={course.cohort_a.id}")
    assert "1 rated turn" in agreement.get_data(as_text=True)


def test_an_assigned_session_counts_for_its_assignment_until_attempts_run_out(
        app, course, session):
    assignment = Assignment(scenario_id="you-must-be-sick-of-me", cohort_id=course.cohort_a.id,
                            mode="assessment", attempts_allowed=1)
    session.add(assignment)
    session.commit()
    trainee = browser_for(app, course.trainee_a)
    page = trainee.get("/scenarios/you-must-be-sick-of-me").get_data(as_text=True)
    assert "Start the assigned session" in page and "assessment mode" in page
    response = trainee.post("/scenarios/you-must-be-sick-of-me/attempts", data={
        "csrf_token": token_of(trainee), "assignment": str(assignment.id)})
    url = response.headers["Location"]
    from simulator.library import shipped_library
    from tests.trainee.conftest import attempt_of

    attempt = attempt_of(session, url)
    assert (attempt.assignment_id, attempt.mode) == (assignment.id, "assessment")
    play_to_end(trainee, session, url,
                shipped_library(app).scenarios["you-must-be-sick-of-me"])
    matrix = browser_for(app, course.supervisor_a).get(_cohort_url(course)).get_data(
        as_text=True)
    assert "status-completed" in matrix
    assert f'href="/supervise/attempts/{attempt.id}"' in matrix
    page = trainee.get("/scenarios/you-must-be-sick-of-me").get_data(as_text=True)
    assert "Start the assigned session" not in page
    again = trainee.post("/scenarios/you-must-be-sick-of-me/attempts", data={
        "csrf_token": token_of(trainee), "assignment": str(assignment.id)})
    assert again.status_code == 409
    assert ONE_USED_UP in again.get_data(as_text=True)


def test_unicode_digits_in_attempts_allowed_get_the_plain_message(app, course):
    browser = browser_for(app, course.supervisor_a)
    url = _cohort_url(course)
    response = browser.post(f"{url}/assignments", data={
        "csrf_token": token_of(browser, url), "scenario": ["the-long-story"],
        "attempts_allowed": "²", "trainee": ["³"]})
    assert response.status_code == 422
    assert "Attempts allowed must be a whole number from 1 to 20." in response.get_data(
        as_text=True)


def test_a_drill_is_offered_for_assignment_and_reaches_the_trainee(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    url = _cohort_url(course)
    page = browser.get(url).get_data(as_text=True)
    assert "Drill: " in page  # drills are listed among what can be assigned, and marked
    drill = "drill-withdrawal-minimal-response"
    response = browser.post(f"{url}/assignments", data={
        "csrf_token": token_of(browser, url), "scenario": [drill],
        "due": (utcnow().date() + timedelta(days=7)).isoformat(), "mode": "practice",
        "attempts_allowed": "3"})
    assert response.status_code == 303
    assert session.exec(select(Assignment)).one().scenario_id == drill
    trainee = browser_for(app, course.trainee_a)
    assert f"/scenarios/{drill}" in trainee.get("/").get_data(as_text=True)
    assert "Assigned to you" in trainee.get(f"/scenarios/{drill}").get_data(as_text=True)


def test_safety_is_not_offered_or_accepted_where_nothing_was_judged(app, course, session):
    turn = session.get(Turn, course.turn_a)
    assert "safety" not in turn.scores["criteria"]  # no risk cue at this moment
    browser = browser_for(app, course.supervisor_a)
    review_url = f"/supervise/attempts/{course.attempt_a.rsplit('/')[-1]}"
    assert 'value="safety"' not in browser.get(review_url).get_data(as_text=True)
    response = browser.post(f"/supervise/turns/{course.turn_a}/reviews", data={
        "csrf_token": token_of(browser, review_url), "criterion": "safety", "level": "2"})
    assert response.status_code == 422
    assert session.exec(select(Review)).first() is None


def test_the_review_rule_refuses_safety_at_a_moment_without_a_risk_cue(app, course, session):
    rubric = shipped_library(app).rubrics["repair-core"]
    turn = session.get(Turn, course.turn_a)
    with pytest.raises(ReviewError, match="Safety was not judged at this moment"):
        add_override(session=session, turn=turn, rubric=rubric, criterion="safety",
                     new_level=2, comment="", reviewer_id=course.supervisor_a.id)
