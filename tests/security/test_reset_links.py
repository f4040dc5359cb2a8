"""Accounts can always be recovered: a fresh one-time link from the CLI, an admin or a supervisor.

A new link kills every earlier unused one. A supervisor may issue one only for a trainee of
their cohort who has never set a password: otherwise the link would let them take the account
over. Links that cannot be used say so, and who can send a new one.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from simulator.cli import cli
from simulator.courses.tokens import INVALID_LINK, issue_token
from simulator.models import AuditEvent, CohortMember, SetPasswordToken, User, utcnow
from tests.conftest import csrf_token, sign_in
from tests.security.conftest import HTMX, token_on
from tests.supervisor.conftest import browser_for

LINK = re.compile(r"https?://[^\s<\"]+/set-password/([A-Za-z0-9_-]+)")
WHO = "ask your supervisor (the person who added you to your course) or an administrator"
NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture
def newcomer(session, course) -> User:
    """A trainee of cohort A added by a roster: no password yet, and an old link issued."""
    user = User(email="newcomer@example.org", name="Nia Newcomer", role="trainee")
    session.add(user)
    session.flush()
    session.add(CohortMember(cohort_id=course.cohort_a.id, user_id=user.id, role="trainee"))
    issue_token(session=session, user=user)
    session.commit()
    return user


def _unused_links(session, user: User) -> list[SetPasswordToken]:
    session.expire_all()
    return list(session.exec(select(SetPasswordToken).where(
        SetPasswordToken.user_id == user.id, SetPasswordToken.used_at.is_(None))).all())


def _set_password(client, token: str):
    path = f"/set-password/{token}"
    return client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                   "csrf_token": csrf_token(client, path)})


def _audited_without_the_token(session, user: User, via: str, token: str) -> None:
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.reset_link",
                                                   AuditEvent.object_id == str(user.id))).all()
    assert [event.detail["via"] for event in events] == [via]
    assert token not in str([(e.detail, e.object_id) for e in events])


# --- the command line ----------------------------------------------------------------------


def test_the_cli_prints_a_fresh_link_and_earlier_links_stop_working(app, client, session):
    user = User(email="stranded@example.org", name="Stranded", role="trainee")
    session.add(user)
    session.flush()
    old = issue_token(session=session, user=user)
    session.commit()
    result = app.test_cli_runner().invoke(cli, ["users", "reset-link", "Stranded@Example.org",
                                                "--base-url", "https://training.example.org/"])
    assert result.exit_code == 0, result.output
    token = LINK.search(result.output).group(1)
    assert f"https://training.example.org/set-password/{token}" in result.output
    assert "earlier links no longer work" in result.output
    assert client.get(f"/set-password/{old}").status_code == 410
    assert _set_password(client, token).status_code == 302
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302
    _audited_without_the_token(session, user, "cli", token)


def test_the_cli_recovers_an_account_that_had_a_password(app, session, course):
    result = app.test_cli_runner().invoke(cli, ["users", "reset-link", course.trainee_a.email])
    token = LINK.search(result.output).group(1)
    browser = app.test_client()
    assert _set_password(browser, token).status_code == 302
    assert sign_in(browser, course.trainee_a.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("email", "message"), [
    ("nobody@example.org", "No account has the email nobody@example.org."),
    ("off@example.org", "off@example.org is switched off, so a link would not work."),
])
def test_the_cli_refuses_an_unknown_or_switched_off_account(app, session, email, message):
    session.add(User(email="off@example.org", name="Off", role="trainee", active=False))
    session.commit()
    result = app.test_cli_runner().invoke(cli, ["users", "reset-link", email])
    assert result.exit_code == 1 and message in result.output
    assert session.exec(select(SetPasswordToken)).all() == []


# --- the admin's button --------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form post", "htmx"])
def test_an_admin_issues_a_link_for_any_account(app, session, course, headers):
    admin = browser_for(app, course.admin)
    assert f'action="/admin/users/{course.supervisor_b.id}/reset-link"' in admin.get(
        "/admin/").get_data(as_text=True)
    response = admin.post(f"/admin/users/{course.supervisor_b.id}/reset-link",
                          data={"csrf_token": token_on(admin, "/admin/")}, headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert body.lstrip().startswith(f'<div id="reset-link-{course.supervisor_b.id}"') == \
        bool(headers)  # htmx gets the partial that replaces the button, a browser the page
    token = LINK.search(body).group(1)
    assert _set_password(app.test_client(), token).status_code == 302
    _audited_without_the_token(session, course.supervisor_b, "admin", token)


def test_only_admins_reach_the_admin_button(app, session, course):
    for who in (course.supervisor_a, course.trainee_b):
        browser = browser_for(app, who)
        response = browser.post(f"/admin/users/{course.trainee_a.id}/reset-link",
                                data={"csrf_token": token_on(browser)})
        assert response.status_code == 404
    assert session.exec(select(SetPasswordToken)).all() == []
    admin = browser_for(app, course.admin)  # the same request from an admin is answered
    assert admin.post(f"/admin/users/{course.trainee_a.id}/reset-link",
                      data={"csrf_token": token_on(admin)}).status_code == 200


# --- the supervisor's button ---------------------------------------------------------------


def _supervisor_post(browser, course, user: User, headers: dict | None = None):
    return browser.post(f"/supervise/cohorts/{course.cohort_a.id}/members/{user.id}/reset-link",
                        data={"csrf_token": token_on(browser)}, headers=headers or {})


def test_a_supervisor_issues_a_link_for_their_trainee_who_never_set_a_password(
        app, session, course, newcomer):
    supervisor = browser_for(app, course.supervisor_a)
    page = supervisor.get(f"/supervise/cohorts/{course.cohort_a.id}").get_data(as_text=True)
    assert f'id="reset-link-{newcomer.id}"' in page
    assert f'id="reset-link-{course.trainee_a.id}"' not in page  # has a password: no button
    old = [t.token_hash for t in _unused_links(session, newcomer)]
    response = _supervisor_post(supervisor, course, newcomer, HTMX)
    assert response.status_code == 200
    token = LINK.search(response.get_data(as_text=True)).group(1)
    (fresh,) = _unused_links(session, newcomer)  # one link only: the old one is gone
    assert [fresh.token_hash] != old
    assert _set_password(app.test_client(), token).status_code == 302
    _audited_without_the_token(session, newcomer, "supervisor", token)


def test_a_supervisor_cannot_take_over_an_account_that_has_a_password(app, session, course):
    supervisor = browser_for(app, course.supervisor_a)
    response = _supervisor_post(supervisor, course, course.trainee_a)
    assert response.status_code == 409
    assert "has already set a password, so only an administrator can issue a new link" in \
        response.get_data(as_text=True)
    assert session.exec(select(SetPasswordToken)).all() == []


def test_a_supervisor_reaches_only_their_own_cohorts_trainees(app, session, course, newcomer):
    before = [t.token_hash for t in _unused_links(session, newcomer)]
    outsider = browser_for(app, course.supervisor_b)
    assert _supervisor_post(outsider, course, newcomer).status_code == 404
    supervisor = browser_for(app, course.supervisor_a)
    for person in (course.trainee_b, course.supervisor_a):  # not a trainee of this cohort
        assert _supervisor_post(supervisor, course, person).status_code == 404
    trainee = browser_for(app, course.trainee_a)
    assert _supervisor_post(trainee, course, newcomer).status_code == 404
    assert [t.token_hash for t in _unused_links(session, newcomer)] == before
    assert _supervisor_post(supervisor, course, newcomer).status_code == 200  # theirs: answered


# --- a link that no longer works -----------------------------------------------------------


def test_an_expired_link_says_so_and_who_can_send_a_new_one(client, session, newcomer):
    raw = issue_token(session=session, user=newcomer)
    session.commit()
    row = session.exec(select(SetPasswordToken).where(SetPasswordToken.used_at.is_(None))).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    response = client.get(f"/set-password/{raw}")
    body = response.get_data(as_text=True)
    assert response.status_code == 410
    assert INVALID_LINK in body and WHO in body
    assert response.headers["Referrer-Policy"] == "no-referrer"
