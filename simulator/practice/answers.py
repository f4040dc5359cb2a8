"""Turning a trainee's answer into scores: free text through the scorer, choices as authored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from simulator.engine import choice_measures, score_notice
from simulator.rubric import Rubric
from simulator.scenarios.model import ClientNode, Scenario
from simulator.scoring import score_response

MAX_RESPONSE_CHARS = 4000
MAX_NOTE_CHARS = 1000  # the private "what do you notice in yourself" note
ANSWER_MODES = ("choice", "free")  # at a `respond: both` moment the trainee picks one
PICK_A_MODE = ("Please say how you want to answer: choose one of the responses, or write "
               "your own. Anything you typed is still in the box.")
PICK_A_CHOICE = "Please choose one of the responses before continuing."


class AnswerRefused(ValueError):
    """The answer cannot be scored; the message says what to change (the text is kept)."""


@dataclass(frozen=True)
class Answer:
    """What the trainee sent for one client line."""

    response: str | None = None
    choice: int | None = None
    notice_family: str | None = None
    notice_markers: tuple[str, ...] = ()
    notice_reaction: str = ""
    mode: str | None = None  # "choice" or "free": which part counts at a `respond: both` moment


@dataclass(frozen=True)
class Scored:
    """Measures for branching and the JSON stored on the turn."""

    measures: dict[str, float]
    stored: dict = field(default_factory=dict)


def answer_mode(node: ClientNode, answer: Answer) -> str | None:
    """How this moment is answered: its only way, or the one the trainee picked where both are."""
    if node.respond in ANSWER_MODES:
        return node.respond
    return answer.mode if answer.mode in ANSWER_MODES else None


def counted(node: ClientNode, answer: Answer) -> Answer:
    """The answer with the part this moment does not take dropped (a choice or the words)."""
    if answer_mode(node, answer) == "choice":
        return replace(answer, response=None)
    return replace(answer, choice=None)


def check_answer(node: ClientNode, answer: Answer) -> None:
    """Refuse empty, over-long or impossible answers with a kind, specific message."""
    if len(answer.notice_reaction.strip()) > MAX_NOTE_CHARS:
        raise AnswerRefused(f"Your note on what you notice in yourself is longer than "
                            f"{MAX_NOTE_CHARS:,} characters. It is still in the box: please "
                            "shorten it.")
    mode = answer_mode(node, answer)
    if mode is None:
        raise AnswerRefused(PICK_A_MODE)
    if mode == "choice":
        if answer.choice is None:
            raise AnswerRefused(PICK_A_CHOICE)
        if not 0 <= answer.choice < len(node.choices):
            raise AnswerRefused("That option is not one of the choices. Please pick one.")
        return
    text = (answer.response or "").strip()
    if not text:
        raise AnswerRefused("Take your time. When you are ready, write what you would say "
                            "to the client, even a single sentence.")
    if len(text) > MAX_RESPONSE_CHARS:
        raise AnswerRefused(f"Your response is {len(text):,} characters; the limit is "
                            f"{MAX_RESPONSE_CHARS:,}. Your text is still in the box: please "
                            "shorten it to what you would say aloud in one turn.")


def score_answer(scenario: Scenario, node: ClientNode, answer: Answer,
                 earlier: Sequence[str] = ()) -> Scored:
    """Score a checked answer against the scenario's rubric, this moment's `about` and needs,
    and the trainee's `earlier` answers in the attempt (a repeat earns nothing twice); only
    the part of the answer the moment takes counts."""
    if answer_mode(node, answer) == "choice":
        return _score_choice(scenario, node, answer.choice)
    moment = scenario.moment_of(node)
    result = score_response(
        client=node.say, response=answer.response.strip(), rubric=scenario.rubric,
        indicators=node.indicators or None, exemplars=_exemplars(node), earlier=earlier,
        **moment,
    )
    stored = {"kind": "free", **result.to_json(), "needs": list(moment["needs"])}
    for group, items in (("criteria", result.criteria), ("flags", result.flags)):
        for item_id, item in items.items():
            stored[group][item_id].update(level=item.level, label=item.label,
                                          feedback=item.feedback)
    return Scored(result.measures(), _judged_here(node, stored))


# Judged only at a moment whose client line carries a risk cue; elsewhere they are not shown,
# stored or averaged (a 0 there would say "did not check safety" where there was nothing to check).
RISK_ONLY = {"criteria": ("safety",), "flags": ("safety_missed",)}


def _judged_here(node: ClientNode, stored: dict) -> dict:
    if not node.risk:
        for group, ids in RISK_ONLY.items():
            for item_id in ids:
                stored[group].pop(item_id, None)
    return stored


def _exemplars(node: ClientNode) -> dict | None:
    if node.exemplars is None:
        return None
    return {"strong": list(node.exemplars.strong), "weak": list(node.exemplars.weak)}


def _score_choice(scenario: Scenario, node: ClientNode, index: int) -> Scored:
    measures = choice_measures(scenario, node, index)
    rubric: Rubric = scenario.rubric
    stored = {"kind": "choice", "choice_feedback": node.choices[index].feedback,
              "needs": list(scenario.needs_of(node)),
              "overall": measures["overall"], "confidence": 1.0, "criteria": {}, "flags": {}}
    for group, items in (("criteria", rubric.criteria), ("flags", rubric.flags)):
        for item in items:
            level = item.level_for(measures[item.id])
            stored[group][item.id] = {"score": measures[item.id], "level": level.level,
                                      "label": level.label, "evidence": [],
                                      "feedback": level.feedback}
    return Scored(measures, _judged_here(node, stored))


def score_notice_answer(node: ClientNode, answer: Answer) -> dict | None:
    """The notice step's result, or None when the node has none or nothing was named."""
    if node.notice is None or not (answer.notice_family or answer.notice_markers):
        return None
    result = score_notice(node, answer.notice_family, answer.notice_markers)
    return {"family": answer.notice_family, "markers": list(answer.notice_markers),
            "reaction": answer.notice_reaction.strip(), "score": result.score,
            "family_correct": result.family_correct, "marker_correct": result.marker_correct,
            "expected_family": node.notice.family,
            "expected_markers": list(node.notice.markers)}
