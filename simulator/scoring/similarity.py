"""Character n-gram cosine similarity, robust to typos and inflection, for node exemplars."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

from simulator.scoring.text import normalise

_SIZES = (3, 4)


@lru_cache(maxsize=4096)
def profile(text: str) -> tuple[dict[str, float], str]:
    """Unit-length n-gram weights of the normalised text, and the normalised text itself."""
    norm = " ".join(normalise(text).norm.split())
    padded = f" {norm} "
    counts = Counter(padded[i:i + n] for n in _SIZES for i in range(len(padded) - n + 1))
    length = math.sqrt(sum(c * c for c in counts.values())) or 1.0
    return {gram: c / length for gram, c in counts.items()}, norm


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit-length profiles."""
    # The shared grams are found by a set intersection in C; only they are multiplied.
    return sum(a[gram] * b[gram] for gram in a.keys() & b.keys())


def best_match(response: str, candidates: tuple[str, ...]) -> float | None:
    """Highest similarity to any candidate that is not the response itself (None if none)."""
    vector, norm = profile(response)
    scores = []
    for candidate in candidates:
        other, other_norm = profile(candidate)
        if other_norm != norm:  # an exemplar scored against itself would be a foregone conclusion
            scores.append(cosine(vector, other))
    return max(scores) if scores else None
