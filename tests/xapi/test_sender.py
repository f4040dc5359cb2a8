"""The sender against a real LRS: batches, a refused statement found alone, back-off, leases."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from sqlmodel import Session

from simulator.cli import cli
from simulator.db import get_engine
from simulator.models import XapiOutbox, utcnow
from simulator.xapi.sender import _claim, send_due
from tests.helpers import free_port, make_user
from tests.xapi.conftest import outbox, small_statement

PRIVATE = "words only the trainee should see"


def _queue(session, statements: list[dict]) -> list[XapiOutbox]:
    user = make_user(session)
    rows = [XapiOutbox(statement_id=s["id"], user_id=user.id, verb="responded", statement=s)
            for s in statements]
    session.add_all(rows)
    session.commit()
    return rows


def test_a_refused_statement_is_found_alone_and_kept_while_the_rest_are_sent(app, session, lrs):
    good, conflicting, invalid, other = (small_statement() for _ in range(4))
    invalid["result"] = {"response": PRIVATE, "score": {"scaled": 7}}
    changed = {**conflicting, "result": {"response": "an earlier version"}}
    assert requests.post(f"{lrs.url}/statements", json=[changed], auth=("a", "b"), timeout=10,
                         headers={"X-Experience-API-Version": "1.0.3"}).status_code == 200
    _queue(session, [good, conflicting, invalid, other])

    done = send_due(app)
    assert (done.sent, done.rejected, done.failed) == (2, 2, 0)
    rows = {row.statement_id: row for row in outbox(session)}
    assert [rows[s["id"]].status for s in (good, conflicting, invalid, other)] == [
        "sent", "rejected", "rejected", "sent"]
    assert rows[conflicting["id"]].last_error.startswith("HTTP 409: ")
    assert "conflicting" in rows[conflicting["id"]].last_error
    refusal = rows[invalid["id"]].last_error
    assert refusal.startswith("HTTP 400: ") and "result.score.scaled" in refusal
    assert PRIVATE not in refusal and "Received" not in refusal
    assert all(row.claimed_until is None for row in rows.values())
    stored = [s["id"] for s in lrs.statements() if s["id"] in rows]
    assert sorted(stored) == sorted([good["id"], other["id"], conflicting["id"]])
    held = next(s for s in lrs.statements() if s["id"] == conflicting["id"])
    assert held["result"] == {"response": "an earlier version"}  # the LRS's copy stands


@pytest.mark.parametrize("xapi_settings", [{"LRS_URL": f"http://127.0.0.1:{free_port()}/xAPI"}])
def test_an_unreachable_lrs_is_tried_again_after_a_wait_that_the_cli_may_skip(app, session):
    _queue(session, [small_statement()])
    first = send_due(app)
    (row,) = outbox(session)
    assert (first.failed, row.status, row.tries, row.last_error) == (
        1, "queued", 1, "ConnectionError")
    assert row.next_try_at > utcnow() + timedelta(seconds=10)
    assert send_due(app).failed == 0  # still waiting: not tried again
    assert outbox(session)[0].tries == 1
    result = app.test_cli_runner().invoke(cli, ["xapi", "send"])
    assert result.exit_code == 1
    assert "Sent 0, rejected 0, failed 1; 1 still queued." in result.output
    assert "last error: ConnectionError" in result.output
    assert outbox(session)[0].tries == 2


def test_two_workers_never_claim_the_same_rows(app, session):
    _queue(session, [small_statement() for _ in range(60)])
    with Session(get_engine(app)) as one, Session(get_engine(app)) as two:
        first = _claim(one, after=0, ignore_waits=False, since=None)
        second = _claim(two, after=0, ignore_waits=False, since=None)
    assert len(first) == 50 and len(second) == 10
    assert not {row.id for row in first} & {row.id for row in second}
    with Session(get_engine(app)) as three:
        assert _claim(three, after=0, ignore_waits=False, since=None) == []


def test_sending_again_since_a_date_is_a_no_op_for_the_lrs(app, session, lrs):
    statements = [small_statement() for _ in range(3)]
    _queue(session, statements)
    assert send_due(app).sent == 3
    result = app.test_cli_runner().invoke(cli, ["xapi", "send", "--since", "2000-01-01"])
    assert result.exit_code == 0, result.output
    assert "Sent 3, rejected 0, failed 0; 0 still queued." in result.output
    ids = [s["id"] for s in lrs.statements()]
    assert all(ids.count(s["id"]) == 1 for s in statements)
    assert {row.status for row in outbox(session)} == {"sent"}
