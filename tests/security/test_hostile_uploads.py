"""Hostile scenario uploads: YAML bombs, Python tags and regexes RE2 cannot run are refused
(hostile regexes that RE2 can run: test_regex.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import func, select

from simulator.models import ScenarioSnapshot
from tests.helpers import make_user
from tests.security.conftest import shown, token_on
from tests.supervisor.conftest import browser_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
REFUSED = {
    "alias-bomb.yaml": "the document has more than 10,000 YAML nodes once aliases are expanded",
    "python-tag.yaml": "tag '!!python/object/apply:os.system' is not allowed",
    "unsupported-regex.yaml": "regular expression '(?<!not )\\bflat\\b' uses lookahead",
}


@pytest.fixture
def supervisor(app, session):
    return browser_for(app, make_user(session, role="supervisor"))


def _upload(browser, data: bytes, filename: str):
    return browser.post("/supervise/scenarios/upload", data={
        "scenario": (io.BytesIO(data), filename), "csrf_token": token_on(browser)})


def _stored(session) -> int:
    return session.exec(select(func.count()).select_from(ScenarioSnapshot)).one()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_files_are_refused_with_a_located_message(supervisor, session, name):
    response = _upload(supervisor, (FIXTURES / "broken" / name).read_bytes(), name)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{name} was not saved" in body
    assert shown(REFUSED[name]) in body
    assert _stored(session) == 0


def test_the_python_tag_never_runs(supervisor, tmp_path):
    marker = tmp_path / "pwned"
    text = (FIXTURES / "broken" / "python-tag.yaml").read_text(encoding="utf-8")
    text = text.replace('["echo pwned"]', f'["touch {marker}"]')
    assert _upload(supervisor, text.encode(), "python-tag.yaml").status_code == 422
    assert not marker.exists()


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe\x00b\x00a\x00d", "UTF-8"),
    (b"- just\n- a list\n", "expected a mapping of keys at the top of the file"),
    (b"a: [" * 60 + b"]" * 60, ""),
    (b"key: '" + b"x" * 200_000 + b"'\n", ""),
    (b"\x00\x01\x02 binary", ""),
])
def test_malformed_files_are_refused_without_a_crash(supervisor, session, data, message):
    response = _upload(supervisor, data, "odd.yaml")
    assert response.status_code == 422
    assert shown(message) in response.get_data(as_text=True)
    assert _stored(session) == 0
