"""No lost or forked work against the real server (gunicorn, 2 workers) on a loopback port.

Double-submits from eight threads at once, two tabs racing on one turn, and SIGKILL right
after a turn was acknowledged. Runs on SQLite and, with SIMULATOR_TEST_DATABASE_URL, on
PostgreSQL. Every server started here is stopped in a `finally`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from simulator.models import Attempt, Turn
from tests.helpers import PASSWORD, make_user
from tests.security.live import Browser, form_token, form_turn, start_server

SCENARIO = "you-started-late-again"
MOVED_ON = "This attempt moved on since this page was loaded."
THREADS = 8
KILL_ROUNDS = 3



@pytest.fixture
def email(engine) -> str:
    with Session(engine) as session:
        return make_user(session).email


def _start_attempt(browser: Browser) -> str:
    token = browser.token(f"/scenarios/{SCENARIO}")
    started = browser.post(f"/scenarios/{SCENARIO}/attempts", {"mode": "practice",
                                                              "csrf_token": token})
    assert started.status == 303, started.body[:300]
    return urlsplit(started.headers["Location"]).path


def _answer_form(html: str, text: str) -> dict:
    # Both fields: a choice moment takes the choice, a free-text moment takes the words.
    return {"turn": form_turn(html), "response": text, "choice": "0",
            "csrf_token": form_token(html)}


def _turns(engine: Engine, path: str) -> list[Turn]:
    with Session(engine) as session:
        return list(session.exec(select(Turn).where(Turn.attempt_id == path.rsplit("/", 1)[-1])
                                 .order_by(col(Turn.index))).all())


def _attempt(engine: Engine, path: str) -> Attempt:
    with Session(engine) as session:
        return session.get(Attempt, path.rsplit("/", 1)[-1])


def _all_at_once(calls: list) -> list:
    """Run the calls in threads released together; every thread is joined (bounded)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


def test_eight_simultaneous_submits_store_exactly_one_turn(engine, database_url, email,
                                                           tmp_path):
    server = start_server(database_url, tmp_path / "instance")
    text = "Wombat-unique: you're right, I started late again, and I'm sorry."
    try:
        browser = Browser(server.port)
        browser.sign_in(email, PASSWORD)
        path = _start_attempt(browser)
        form = _answer_form(browser.get(path).body, text)
        replies = _all_at_once([lambda: browser.clone().post(f"{path}/turns", form)
                                for _ in range(THREADS)])
    finally:
        server.stop()
    assert sorted(r.status for r in replies) == [303] + [409] * (THREADS - 1)
    assert all(MOVED_ON in r.body for r in replies if r.status == 409)
    turns = _turns(engine, path)
    assert [(t.index, t.response_text) for t in turns] == [(0, text)]
    assert _attempt(engine, path).current_node == turns[0].next_node
    log = server.output()
    assert "Wombat" not in log and PASSWORD not in log and "POST" in log


def test_two_tabs_answering_one_turn_cannot_fork_the_attempt(engine, database_url, email,
                                                             tmp_path):
    server = start_server(database_url, tmp_path / "instance")
    try:
        first = Browser(server.port)
        first.sign_in(email, PASSWORD)
        path = _start_attempt(first)
        second = first.clone()
        forms = [_answer_form(tab.get(path).body, f"Tab {n}: I hear how much the wait cost you.")
                 for n, tab in enumerate((first, second))]
        replies = _all_at_once([lambda: first.post(f"{path}/turns", forms[0]),
                                lambda: second.post(f"{path}/turns", forms[1])])
    finally:
        server.stop()
    assert sorted(r.status for r in replies) == [303, 409]
    winner = 0 if replies[0].status == 303 else 1
    loser = replies[1 - winner]
    assert MOVED_ON in loser.body and "Here is where it stands now." in loser.body
    turns = _turns(engine, path)
    assert [t.response_text for t in turns] == [forms[winner]["response"]]
    if 'name="turn"' in loser.body:  # the loser is shown the current moment, ready to answer
        assert form_turn(loser.body) == "1"


def test_acknowledged_turns_survive_sigkill(engine, database_url, email, tmp_path):
    instance = tmp_path / "instance"  # kept across restarts: same secret, so the cookie holds
    server = start_server(database_url, instance)
    try:
        browser = Browser(server.port)
        browser.sign_in(email, PASSWORD)
        path = _start_attempt(browser)
        for round_ in range(KILL_ROUNDS):
            page = browser.get(path).body
            if 'name="turn"' not in page:
                break  # the conversation reached an ending
            index, text = int(form_turn(page)), f"Round {round_}: I can hear that mattered."
            assert browser.post(f"{path}/turns", _answer_form(page, text)).status == 303
            server.kill()  # acknowledged, then gone without a chance to flush anything
            server = start_server(database_url, instance)
            browser.port = server.port
            turns = _turns(engine, path)
            assert (turns[-1].index, turns[-1].response_text) == (index, text)
            assert _attempt(engine, path).current_node == turns[-1].next_node
            resumed = browser.get(path)
            assert resumed.status == 200
            if 'name="turn"' in resumed.body:
                assert form_turn(resumed.body) == str(index + 1)
        assert len(_turns(engine, path)) >= 2
    finally:
        server.stop()


def test_a_kill_during_a_request_leaves_the_attempt_consistent(engine, database_url, email,
                                                               tmp_path):
    instance = tmp_path / "instance"
    server = start_server(database_url, instance)
    try:
        browser = Browser(server.port)
        browser.sign_in(email, PASSWORD)
        path = _start_attempt(browser)
        form = _answer_form(browser.get(path).body, "Maybe acknowledged, maybe not.")
        sender = threading.Thread(target=lambda: _ignore_errors(
            lambda: browser.clone().post(f"{path}/turns", form)))
        sender.start()
        time.sleep(0.05)  # long enough for the request to be on its way, often mid-scoring
        server.kill()
        sender.join(timeout=60)
        server = start_server(database_url, instance)
        browser.port = server.port
        turns, attempt = _turns(engine, path), _attempt(engine, path)
        expected_node = turns[-1].next_node if turns else "opening"
        assert len(turns) <= 1 and attempt.current_node == expected_node
        assert browser.get(path).status == 200
    finally:
        server.stop()


def _ignore_errors(call) -> None:
    with contextlib.suppress(OSError):  # the server died mid-request: no answer is expected
        call()
