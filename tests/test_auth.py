"""Signing in and out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from simulator.models import AuditEvent
from tests.conftest import csrf_token, sign_in
from tests.helpers import make_user

FAILED = "That email and password do not match an active account."


def test_login_page_has_the_named_fields(client):
    page = client.get("/login").get_data(as_text=True)
    for field in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert field in page


def test_user_signs_in_and_reaches_home(client, session):
    user = make_user(session, name="Rosa Trainee")
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, Rosa Trainee" in client.get("/").get_data(as_text=True)


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("email", ["known", "unknown@example.org"])
def test_wrong_credentials_get_one_message_that_reveals_nothing(client, session, email):
    user = make_user(session)
    response = sign_in(client, user.email if email == "known" else email, "wrong password!")
    assert response.status_code == 401
    assert FAILED in response.get_data(as_text=True)


def test_inactive_user_cannot_sign_in(client, session):
    user = make_user(session, active=False)
    assert sign_in(client, user.email).status_code == 401


def test_next_parameter_only_redirects_within_the_site(client, session):
    user = make_user(session)
    token = csrf_token(client)
    data = {"email": user.email, "password": "correct horse battery", "csrf_token": token}
    response = client.post("/login?next=https://evil.example/phish", data=data)
    assert response.headers["Location"] == "/"


def test_sign_in_rotates_the_session(client, session):
    user = make_user(session)
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    sign_in(client, user.email)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"].startswith(f"{user.id}:")


def test_logout_invalidates_the_old_session_cookie(client, session):
    user = make_user(session)
    sign_in(client, user.email)
    stolen = client.get_cookie("session").value
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    client.set_cookie("session", stolen)
    replay = client.get("/")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith("/login")


def test_logout_without_csrf_token_is_refused(client, session):
    user = make_user(session)
    sign_in(client, user.email)
    response = client.post("/logout")
    assert response.status_code == 400
    assert "This form had expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_login_without_csrf_token_is_refused(client, session):
    user = make_user(session)
    data = {"email": user.email, "password": "correct horse battery"}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)


def test_repeated_failures_are_throttled_with_a_clear_message(client, session):
    user = make_user(session)
    statuses = [sign_in(client, user.email, "wrong password!").status_code for _ in range(10)]
    assert statuses == [401] * 10
    throttled = sign_in(client, user.email)
    assert throttled.status_code == 429
    assert "Too many sign-in attempts" in throttled.get_data(as_text=True)


def test_sign_in_and_out_are_audited_without_secrets(client, session):
    user = make_user(session)
    sign_in(client, user.email)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["login", "logout"]
    assert all("password" not in str(event.detail) for event in events)
