"""The safety layer in adversarial pairs: `safety` moves with a plain, direct check at a risk
cue, not with the words around it; a direct question never lowers the rest of the answer;
signposting at a risk cue is not advice; boundaries crossed are flagged, refusals are not.

The shipped rubric and scorer, as a trainee meets them (docs/scoring.md, "Safety and
boundaries").
"""

from __future__ import annotations

import pytest

from simulator.cli.score_command import load_rubric
from simulator.scoring import score_response
from simulator.scoring.safety_check import DIRECT_QUESTIONS

WAKE = ("Honestly, it'd be easier for everyone if I just didn't wake up one morning. Anyway. "
        "It's fine. You don't need to worry about it.")
WAKE_ABOUT = ("easier for everyone", "didn't wake up")
SON = ("I grabbed him by the arm and I hit him. Harder than I meant. So go on, tell me what "
       "kind of father does that.")
SON_ABOUT = ("hit him", "grabbed his arm", "what kind of father")
REFLECTION = ("It sounds like you've been carrying this on your own, feeling that the people "
              "around you would be easier without you having to be here.")


@pytest.fixture(scope="module")
def shipped():
    return load_rubric("repair-core")


@pytest.fixture
def scored(shipped):
    def run(response, client=WAKE, about=WAKE_ABOUT, risk=("suicidal-ideation",), **kw):
        return score_response(client=client, response=response, rubric=shipped, about=about,
                              risk=risk, **kw)
    return run


def test_a_plain_direct_question_beats_a_euphemism(scored):
    direct = scored("When you say it'd be easier if you didn't wake up, I want to ask you "
                    "directly: are you having thoughts of ending your life?")
    euphemism = scored("You're not thinking of doing anything silly, are you?")
    assert direct.criteria["safety"].score >= 0.55 > euphemism.criteria["safety"].score
    assert euphemism.criteria["safety"].score > 0  # it tried: not "passed over"
    assert direct.flags["safety_missed"].score == 0 == euphemism.flags["safety_missed"].score


def test_leading_no_expected_form_is_indirect_even_with_the_word(scored):
    leading = scored("You're not having thoughts of suicide, are you?")
    plain = scored("Are you having thoughts of suicide?")
    assert leading.criteria["safety"].score < 0.55 <= plain.criteria["safety"].score


def test_typing_without_punctuation_changes_nothing(scored):
    typed = ("When you say it'd be easier if you didn't wake up, I want to ask you directly: "
             "are you having thoughts of ending your life?")
    bare = typed.replace(",", "").replace(":", "").replace("?", "").replace("'", "").lower()
    assert scored(typed).criteria["safety"].score == scored(bare).criteria["safety"].score
    assert abs(scored(typed).overall - scored(bare).overall) < 0.05


def test_a_cue_blind_answer_is_flagged_and_scores_below_the_same_answer_that_asks(scored):
    blind = scored(REFLECTION)
    asked = scored(f"{REFLECTION} {DIRECT_QUESTIONS['suicidal-ideation']}")
    assert blind.flags["safety_missed"].score >= 0.5
    assert asked.flags["safety_missed"].score == 0
    assert asked.overall > blind.overall
    # the rupture work is judged on the same words with or without the question
    for cid in ("reflection", "validation", "exploration", "metacommunication"):
        assert asked.criteria[cid].score == pytest.approx(blind.criteria[cid].score, abs=0.02)


def test_taking_up_the_clients_words_and_going_on_reaches_strong(scored):
    bare = scored("Are you having thoughts of suicide?")
    stays = scored("When you say it would be easier for everyone if you didn't wake up, are you "
                   "having thoughts of killing yourself, and are they there right now?")
    assert stays.criteria["safety"].score >= 0.8 > bare.criteria["safety"].score


def test_signposting_at_a_risk_cue_is_not_advice_but_is_not_a_check_either(scored, shipped):
    signpost = "If it ever gets like that you can ring the Samaritans on 116 123, day or night."
    at_risk = scored(signpost)
    assert at_risk.flags["advice"].score < 0.5
    assert 0 < at_risk.criteria["safety"].score < 0.55  # signposting instead of asking
    asked = scored(f"Are you having thoughts of ending your life? {signpost}")
    assert asked.criteria["safety"].score >= 0.55 and asked.flags["advice"].score < 0.5


def test_safety_is_not_judged_without_a_risk_cue(scored):
    anywhere = scored("Are you having thoughts of ending your life?", risk=())
    assert anywhere.criteria["safety"].score == 0
    assert anywhere.flags["safety_missed"].score == 0
    blind = scored(REFLECTION, risk=())
    assert blind.flags["safety_missed"].score == 0


def test_a_safeguarding_check_asks_about_the_child_and_is_honest_about_sharing(scored):
    kw = {"client": SON, "about": SON_ABOUT, "risk": ("child-safeguarding",)}
    blind = scored("It took courage to tell me that, and I'm still here with you.", **kw)
    asks = scored("It took courage to tell me that. Did he get hurt, and is he safe now?", **kw)
    honest = scored("It took courage to tell me that. Did he get hurt, and is he safe now? "
                    "I need to be honest that when a child may be at risk I have to share it "
                    "with our safeguarding lead, and I'd like us to think about that together.",
                    **kw)
    assert blind.flags["safety_missed"].score >= 0.5
    assert asks.criteria["safety"].score >= 0.55
    assert honest.criteria["safety"].score > asks.criteria["safety"].score


@pytest.mark.parametrize("crossing", [
    "Here's my personal number, text me any time you feel like this.",
    "I'd love to grab a coffee with you once we've finished.",
    "I'll gladly accept your gift, thank you so much.",
])
def test_a_boundary_crossed_is_flagged(scored, crossing):
    result = scored(crossing, risk=())
    assert result.flags["boundary_violation"].score >= 0.5
    assert result.flags["boundary_violation"].evidence


def test_promising_to_keep_a_risk_secret_is_a_crossing_but_ordinary_confidentiality_is_not(
        scored):
    promise = "I won't tell anyone, I promise, it stays between us."
    assert scored(promise).flags["boundary_violation"].score >= 0.5  # at the risk cue
    ordinary = "I won't tell your manager what you say in here; all I send is whether you came."
    assert scored(ordinary, risk=()).flags["boundary_violation"].score == 0


def test_an_authors_indicator_for_a_crossing_at_this_moment_flags_it(scored):
    sign = "You're right, being sent is humiliating. I'll sign it. What would you like to do?"
    assert scored(sign, risk=()).flags["boundary_violation"].score == 0
    flagged = scored(sign, risk=(), indicators={"boundary_violation": [r"\bI'll sign it\b"]})
    assert flagged.flags["boundary_violation"].score >= 0.5


@pytest.mark.parametrize("holding", [
    "I can't give you my personal number, and I can hear how much you want a way to reach me.",
    "I can't promise I won't tell anyone if you're in danger; I'd rather be honest with you now.",
    "I'm not going to keep this between us, because your safety matters more than my promise.",
    "It sounds like it matters a lot that someone would keep this between you and them.",
])
def test_holding_the_boundary_or_reflecting_the_wish_is_not_flagged(scored, holding):
    assert scored(holding).flags["boundary_violation"].score == 0


def test_quoting_the_clients_not_is_not_a_leading_question(scored):
    quoted = scored("When you say it's better you're not here at all, are you having thoughts "
                    "of killing yourself?")
    tagged = scored("You're not thinking of killing yourself, are you?")
    assert quoted.criteria["safety"].score >= 0.55 > tagged.criteria["safety"].score


def test_refusing_to_give_a_number_is_not_giving_it(scored):
    assert scored("I won't give you my number.", risk=()).flags["boundary_violation"].score == 0
    assert scored("Here's my number.", risk=()).flags["boundary_violation"].score >= 0.5
