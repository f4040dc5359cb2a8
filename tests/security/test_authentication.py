"""Attacks on signing in: guessing, fixation, stolen cookies, enumeration, weak hashes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from simulator import create_app
from simulator.courses.tokens import INVALID_LINK, issue_token
from simulator.models import SetPasswordToken, User, utcnow
from tests.conftest import csrf_token, sign_in
from tests.helpers import PASSWORD, make_user
from tests.security.conftest import without_tokens

# How long to wait is counted from the first failure: a minute's window, less the test's time.
THROTTLED = re.compile(r"Too many sign-in attempts\. Please wait (\d+) seconds? before trying "
                       r"again\.")
FAILED = "That email and password do not match an active account."
LIMIT = 10  # LOGIN_RATE_LIMIT is "10 per minute" unless configured otherwise


def _sign_in_from(client, address: str, email: str, password: str):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("who", ["existing account", "unknown email"])
def test_guessing_one_account_from_many_addresses_is_throttled(client, session, who):
    target = make_user(session).email if who == "existing account" else "nobody@example.org"
    statuses = [_sign_in_from(client, f"10.0.0.{n}", target, "wrong guess!").status_code
                for n in range(1, LIMIT + 1)]
    assert statuses == [401] * LIMIT
    throttled = _sign_in_from(client, "10.0.1.1", target, PASSWORD)
    assert throttled.status_code == 429
    assert THROTTLED.search(throttled.get_data(as_text=True))
    bystander = make_user(session)
    assert _sign_in_from(client, "10.0.1.1", bystander.email, PASSWORD).status_code == 302


def test_guessing_many_accounts_from_one_address_is_throttled(client, session):
    for n in range(LIMIT):
        assert _sign_in_from(client, "10.9.9.9", f"guess{n}@example.org", "x" * 12).status_code \
            == 401
    user = make_user(session)
    throttled = _sign_in_from(client, "10.9.9.9", user.email, PASSWORD)
    assert throttled.status_code == 429
    wait = THROTTLED.search(throttled.get_data(as_text=True))
    assert wait and throttled.headers["Retry-After"] == wait.group(1)
    assert 0 < int(wait.group(1)) <= 60
    assert _sign_in_from(client, "10.9.9.10", user.email, PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_use_up_the_allowance(client, session):
    user = make_user(session)
    for _ in range(LIMIT + 2):
        assert _sign_in_from(client, "10.1.1.1", user.email, PASSWORD).status_code == 302


def test_the_throttle_storage_is_configurable(app_config):
    app = create_app({**app_config, "RATELIMIT_STORAGE_URI": "memory://",
                      "LOGIN_RATE_LIMIT": "3 per hour"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per hour"


def test_a_planted_session_cookie_is_replaced_at_sign_in(app, session):
    user = make_user(session)
    attacker = app.test_client()
    attacker.get("/login")  # a real pre-sign-in session, with a CSRF token the attacker knows
    planted = attacker.get_cookie("session").value
    known_token = csrf_token(attacker)
    victim = app.test_client()
    victim.set_cookie("session", planted)
    assert sign_in(victim, user.email).status_code == 302
    assert victim.get_cookie("session").value != planted
    assert attacker.get("/").status_code == 302  # the attacker's copy is still signed out
    forged = victim.post("/logout", data={"csrf_token": known_token})
    assert forged.status_code == 400  # the CSRF token from before sign-in no longer works
    assert victim.get("/").status_code == 200


@pytest.mark.parametrize("cookie", [("session", "not-a-signed-value"),
                                    ("session", "eyJfdXNlcl9pZCI6IjE6eCJ9.AAAA.BBBB"),
                                    ("remember_token", "1|deadbeef")])
def test_forged_cookies_sign_nobody_in(client, session, cookie):
    make_user(session)
    client.set_cookie(*cookie)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_sign_out_invalidates_every_copy_of_the_session(app, session):
    user = make_user(session)
    laptop, stolen = app.test_client(), app.test_client()
    sign_in(laptop, user.email)
    stolen.set_cookie("session", laptop.get_cookie("session").value)
    assert stolen.get("/").status_code == 200
    other_device = app.test_client()
    sign_in(other_device, user.email)
    assert laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/")}).status_code == 302
    for browser in (stolen, other_device):
        response = browser.get("/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_sign_out_is_post_only(client, session):
    user = make_user(session)
    sign_in(client, user.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_passwords_are_hashed_with_scrypt(session, client, app):
    from simulator.users import create_user

    user = create_user(session=session, email="fresh@example.org", password="long enough pw")
    session.commit()
    stored = session.get(User, user.id).password_hash
    assert stored.startswith("scrypt:32768:8:1$") and "long enough pw" not in stored


def _link_page(client, token: str):
    response = client.get(f"/set-password/{token}")
    return response.status_code, INVALID_LINK in response.get_data(as_text=True)


def test_set_password_links_are_single_use_and_expire_with_one_answer(client, session):
    used_user, expired_user = make_user(session), make_user(session)
    used = issue_token(session=session, user=used_user)
    expired = issue_token(session=session, user=expired_user)
    session.commit()
    page = client.get(f"/set-password/{used}")
    assert page.status_code == 200
    form = {"password": "a brand new passphrase", "confirm": "a brand new passphrase",
            "csrf_token": csrf_token(client, f"/set-password/{used}")}
    assert client.post(f"/set-password/{used}", data=form).status_code == 302
    row = session.exec(select(SetPasswordToken).where(
        SetPasswordToken.user_id == expired_user.id)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    answers = {_link_page(client, t) for t in (used, expired, "never-issued-token")}
    assert answers == {(410, True)}  # used, expired and made-up links look the same
    replay = client.post(f"/set-password/{used}", data={**form, "password": "another one here",
                                                       "confirm": "another one here"})
    assert replay.status_code == 410


def test_sign_in_failures_do_not_reveal_which_accounts_exist(client, session):
    user = make_user(session)
    inactive = make_user(session, active=False)
    bodies = set()
    for email, password in ((user.email, "wrong password"), ("ghost@example.org", PASSWORD),
                            (inactive.email, PASSWORD)):
        response = _sign_in_from(client, "10.2.2.2", email, password)
        assert response.status_code == 401
        body = response.get_data(as_text=True)
        assert FAILED in body
        bodies.add(without_tokens(body.replace(email, "EMAIL")))
    assert len(bodies) == 1


def test_session_cookie_flags_over_https(app_config, session):
    app = create_app({**app_config, "PREFERRED_URL_SCHEME": "https"})  # `session` migrated it
    user = make_user(session)
    browser = app.test_client()
    page = browser.get("/login", base_url="https://localhost")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1][:200]
    token = token.split('"')[0]
    response = browser.post("/login", base_url="https://localhost", headers={
        "Referer": "https://localhost/login"},
        data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
