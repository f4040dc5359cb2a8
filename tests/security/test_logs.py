"""Logs never hold a trainee's words or anyone's password, even at DEBUG and on errors."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from simulator.models import Turn, utcnow
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.security.conftest import token_on
from tests.trainee.conftest import page_turn, start

RESPONSE = "Zanzibar-unique: I notice I felt defensive when you said I started late."
REFLECTION = "Quokka-unique: my stomach dropped when she went quiet."
PASSWORD = "Ocelot-unique passphrase 42"


def _everything_logged(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts.append(str(getattr(record, "exc_text", "") or ""))
    return "\n".join(parts)


@pytest.fixture
def everything_at_debug(caplog):
    """Every logger at DEBUG, and SQL echo on (INFO): statements logged, parameters hidden.

    SQLAlchemy at DEBUG also prints result rows; docs/privacy.md says never to turn that on.
    """
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.pool", "werkzeug", "simulator.auth.throttle", "gunicorn"):
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog


def test_practice_and_sign_in_log_no_words_and_no_password(app, client, session,
                                                           everything_at_debug):
    user = make_user(session, password=PASSWORD)
    sign_in(client, user.email, "wrong " + PASSWORD)  # a failed attempt logs nothing secret
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    url = start(client, "you-started-late-again")
    page = client.get(url).get_data(as_text=True)
    turn = page_turn(page)
    assert client.post(f"{url}/turns", data={"turn": turn, "response": RESPONSE,
                       "notice_reaction": REFLECTION, "notice_family": "confrontation",
                       "csrf_token": token_on(client, url)}).status_code == 303
    replay = client.post(f"{url}/turns", data={"turn": turn, "response": RESPONSE,
                         "csrf_token": token_on(client, url)})
    assert replay.status_code == 409
    logged = _everything_logged(everything_at_debug.records)
    assert "SELECT" in logged and "sign-in" in logged  # the capture saw SQL and the app
    for secret in (RESPONSE, REFLECTION, PASSWORD, "Zanzibar", "Quokka", "Ocelot"):
        assert secret not in logged


def test_database_errors_do_not_carry_the_response_text(app, session):
    from simulator.db import get_engine

    with get_engine(app).connect() as connection, pytest.raises(IntegrityError) as error:
        connection.execute(Turn.__table__.insert().values(
            attempt_id="no-such-attempt", index=0, node_id="n", client_line="c",
            response_text=RESPONSE, scores={}, overall=0.0, confidence=1.0, next_node="n",
            salience=3, direction="away", superseded=False, created_at=utcnow()))
    assert "Zanzibar" not in str(error.value)


def test_a_crash_while_answering_logs_the_error_but_not_the_answer(app, client, session,
                                                                  everything_at_debug,
                                                                  monkeypatch):
    import simulator.practice.turns as turns

    def broken(*_args, **_kwargs):
        raise RuntimeError("scoring broke")

    monkeypatch.setattr(turns, "score_answer", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    user = make_user(session)
    sign_in(client, user.email)
    url = start(client, "you-started-late-again")
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/turns", data={"turn": page_turn(page), "response": RESPONSE,
                                                 "csrf_token": token_on(client, url)})
    assert response.status_code == 500
    logged = _everything_logged(everything_at_debug.records)
    assert "scoring broke" in logged and "Zanzibar" not in logged
