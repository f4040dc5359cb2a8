"""Preview play: an author plays a saved version as a trainee would, and sees why it went there.

Every answer is checked, scored and branched on by the same functions real play uses
(simulator.practice.answers, simulator.engine), from the scenario's own starting alliance.
Replay is deterministic, so the page carries the answers given so far and replays them on each
request: nothing is stored (no attempt, turn, snapshot, audit entry or xAPI statement).
Pure: no Flask, no database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from simulator.engine import AllianceState, Step, advance, whatif
from simulator.practice.answers import (
    ANSWER_MODES,
    Answer,
    AnswerRefused,
    check_answer,
    counted,
    score_answer,
    score_notice_answer,
)
from simulator.practice.choice_order import shown_record
from simulator.scenarios.graph_export import condition_label
from simulator.scenarios.model import Branch, ClientNode, Ending, Scenario
from simulator.scenarios.vocabulary import RUPTURE_TYPES

MAX_TURNS = 60  # a scenario may loop; a preview that long has made its point
MAX_CARRIED_CHARS = 20_000  # one carried answer: a response, a note and their JSON quoting
MAX_MARKERS = 50
SEED = "preview"  # the options' shuffled order: fixed, as within one attempt
TOO_MANY = (f"A preview stops at {MAX_TURNS} answers. Start again to try another path; "
            "your last answer is still in the box.")
AT_AN_ENDING = "This preview has reached an ending. Start again to play it another way."


class PreviewBroken(ValueError):
    """The answers carried by the page do not replay on this version (edited or tampered)."""


@dataclass(frozen=True)
class BranchCheck:
    """One branch of a moment as the engine weighed it, with the values it was weighed on."""

    number: int  # 1-based, as an author counts the branches in the YAML
    label: str  # "ownership >= 0.5 (had 0.62) and overall >= 0.5 (had 0.41)", or "otherwise"
    goto: str
    held: bool
    taken: bool


@dataclass(frozen=True)
class Fired:
    """What chose where the conversation went: a branch's conditions, `otherwise`, or a choice."""

    label: str  # "ownership >= 0.5 and overall >= 0.5" | "otherwise" | "choice 2's own goto"
    goto: str
    branch: int | None  # index into node.branches; None when a choice's own goto decided


@dataclass(frozen=True)
class MeasureRow:
    """One criterion or flag as scored for this answer (every flag, shown to users or not)."""

    item_id: str
    name: str
    kind: str  # "criterion" | "flag"
    score: float
    level: int
    label: str


@dataclass(frozen=True)
class PreviewTurn:
    """One answered moment; reads like a stored Turn, so the app's exchange drawing takes it."""

    number: int
    node_id: str
    client_line: str
    answer: Answer  # as sent (carried to the next request)
    response_text: str | None  # as counted (the part of the answer this moment takes)
    choice_index: int | None
    scores: dict
    overall: float
    confidence: float
    notice: dict | None
    next_node: str
    before: AllianceState
    after: AllianceState
    fired: Fired
    branches: tuple[BranchCheck, ...]
    measures: tuple[MeasureRow, ...]

    @property
    def id(self) -> int:
        return self.number


@dataclass(frozen=True)
class Preview:
    """Where a preview stands: the answered moments, the current node and the alliance."""

    scenario: Scenario
    turns: tuple[PreviewTurn, ...]
    node_id: str
    state: AllianceState

    @property
    def node(self) -> ClientNode | Ending:
        return self.scenario.node(self.node_id)

    @property
    def ended(self) -> bool:
        return isinstance(self.node, Ending)

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(turn.answer for turn in self.turns)


def start(scenario: Scenario) -> Preview:
    """A fresh preview: the scenario's start, with the alliance a fresh attempt begins with."""
    return Preview(scenario, (), scenario.start, AllianceState.initial(scenario))


def answer(preview: Preview, sent: Answer) -> Preview:
    """The preview after one more answer; AnswerRefused (the real message) when it cannot be."""
    node = preview.node
    if not isinstance(node, ClientNode):
        raise AnswerRefused(AT_AN_ENDING)
    if len(preview.turns) >= MAX_TURNS:
        raise AnswerRefused(TOO_MANY)
    check_answer(node, sent)
    taken = counted(node, sent)  # only the mode answered in is scored, as in real play
    scenario = preview.scenario
    earlier = [t.response_text for t in preview.turns
               if t.node_id != node.id and t.response_text]
    scored = score_answer(scenario, node, taken, earlier)
    step = advance(scenario, node.id, scored.measures, preview.state, choice_index=taken.choice)
    turn = PreviewTurn(
        number=len(preview.turns) + 1, node_id=node.id, client_line=node.say, answer=sent,
        response_text=(taken.response or "").strip() or None, choice_index=taken.choice,
        scores={**scored.stored, **shown_record(SEED, node, taken.choice)},
        overall=scored.measures["overall"], confidence=scored.stored.get("confidence", 1.0),
        notice=score_notice_answer(node, taken), next_node=step.next_node,
        before=preview.state, after=step.alliance, fired=_fired(node, step, taken.choice),
        branches=_branches(scenario, node, scored.measures, preview.state, taken.choice),
        measures=_measures(scenario, scored.stored),
    )
    return replace(preview, turns=(*preview.turns, turn), node_id=step.next_node,
                   state=step.alliance)


def replay(scenario: Scenario, answers: Sequence[Answer]) -> Preview:
    """Play these answers from the start; PreviewBroken when one no longer fits."""
    if len(answers) > MAX_TURNS:
        raise PreviewBroken(f"the page carries {len(answers)} answers; a preview stops at "
                            f"{MAX_TURNS}")
    preview = start(scenario)
    for number, sent in enumerate(answers, 1):
        try:
            preview = answer(preview, sent)
        except AnswerRefused as refused:
            raise PreviewBroken(f"answer {number} no longer fits this version: {refused}") \
                from None
    return preview


def _fired(node: ClientNode, step: Step, choice: int | None) -> Fired:
    if step.branch_index is None:  # the engine took the chosen option's own goto
        return Fired(f"choice {(choice or 0) + 1}'s own goto", step.next_node, None)
    branch = node.branches[step.branch_index]
    return Fired(_conditions(branch), branch.goto, step.branch_index)


def _conditions(branch: Branch) -> str:
    if branch.otherwise:
        return "otherwise"
    return " and ".join(condition_label(c) for c in branch.conditions)


def _branches(scenario: Scenario, node: ClientNode, measures: dict, before: AllianceState,
              choice: int | None) -> tuple[BranchCheck, ...]:
    """Every branch up to the one taken, each condition with the value it met or missed."""
    checks = []
    for door in whatif.doors(scenario, node.id, measures, before, choice_index=choice):
        branch = node.branches[door.index]
        held = [f"{condition_label(c)} (had {_value(c.measure, s.actual)})"
                for c, s in zip(branch.conditions, door.shortfalls, strict=True)]
        label = "otherwise" if door.otherwise else " and ".join(held)
        checks.append(BranchCheck(door.index + 1, label, door.goto, door.holds, door.taken))
        if door.taken:
            break
    return tuple(checks)


def _value(measure: str, actual: float | str) -> str:
    """A direction as it is, a salience as a whole number, a score to two places."""
    if isinstance(actual, str):
        return actual
    return str(int(actual)) if measure == "salience" else f"{actual:.2f}"


def _measures(scenario: Scenario, stored: dict) -> tuple[MeasureRow, ...]:
    rubric = scenario.rubric
    return tuple(
        MeasureRow(item_id, rubric.item(item_id).name, kind, float(item["score"]),
                   int(item.get("level", 0)), item.get("label", ""))
        for group, kind in (("criteria", "criterion"), ("flags", "flag"))
        for item_id, item in stored.get(group, {}).items()
    )


def encode(sent: Answer) -> str:
    """One answer as the page carries it to the next request (a hidden input's value)."""
    return json.dumps({"response": sent.response, "choice": sent.choice, "mode": sent.mode,
                       "notice_family": sent.notice_family,
                       "notice_markers": list(sent.notice_markers),
                       "notice_reaction": sent.notice_reaction},
                      ensure_ascii=False, separators=(",", ":"))


def decode(carried: str) -> Answer:
    """The answer a hidden input carries; PreviewBroken for anything the page never wrote."""
    if len(carried) > MAX_CARRIED_CHARS:
        raise PreviewBroken("a carried answer is longer than any the page writes")
    try:
        data = json.loads(carried)
    except ValueError:
        raise PreviewBroken("a carried answer is not one the page wrote") from None
    if not isinstance(data, dict):
        raise PreviewBroken("a carried answer is not one the page wrote")
    markers = data.get("notice_markers") or []
    checks = (
        _optional(data.get("response"), str),
        _optional(data.get("choice"), int) and not isinstance(data.get("choice"), bool),
        data.get("mode") is None or data.get("mode") in ANSWER_MODES,
        data.get("notice_family") is None or data.get("notice_family") in RUPTURE_TYPES,
        isinstance(markers, list) and len(markers) <= MAX_MARKERS
        and all(isinstance(m, str) for m in markers),
        isinstance(data.get("notice_reaction", ""), str),
    )
    if not all(checks):
        raise PreviewBroken("a carried answer is not one the page wrote")
    return Answer(response=data.get("response"), choice=data.get("choice"),
                  mode=data.get("mode"), notice_family=data.get("notice_family"),
                  notice_markers=tuple(dict.fromkeys(markers)),
                  notice_reaction=data.get("notice_reaction", ""))


def _optional(value, kind: type) -> bool:
    return value is None or isinstance(value, kind)
