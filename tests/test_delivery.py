"""Practice events reach the app's listeners inside the transaction, and queued deliveries
run after commit (never after a rollback), as the delivery mode says."""

from __future__ import annotations

import logging
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlmodel import select

from simulator import create_app, delivery, migrate
from simulator.db import get_engine, get_session
from simulator.models import User
from simulator.practice.events import PracticeEvent, add_listener, emit


def _app(app_config: dict, **settings) -> Flask:
    app = create_app({**app_config, **settings})
    migrate.upgrade(get_engine(app))
    return app


def _recorder(app: Flask, name: str = "test-sender") -> list[int]:
    calls: list[int] = []

    def sender(_app: Flask) -> int:
        calls.append(1)
        return 1

    delivery.register_sender(app, name, sender)
    return calls


def test_the_wait_before_a_retry_doubles_and_stops_at_an_hour():
    now = datetime(2026, 12, 5, tzinfo=UTC)
    waits = [delivery.next_try_after(tries, now) - now for tries in (1, 2, 3, 4, 20)]
    assert waits[:4] == [timedelta(seconds=15), timedelta(seconds=30), timedelta(seconds=60),
                         timedelta(seconds=120)]
    assert waits[4] == timedelta(hours=1)


@pytest.mark.parametrize("ending, expected", [("commit", 1), ("rollback", 0)])
def test_inline_delivery_runs_after_a_commit_and_never_after_a_rollback(app_config, ending,
                                                                        expected):
    app = _app(app_config, DELIVERY_MODE="inline")
    calls = _recorder(app)
    with app.app_context():
        session = get_session()
        session.add(User(email="x@example.org", name="X"))
        delivery.request_delivery(session, "test-sender")
        assert calls == []  # nothing is sent before the transaction ends
        getattr(session, ending)()
        session.commit()  # a later commit does not revive a request the rollback dropped
    assert len(calls) == expected
    get_engine(app).dispose()


def test_off_mode_never_runs_a_sender_and_an_unknown_name_is_ignored(app_config):
    app = _app(app_config, DELIVERY_MODE="off")
    calls = _recorder(app)
    with app.app_context():
        session = get_session()
        delivery.request_delivery(session, "test-sender")
        delivery.request_delivery(session, "nobody-registered-this")
        session.commit()
    assert calls == []
    assert delivery.run_sender(app, "test-sender") == 1  # the CLI's path still works
    get_engine(app).dispose()


def test_background_delivery_runs_in_another_thread(app_config):
    app = _app(app_config, DELIVERY_MODE="background", DELIVERY_POLL_SECONDS=60)
    threads: list[str] = []
    done = threading.Event()

    def sender(_app: Flask) -> int:
        threads.append(threading.current_thread().name)
        done.set()
        return 0

    delivery.register_sender(app, "bg", sender)
    with app.app_context():
        session = get_session()
        delivery.request_delivery(session, "bg")
        session.commit()
    assert done.wait(10), "the background sender never ran"
    assert threads[0] != threading.current_thread().name
    get_engine(app).dispose()


def test_a_failing_sender_is_logged_and_does_not_reach_the_caller(app_config, caplog):
    app = _app(app_config, DELIVERY_MODE="inline")

    def broken(_app: Flask) -> int:
        raise ConnectionError("remote down")

    delivery.register_sender(app, "broken", broken)
    with caplog.at_level(logging.ERROR), app.app_context():
        session = get_session()
        delivery.request_delivery(session, "broken")
        session.commit()  # does not raise
    assert "delivery broken failed" in caplog.text
    get_engine(app).dispose()


def test_events_reach_listeners_in_order_inside_the_transaction(app_config):
    app = _app(app_config)
    heard: list[tuple[str, str, bool]] = []

    def first(session, event):
        heard.append(("first", event.kind, session.in_transaction()))

    def second(session, event):
        heard.append(("second", event.kind, session.in_transaction()))

    add_listener(app.extensions, first)
    add_listener(app.extensions, second)
    with app.app_context():
        session = get_session()
        session.add(User(email="y@example.org", name="Y"))
        session.flush()
        emit(session, PracticeEvent("rewound", "attempt-1", turn_id=3))
        session.rollback()
    assert heard == [("first", "rewound", True), ("second", "rewound", True)]
    get_engine(app).dispose()


def test_a_session_without_listeners_emits_nothing_and_unknown_kinds_are_refused(session):
    emit(session, PracticeEvent("launched", "attempt-1"))  # the demo seeding's sessions
    with pytest.raises(ValueError, match="unknown practice event 'paused'"):
        PracticeEvent("paused", "attempt-1")


def test_play_emits_launched_responded_rewound_completed_and_reviewed(app_config):
    """The real play and review paths tell listeners what happened, in order."""
    from simulator.courses.reviews import add_override
    from simulator.library import shipped_library
    from simulator.models import Turn
    from simulator.scenarios.model import ClientNode
    from tests.conftest import sign_in
    from tests.helpers import make_user
    from tests.trainee.conftest import answer, answer_for, attempt_of, start

    app = _app(app_config, DELIVERY_MODE="off")
    heard: list[tuple[str, str]] = []
    add_listener(app.extensions, lambda _s, event: heard.append((event.kind, event.attempt_id)))
    with app.app_context():
        make_user(get_session(), email="t@example.org")
        get_session().commit()
        scenario = shipped_library(app).scenarios["you-started-late-again"]
    client = app.test_client()
    sign_in(client, "t@example.org")
    url = start(client, "you-started-late-again")
    attempt_id = url.rsplit("/", 1)[-1]
    node = scenario.node(scenario.start)
    assert answer(client, url, answer_for(node)).status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    assert client.post(f"{url}/rewind", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        session = get_session()
        for _ in range(20):  # answer until an ending
            attempt = attempt_of(session, url)
            if attempt.status == "completed":
                break
            moment = scenario.node(attempt.current_node)
            assert isinstance(moment, ClientNode)
            assert answer(client, url, answer_for(moment)).status_code == 303
        turn = session.exec(select(Turn).where(Turn.attempt_id == attempt_id,
                                               Turn.superseded == False)).first()  # noqa: E712
        criterion = next(iter(turn.scores["criteria"]))
        add_override(session=session, turn=turn, rubric=scenario.rubric, criterion=criterion,
                     new_level=0, comment="", reviewer_id=1)
        session.rollback()
    kinds = [kind for kind, owner in heard if owner == attempt_id]
    assert kinds[:3] == ["launched", "responded", "rewound"]
    assert kinds[-2:] == ["completed", "reviewed"]
    assert kinds[-3] == "responded"
    assert kinds.count("completed") == 1
    get_engine(app).dispose()


def test_the_first_request_wakes_every_sender_once_in_background_mode(app_config):
    """What an earlier run left queued goes at start-up, not at the next practice event."""
    app = _app(app_config, DELIVERY_MODE="background", DELIVERY_POLL_SECONDS=60)
    woken: list[str] = []
    both = threading.Event()

    def sender_named(name: str):
        def sender(_app: Flask) -> int:
            woken.append(name)
            if len(woken) >= 2:
                both.set()
            return 0
        return sender

    delivery.register_sender(app, "grades", sender_named("grades"))
    delivery.register_sender(app, "statements", sender_named("statements"))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert both.wait(10), f"only {woken} ran after the first request"
    client.get("/healthz")
    assert sorted(woken) == ["grades", "statements"]  # once each, not once per request
    get_engine(app).dispose()


def test_inline_and_off_modes_wake_nothing_on_the_first_request(app_config):
    for mode in ("inline", "off"):
        app = _app(app_config, DELIVERY_MODE=mode)
        calls = _recorder(app)
        assert app.test_client().get("/healthz").status_code == 200
        assert calls == [], mode
        get_engine(app).dispose()
