"""Normalisation: typos and missing apostrophes repaired, offsets kept for evidence spans."""

from __future__ import annotations

import pytest

from simulator.scoring.text import normalise


@pytest.mark.parametrize(("raw", "norm"), [
    ("I dont know", "i don't know"),
    ("your right, im sorry", "you're right, i'm sorry"),
    ("Your mum called", "your mum called"),
    ("you\u2019re RIGHT", "you're right"),
    ("thats ok", "that's okay"),
])
def test_common_typos_and_contractions_are_repaired(raw, norm):
    assert normalise(raw).norm == norm


def test_spans_map_back_to_the_original_words():
    raw = "ok so your right, i dont think i listened"
    utterance = normalise(raw)
    norm = utterance.norm
    start = norm.index("don't think")
    span = utterance.to_raw((start, start + len("don't think")))
    assert raw[span[0]:span[1]] == "dont think"
    start = norm.index("you're right")
    span = utterance.to_raw((start, start + len("you're right")))
    assert raw[span[0]:span[1]] == "your right"


def test_text_without_repairs_maps_one_to_one():
    utterance = normalise("What was that like?")
    assert utterance.segments == () and utterance.to_raw((5, 8)) == (5, 8)


def test_sentences_know_questions_even_without_a_question_mark():
    sentences = normalise("Okay. So how did that feel for you\nDo you want to stop").sentences
    assert [s.is_question for s in sentences] == [False, True, True]
    assert sentences[1].head[0] == "how"
