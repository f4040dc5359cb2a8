"""Everything the play page shows, gathered from the attempt, its turns and its scenario."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from simulator.models import Attempt, Turn
from simulator.practice.answers import MAX_RESPONSE_CHARS
from simulator.practice.attempts import turn_rows
from simulator.practice.feedback import TurnFeedback, feedback_for
from simulator.scenarios.model import ClientNode, Scenario
from simulator.scenarios.vocabulary import MARKERS, NOTICE_FAMILIES
from simulator.web import credited_spans


@dataclass(frozen=True)
class Exchange:
    """One answered moment: what the client said, what the trainee said, how the client reacted."""

    turn: Turn
    cue: str | None
    answer_text: str
    reaction: str | None
    reaction_cue: str | None


@dataclass(frozen=True)
class Comparison:
    """A rewound moment: the earlier answer and the new one side by side."""

    before: Exchange
    after: Exchange

    @property
    def change(self) -> float:
        return round(self.after.turn.overall - self.before.turn.overall, 2)


def exchange(scenario: Scenario, turn: Turn) -> Exchange:
    """Describe one stored turn for display."""
    node = scenario.nodes.get(turn.node_id)
    reaction = scenario.nodes.get(turn.next_node)
    answer = turn.response_text or ""
    if turn.choice_index is not None and isinstance(node, ClientNode):
        answer = node.choices[turn.choice_index].text
    return Exchange(
        turn=turn, cue=getattr(node, "cue", None), answer_text=answer,
        reaction=getattr(reaction, "say", None), reaction_cue=getattr(reaction, "cue", None),
    )


def _comparison(scenario: Scenario, all_turns: list[Turn], last: Turn | None) -> Comparison | None:
    if last is None:
        return None
    earlier = [t for t in all_turns
               if t.superseded and t.node_id == last.node_id and t.index < last.index]
    if not earlier:
        return None
    return Comparison(exchange(scenario, earlier[-1]), exchange(scenario, last))


def _feedback(scenario: Scenario, attempt: Attempt, last: Turn | None) -> TurnFeedback | None:
    if last is None or attempt.mode != "practice":
        return None
    node = scenario.nodes.get(last.node_id)
    if not isinstance(node, ClientNode):
        return None
    return feedback_for(scenario, node, last.scores, last.response_text)


def play_context(session: Session, attempt: Attempt, scenario: Scenario, **extra) -> dict:
    """The template context for the play page and its fragment."""
    all_turns = turn_rows(session=session, attempt_id=attempt.id)
    live = [t for t in all_turns if not t.superseded]
    last = live[-1] if live else None
    return {
        "attempt": attempt, "scenario": scenario, "client": scenario.client,
        "exchanges": [exchange(scenario, t) for t in live],
        "node": scenario.node(attempt.current_node),
        # Every turn is loaded, rewound ones too, so the next index needs no second query.
        "next_index": all_turns[-1].index + 1 if all_turns else 0,
        "feedback": _feedback(scenario, attempt, last),
        "last_exchange": exchange(scenario, last) if last else None,
        "evidence_spans": credited_spans(last.scores) if last else [],
        "comparison": _comparison(scenario, all_turns, last),
        "can_rewind": attempt.mode == "practice" and last is not None,
        "families": NOTICE_FAMILIES, "markers": MARKERS,
        "max_chars": MAX_RESPONSE_CHARS,
        "form_error": None, "draft": None, "just_answered": False,
        **extra,
    }
