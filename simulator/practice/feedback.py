"""What a trainee is told after a turn: strengths, the most useful miss, every flag, a model.

Scores come in as a turn's *effective* scores (simulator.practice.effective): where a
supervisor has overridden a criterion, their level, label and comment are what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from simulator.practice.evidence import phrases
from simulator.rubric import Rubric
from simulator.scenarios.model import ClientNode, Scenario
from simulator.scoring import score_response

STRENGTH_LEVEL = 2
MAX_STRENGTHS = 3


@dataclass(frozen=True)
class Point:
    """One piece of feedback about a rubric item, with the trainee's own words as evidence."""

    item_id: str
    name: str
    label: str
    feedback: str
    quotes: tuple[str, ...] = ()
    review: dict | None = None  # the supervisor's override of this criterion, if any

    @property
    def reviewed(self) -> bool:
        return self.review is not None


@dataclass(frozen=True)
class TurnFeedback:
    strengths: tuple[Point, ...]
    miss: Point | None
    flags: tuple[Point, ...]
    model_response: str | None
    choice_feedback: str | None = None
    reviews: tuple[Point, ...] = ()  # every criterion a supervisor overrode on this turn


def feedback_for(scenario: Scenario, node: ClientNode, scores: dict,
                 response: str | None) -> TurnFeedback:
    """Build the practice-mode feedback for one stored turn from its effective scores."""
    rubric = scenario.rubric
    criteria = scores.get("criteria", {})
    strong = sorted(
        (cid for cid, item in criteria.items() if item["level"] >= STRENGTH_LEVEL),
        key=lambda cid: (-criteria[cid]["score"], cid),
    )[:MAX_STRENGTHS]
    model = node.exemplars.strong[0] if node.exemplars else None
    return TurnFeedback(
        strengths=tuple(_point(rubric, cid, criteria[cid], response) for cid in strong),
        miss=_miss(scenario, node, criteria, response),
        flags=tuple(_cue_named(node, p) for p in _flags(rubric, scores.get("flags", {}), response,
                                                         scores.get("repeats"))),
        model_response=model,
        choice_feedback=scores.get("choice_feedback"),
        reviews=tuple(_point(rubric, cid, item, response) for cid, item in criteria.items()
                      if item.get("review") and cid in rubric.criterion_ids),
    )


def _point(rubric: Rubric, item_id: str, stored: dict, response: str | None) -> Point:
    item = rubric.item(item_id)
    quotes = tuple(p.text for p in phrases(response, stored.get("evidence", []))) \
        if response else ()
    return Point(item.id, item.name, stored.get("label", ""), stored.get("feedback", ""),
                 quotes, stored.get("review"))


def _miss(scenario: Scenario, node: ClientNode, criteria: dict,
          response: str | None) -> Point | None:
    """The criterion the model answer shows most and this response least."""
    target = exemplar_profile(scenario, node.id)
    gaps = {
        cid: target.get(cid, 0.0) - item["score"]
        for cid, item in criteria.items() if item["level"] < STRENGTH_LEVEL
    }
    if not gaps:
        return None
    cid = max(sorted(gaps), key=lambda c: gaps[c])
    if gaps[cid] <= 0:
        return None
    return _point(scenario.rubric, cid, criteria[cid], response)


REPEATED = ("This is the same answer you gave at an earlier moment, so it earns nothing the "
            "second time: each moment asks for a response to what this client has just said.")


def _cue_named(node: ClientNode, point: Point) -> Point:
    """A passed-over risk cue is shown by the client's words, not by quoting the answer whole."""
    if point.item_id != "safety_missed" or not node.risk:
        return point
    cues = "”, “".join(r.cue for r in node.risk)
    return replace(point, quotes=(), feedback=f"The client said “{cues}”. {point.feedback}")


def _flags(rubric: Rubric, flags: dict, response: str | None,
           repeats: int | None = None) -> tuple[Point, ...]:
    """Every flag shown to a person (present, or "some signs of" with its words), strongest
    first."""
    shown = {fid: rubric.item(fid).shown(item["score"], bool(item.get("evidence")))
             for fid, item in flags.items() if fid in rubric.flag_ids}
    fired = sorted((fid for fid, level in shown.items() if level is not None),
                   key=lambda f: (-flags[f]["score"], f))
    points = []
    for fid in fired:
        point = _point(rubric, fid, flags[fid], response)
        advice = REPEATED if fid == "formulaic" and repeats is not None else shown[fid].feedback
        points.append(Point(point.item_id, point.name, shown[fid].label, advice, point.quotes))
    return tuple(points)


# Keyed by content hash: a scenario version never changes, so neither does its model answer.
_profiles: dict[tuple[str, str], dict[str, float]] = {}


def exemplar_profile(scenario: Scenario, node_id: str) -> dict[str, float]:
    """Criterion scores of the node's model answer, computed once per scenario version."""
    key = (scenario.content_hash, node_id)
    if key not in _profiles:
        node = scenario.node(node_id)
        if not isinstance(node, ClientNode) or node.exemplars is None:
            return {}
        # scored as a trainee's answer at this moment is scored (one way to read an answer)
        result = score_response(client=node.say, response=node.exemplars.strong[0],
                                rubric=scenario.rubric, **scenario.moment_of(node))
        _profiles[key] = {cid: item.score for cid, item in result.criteria.items()}
    return _profiles[key]
