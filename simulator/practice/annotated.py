"""One annotated exchange, as every page draws it (templates/_conversation.html).

The client's line and cue, the trainee's words split into plain and highlighted phrases (each
with the reason it is highlighted), and one row per rubric item with its level, the
supervisor's review if any, and the evidence as whole phrases. Pure: built from a stored turn
(or an EffectiveTurn) and its scenario, never in a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.practice.choice_order import describe_shown
from simulator.practice.evidence import phrases, reasoned_spans
from simulator.rubric import Rubric
from simulator.scenarios.model import ClientNode, Scenario

CLEAR = 2  # a criterion at this level or more is a move the trainee made
SHOWN = 1  # below this level a criterion's evidence is words it weighed, not words it credited


@dataclass(frozen=True)
class Segment:
    """A piece of the trainee's words; `reason` is set when it is highlighted."""

    text: str
    reason: str | None = None


@dataclass(frozen=True)
class ScoreRow:
    """One criterion or shown flag of a turn, as a person reads it."""

    item_id: str
    name: str
    kind: str  # "criterion" | "flag"
    label: str  # the level that counts (the supervisor's when reviewed)
    score: float  # the engine's score
    engine_label: str
    quotes: tuple[str, ...] = ()  # the evidence, as whole phrases
    reviewed: bool = False
    comment: str = ""
    level: int = 0

    @property
    def clear(self) -> bool:
        """A criterion at a clear level or more (what the trainee did)."""
        return self.kind == "criterion" and self.level >= CLEAR


@dataclass(frozen=True)
class AnnotatedExchange:
    """One answered moment: what the client said and showed, the trainee's words, the scores."""

    number: int  # 1-based position among the answers that counted
    anchor: str  # the element id, e.g. "turn-12"
    client_name: str
    client_line: str
    cue: str | None
    inner: str | None  # what the client felt saying it (shown on debrief and review pages)
    words: tuple[Segment, ...]
    chosen: bool  # the answer was a ticked option, not the trainee's own words
    overall: float
    confidence: float
    scores: tuple[ScoreRow, ...]
    reaction: str | None  # the client's next line
    label: str | None = None  # "First try", "Second try" at a rewound moment
    options_shown: str | None = None  # for a reviewer: the options' shuffled order, the pick

    @property
    def answer_text(self) -> str:
        return "".join(segment.text for segment in self.words)

    @property
    def notes(self) -> tuple[Segment, ...]:
        """The highlighted phrases with their reasons (the readable legend of the marks)."""
        return tuple(segment for segment in self.words if segment.reason)

    @property
    def reviewed(self) -> bool:
        return any(row.reviewed for row in self.scores)


def answer_of(scenario: Scenario, turn: Any) -> tuple[str, bool]:
    """The trainee's answer as shown: their own words, or the option they ticked."""
    node = scenario.nodes.get(turn.node_id)
    if turn.choice_index is not None and isinstance(node, ClientNode) \
            and 0 <= turn.choice_index < len(node.choices):
        return node.choices[turn.choice_index].text, True
    return turn.response_text or "", False


def segments(text: str, marks: list[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """Split text into plain and highlighted segments; overlapping marks keep the first."""
    pieces: list[Segment] = []
    cursor = 0
    for start, end, reason in sorted(marks):
        start, end = max(start, cursor, 0), min(end, len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append(Segment(text[cursor:start]))
        pieces.append(Segment(text[start:end], reason))
        cursor = end
    if cursor < len(text):
        pieces.append(Segment(text[cursor:]))
    return tuple(pieces)


def _quotes(text: str | None, evidence) -> tuple[str, ...]:
    if not text or not evidence:
        return ()
    return tuple(p.text for p in phrases(text, [tuple(span) for span in evidence]))


def score_rows(rubric: Rubric, scores: dict, text: str | None,
               engine: dict | None = None) -> tuple[ScoreRow, ...]:
    """Every criterion, then every flag shown to a person, from a turn's effective scores;
    `engine` holds the engine's own scores where they differ (a reviewed turn)."""
    engine = engine or scores
    rows = []
    for cid, item in scores.get("criteria", {}).items():
        if cid not in rubric.criterion_ids:
            continue
        review = item.get("review") or {}
        own = engine.get("criteria", {}).get(cid, item)
        rows.append(ScoreRow(
            cid, rubric.item(cid).name, "criterion", item.get("label", ""), own["score"],
            own.get("label", ""),
            _quotes(text, own.get("evidence")) if own.get("level", 0) >= SHOWN else (),
            bool(review),
            review.get("comment") or "", level=item.get("level", 0)))
    for fid, item in scores.get("flags", {}).items():
        if fid not in rubric.flag_ids:
            continue
        shown = rubric.item(fid).shown(item["score"], bool(item.get("evidence")))
        if shown is not None:
            rows.append(ScoreRow(fid, rubric.item(fid).name, "flag", shown.label, item["score"],
                                 shown.label, _quotes(text, item.get("evidence")),
                                 level=shown.level))
    return tuple(rows)


def annotate(scenario: Scenario, turn: Any, *, number: int, label: str | None = None
             ) -> AnnotatedExchange:
    """Describe one stored turn (a Turn, a row, or an EffectiveTurn) for every page."""
    node = scenario.nodes.get(turn.node_id)
    reaction = scenario.nodes.get(turn.next_node)
    text, chosen = answer_of(scenario, turn)
    marks = [] if chosen else reasoned_spans(text, turn.scores, scenario.rubric)
    return AnnotatedExchange(
        number=number, anchor=f"turn-{turn.id}", client_name=scenario.client.name,
        client_line=turn.client_line, cue=getattr(node, "cue", None),
        inner=getattr(node, "inner", None), words=segments(text, marks), chosen=chosen,
        overall=turn.overall, confidence=turn.confidence,
        scores=score_rows(scenario.rubric, turn.scores, None if chosen else text,
                          getattr(turn, "engine_scores", None)),
        reaction=getattr(reaction, "say", None), label=label,
        options_shown=describe_shown(turn.scores))
