"""Feedback detail: every flag shown, up to three strengths quoted as whole phrases, every
highlight with its reason, tips that fit any scenario, and the supervisor's review in place of
the engine's level."""

from __future__ import annotations

import functools
import html as html_lib
import re
from pathlib import Path

import pytest
from sqlmodel import select

from simulator.courses.reviews import add_override
from simulator.models import Turn
from simulator.scenarios.library import load_library
from tests.helpers import make_user
from tests.trainee.conftest import answer, start

SCENARIO = "you-started-late-again"
# Answers the real scorer scores as described (tried with the scorer, not mocked):
# defensiveness and dismissing both present.
TWO_FLAGS = ("I hear you, but my last client ran over. At least we still have most of the "
             "session, so no harm done.")
# reflection, ownership and collaboration all at a clear level or above.
THREE_STRENGTHS = ("You're right, I kept you waiting again, and I'm sorry. Your time here is "
                   "tight and you pay for every minute, so can we work out together how I "
                   "make that up, and talk about the fee as well?")
OWNING = ("You're right, I started late again, and that's on me. I'm sorry. "
          "What was it like waiting?")
# At this moment the scorer's evidence for reflection in the model answer is single words
# ("home", "fine", "Saturday's"): quoted alone they mean nothing.
FRAGMENTED = "the-long-story"
RUBRICS = Path(__file__).resolve().parents[2] / "scenarios"


def _feedback(page: str) -> str:
    found = re.search(r'<section class="feedback card".*?</section>', page, re.S)
    assert found, "no feedback on the page"
    return found.group(0)


def _text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_every_flag_that_fires_is_shown_with_its_words(client, session, trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": TWO_FLAGS})
    feedback = _feedback(client.get(url).get_data(as_text=True))
    assert "Watch for: defensiveness" in feedback
    assert "Watch for: dismissing" in feedback
    for note in re.findall(r'<div class="flag-note">(.*?)</div>', feedback, re.S):
        quotes = re.findall(r"“([^”]+)”", _text(note))
        assert quotes and all(q in TWO_FLAGS for q in quotes)


def test_up_to_three_strengths_each_with_its_own_words(client, session, trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": THREE_STRENGTHS})
    feedback = _feedback(client.get(url).get_data(as_text=True))
    worked = re.search(r"<h3>What worked</h3>\s*<ul>(.*?)</ul>", feedback, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", worked, re.S)
    assert len(items) == 3
    assert {re.search(r"<strong>(\w+)</strong>", item).group(1) for item in items} == {
        "Reflection", "Ownership", "Collaboration"}


def _whole_phrase(quote: str, text: str) -> bool:
    """The quote sits in the text on word boundaries and is a phrase: four words or more, or
    a whole clause (from one clause mark, or the start, to the next, or the end)."""
    at = text.find(quote)
    if at < 0:
        return False
    before, after = text[:at], text[at + len(quote):]
    if (before and before[-1].isalnum()) or (after and after[0].isalnum()):
        return False  # starts or ends mid-word
    starts = not before or re.search(r"[,.;:?!]\s*$", before)
    ends = not after or re.match(r"\s*[,.;:?!]", after)
    return len(quote.split()) >= 4 or bool(starts and ends)


def test_evidence_quotes_are_whole_phrases_not_fragments(client, session, trainee, library):
    scenario = library.scenarios[FRAGMENTED]
    words = " ".join(scenario.node(scenario.start).exemplars.strong[0].split())
    url = start(client, FRAGMENTED)
    answer(client, url, {"response": words})
    turn = session.exec(select(Turn)).one()
    evidence = [words[s:e] for s, e in turn.scores["criteria"]["reflection"]["evidence"]]
    assert "home" in evidence  # what the scorer points at, before it is widened
    feedback = _text(_feedback(client.get(url).get_data(as_text=True)))
    worked = feedback.split("What worked", 1)[1].split("One response that might help", 1)[0]
    quotes = re.findall(r"“([^”]+)”", worked)
    assert len(quotes) >= 3
    for quote in quotes:
        assert _whole_phrase(quote, words), f"a fragment, not a phrase: {quote!r}"


def test_every_highlight_carries_its_reason_as_tooltip_and_text(client, session, trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": THREE_STRENGTHS})
    page = client.get(url).get_data(as_text=True)
    marks = re.findall(r"<mark([^>]*)>(.*?)</mark>", page, re.S)
    assert marks
    readable = _text(page)
    for attrs, phrase in marks:
        title = re.search(r'title="([^"]+)"', attrs)
        assert title and title.group(1).strip(), f"no reason for the mark {phrase!r}"
        reason = html_lib.unescape(title.group(1))
        # the same reason can be read, not only hovered: the phrase, then why it is marked
        assert f"{html_lib.unescape(phrase)}: {reason}" in readable
        described = re.search(r'aria-describedby="([^"]+)"', attrs)
        assert described and f'id="{described.group(1)}"' in page


def test_a_supervisor_override_replaces_the_level_and_shows_the_comment(
        client, session, trainee, library):
    url = start(client, SCENARIO)
    answer(client, url, {"response": OWNING})
    turn = session.exec(select(Turn)).one()
    assert turn.scores["criteria"]["metacommunication"]["level"] < 2  # engine: not a strength
    supervisor = make_user(session, role="supervisor")
    comment = "Asking what waiting was like opens up what happened between you."
    add_override(session=session, turn=turn, rubric=library.scenarios[SCENARIO].rubric,
                 criterion="metacommunication", new_level=3, comment=comment,
                 reviewer_id=supervisor.id)
    session.commit()
    feedback = _text(_feedback(client.get(url).get_data(as_text=True)))
    assert "Reviewed by your supervisor" in feedback
    assert comment in feedback
    assert "Metacommunication (Strong, reviewed by your supervisor)" in feedback
    assert "Metacommunication: Strong (the automatic score said" in feedback


@functools.cache
def _library():
    return load_library(RUBRICS)


def _feedback_strings():
    library = _library()
    for rubric in library.rubrics.values():
        for item in rubric.criteria + rubric.flags:
            for level in item.levels:
                yield f"{rubric.id}.{item.id}[{level.level}]", " ".join(level.feedback.split())


@functools.cache
def _story_words():
    """What ties text to one scenario: its client's names, and the phrases of two or more
    words its moments list under `about` (what that rupture is about, in its own words)."""
    library = _library()
    found = {}
    for scenario in library.scenarios.values():
        for name in re.findall(r"[A-Z][\w-]+", scenario.client.name):
            found[name] = scenario.id
        for node in scenario.client_nodes.values():
            for phrase in node.about:
                if len(phrase.split()) >= 2:
                    found.setdefault(phrase.lower(), scenario.id)
    return found


# A tip that tells the trainee what *this* client went through ("you've had to hide this",
# "you went quiet when I mentioned...") was written for one scenario.
CLIENT_HISTORY = re.compile(r"\byou(?:'ve| have| had)? (?:had to|been|went|said|told|did)\b",
                            re.I)


@pytest.mark.parametrize(("where", "feedback"), list(_feedback_strings()))
def test_rubric_tips_fit_every_scenario_that_uses_the_rubric(where, feedback):
    story = _story_words()
    for words, scenario_id in story.items():
        flags = 0 if words[0].isupper() else re.I
        assert not re.search(rf"\b{re.escape(words)}\b", feedback, flags), (
            f"{where} names {words!r} from {scenario_id}: a rubric tip is shown in every "
            "scenario")
    for quoted in re.findall(r'"([^"]+)"', feedback):
        assert not CLIENT_HISTORY.search(quoted), (
            f"{where} tells the client their own history: {quoted!r}")
