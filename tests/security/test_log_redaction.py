"""No log line holds a link token, an email address or a session id, and none can be forged.

Every flow that used to leak is driven with every logger at DEBUG, then everything captured
(the test's records, and a real `simulator serve`'s output) is searched.
"""

from __future__ import annotations

import http.client
import logging
import re
import secrets

import pytest
from flask_login import current_user
from sqlmodel import Session

import simulator.auth.set_password  # noqa: F401  (registers the link page on the auth blueprint)
from simulator import logs, migrate
from simulator.courses import tokens
from simulator.db import make_engine
from simulator.models import User
from tests.conftest import sign_in
from tests.helpers import PASSWORD, make_user
from tests.security.live import Browser, start_server

EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.[\w.-]+")
SESSION_ID = re.compile(r"\b\d+:[A-Za-z0-9_-]{20,}")


@pytest.fixture
def everything_at_debug(caplog):
    """Every logger at DEBUG (SQL statements at INFO: DEBUG would print result rows)."""
    caplog.set_level(logging.DEBUG)
    for name in ("flask-limiter", "werkzeug", "simulator", "flask.app"):
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog


def _lines(records: list[logging.LogRecord]) -> list[str]:
    """Each record as a handler writes it: message, then any traceback."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(record) for record in records]


def _assert_clean(text: str, *secrets_: str) -> None:
    for secret in secrets_:
        assert secret not in text
    assert not EMAIL.search(text), EMAIL.search(text).group(0)
    assert not SESSION_ID.search(text), SESSION_ID.search(text).group(0)


def _link_for(session: Session) -> str:
    newcomer = User(email="newcomer-logs@example.org", name="Nia New", role="trainee")
    session.add(newcomer)
    session.commit()
    raw = tokens.issue_token(session=session, user=newcomer)
    session.commit()
    return raw


def test_a_failing_set_password_link_logs_the_path_without_its_token(
        app, client, session, everything_at_debug, monkeypatch):
    raw = _link_for(session)

    def database_went_away(_raw: str) -> str:
        raise RuntimeError("database went away")

    monkeypatch.setattr(tokens, "hash_token", database_went_away)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get(f"/set-password/{raw}").status_code == 500
    logged = "\n".join(_lines(everything_at_debug.records))
    assert "Exception on /set-password/[token] [GET]" in logged
    assert "database went away" in logged  # the error itself is still there to debug
    _assert_clean(logged, raw)


@pytest.fixture
def app_config(app_config):
    app_config["LOGIN_RATE_LIMIT"] = "2 per minute"
    return app_config


def test_throttled_sign_ins_log_no_email(app, client, session, everything_at_debug):
    user = make_user(session, email="throttled-logs@example.org")
    statuses = [sign_in(client, user.email, "wrong " + PASSWORD).status_code for _ in range(4)]
    assert statuses[-1] == 429
    logged = "\n".join(_lines(everything_at_debug.records))
    assert "throttled-logs" not in logged
    _assert_clean(logged)


def test_throttled_account_deletion_logs_no_session_id(app, client, session,
                                                       everything_at_debug):
    from tests.security.conftest import token_on

    user = make_user(session)
    assert sign_in(client, user.email).status_code == 302
    statuses = []
    for _ in range(4):
        form = {"password": "wrong " + PASSWORD, "confirm": "delete my account",
                "csrf_token": token_on(client, "/account")}
        statuses.append(client.post("/account/delete", data=form).status_code)
    assert statuses[-1] == 429, statuses
    session.refresh(user)
    logged = "\n".join(_lines(everything_at_debug.records))
    _assert_clean(logged, user.session_token, user.email)


def test_a_crash_logs_neither_email_nor_session_id_and_stays_on_one_line(
        app, client, session, everything_at_debug):
    def crash(rest: str):
        who = current_user.user
        logging.getLogger("simulator.test").warning("crash for %s (%s) session=%s",
                                                    who.email, current_user.get_id(), rest)
        raise RuntimeError(f"no profile for {who.email} in session {current_user.get_id()}")

    app.add_url_rule("/crash/<rest>", "crash", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    user = make_user(session, email="crash-logs@example.org")
    assert sign_in(client, user.email).status_code == 302
    session.refresh(user)
    assert client.get("/crash/x%0a127.0.0.1 - forged line%0d").status_code == 500
    records = everything_at_debug.records
    logged = "\n".join(_lines(records))
    assert "Exception on /crash/x\\n127.0.0.1 - forged line\\r [GET]" in logged
    assert "no profile for [email] in session [session]" in logged
    _assert_clean(logged, user.session_token, "crash-logs")
    for record in records:
        assert "\n" not in record.getMessage() and "\r" not in record.getMessage()


def test_records_from_a_handler_added_later_are_redacted_too(app):
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append
    late = logging.getLogger("some.library")
    late.addHandler(handler)
    late.setLevel(logging.INFO)
    late.propagate = False
    try:
        late.info("key for %s is token=%s", "late@example.org", secrets.token_urlsafe(32))
    finally:
        late.removeHandler(handler)
        late.propagate = True
    assert [r.getMessage() for r in seen] == ["key for [email] is token=[redacted]"]


@pytest.mark.parametrize(("line", "shown"), [
    ("ratelimit 10 per 1 minute (login:ann.o'neil+x@Example.ORG) exceeded at endpoint: a",
     "ratelimit 10 per 1 minute (login:[email]) exceeded at endpoint: a"),
    ("ratelimit 10 per 1 minute (account-delete:42:AbCdEfGhIjKlMnOp_qrs-tuv012) exceeded",
     "ratelimit 10 per 1 minute (account-delete:[session]) exceeded"),
    ("GET /join/AbCdEfGh123?x=1 and /set-password/s3cr3t/", "GET /join/[token]?x=1 and "
     "/set-password/[token]/"),
    ("Cookie: session=eyJfZnJlc2giOmZhbHNlfQ.Zx.abc; remember_token=1|abc",
     "Cookie: session=[redacted]; remember_token=[redacted]"),
    ("Authorization: Bearer abcdefghij.klmnop", "Authorization: Bearer [redacted]"),
    ("postgresql+psycopg://holding:hunter22@db/holding", "postgresql+psycopg://holding:[redacted]@db/holding"),
    ("form {'password': 'Ocelot 42', 'next': '/'}", "form {'password': '[redacted]', 'next': '/'}"),
    ("stray 7kQ2mZpX9vB4nC1rT6yH3jL8wE5sD0aF", "stray [redacted]"),
    # Kept: ids, digests and names are no secret and are needed to debug.
    ("attempt Qm3pZ8xYk2LrT1vB5nC7dA stored", "attempt Qm3pZ8xYk2LrT1vB5nC7dA stored"),
    ("hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("SQLAlchemyDeprecationWarning in you-started-late-again",
     "SQLAlchemyDeprecationWarning in you-started-late-again"),
])
def test_redaction_of_each_kind_of_secret(line, shown):
    assert logs.redact(line) == shown


def test_control_characters_are_written_as_escapes():
    assert logs.escape_controls("a\nb\r\x1b[2J\x00\u2028\tc") == "a\\nb\\r\\x1b[2J\\x00\\u2028\tc"


def test_a_real_server_logs_no_token_and_no_forged_line(database_url, tmp_path):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        email = make_user(session, email="served-logs@example.org").email
    engine.dispose()
    raw = secrets.token_urlsafe(32)
    server = start_server(database_url, tmp_path / "instance", workers=1)
    try:
        browser = Browser(server.port)
        browser.sign_in(email, PASSWORD)
        forged = '%0a127.0.0.1 "GET /forged-line" 200 0 1ms'
        for path in (f"/set-password/{raw}{forged}", f"/healthz{forged}",
                     f"/set-password/{raw}", f"/login?email={email}&token={raw}"):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", path.replace(" ", "%20").replace('"', "%22"))
            connection.getresponse().read()
            connection.close()
    finally:
        server.stop()
    output = server.output()
    assert "/set-password/[token]\\n127.0.0.1" in output  # the request was logged, escaped
    _assert_clean(output, raw, "served-logs")
    for line in output.splitlines():
        assert not line.startswith("127.0.0.1 \"GET /forged-line"), line
