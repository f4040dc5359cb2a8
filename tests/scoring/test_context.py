"""Adversarial pairs: the score moves with the skill at this moment, not with the surface.

Each test names the failure it guards against (docs/scoring.md, "Judged against the moment").
They use the shipped rubric and weights, because what a trainee meets is the shipped scorer.
"""

from __future__ import annotations

import re

import pytest

from simulator.cli.score_command import load_rubric
from simulator.scoring import score_response

LATE = ("Eleven minutes. Again. I know it's nothing to you, but I leave here at twenty past to "
        "be on the pass by four. And from next month I pay seventy pounds for this.")
LATE_ABOUT = ("started late", "eleven minutes", "kept waiting", "the fee rise")
PUSHED = ("You went on and on at me last week about the drinking diary. I told you I hadn't "
          "filled it in and you just kept asking.")
PUSHED_ABOUT = ("kept asking", "the drinking diary", "last week")
STOCK = ("It sounds like that's really hard. That makes sense. I'm sorry, I got that wrong. "
         "I notice something happening between us. What would be most useful for you?")


@pytest.fixture(scope="module")
def shipped():
    return load_rubric("repair-core")


@pytest.fixture
def scored(shipped):
    def run(response, client=LATE, about=LATE_ABOUT, needs=None, **kw):
        return score_response(client=client, response=response, rubric=shipped, about=about,
                              needs=needs, **kw)
    return run


def test_a_paste_anywhere_paragraph_is_capped_and_flagged_formulaic(scored):
    result = scored(STOCK, needs=("ownership", "validation"))
    assert all(item.score <= 0.45 for item in result.criteria.values())
    assert result.flags["formulaic"].score >= 0.5 and result.flags["formulaic"].evidence
    assert result.overall <= 0.2


def test_the_same_template_earns_the_same_little_after_any_client_line(scored):
    one = scored(STOCK).overall
    other = scored(STOCK, client="I don't really know why I keep coming.", about=()).overall
    assert one <= 0.2 and other <= 0.2


def test_specific_ownership_beats_a_generic_apology(scored):
    specific = scored("I started late again and I didn't say a word about it when I opened "
                      "the door. That's on me.", needs=("ownership",))
    generic = scored("I'm sorry, I got that wrong. I apologise for my part in this.",
                     needs=("ownership",))
    assert specific.criteria["ownership"].score > generic.criteria["ownership"].score
    assert generic.criteria["ownership"].score <= 0.45
    assert specific.overall > generic.overall


def test_plain_ownership_without_stock_phrases_counts(scored):
    plain = scored("Last week I kept at you after you'd answered. That wasn't fair of me.",
                   client=PUSHED, about=PUSHED_ABOUT, needs=("ownership",))
    assert plain.criteria["ownership"].score >= 0.55
    assert plain.flags["formulaic"].score < 0.5


def test_plain_defensiveness_is_flagged(scored):
    result = scored("I wasn't lecturing you, I was only asking a normal question.",
                    client=PUSHED, about=PUSHED_ABOUT)
    assert result.flags["defensiveness"].score >= 0.5


def test_contradicting_the_client_is_not_reflection(scored):
    angry = "I'm so angry with you right now. You kept me waiting again."
    contradiction = scored("I don't think you're really angry with me, it sounds like you're "
                           "just tired.", client=angry)
    fitting = scored("You're angry with me for keeping you waiting again.", client=angry)
    assert contradiction.criteria["reflection"].score == 0.0
    assert contradiction.flags["contradicting"].score >= 0.5
    assert fitting.flags["contradicting"].score < 0.5
    assert fitting.criteria["reflection"].score > contradiction.criteria["reflection"].score


def test_parroting_is_a_simple_reflection_at_most(scored):
    client = "It was fine. The break was fine."
    parrot = scored("It was fine, the break was fine.", client=client, about=())
    assert parrot.criteria["reflection"].score <= 0.45


def test_padding_never_raises_the_score(scored):
    good = ("Eleven minutes, twice in a fortnight, and I started late without a word. That's "
            "on me. Can we work out together how I make the time up?")
    for tail in (" That makes sense. I hear you. What would be most useful for you?",
                 " Anyway, the weather has been lovely this week, hasn't it?",
                 " I notice something happening between us and your feelings are valid."):
        assert scored(good + tail).overall <= scored(good).overall + 0.01, tail


def _phone(text: str) -> str:
    return re.sub(r"[.,!?;:]", "", text).lower().replace("'", "")


@pytest.mark.parametrize("answer", [
    "I started late again, and I'm sorry. What was it like, waiting out there?",
    "You're right. I kept you waiting and didn't say so. Would you rather I take it off "
    "today's fee, or add the time on next week?",
    "I hear you, but the fee is going up for everyone.",
])
def test_typing_without_punctuation_or_apostrophes_changes_nothing(scored, answer):
    tidy, typed = scored(answer).measures(), scored(_phone(answer)).measures()
    assert tidy == typed


def test_a_repeated_answer_earns_credit_once(scored):
    answer = "I started late again and didn't say so; that's on me."
    first = scored(answer)
    again = scored(answer + " ", earlier=["Something else entirely.", answer])
    assert first.criteria["ownership"].score > 0
    assert again.repeats == 1
    assert all(item.score == 0.0 for item in again.criteria.values())
    assert again.flags["formulaic"].score == 1.0


def test_overall_rewards_the_needed_move_not_breadth(shipped):
    one_move = {"ownership": 0.9}
    breadth = {cid: 0.5 for cid in shipped.criterion_ids}
    needs = ("ownership",)
    assert shipped.overall(one_move, {}, needs) > shipped.overall(breadth, {}, needs)
    assert shipped.overall({"reflection": 0.9}, {}, needs) < 0.3  # not the move needed here


def test_a_flag_between_absent_and_present_shows_some_signs_never_praise(shipped):
    advice = shipped.item("advice")
    some = advice.shown(0.35, True)
    assert some.label == "Some signs of premature advice"
    assert some.feedback == advice.levels[1].feedback  # the advice, not "No premature advice"
    assert advice.shown(0.35, False) is None  # no words to show: nothing claimed either way
    assert advice.shown(0.1, True) is None
    assert advice.shown(0.7, True).label == "Present"
    assert shipped.item("reflection").shown(0.35, True).label == "Emerging"
