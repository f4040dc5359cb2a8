"""Practise this moment again: the weakest moment, started again with the alliance it had."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import select

from simulator import migrate
from simulator.db import make_engine
from simulator.models import Attempt
from simulator.practice.snapshots import pin_snapshot
from tests.conftest import csrf_token, sign_in
from tests.courses.factories import T0, make_attempt, make_turn
from tests.helpers import make_user

SCENARIO = "you-must-be-sick-of-me"
WEAK = {"reflection": 0.5, "validation": 0.5, "exploration": 0.4, "ownership": 0.5,
        "metacommunication": 0.45}


@pytest.fixture
def session_played(app, session, trainee, library):
    """A finished session: opening answered (leaving the alliance at 4, against), the next
    moment answered badly, rewound, and answered worse on collaboration."""
    rubric = library.rubrics["repair-core"]
    attempt = make_attempt(session, app, trainee, scenario_id=SCENARIO, mode="practice",
                           finished_at=T0 + timedelta(days=3))
    make_turn(session, rubric, attempt, 0, node_id="opening", criteria={**WEAK,
              "collaboration": 0.3}, next_node="apologises-again", salience=4, direction="against")
    make_turn(session, rubric, attempt, 1, node_id="apologises-again", superseded=True,
              criteria={**WEAK, "collaboration": 0.0}, salience=5, direction="away")
    weakest = make_turn(session, rubric, attempt, 2, node_id="apologises-again",
                        client_line=library.scenarios[SCENARIO].node("apologises-again").say,
                        criteria={**WEAK, "collaboration": 0.1}, salience=2)
    return attempt, weakest


def practise(client, turn_id: int, token: str | None = None):
    token = token or csrf_token(client, "/progress")
    return client.post(f"/moments/{turn_id}/practice", data={"csrf_token": token})


def test_progress_links_to_the_moment_where_the_weakest_skill_was_weakest(client,
                                                                          session_played):
    _attempt, weakest = session_played
    page = html.unescape(client.get("/progress").get_data(as_text=True))
    assert "Practise this moment again" in page
    assert f'action="/moments/{weakest.id}/practice"' in page
    assert "collaboration was lowest (0.10)" in page
    assert weakest.client_line in page


def test_the_moment_starts_a_practice_attempt_there_with_the_alliance_it_had(
        client, session, session_played, trainee, library):
    earlier, weakest = session_played
    response = practise(client, weakest.id)
    assert response.status_code == 303
    new_id = response.headers["Location"].rsplit("/", 1)[-1]
    session.expire_all()
    attempt = session.get(Attempt, new_id)
    assert attempt.trainee_id == trainee.id and attempt.mode == "practice"
    assert attempt.status == "in_progress" and attempt.assignment_id is None
    assert attempt.scenario_hash == earlier.scenario_hash
    assert (attempt.current_node, attempt.start_node) == ("apologises-again", "apologises-again")
    # the state the live answer before it left (the rewound answer's is not it)
    assert (attempt.salience, attempt.direction) == (4, "against")
    assert (attempt.start_salience, attempt.start_direction) == (4, "against")
    play = client.get(response.headers["Location"])
    assert play.status_code == 200
    assert library.scenarios[SCENARIO].node("apologises-again").say in html.unescape(
        play.get_data(as_text=True))


def test_the_first_moment_starts_with_the_scenarios_own_state(client, session, app, trainee,
                                                              library):
    rubric = library.rubrics["repair-core"]
    attempt = make_attempt(session, app, trainee, scenario_id=SCENARIO, mode="practice")
    first = make_turn(session, rubric, attempt, 0, node_id="opening", salience=1,
                      criteria={"collaboration": 0.0})
    response = practise(client, first.id)
    session.expire_all()
    started = session.get(Attempt, response.headers["Location"].rsplit("/", 1)[-1])
    scenario = library.scenarios[SCENARIO]
    assert (started.current_node, started.salience, started.direction) == (
        "opening", scenario.alliance.salience, scenario.alliance.direction)


def test_another_trainees_moment_is_not_found(app, client, session, session_played, library):
    _attempt, weakest = session_played
    other = make_user(session)
    own = make_turn(session, library.rubrics["repair-core"],
                    make_attempt(session, app, other, scenario_id=SCENARIO), 0,
                    node_id="opening")
    browser = app.test_client()
    sign_in(browser, other.email)
    assert practise(browser, weakest.id).status_code == 404
    assert practise(browser, weakest.id + 1000).status_code == 404
    started = session.exec(select(Attempt).where(Attempt.trainee_id == other.id,
                                                 Attempt.status == "in_progress")).all()
    assert started == []
    assert practise(browser, own.id).status_code == 303  # their own moment they may practise


def test_a_moment_of_a_scenario_no_longer_offered_is_not_found(client, session, app, trainee,
                                                               library):
    rubric = library.rubrics["repair-core"]
    attempt = make_attempt(session, app, trainee, scenario_id=SCENARIO)
    attempt.scenario_id = "withdrawn-scenario"
    session.add(attempt)
    session.commit()
    turn = make_turn(session, rubric, attempt, 0, node_id="opening")
    offered = make_turn(session, rubric, make_attempt(session, app, trainee, scenario_id=SCENARIO),
                        0, node_id="opening")
    assert practise(client, turn.id).status_code == 404
    assert practise(client, offered.id).status_code == 303


def test_practising_a_moment_needs_the_forms_csrf_token(client, session_played):
    _attempt, weakest = session_played
    response = client.post(f"/moments/{weakest.id}/practice", data={})
    assert response.status_code == 400
    assert practise(client, weakest.id, token="forged").status_code == 400


def test_migration_0008_adds_and_removes_where_an_attempt_began(database_url, library):
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0007")
    scenario = library.scenarios[SCENARIO]
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO scenario_snapshot (content_hash, scenario_id, title, source_text, "
            "origin, created_at) VALUES (:h, :s, 't', 'x', 'library', :t)"),
            {"h": scenario.content_hash, "s": scenario.id, "t": T0})
        connection.execute(text(
            "INSERT INTO attempt (id, scenario_id, scenario_hash, mode, status, current_node, "
            "salience, direction, reflection_shared, started_at) VALUES ('kept', :s, :h, "
            "'practice', 'in_progress', 'opening', 3, 'away', false, :t)"),
            {"h": scenario.content_hash, "s": scenario.id, "t": T0})
    migrate.upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("attempt")}
    assert {"start_node", "start_salience", "start_direction"} <= columns
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT start_node, start_salience, start_direction FROM attempt")).one()
    assert tuple(row) == (None, None, None)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    columns = {c["name"] for c in inspect(engine).get_columns("attempt")}
    assert not {"start_node", "start_salience", "start_direction"} & columns
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM attempt")).scalars().all() == ["kept"]
    engine.dispose()


def test_start_attempt_refuses_a_node_that_is_not_a_moment(session, app, library):
    from simulator.practice.attempts import start_attempt

    scenario = library.scenarios[SCENARIO]
    ending = next(iter(scenario.endings))
    pin_snapshot(session=session, scenario=scenario)
    with pytest.raises(ValueError, match=re.escape(f"no moment '{ending}'")):
        start_attempt(session=session, trainee_id=None, scenario=scenario, at_node=ending)


def test_an_attempt_from_a_moment_plays_to_an_ending_and_has_a_debrief(client, session, app,
                                                                      trainee, library):
    from tests.trainee.conftest import play_to_end

    rubric = library.rubrics["repair-core"]
    scenario = library.scenarios[SCENARIO]
    earlier = make_attempt(session, app, trainee, scenario_id=SCENARIO, mode="practice")
    turn = make_turn(session, rubric, earlier, 0, node_id="nearly-time",
                     client_line=scenario.node("nearly-time").say)
    url = practise(client, turn.id).headers["Location"]
    play_to_end(client, session, url, scenario)
    session.expire_all()
    finished = session.get(Attempt, url.rsplit("/", 1)[-1])
    assert finished.status == "completed" and finished.start_node == "nearly-time"
    debrief = client.get(f"{url}/debrief")
    assert debrief.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", debrief.get_data(as_text=True))).split())
    assert "You practised one moment again" in text
    # the reflection asks about the line this session began with, not the scenario's first
    said = " ".join(scenario.node("nearly-time").say.split())
    assert f"said “{said[:40]}" in text
    assert " ".join(scenario.node(scenario.start).say.split())[:40] not in text.split(
        "What did you notice in yourself")[1]
