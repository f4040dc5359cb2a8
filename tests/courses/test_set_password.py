"""One-time set-password links: the tokens, and the page a new trainee opens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

import simulator.auth.set_password  # noqa: F401  (registers the views on the auth blueprint)
from simulator.courses.tokens import (
    INVALID_LINK,
    TokenError,
    hash_token,
    issue_token,
    redeem_token,
    user_for_token,
)
from simulator.models import AuditEvent, SetPasswordToken, User, utcnow
from simulator.users import UserError
from tests.conftest import csrf_token, sign_in

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def newcomer(session):
    """A trainee created by a roster import: no password yet."""
    user = User(email="new@example.org", name="Nia New", role="trainee")
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def link(session, newcomer):
    """A committed one-time token for the newcomer."""
    raw = issue_token(session=session, user=newcomer)
    session.commit()
    return raw


def _stored(session) -> list[SetPasswordToken]:
    session.expire_all()
    return list(session.exec(select(SetPasswordToken)).all())


# --- tokens -------------------------------------------------------------------------------


def test_issue_returns_a_long_url_safe_token_and_stores_only_its_hash(session, link):
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", link)  # 32 random bytes in base64url
    (stored,) = _stored(session)
    assert stored.token_hash == hash_token(link) != link
    assert stored.expires_at - stored.created_at == timedelta(days=7)


def test_redeem_sets_the_password_and_uses_the_link_up(session, newcomer, link):
    user = redeem_token(session=session, raw=link, password=NEW_PASSWORD)
    session.commit()
    assert user.id == newcomer.id and user.password_hash
    assert _stored(session)[0].used_at is not None
    with pytest.raises(TokenError):
        redeem_token(session=session, raw=link, password="another long password")


def _expire(session, raw):
    token = session.exec(select(SetPasswordToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.add(token)


def _deactivate(session, raw):
    user = session.exec(select(User).where(User.email == "new@example.org")).one()
    user.active = False
    session.add(user)


def _use(session, raw):
    redeem_token(session=session, raw=raw, password=NEW_PASSWORD)


def _replace(session, raw):
    user = session.exec(select(User).where(User.email == "new@example.org")).one()
    issue_token(session=session, user=user)


@pytest.mark.parametrize("spoil", [_expire, _deactivate, _use, _replace])
def test_a_spoiled_link_is_refused_with_one_message_that_reveals_nothing(session, link, spoil):
    spoil(session, link)
    session.commit()
    for attempt in (lambda: user_for_token(session=session, raw=link),
                    lambda: redeem_token(session=session, raw=link, password=NEW_PASSWORD)):
        with pytest.raises(TokenError) as caught:
            attempt()
        assert str(caught.value) == INVALID_LINK


@pytest.mark.parametrize("raw", ["", "not-a-token", "x" * 500])
def test_an_unknown_link_gets_the_same_message(session, link, raw):
    with pytest.raises(TokenError, match=f"^{re.escape(INVALID_LINK)}$"):
        user_for_token(session=session, raw=raw)


def test_a_new_link_replaces_the_old_one_but_works_itself(session, newcomer, link):
    fresh = issue_token(session=session, user=newcomer)
    session.commit()
    assert [t.token_hash for t in _stored(session)] == [hash_token(fresh)]
    assert user_for_token(session=session, raw=fresh).id == newcomer.id


def test_a_short_password_is_refused_and_the_link_still_works(session, newcomer, link):
    with pytest.raises(UserError, match="Passwords need at least 10 characters."):
        redeem_token(session=session, raw=link, password="short")
    session.rollback()
    assert _stored(session)[0].used_at is None
    assert redeem_token(session=session, raw=link, password=NEW_PASSWORD).id == newcomer.id


# --- the page -----------------------------------------------------------------------------


def _post(client, link, password=NEW_PASSWORD, confirm=None, with_csrf=True):
    data = {"password": password, "confirm": password if confirm is None else confirm}
    if with_csrf:
        data["csrf_token"] = csrf_token(client, f"/set-password/{link}")
    return client.post(f"/set-password/{link}", data=data)


def test_the_page_shows_a_labelled_form_and_keeps_the_link_private(client, link):
    response = client.get(f"/set-password/{link}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ('name="password"', 'name="confirm"', 'name="csrf_token"',
                  '<label for="password">', '<label for="confirm">', "new@example.org"):
        assert field in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_setting_a_password_then_signing_in_with_it(client, session, newcomer, link):
    response = _post(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Your password is set. Please sign in." in client.get("/login").get_data(as_text=True)
    assert client.get("/").status_code == 302  # nobody was signed in by setting a password
    assert sign_in(client, newcomer.email, NEW_PASSWORD).status_code == 302
    events = session.exec(select(AuditEvent.action)).all()
    assert "user.set_password" in events
    assert link not in str(session.exec(select(AuditEvent.detail)).all())


def test_a_used_link_shows_the_friendly_refusal(client, link):
    _post(client, link)
    again = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
             "csrf_token": csrf_token(client, "/login")}
    for response in (client.get(f"/set-password/{link}"),
                     client.post(f"/set-password/{link}", data=again)):
        assert response.status_code == 410
        assert INVALID_LINK in response.get_data(as_text=True)
        assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/set-password/made-up", "/set-password/" + "x" * 300])
def test_an_unknown_link_shows_the_same_refusal(client, path):
    response = client.get(path)
    assert response.status_code == 410
    assert INVALID_LINK in response.get_data(as_text=True)


@pytest.mark.parametrize(("password", "confirm", "field", "message"), [
    (NEW_PASSWORD, "something else entirely", "confirm", "The two passwords do not match."),
    ("short", "short", "password", "Passwords need at least 10 characters."),
])
def test_a_bad_password_shows_the_form_again_with_a_clear_message(
    client, session, link, password, confirm, field, message,
):
    response = _post(client, link, password, confirm)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in page
    assert re.search(rf'aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"', page) or \
        re.search(rf'aria-invalid="true"[^>]*aria-describedby="[^"]*{field}-error"', page)
    assert _stored(session)[0].used_at is None


def test_the_form_needs_its_csrf_token(client, session, newcomer, link):
    response = _post(client, link, with_csrf=False)
    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, newcomer.id).password_hash is None
    assert _stored(session)[0].used_at is None
