"""Attempt limits hold when a trainee starts the same assignment many times at once.

Eight threads start an assessment at the same moment against the real server
(`simulator serve`, 2 workers), on SQLite and, in CI, on PostgreSQL. The database decides:
exactly the allowed number of attempts exist afterwards, the other starts are told plainly
that the attempts are used up, and none of them is a 500.
"""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from simulator.models import Attempt
from tests.courses.factories import SCENARIO, make_assignment
from tests.helpers import PASSWORD, make_user
from tests.security.live import Browser, start_server

PARALLEL = 8
USED_UP = "This assignment allows"



@pytest.mark.parametrize("allowed", [1, 3])
def test_parallel_starts_create_exactly_the_allowed_attempts(engine, database_url, tmp_path,
                                                             allowed):
    with Session(engine) as session:
        trainee = make_user(session)
        email, trainee_id = trainee.email, trainee.id
        assignment_id = make_assignment(session, trainee_id=trainee_id,
                                        attempts_allowed=allowed).id
    server = start_server(database_url, tmp_path / "instance")
    try:
        browser = Browser(server.port)
        browser.sign_in(email, PASSWORD)
        token = browser.token(f"/scenarios/{SCENARIO}")
        ready = threading.Barrier(PARALLEL)
        replies = []

        def start() -> None:
            tab = browser.clone()
            ready.wait()
            replies.append(tab.post(f"/scenarios/{SCENARIO}/attempts",
                                    {"assignment": str(assignment_id), "csrf_token": token}))

        threads = [threading.Thread(target=start) for _ in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        server.stop()

    statuses = sorted(reply.status for reply in replies)
    assert statuses == [303] * allowed + [409] * (PARALLEL - allowed), statuses
    assert all(USED_UP in reply.body for reply in replies if reply.status == 409)
    with Session(engine) as session:
        attempts = session.exec(select(Attempt).where(
            Attempt.assignment_id == assignment_id)).all()
    assert len(attempts) == allowed
    assert sorted(a.assignment_slot for a in attempts) == list(range(1, allowed + 1))
