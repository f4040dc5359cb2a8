"""Grades go back to the LMS (LTI AGS): one score per completion or review, retried until sent.

The LMS is tests/lti/platform.py's real HTTP server with the token, line-item and membership
endpoints of tests/lti/services.py; its token endpoint checks our signed client assertion
against the JWKS the tool serves at /lti/jwks.json. Delivery is inline, so what was posted is
known when the response arrives. Rows are set up as a launch leaves them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest
from sqlmodel import col, select

from simulator.cli import cli
from simulator.courses.gradebook import gradebook_rows
from simulator.library import shipped_library
from simulator.lti.grades import MAX_TRIES, send_due
from simulator.models import (
    Assignment,
    Cohort,
    CohortMember,
    LtiContext,
    LtiGradeSync,
    LtiIdentity,
    LtiLink,
    Turn,
    User,
)
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.lti.conftest import TOOL_BASE, HttpsClient, launch
from tests.lti.platform import AGS_SCOPES, INSTRUCTOR, LEARNER
from tests.lti.services import LmsServices
from tests.trainee.conftest import answer, answer_for, attempt_of, play_to_end

SCENARIO = "you-started-late-again"  # every moment answered in the trainee's own words
SUBJECT = "lms-user-lee"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "DELIVERY_MODE": "inline"}


@pytest.fixture
def lms(app, platform) -> LmsServices:
    """The test LMS with its services, trusting the keys the tool publishes."""
    # A plain http client: the package's https `client` would need a Referer for CSRF.
    jwks = app.test_client().get("/lti/jwks.json")
    assert jwks.status_code == 200
    return LmsServices(platform, tool_jwks=jwks.get_json())


@dataclass
class Course:
    trainee: User
    supervisor: User
    other_supervisor: User
    cohort: Cohort
    assignment: Assignment
    link: LtiLink


def _member(session, cohort: Cohort, user: User, role: str) -> None:
    session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=role))


@pytest.fixture
def course(session, lms) -> Course:
    platform = lms.platform
    trainee = make_user(session, name="Lee Learner")
    supervisor = make_user(session, role="supervisor", name="Sam Supervisor")
    other = make_user(session, role="supervisor", name="Olu Elsewhere")
    cohort, elsewhere = Cohort(name="Counselling skills 101"), Cohort(name="Another section")
    session.add_all([cohort, elsewhere])
    session.flush()
    _member(session, cohort, trainee, "trainee")
    _member(session, cohort, supervisor, "supervisor")
    _member(session, elsewhere, other, "supervisor")
    assignment = Assignment(scenario_id=SCENARIO, cohort_id=cohort.id, attempts_allowed=3)
    session.add(assignment)
    session.commit()
    registered = platform.register(session)
    context = LtiContext(
        platform_id=registered.id, context_id="course-1", title="Counselling skills 101",
        cohort_id=cohort.id, deployment_id=platform.deployment_id,
        memberships_url=platform.url("/contexts/course-1/memberships"),
        lineitems_url=platform.url("/contexts/course-1/lineitems"))
    session.add(context)
    session.flush()
    link = LtiLink(platform_id=registered.id, resource_link_id="link-1", context_id=context.id,
                   assignment_id=assignment.id, scopes=list(AGS_SCOPES),
                   lineitem_url=platform.url("/contexts/course-1/lineitems/link-1/lineitem"))
    session.add_all([link, LtiIdentity(platform_id=registered.id, subject=SUBJECT,
                                       user_id=trainee.id)])
    session.commit()
    return Course(trainee, supervisor, other, cohort, assignment, link)


def _browser(app, user: User):
    browser = app.test_client()
    assert sign_in(browser, user.email).status_code == 302
    return browser


def _token(browser, path: str) -> str:
    html = browser.get(path, follow_redirects=True).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _start_assigned(browser, course: Course) -> str:
    page = f"/scenarios/{SCENARIO}"
    response = browser.post(f"{page}/attempts", data={
        "assignment": str(course.assignment.id), "csrf_token": _token(browser, page)})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def _play(app, session, course: Course) -> str:
    browser = _browser(app, course.trainee)
    url = _start_assigned(browser, course)
    play_to_end(browser, session, url, shipped_library(app).scenarios[SCENARIO])
    return url


def _grade(app, session, course: Course) -> float:
    """The gradebook's best effective score for the trainee and the assignment, × 100."""
    session.expire_all()
    rows = gradebook_rows(session=session, cohort_id=course.cohort.id,
                          rubric=shipped_library(app).rubrics["repair-core"])
    row = next(r for r in rows if r.assignment_id == course.assignment.id
               and r.trainee_email == course.trainee.email)
    return round(row.best_overall * 100, 2)


def _sync_row(session) -> LtiGradeSync:
    session.expire_all()
    rows = session.exec(select(LtiGradeSync)).all()
    assert len(rows) == 1, rows
    return rows[0]


def _lower_a_level(app, session, browser, url: str) -> None:
    """The supervisor sets the strongest criterion of the last turn to the bottom level."""
    attempt_id = url.rsplit("/", 1)[-1]
    session.expire_all()
    turn = session.exec(select(Turn).where(Turn.attempt_id == attempt_id,
                                           col(Turn.superseded).is_(False))
                        .order_by(col(Turn.index).desc())).first()
    criteria = turn.scores["criteria"]
    strongest = max(criteria, key=lambda cid: (criteria[cid]["level"], cid))
    bottom = shipped_library(app).rubrics["repair-core"].item(strongest).levels[0].level
    assert criteria[strongest]["level"] > bottom
    response = browser.post(f"/supervise/turns/{turn.id}/reviews", data={
        "csrf_token": _token(browser, f"/supervise/attempts/{attempt_id}"),
        "criterion": strongest, "level": str(bottom), "comment": "Not yet."})
    assert response.status_code == 303, response.get_data(as_text=True)


def _cohort_text(browser, course: Course) -> str:
    html = browser.get(f"/supervise/cohorts/{course.cohort.id}").get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_completion_posts_one_score_and_a_review_posts_the_new_one(app, session, course,
                                                                      lms, caplog):
    caplog.set_level("DEBUG")
    url = _play(app, session, course)

    assert [s["userId"] for s in lms.scores] == [SUBJECT]
    first = lms.scores[0]
    assert first["scoreGiven"] == _grade(app, session, course)
    assert first["lineitem"] == "/contexts/course-1/lineitems/link-1/lineitem"
    assert (first["scoreMaximum"], first["activityProgress"], first["gradingProgress"]) == (
        100, "Completed", "FullyGraded")
    assert _sync_row(session).status == "sent"

    supervisor = _browser(app, course.supervisor)
    _lower_a_level(app, session, supervisor, url)

    assert len(lms.scores) == 2
    changed = _grade(app, session, course)
    assert changed < first["scoreGiven"]
    assert lms.scores[1]["scoreGiven"] == changed and lms.scores[1]["userId"] == SUBJECT
    assert lms.token_requests == 1, "the bearer token is cached between posts"
    assert "LMS grade: sent" in _cohort_text(supervisor, course)
    assert not [t for t in lms.tokens if t in caplog.text], "a bearer token reached the logs"


class FramedBrowser(HttpsClient):
    """A browser in the LMS frame: https, and a Referer on its posts as browsers send."""

    def open(self, *args, **kwargs):
        kwargs["headers"] = {"Referer": f"{TOOL_BASE}/", **(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


def test_a_trainee_launched_from_the_lms_gets_the_grade_back_there(app, session, lms):
    platform = lms.platform
    platform.register(app)
    teacher = FramedBrowser(app, app.response_class, use_cookies=True)
    assert launch(teacher, platform, sub="t-1", roles=[INSTRUCTOR], name="Tam Teacher",
                  email="tam@example.edu").status_code == 303
    context = session.exec(select(LtiContext)).one()
    assignment = Assignment(scenario_id=SCENARIO, cohort_id=context.cohort_id)
    session.add(assignment)
    session.commit()
    learner = FramedBrowser(app, app.response_class, use_cookies=True)
    landed = launch(learner, platform, sub="s-1", roles=[LEARNER], name="Lee Learner",
                    email="lee@example.edu", custom={"assignment_id": str(assignment.id)})
    assert landed.status_code == 303, landed.get_data(as_text=True)

    url = learner.post(f"/scenarios/{SCENARIO}/attempts", data={
        "assignment": str(assignment.id), "csrf_token": _token(learner, landed.location)})
    assert url.status_code == 303, url.get_data(as_text=True)
    play_to_end(learner, session, url.location, shipped_library(app).scenarios[SCENARIO])

    assert [(s["userId"], s["lineitem"]) for s in lms.scores] == [
        ("s-1", "/contexts/course-1/lineitems/link-1/lineitem")]
    rows = gradebook_rows(session=session, cohort_id=context.cohort_id,
                          rubric=shipped_library(app).rubrics["repair-core"])
    assert lms.scores[0]["scoreGiven"] == round(rows[0].best_overall * 100, 2)


def test_a_review_in_an_unfinished_attempt_sends_nothing(app, session, course, lms):
    browser = _browser(app, course.trainee)
    url = _start_assigned(browser, course)
    node = shipped_library(app).scenarios[SCENARIO].node(attempt_of(session, url).current_node)
    assert answer(browser, url, answer_for(node)).status_code == 303
    assert attempt_of(session, url).status == "in_progress"

    _lower_a_level(app, session, _browser(app, course.supervisor), url)

    assert lms.scores == []
    assert session.exec(select(LtiGradeSync)).first() is None


def test_an_lms_outage_is_shown_and_made_good_by_the_cli(app, session, course, lms):
    lms.fail_scores = 100
    _play(app, session, course)

    row = _sync_row(session)
    assert (row.status, row.tries, row.last_error) == ("pending", 1, "HTTP 500")
    assert "details nobody should log" not in row.last_error
    page = _cohort_text(_browser(app, course.supervisor), course)
    assert "LMS grade: waiting to send" in page
    assert "last try failed: HTTP 500" in page and "Retry now" in page

    lms.fail_scores = 0
    result = app.test_cli_runner().invoke(cli, ["lti", "sync-grades"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert [s["scoreGiven"] for s in lms.scores] == [_grade(app, session, course)]
    assert _sync_row(session).status == "sent"


def test_a_score_being_posted_is_not_posted_again_by_another_worker(app, session, course,
                                                                    lms):
    lms.fail_scores = 100
    _play(app, session, course)  # the first post failed: the row waits for its retry
    lms.fail_scores, lms.hold = 0, threading.Event()
    worker = threading.Thread(target=send_due, args=(app,), kwargs={"everything": True})
    worker.start()
    try:
        assert lms.arrived.wait(10), "the first worker never posted"
        result = app.test_cli_runner().invoke(cli, ["lti", "sync-grades"])
        assert result.exit_code == 0 and "0 sent" in result.output, result.output
    finally:
        lms.hold.set()
        worker.join(10)
    assert len(lms.scores) == 1
    assert _sync_row(session).status == "sent"


def test_after_the_last_try_the_supervisor_sees_why_and_retries(app, session, course, lms):
    lms.fail_scores = 100
    _play(app, session, course)
    row = _sync_row(session)
    row.tries = MAX_TRIES - 1
    session.add(row)
    session.commit()
    result = app.test_cli_runner().invoke(cli, ["lti", "sync-grades"])
    assert "1 failed" in result.output, result.output
    assert _sync_row(session).status == "failed"
    supervisor = _browser(app, course.supervisor)
    page = _cohort_text(supervisor, course)
    assert "LMS grade: not sent: HTTP 500" in page and "Retry now" in page

    lms.fail_scores = 0
    retry = f"/supervise/cohorts/{course.cohort.id}/lms-grades/{course.link.id}/" \
            f"{course.trainee.id}"
    token = _token(supervisor, f"/supervise/cohorts/{course.cohort.id}")
    response = supervisor.post(retry, data={"csrf_token": token}, headers=HTMX)

    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div id="lms-grade-{course.link.id}-')
    assert "LMS grade: sent" in fragment
    assert [s["scoreGiven"] for s in lms.scores] == [_grade(app, session, course)]
    assert _sync_row(session).status == "sent"


def test_only_the_cohorts_supervisors_can_retry(app, session, course, lms):
    lms.fail_scores = 100
    _play(app, session, course)
    lms.fail_scores = 0
    retry = f"/supervise/cohorts/{course.cohort.id}/lms-grades/{course.link.id}/" \
            f"{course.trainee.id}"

    other = _browser(app, course.other_supervisor)
    token = _token(other, "/supervise")
    assert other.post(retry, data={"csrf_token": token}).status_code == 404
    supervisor = _browser(app, course.supervisor)
    assert supervisor.post(retry).status_code == 400  # no CSRF token
    assert lms.scores == [] and _sync_row(session).status == "pending"

    token = _token(supervisor, f"/supervise/cohorts/{course.cohort.id}")
    response = supervisor.post(retry, data={"csrf_token": token})
    assert response.status_code == 303
    assert len(lms.scores) == 1


def test_deleting_an_account_removes_its_lms_identity_and_owed_grades(app, session, course):
    """An erasure request leaves no LMS user id and no grade row behind (docs/privacy.md)."""
    from simulator.privacy import delete_account

    _play(app, session, course)
    trainee_id = course.trainee.id
    assert session.exec(select(LtiGradeSync).where(
        LtiGradeSync.user_id == trainee_id)).all(), "the completion queued no grade"
    session.expire_all()
    delete_account(session=session, user=session.get(User, trainee_id), actor_id=None)
    session.commit()
    assert session.exec(select(LtiIdentity).where(LtiIdentity.user_id == trainee_id)).all() == []
    assert session.exec(select(LtiGradeSync).where(
        LtiGradeSync.user_id == trainee_id)).all() == []
    assert session.get(LtiLink, course.link.id) is not None  # the course's placement stays
