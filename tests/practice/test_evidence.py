"""Evidence quoted to a person is whole phrases, the same with or without punctuation."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.practice.evidence import MAX_WORDS, phrases, reasoned_spans
from simulator.scenarios.library import load_library
from simulator.scoring import score_response

RUBRIC = load_library(Path(__file__).resolve().parents[2] / "scenarios").rubrics["repair-core"]
TEXT = ("Joel, I can see I got that wrong and I'm sorry. It felt like I wasn't listening, "
        "so what has it been like in here for you?")


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _whole_words(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


@pytest.mark.parametrize("fragment", ["Joel", "wrong", "in here", "listen", "m sor"])
def test_a_fragment_becomes_its_whole_phrase(fragment):
    [phrase] = phrases(TEXT, [_span(TEXT, fragment)])
    assert fragment in phrase.text
    assert _whole_words(TEXT, phrase.start, phrase.end), phrase.text
    assert len(phrase.text.split()) >= 4
    assert len(phrase.text.split()) <= MAX_WORDS


def test_a_name_alone_reads_on_into_its_clause():
    [phrase] = phrases(TEXT, [_span(TEXT, "Joel")])
    assert phrase.text.startswith("Joel, I can see I got that wrong")


def test_the_phrase_stays_in_its_sentence_and_stops_at_a_comma():
    [phrase] = phrases(TEXT, [_span(TEXT, "in here")])
    assert phrase.text == "what has it been like in here for you"


def test_typing_without_punctuation_gives_the_same_words():
    bare = TEXT.replace(",", "").replace(".", "").replace("?", "").lower()
    for fragment in ("wrong", "in here"):
        [typed] = phrases(TEXT, [_span(TEXT, fragment)])
        [plain] = phrases(bare, [_span(bare, fragment.lower())])
        assert set(plain.text.split()) >= {w.strip(",.?").lower() for w in
                                           typed.text.split()[1:-1]}


def test_overlapping_phrases_are_merged():
    found = phrases(TEXT, [_span(TEXT, "got"), _span(TEXT, "wrong")])
    assert len(found) == 1


def test_every_credited_phrase_has_its_reason():
    client = "You keep cutting me off. What's the point of coming here?"
    response = ("You're right, I did cut you off just now and I'm sorry. It sounds like "
                "coming here has felt pointless when I don't let you finish.")
    result = score_response(client=client, response=response, rubric=RUBRIC)
    scores = result.to_json()
    for cid, item in result.criteria.items():
        scores["criteria"][cid]["level"] = item.level
        scores["criteria"][cid]["label"] = item.label
    credited = {cid for cid, item in result.criteria.items() if item.level >= 2 and item.evidence}
    assert credited, "this answer should earn credit somewhere"
    spans = reasoned_spans(response, scores, RUBRIC)
    assert spans
    for start, end, reason in spans:
        assert _whole_words(response, start, end)
        assert any(RUBRIC.item(cid).name in reason for cid in credited), reason


def test_nothing_credited_means_nothing_highlighted():
    scores = {"criteria": {"reflection": {"score": 0.1, "level": 0, "label": "Not yet",
                                          "evidence": [[0, 4]]}}}
    assert reasoned_spans("Okay then.", scores, RUBRIC) == []
