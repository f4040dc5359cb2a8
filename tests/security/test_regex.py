"""Author indicators run with RE2: a hostile pattern is refused with a located message or runs in
linear time, so an answer cannot freeze the site; matching keeps to a time budget per answer."""

from __future__ import annotations

import io
import logging
import random
from pathlib import Path

import pytest
from sqlmodel import func, select

from simulator.cli.score_command import load_rubric
from simulator.models import ScenarioSnapshot, Turn
from simulator.practice.answers import MAX_RESPONSE_CHARS
from simulator.scenarios.library import check_scenario_bytes, load_library, load_scenario_text
from simulator.scoring import engine, score_response
from simulator.scoring.indicators import MAX_MATCHES, MatchBudget, indicator_spans
from tests.helpers import make_user
from tests.security.conftest import shown, token_on
from tests.supervisor.conftest import browser_for
from tests.trainee.conftest import page_turn

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
WHERE = "regex-probe.yaml:26:20: nodes.opening.indicators.reflection[0]: "
PROSE = "i hear that you feel flat today and i wonder whether last week is part of it "


def attack(unit: str, tail: str = "", length: int = MAX_RESPONSE_CHARS) -> str:
    """`unit` repeated to `length` characters, ending with `tail`."""
    return (unit * length)[:length - len(tail)] + tail


RANDOM_AB = "".join(random.Random(14).choice("ab") for _ in range(5000))

# Each pattern with the answer (unit, ending) on which a backtracking engine such as Python's re
# tries every way through it. The first three passed the old checker, then held the answer for
# over half a minute under Python's re; the old checker refused the rest.
ACCEPTED = {
    r"\w{0,3}" * 8 + "x": ("a", ""),
    r"[a-z ]{0,3}" * 10 + "@": (PROSE, ""),
    r"(?:a|b)*a[ab]{240}x": (RANDOM_AB, ""),  # defeats RE2's DFA: its slowest shape allowed
    r"\w*" * 6 + "x": ("a", ""),
    r"[a-z ]*" * 5 + "@": (PROSE, ""),
    r"(a+)+$": ("a", "!"),
    r"(a|a)*b": ("a", ""),
    r"(.*a){12}": ("x", "a" * 11),
    r"(\w+\s?)+$": ("ab ", "!"),
    r"(a|ab)*c": ("ab", ""),
    r"a*a*a*a*a*b": ("a", ""),
    r".*.*.*.*=": ("x", ""),
    r"(\w|\d)+!": ("1", ""),
    r"^(a?){25}a{25}$": ("a", ""),
    r"(x+x+)+y": ("x", ""),
}

# The two patterns, and others RE2 cannot run or would run slowly: refused at upload.
REFUSED = {
    r"\w{0,25}" * 6 + "x": "is too complex to search quickly (1,355 instructions once compiled; "
                           "limit 250); use * or + instead of long counted repeats such as {0,25}",
    r"[a-z ]{0,40}" * 5 + "@": "is too complex to search quickly (1,605 instructions once "
                               "compiled; limit 250)",
    r"(a{1,100}){1,100}": "repeats more than 1,000 times (nested counts multiply); use * or + "
                          "for 'any number'",
    r"(\w+)\s\1": r"uses a backreference (\1 or (?P=name)), which RE2 does not have",
    r"sorry(?! not)": "uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which RE2 does not "
                      "have; write the words you want to match",
    r"(a+)++$": "uses a possessive repeat (*+, ++, ?+), which RE2 does not have",
    r"(?>a+)b": "uses an atomic group (?>...), which RE2 does not have and indicators do not "
                "need; write (?:...)",
    r"(sorry": "has a ( without its closing ); close it, or write \\( for the character",
    r"\b(sorry)?": "can match without any text, which marks nothing; make at least one part "
                   "required, as in sorry rather than (sorry)?",
}


def probe_scenario(pattern: str) -> bytes:
    """The tiny scenario with `pattern` as its only indicator."""
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8").replace("id: tiny",
                                                                         "id: regex-probe")
    quoted = "'" + pattern.replace("'", "''") + "'"
    return text.replace("    notice: {family", f"    indicators:\n      reflection: [{quoted}]\n"
                                              "    notice: {family").encode("utf-8")


@pytest.fixture
def rubric():
    return load_rubric("repair-core")


@pytest.fixture
def supervisor(app, session):
    """An admin: the probe is published to every trainee as soon as it is uploaded."""
    return browser_for(app, make_user(session, role="admin"))


@pytest.fixture
def trainee(app, session):
    return browser_for(app, make_user(session, role="trainee"))


def upload(browser, pattern: str):
    """Upload the probe; if it is accepted, publish it to every trainee."""
    response = browser.post("/supervise/scenarios/upload", data={
        "scenario": (io.BytesIO(probe_scenario(pattern)), "regex-probe.yaml"),
        "csrf_token": token_on(browser)})
    if response.status_code == 303:
        published = browser.post("/supervise/scenarios/regex-probe/publish", data={
            "version": "1", "everyone": "y", "csrf_token": token_on(browser)})
        assert published.status_code == 303, published.get_data(as_text=True)
    return response


def answer_probe(browser, text: str):
    """Start a practice attempt of the uploaded probe and send `text` as the answer."""
    started = browser.post("/scenarios/regex-probe/attempts", data={
        "mode": "practice", "csrf_token": token_on(browser, "/scenarios/regex-probe")})
    assert started.status_code == 303, started.get_data(as_text=True)
    url = started.headers["Location"]
    html = browser.get(url).get_data(as_text=True)
    return browser.post(f"{url}/turns", data={"turn": page_turn(html), "response": text,
                                              "csrf_token": token_on(browser, url)})


@pytest.mark.parametrize("pattern", sorted(ACCEPTED))
def test_a_hostile_pattern_is_accepted_and_an_answer_built_against_it_is_scored(
        supervisor, trainee, session, pattern):
    assert upload(supervisor, pattern).status_code == 303
    answered = answer_probe(trainee, attack(*ACCEPTED[pattern]))
    assert answered.status_code == 303, answered.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(Turn)).one() == 1
    assert trainee.get("/healthz").status_code == 200
    assert trainee.get("/scenarios").status_code == 200


@pytest.mark.parametrize("pattern", sorted(REFUSED))
def test_a_pattern_re2_cannot_run_quickly_is_refused_with_a_located_message(
        supervisor, session, pattern):
    response = upload(supervisor, pattern)
    assert response.status_code == 422
    assert shown(f"{WHERE}regular expression '{pattern}' {REFUSED[pattern]}") in \
        response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(ScenarioSnapshot)).one() == 0


def test_the_scorer_takes_every_hostile_pattern_at_once_on_5000_character_answers(rubric):
    indicators = {"reflection": list(ACCEPTED), "ownership": list(ACCEPTED)}
    for text in {attack(unit, tail, length=5000) for unit, tail in ACCEPTED.values()}:
        result = score_response(client="Fine.", response=text, rubric=rubric,
                                indicators=indicators)
        assert set(result.criteria) == set(rubric.criterion_ids)


class Ticks:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_matching_stops_once_the_budget_is_spent_and_the_rest_is_skipped():
    text = "a" * 100
    whole = indicator_spans(text, ["a", "aa"], MatchBudget(seconds=1e9, clock=Ticks()))
    assert len(whole) == 150
    budget = MatchBudget(seconds=10, clock=Ticks())
    cut = indicator_spans(text, ["a", "aa"], budget)
    assert 0 < len(cut) < 100 and budget.exhausted
    assert indicator_spans(text, ["a"], budget) == []  # the budget is per answer, not per call


def test_an_answer_whose_budget_is_spent_gets_no_indicator_evidence(rubric, monkeypatch, caplog):
    response = "Ha, that's a good one."
    hinted = score_response(client="", response=response, rubric=rubric,
                            indicators={"reflection": [r"\bgood one\b"]})
    assert hinted.criteria["reflection"].evidence
    monkeypatch.setattr(engine, "MatchBudget", lambda: MatchBudget(seconds=0))
    with caplog.at_level(logging.WARNING, logger="simulator.scoring.indicators"):
        spent = score_response(client="", response=response, rubric=rubric,
                               indicators={"reflection": [r"\bgood one\b"]})
    plain = score_response(client="", response=response, rubric=rubric)
    assert spent == plain
    assert "budget of 0 ms is spent" in caplog.text and "good one" not in caplog.text


def test_one_pattern_marks_at_most_a_hundred_places_in_an_answer():
    assert len(indicator_spans("a " * 500, ["a"], MatchBudget())) == MAX_MATCHES == 100


def test_spans_count_characters_not_bytes_and_survive_a_lone_surrogate():
    budget = MatchBudget()
    assert indicator_spans("café 😀 sorry", [r"\bsorry\b"], budget) == [(7, 12)]
    assert indicator_spans("a\ud800 sorry", ["sorry"], budget) == [(3, 8)]



def test_a_stored_version_with_a_pattern_refused_today_still_loads_and_scores():
    """Saved work stays readable: a version saved before RE2 (here with a lookbehind) loads
    with a warning and its refused pattern gives no evidence; uploading it anew is refused."""
    path = FIXTURES / "broken" / "unsupported-regex.yaml"
    rubrics = load_library(Path(__file__).resolve().parents[2] / "scenarios").rubrics
    upload = check_scenario_bytes(path.read_bytes(), name=path.name, rubrics=rubrics)
    assert upload.result is None
    assert any("lookbehind" in str(p) and p.severity == "error" for p in upload.problems)
    scenario, problems = load_scenario_text(path.read_text(), name=path.name, rubrics=rubrics,
                                            stored=True)
    assert scenario is not None
    assert any("stored version loads without it" in str(p) and p.severity == "warning"
               for p in problems)
    patterns = scenario.node(scenario.start).indicators["reflection"]
    assert indicator_spans("you feel flat", patterns, MatchBudget()) == []
