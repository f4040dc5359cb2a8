"""Fixtures for the adversarial suite: the course fixture, signed-in browsers, form helpers.

Every test here runs on SQLite, and on PostgreSQL when SIMULATOR_TEST_DATABASE_URL is set,
because the shared `database_url` fixture decides which database each app uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

# The account pages register on the trainee blueprint; importing them here, before any app is
# built, keeps this suite working whether or not simulator/trainee/__init__.py imports them yet.
import simulator.trainee.account  # noqa: F401
from simulator import migrate
from simulator.db import make_engine
from tests.supervisor.conftest import browser_for, course  # noqa: F401  (re-exported fixture)

HTMX = {"HX-Request": "true"}
CSRF_REFUSED = "This form had expired or was sent from elsewhere"


def token_on(browser, path: str = "/") -> str:
    """The CSRF token of the forms on `path` (every page carries one for the sign-out form)."""
    html = browser.get(path, follow_redirects=True).get_data(as_text=True)  # `/` sends staff home
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def shown(text: str) -> str:
    """How a template shows `text`: HTML-escaped."""
    return str(escape(text))


def without_tokens(html: str) -> str:
    """A page with its CSRF tokens blanked: they are signed with the time, so they differ."""
    return re.sub(r"[\w.-]{40,}", "TOKEN", html)


def post_rules(app: Flask) -> list:
    """Every URL rule that accepts POST, in a stable order."""
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())]
    return sorted(rules, key=lambda rule: rule.endpoint)


def url_for_rule(app: Flask, rule, values: dict | None = None) -> str:
    """A URL for `rule`, filling each argument from `values` or with a harmless placeholder."""
    filled = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        placeholder = 1 if isinstance(converter, IntegerConverter) else "x"
        filled[name] = (values or {}).get(name, placeholder)
    return app.url_map.bind("localhost").build(rule.endpoint, filled)


@pytest.fixture
def signed_in(app):
    """Sign `user` in with a fresh browser."""
    return lambda user: browser_for(app, user)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The test database, migrated, as a real server started on it will find it."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
