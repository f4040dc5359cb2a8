"""Fit the per-item logistic models on the corpus train split: python -m simulator.scoring.train.

Deterministic (fixed folds, Newton's method, no randomness); writes simulator/scoring/weights.json.
The test split is never read here.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

# One BLAS thread: sums split across threads differ in the last digits from run to run, and the
# weights must not (tests/scoring/test_train.py retrains in a fresh process and compares bytes).
# Set before numpy loads its BLAS; `python -m simulator.scoring.train` is such a process.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import numpy as np

from simulator.scoring.corpus import (
    CRITERIA,
    FLAGS,
    RULE_FLAGS,
    Example,
    client_key,
    load_corpus,
)
from simulator.scoring.detectors import Context
from simulator.scoring.features import detect, extract
from simulator.scoring.lexicon import FAMILY_OF, STOPWORDS
from simulator.scoring.metrics import auroc
from simulator.scoring.model import WEIGHTS_PATH, WEIGHTS_VERSION
from simulator.scoring.text import normalise

LAMBDAS = (0.1, 0.3, 1.0, 3.0, 10.0)
# Length says more about how our corpus was written (strong answers ran long) than about skill,
# and would mark down a short, pointed repair move.
EXCLUDED_FEATURES = frozenset({"shape:length", "shape:short"})
FOLDS = 5
ITEMS = CRITERIA + tuple(f for f in FLAGS if f not in RULE_FLAGS)  # the rule flags are not fit
Row = tuple[dict[str, float], Example, float]  # features, example, sample weight


def positive(item: str, label: int) -> bool:
    """The benchmark's notion of a positive: criteria at 'clear' or above, any flag at all."""
    return label >= (2 if item in CRITERIA else 1)


def _quality(example: Example) -> float:
    best = sorted((example.target(c) for c in CRITERIA), reverse=True)[:3]
    return sum(best) / 3 - 0.3 * sum(example.target(f) for f in ITEMS if f in FLAGS)


def simulated_exemplars(example: Example, moment: list[Example]) -> dict | None:
    """Stand-in node exemplars: the best and worst other responses to the same client line."""
    others = sorted((e for e in moment if e.id != example.id), key=lambda e: (_quality(e), e.id))
    if len(others) < 2 or _quality(others[-1]) <= _quality(others[0]):
        return None
    return {"strong": [others[-1].response], "weak": [others[0].response]}


GENERIC_SHARE = 0.1  # a word in answers to this share of the training moments fits any moment


def generic_words(examples: tuple[Example, ...]) -> frozenset[str]:
    """Words trainees use in answers to at least GENERIC_SHARE of the distinct client moments
    (feeling words excepted: naming a feeling is checked against what the client showed)."""
    moments: dict[str, set[str]] = defaultdict(set)
    for example in examples:
        for word in set(normalise(example.response).words):
            if len(word) > 2 and word not in STOPWORDS and word not in FAMILY_OF:
                moments[word].add(client_key(example.client))
    total = len({client_key(e.client) for e in examples}) or 1
    return frozenset(w for w, seen in moments.items() if len(seen) / total >= GENERIC_SHARE)


def featurise(example: Example, exemplars: dict | None = None,
              generic: frozenset[str] = frozenset()) -> dict[str, float]:
    """The feature vector the engine would compute for this example."""
    ctx = Context(normalise(example.response), normalise(example.client),
                  tuple(normalise(phrase) for phrase in example.about), generic=generic)
    return extract(ctx, detect(ctx), exemplars)[0]


def build_rows(examples: tuple[Example, ...], generic: frozenset[str] = frozenset()
               ) -> list[Row]:
    """Each example twice: alone, and with exemplars from its moment (half weight each)."""
    moments: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        moments[client_key(example.client)].append(example)
    rows: list[Row] = []
    for example in examples:
        exemplars = simulated_exemplars(example, moments[client_key(example.client)])
        if exemplars is None:
            rows.append((featurise(example, None, generic), example, 1.0))
        else:
            rows.append((featurise(example, None, generic), example, 0.5))
            rows.append((featurise(example, exemplars, generic), example, 0.5))
    return rows


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray, lam: float) -> np.ndarray:
    """L2-penalised logistic regression with soft targets by Newton's method; last entry = bias."""
    design = np.hstack([x, np.ones((x.shape[0], 1))])
    penalty = np.full(design.shape[1], lam)
    penalty[-1] = 1e-6
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(design @ beta, -30, 30)))
        grad = design.T @ (weight * (p - y)) + penalty * beta
        hess = (design * (weight * p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def _fold(example: Example) -> int:
    digest = hashlib.sha256(("fold:" + client_key(example.client)).encode()).hexdigest()
    return int(digest, 16) % FOLDS


def _matrix(rows: list[Row], names: list[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, (features, _, _) in enumerate(rows):
        for name, value in features.items():
            if name in index:
                x[r, index[name]] = value
    return x


def cross_validate(rows: list[Row], names: list[str], item: str, lam: float
                   ) -> tuple[float, float]:
    """Grouped-fold (by client line) mean log-loss and mean AUROC of one item's model."""
    x = _matrix(rows, names)
    y = np.array([ex.target(item) for _, ex, _ in rows])
    w = np.array([weight for _, _, weight in rows])
    folds = np.array([_fold(ex) for _, ex, _ in rows])
    losses, aurocs = [], []
    for k in range(FOLDS):
        train, held = folds != k, folds == k
        beta = fit(x[train], y[train], w[train], lam)
        z = np.hstack([x[held], np.ones((held.sum(), 1))]) @ beta
        p = np.clip(1 / (1 + np.exp(-z)), 1e-6, 1 - 1e-6)
        losses.append(float(np.mean(-(y[held] * np.log(p) + (1 - y[held]) * np.log(1 - p)))))
        labels = [positive(item, rows[i][1].labels[item]) for i in np.flatnonzero(held)]
        value = auroc(z.tolist(), labels)
        if value is not None:
            aurocs.append(value)
    return float(np.mean(losses)), float(np.mean(aurocs)) if aurocs else 0.0


def train(examples: tuple[Example, ...]
          ) -> tuple[dict, dict[str, tuple[float, tuple[float, float]]]]:
    """The weights.json document, and per item (chosen lambda, its CV log-loss and AUROC)."""
    generic = generic_words(examples)
    rows = build_rows(examples, generic)
    names = sorted({name for features, _, _ in rows for name in features} - EXCLUDED_FEATURES)
    x = _matrix(rows, names)
    w = np.array([weight for _, _, weight in rows])
    items, report = {}, {}
    for item in ITEMS:
        cv = {lam: cross_validate(rows, names, item, lam) for lam in LAMBDAS}
        # log-loss rewards calibration as well as ranking: scores map onto rubric levels
        lam = min(LAMBDAS, key=lambda value: (round(cv[value][0], 5), -value))
        beta = fit(x, np.array([ex.target(item) for _, ex, _ in rows]), w, lam)
        weights = {name: round(float(b), 5)
                   for name, b in zip(names, beta[:-1], strict=True) if abs(b) >= 1e-4}
        items[item] = {"bias": round(float(beta[-1]), 5), "weights": weights}
        report[item] = (lam, cv[lam])
    document = {"version": WEIGHTS_VERSION, "trained_on": len(examples), "items": items,
                "generic_words": sorted(generic)}
    return document, report


def main(argv: list[str] | None = None) -> int:
    """Train on the corpus train split and write weights.json."""
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else WEIGHTS_PATH
    corpus = load_corpus()
    for problem in corpus.problems:
        print(f"skipped {problem}", file=sys.stderr)
    if not corpus.train:
        print("no training examples in corpus/*.jsonl", file=sys.stderr)
        return 1
    document, report = train(corpus.train)
    target.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"trained on {len(corpus.train)} examples; wrote {target}")
    for item, (lam, (loss, area)) in report.items():
        print(f"  {item:18s} lambda={lam:<5} cv_log_loss={loss:.3f} cv_auroc={area:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
