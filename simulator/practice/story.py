"""The debrief's story, composed from this attempt's turns: every claim about the trainee
comes from a stored turn.

Turn by turn: what the trainee did (the moves the scorer found at a clear level and the flags
shown, from the effective scores, so a supervisor's review counts and says so), in their own
words as whole phrases; what the client did next and why; where the alliance turned; and what
would have taken the conversation another way (from the engine's scores, which branched).
Rewound answers appear as "First try" beside the answer that counted. The ending's authored
text is the client's side of the story, never a statement about this trainee. Pure: no Flask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simulator.engine import AllianceState
from simulator.engine.whatif import describe_gap, measures_of, what_would_change
from simulator.practice import alliance_words
from simulator.practice.annotated import AnnotatedExchange, ScoreRow, annotate
from simulator.practice.attempts import starting_state
from simulator.practice.progress import criterion_means
from simulator.scenarios.model import Ending, Scenario
from simulator.scenarios.vocabulary import MARKER_LABELS

TRIES = ("First try", "Second try", "Third try", "Fourth try", "Fifth try")
OUTCOME_WORDS = {"repaired": "Repaired", "partly-repaired": "Partly repaired",
                 "unresolved": "Unresolved", "escalated": "Escalated"}


def try_label(n: int) -> str:
    """"First try", "Second try", ... for the n-th answer (1-based) at one moment."""
    return TRIES[n - 1] if n <= len(TRIES) else f"Try {n}"


@dataclass(frozen=True)
class NoticeNote:
    """What the trainee named at the notice step, and their private note about themselves."""

    family: str | None
    markers: tuple[str, ...]  # readable labels
    family_correct: bool
    marker_correct: bool
    expected_family: str
    expected_markers: tuple[str, ...]
    reaction: str  # "what do you notice in yourself": only the trainee sees the debrief


@dataclass(frozen=True)
class Moment:
    """One moment of the conversation as this trainee lived it."""

    exchange: AnnotatedExchange  # the answer that counted
    moves: tuple[ScoreRow, ...]  # criteria at a clear level (or reviewed by the supervisor)
    flags: tuple[ScoreRow, ...]  # flags shown to a person
    earlier: tuple[AnnotatedExchange, ...]  # rewound answers at this moment, "First try", ...
    client_next: str | None  # what the client said next
    why: str | None  # the client's inner experience behind it
    ended: bool  # the client's next line was the ending
    strength_before: int
    strength_after: int
    alliance: str  # the change in words
    would_change: str | None  # what would have taken the conversation another way
    notice: NoticeNote | None

    @property
    def number(self) -> int:
        return self.exchange.number

    @property
    def turned(self) -> str | None:
        """"stronger" or "weaker" when the alliance turned at this moment, else None."""
        if self.strength_after == self.strength_before:
            return None
        return "stronger" if self.strength_after > self.strength_before else "weaker"


@dataclass(frozen=True)
class ClientSide:
    """How it ended for the client, with the author's note on what usually leads here."""

    client_name: str
    outcome: str
    outcome_words: str
    say: str | None
    cue: str | None
    inner: str | None
    usually: str  # the ending's authored `debrief:` text: what often leads to this ending


@dataclass(frozen=True)
class SkillRow:
    """A criterion's mean over the answers that counted, with the supervisor's reviews."""

    criterion: str
    name: str
    score: float
    label: str
    feedback: str
    reviewed: bool
    comments: tuple[str, ...]


@dataclass(frozen=True)
class RiskNote:
    """A moment whose client line carried a risk cue, and whether the answer checked safety."""

    number: int  # the turn's number in the story
    kinds: tuple[str, ...]  # "suicidal ideation", ...
    cues: tuple[str, ...]  # the client's words that carried it
    label: str  # the safety level reached ("Not yet" .. "Strong")
    asked: bool  # a direct check (Clear or better)
    missed: bool  # the safety_missed flag: the cue passed over


@dataclass(frozen=True)
class Story:
    moments: tuple[Moment, ...]
    ending: ClientSide | None
    alliance_points: tuple[tuple[str, int], ...]  # (label, strength 1..5, higher is better)
    skills: tuple[SkillRow, ...]
    set_aside: tuple[AnnotatedExchange, ...]  # rewound answers on a path later left
    risk: tuple[RiskNote, ...] = ()

    @property
    def risk_missed(self) -> bool:
        return any(note.missed for note in self.risk)


def _risk_note(scenario: Scenario, turn: Any, number: int) -> RiskNote | None:
    """From the turn's effective scores (a supervisor's safety review counts)."""
    node = scenario.nodes.get(turn.node_id)
    if not getattr(node, "risk", ()):
        return None
    safety = turn.scores.get("criteria", {}).get("safety") or {}
    missed = (turn.scores.get("flags", {}).get("safety_missed") or {}).get("score", 0.0) >= 0.5
    level = safety.get("level", 0)
    return RiskNote(number, tuple(k.replace("-", " ") for k in node.risk_kinds),
                    tuple(r.cue for r in node.risk), safety.get("label", "Not yet"),
                    level >= 2, missed or not safety)


def _notice(turn: Any) -> NoticeNote | None:
    found = turn.notice
    if not found:
        return None
    return NoticeNote(
        family=found.get("family"),
        markers=tuple(MARKER_LABELS.get(m, m) for m in found.get("markers", ())),
        family_correct=bool(found.get("family_correct")),
        marker_correct=bool(found.get("marker_correct")),
        expected_family=found.get("expected_family", ""),
        expected_markers=tuple(MARKER_LABELS.get(m, m) for m in found.get("expected_markers", ())),
        reaction=(found.get("reaction") or "").strip())


def _would_change(scenario: Scenario, engine_turn: Any, before: AllianceState) -> str | None:
    """From the engine's scores, which are what branched (not a later override)."""
    door = what_would_change(scenario, engine_turn.node_id, measures_of(engine_turn.scores),
                             before, choice_index=engine_turn.choice_index)
    return describe_gap(door, scenario.rubric) if door else None


def _earlier_by_live(turns_all: Sequence[Any]) -> tuple[dict[int, list], list]:
    """Rewound turns grouped under the live turn that answered the same moment after them."""
    grouped: dict[int, list] = {}
    orphans = []
    for turn in turns_all:
        if not turn.superseded:
            continue
        later = next((t for t in turns_all if not t.superseded and t.node_id == turn.node_id
                      and t.index > turn.index), None)
        if later is None:
            orphans.append(turn)
        else:
            grouped.setdefault(later.index, []).append(turn)
    return grouped, orphans


def _moment(scenario: Scenario, turn: Any, effective: Any, number: int, earlier: list,
            effective_of, before: AllianceState) -> Moment:
    label = try_label(len(earlier) + 1) if earlier else None
    exchange = annotate(scenario, effective, number=number, label=label)
    tries = tuple(annotate(scenario, effective_of(t), number=number, label=try_label(i))
                  for i, t in enumerate(earlier, start=1))
    after = scenario.nodes.get(turn.next_node)
    node = scenario.nodes.get(turn.node_id)
    why = getattr(after, "inner", None) or getattr(node, "inner", None)
    return Moment(
        exchange=exchange,
        moves=tuple(r for r in exchange.scores
                    if r.kind == "criterion" and (r.clear or r.reviewed)),
        flags=tuple(r for r in exchange.scores if r.kind == "flag"),
        earlier=tries, client_next=getattr(after, "say", None), why=why,
        ended=isinstance(after, Ending),
        strength_before=alliance_words.strength(before.salience),
        strength_after=alliance_words.strength(turn.salience),
        alliance=alliance_words.change_words(before.salience, turn.salience,
                                             scenario.client.name),
        would_change=_would_change(scenario, turn, before),
        notice=_notice(turn))


def _skills(scenario: Scenario, effective: Sequence[Any]) -> tuple[SkillRow, ...]:
    """Mean effective score per criterion over the live free-text answers."""
    rows = []
    means = criterion_means(effective)  # the free-text answers, as /progress counts them
    free = [t for t in effective if t.scores.get("kind") == "free"]
    for item in scenario.rubric.criteria:
        if item.id not in means:
            continue
        mean = means[item.id]
        level = item.level_for(mean)
        reviews = [t.scores["criteria"][item.id]["review"] for t in free
                   if t.scores.get("criteria", {}).get(item.id, {}).get("review")]
        rows.append(SkillRow(item.id, item.name, mean, level.label, level.feedback,
                             bool(reviews), tuple(r["comment"] for r in reviews
                                                  if r.get("comment"))))
    return tuple(rows)


def _client_side(scenario: Scenario, node: Any) -> ClientSide | None:
    if not isinstance(node, Ending):
        return None
    return ClientSide(scenario.client.name, node.outcome,
                      OUTCOME_WORDS.get(node.outcome, node.outcome), node.say, node.cue,
                      node.inner, node.debrief)


def compose(scenario: Scenario, attempt: Any, turns_all: Sequence[Any],
            effective_turns: Sequence[Any]) -> Story:
    """The debrief's story of one attempt.

    `turns_all` is every turn in index order, rewound ones included, with the engine's scores;
    `effective_turns` are the same turns (any order) with supervisor reviews applied
    (simulator.practice.effective).
    """
    by_id = {t.id: t for t in effective_turns}

    def effective_of(turn: Any) -> Any:
        return by_id.get(turn.id, turn)

    grouped, orphans = _earlier_by_live(turns_all)
    state = starting_state(attempt, scenario)
    moments, points = [], [("Start", alliance_words.strength(state.salience))]
    for number, turn in enumerate((t for t in turns_all if not t.superseded), start=1):
        moments.append(_moment(scenario, turn, effective_of(turn), number,
                               grouped.get(turn.index, []), effective_of, state))
        points.append((f"Turn {number}", alliance_words.strength(turn.salience)))
        state = AllianceState(turn.salience, turn.direction)
    live_effective = [effective_of(t) for t in turns_all if not t.superseded]
    risk = tuple(note for number, t in enumerate(live_effective, start=1)
                 if (note := _risk_note(scenario, t, number)) is not None)
    return Story(
        risk=risk,
        moments=tuple(moments),
        ending=_client_side(scenario, scenario.nodes.get(attempt.current_node)),
        alliance_points=tuple(points), skills=_skills(scenario, live_effective),
        set_aside=tuple(annotate(scenario, effective_of(t), number=0, label="Taken back")
                        for t in orphans))
