"""The context rules applied after the model: what a move earns depends on what it is about.

- A criterion whose every piece of evidence lies in stock phrasing is capped at STOCK_CAP
  (the rubric's lowest level above zero) when the whole answer is stock, and earns nothing
  when it is a tail on grounded sentences (engine.py); the trained `formulaic` flag, which
  reads the share of stock sentences, shows the words.
- An echo of the client's own words is a simple reflection at most (ECHO_CAP).
- Evidence inside a sentence that contradicts the client (a strong hit of the contradiction
  detector) is not reflection or validation; the trained `contradicting` flag shows the words.
- The same (or nearly the same) answer given at an earlier moment of the attempt earns nothing
  the second time, and is shown as `formulaic` (engine.py).
Each rule is one function over plain data; docs/scoring.md explains them with examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.scoring.context import Fit
from simulator.scoring.result import Span
from simulator.scoring.similarity import cosine, profile

STOCK_CAP = 0.45  # below "Clear" (0.55) and below the branch thresholds of 0.5
ECHO_CAP = 0.45
SHAPE_ONLY_CAP = 0.45  # a flag with no words of its own detector: "some signs" at most
REPEAT_SIMILARITY = 0.8  # character n-gram cosine at which two answers count as the same
CONTRADICTION_MIN = 0.8  # a contradiction this clear takes its sentence out of reflection
NOT_REFLECTION = ("reflection", "validation")
ECHO_CAPPED = ("reflection",)


@dataclass(frozen=True)
class Raw:
    """The fit of one response mapped to raw-text coordinates."""

    grounded: tuple[Span, ...]
    stock: tuple[Span, ...]
    contradicting: tuple[Span, ...]  # whole sentences that contain a clear contradiction
    echo: bool


def _overlaps(span: Span, regions: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in regions)


def to_raw(fit: Fit, sentences: Sequence[Span], mapper) -> Raw:
    """The fit in raw coordinates (`mapper` maps a canonical span to the typed text)."""
    strong = [span for strength, span in fit.contradictions if strength >= CONTRADICTION_MIN]
    contradicting = tuple(mapper(s) for s in sentences
                          if any(_overlaps(span, [s]) for span in strong))
    return Raw(tuple(mapper(s) for s in fit.grounded), tuple(mapper(s) for s in fit.stock),
               contradicting, fit.echo)


def grounded_evidence(spans: Sequence[Span], fit: Raw) -> bool:
    """Whether some of this evidence lies in a sentence tied to the moment."""
    return any(_overlaps(s, fit.grounded) for s in spans)


def capped(item_id: str, score: float, spans: Sequence[Span], fit: Raw,
           specific: Sequence[Span]) -> tuple[float, tuple[Span, ...]]:
    """A criterion's score and evidence after the context rules (`specific`: author indicator
    matches, always tied to the moment)."""
    if item_id in NOT_REFLECTION and fit.contradicting:
        spans = tuple(s for s in spans if not _overlaps(s, fit.contradicting))
        if not spans:
            return 0.0, ()
    if spans and not specific and not grounded_evidence(spans, fit):
        score = min(score, STOCK_CAP)
    if item_id in ECHO_CAPPED and fit.echo:
        score = min(score, ECHO_CAP)
    return score, tuple(spans)


def repeats(response: str, earlier: Sequence[str]) -> int | None:
    """Index of the earlier answer this one (nearly) repeats, or None."""
    mine = profile(response)[0]
    for index, other in enumerate(earlier):
        if other and other.strip() and cosine(mine, profile(other)[0]) >= REPEAT_SIMILARITY:
            return index
    return None
