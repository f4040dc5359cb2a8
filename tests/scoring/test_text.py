"""Canonical text: how an answer is typed never changes what the detectors see."""

from __future__ import annotations

import pytest

from simulator.scoring.text import normalise


@pytest.mark.parametrize(("raw", "norm"), [
    ("I dont know", "i don't know"),
    ("your right, im sorry", "you're right i'm sorry"),
    ("Your mum called", "your mum called"),
    ("you\u2019re RIGHT", "you're right"),
    ("thats ok", "that's okay"),
    ("I am sorry, I do not think I listened", "i'm sorry i don't think i listened"),
    ("u r right i realized i was late", "you're right i realised i was late"),
    ("It is my behavior I apologize for", "it's my behaviour i apologise for"),
    ("idk what ur sayin", "i don't know what your sayin"),
])
def test_typos_contractions_and_spellings_have_one_canonical_form(raw, norm):
    assert normalise(raw).norm == norm


@pytest.mark.parametrize(("tidy", "typed"), [
    ("I rushed you. I'm sorry. What was that like for you?",
     "i rushed you im sorry what was that like for you"),
    ("Last week, I kept at you after you'd answered. That wasn't fair of me!",
     "last week i kept at you after youd answered that wasnt fair of me"),
    ("You're angry with me. Of course you are: I was late again.",
     "your angry with me of course you are i was late again"),
    ("I am sorry. You have waited all week for this.",
     "I'm sorry you've waited all week for this"),
])
def test_punctuation_case_and_contractions_give_the_same_text_and_sentences(tidy, typed):
    one, other = normalise(tidy), normalise(typed)
    assert one.norm == other.norm
    assert [s.text for s in one.sentences] == [s.text for s in other.sentences]


def test_sentences_are_inferred_from_the_words():
    sentences = normalise("i rushed you im sorry what was that like for you").sentences
    assert [s.text for s in sentences] == [
        "i rushed you", "i'm sorry", "what was that like for you"]
    assert [s.text for s in normalise("I'm sorry you waited so long").sentences] == [
        "i'm sorry you waited so long"]  # "sorry you..." is one sentence, not two


def test_spans_map_back_to_the_words_as_typed():
    raw = "ok so your right, i dont think i listened"
    utterance = normalise(raw)
    norm = utterance.norm
    start = norm.index("don't think")
    span = utterance.to_raw((start, start + len("don't think")))
    assert raw[span[0]:span[1]] == "dont think"
    start = norm.index("you're right")
    span = utterance.to_raw((start, start + len("you're right")))
    assert raw[span[0]:span[1]] == "your right"
    whole = utterance.to_raw((0, len(norm)))
    assert raw[whole[0]:whole[1]] == raw


def test_a_phrase_written_out_maps_back_to_all_of_its_words():
    raw = "Well, I am sorry."
    utterance = normalise(raw)
    assert utterance.norm == "well i'm sorry"
    span = utterance.to_raw((5, 8))  # "i'm"
    assert raw[span[0]:span[1]] == "I am"


def test_questions_are_known_by_their_words_not_by_a_question_mark():
    sentences = normalise("Okay. So how did that feel for you\nDo you want to stop").sentences
    assert [s.is_question for s in sentences] == [True, True]
    assert sentences[0].head[0] == "how"  # after the spoken fillers "okay", "so"
    asked, typed = normalise("What happened?").sentences, normalise("what happened").sentences
    assert asked[0].is_question and typed[0].is_question
    assert not normalise("What you said matters.").sentences[0].is_question
