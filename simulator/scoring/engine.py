"""score_response: the pure, deterministic free-text scorer behind the web app and the CLI."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from simulator.scoring import moment_rules as rules
from simulator.scoring.detectors import DETECTORS, Context
from simulator.scoring.features import Hits, detect, extract, moment_fit
from simulator.scoring.indicators import MatchBudget, indicator_spans
from simulator.scoring.model import ItemModel, Model, load_model
from simulator.scoring.result import ItemScore, ScoreResult, Span
from simulator.scoring.safety_check import blanked, boundary_spans, judge_safety
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
    own_words: bool = True  # some evidence comes from a detector made for this item


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
    """The rubric items whose own detector produced this feature (the stock-phrase features
    are the formulaic flag's own)."""
    source = feature.split(":", 1)[0]
    if source == "stock":
        return frozenset(["formulaic"])
    detector = DETECTORS.get(source)
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
        return _Judgement(probability, merge_spans(indicator_spans), strength,
                          bool(indicator_spans))
    contributions, primary, secondary = _model_spans(item_id, item_model, features, evidence)
    shift = INDICATOR_SHIFT if indicator_spans else 0.0
    probability = item_model.probability(shift, contributions)
    spans = primary + indicator_spans or secondary
    return _Judgement(probability, merge_spans(spans), strength, bool(primary or indicator_spans))


def _strongest_by_item(hits: Hits) -> dict[str, float]:
    """For each rubric item, the strongest hit of a detector made for it."""
    strongest: dict[str, float] = {}
    for name, found in hits.items():
        best = max(h.strength for h in found)
        for item_id in DETECTORS[name].items:
            strongest[item_id] = max(best, strongest.get(item_id, 0.0))
    return strongest


def _item_score(item: RubricItem, score: float, spans: tuple[Span, ...]) -> ItemScore:
    # Explainability rule: a score without words to show for it is reported as zero.
    score = round(score, 4) if spans else 0.0
    level = item.level_for(score)
    return ItemScore(score, level.level, level.label, merge_spans(spans) if score else (),
                     level.feedback)


def _raw_fit(ctx: Context, fitted) -> rules.Raw:
    sentences = [(s.start, s.end) for s in ctx.response.sentences]
    return rules.to_raw(fitted, sentences, ctx.response.to_raw)


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
    return round(min(1.0, max(0.0, confidence)), 4)


def _judge_all(response: str, moment: Context, rubric: Rubric,
               indicators: Mapping[str, Sequence[str]],
               exemplars: Mapping[str, Sequence[str]] | None,
               budget: MatchBudget, items: Sequence[RubricItem] | None = None):
    """The model's judgement of the items (default: all), the context, its fit and the author's
    matches (`moment`: a Context whose response is ignored, carrying the client line and its
    setting; `budget`: the answer's time for indicators)."""
    ctx = Context(normalise(response), moment.client, moment.about, moment.shown,
                  load_model().generic)
    hits = detect(ctx)
    fitted = moment_fit(ctx, hits)
    features, evidence = extract(ctx, hits, exemplars, fitted)
    to_raw = ctx.response.to_raw
    raw_evidence = {name: [to_raw(span) for span in spans] for name, spans in evidence.items()
                    if name in features}
    strengths = _strongest_by_item(hits)
    model = load_model()  # cached: the same object that gave ctx.generic
    items = rubric.criteria + rubric.flags if items is None else items
    specific = {item.id: indicator_spans(response, indicators.get(item.id), budget)
                for item in items}
    judgements = {
        item.id: _judge(item.id, model, features, raw_evidence, strengths.get(item.id, 0.0),
                        specific[item.id])
        for item in items
    }
    return judgements, ctx, specific, model, _raw_fit(ctx, fitted)


def _criteria(rubric: Rubric, response: str, judgements, ctx: Context, fitted: rules.Raw,
              specific, indicators, exemplars,
              budget: MatchBudget) -> dict[str, tuple[float, tuple[Span, ...]]]:
    """Each criterion after the context rules. When stock sentences sit beside grounded ones,
    a criterion the grounded part shows is judged on the grounded part alone, and one that only
    the stock part shows earns nothing: padding a good answer never raises it."""
    grounded_only = None
    if fitted.stock and fitted.grounded:
        text = " ".join(response[start:end] for start, end in fitted.grounded)
        grounded_only = _judge_all(text, ctx, rubric, indicators, exemplars, budget,
                                   rubric.criteria)[0]
    found = {}
    for cid in rubric.criterion_ids:
        judgement = judgements[cid]
        probability = judgement.probability
        if grounded_only is not None:
            if not rules.grounded_evidence(judgement.spans, fitted) and not specific[cid]:
                found[cid] = (0.0, ())
                continue
            probability = grounded_only[cid].probability
        found[cid] = rules.capped(cid, probability, judgement.spans, fitted, specific[cid])
    return found


SAFETY, SAFETY_MISSED, BOUNDARY = "safety", "safety_missed", "boundary_violation"


def _cue_words(client: str, about: Sequence[str]) -> tuple[str, ...]:
    """Words that show an answer took up the client's own cue: the node's phrases and the
    client line's longer words."""
    words = [w for phrase in about for w in phrase.split()]
    words += [w for w in re.findall(r"[A-Za-z']+", client or "") if len(w) > 5]
    return tuple(dict.fromkeys(words))


def _safety_layer(rubric: Rubric, response: str, risk: tuple[str, ...], safety,
                  criteria_scores: dict, flag_scores: dict, repeated: bool,
                  authored: Sequence[Span] = ()) -> None:
    """The rule-judged items (simulator/scoring/safety_check.py), where the rubric has them:
    `safety` at a risk node, `safety_missed` when it asks nothing there, `boundary_violation`."""
    whole = ((0, len(response)),) if response else ()
    if SAFETY in criteria_scores:
        criteria_scores[SAFETY] = (0.0, ()) if repeated else (safety.score, safety.spans)
    if SAFETY_MISSED in flag_scores:
        missed = bool(risk) and safety.score == 0.0
        flag_scores[SAFETY_MISSED] = (1.0, whole) if missed else (0.0, ())
    if BOUNDARY in flag_scores:  # the rules, and the author's indicators for this moment
        spans = boundary_spans(response, risk) + tuple(authored)
        flag_scores[BOUNDARY] = (0.9, merge_spans(spans)) if spans else (0.0, ())


def score_response(
    *,
    client: str,
    response: str,
    rubric: Rubric,
    indicators: Mapping[str, Sequence[str]] | None = None,
    exemplars: Mapping[str, Sequence[str]] | None = None,
    about: Sequence[str] = (),
    shown: str = "",
    needs: Sequence[str] | None = None,
    earlier: Sequence[str] = (),
    risk: Sequence[str] = (),
) -> ScoreResult:
    """Score a trainee's free-text response to a client line against a rubric.

    `about`: what this rupture is about (the node's phrases); `shown`: what the client shows
    and feels (the node's cue and inner, to check a named feeling); `needs`: the criteria this
    moment needs (overall); `earlier`: the trainee's earlier answers in this attempt (a repeat
    earns credit once).
    """
    indicators = indicators or {}
    budget = MatchBudget()  # one budget for every indicator search this answer makes
    moment = Context(normalise(""), normalise(client or ""),
                     tuple(normalise(phrase) for phrase in about),
                     normalise(shown) if shown else None)
    safety = judge_safety(response, risk if SAFETY in rubric.criterion_ids else (),
                          _cue_words(client, about),
                          indicator_spans(response, indicators.get(SAFETY), budget))
    # the rupture work is judged without the words that ask about risk or signpost support
    judged = blanked(response, safety.blank) if safety.blank else response
    judgements, ctx, specific, model, fitted = _judge_all(
        judged, moment, rubric, indicators, exemplars, budget)
    repeated = rules.repeats(response, earlier)
    criteria_scores = _criteria(rubric, judged, judgements, ctx, fitted, specific, indicators,
                                exemplars, budget)
    if repeated is not None:
        criteria_scores = {cid: (0.0, ()) for cid in criteria_scores}
    # a flag is "present" only with words of its own to show (not from the answer's shape)
    flag_scores = {item.id: (judgements[item.id].probability if judgements[item.id].own_words
                             else min(judgements[item.id].probability, rules.SHAPE_ONLY_CAP),
                             judgements[item.id].spans) for item in rubric.flags}
    if repeated is not None and "formulaic" in flag_scores:
        flag_scores["formulaic"] = (1.0, ((0, len(response)),))
    _safety_layer(rubric, response, tuple(risk), safety, criteria_scores, flag_scores,
                  repeated is not None, specific.get(BOUNDARY, ()))
    criteria = {item.id: _item_score(item, *criteria_scores[item.id]) for item in rubric.criteria}
    flags = {item.id: _item_score(item, *flag_scores[item.id]) for item in rubric.flags}
    overall = rubric.overall({cid: s.score for cid, s in criteria.items()},
                             {fid: s.score for fid, s in flags.items()}, needs)
    return ScoreResult(criteria, flags, overall, _confidence(judgements, ctx, model),
                       repeats=repeated)
