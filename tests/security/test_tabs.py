"""Two tabs on one attempt through the app itself: a stale form never answers a later moment."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, col, select

from simulator.db import get_engine
from simulator.library import shipped_library
from simulator.models import Attempt, Turn
from simulator.practice.answers import Answer
from simulator.practice.snapshots import scenario_for
from simulator.practice.turns import AttemptClosed, AttemptMovedOn, rewind, submit_turn
from tests.security.conftest import token_on
from tests.trainee.conftest import attempt_of, page_turn, start

SCENARIO = "you-started-late-again"
MOVED_ON = "This attempt moved on since this page was loaded."


def _post(client, url: str, page: str, text: str):
    """Send the answer form exactly as that page would, hidden fields included."""
    node = re.search(r'name="node" value="([^"]+)"', page).group(1)
    return client.post(f"{url}/turns", data={"turn": page_turn(page), "node": node,
                                              "response": text, "choice": "0",
                                              "csrf_token": token_on(client, url)})


def test_a_replayed_form_is_refused_with_the_current_state(client, session, login_as):
    login_as("trainee")
    url = start(client, SCENARIO)
    page = client.get(url).get_data(as_text=True)
    assert _post(client, url, page, "I was late, and I'm sorry.").status_code == 303
    replay = _post(client, url, page, "I was late, and I'm sorry.")
    assert replay.status_code == 409
    body = replay.get_data(as_text=True)
    assert MOVED_ON in body and f'name="turn" value="{int(page_turn(page)) + 1}"' in body
    assert len(session.exec(select(Turn)).all()) == 1


def test_a_tab_loaded_before_a_rewind_cannot_answer_the_rewound_moment(client, session,
                                                                       login_as):
    login_as("trainee")
    url = start(client, SCENARIO)
    first = client.get(url).get_data(as_text=True)
    assert _post(client, url, first, "Well, traffic was bad.").status_code == 303
    stale_tab = client.get(url).get_data(as_text=True)  # shows the client's second line
    second_node = attempt_of(session, url).current_node
    rewound = client.post(f"{url}/rewind", data={"csrf_token": token_on(client, url)})
    assert rewound.status_code == 303
    reply = _post(client, url, stale_tab, "Written for the second line, not the first.")
    live = session.exec(select(Turn).where(col(Turn.superseded).is_(False))).all()
    assert reply.status_code == 409 and MOVED_ON in reply.get_data(as_text=True)
    assert live == [] and attempt_of(session, url).current_node != second_node


def _load(app, attempt_id: str):
    """A request's view of the attempt: its own session, loaded now."""
    session = Session(get_engine(app), expire_on_commit=False)
    attempt = session.get(Attempt, attempt_id)
    return session, attempt, scenario_for(session=session, attempt=attempt,
                                          library=shipped_library(app))


def test_an_answer_racing_a_rewind_cannot_fork_the_attempt(app, client, session, login_as):
    login_as("trainee")
    url = start(client, SCENARIO)
    assert _post(client, url, client.get(url).get_data(as_text=True), "Traffic.").status_code \
        == 303
    attempt_id = url.rsplit("/", 1)[-1]
    answering, stale, scenario = _load(app, attempt_id)  # tab 1 loaded the attempt first
    rewinding, attempt, _ = _load(app, attempt_id)
    rewind(session=rewinding, attempt=attempt, scenario=scenario)  # tab 2 rewinds meanwhile
    with pytest.raises(AttemptMovedOn):
        submit_turn(session=answering, attempt=stale, scenario=scenario, expected_index=1,
                    answer=Answer(response="Written for the second line.", choice=0))
    answering.close()
    rewinding.close()
    session.expire_all()
    assert session.exec(select(Turn).where(col(Turn.superseded).is_(False))).all() == []
    assert attempt_of(session, url).current_node == scenario.start


def test_a_rewind_racing_an_answer_cannot_fork_the_attempt(app, client, session, login_as):
    login_as("trainee")
    url = start(client, SCENARIO)
    assert _post(client, url, client.get(url).get_data(as_text=True), "Traffic.").status_code \
        == 303
    attempt_id = url.rsplit("/", 1)[-1]
    rewinding, stale, scenario = _load(app, attempt_id)  # tab 2 loaded the attempt first
    answering, attempt, _ = _load(app, attempt_id)
    submit_turn(session=answering, attempt=attempt, scenario=scenario, expected_index=1,
                answer=Answer(response="I hear you.", choice=0))  # tab 1 answers meanwhile
    with pytest.raises(AttemptClosed, match="moved on"):
        rewind(session=rewinding, attempt=stale, scenario=scenario)
    answering.close()
    rewinding.close()
    session.expire_all()
    live = session.exec(select(Turn).where(col(Turn.superseded).is_(False))
                        .order_by(col(Turn.index))).all()
    assert [t.index for t in live] == [0, 1]
    assert attempt_of(session, url).current_node == live[-1].next_node


def test_an_answer_for_a_moment_the_attempt_has_left_is_refused(app, client, session, login_as):
    login_as("trainee")
    url = start(client, SCENARIO)
    db, attempt, scenario = _load(app, url.rsplit("/", 1)[-1])
    with pytest.raises(AttemptMovedOn):
        submit_turn(session=db, attempt=attempt, scenario=scenario, expected_index=0,
                    expected_node="some-later-moment", answer=Answer(response="Hello."))
    submit_turn(session=db, attempt=attempt, scenario=scenario, expected_index=0,
                expected_node=scenario.start, answer=Answer(response="Hello.", choice=0))
    db.close()
    assert len(session.exec(select(Turn)).all()) == 1
