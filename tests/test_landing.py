"""Each role lands on its own home: trainees on the dashboard, supervisors on /supervise, admins
on /admin; after signing in and at `/`. A safe `next` still wins; an unsafe one is ignored."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.conftest import csrf_token, sign_in
from tests.helpers import PASSWORD, make_user

HOMES = {"trainee": "/", "supervisor": "/supervise/", "admin": "/admin/"}
HEADINGS = {"trainee": "Welcome, ", "supervisor": "<h1>Supervision", "admin": "<h1>Administration"}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_signing_in_lands_on_the_roles_home(client, session, role):
    user = make_user(session, role=role)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == HOMES[role]
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.request.path == HOMES[role] and HEADINGS[role] in page.text


@pytest.mark.parametrize("role", sorted(HOMES))
def test_the_root_is_each_roles_home(client, session, role):
    sign_in(client, make_user(session, role=role).email)
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200
    assert page.request.path == HOMES[role] and HEADINGS[role] in page.text


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_staff_still_reach_the_trainee_dashboard_from_the_nav(client, session, role):
    sign_in(client, make_user(session, role=role).email)
    home = client.get(HOMES[role]).text
    assert re.search(r'<a class="brand" href="' + re.escape(HOMES[role]) + '"', home)
    dashboard_link = re.search(r'<li><a href="([^"]+)"[^>]*>Dashboard</a>', home).group(1)
    assert dashboard_link == "/dashboard"
    page = client.get(dashboard_link)
    assert page.status_code == 200 and "Welcome, " in page.text
    assert re.search(r'href="/dashboard" aria-current="page"', page.text)


def test_a_trainees_nav_points_at_the_dashboard(client, session):
    sign_in(client, make_user(session, role="trainee").email)
    page = client.get("/").text
    assert '<a class="brand" href="/">' in page
    assert re.search(r'<li><a href="/" aria-current="page">Dashboard</a>', page)


def _sign_in_with_next(client, email: str, target: str):
    token = csrf_token(client)
    return client.post(f"/login?next={quote(target, safe='')}",
                       data={"email": email, "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_a_safe_next_still_wins(client, session, role):
    user = make_user(session, role=role)
    response = _sign_in_with_next(client, user.email, "/progress")
    assert response.status_code == 302 and response.headers["Location"] == "/progress"


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x",
                                    "/\\elsewhere.example"])
def test_an_unsafe_next_is_ignored_and_the_role_lands_home(client, session, target):
    user = make_user(session, role="supervisor")
    response = _sign_in_with_next(client, user.email, target)
    assert response.status_code == 302 and response.headers["Location"] == "/supervise/"


def test_signing_in_from_a_protected_root_ends_at_the_roles_home(client, session):
    """`/` asks a visitor to sign in with next=/; afterwards a supervisor still lands home."""
    user = make_user(session, role="supervisor")
    login_url = client.get("/").headers["Location"]
    token = csrf_token(client)
    response = client.post(login_url, data={"email": user.email,
                                            "password": PASSWORD,
                                            "csrf_token": token}, follow_redirects=True)
    assert response.request.path == "/supervise/"
