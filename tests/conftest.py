"""Shared fixtures: a fresh app and database per test, a client, and sign-in helpers."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session

from simulator import create_app, migrate
from simulator.db import get_engine, make_engine
from tests.helpers import PASSWORD, make_user

POSTGRES_URL = os.environ.get("SIMULATOR_TEST_DATABASE_URL")
TEST_SECRET = "test-secret-key-" + "0123456789abcdefghijklmnopqrstuvwxyz"


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh, empty database: PostgreSQL when SIMULATOR_TEST_DATABASE_URL is set, else SQLite."""
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict:
    """The test configuration; tests may change it before `app` is built."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_ENABLED": True,
        # Queued grades and statements are sent in the request, after its commit, so a test
        # knows what was sent when the response arrives, and no test leaves a sender thread
        # polling its database (tests of the background mode set it themselves).
        "DELIVERY_MODE": "inline",
    }


@pytest.fixture
def app(app_config: dict) -> Iterator[Flask]:
    """An app whose database was created by the real migrations."""
    app = create_app(app_config)
    migrate.upgrade(get_engine(app))
    yield app
    get_engine(app).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A database session outside any request, for arranging and checking data."""
    with Session(get_engine(app), expire_on_commit=False) as db:
        yield db


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token from the form on `path`."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)  # `/` sends staff home
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    """Post the sign-in form as a browser would."""
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login_as(client: FlaskClient, session: Session):
    """Create a user with `role` (and any overrides), sign them in, and return the user."""

    def _login(role: str = "trainee", **overrides):
        user = make_user(session, role=role, **overrides)
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return _login


# Every record any logger makes during the whole run passes the catcher below; at the end of
# the run one that holds an email address, a one-time link's token or a session id fails it
# (docs/privacy.md, "Logs"). The patterns are written independently of simulator/logs.py so
# that a gap in the redaction is not mirrored by a gap here.
LOG_LEAK = re.compile(
    r"[\w.%+'-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"  # an email address
    r"|/(?:set-password|join)/(?!\[token\])[^\s/?\"']+"  # a one-time link's token
    r"|(?<![\w.-])\d+:[A-Za-z0-9_-]{20,}"  # Flask-Login's "<user id>:<session token>"
)
LOG_LEAK_REPORT = Path(__file__).resolve().parent.parent / "test-output" / "log-leaks.txt"


class LogLeakCatcher(logging.Handler):
    """Keeps the formatted text of every record that holds a secret."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)  # the message with its traceback and stack
        except Exception:  # noqa: BLE001
            self.handleError(record)
            return
        if LOG_LEAK.search(text):
            self.leaks.append(text)


@pytest.fixture(scope="session", autouse=True)
def no_secret_in_any_log_line() -> Iterator[None]:
    """Fail the run if any log record of any test held an email, a link token or a session id."""
    root, catcher = logging.getLogger(), LogLeakCatcher()
    level = root.level
    root.addHandler(catcher)
    root.setLevel(logging.DEBUG)
    yield
    root.removeHandler(catcher)
    root.setLevel(level)
    LOG_LEAK_REPORT.parent.mkdir(parents=True, exist_ok=True)
    LOG_LEAK_REPORT.write_text("".join(f"{leak}\n---\n" for leak in catcher.leaks),
                               encoding="utf-8")
    assert not catcher.leaks, (f"{len(catcher.leaks)} log records held an email, a link token "
                               f"or a session id; they are listed in {LOG_LEAK_REPORT}")
