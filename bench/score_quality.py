"""Scorer quality: per-item AUROC and Spearman on the corpus test split, and on AnnoMI if present.

    .venv/bin/python bench/score_quality.py [--annomi PATH]

A benchmark, not a test: it reports and never asserts. The AnnoMI file is only read here, never
trained on or copied.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from _common import machine, rubric, table

from simulator.scoring import score_response
from simulator.scoring.corpus import CRITERIA, FLAGS, load_corpus
from simulator.scoring.detectors import Context
from simulator.scoring.features import detect, extract
from simulator.scoring.metrics import auroc, spearman
from simulator.scoring.model import load_model
from simulator.scoring.text import normalise
from simulator.scoring.train import positive

ANNOMI = Path("/work/shared/data/annomi-dev.csv")
# (our item, AnnoMI label column)
ANNOMI_PAIRS = (("reflection", "reflection"), ("exploration", "open_question"),
                ("advice", "advice"))
_TEXT_COLUMNS = ("therapist_utterance", "utterance_text", "therapist", "therapist_text", "text",
                 "utterance", "response")
_TRUE = {"1", "true", "yes", "y", "t", "1.0"}


def corpus_report() -> None:
    """Per-item AUROC (criteria: label >= 2; flags: label >= 1) and Spearman on the test split."""
    corpus = load_corpus()
    if not corpus.test:
        print("corpus: skipped: no test examples in corpus/*.jsonl")
        return
    shipped = rubric()
    results = [score_response(client=e.client, response=e.response, rubric=shipped,
                              about=e.about) for e in corpus.test]
    rows = []
    for item in CRITERIA + FLAGS:
        scores = [r.measures()[item] for r in results]
        labels = [e.labels[item] for e in corpus.test]
        positives = [positive(item, label) for label in labels]
        rows.append((item, sum(positives), auroc(scores, positives), spearman(scores, labels)))
    print(f"corpus test split: {len(corpus.test)} responses, "
          f"{len({e.client for e in corpus.test})} client moments "
          f"(weights sha256 {load_model().checksum[:12]})")
    print(table(("item", "positives", "AUROC", "Spearman"), rows))


def _annomi_rows(path: Path) -> tuple[list[dict], str]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        text = next((c for c in _TEXT_COLUMNS if c in columns), None)
        missing = [c for c in ("client_before", *(col for _, col in ANNOMI_PAIRS))
                   if c not in columns]
        if text is None or missing:
            return [], f"columns not recognised (have: {', '.join(columns)})"
        rows = [row for row in reader
                if row.get("interlocutor", "therapist").strip().lower() == "therapist"]
    for row in rows:
        row["_text"] = row[text]
    return rows, ""


def annomi_report(path: Path) -> None:
    """AUROC of our scores against AnnoMI's therapist-utterance labels."""
    if not path.is_file():
        print(f"annomi: skipped: not found ({path})")
        return
    rows, problem = _annomi_rows(path)
    if problem:
        print(f"annomi: skipped: {problem}")
        return
    shipped = rubric()
    measures = [score_response(client=row["client_before"] or "", response=row["_text"] or "",
                               rubric=shipped).measures() for row in rows]
    table_rows = []
    for item, column in ANNOMI_PAIRS:
        labels = [row[column].strip().lower() in _TRUE for row in rows]
        table_rows.append((f"{item} vs {column}", sum(labels),
                           auroc([m[item] for m in measures], labels)))
    print(f"AnnoMI ({path.name}): {len(rows)} therapist utterances")
    print(table(("score vs label", "positives", "AUROC"), table_rows))


def diagnose(path: Path) -> None:
    """Per-feature AUROC against each AnnoMI label: which signals carry over (numbers only)."""
    rows, problem = _annomi_rows(path) if path.is_file() else ([], "not found")
    if problem:
        print(f"annomi diagnose: skipped: {problem}")
        return
    vectors = []
    for row in rows:
        ctx = Context(normalise(row["_text"] or ""), normalise(row["client_before"] or ""))
        vectors.append(extract(ctx, detect(ctx))[0])
    names = sorted({name for vector in vectors for name in vector})
    model = load_model()
    for item, column in ANNOMI_PAIRS:
        labels = [row[column].strip().lower() in _TRUE for row in rows]
        raw = [model.items[item].probability(0.0, model.items[item].contributions(v))
               for v in vectors]
        print(f"\n{item}: model probability before the evidence rule: AUROC "
              f"{auroc(raw, labels):.3f}")
        found = [(name, sum(1 for v in vectors if name in v),
                  auroc([v.get(name, 0.0) for v in vectors], labels)) for name in names]
        found.sort(key=lambda f: -abs((f[2] or 0.5) - 0.5))
        print(f"\n{column}: features by distance of AUROC from 0.5")
        print(table(("feature", "fires", "AUROC"), found[:40]))


def main() -> None:
    """Print both reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annomi", type=Path, default=ANNOMI)
    parser.add_argument("--diagnose", action="store_true",
                        help="also print per-feature AUROC on AnnoMI")
    args = parser.parse_args()
    print(f"machine: {machine()}\n")
    corpus_report()
    print()
    annomi_report(args.annomi)
    if args.diagnose:
        diagnose(args.annomi)


if __name__ == "__main__":
    main()
