"""Confirming the same roster in parallel applies it once.

Six threads confirm one roster at the same moment against the real server (`simulator serve`,
2 workers), on SQLite and, in CI, on PostgreSQL. The database decides: one set of accounts
and invitations (or memberships) exists afterwards, no response is a server error, and every
response either shows the links or says plainly that they were already issued.
"""

from __future__ import annotations

import base64
import re
import threading

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from simulator.models import (
    Cohort,
    CohortInvitation,
    CohortMember,
    RosterImport,
    SetPasswordToken,
    User,
)
from tests.helpers import PASSWORD, make_user
from tests.security.live import Browser, start_server

PARALLEL = 6
NEW = ("ada.new@example.org", "bo.new@example.org")
KNOWN = "known@example.org"
ALREADY = "This roster was already imported"



def _course(engine: Engine, role: str) -> tuple[str, int]:
    """A cohort run by a supervisor (or an admin), and a trainee account not yet in it."""
    with Session(engine) as session:
        lead = make_user(session, role=role)
        make_user(session, email=KNOWN, name="Known Trainee")
        cohort = Cohort(name="Parallel group")
        session.add(cohort)
        session.flush()
        session.add(CohortMember(cohort_id=cohort.id, user_id=lead.id, role="supervisor"))
        session.commit()
        return lead.email, cohort.id


def _confirm_in_parallel(browser: Browser, cohort_id: int) -> list:
    roster = "email,name,role\n" + "".join(f"{e},{e.split('@')[0]},trainee\n"
                                           for e in (*NEW, KNOWN))
    form = {"payload": base64.b64encode(roster.encode()).decode("ascii"),
            "csrf_token": browser.token(f"/supervise/cohorts/{cohort_id}")}
    ready = threading.Barrier(PARALLEL)
    replies = []

    def confirm() -> None:
        tab = browser.clone()
        ready.wait()
        replies.append(tab.post(f"/supervise/cohorts/{cohort_id}/roster/confirm", form))

    threads = [threading.Thread(target=confirm) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return replies


def _count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.mark.parametrize(("role", "path", "links"), [
    ("supervisor", "/join/", len(NEW) + 1),  # everyone invited, the new accounts made
    ("admin", "/set-password/", len(NEW)),  # added directly; links for the new accounts
])
def test_parallel_confirms_apply_the_roster_once(engine, database_url, tmp_path, role, path,
                                                 links):
    email, cohort_id = _course(engine, role)
    server = start_server(database_url, tmp_path / "instance")
    try:
        browser = Browser(server.port)
        browser.sign_in(email, PASSWORD)
        replies = _confirm_in_parallel(browser, cohort_id)
    finally:
        server.stop()

    assert [reply.status for reply in replies] == [200] * PARALLEL, server.output()[-3000:]
    shown = [len(re.findall(re.escape(path) + r"[\w-]{40,}", r.body)) for r in replies]
    assert sorted(shown) == [0] * (PARALLEL - 1) + [links]
    assert sum(ALREADY in r.body for r in replies) == PARALLEL - 1
    with Session(engine) as session:
        for address in (*NEW, KNOWN):
            assert _count(session, User, User.email == address) == 1
        new_ids = session.exec(select(User.id).where(User.email.in_(NEW))).all()
        assert _count(session, SetPasswordToken, SetPasswordToken.user_id.in_(new_ids)) == 2
        assert _count(session, RosterImport) == 1
        invited = _count(session, CohortInvitation, CohortInvitation.cohort_id == cohort_id)
        trainees = _count(session, CohortMember, CohortMember.cohort_id == cohort_id,
                          CohortMember.role == "trainee")
    assert (invited, trainees) == ((3, 0) if role == "supervisor" else (0, 3))
