"""score_response: the pure, deterministic free-text scorer behind the web app and the CLI."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from simulator.scoring.detectors import DETECTORS, Context
from simulator.scoring.features import Hits, detect, extract
from simulator.scoring.model import ItemModel, Model, load_model
from simulator.scoring.result import ItemScore, ScoreResult, Span
from simulator.scoring.text import normalise

if TYPE_CHECKING:  # simulator.rubric imports this package (for overall.py): no runtime cycle
    from simulator.rubric import Rubric, RubricItem

# A feature must add at least this much to the logit for its detector's words to be evidence.
EVIDENCE_MIN = 0.25
# An author's indicator match moves the item's logit this far (bounded, so it nudges, not rules).
INDICATOR_SHIFT = 1.5
# For an item the trained model does not know, an indicator match alone gives this score.
INDICATOR_ONLY_SCORE = 0.6


@dataclass(frozen=True)
class _Judgement:
    """An item's raw outcome before it is dressed as an ItemScore."""

    probability: float
    spans: tuple[Span, ...]
    detector_strength: float  # strongest hit of a detector that names this item


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _indicator_spans(response: str, patterns: Sequence[str] | None) -> list[Span]:
    if not patterns:
        return []
    return [m.span() for regex in _compiled(tuple(patterns)) for m in regex.finditer(response)
            if m.end() > m.start()]


def merge_spans(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Sort spans and merge those that overlap or touch."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


@lru_cache(maxsize=1024)
def _evidences(feature: str) -> frozenset[str]:
    """The rubric items whose own detector produced this feature."""
    detector = DETECTORS.get(feature.split(":", 1)[0])
    return frozenset(detector.items) if detector else frozenset()


def _model_spans(item_id: str, item: ItemModel, features: Mapping[str, float],
                 evidence: Mapping[str, list[Span]]) -> tuple[dict[str, float], list[Span],
                                                              list[Span]]:
    """Contributions, and the spans of features that raised the score: first those of detectors
    made for this item, then any others (shown only when the first kind is missing)."""
    contributions = item.contributions(features)
    primary: list[Span] = []
    secondary: list[Span] = []
    for feature, share in contributions.items():
        if share >= EVIDENCE_MIN:
            target = primary if item_id in _evidences(feature) else secondary
            target.extend(evidence.get(feature, ()))
    return contributions, primary, secondary


def _judge(item_id: str, model: Model, features: Mapping[str, float],
           evidence: Mapping[str, list[Span]], strength: float,
           indicator_spans: list[Span]) -> _Judgement:
    item_model = model.items.get(item_id)
    if item_model is None:
        probability = INDICATOR_ONLY_SCORE if indicator_spans else 0.0
        return _Judgement(probability, merge_spans(indicator_spans), strength)
    contributions, primary, secondary = _model_spans(item_id, item_model, features, evidence)
    shift = INDICATOR_SHIFT if indicator_spans else 0.0
    probability = item_model.probability(shift, contributions)
    spans = primary + indicator_spans or secondary
    return _Judgement(probability, merge_spans(spans), strength)


def _strongest_by_item(hits: Hits) -> dict[str, float]:
    """For each rubric item, the strongest hit of a detector made for it."""
    strongest: dict[str, float] = {}
    for name, found in hits.items():
        best = max(h.strength for h in found)
        for item_id in DETECTORS[name].items:
            strongest[item_id] = max(best, strongest.get(item_id, 0.0))
    return strongest


def _item_score(item: RubricItem, judgement: _Judgement) -> ItemScore:
    # Explainability rule: a score without words to show for it is reported as zero.
    score = round(judgement.probability, 4) if judgement.spans else 0.0
    level = item.level_for(score)
    return ItemScore(score, level.level, level.label, judgement.spans, level.feedback)


def _confidence(judgements: Mapping[str, _Judgement], ctx: Context, model: Model) -> float:
    """High when the model is decisive and agrees with the detectors; lower on short answers."""
    if not judgements:
        return 0.0
    margin = sum(abs(2 * j.probability - 1) for j in judgements.values()) / len(judgements)
    disagreements = sum(
        1 for j in judgements.values()
        if (j.detector_strength >= 0.8 and j.probability < 0.3)
        or (j.probability >= 0.7 and j.detector_strength == 0.0)
    )
    confidence = 0.4 + 0.6 * margin - 0.1 * disagreements
    if len(ctx.response.words) <= 2:
        confidence *= 0.7
    if model.source != "trained":
        confidence *= 0.8
    return round(min(1.0, max(0.0, confidence)), 4)


def score_response(
    *,
    client: str,
    response: str,
    rubric: Rubric,
    indicators: Mapping[str, Sequence[str]] | None = None,
    exemplars: Mapping[str, Sequence[str]] | None = None,
) -> ScoreResult:
    """Score a trainee's free-text response to a client line against a rubric."""
    ctx = Context(normalise(response), normalise(client or ""))
    hits = detect(ctx)
    features, evidence = extract(ctx, hits, exemplars)
    to_raw = ctx.response.to_raw
    raw_evidence = {name: [to_raw(span) for span in spans] for name, spans in evidence.items()
                    if name in features}
    strengths = _strongest_by_item(hits)
    model = load_model()
    indicators = indicators or {}
    judgements = {
        item.id: _judge(item.id, model, features, raw_evidence, strengths.get(item.id, 0.0),
                        _indicator_spans(response, indicators.get(item.id)))
        for item in rubric.criteria + rubric.flags
    }
    criteria = {item.id: _item_score(item, judgements[item.id]) for item in rubric.criteria}
    flags = {item.id: _item_score(item, judgements[item.id]) for item in rubric.flags}
    overall = rubric.overall(
        {cid: s.score for cid, s in criteria.items()}, {fid: s.score for fid, s in flags.items()}
    )
    return ScoreResult(criteria, flags, overall, _confidence(judgements, ctx, model))
