"""xAPI 1.0.3 statements: launched, responded and completed, valid, private and idempotent."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from simulator.courses.xapi import statements_since
from simulator.library import shipped_library
from simulator.models import Turn
from simulator.practice.effective import apply_reviews
from simulator.scenarios.library import load_library
from tests.courses.factories import SCENARIO, T0, make_attempt, make_review, make_turn
from tests.helpers import make_user
from tests.trainee.conftest import attempt_of, play_to_end, start

RUBRICS = load_library(Path(__file__).resolve().parents[2] / "scenarios").rubrics
BASE = "https://training.example.org"
EXT = f"{BASE}/xapi/extensions/"
SINCE = T0 - timedelta(days=1)
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                  "authority", "version", "attachments"}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _statements(session, since, base_url) -> list[dict]:
    return statements_since(session=session, since=since, base_url=base_url, rubrics=RUBRICS)


def _iri(value) -> None:
    parts = urlsplit(value)
    assert isinstance(value, str) and parts.scheme and parts.netloc, f"not an IRI: {value!r}"


def _uuid(value) -> None:
    assert isinstance(value, str) and str(uuid.UUID(value)) == value, f"not a UUID: {value!r}"
    assert uuid.UUID(value).variant == uuid.RFC_4122


def _language_map(value) -> None:
    assert isinstance(value, dict) and value
    for tag, text in value.items():
        assert LANGUAGE_TAG.match(tag) and isinstance(text, str), (tag, text)


def _extensions(value) -> None:
    assert isinstance(value, dict)
    for key in value:
        _iri(key)


def _activity(value) -> None:
    assert value.get("objectType", "Activity") == "Activity"
    _iri(value["id"])
    definition = value.get("definition", {})
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key])
    if "type" in definition:
        _iri(definition["type"])
    _extensions(definition.get("extensions", {}))


def _agent(value) -> None:
    assert value["objectType"] == "Agent"
    assert isinstance(value.get("name", ""), str)
    identifiers = [key for key in IFIS if key in value]
    assert len(identifiers) == 1, f"an Agent needs exactly one identifier, has {identifiers}"
    if "account" in value:
        _iri(value["account"]["homePage"])
        assert isinstance(value["account"]["name"], str) and value["account"]["name"]


def _result(value) -> None:
    score = value.get("score", {})
    if "scaled" in score:
        assert isinstance(score["scaled"], int | float) and -1 <= score["scaled"] <= 1
    if {"min", "max"} <= score.keys():
        assert score["min"] < score["max"]
        if "raw" in score:
            assert score["min"] <= score["raw"] <= score["max"]
    for flag in ("success", "completion"):
        assert isinstance(value.get(flag, True), bool)
    if "duration" in value:
        assert DURATION.match(value["duration"]), value["duration"]
    assert "response" not in value  # our privacy rule, stricter than the spec
    _extensions(value.get("extensions", {}))


def _context(value) -> None:
    if "registration" in value:
        _uuid(value["registration"])
    activities = value.get("contextActivities", {})
    assert set(activities) <= CONTEXT_ACTIVITY_KEYS
    for listed in activities.values():
        assert isinstance(listed, list)
        for activity in listed:
            _activity(activity)
    if "language" in value:
        assert LANGUAGE_TAG.match(value["language"])
    _extensions(value.get("extensions", {}))


def assert_valid_statement(statement: dict) -> None:
    """The structure and types xAPI 1.0.3 requires of a statement (plus our own contract)."""
    assert set(statement) <= STATEMENT_KEYS, set(statement) - STATEMENT_KEYS
    assert json.loads(json.dumps(statement)) == statement
    _uuid(statement["id"])
    assert statement["version"] == "1.0.3"
    _agent(statement["actor"])
    _iri(statement["verb"]["id"])
    _language_map(statement["verb"]["display"])
    _activity(statement["object"])
    _result(statement.get("result", {}))
    _context(statement.get("context", {}))
    moment = datetime.fromisoformat(statement["timestamp"])
    assert moment.tzinfo is not None, "timestamp without a timezone"


@pytest.fixture
def rubric(app):
    return shipped_library(app).rubrics["repair-core"]


@pytest.fixture
def played(app, session, rubric):
    """Ana's completed attempt: a free answer, a rewound one, then a choice."""
    ana = make_user(session, name="Ana Ruiz", email="ana@example.org")
    attempt = make_attempt(session, app, ana, current_node="ending-repaired")
    make_turn(session, rubric, attempt, 0, overall=0.6, node_id="opening",
              response_text="PRIVATE-ANSWER sounds like waiting was hard")
    make_turn(session, rubric, attempt, 1, overall=0.1, superseded=True, node_id="second")
    make_turn(session, rubric, attempt, 2, kind="choice", overall=0.8, node_id="second")
    return ana, attempt


def _by_verb(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def test_one_statement_per_event_in_time_order(session, played):
    ana, attempt = played
    statements = _statements(session, SINCE, BASE + "/")
    for statement in statements:
        assert_valid_statement(statement)
    assert _by_verb(statements) == ["launched", "responded", "responded", "completed"]
    assert {s["actor"]["account"]["name"] for s in statements} == {str(ana.id)}
    assert {s["context"]["registration"] for s in statements} == {
        statements[0]["context"]["registration"]}
    assert statements[0]["object"]["id"] == f"{BASE}/scenarios/{SCENARIO}"
    assert statements[0]["timestamp"] == "2025-03-01T09:00:00.000Z"
    context = statements[0]["context"]["extensions"]
    assert (context[EXT + "rupture-family"], context[EXT + "rupture-markers"],
            context[EXT + "mode"]) == ("confrontation", ["complaint-about-parameters"],
                                       "assessment")


def test_responded_reports_score_turn_and_node_but_never_the_words(session, played):
    statements = _statements(session, SINCE, BASE)
    responded = [s for s in statements if s["verb"]["id"].endswith("/responded")]
    assert [(s["context"]["extensions"][EXT + "turn-index"],
             s["context"]["extensions"][EXT + "node-id"],
             s["result"]["score"]["scaled"]) for s in responded] == [
        (0, "opening", 0.6), (2, "second", 0.8)]
    exported = json.dumps(statements)
    assert "PRIVATE-ANSWER" not in exported and "ana@example.org" not in exported


def test_completed_carries_the_attempt_score_and_outcome(session, played):
    completed = _statements(session, SINCE, BASE)[-1]
    assert completed["result"]["score"] == {"scaled": 0.7, "raw": 70.0, "min": 0, "max": 100}
    assert (completed["result"]["completion"], completed["result"]["success"]) == (True, True)
    assert completed["result"]["extensions"][EXT + "outcome"] == "repaired"
    assert completed["result"]["duration"] == "PT720.00S"
    assert completed["context"]["extensions"][EXT + "node-id"] == "ending-repaired"


def test_an_unrepaired_ending_is_completed_without_success(app, session):
    make_attempt(session, app, make_user(session), outcome="escalated")
    completed = _statements(session, SINCE, BASE)[-1]
    assert completed["result"]["success"] is False
    assert completed["result"]["extensions"][EXT + "outcome"] == "escalated"
    assert "score" not in completed["result"]  # no scored turns, so no score to report


def test_only_events_at_or_after_since(session, played, rubric):
    _, attempt = played
    since = attempt.started_at + timedelta(minutes=1)  # after launch and turn 0
    statements = _statements(session, since, BASE)
    assert _by_verb(statements) == ["responded", "completed"]
    later = attempt.finished_at + timedelta(seconds=1)
    assert _statements(session, later, BASE) == []


def test_re_exports_repeat_the_same_ids_and_sites_do_not_collide(session, played):
    first = _statements(session, SINCE, BASE)
    again = _statements(session, SINCE, BASE)
    other = _statements(session, SINCE, "https://other.example")
    assert first == again
    assert len({s["id"] for s in first}) == len(first)
    assert not {s["id"] for s in first} & {s["id"] for s in other}


def test_deleted_trainees_are_skipped(app, session):
    make_attempt(session, app, None)
    assert _statements(session, SINCE, BASE) == []


def test_naive_since_is_refused(session):
    with pytest.raises(ValueError, match="timezone-aware"):
        statements_since(session=session, since=datetime(2025, 1, 1), base_url=BASE,
                         rubrics=RUBRICS)


def test_a_played_through_attempt_exports_valid_statements(app, client, session, login_as):
    login_as("trainee")
    scenario = shipped_library(app).scenarios["smiling-agreement"]
    since = datetime.now(UTC) - timedelta(minutes=1)
    url = start(client, scenario.id)
    answered = play_to_end(client, session, url, scenario)
    statements = _statements(session, since, BASE)
    for statement in statements:
        assert_valid_statement(statement)
    assert _by_verb(statements) == ["launched", *["responded"] * len(answered), "completed"]
    attempt = attempt_of(session, url)
    extensions = statements[-1]["context"]["extensions"]
    assert extensions[EXT + "rupture-markers"] == ["deferential-appeasing", "content-affect-split"]
    assert statements[-1]["result"]["extensions"][EXT + "outcome"] == attempt.outcome


def test_a_supervisor_review_is_exported_as_a_new_statement_with_the_reviewed_score(
        session, played):
    _, attempt = played
    before = _statements(session, SINCE, BASE)
    [free] = [t for t in session.exec(select(Turn).where(Turn.attempt_id == attempt.id))
              if t.index == 0]
    clear = RUBRICS["repair-core"].item("metacommunication").levels[-2].level
    reviewed_at = attempt.finished_at + timedelta(days=2)
    review = make_review(session, free, "metacommunication", clear, created_at=reviewed_at)
    effective = apply_reviews(free, RUBRICS["repair-core"], [review]).overall
    assert effective != free.overall

    after = _statements(session, SINCE, BASE)
    old = {s["id"]: s for s in before}
    [first] = [s for s in after if s["verb"]["id"].endswith("/responded")
               and s["context"]["extensions"][EXT + "turn-index"] == 0]
    assert first["id"] not in old  # a new statement, never a changed copy of one sent
    assert first["result"]["score"]["scaled"] == round(effective, 4)  # the one computation
    assert first["result"]["extensions"][EXT + "reviewed-by-supervisor"] is True
    assert first["timestamp"] == before[1]["timestamp"]  # still the time it was answered
    assert after[-1]["id"] != before[-1]["id"]  # the completed score changed with it
    assert after[-1]["result"]["score"]["scaled"] == round((effective + 0.8) / 2, 4)
    # an export of what is new since the review carries the reviewed statements
    since_review = _statements(session, reviewed_at, BASE)
    assert _by_verb(since_review) == ["responded", "completed"]
    for statement in after:
        assert_valid_statement(statement)
