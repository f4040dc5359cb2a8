"""Everything the play page shows, gathered from the attempt, its turns and its scenario."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from simulator.engine import AllianceState, whatif
from simulator.models import Attempt, Turn
from simulator.practice import alliance_words
from simulator.practice.annotated import AnnotatedExchange, Segment, annotate
from simulator.practice.answers import MAX_RESPONSE_CHARS
from simulator.practice.attempts import starting_state, turn_rows
from simulator.practice.effective import effective_turns
from simulator.practice.feedback import TurnFeedback, feedback_for
from simulator.rubric import Rubric
from simulator.scenarios.model import ClientNode, Scenario
from simulator.scenarios.vocabulary import MARKERS, NOTICE_FAMILIES
from simulator.trainee.choices_view import choices_view

ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth")


@dataclass(frozen=True)
class Exchange:
    """One answered moment: what the client said, what the trainee said, how the client reacted."""

    turn: Turn
    cue: str | None
    answer_text: str
    reaction: str | None
    reaction_cue: str | None


@dataclass(frozen=True)
class MeasureChange:
    """One criterion (or the overall score) across two tries, against what decides the branch."""

    name: str
    before: float
    after: float
    deciding: str | None = None  # the branch condition on this measure, in words

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass(frozen=True)
class Comparison:
    """A rewound moment: the earlier answer and the new one, and what the difference did."""

    before: Exchange
    after: Exchange
    before_label: str
    after_label: str
    rows: tuple[MeasureChange, ...] = ()
    verdict: str = ""  # same path or not, and why
    next_step: str | None = None  # what would have taken the newer answer another way

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


def _try_label(number: int) -> str:
    return f"{ORDINALS[number - 1]} try" if number <= len(ORDINALS) else f"Try {number}"


def _state_before(attempt: Attempt, scenario: Scenario, live: list, turn) -> AllianceState:
    """The alliance as it stood when `turn`'s moment was reached (a rewind restores it)."""
    earlier = [t for t in live if t.index < turn.index]
    if earlier:
        return AllianceState(earlier[-1].salience, earlier[-1].direction)
    return starting_state(attempt, scenario)


def _comparison(scenario: Scenario, attempt: Attempt, all_turns: list, live: list,
                last, shown: dict) -> Comparison | None:
    earlier = _earlier_tries(all_turns, last)
    if not earlier:
        return None
    state = _state_before(attempt, scenario, live, last)
    return compare(scenario, shown[earlier[-1].id], shown[last.id], state,
                   number=len(earlier) + 1)


def _earlier_tries(all_turns: list, last) -> list:
    """The rewound answers to the last answered moment, oldest first."""
    if last is None:
        return []
    return [t for t in all_turns
            if t.superseded and t.node_id == last.node_id and t.index < last.index]


def compare(scenario: Scenario, first, second, state: AllianceState, *,
            number: int = 2) -> Comparison:
    """Two answers to one moment, per criterion, against the branch conditions deciding it."""
    rubric = scenario.rubric
    # the engine's scores decided the branch, so they are what is set against its conditions
    one, two = (whatif.measures_of(getattr(t, "engine_scores", t.scores)) for t in (first, second))
    doors_one = whatif.doors(scenario, first.node_id, one, state, choice_index=first.choice_index)
    doors_two = whatif.doors(scenario, second.node_id, two, state,
                             choice_index=second.choice_index)
    deciding_flags = [f for f in rubric.flag_ids
                      if any(s.measure == f for d in doors_two for s in d.shortfalls)]
    rows = tuple(MeasureChange(_name(m, rubric), one.get(m, 0.0), two.get(m, 0.0),
                               _deciding(m, doors_two, rubric))
                 for m in (*rubric.criterion_ids, *deciding_flags, "overall"))
    nearest = whatif.what_would_change(scenario, second.node_id, two, state,
                                       choice_index=second.choice_index)
    return Comparison(
        exchange(scenario, first), exchange(scenario, second),
        _try_label(number - 1), _try_label(number), rows,
        verdict=_verdict(doors_one, doors_two, nearest, rubric, _try_label(number).lower()),
        next_step=whatif.describe_gap(nearest, rubric) if nearest else None,
    )


def _name(measure: str, rubric: Rubric) -> str:
    return "Overall score" if measure == "overall" else rubric.item(measure).name


def _condition(s: whatif.Shortfall, rubric: Rubric) -> str:
    return f"{_name(s.measure, rubric).lower()} {s.op.replace('>=', '≥').replace('<=', '≤')} " \
           f"{s.threshold:.2f}"


def _deciding(measure: str, found: tuple, rubric: Rubric) -> str | None:
    """How the newer answer stood against the first branch condition on this measure."""
    for door in found:
        for s in door.shortfalls:
            if s.measure != measure or s.op not in (">=", ">"):
                continue
            if s.met:
                return f"{_condition(s, rubric)}: reached"
            if measure in rubric.flag_ids:  # a move to avoid: staying under it is no shortfall
                return f"{_condition(s, rubric)}: stayed under"
            return f"{_condition(s, rubric)}: {s.gap:.2f} short"
    return None


def _verdict(first: tuple, second: tuple, nearest: whatif.Door | None, rubric: Rubric,
             newer: str) -> str:
    """Whether both answers took the same path, and the conditions that made it so."""
    one, two = whatif.taken_door(first), whatif.taken_door(second)
    if one is None or two is None:  # a chosen option's own path decided
        return ("Each option leads on in its own way, so the client's reply follows the "
                "option rather than a score.")
    if one.index != two.index:
        return (f"The two answers took different paths. The {newer}: "
                f"{_why_taken(two, rubric)}. Before: {_why_taken(one, rubric)}.")
    if nearest is None:
        return "Both answers took the same path: " + _why_taken(two, rubric) + "."
    return whatif.same_way_words(first, second, nearest, rubric)


def _why_taken(door: whatif.Door, rubric: Rubric) -> str:
    numeric = [s for s in door.shortfalls if s.measure not in ("direction", "salience")]
    if door.otherwise or not numeric:
        return "none of the conditions for the other paths held"
    return " and ".join(f"{_condition(s, rubric)} held ({s.actual:.2f})" for s in numeric)


def _feedback(scenario: Scenario, attempt: Attempt, last) -> TurnFeedback | None:
    if last is None or attempt.mode != "practice":
        return None
    node = scenario.nodes.get(last.node_id)
    if not isinstance(node, ClientNode):
        return None
    return feedback_for(scenario, node, last.scores, last.response_text)


def _words(scenario: Scenario, turn, number: int) -> AnnotatedExchange:
    """The last answer drawn for the feedback panel (its own element ids: it is also listed)."""
    return replace(annotate(scenario, turn, number=number), anchor=f"feedback-{turn.id}")


def _conversation(scenario: Scenario, live: list) -> list[AnnotatedExchange]:
    """The answers so far, drawn by the conversation macro as a plain transcript: the last
    answer's highlights and their reasons are in the feedback panel (practice mode only), and
    every answer's are in the debrief. Nothing is judged on screen in assessment mode."""
    drawn = [annotate(scenario, turn, number=n) for n, turn in enumerate(live, 1)]
    return [replace(ex, words=(Segment(ex.answer_text),), scores=()) for ex in drawn]


def _alliance(attempt: Attempt, scenario: Scenario, live: list):
    """The alliance meter (None in assessment mode, where the trainee sees no measure, and in
    a drill, where the alliance counts misses and the drill's own progress line shows them)."""
    if attempt.mode == "assessment" or scenario.is_drill:
        return None
    before = _state_before(attempt, scenario, live, live[-1]).salience if live else None
    return alliance_words.meter(attempt.salience, before, scenario.client.name)


def _drill(attempt: Attempt, scenario: Scenario) -> dict | None:
    """A drill's progress: which statement of how many, and misses used of those allowed."""
    if not scenario.is_drill or scenario.mastery is None:
        return None
    order = list(scenario.client_nodes)
    at = order.index(attempt.current_node) + 1 if attempt.current_node in order else len(order)
    return {"statement": at, "of": len(order),
            "misses": max(0, attempt.salience - scenario.alliance.salience),
            "allowed": scenario.mastery.misses, "mastery": scenario.mastery.statement}


def play_context(session: Session, attempt: Attempt, scenario: Scenario, **extra) -> dict:
    """The template context for the play page and its fragment."""
    all_turns = turn_rows(session=session, attempt_id=attempt.id)
    live = [t for t in all_turns if not t.superseded]
    last = live[-1] if live else None
    # Every score the page shows is read through the turn's reviews (one query).
    earlier = _earlier_tries(all_turns, last)
    shown = {t.id: t for t in effective_turns(session, [*live, *earlier[-1:]], scenario.rubric)}
    last_shown = shown.get(last.id) if last else None
    feedback = _feedback(scenario, attempt, last_shown)
    context = {
        "attempt": attempt, "scenario": scenario, "client": scenario.client,
        "conversation": _conversation(scenario, [shown[t.id] for t in live]),
        "node": scenario.node(attempt.current_node),
        # Every turn is loaded, rewound ones too, so the next index needs no second query.
        "next_index": all_turns[-1].index + 1 if all_turns else 0,
        "feedback": feedback,
        "feedback_words": _words(scenario, last_shown, len(live)) if feedback else None,
        "last_exchange": exchange(scenario, last_shown) if last_shown else None,
        "comparison": _comparison(scenario, attempt, all_turns, live, last, shown),
        "alliance": _alliance(attempt, scenario, live),
        "drill": _drill(attempt, scenario),
        "can_rewind": attempt.mode == "practice" and last is not None,
        "families": NOTICE_FAMILIES, "markers": MARKERS,
        "max_chars": MAX_RESPONSE_CHARS,
        "form_error": None, "draft": None, "just_answered": False,
        **extra,
    }
    node = context["node"]
    if isinstance(node, ClientNode) and node.respond in ("choice", "both"):
        context["choices"] = choices_view(attempt.id, node, context["draft"],
                                          context["form_error"])
    return context

