"""At least one active admin remains, even when two admins act against each other at once.

The race is made certain rather than likely: a hook on the database engine holds each request
at its first write until the other request has reached its own (or three seconds have passed,
which is what happens when the first request holds a lock the second is waiting for). Runs on
file SQLite, and on PostgreSQL with SIMULATOR_TEST_DATABASE_URL.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlmodel import select

from simulator.db import get_engine
from simulator.models import User
from simulator.users import LastAdminError, change_account, lock_admins
from tests.helpers import PASSWORD, make_user
from tests.security.conftest import token_on
from tests.supervisor.conftest import browser_for

NO_LONGER_ADMIN = "You are no longer an admin, so nothing was changed."
WAIT_SECONDS = 3


@contextlib.contextmanager
def held_at(app, statement: str) -> Iterator[None]:
    """Hold each of two requests before its first `statement` until both have got there."""
    meeting = threading.Barrier(2)
    pattern = re.compile(statement, re.IGNORECASE)

    def wait(_conn, _cursor, sql, _params, _context, _many):
        if pattern.match(sql.lstrip()):
            # Broken after the wait: the other request is waiting for this one's lock.
            with contextlib.suppress(threading.BrokenBarrierError):
                meeting.wait(timeout=WAIT_SECONDS)

    engine = get_engine(app)
    event.listen(engine, "before_cursor_execute", wait)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", wait)


def _at_once(*calls) -> list:
    """Run the calls in parallel threads; their results in order."""
    results = [None] * len(calls)

    def run(n: int) -> None:
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _active_admins(session) -> list[str]:
    session.expire_all()
    return list(session.exec(select(User.email).where(User.role == "admin",
                                                      User.active.is_(True))).all())


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, session):
    first, second = make_user(session, role="admin"), make_user(session, role="admin")
    browsers = {first.id: browser_for(app, first), second.id: browser_for(app, second)}
    tokens = {uid: token_on(browser, "/admin/") for uid, browser in browsers.items()}

    def demote(actor: User, target: User):
        return lambda: browsers[actor.id].post(f"/admin/users/{target.id}", data={
            "role": "trainee", "active": "yes", "csrf_token": tokens[actor.id]})

    with held_at(app, r'UPDATE "?user"? SET'):
        answers = _at_once(demote(first, second), demote(second, first))
    assert len(_active_admins(session)) == 1
    assert sorted(a.status_code for a in answers) == [303, 422]
    refused = next(a for a in answers if a.status_code == 422).get_data(as_text=True)
    assert re.search(rf'class="field-error" id="role-error-\d+">{NO_LONGER_ADMIN}<', refused)


def test_two_admins_deleting_their_own_accounts_at_once_leave_one_admin(app, session):
    first, second = make_user(session, role="admin"), make_user(session, role="admin")
    browsers = [browser_for(app, first), browser_for(app, second)]
    forms = [{"password": PASSWORD, "confirm": "delete my account",
              "csrf_token": token_on(browser, "/account")} for browser in browsers]

    def delete(n: int):
        return lambda: browsers[n].post("/account/delete", data=forms[n])

    with held_at(app, r"DELETE FROM review"):  # the first write of deleting an account
        answers = _at_once(delete(0), delete(1))
    assert len(_active_admins(session)) == 1
    assert sorted(a.status_code for a in answers) == [303, 409]
    refused = next(a for a in answers if a.status_code == 409).get_data(as_text=True)
    assert "This is the only active admin account. Make another account an admin first." in \
        refused


@pytest.mark.parametrize(("role", "active"), [("supervisor", True), ("admin", False)])
def test_the_only_admin_cannot_be_demoted_or_switched_off(session, role, active):
    admin = make_user(session, role="admin")
    make_user(session, role="admin", active=False)  # an admin who cannot sign in does not count
    lock_admins(session=session)
    with pytest.raises(LastAdminError, match=f"^{admin.email} is the only active admin. Make "
                                             "another account an admin first"):
        change_account(session=session, user=admin, role=role, active=active)
    session.rollback()
    assert _active_admins(session) == [admin.email]


@pytest.mark.parametrize(("target", "form", "field", "message"), [
    ("other", {"role": "overlord", "active": "yes"}, "role", "Not a valid choice."),
    ("self", {"role": "trainee", "active": "yes"}, "role",
     "You cannot change your own account here; ask another admin."),
], ids=["unknown role", "own account"])
def test_a_refused_change_is_shown_beside_the_field_and_saves_nothing(app, session, target, form,
                                                                     field, message):
    admin, other = make_user(session, role="admin"), make_user(session, role="supervisor")
    browser = browser_for(app, admin)
    user = other if target == "other" else admin
    response = browser.post(f"/admin/users/{user.id}", data={
        **form, "csrf_token": token_on(browser, "/admin/")})
    assert response.status_code == 422
    assert f'<p class="field-error" id="{field}-error-{user.id}">{message}</p>' in \
        response.get_data(as_text=True)
    session.expire_all()
    assert (session.get(User, user.id).role, session.get(User, user.id).active) == \
        (user.role, True)
