"""Scorer robustness: adversarial contrast pairs, paste-anywhere templates, typing variants.

    .venv/bin/python bench/score_robustness.py

- contrast pairs (bench/data/contrast_pairs.jsonl, written for this benchmark and never used to
  build or tune the scorer): share of pairs whose better answer scores the higher overall, per
  family;
- templates (tests/scoring/gaming/templates.yaml): mean and highest overall when each is pasted
  after every client node of every shipped scenario, and after every client line of the corpus
  test split;
- typing variants of the corpus test split's responses (no punctuation, lower case, no
  apostrophes, American spellings, contractions written out, phone shorthand and typos): mean
  absolute change of overall, and the share of responses where some item moves more than 0.05.
A benchmark, not a test: it reports and never asserts.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from pathlib import Path

import yaml
from _common import machine, rubric, table

from simulator.resources import scenarios_dir
from simulator.scenarios.library import load_library
from simulator.scoring import score_response
from simulator.scoring.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "bench" / "data" / "contrast_pairs.jsonl"
TEMPLATES = ROOT / "tests" / "scoring" / "gaming" / "templates.yaml"
_AMERICAN = {"realise": "realize", "apologise": "apologize", "recognise": "recognize",
             "behaviour": "behavior", "colour": "color", "judgement": "judgment",
             "cancelled": "canceled", "mum": "mom", "counselling": "counseling",
             "practise": "practice", "realised": "realized", "apologised": "apologized"}
_EXPANDED = {"i'm": "i am", "you're": "you are", "don't": "do not", "didn't": "did not",
             "it's": "it is", "that's": "that is", "i've": "i have", "can't": "cannot",
             "isn't": "is not", "wasn't": "was not", "we're": "we are", "you've": "you have"}
_PHONE = {"you": "u", "your": "ur", "because": "cos", "really": "rly", "sorry": "sry",
          "about": "abt", "please": "pls", "okay": "ok", "something": "somthing"}


def _swap(text: str, table_: dict[str, str]) -> str:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, table_)) + r")\b", re.IGNORECASE)
    return pattern.sub(lambda m: table_[m.group().lower()], text)


VARIANTS = {
    "no punctuation": lambda t: re.sub(r"[.,!?;:]", "", t),
    "lower case": str.lower,
    "no apostrophes": lambda t: t.replace("'", "").replace("\u2019", ""),
    "American spelling": lambda t: _swap(t, _AMERICAN),
    "contractions written out": lambda t: _swap(t, _EXPANDED),
    "phone shorthand": lambda t: _swap(re.sub(r"[.,!?;:']", "", t.lower()), _PHONE),
}


def pairs_report(shipped) -> None:
    """Pairwise ordering per family on the held-out contrast pairs."""
    if not PAIRS.is_file():
        print(f"contrast pairs: skipped: {PAIRS} not found")
        return
    found: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        better, worse = (score_response(client=pair["client"], response=pair[side],
                                        rubric=shipped, about=pair.get("about", ()),
                                        needs=pair.get("needs")).overall
                         for side in ("better", "worse"))
        found[pair["family"]].append((better, worse))
    rows = []
    for family, scores in sorted(found.items()):
        # padding asks only that the tail never raises the score: a tie is right there
        right = [b > w or (family == "padding" and b == w) for b, w in scores]
        rows.append((family, len(scores), sum(right) / len(right),
                     sum(b == w for b, w in scores), statistics.mean(b - w for b, w in scores)))
    print(f"contrast pairs ({PAIRS.name}): share ordered right (padding: never raised); "
          "target >= 0.95 in every family")
    print(table(("family", "pairs", "ordered right", "ties", "mean margin"), rows))


def templates_report(shipped) -> None:
    """Overall of paste-anywhere templates after every scenario moment and corpus line."""
    texts = [t["text"] for t in yaml.safe_load(TEMPLATES.read_text())["templates"]]
    library = load_library(scenarios_dir())
    at_nodes = [score_response(client=node.say, response=text, rubric=scenario.rubric,
                               **scenario.moment_of(node)).overall
                for scenario in library.scenarios.values()
                for node in scenario.client_nodes.values() for text in texts]
    clients = sorted({e.client for e in load_corpus().test})
    at_lines = [score_response(client=c, response=text, rubric=shipped).overall
                for c in clients for text in texts]
    print(f"\ntemplates ({len(texts)}): overall when pasted anywhere; target mean <= 0.2")
    print(table(("pasted after", "answers", "mean", "highest"), [
        ("every shipped scenario node", len(at_nodes), statistics.mean(at_nodes), max(at_nodes)),
        ("every corpus test client line", len(at_lines), statistics.mean(at_lines),
         max(at_lines))]))


def typing_report(shipped) -> None:
    """How far typing variants move the scores of the corpus test split."""
    test = load_corpus().test
    base = [score_response(client=e.client, response=e.response, rubric=shipped,
                           about=e.about).measures() for e in test]
    rows = []
    for name, change in VARIANTS.items():
        moved, worst = [], []
        for example, before in zip(test, base, strict=True):
            after = score_response(client=example.client, response=change(example.response),
                                   rubric=shipped, about=example.about).measures()
            moved.append(abs(after["overall"] - before["overall"]))
            worst.append(max(abs(after[k] - before[k]) for k in before))
        rows.append((name, statistics.mean(moved), max(moved),
                     sum(w > 0.05 for w in worst) / len(worst)))
    print(f"\ntyping variants of the corpus test split ({len(test)} responses); "
          "target mean |change of overall| <= 0.03")
    print(table(("variant", "mean |d overall|", "max |d overall|",
                 "share with an item moved > 0.05"), rows))


def main() -> None:
    """Print the three reports."""
    print(f"machine: {machine()}\n")
    shipped = rubric()
    pairs_report(shipped)
    templates_report(shipped)
    typing_report(shipped)


if __name__ == "__main__":
    main()
