"""CSRF: every state-changing route, found from the URL map, refuses a forged request.

Routes are enumerated from `app.url_map`, so a new POST route without protection fails here
without anyone having to remember to add it.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from simulator.extensions import csrf
from simulator.models import AuditEvent
from tests.helpers import make_user
from tests.security.conftest import CSRF_REFUSED, HTMX, post_rules, token_on, url_for_rule
from tests.supervisor.conftest import browser_for
from tests.trainee.conftest import page_turn, start

# Known state-changing endpoints: the enumeration must at least find these.
KNOWN = {"auth.login", "auth.logout", "auth.set_password", "trainee.start", "trainee.answer",
         "trainee.rewind_turn", "trainee.save_reflection", "trainee.account_delete",
         "supervisor.create", "supervisor.add_person", "supervisor.assign",
         "supervisor.override", "supervisor.blind_rate", "supervisor.roster_preview",
         "supervisor.roster_confirm", "supervisor.upload", "admin.update_user"}

# Cross-site posts from an LMS (LTI 1.3): no session token can exist; they verify the OIDC
# state and the platform's signed id_token instead (tests/lti/test_launch.py).
LTI_EXEMPT = {"simulator.lti.views.login", "simulator.lti.views.launch"}

FORGERIES = {
    "form without a token": ({}, {}),
    "form with a wrong token": ({"csrf_token": "forged"}, {}),
    "htmx without a header": ({}, HTMX),
    "htmx with a wrong header": ({}, {**HTMX, "X-CSRFToken": "forged"}),
}


def test_the_enumeration_finds_every_known_form(app):
    found = {rule.endpoint for rule in post_rules(app)}
    assert found >= KNOWN, KNOWN - found


def test_nothing_is_exempt_from_csrf(app):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert csrf._exempt_views == LTI_EXEMPT and not csrf._exempt_blueprints


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_every_post_route_refuses_a_forged_request(app, session, forgery):
    admin = make_user(session, role="admin")
    browser = browser_for(app, admin)
    data, headers = FORGERIES[forgery]
    refused = []
    for rule in _protected(app):
        before = session.exec(select(func.count()).select_from(AuditEvent)).one()
        response = browser.post(url_for_rule(app, rule), data={**data, "name": "x"},
                                headers=headers)
        after = session.exec(select(func.count()).select_from(AuditEvent)).one()
        if response.status_code == 400 and CSRF_REFUSED in response.get_data(as_text=True) \
                and before == after:
            refused.append(rule.endpoint)
    assert refused == [rule.endpoint for rule in _protected(app)]
    # Still signed in (the forged logout did nothing): the dashboard opens, not the sign-in page.
    assert browser.get("/dashboard").status_code == 200


def _protected(app) -> list:
    """The POST rules CSRF protection covers: all but the LTI endpoints named above."""
    views = app.view_functions
    return [rule for rule in post_rules(app) if f"{views[rule.endpoint].__module__}."
            f"{views[rule.endpoint].__name__}" not in LTI_EXEMPT]


def test_a_signed_out_visitor_cannot_post_anywhere_either(app):
    browser = app.test_client()
    for rule in post_rules(app):
        response = browser.post(url_for_rule(app, rule), data={"csrf_token": "forged"})
        assert response.status_code == 400, rule.endpoint


def test_a_token_from_another_session_is_refused(app, session):
    mine, theirs = make_user(session), make_user(session)
    browser, other = browser_for(app, mine), browser_for(app, theirs)
    url = start(browser, "you-started-late-again")
    page = browser.get(url).get_data(as_text=True)
    response = browser.post(f"{url}/turns", data={
        "turn": page_turn(page), "response": "I hear you.", "csrf_token": token_on(other)})
    assert response.status_code == 400


def test_htmx_posts_with_the_header_token_are_accepted(app, session):
    browser = browser_for(app, make_user(session))
    url = start(browser, "you-started-late-again")
    page = browser.get(url).get_data(as_text=True)
    # the form's token from this very page: a second request a second later signs a new one
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page
    response = browser.post(f"{url}/turns", data={"turn": page_turn(page),
                            "response": "You're right, I was late, and I'm sorry."},
                            headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert "Feedback on your last response" in response.get_data(as_text=True)
