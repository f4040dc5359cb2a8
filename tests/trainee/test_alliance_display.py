"""The play page's alliance meter: one measure, strength (higher is better), in words that
match what the answer just did, with a text equivalent, and hidden in assessment mode."""

from __future__ import annotations

import re

from tests.trainee.conftest import answer, start

SCENARIO = "you-started-late-again"  # starts strained: strength 2 of 5
# Both are scored by the real scorer: owning the lateness eases the rupture (ownership rule),
# justifying it deepens it (defensiveness rule).
REPAIRING = ("You're right, I started late again, and that's on me. I'm sorry. "
             "What was it like waiting?")
DEFENSIVE = "I hear you, but I was only late because my last client ran over, to be fair."


def _meter(html: str) -> dict:
    """The meter's strength, the <meter> element's attributes and its sentence."""
    block = re.search(r'<div id="alliance".*?</div>', html, re.S)
    assert block, "no alliance meter on the page"
    meter = re.search(r"<meter([^>]*)>", block.group(0)).group(1)
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', meter))
    text = re.search(r'<span id="alliance-text"[^>]*>(.*?)</span>', block.group(0), re.S)
    return {"attrs": attrs, "text": text.group(1).strip(),
            "strength": int(re.search(r'data-strength="(\d)"', block.group(0)).group(1))}


def test_the_meter_shows_strength_where_higher_is_better(client, session, trainee):
    url = start(client, SCENARIO)
    meter = _meter(client.get(url).get_data(as_text=True))
    assert meter["strength"] == 2
    assert meter["attrs"]["value"] == "2"
    assert meter["attrs"]["optimum"] == meter["attrs"]["max"] == "5"  # full bar = best
    assert "Alliance strength" in client.get(url).get_data(as_text=True)
    assert "strained (2 of 5)" in meter["text"]
    assert "Rupture" not in meter["text"]


def test_a_repairing_answer_strengthens_the_meter_and_says_so(client, session, trainee):
    url = start(client, SCENARIO)
    before = _meter(client.get(url).get_data(as_text=True))
    answer(client, url, {"response": REPAIRING})
    after = _meter(client.get(url).get_data(as_text=True))
    assert after["strength"] > before["strength"]
    assert int(after["attrs"]["value"]) == after["strength"]
    assert "grew stronger" in after["text"]
    assert f"({after['strength']} of 5)" in after["text"]
    assert "against you" not in after["text"] and "weaken" not in after["text"]


def test_a_defensive_answer_weakens_the_meter_and_says_so(client, session, trainee):
    url = start(client, SCENARIO)
    before = _meter(client.get(url).get_data(as_text=True))
    answer(client, url, {"response": DEFENSIVE})
    after = _meter(client.get(url).get_data(as_text=True))
    assert after["strength"] < before["strength"]
    assert "weakened" in after["text"] and "stronger" not in after["text"]
    assert "at breaking point (1 of 5)" in after["text"]


def test_screen_readers_hear_the_change_after_an_answer(client, session, trainee):
    url = start(client, SCENARIO)
    fragment = answer(client, url, {"response": REPAIRING}, htmx=True).get_data(as_text=True)
    announcer = re.search(r'<div id="announcer"[^>]*aria-live="polite"[^>]*>(.*?)</div>',
                          fragment, re.S)
    assert announcer and "grew stronger after your response" in announcer.group(1)
    meter = re.search(r"<meter[^>]*>", fragment).group(0)
    assert 'aria-describedby="alliance-text"' in meter  # the sentence describes the bar


def test_the_meter_is_hidden_in_assessment_mode(client, session, trainee):
    url = start(client, SCENARIO, mode="assessment")
    assert "<meter" not in client.get(url).get_data(as_text=True)
    fragment = answer(client, url, {"response": REPAIRING}, htmx=True).get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    for html in (fragment, page):
        assert "<meter" not in html and 'id="alliance"' not in html
        assert "Alliance strength" not in html and "grew stronger" not in html
