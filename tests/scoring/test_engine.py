"""score_response: the contract others depend on, and the micro-skills it must tell apart."""

from __future__ import annotations

import pytest

from simulator.scoring import ItemScore, ScoreResult, score_response
from tests.scoring.conftest import CRITERIA, FLAGS, make_item, make_rubric

CLIENT = "You cancelled twice this month. Do you even want to see me?"
REFLECTION = "It sounds like you've been feeling let down and pretty alone since the break."
ADVICE = "You should try writing your feelings down in a journal every night."


def test_same_input_gives_the_same_result(score):
    first = score(REFLECTION, client=CLIENT)
    assert all(score(REFLECTION, client=CLIENT) == first for _ in range(3))


def test_result_covers_every_rubric_item_with_scores_in_range(score):
    result = score("I hear you, but have you tried going for a walk? It's not that bad.")
    assert isinstance(result, ScoreResult)
    assert tuple(result.criteria) == CRITERIA and tuple(result.flags) == FLAGS
    for item in (*result.criteria.values(), *result.flags.values()):
        assert isinstance(item, ItemScore)
        assert 0.0 <= item.score <= 1.0 and item.score == round(item.score, 4)
    assert 0.0 <= result.overall <= 1.0 and 0.0 <= result.confidence <= 1.0
    assert set(result.measures()) == {*CRITERIA, *FLAGS, "overall", "flagged"}
    assert result.measures()["flagged"] == max(item.score for item in result.flags.values())


def test_level_label_and_feedback_come_from_the_rubric(score, rubric):
    result = score(REFLECTION, client=CLIENT)
    for item_id, item in {**result.criteria, **result.flags}.items():
        level = rubric.item(item_id).level_for(item.score)
        assert (item.level, item.label, item.feedback) == (level.level, level.label,
                                                          level.feedback)


def test_overall_uses_the_rubric_rule(score, rubric):
    result = score("I'm sorry, I pushed you too hard. Would it help if we slowed down?")
    expected = rubric.overall({k: v.score for k, v in result.criteria.items()},
                              {k: v.score for k, v in result.flags.items()})
    assert result.overall == expected


def test_every_non_zero_score_shows_evidence_inside_the_response(score):
    text = "I hear you, but I was only trying to help. What was that like for you?"
    result = score(text)
    for item in (*result.criteria.values(), *result.flags.values()):
        assert (item.score > 0) == bool(item.evidence)
        assert list(item.evidence) == sorted(item.evidence)
        for (_, end), (next_start, _) in zip(item.evidence, item.evidence[1:], strict=False):
            assert end < next_start  # merged: no overlaps, no touching spans
        assert all(0 <= start < end <= len(text) for start, end in item.evidence)


@pytest.mark.parametrize(("item", "response", "quote"), [
    ("reflection", "It sounds like you felt dropped.", "It sounds like"),
    ("advice", "Maybe you should call her tonight.", "you should"),
    ("defensiveness", "I hear you, but I was only trying to help.", "I was only trying"),
    ("dismissing", "Don't worry, it's not that bad.", "Don't worry"),
    ("ownership", "I got your sister's name wrong. I'm sorry.", "I got your sister's name wrong"),
    ("metacommunication", "What's happening between us right now?", "between us"),
])
def test_evidence_spans_quote_the_words_that_show_the_skill(score, item, response, quote):
    result = score(response)
    quotes = {**result.criteria, **result.flags}[item].quotes(response)
    assert any(quote in q for q in quotes), quotes


def test_spans_point_into_the_raw_text_after_typo_repair(score):
    response = "ok so your right, i dont think i listened. im sorry"
    result = score(response)
    for start, end in result.criteria["ownership"].evidence:
        assert response[start:end].strip() == response[start:end]
    assert any("listened" in q for q in result.criteria["ownership"].quotes(response))


def test_a_clear_reflection_outscores_advice_on_reflection_and_vice_versa(score):
    reflection, advice = score(REFLECTION, client=CLIENT), score(ADVICE, client=CLIENT)
    assert reflection.criteria["reflection"].score > advice.criteria["reflection"].score + 0.3
    assert advice.flags["advice"].score > reflection.flags["advice"].score + 0.3
    assert reflection.overall > advice.overall


def test_negated_judgement_is_not_blame(score):
    kind = score("I don't think you're being difficult at all.")
    unkind = score("You're being difficult.")
    assert kind.flags["blame"].score < 0.3 < unkind.flags["blame"].score


def test_im_not_saying_you_should_is_still_advice_when_it_then_advises(score):
    result = score("I'm not saying you should quit, but maybe try cutting down a bit?")
    assert result.flags["advice"].score >= 0.5


def test_questions_that_are_really_advice_count_as_advice_not_exploration(score):
    for text in ("Have you tried talking to her?", "What if you just told him?",
                 "Could you maybe try going to bed earlier?"):
        result = score(text)
        assert result.flags["advice"].score >= 0.5, text
        assert result.criteria["exploration"].score < 0.3, text


def test_an_open_question_explores_more_than_a_closed_one(score):
    open_q = score("What was it like for you when I cancelled?", client=CLIENT)
    closed_q = score("Did you go to work on Monday?", client=CLIENT)
    assert open_q.criteria["exploration"].score > closed_q.criteria["exploration"].score
    assert open_q.criteria["exploration"].score >= 0.55


@pytest.mark.parametrize("text", [
    "I hear you, but I was only trying to help.",
    "I understand, however I was only following the plan we agreed.",
])
def test_polite_defensiveness_is_still_defensiveness(score, text):
    result = score(text, client=CLIENT)
    assert result.flags["defensiveness"].score >= 0.5
    assert result.criteria["reflection"].score < 0.55


def test_owning_a_mistake_is_ownership_but_sorry_you_feel_that_way_is_not(score):
    owned = score("You're right. I cancelled twice, and that was my mistake. I'm sorry.",
                  client=CLIENT)
    deflected = score("I'm sorry you feel that way.", client=CLIENT)
    assert owned.criteria["ownership"].score >= 0.55
    assert deflected.criteria["ownership"].score < 0.3
    assert owned.criteria["ownership"].score > deflected.criteria["ownership"].score + 0.4


def test_self_focus_and_dismissing_are_flagged(score):
    assert score("Honestly that hurts my feelings, I've had a long day too.").flags[
        "self_focus"].score >= 0.5
    assert score("At least you came today. Everyone feels like that.").flags[
        "dismissing"].score >= 0.5


def test_indicators_add_evidence_for_their_item(score):
    response = "I know the rescheduling has been hard on you."
    plain = score(response, client=CLIENT)
    hinted = score(response, client=CLIENT, indicators={"ownership": [r"\bresched\w*"]})
    assert hinted.criteria["ownership"].score > plain.criteria["ownership"].score
    assert "rescheduling" in hinted.criteria["ownership"].quotes(response)


def test_exemplars_never_match_themselves(score):
    strong = "It sounds like my cancelling left you wondering whether I care."
    weak = "I was only off sick, it wasn't personal."
    alone = score(strong, client=CLIENT, exemplars={"strong": [strong], "weak": [weak]})
    without = score(strong, client=CLIENT)
    assert alone == without  # the only strong exemplar is the response itself: no comparison


def test_exemplar_similarity_moves_scores_in_the_right_direction(score):
    exemplars = {"strong": ["It sounds like my cancelling left you wondering if I care."],
                 "weak": ["I was only off sick, it wasn't personal, so don't worry."]}
    near_strong = "Sounds like the cancelling left you wondering if I care at all."
    near_weak = "I was just off sick, it wasn't personal, don't worry."
    good = score(near_strong, client=CLIENT, exemplars=exemplars)
    bad = score(near_weak, client=CLIENT, exemplars=exemplars)
    assert good.overall > bad.overall


def test_an_item_the_model_does_not_know_is_scored_from_indicators(rubric):
    extra = make_rubric(criteria=rubric.criteria + (make_item("humour", "criterion"),))
    result = score_response(client="", response="Ha, that's a good one.", rubric=extra,
                            indicators={"humour": [r"\bha\b"]})
    assert result.criteria["humour"].score > 0 and result.criteria["humour"].evidence == ((0, 2),)
    silent = score_response(client="", response="Okay.", rubric=extra)
    assert silent.criteria["humour"].score == 0.0


def test_to_json_has_the_cli_shape(score):
    shaped = score(REFLECTION, client=CLIENT).to_json()
    assert set(shaped) == {"criteria", "flags", "overall", "confidence"}
    assert set(shaped["criteria"]["reflection"]) == {"score", "level", "evidence"}
    assert set(shaped["flags"]["advice"]) == {"score", "evidence"}
    assert all(isinstance(pair, list) and len(pair) == 2
               for pair in shaped["criteria"]["reflection"]["evidence"])


def test_confidence_is_lower_for_a_one_word_answer(score):
    assert score("Okay.").confidence < score(REFLECTION, client=CLIENT).confidence


def test_reporting_the_clients_own_should_is_reflection_not_advice(score):
    reported = score("You feel you should be over it by now.", client="It's been a year.")
    told = score("You should be over it by now.", client="It's been a year.")
    assert reported.flags["advice"].score < 0.3 < told.flags["advice"].score
    assert reported.criteria["reflection"].score > told.criteria["reflection"].score


def test_the_scorer_never_imports_the_web_layer():
    import subprocess
    import sys

    code = ("import sys, simulator.scoring; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'sqlmodel') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
