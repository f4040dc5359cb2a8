"""Sessions end: after SESSION_IDLE_HOURS without a request, and SESSION_MAX_DAYS after sign-in.

The clocks are moved by rewriting the two times the session cookie carries, as a browser left
open overnight would present them; the app's settings stay as shipped (12 hours, 7 days).
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape

from simulator import create_app
from simulator.config import ConfigError
from tests.conftest import csrf_token
from tests.helpers import PASSWORD
from tests.security.conftest import CSRF_REFUSED, HTMX
from tests.trainee.conftest import page_turn, start

HOUR, DAY = 3600, 86400
IDLE = "Your session ended because it was idle for 12 hours. Please sign in again."
TOO_OLD = "Your session ended because you signed in 7 days ago. Please sign in again."
KEPT = "it is kept in this browser and will be back in the answer box after you sign in."
SHOWN = "it is shown below so you can copy it."
ANSWER = "It sounds like waiting for me felt like not mattering to me."


def _sends_to_sign_in(location: str, then: str) -> bool:
    """Whether `location` is the sign-in page, set to return to `then` afterwards."""
    parts = urlsplit(location)
    return parts.path == "/login" and parse_qs(parts.query).get("next") == [then]


def _age(client, *, signed_in: float = 0, seen: float = 0) -> None:
    """Make the session look as if it started `signed_in` and was last used `seen` seconds ago."""
    now = int(time.time())
    with client.session_transaction() as cookie:
        cookie["signed_in_at"] = cookie.get("signed_in_at", now) - int(signed_in)
        cookie["seen_at"] = now - int(seen)


@pytest.fixture
def play(client, login_as):
    """A signed-in trainee on the play page of a fresh attempt: (trainee, attempt URL, HTML)."""
    user = login_as("trainee")
    url = start(client, "you-started-late-again")
    return user, url, client.get(url).get_data(as_text=True)


def _answer_form(url: str, html: str, client) -> dict:
    return {"turn": page_turn(html), "response": ANSWER, "csrf_token": csrf_token(client, url)}


def test_a_session_idle_for_twelve_hours_ends_with_a_message(client, login_as):
    login_as("trainee")
    _age(client, seen=12 * HOUR + 5)
    response = client.get("/progress")
    assert response.status_code == 302
    assert _sends_to_sign_in(response.headers["Location"], "/progress")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert IDLE in page
    assert "Please sign in to continue." not in page  # one message, the one that says why
    assert client.get("/progress").status_code == 302  # and it stays ended


def test_a_session_in_use_stays_open_past_twelve_hours(client, login_as):
    login_as("trainee")
    for _ in range(3):  # active all day: each request is less than 12 hours after the last
        _age(client, signed_in=5 * HOUR, seen=11 * HOUR)
        assert client.get("/").status_code == 200
        with client.session_transaction() as cookie:
            assert time.time() - cookie["seen_at"] < 60  # the request counted as activity


def test_a_session_ends_seven_days_after_sign_in_however_busy(client, login_as):
    login_as("trainee")
    _age(client, signed_in=7 * DAY + 5, seen=60)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert TOO_OLD in client.get("/login").get_data(as_text=True)


def test_signing_in_again_starts_both_clocks(client, login_as):
    user = login_as("trainee")
    token = csrf_token(client, "/login")  # a sign-in form opened before the session ended
    _age(client, signed_in=7 * DAY + 5)
    assert client.get("/").status_code == 302
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_an_answer_sent_after_the_session_ended_gets_sign_in_again_not_a_csrf_error(client, play):
    _user, url, html = play
    form = _answer_form(url, html, client)
    _age(client, seen=13 * HOUR)
    response = client.post(f"{url}/turns", data=form, headers={"Referer": f"http://localhost{url}"})
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert CSRF_REFUSED not in body
    assert IDLE in body and SHOWN in body
    assert f">{escape(ANSWER)}</textarea>" in body  # without JavaScript: shown to copy
    assert f'action="/login?next={url}"' in body


def test_an_htmx_answer_after_the_session_ended_sends_the_page_to_sign_in(client, play):
    _user, url, html = play
    form = _answer_form(url, html, client)
    _age(client, seen=13 * HOUR)
    response = client.post(f"{url}/turns", data=form, headers={
        **HTMX, "HX-Current-URL": f"http://localhost{url}", "X-CSRFToken": form["csrf_token"]})
    assert response.status_code == 401
    assert _sends_to_sign_in(response.headers["HX-Redirect"], url)
    page = client.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert IDLE in page and KEPT in page


def test_signing_in_after_the_session_ended_returns_to_the_play_page(client, play):
    user, url, html = play
    form = _answer_form(url, html, client)
    _age(client, seen=13 * HOUR)
    sent = client.post(f"{url}/turns", data=form, headers={"Referer": f"http://localhost{url}"})
    assert sent.status_code == 401
    response = client.post(f"/login?next={url}", data={
        "email": user.email, "password": PASSWORD,
        "csrf_token": csrf_token(client, f"/login?next={url}")})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert page_turn(client.get(url).get_data(as_text=True)) == form["turn"]  # not sent


def test_an_htmx_request_without_a_session_redirects_the_whole_page(client):
    response = client.get("/progress", headers=HTMX)
    assert response.status_code == 401
    assert _sends_to_sign_in(response.headers["HX-Redirect"], "/progress")


@pytest.mark.parametrize(("name", "value"), [("SESSION_IDLE_HOURS", 0),
                                             ("SESSION_MAX_DAYS", "soon")])
def test_the_limits_must_be_positive_numbers(app_config, name, value):
    with pytest.raises(ConfigError, match=f"SIMULATOR_{name} is .*positive number"):
        create_app({**app_config, name: value})
