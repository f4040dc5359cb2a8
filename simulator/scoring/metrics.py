"""Metrics for the benchmarks, model selection and agreement: AUROC, Spearman's rho and
quadratic weighted kappa (pure Python)."""

from __future__ import annotations

import math
from collections.abc import Sequence

Pair = tuple[int, int]  # (one rater's level, the other's)


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def auroc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """Probability a random positive outscores a random negative (ties count half); None if
    either class is empty."""
    n_pos = sum(1 for p in positive if p)
    n_neg = len(positive) - n_pos
    if not n_pos or not n_neg:
        return None
    rank_sum = sum(r for r, p in zip(ranks(scores), positive, strict=True) if p)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation; None when either side is constant."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(rx)
    if n < 2:
        return None
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if not vx or not vy:
        return None
    return cov / math.sqrt(vx * vy)


def _positions(levels: Sequence[int]) -> dict[int, int]:
    ordered = sorted(levels)
    if len(set(ordered)) != len(ordered):
        raise ValueError(f"levels repeat: {list(levels)}")
    return {level: i for i, level in enumerate(ordered)}


def confusion_table(pairs: Sequence[Pair], levels: Sequence[int]) -> list[list[int]]:
    """Counts of each (first rater, second rater) level pair; rows first, columns second."""
    where = _positions(levels)
    table = [[0] * len(where) for _ in where]
    for first, second in pairs:
        if first not in where or second not in where:
            raise ValueError(f"pair {(first, second)} has a level outside {sorted(where)}")
        table[where[first]][where[second]] += 1
    return table


def quadratic_weighted_kappa(pairs: Sequence[Pair], levels: Sequence[int]) -> float | None:
    """Cohen's kappa with quadratic weights over ordered levels; 1 = perfect, 0 = chance.

    Returns None when kappa is undefined: no pairs, fewer than two levels, or zero expected
    disagreement (both raters put every pair on the same single level, so chance agreement
    is already perfect and there is nothing to correct for).
    """
    if not pairs or len(levels) < 2:
        return None
    table = confusion_table(pairs, levels)
    k, n = len(table), len(pairs)
    rows = [sum(row) for row in table]
    columns = [sum(row[j] for row in table) for j in range(k)]
    observed = expected = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            observed += weight * table[i][j] / n
            expected += weight * rows[i] * columns[j] / n**2
    if expected == 0:
        return None
    return 1.0 - observed / expected
