"""Double labelling: agreement between two blind labellers, and the adjudicated labels.

`corpus/double/` holds, for each double-labelled batch, the writer's original labels
(`batch-x.writer.jsonl`) and two blind labellers' (`batch-x.labeller-1.jsonl`,
`batch-x.labeller-2.jsonl`), each `{"id", "labels"}` per line. The labellers saw only
docs/labelling.md and the unlabelled items. The batch itself (`corpus/batch-x.jsonl`) carries
the adjudicated labels, by the rule in `adjudicate` (docs/labelling.md section 9).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from simulator.scoring.corpus import CORPUS_DIR, MAX_LABEL
from simulator.scoring.metrics import quadratic_weighted_kappa

DOUBLE_DIR = CORPUS_DIR / "double"
RATERS = ("writer", "labeller-1", "labeller-2")
Labels = dict[str, dict[str, int]]  # item id -> rubric item -> label


def read_labels(path: Path) -> Labels:
    """{id: labels} from one rater's file (ValueError naming file:line for a bad line)."""
    found: Labels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
            labels = {item: int(row["labels"][item]) for item in MAX_LABEL}
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name}:{number}: {type(exc).__name__}: {exc}") from exc
        found[row["id"]] = labels
    return found


def batches(folder: Path = DOUBLE_DIR) -> dict[str, dict[str, Labels]]:
    """batch name -> rater -> labels, for every batch with all three raters' files."""
    found: dict[str, dict[str, Labels]] = {}
    for path in sorted(folder.glob("*.writer.jsonl")):
        batch = path.name.removesuffix(".writer.jsonl")
        files = {rater: folder / f"{batch}.{rater}.jsonl" for rater in RATERS}
        if all(f.is_file() for f in files.values()):
            found[batch] = {rater: read_labels(f) for rater, f in files.items()}
    return found


def adjudicate(writer: int, first: int, second: int) -> int:
    """The two blind labels when they agree; otherwise the writer's label when it sides with
    one of them; otherwise (all three differ) the middle one."""
    if first == second:
        return first
    if writer in (first, second):
        return writer
    return sorted((writer, first, second))[1]


def adjudicated(raters: Mapping[str, Labels]) -> Labels:
    """The adjudicated labels of every item the three raters share."""
    ids = raters["writer"].keys() & raters["labeller-1"].keys() & raters["labeller-2"].keys()
    return {i: {item: adjudicate(raters["writer"][i][item], raters["labeller-1"][i][item],
                                 raters["labeller-2"][i][item]) for item in MAX_LABEL}
            for i in sorted(ids)}


@dataclass(frozen=True)
class Agreement:
    """Quadratic weighted kappa for one rubric item between two raters (None if undefined)."""

    item: str
    n: int
    kappa: float | None
    exact: float  # share of items with the same label


def agreement(first: Labels, second: Labels) -> list[Agreement]:
    """Per rubric item, how far two raters agree on the items both labelled."""
    ids = sorted(first.keys() & second.keys())
    rows = []
    for item, top in MAX_LABEL.items():
        pairs = [(first[i][item], second[i][item]) for i in ids]
        exact = sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0
        rows.append(Agreement(item, len(pairs),
                              quadratic_weighted_kappa(pairs, list(range(top + 1))), exact))
    return rows
