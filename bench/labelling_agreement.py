"""Agreement of the blind double labels in corpus/double/, and the adjudicated corpus labels.

    .venv/bin/python bench/labelling_agreement.py           # report
    .venv/bin/python bench/labelling_agreement.py --apply   # write adjudicated labels

The report gives, per rubric item, quadratic weighted kappa and exact agreement between the two
blind labellers, and between each of them and the writer. `--apply` writes the adjudicated
labels (simulator/scoring/double_labels.py, `adjudicate`) into corpus/batch-x.jsonl, changing
nothing else on any line. A report, not a test: tests/scoring/test_double_labels.py checks that
the corpus carries the adjudicated labels.
"""

from __future__ import annotations

import argparse
import json

from _common import table

from simulator.scoring.corpus import CORPUS_DIR
from simulator.scoring.double_labels import adjudicated, agreement, batches


def report() -> None:
    """Per batch and item: kappa between the blind labellers, and each with the writer."""
    found = batches()
    if not found:
        print("no double-labelled batches in corpus/double/")
        return
    everyone = {rater: {} for rater in ("writer", "labeller-1", "labeller-2")}
    for raters in found.values():
        for rater, labels in raters.items():
            everyone[rater].update(labels)
    print(f"double-labelled items: {len(everyone['labeller-1'])} "
          f"(batches {', '.join(found)})")
    blind = agreement(everyone["labeller-1"], everyone["labeller-2"])
    first = agreement(everyone["writer"], everyone["labeller-1"])
    second = agreement(everyone["writer"], everyone["labeller-2"])
    rows = [(b.item, b.n, b.kappa, f"{b.exact:.2f}", f.kappa, s.kappa)
            for b, f, s in zip(blind, first, second, strict=True)]
    print(table(("item", "n", "kw L1-L2", "exact L1-L2", "kw writer-L1", "kw writer-L2"), rows))


def apply() -> None:
    """Rewrite each double-labelled batch with its adjudicated labels."""
    for name, raters in batches().items():
        decided = adjudicated(raters)
        path = CORPUS_DIR / f"{name}.jsonl"
        lines, changed = [], 0
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] in decided and row["labels"] != decided[row["id"]]:
                row["labels"], changed = decided[row["id"]], changed + 1
            lines.append(json.dumps(row, ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.name}: {changed} items took adjudicated labels")


def main() -> None:
    """Report, and with --apply write the adjudicated labels."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apply", action="store_true", help="write adjudicated labels")
    args = parser.parse_args()
    report()
    if args.apply:
        apply()


if __name__ == "__main__":
    main()
