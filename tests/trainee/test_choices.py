"""Choice moments that cannot be gamed or confused.

The options are shuffled per attempt (the same on reload, recorded on the turn); where a moment
offers both a choice and words, the trainee picks one mode and only that one is scored and
stored; a choice can be cleared, and a moment that needs a choice says so.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from simulator.engine import choice_measures
from simulator.models import Turn
from simulator.practice.answers import PICK_A_CHOICE, PICK_A_MODE
from simulator.practice.choice_order import describe_shown, shown_order, shown_position
from tests.trainee.conftest import answer, attempt_of, start

BOTH = "you-must-be-sick-of-me"  # opens at a moment that offers three options and words
WORDS = ("It sounds like you're wondering whether you take up too much room here. "
         "What makes you think I might be sick of you?")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "scenarios"


def _shown(html: str) -> list[int]:
    """The authored indices of the options, in the order the page shows them."""
    return [int(v) for v in re.findall(r'name="choice" value="(\d+)"', html)]


def _option_text(library, index: int) -> str:
    node = library.scenarios[BOTH].node(library.scenarios[BOTH].start)
    return " ".join(node.choices[index].text.split())


def _turn(session) -> Turn:
    session.expire_all()
    return session.exec(select(Turn)).one()


# --- the order ------------------------------------------------------------------------------

def test_each_option_is_shown_first_about_equally_often():
    firsts = Counter(shown_order(f"attempt-{i}", "opening", 3)[0] for i in range(3000))
    assert set(firsts) == {0, 1, 2}
    assert all(900 <= n <= 1100 for n in firsts.values()), firsts


def test_the_order_is_a_stable_permutation_of_one_attempt_and_moment():
    order = shown_order("a1", "opening", 4)
    assert sorted(order) == [0, 1, 2, 3]
    assert shown_order("a1", "opening", 4) == order
    assert len({tuple(shown_order("a1", f"node-{i}", 4)) for i in range(30)}) > 1
    assert shown_position(order, order[2]) == 2 and shown_position(order, None) is None


def test_the_best_option_of_every_shipped_choice_point_is_first_for_about_a_third(library):
    points = [(s, n) for s in library.scenarios.values() for n in s.nodes.values()
              if getattr(n, "respond", "free") != "free"]
    assert len(points) >= 8
    for scenario, node in points:
        best = max(range(len(node.choices)),
                   key=lambda i: choice_measures(scenario, node, i)["overall"])
        first = sum(shown_order(f"attempt-{i}", node.id, len(node.choices))[0] == best
                    for i in range(600))
        share = first / 600
        assert abs(share - 1 / len(node.choices)) < 0.07, (scenario.id, node.id, share)


# --- the play page ----------------------------------------------------------------------------

def test_the_shuffle_is_stable_on_reload_and_differs_across_attempts(client, session, trainee):
    orders = []
    for _ in range(6):
        url = start(client, BOTH)
        first, again = (_shown(client.get(url).get_data(as_text=True)) for _ in range(2))
        assert first == again
        attempt = attempt_of(session, url)
        assert first == shown_order(attempt.id, attempt.current_node, 3)
        orders.append(tuple(first))
    assert len(set(orders)) > 1, orders


def test_a_picked_option_stores_the_order_shown_and_where_it_stood(client, session, trainee):
    url = start(client, BOTH)
    order = _shown(client.get(url).get_data(as_text=True))
    picked = order[1]
    assert answer(client, url, {"mode": "choice", "choice": str(picked)}).status_code == 303
    turn = _turn(session)
    assert turn.choice_index == picked  # the authored index keeps its meaning
    assert turn.scores["shown_order"] == order
    assert turn.scores["shown_position"] == 1


def test_writing_my_own_stores_and_scores_only_the_words(client, session, trainee, library):
    url = start(client, BOTH)
    response = answer(client, url, {"mode": "free", "choice": "2", "response": WORDS})
    assert response.status_code == 303, response.get_data(as_text=True)
    turn = _turn(session)
    assert turn.choice_index is None and turn.response_text == WORDS
    assert turn.scores["kind"] == "free" and "choice_feedback" not in turn.scores
    assert turn.scores["shown_position"] is None
    page = client.get(url).get_data(as_text=True)
    assert WORDS.replace("'", "&#39;") in page
    assert _option_text(library, 2).replace("'", "&#39;") not in page


def test_choosing_stores_only_the_choice(client, session, trainee, library):
    url = start(client, BOTH)
    response = answer(client, url, {"mode": "choice", "choice": "2", "response": WORDS})
    assert response.status_code == 303, response.get_data(as_text=True)
    turn = _turn(session)
    assert turn.choice_index == 2 and turn.response_text is None
    assert turn.scores["kind"] == "choice"
    page = client.get(url).get_data(as_text=True)
    assert _option_text(library, 2).replace("'", "&#39;") in page
    assert WORDS.replace("'", "&#39;") not in page


def test_no_mode_is_refused_beside_the_mode_question_and_the_words_stay(client, session,
                                                                         trainee):
    url = start(client, BOTH)
    response = answer(client, url, {"choice": "0", "response": WORDS})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = re.search(r'<p class="field-error" id="answer-mode-error">([^<]+)</p>', page)
    assert beside and beside.group(1) == PICK_A_MODE.replace("'", "&#39;")
    assert 'aria-describedby="answer-mode-hint answer-mode-error"' in page
    assert WORDS.replace("'", "&#39;") in page
    assert session.exec(select(Turn)).first() is None


@pytest.mark.parametrize("data", [{"mode": "bogus"}, {"mode": "choice", "choice": "3"},
                                  {"mode": "choice", "choice": "99"}])
def test_a_forged_mode_or_option_is_refused_and_nothing_is_stored(client, session, trainee,
                                                                   data):
    url = start(client, BOTH)
    response = answer(client, url, {**data, "response": WORDS})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    expected = PICK_A_MODE if data["mode"] == "bogus" else "That option is not one of the choices."
    assert expected.replace("'", "&#39;") in page
    assert session.exec(select(Turn)).first() is None


def test_the_page_offers_both_modes_and_a_way_to_clear_a_choice(client, trainee):
    page = client.get(start(client, BOTH)).get_data(as_text=True)
    assert re.search(r'name="mode" value="choice"[^>]*>\s*<label for="mode-choice">'
                     r'Choose one of the responses</label>', page)
    assert re.search(r'name="mode" value="free"[^>]*>\s*<label for="mode-free">Write my own',
                     page)
    assert re.search(r'<button type="button"[^>]*data-clear-choice[^>]*>Clear my choice</button>',
                     page)
    assert "pick “Write my own” above; a ticked response then does not count." in page
    assert 'js/choices.js' in page


@pytest.fixture
def choice_only(app_config, tmp_path):
    """A library whose one scenario opens with a moment answered only by choosing."""
    library = tmp_path / "library"
    shutil.copytree(FIXTURES / "rubrics", library / "rubrics")
    text = (FIXTURES / "glance-at-the-clock.yaml").read_text(encoding="utf-8")
    assert text.count("    respond: both ") == 1
    (library / "glance-at-the-clock.yaml").write_text(
        text.replace("    respond: both ", "    respond: choice "), encoding="utf-8")
    app_config["SCENARIOS_DIR"] = str(library)
    return "glance-at-the-clock"


def test_a_cleared_choice_at_a_choice_only_moment_is_asked_for(choice_only, client, session,
                                                              trainee):
    url = start(client, choice_only)
    page = client.get(url).get_data(as_text=True)
    assert 'name="mode"' not in page and "Clear my choice" in page
    response = answer(client, url, {"response": "Words cannot answer this moment."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = re.search(r'<p class="field-error" id="choices-error">([^<]+)</p>', page)
    assert beside and beside.group(1) == PICK_A_CHOICE
    assert session.exec(select(Turn)).first() is None
    assert answer(client, url, {"choice": "1", "response": "Ignored."}).status_code == 303
    turn = _turn(session)
    assert turn.choice_index == 1 and turn.response_text is None


def test_a_reviewer_reads_the_order_shown_and_the_pick_in_words():
    assert describe_shown({"shown_order": [2, 0, 1], "shown_position": 1}) == (
        "Options shown in the order 3, 1, 2 (as written); the trainee picked the 2nd shown, "
        "option 1 as written.")
    assert describe_shown({"shown_order": [1, 0], "shown_position": None}) == (
        "Options shown in the order 2, 1 (as written); the trainee wrote their own answer "
        "instead.")
    assert describe_shown({"kind": "free"}) is None
