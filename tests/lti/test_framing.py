"""LMS framing and cookies: LTI pages may be framed by registered platforms, nothing else is."""

from __future__ import annotations

from flask.testing import FlaskClient

from simulator.models import LtiPlatform
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.lti.conftest import TOOL_BASE, launch


def _set_cookie(response, name: str) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    assert found, response.headers.getlist("Set-Cookie")
    return found[-1]


def test_lti_endpoints_are_framed_by_the_registered_platforms_only(client, platform,
                                                                   registered):
    response = client.get("/lti/jwks.json")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {platform.base_url}" in policy
    assert "frame-ancestors 'none'" not in policy
    assert "X-Frame-Options" not in response.headers


def test_with_no_platform_registered_lti_pages_cannot_be_framed(client):
    response = client.get("/lti/jwks.json")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_of_a_launched_session_may_be_framed_by_the_platform(client, platform,
                                                                    registered):
    landing = launch(client, platform, sub="stu-1", email="lee@example.edu")
    for path in (landing.headers["Location"], "/scenarios", "/progress"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f"frame-ancestors {platform.base_url}" in \
            response.headers["Content-Security-Policy"], path
        assert "X-Frame-Options" not in response.headers, path


def test_a_normal_session_is_never_framed_even_with_platforms_registered(client, platform,
                                                                          registered, session):
    user = make_user(session)
    sign_in(client, user.email)
    for path in ("/", "/scenarios", "/login"):
        response = client.get(path, follow_redirects=True)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_framing_follows_platforms_added_and_removed(client, platform, registered, session):
    second = LtiPlatform(issuer="https://moodle.example.edu", client_id="c",
                         auth_url="https://auth.example.edu/mod/lti/auth.php",
                         token_url="https://moodle.example.edu/token",
                         jwks_url="https://moodle.example.edu/certs", deployment_ids=["1"])
    session.add(second)
    session.commit()
    policy = client.get("/lti/jwks.json").headers["Content-Security-Policy"]
    assert (f"frame-ancestors {platform.base_url} https://auth.example.edu "
            "https://moodle.example.edu;") in policy + ";"
    session.delete(second)
    session.commit()
    policy = client.get("/lti/jwks.json").headers["Content-Security-Policy"]
    assert "moodle.example.edu" not in policy


def test_lti_cookies_are_samesite_none_and_secure(client, platform, registered):
    login = client.get("/lti/login", query_string=platform.login_params(sub="stu-1"))
    session_cookie = _set_cookie(login, "session")
    assert "SameSite=None" in session_cookie and "Secure" in session_cookie
    state_cookie = [c for c in login.headers.getlist("Set-Cookie") if c.startswith("lti1p3-")]
    assert state_cookie and all("SameSite=None" in c and "Secure" in c for c in state_cookie)


def test_a_launched_session_keeps_its_cookie_usable_in_the_frame(client, platform, registered):
    launched = launch(client, platform, sub="stu-1", email="lee@example.edu")
    cookie = _set_cookie(launched, "session")
    assert "SameSite=None" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_a_normal_sign_in_stays_lax_and_clears_the_launch_mark(client, platform, registered,
                                                               session):
    launch(client, platform, sub="stu-1", email="lee@example.edu")
    user = make_user(session)
    signed_in = sign_in(client, user.email)
    assert signed_in.status_code == 302
    cookie = _set_cookie(signed_in, "session")
    assert "SameSite=Lax" in cookie and "SameSite=None" not in cookie
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]


def test_login_page_cookie_is_lax_over_https(client: FlaskClient):
    response = client.get("/login")
    assert response.request.url.startswith(TOOL_BASE)
    assert "SameSite=Lax" in _set_cookie(response, "session")


def test_a_launched_session_is_framed_by_its_own_platform_only(client, platform, registered,
                                                               session):
    other = LtiPlatform(issuer="https://moodle.example.edu", client_id="c",
                        auth_url="https://moodle.example.edu/mod/lti/auth.php",
                        token_url="https://moodle.example.edu/token",
                        jwks_url="https://moodle.example.edu/certs", deployment_ids=["1"])
    session.add(other)
    session.commit()
    launch(client, platform, sub="stu-1", email="lee@example.edu")
    page_policy = client.get("/").headers["Content-Security-Policy"]
    assert f"frame-ancestors {platform.base_url};" in page_policy + ";"
    assert "moodle.example.edu" in client.get("/lti/jwks.json").headers["Content-Security-Policy"]


def test_the_course_service_origin_of_a_launch_may_frame_the_session(client, platform,
                                                                     registered, session):
    # Canvas Cloud: issuer canvas.instructure.com, courses served from the school's own domain,
    # which is where its course services (line items, memberships) live too.
    launch(client, platform, sub="stu-1", email="lee@example.edu",
           **{"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
               "scope": [], "lineitems": "https://school.instructure.com/api/lti/courses/1/"
                                         "line_items"}})
    policy = client.get("/").headers["Content-Security-Policy"]
    assert f"frame-ancestors {platform.base_url} https://school.instructure.com;" \
        in policy + ";"
