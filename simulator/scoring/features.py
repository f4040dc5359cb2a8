"""Turn detector hits and the shape of a response into the feature vector the model reads."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from simulator.scoring.context import Fit, Moment, fit
from simulator.scoring.detectors import DETECTORS, Context, Hit
from simulator.scoring.similarity import best_match

# Feature names: "<detector>" (strength), "<detector>:n" (count), "<detector>:q" (in a question),
# "shape:*" (form of the response), "exemplar:*" (similarity to the node's exemplars).
COUNT_SUFFIX = ":n"
QUESTION_SUFFIX = ":q"
# Detectors whose meaning changes when they sit inside a question ("...with me right now?").
_IN_QUESTION = ("here_and_now", "collaboration", "echo", "feeling_named", "complex_reflection")
_YOU = re.compile(r"\b(?:you|your|you're|you've|you'd|you'll|yourself)\b")
_ME = re.compile(r"\b(?:i|me|my|i'm|i've|i'd|i'll|myself)\b")
_WE = re.compile(r"\b(?:we|us|our|we're|we've|let's)\b")
_CONTRAST = re.compile(r"\b(?:but|however|though|although)\b")

Hits = dict[str, list[Hit]]
Evidence = dict[str, list[tuple[int, int]]]


def detect(ctx: Context) -> Hits:
    """Run every registered detector; only those that fired appear."""
    found = {}
    for name, detector in DETECTORS.items():
        hits = detector.hits(ctx)
        if hits:
            found[name] = hits
    return found


def _question_spans(ctx: Context) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in ctx.response.sentences if s.is_question]


def _detector_features(ctx: Context, hits: Hits, evidence: Evidence) -> dict[str, float]:
    features: dict[str, float] = {}
    questions = _question_spans(ctx)
    for name, found in hits.items():
        spans = [h.span for h in found]
        features[name] = max(h.strength for h in found)
        features[name + COUNT_SUFFIX] = min(len(found), 4) / 4
        evidence[name] = evidence[name + COUNT_SUFFIX] = spans
        if name in _IN_QUESTION:
            asked = [s for s in spans if any(qs <= s[0] < qe for qs, qe in questions)]
            if asked:
                features[name + QUESTION_SUFFIX] = 1.0
                evidence[name + QUESTION_SUFFIX] = asked
    return features


def _shape_features(ctx: Context, evidence: Evidence) -> dict[str, float]:
    words = ctx.response.words
    n = max(len(words), 1)
    sentences = ctx.response.sentences
    text = ctx.response.norm
    asked = [(s.start, s.end) for s in sentences if s.is_question]
    whole = [(0, len(text))]
    pronouns = {key: [m.span() for m in regex.finditer(text)]
                for key, regex in (("you", _YOU), ("me", _ME), ("we", _WE))}
    contrast = [m.span() for m in _CONTRAST.finditer(text) if m.start() > 10]
    features = {
        "shape:length": min(1.0, math.log1p(len(words)) / math.log1p(80)),
        "shape:short": 1.0 if len(words) <= 3 else 0.0,
        "shape:question_share": len(asked) / max(len(sentences), 1),
        "shape:ends_question": 1.0 if sentences and sentences[-1].is_question else 0.0,
        "shape:you": min(1.0, 5 * len(pronouns["you"]) / n),
        "shape:me": min(1.0, 5 * len(pronouns["me"]) / n),
        "shape:we": min(1.0, 10 * len(pronouns["we"]) / n),
        "shape:contrast": 1.0 if contrast else 0.0,
    }
    evidence.update({  # length is not shown as evidence: it is no one phrase
        "shape:short": whole, "shape:question_share": asked,
        "shape:ends_question": asked[-1:], "shape:you": pronouns["you"],
        "shape:me": pronouns["me"], "shape:we": pronouns["we"], "shape:contrast": contrast,
    })
    return features


def _exemplar_features(response: str, exemplars: Mapping[str, Sequence[str]] | None) -> dict:
    if not exemplars:
        return {}
    strong = best_match(response, tuple(exemplars.get("strong", ())))
    weak = best_match(response, tuple(exemplars.get("weak", ())))
    if strong is None or weak is None:
        return {}
    return {"exemplar:margin": strong - weak, "exemplar:strong": strong}


def _stock_features(fitted: Fit, evidence: Evidence) -> dict[str, float]:
    """How much of the response is stock phrasing (sentences with nothing of this moment)."""
    total = len(fitted.stock) + len(fitted.grounded)
    if not fitted.stock or not total:
        return {}
    stock = list(fitted.stock)
    evidence.update({"stock:share": stock, "stock:n": stock, "stock:all": stock})
    return {"stock:share": len(stock) / total, "stock:n": min(len(stock), 4) / 4,
            "stock:all": 1.0 if not fitted.grounded else 0.0}


def moment_fit(ctx: Context, hits: Hits | None = None) -> Fit:
    """How the response fits its moment (grounding, stock sentences, echo, contradictions);
    `hits`: the detectors' hits when already found (their contradictions are reused)."""
    found = None if hits is None else hits.get("contradiction", [])
    return fit(ctx.response, ctx.client,
               Moment.of(ctx.client, ctx.about, ctx.shown, ctx.generic), found)


def extract(
    ctx: Context, hits: Hits, exemplars: Mapping[str, Sequence[str]] | None = None,
    fitted: Fit | None = None,
) -> tuple[dict[str, float], Evidence]:
    """The sparse feature vector (detector strengths and counts, shape, stock share, exemplar
    similarity) and, per feature, the normalised spans that show it."""
    evidence: Evidence = {}
    features = _detector_features(ctx, hits, evidence)
    features.update(_shape_features(ctx, evidence))
    features.update(_stock_features(fitted or moment_fit(ctx, hits), evidence))
    similarity = _exemplar_features(ctx.response.raw, exemplars)
    features.update(similarity)
    evidence.update({name: [(0, len(ctx.response.norm))] for name in similarity})
    return {name: value for name, value in features.items() if value}, evidence
