"""Practice on the web reaches a real LRS: every statement once, across an outage and a review."""

from __future__ import annotations

from collections import Counter

from sqlmodel import select

from simulator.cli import cli
from simulator.library import shipped_library
from simulator.models import Turn
from simulator.xapi.statements import Site, responded_id
from tests.trainee.conftest import answer, attempt_of, play_to_end, start
from tests.xapi.conftest import SCENARIO, WORDS, first_attempt, outbox, token

BASE = "http://localhost"  # the test client's host: the ids' base while BASE_URL is unset


def _ids(statements) -> Counter:
    return Counter(s["id"] for s in statements)


def _registration(rows) -> str:
    return rows[0].statement["context"]["registration"]


def test_practice_arrives_once_each_and_an_outage_is_made_good_by_the_cli(
        app, client, session, login_as, lrs):
    trainee = login_as("trainee")
    scenario = shipped_library(app).scenarios[SCENARIO]
    url = first_attempt(client, session, scenario)
    rows = outbox(session, attempt_id=attempt_of(session, url).id)
    verbs = [row.verb for row in rows]
    assert verbs[:5] == ["launched", "noticed", "responded", "rewound", "responded"]
    assert verbs[-1] == "completed" and verbs.count("completed") == 1
    assert {row.status for row in rows} == {"sent"} and all(row.sent_at for row in rows)
    assert {row.user_id for row in rows} == {trainee.id}
    first_life = lrs.statements(registration=_registration(rows))
    assert _ids(first_life) == Counter(row.statement_id for row in rows)  # once each

    stored = {s["id"]: s for s in first_life}
    free, chosen = (stored[rows[i].statement_id] for i in (2, 4))
    assert free["result"]["response"] == WORDS
    assert chosen["result"]["response"] == scenario.node(scenario.start).choices[0].text
    choice = chosen["result"]["extensions"][f"{BASE}/xapi/extensions/choice"]
    assert choice["authored_index"] == 0 and choice["shown_order"][choice["shown_position"]] == 0
    assert stored[rows[3].statement_id]["context"]["statement"]["id"] == rows[2].statement_id
    notice = stored[rows[1].statement_id]["result"]
    assert notice["success"] is True
    assert notice["extensions"][f"{BASE}/xapi/extensions/named-family"] == "testing"

    # The LRS goes away: answers still succeed, and their statements wait with the reason.
    lrs.stop()
    second = start(client, scenario.id)
    assert answer(client, second, {"mode": "free", "response": WORDS}).status_code == 303
    waiting = outbox(session, attempt_id=attempt_of(session, second).id)
    assert [row.verb for row in waiting] == ["launched", "responded"]
    assert all(row.status == "queued" and row.tries == 1 and row.last_error == "ConnectionError"
               and row.next_try_at for row in waiting)

    lrs.restart()  # empty again: what the first lifetime held was read above
    result = app.test_cli_runner().invoke(cli, ["xapi", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, rejected 0, failed 0; 0 still queued." in result.output
    assert _ids(lrs.statements(registration=_registration(waiting))) == Counter(
        row.statement_id for row in waiting)
    assert lrs.statements(registration=_registration(rows)) == []  # nothing sent twice
    second_life = lrs.statements(registration=_registration(waiting))
    assert _ids(first_life) + _ids(second_life) == Counter(
        row.statement_id for row in outbox(session))  # every statement, exactly once
    assert {row.status for row in outbox(session)} == {"sent"}


def test_a_supervisors_review_adds_a_scored_statement_and_the_new_completion(
        app, client, session, login_as, lrs):
    login_as("trainee")
    scenario = shipped_library(app).scenarios["you-started-late-again"]
    url = start(client, scenario.id)
    play_to_end(client, session, url, scenario)
    attempt = attempt_of(session, url)
    first = outbox(session, attempt_id=attempt.id)
    turn = session.exec(select(Turn).where(Turn.attempt_id == attempt.id)
                        .order_by(Turn.index)).first()
    answered = responded_id(Site(BASE), attempt.id, turn.id)
    assert answered in {row.statement_id for row in first}
    admin = login_as("admin")
    response = client.post(f"/supervise/turns/{turn.id}/reviews", data={
        "csrf_token": token(client, f"/supervise/attempts/{attempt.id}"),
        "criterion": "ownership", "level": "0", "comment": "Not yet owned."})
    assert response.status_code == 303
    added = outbox(session, attempt_id=attempt.id)[len(first):]
    assert [row.verb for row in added] == ["scored", "completed"]
    assert [row.user_id for row in added] == [admin.id, attempt.trainee_id]
    scored, completion = (row.statement for row in added)
    assert scored["actor"]["account"] == {"homePage": BASE, "name": str(admin.id)}
    assert scored["verb"]["id"] == "http://adlnet.gov/expapi/verbs/scored"
    assert scored["context"]["statement"] == {"objectType": "StatementRef", "id": answered}
    assert scored["result"]["score"] == {"scaled": 0.0, "raw": 0, "min": 0, "max": 3}
    assert "Not yet owned." not in str(scored)
    assert completion["id"] != first[-1].statement_id
    assert completion["result"]["score"]["scaled"] < first[-1].statement["result"]["score"][
        "scaled"]
    assert completion["context"]["registration"] == _registration(first)
    stored = _ids(lrs.statements(registration=_registration(first)))
    assert stored == Counter(row.statement_id for row in outbox(session, attempt_id=attempt.id))
