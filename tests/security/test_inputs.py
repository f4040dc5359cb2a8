"""Oversize and malformed input on every form: a clear answer, never a server error.

Every POST route is taken from the URL map and sent missing fields, empty fields, digits that
are not ASCII, huge and negative numbers, control characters, bytes that are not UTF-8 and a
body over the size cap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from simulator.courses.tokens import issue_token
from simulator.library import shipped_library
from simulator.models import User
from simulator.practice.answers import MAX_RESPONSE_CHARS
from simulator.trainee.debrief import MAX_REFLECTION_CHARS
from tests.security.conftest import post_rules, token_on, url_for_rule
from tests.supervisor.conftest import browser_for
from tests.trainee.conftest import page_turn, start

FIELDS = ("turn", "response", "choice", "notice_family", "notice_markers", "notice_reaction",
          "reflection", "share", "mode", "email", "password", "confirm", "name", "description",
          "role", "scenario", "attempts_allowed", "due", "trainee", "criterion", "level",
          "comment", "blind", "next", "payload", "skip_invalid", "active", "assignment")
VALUES = {
    "empty": "",
    "unicode digits": "²",  # str.isdigit() is True for it, int() refuses it
    "arabic-indic digits": "٣",
    "huge number": "9" * 40,
    "negative number": "-1",
    "signed twice": "--5",
    "control characters": "a\x00b\x1b[31m\x7f",
    "long text": "long " * 2000,
    "surrogate-free astral text": "🙂" * 50,
}
TOO_LARGE = "What you sent is larger than this site accepts."

# Server errors found by this suite in files it may not change, reported to the lead with a fix.
# None is known now; a new one would be listed here with a pointer to its fix.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


@dataclass
class Targets:
    """Real objects for every URL argument, and a browser allowed to reach each blueprint."""

    values: dict
    browsers: dict[str, FlaskClient]


@pytest.fixture
def targets(app: Flask, session, course) -> Targets:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is a 500 answer to count, not a raise
    trainee = browser_for(app, course.trainee_a)
    playing = start(trainee, "you-started-late-again").rsplit("/", 1)[-1]
    newcomer = _passwordless(session)
    token = issue_token(session=session, user=newcomer)
    session.commit()
    values = {"attempt_id": playing, "turn_id": course.turn_a, "cohort_id": course.cohort_a.id,
              "user_id": course.trainee_b.id, "scenario_id": "you-started-late-again",
              "token": token}
    admin = browser_for(app, course.admin)
    return Targets(values, {"trainee": trainee, "supervisor": admin, "admin": admin,
                            "auth": app.test_client(), "lti": admin})


def _passwordless(session) -> User:
    user = User(email="newcomer@example.org", name="Newcomer")
    session.add(user)
    session.commit()
    return user


def _browser(targets: Targets, endpoint: str) -> FlaskClient:
    return targets.browsers[endpoint.split(".")[0]]


def _send(app, targets: Targets, rule, form: dict | bytes, **kwargs):
    browser = _browser(targets, rule.endpoint)
    url = url_for_rule(app, rule, targets.values)
    token = token_on(browser, "/login" if rule.endpoint.startswith("auth.") else "/")
    if isinstance(form, bytes):
        body = form + b"&csrf_token=" + token.encode()
        return browser.post(url, data=body, content_type="application/x-www-form-urlencoded",
                            **kwargs)
    return browser.post(url, data={**form, "csrf_token": token}, **kwargs)


def _rules(app: Flask) -> list:
    # auth.* routes get a signed-out browser (sign-out itself takes no fields), so nothing
    # here signs the trainee or the admin out halfway through.
    return post_rules(app)


def _criteria(app: Flask) -> list[str]:
    return [f"level_{cid}" for cid in shipped_library(app).rubrics["repair-core"].criterion_ids]


def test_malformed_fields_never_cause_a_server_error(app, targets):
    names = (*FIELDS, *_criteria(app))
    failures = []
    for kind in ("missing", *VALUES):
        form = {} if kind == "missing" else {name: VALUES[kind] for name in names}
        for rule in _rules(app):
            if (kind, rule.endpoint) in KNOWN_GAPS:
                continue
            response = _send(app, targets, rule, form)
            if response.status_code >= 500:
                failures.append(f"{kind} -> {rule.endpoint}: {response.status_code}")
    assert not failures, failures


def test_bytes_that_are_not_utf8_never_cause_a_server_error(app, targets):
    names = (*FIELDS, *_criteria(app))
    encoded = b"&".join(name.encode() + b"=%FF%FE%C3%28" for name in names)
    raw = b"&".join(name.encode() + b"=\xff\xfe\xc3\x28" for name in names)
    failures = []
    for rule in _rules(app):
        for body in (encoded, raw):
            response = _send(app, targets, rule, body)
            if response.status_code >= 500:
                failures.append(f"{rule.endpoint}: {response.status_code}")
    assert not failures, failures


def test_an_oversized_body_gets_the_friendly_413_page_everywhere(app, targets):
    huge = {"response": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    answers = {}
    for rule in _rules(app):
        response = _send(app, targets, rule, huge)
        answers[rule.endpoint] = (response.status_code,
                                  TOO_LARGE in response.get_data(as_text=True))
    assert set(answers.values()) == {(413, True)}, answers


def test_nul_characters_are_stored_without_a_crash(app, targets, session):
    browser = targets.browsers["trainee"]
    url = f"/attempts/{targets.values['attempt_id']}"
    page = browser.get(url).get_data(as_text=True)
    answered = browser.post(f"{url}/turns", data={
        "turn": page_turn(page), "response": "I was late\x00, and I am sorry.",
        "csrf_token": token_on(browser, url)})
    assert answered.status_code == 303
    supervisor = targets.browsers["supervisor"]
    created = supervisor.post("/supervise/cohorts", data={
        "name": "Evening\x00 group", "csrf_token": token_on(supervisor)})
    assert created.status_code == 303


@pytest.mark.parametrize("path", ["/supervise/cohorts/abc", "/supervise/cohorts/-1",
                                  "/supervise/cohorts/1.5", "/attempts/%00",
                                  "/attempts/" + "x" * 5000, "/scenarios/%2e%2e%2fetc"])
def test_odd_ids_in_urls_are_not_found(app, targets, path):
    browser = targets.browsers["supervisor"]
    assert browser.get(path).status_code == 404


def test_an_odd_set_password_link_gets_the_page_every_unusable_link_gets(app, targets):
    # 410 with "ask for a new link", whatever is wrong with the link (docs/privacy.md).
    assert targets.browsers["supervisor"].get("/set-password/" + "t" * 5000).status_code == 410


@pytest.mark.parametrize("path", ["/supervise/cohorts/{big}", "/supervise/attempts/{big}",
                                  "/supervise/cohorts/{big}/gradebook.csv"])
def test_ids_beyond_the_database_integer_range_are_not_found(app, targets, path):
    browser = targets.browsers["supervisor"]
    assert browser.get(path.format(big="9" * 30)).status_code == 404


def test_ids_beyond_the_integer_range_in_posts_are_not_found(app, targets):
    browser = targets.browsers["supervisor"]
    token = token_on(browser)
    answers = {path: browser.post(path.format(big="9" * 30), data={"csrf_token": token})
               .status_code for path in ("/supervise/turns/{big}/reviews", "/supervise/blind/{big}",
                                         "/admin/users/{big}", "/supervise/cohorts/{big}/members")}
    assert answers == dict.fromkeys(answers, 404), answers


def test_an_over_long_response_is_refused_and_kept(app, targets):
    browser = targets.browsers["trainee"]
    url = f"/attempts/{targets.values['attempt_id']}"
    text = "I hear how hard this is. " * (MAX_RESPONSE_CHARS // 20)
    page = browser.get(url).get_data(as_text=True)
    response = browser.post(f"{url}/turns", data={"turn": page_turn(page), "response": text,
                                                  "csrf_token": token_on(browser, url)})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"the limit is {MAX_RESPONSE_CHARS:,}" in body and text.strip() in body


def test_an_over_long_reflection_is_refused_and_kept(app, targets, course):
    browser = targets.browsers["trainee"]
    text = "I noticed my chest tighten. " * (MAX_REFLECTION_CHARS // 20)
    response = browser.post(f"{course.attempt_a}/reflection", data={
        "reflection": text, "csrf_token": token_on(browser)})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"the limit is {MAX_REFLECTION_CHARS:,}" in body and text.strip() in body


def test_over_long_cohort_names_and_comments_are_refused_with_a_message(app, targets, course):
    browser = targets.browsers["supervisor"]
    token = token_on(browser)
    named = browser.post("/supervise/cohorts", data={"name": "n" * 121, "csrf_token": token})
    assert named.status_code == 422
    assert "at most 120 characters" in named.get_data(as_text=True)
    commented = browser.post(f"/supervise/turns/{course.turn_a}/reviews", data={
        "criterion": "reflection", "level": "1", "comment": "c" * 2001, "csrf_token": token})
    assert commented.status_code == 422
    assert "limited to 2,000 characters" in commented.get_data(as_text=True)


def test_oversized_uploads_under_the_body_cap_get_their_own_message(app, targets, course):
    browser = targets.browsers["supervisor"]
    token = token_on(browser)
    roster = browser.post(f"/supervise/cohorts/{course.cohort_a.id}/roster", data={
        "roster": (io.BytesIO(b"email,name,role\n" + b"x" * 600_000), "big.csv"),
        "csrf_token": token})
    assert roster.status_code == 422
    assert "larger than 512 KiB" in roster.get_data(as_text=True)
    scenario = browser.post("/supervise/scenarios/upload", data={
        "scenario": (io.BytesIO(b"id: big\n" + b"#" * 300_000), "big.yaml"), "csrf_token": token})
    assert scenario.status_code == 422
    assert "256" in scenario.get_data(as_text=True)
