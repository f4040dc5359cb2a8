"""Rewind that teaches: both tries, both replies, and each skill's change against the branch
conditions that decide the moment; when both tries went the same way, why."""

from __future__ import annotations

import html as html_lib
import re

from sqlmodel import select

from simulator.models import Turn
from tests.trainee.conftest import answer, attempt_of, start

SCENARIO = "you-started-late-again"
# Its opening sends any answer with ownership >= 0.50 and overall >= 0.50 (and no flag) on to
# "not-the-minutes"; defensiveness >= 0.50 to "in-my-kitchen"; anything else to "so-what-now".
DEFENSIVE = "I hear you, but I was only late because my last client ran over, to be fair."
OWNING = ("You're right, I started late again, and that's on me. I'm sorry. "
          "What was it like waiting?")
# Both take "so-what-now" (scored by the real scorer): the second owns the lateness
# (ownership past 0.50) but its overall score stays under 0.50.
VAGUE = "Sorry if the wait seemed long to you."
HEDGED = "I'm sorry if it felt like I kept you waiting."


def _rewind(client, url: str) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    assert client.post(f"{url}/rewind", data={"csrf_token": token}).status_code == 303


def _comparison(page: str) -> str:
    found = re.search(r'<section class="card comparison".*?</section>', page, re.S)
    assert found, "no comparison on the page"
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))))


def _turns(session) -> list[Turn]:
    session.expire_all()
    return session.exec(select(Turn).order_by(Turn.index)).all()


def test_both_tries_and_both_replies_side_by_side(client, session, trainee, library):
    scenario = library.scenarios[SCENARIO]
    url = start(client, SCENARIO)
    answer(client, url, {"response": DEFENSIVE})
    first_reply = scenario.node(attempt_of(session, url).current_node).say
    _rewind(client, url)
    answer(client, url, {"response": OWNING})
    second_reply = scenario.node(attempt_of(session, url).current_node).say
    assert first_reply != second_reply
    shown = _comparison(client.get(url).get_data(as_text=True))
    first, second = _turns(session)
    assert f"First try (overall {first.overall:.2f})" in shown
    assert f"Second try (overall {second.overall:.2f})" in shown
    for words in (DEFENSIVE, OWNING, first_reply, second_reply):
        assert " ".join(words.split()) in shown


def test_each_skill_changes_against_the_threshold_that_decides(client, session, trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": DEFENSIVE})
    _rewind(client, url)
    answer(client, url, {"response": OWNING})
    shown = _comparison(client.get(url).get_data(as_text=True))
    first, second = _turns(session)
    was = first.scores["criteria"]["ownership"]["score"]
    now = second.scores["criteria"]["ownership"]["score"]
    change = round(now - was, 2)
    assert f"Ownership {was:.2f} {now:.2f} {change:+.2f} ownership ≥ 0.50: reached" in shown
    flagged, calm = (t.scores["flags"]["defensiveness"]["score"] for t in (first, second))
    assert (f"Defensiveness {flagged:.2f} {calm:.2f} {round(calm - flagged, 2):+.2f} "
            "defensiveness ≥ 0.50: stayed under") in shown
    # the two tries went different ways, and the page says what decided each
    assert "The two answers took different paths." in shown
    assert f"ownership ≥ 0.50 held ({now:.2f})" in shown
    assert f"defensiveness ≥ 0.50 held ({first.scores['flags']['defensiveness']['score']:.2f})" \
        in shown


def test_the_same_path_twice_is_named_with_the_threshold_neither_reached(
        client, session, trainee, library):
    scenario = library.scenarios[SCENARIO]
    url = start(client, SCENARIO)
    answer(client, url, {"response": VAGUE})
    first_node = attempt_of(session, url).current_node
    _rewind(client, url)
    answer(client, url, {"response": HEDGED})
    assert attempt_of(session, url).current_node == first_node  # the same reply came back
    shown = _comparison(client.get(url).get_data(as_text=True))
    first, second = _turns(session)
    assert second.scores["criteria"]["ownership"]["score"] >= 0.5 > second.overall
    assert (f"Both answers took the same path: neither reached overall score at least 0.50 "
            f"({first.overall:.2f}, then {second.overall:.2f})") in shown
    gap = 0.5 - second.overall
    assert (f"{gap:.2f} more overall score (needed at least 0.50; you had "
            f"{second.overall:.2f}) would have taken the conversation another way") in shown
    assert " ".join(scenario.node(first_node).say.split()) in shown


def test_a_third_try_is_compared_with_the_second(client, session, trainee):
    url = start(client, SCENARIO)
    for words in (VAGUE, HEDGED):
        answer(client, url, {"response": words})
        _rewind(client, url)
    answer(client, url, {"response": OWNING})
    shown = _comparison(client.get(url).get_data(as_text=True))
    assert "Second try" in shown and "Third try" in shown and "First try" not in shown
    assert " ".join(HEDGED.split()) in shown and VAGUE not in shown


def test_chosen_options_are_compared_on_their_authored_scores(client, session, trainee, library):
    scenario = library.scenarios["you-must-be-sick-of-me"]
    node = scenario.node(scenario.start)
    # the option that reassures (dismissing) and the one that names what is happening in the room
    reassure = max(range(len(node.choices)), key=lambda i: node.choices[i].scores.get(
        "dismissing", 0.0))
    name_it = max(range(len(node.choices)), key=lambda i: node.choices[i].scores.get(
        "metacommunication", 0.0))
    url = start(client, scenario.id)
    answer(client, url, {"mode": "choice", "choice": str(reassure)})
    _rewind(client, url)
    answer(client, url, {"mode": "choice", "choice": str(name_it)})
    shown = _comparison(client.get(url).get_data(as_text=True))
    was, now = (node.choices[i].scores.get("metacommunication", 0.0) for i in (reassure, name_it))
    assert (f"Metacommunication {was:.2f} {now:.2f} {round(now - was, 2):+.2f} "
            "metacommunication ≥ 0.50: reached") in shown
    assert "The two answers took different paths." in shown
    for i in (reassure, name_it):
        assert " ".join(node.choices[i].text.split()) in shown
