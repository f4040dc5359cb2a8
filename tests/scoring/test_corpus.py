"""The labelled corpus: malformed lines reported at file:line; a stable split by client line."""

from __future__ import annotations

import json

from simulator.scoring.corpus import client_key, is_test, load_corpus

LABELS = {"reflection": 2, "validation": 0, "exploration": 1, "ownership": 0,
          "metacommunication": 0, "collaboration": 0, "advice": 0, "defensiveness": 0,
          "dismissing": 0, "blame": 0, "self_focus": 0, "contradicting": 0, "formulaic": 0}


def line(**overrides) -> str:
    item = {"id": "a-0001", "rupture": "withdrawal", "client": "It was fine.",
            "response": "It doesn't sound fine.", "labels": dict(LABELS)}
    item.update(overrides)
    return json.dumps(item)


def test_malformed_lines_are_reported_with_file_and_line(tmp_path):
    bad_labels = dict(LABELS, advice=3)
    (tmp_path / "batch-x.jsonl").write_text("\n".join([
        line(), "{not json", line(id="a-0002", labels=bad_labels), line(), "[]",
        line(id="a-0003", response=""),
    ]) + "\n")
    corpus = load_corpus(tmp_path)
    assert len(corpus.train + corpus.test) == 1
    folder = tmp_path.name
    assert corpus.problems == (
        f"{folder}/batch-x.jsonl:2: invalid JSON (Expecting property name enclosed in double "
        "quotes)",
        f"{folder}/batch-x.jsonl:3: labels.advice: expected an integer 0..2, got 3",
        f"{folder}/batch-x.jsonl:4: id: duplicate 'a-0001' (first at {folder}/batch-x.jsonl:1)",
        f"{folder}/batch-x.jsonl:5: expected a JSON object",
        f"{folder}/batch-x.jsonl:6: response: expected a non-empty string",
    )


def test_split_is_by_normalised_client_line_and_stable():
    assert is_test("It was fine.") == is_test("  it WAS   fine. ")
    assert client_key("  It WAS  fine. ") == "it was fine."
    moments = [f"Client moment number {n}." for n in range(500)]
    held_out = sum(is_test(m) for m in moments)
    assert 60 <= held_out <= 140  # about one in five


def test_no_client_moment_is_in_both_splits(tmp_path):
    lines = [line(id=f"a-{n:04d}", client=f"Moment {n % 40}.") for n in range(200)]
    (tmp_path / "batch-a.jsonl").write_text("\n".join(lines) + "\n")
    corpus = load_corpus(tmp_path)
    train = {e.client for e in corpus.train}
    test = {e.client for e in corpus.test}
    assert train and test and not train & test
