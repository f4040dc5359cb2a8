"""Attempts are private: another trainee, or a signed-out visitor, cannot reach them."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, sign_in
from tests.helpers import make_user
from tests.trainee.conftest import answer, start

URLS = [
    ("get", "{url}"),
    ("get", "{url}/debrief"),
    ("post", "{url}/turns"),
    ("post", "{url}/rewind"),
    ("post", "{url}/reflection"),
]


@pytest.fixture
def owned_attempt(app, session):
    owner = make_user(session)
    browser = app.test_client()
    sign_in(browser, owner.email)
    url = start(browser, "you-must-be-sick-of-me")
    answer(browser, url, {"mode": "free",
                          "response": "It sounds like you worry you're a burden to me."})
    return url


@pytest.mark.parametrize(("method", "pattern"), URLS)
def test_another_trainee_gets_404(app, session, owned_attempt, method, pattern):
    intruder = make_user(session)
    browser = app.test_client()
    sign_in(browser, intruder.email)
    token = csrf_token(browser, "/")
    data = {"csrf_token": token, "turn": "1", "response": "hello", "reflection": "x"}
    target = pattern.format(url=owned_attempt)
    response = browser.get(target) if method == "get" else browser.post(target, data=data)
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "pattern"), URLS)
def test_unknown_attempts_look_the_same_as_forbidden_ones(client, trainee, method, pattern):
    token = csrf_token(client, "/")
    target = pattern.format(url="/attempts/does-not-exist")
    response = (client.get(target) if method == "get"
                else client.post(target, data={"csrf_token": token}))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "pattern"), URLS)
def test_signed_out_visitors_are_sent_to_sign_in(app, owned_attempt, method, pattern):
    browser = app.test_client()
    target = pattern.format(url=owned_attempt)
    response = browser.get(target) if method == "get" else browser.post(target)
    if method == "get":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    else:  # no session, so no CSRF token: refused before the view runs
        assert response.status_code == 400


def test_attempt_ids_are_long_and_random(client, trainee):
    ids = {start(client, "you-must-be-sick-of-me").rsplit("/", 1)[-1] for _ in range(5)}
    assert len(ids) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,}", i) for i in ids)
