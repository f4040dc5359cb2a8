"""Security headers on every kind of response: pages, errors, static files and downloads."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, sign_in
from tests.helpers import make_user
from tests.supervisor.conftest import browser_for

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.I)


def header_problems(response, where: str) -> list[str]:
    """Every missing or weak security header on one response."""
    headers, found = response.headers, []
    policy = headers.get("Content-Security-Policy", "")
    for part in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                 "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
        if part not in policy:
            found.append(f"{where}: CSP lacks {part}")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        found.append(f"{where}: CSP allows inline or eval'd script")
    expected = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                "Referrer-Policy": "same-origin"}
    found += [f"{where}: {name} is {headers.get(name)!r}" for name, value in expected.items()
              if headers.get(name) != value and not (name == "Referrer-Policy"
                                                     and headers.get(name) == "no-referrer")]
    return found


def private(response, where: str) -> list[str]:
    """Problems if a response holding personal data may be cached."""
    return [] if "no-store" in response.headers.get("Cache-Control", "") else [
        f"{where}: cacheable ({response.headers.get('Cache-Control')!r})"]


def test_pages_carry_the_headers_and_are_not_cached_once_signed_in(app, session, course):
    trainee = browser_for(app, course.trainee_a)
    supervisor = browser_for(app, course.supervisor_a)
    admin = browser_for(app, course.admin)
    review = course.attempt_a.replace("/attempts/", "/supervise/attempts/")
    found = []
    for browser, path in ((trainee, "/"), (trainee, "/scenarios"), (trainee, course.attempt_a),
                          (trainee, f"{course.attempt_a}/debrief"), (trainee, "/progress"),
                          (trainee, "/account"), (supervisor, "/supervise/"),
                          (supervisor, review), (supervisor, f"{review}/transcript"),
                          (admin, "/admin/")):
        response = browser.get(path)
        assert response.status_code == 200, path
        found += header_problems(response, path) + private(response, path)
        if INLINE_SCRIPT.search(response.get_data(as_text=True)):
            found.append(f"{path}: inline script")
    assert found == []


def test_downloads_are_attachments_that_are_never_cached(app, session, course):
    supervisor = browser_for(app, course.supervisor_a)
    trainee = browser_for(app, course.trainee_a)
    found = []
    for browser, path in ((supervisor, f"/supervise/cohorts/{course.cohort_a.id}/gradebook.csv"),
                          (supervisor, "/supervise/xapi.json"), (trainee, "/account/data.json")):
        response = browser.get(path)
        assert response.status_code == 200, path
        found += header_problems(response, path) + private(response, path)
        if not response.headers.get("Content-Disposition", "").startswith("attachment;"):
            found.append(f"{path}: not an attachment")
    assert found == []


def test_static_files_carry_the_headers(client):
    for path in ("/static/css/app.css", "/static/vendor/htmx/htmx.min.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert header_problems(response, path) == []
        response.close()


def _throttled(client, session):
    user = make_user(session)
    for _ in range(11):
        response = client.post("/login", data={"email": user.email, "password": "wrong pass!",
                                               "csrf_token": csrf_token(client)})
    return response


@pytest.mark.parametrize(("status", "make"), [
    (404, lambda c, s: c.get("/nowhere")),
    (404, lambda c, s: (sign_in(c, make_user(s).email), c.get("/attempts/unknown"))[1]),
    (405, lambda c, s: c.get("/logout")),
    (400, lambda c, s: c.post("/login", data={"email": "a@b.org"})),
    (413, lambda c, s: c.post("/login", data={"email": "x" * (1024 * 1024 + 10)})),
    (429, _throttled),
])
def test_error_pages_are_friendly_and_carry_the_headers(client, session, status, make):
    response = make(client, session)
    assert response.status_code == status
    assert header_problems(response, str(status)) == []
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "<h1" in body


def test_a_crash_gives_the_friendly_page_with_headers_and_no_details(app, session):
    def crash():
        raise RuntimeError("secret internals")

    app.add_url_rule("/crash-for-test", "crash_for_test", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    browser = browser_for(app, make_user(session))
    response = browser.get("/crash-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret internals" not in body
    assert header_problems(response, "500") == [] and private(response, "500") == []
