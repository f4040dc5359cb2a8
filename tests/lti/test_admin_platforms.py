"""The admin's LMS page: the URLs to paste, adding and removing platforms, with CSRF."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator.models import AuditEvent, LtiContext, LtiIdentity, LtiPlatform, User
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.lti.conftest import launch

FORM = {"name": "Canvas", "issuer": "https://canvas.instructure.com",
        "client_id": "10000000000042",
        "auth_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "jwks_url": "https://sso.canvaslms.com/api/lti/security/jwks",
        "deployment_ids": "12:8865aa05b4b79b64a91a86042e43af5ea8ae79eb\n\n34:abc\n"}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _error_beside(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error">([^<]*)<', html)
    assert match, f"no error beside {field_id}"
    return match.group(1).replace("&#39;", "'")


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def test_the_admin_home_links_to_the_lms_page(client, admin):
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/lti"' in html


def test_the_page_shows_the_urls_an_lms_admin_pastes(client, admin, tool_key):
    html = client.get("/admin/lti").get_data(as_text=True)
    for url in ("https://localhost/lti/launch", "https://localhost/lti/login",
                "https://localhost/lti/jwks.json"):
        assert f"<code>{url}</code>" in html
    assert tool_key in html
    assert "No platform is registered yet." in html


def test_adding_a_platform(client, admin, session):
    page = client.get("/admin/lti").get_data(as_text=True)
    response = client.post("/admin/lti", data={**FORM, "csrf_token": _token(page)})
    assert response.status_code == 303
    platform = session.exec(select(LtiPlatform)).one()
    assert platform.deployment_ids == ["12:8865aa05b4b79b64a91a86042e43af5ea8ae79eb", "34:abc"]
    assert platform.issuer == FORM["issuer"] and platform.jwks_url == FORM["jwks_url"]
    listed = client.get("/admin/lti").get_data(as_text=True)
    assert "Registered Canvas." in listed and "10000000000042" in listed
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "lti.platform.add")).one()
    assert event.actor_id == admin.id


def test_every_problem_is_shown_beside_its_field_and_nothing_is_saved(client, admin, session):
    page = client.get("/admin/lti").get_data(as_text=True)
    bad = {**FORM, "issuer": "", "auth_url": "http://lms.example.edu/auth",
           "deployment_ids": "  \n", "csrf_token": _token(page)}
    response = client.post("/admin/lti", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _error_beside(html, "platform-issuer") == "Is required."
    assert _error_beside(html, "platform-auth-url").startswith(
        "Must use https ('http://lms.example.edu/auth' uses http")
    assert _error_beside(html, "platform-deployments") == \
        "At least one deployment id is required."
    assert 'value="https://sso.canvaslms.com/login/oauth2/token"' in html  # kept as typed
    assert session.exec(select(LtiPlatform)).all() == []


def test_a_duplicate_is_shown_beside_the_client_id(client, admin, platform, registered):
    page = client.get("/admin/lti").get_data(as_text=True)
    again = {**FORM, "issuer": platform.issuer, "client_id": platform.client_id,
             "csrf_token": _token(page)}
    html = client.post("/admin/lti", data=again).get_data(as_text=True)
    assert _error_beside(html, "platform-client-id") == (
        f"A platform with issuer '{platform.issuer}' and client id 'holding-space' is already "
        f"registered (id {registered.id}).")


def test_adding_needs_the_csrf_token(client, admin, session):
    response = client.post("/admin/lti", data=FORM)
    assert response.status_code == 400
    assert session.exec(select(LtiPlatform)).all() == []


@pytest.mark.parametrize("role", ["trainee", "supervisor"])
def test_only_admins_reach_the_page(client, login_as, role):
    login_as(role)
    assert client.get("/admin/lti").status_code == 404


def test_removing_asks_first_then_removes_the_platform_and_its_mappings(
        client, platform, registered, session):
    launch(client, platform, sub="stu-1", email="lee@example.edu")
    admin = make_user(session, role="admin")
    sign_in(client, admin.email)
    confirm = client.get(f"/admin/lti/{registered.id}/remove")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "1 LMS user" in text and "1 course" in text and "1 activity" in text
    assert client.post(f"/admin/lti/{registered.id}/remove").status_code == 400  # no token
    assert session.get(LtiPlatform, registered.id) is not None
    removed = client.post(f"/admin/lti/{registered.id}/remove",
                          data={"csrf_token": _token(text)})
    assert removed.status_code == 303
    session.expire_all()
    assert session.exec(select(LtiPlatform)).all() == []
    assert session.exec(select(LtiIdentity)).all() == []
    assert session.exec(select(LtiContext)).all() == []
    assert session.exec(select(User).where(User.email == "lee@example.edu")).one()  # stays
    assert client.get(f"/admin/lti/{registered.id}/remove").status_code == 404
