"""Security headers and cookie flags."""

from __future__ import annotations

import pytest

from simulator import create_app
from tests.conftest import sign_in
from tests.helpers import make_user


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/css/app.css", "/nowhere"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, session):
    user = make_user(session)
    sign_in(client, user.email)
    for path in ("/login", "/", "/scenarios", "/progress"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "onclick=" not in page and "javascript:" not in page


def test_session_cookie_is_httponly_and_lax(client, session):
    user = make_user(session)
    sign_in(client, user.email)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure


def test_cookies_are_secure_behind_https(app_config):
    app = create_app({**app_config, "PREFERRED_URL_SCHEME": "https"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
