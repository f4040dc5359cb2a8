"""Double labelling: the adjudication rule, and a corpus that carries the adjudicated labels."""

from __future__ import annotations

import json

import pytest

from simulator.scoring.corpus import CORPUS_DIR, MAX_LABEL
from simulator.scoring.double_labels import adjudicate, adjudicated, agreement, batches


@pytest.mark.parametrize(("writer", "first", "second", "decided"), [
    (0, 2, 2, 2),  # the blind labellers agree: their label, whatever the writer said
    (1, 1, 3, 1),  # they differ: the writer sides with one of them
    (3, 1, 3, 3),
    (0, 1, 3, 1),  # all three differ: the middle one
    (3, 0, 2, 2),
])
def test_adjudication_rule(writer, first, second, decided):
    assert adjudicate(writer, first, second) == decided


def test_agreement_is_perfect_for_identical_labels_and_lower_for_disagreement():
    same = {"a": dict.fromkeys(MAX_LABEL, 0) | {"reflection": 2},
            "b": dict.fromkeys(MAX_LABEL, 0) | {"reflection": 0}}
    other = {"a": same["a"], "b": same["b"] | {"reflection": 3}}
    rows = {row.item: row for row in agreement(same, same)}
    assert rows["reflection"].kappa == pytest.approx(1.0) and rows["reflection"].exact == 1.0
    assert rows["advice"].kappa is None  # every label 0 on both sides: kappa is undefined
    worse = {row.item: row for row in agreement(same, other)}
    assert worse["reflection"].kappa < 1.0 and worse["reflection"].exact == 0.5


def test_the_shipped_double_labels_cover_at_least_400_items():
    found = batches()
    blind = sum(len(raters["labeller-1"].keys() & raters["labeller-2"].keys())
                for raters in found.values())
    assert blind >= 400, f"{blind} items double-labelled in corpus/double/"


def test_double_labelled_batches_carry_the_adjudicated_labels():
    for name, raters in batches().items():
        decided = adjudicated(raters)
        lines = (CORPUS_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        shipped = {row["id"]: row["labels"] for row in map(json.loads, lines)}
        wrong = [i for i in decided if shipped.get(i) != decided[i]]
        assert not wrong, f"{name}: run bench/labelling_agreement.py --apply ({wrong[:5]})"
