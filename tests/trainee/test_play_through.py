"""A trainee plays every shipped scenario to an ending, with htmx and with plain forms."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator.cli import cli
from simulator.library import shipped_library
from simulator.models import Turn
from simulator.resources import resource_dir
from simulator.scenarios.library import load_library
from tests.conftest import sign_in
from tests.trainee.conftest import answer, attempt_of, play_to_end, start

SHIPPED = sorted(load_library(resource_dir("scenarios")).scenarios)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain-form", "htmx"])
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_shipped_scenario_reaches_an_ending(client, session, trainee, library,
                                                  scenario_id, htmx):
    scenario = library.scenarios[scenario_id]
    url = start(client, scenario_id)
    play_to_end(client, session, url, scenario, htmx=htmx)
    attempt = attempt_of(session, url)
    assert attempt.status == "completed"
    assert attempt.outcome == scenario.node(attempt.current_node).outcome
    debrief = client.get(f"{url}/debrief")
    assert debrief.status_code == 200
    assert "Outcome:" in debrief.get_data(as_text=True)


def test_htmx_answer_returns_the_fragment_with_the_next_line_announced(
        client, session, trainee, library):
    scenario = library.scenarios["you-must-be-sick-of-me"]
    url = start(client, scenario.id)
    response = answer(client, url, {"mode": "free",
                                    "response": "It sounds like you worry I'm tired of you."},
                      htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="play"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    node = scenario.node(attempt_of(session, url).current_node)
    assert 'id="client-line"' in html and "autofocus" in html
    assert re.search(r'<div id="announcer"[^>]*hx-swap-oob="true"', html)
    assert f"{scenario.client.name}: " in html and _escaped(node.say)[:40] in html


def test_plain_post_redirects_to_the_full_page(client, session, trainee):
    url = start(client, "you-must-be-sick-of-me")
    response = answer(client, url, {"mode": "free",
                                    "response": "It sounds like you feel a burden."})
    assert response.status_code == 303
    assert response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    words = " ".join(re.sub(r"<[^>]+>", "", page).split())  # highlights split the sentence
    assert "<html" in page and "It sounds like you feel a burden." in words


def test_trainee_made_with_the_cli_plays_reflects_and_sees_progress(app, client, session):
    result = app.test_cli_runner().invoke(
        cli, ["users", "add", "new@example.org", "--role", "trainee", "--password-stdin"],
        input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert sign_in(client, "new@example.org", "a long enough password").status_code == 302
    library_page = client.get("/scenarios").get_data(as_text=True)
    assert 'href="/scenarios/thought-records-are-pointless"' in library_page
    scenario = shipped_library(app).scenarios["thought-records-are-pointless"]
    url = start(client, scenario.id)
    play_to_end(client, session, url, scenario)
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(f"{url}/debrief").get_data(as_text=True)).group(1)
    saved = client.post(f"{url}/reflection", data={
        "reflection": "I wanted to defend the exercise.", "csrf_token": token})
    assert saved.status_code == 303
    assert "I wanted to defend the exercise." in client.get(f"{url}/debrief").get_data(
        as_text=True)
    progress = client.get("/progress").get_data(as_text=True)
    assert "Each skill across sessions" in progress
    assert "Recommended next:" in progress


def test_each_turn_is_stored_with_scores_and_the_next_node(client, session, trainee, library):
    scenario = library.scenarios["you-started-late-again"]
    url = start(client, scenario.id)
    answer(client, url, {"response": "You're right, I was late again, and I'm sorry."})
    turn = session.exec(select(Turn)).one()
    assert turn.index == 0 and turn.node_id == scenario.start
    assert turn.client_line == scenario.node(scenario.start).say
    judged = set(scenario.rubric.criterion_ids) - (set() if scenario.node(turn.node_id).risk
                                                   else {"safety"})
    assert set(turn.scores["criteria"]) == judged
    assert turn.scores["criteria"]["ownership"]["evidence"]
    assert turn.next_node == attempt_of(session, url).current_node


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_a_stored_turn_holds_every_column(client, session, trainee, library):
    # Turns are written as plain SQL (the busiest write); this guards the column list.
    scenario = library.scenarios["you-must-be-sick-of-me"]
    url = start(client, scenario.id)
    first = scenario.node(scenario.start)
    answer(client, url, {"mode": "free",
                         "response": "  It sounds like you worry I'm tired of you.  "})
    attempt = attempt_of(session, url)
    turn = session.exec(select(Turn).where(Turn.attempt_id == attempt.id)).one()
    assert (turn.index, turn.node_id, turn.client_line) == (0, first.id, first.say)
    assert turn.response_text == "It sounds like you worry I'm tired of you."
    assert turn.choice_index is None and turn.superseded is False
    assert turn.scores["kind"] == "free" and set(turn.scores["criteria"]) >= {"reflection"}
    assert turn.overall == turn.scores["overall"] and 0 < turn.confidence <= 1
    assert turn.next_node == attempt.current_node and turn.direction == attempt.direction
    assert turn.salience == attempt.salience and turn.created_at.tzinfo is not None
