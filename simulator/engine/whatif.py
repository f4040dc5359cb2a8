"""What would have changed where the conversation went: each branch of a moment, and its gaps.

Branching takes the first branch whose conditions hold, after the alliance rules have moved the
state, so the branches listed before the one taken are the ones the answer fell short of. For a
stored turn the measures are the engine's scores at the time (what actually branched), not a
supervisor's later override.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.engine.alliance import MAX_SALIENCE, MIN_SALIENCE, AllianceState, apply_rules
from simulator.rubric import Rubric
from simulator.scenarios.conditions import OPERATORS
from simulator.scenarios.model import ClientNode, Condition, Scenario


@dataclass(frozen=True)
class Shortfall:
    """One condition of a branch: the threshold, what the answer had, how far it had to move."""

    measure: str
    op: str
    threshold: float | str
    actual: float | str
    gap: float | None  # 0 when met; None for a condition no amount can meet (a direction)

    @property
    def met(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True)
class Door:
    """A branch of the moment, whether it was the one taken, and what it lacked."""

    index: int
    goto: str
    taken: bool
    holds: bool
    otherwise: bool
    shortfalls: tuple[Shortfall, ...]

    @property
    def unmet(self) -> tuple[Shortfall, ...]:
        return tuple(s for s in self.shortfalls if not s.met)

    @property
    def distance(self) -> float:
        """How far the answer was from this branch in all (inf when it cannot be reached)."""
        if any(s.gap is None for s in self.unmet):
            return float("inf")
        return round(sum(s.gap for s in self.unmet), 4)


def measures_of(scores: Mapping) -> dict[str, float]:
    """The measures a stored turn branched on: its criterion and flag scores and overall."""
    measures = {item_id: float(item["score"])
                for group in ("criteria", "flags")
                for item_id, item in scores.get(group, {}).items()}
    measures["overall"] = float(scores.get("overall", 0.0))
    measures["flagged"] = max((float(item["score"]) for item in scores.get("flags", {}).values()),
                              default=0.0)
    return measures


def _shortfall(condition: Condition, measures: Mapping[str, float],
               state: AllianceState) -> Shortfall:
    if condition.measure == "direction":
        met = state.direction == condition.value
        return Shortfall("direction", "==", condition.value, state.direction, 0 if met else None)
    actual = (float(state.salience) if condition.measure == "salience"
              else float(measures.get(condition.measure, 0.0)))
    threshold = float(condition.value)
    if OPERATORS[condition.op](actual, threshold):
        return Shortfall(condition.measure, condition.op, threshold, actual, 0)
    gap = abs(threshold - actual) if condition.op != "==" else abs(threshold - actual)
    # a strict comparison needs a little more than the threshold itself
    step = 1.0 if condition.measure == "salience" else 0.01
    gap = gap + (step if condition.op in (">", "<") else 0.0)
    return Shortfall(condition.measure, condition.op, threshold, actual, round(gap, 4))


def doors(scenario: Scenario, node_id: str, measures: Mapping[str, float],
          state_before: AllianceState, *, choice_index: int | None = None) -> tuple[Door, ...]:
    """Every branch of the moment in order, which was taken, and each one's shortfalls.

    Empty when a chosen option's own `goto` decided (no branch was weighed).
    """
    node = scenario.node(node_id)
    if not isinstance(node, ClientNode):
        return ()
    if choice_index is not None and node.choices[choice_index].goto:
        return ()
    state = apply_rules(scenario, state_before, measures)
    found, taken = [], None
    for index, branch in enumerate(node.branches):
        shortfalls = tuple(_shortfall(c, measures, state) for c in branch.conditions)
        holds = branch.otherwise or all(s.met for s in shortfalls)
        is_taken = holds and taken is None
        if is_taken:
            taken = index
        found.append(Door(index, branch.goto, is_taken, holds, branch.otherwise, shortfalls))
    return tuple(found)


def taken_door(found: tuple[Door, ...]) -> Door | None:
    """The branch the conversation went through."""
    return next((door for door in found if door.taken), None)


_FLIP = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
_STEP = 0.01


def _helpful(shortfall: Shortfall, rubric: Rubric) -> bool:
    """Whether meeting this condition asks for more skill: more of a criterion or the overall
    score, less of a flag, or a steadier alliance (never "more advice" or "less reflection")."""
    up = shortfall.op in (">=", ">")
    if shortfall.measure in rubric.flag_ids:
        return not up
    if shortfall.measure == "salience":
        return not up
    return up and (shortfall.measure == "overall" or shortfall.measure in rubric.criterion_ids)


def _moved_to(measures: Mapping[str, float], needed: tuple[Shortfall, ...]) -> dict[str, float]:
    """The measures with each unmet numeric condition just met."""
    moved = dict(measures)
    for s in needed:
        if s.measure in ("salience", "direction") or s.gap in (None, 0):
            continue
        sign = 1 if s.op in (">=", ">") else -1
        moved[s.measure] = float(s.actual) + sign * s.gap
    return moved


def _blocking(door: Door, measures: Mapping[str, float], state: AllianceState,
              scenario: Scenario, node: ClientNode) -> Shortfall | None:
    """The smallest change that stops an earlier branch holding (it would be taken first)."""
    options = []
    for condition in node.branches[door.index].conditions:
        if condition.measure in ("direction",):
            continue
        flipped = Condition(condition.measure, _FLIP.get(condition.op, "<"), condition.value)
        options.append(_shortfall(flipped, measures, state))
    options = [o for o in options if o.gap not in (None, 0) and _helpful(o, scenario.rubric)]
    return min(options, key=lambda o: o.gap) if options else None


def what_would_change(scenario: Scenario, node_id: str, measures: Mapping[str, float],
                      state_before: AllianceState, *,
                      choice_index: int | None = None) -> Door | None:
    """The nearest branch to somewhere else that a more skilful answer would have taken.

    Only changes that ask for more skill count (more of a criterion or the overall score, less
    of a flag). A branch listed earlier that would then hold first must be stopped too, and that
    change is added to the door's shortfalls. The alliance state is taken as this answer left
    it. None when no such branch exists (the answer took the best way this moment offers).
    """
    found = doors(scenario, node_id, measures, state_before, choice_index=choice_index)
    taken = taken_door(found)
    if taken is None:
        return None
    node = scenario.node(node_id)
    state = apply_rules(scenario, state_before, measures)
    rubric = scenario.rubric
    best: Door | None = None
    for door in found:
        if door.goto == taken.goto or door.otherwise or door.distance == float("inf"):
            continue
        if not all(_helpful(s, rubric) for s in door.unmet):
            continue
        moved = _moved_to(measures, door.unmet)
        blocks, reachable = [], True
        for earlier in found[:door.index]:
            if earlier.goto == door.goto:
                continue
            if earlier.otherwise or all(s.met for s in (
                    _shortfall(c, moved, state) for c in node.branches[earlier.index].conditions)):
                block = None if earlier.otherwise else _blocking(earlier, moved, state, scenario,
                                                                 node)
                if block is None:
                    reachable = False
                    break
                blocks.append(block)
        if not reachable:
            continue
        candidate = Door(door.index, door.goto, False, False, False,
                         door.shortfalls + tuple(blocks))
        if best is None or (candidate.distance, candidate.index) < (best.distance, best.index):
            best = candidate
    return best


def _strength(salience: float) -> int:
    return int(MAX_SALIENCE + MIN_SALIENCE - salience)


def _measure_name(measure: str, rubric: Rubric) -> str:
    if measure == "overall":
        return "overall score"
    if measure == "flagged":
        return "strength of the strongest flag"
    if measure in rubric.criterion_ids or measure in rubric.flag_ids:
        return rubric.item(measure).name.lower()
    return measure


def describe_shortfall(shortfall: Shortfall, rubric: Rubric) -> str:
    """One unmet condition in words: "0.08 more ownership (needed at least 0.60; you had 0.52)"."""
    if shortfall.measure == "direction":
        return f"the client moving {shortfall.threshold} rather than {shortfall.actual}"
    if shortfall.measure == "salience":  # shown as alliance strength, higher is better
        if shortfall.op in ("<=", "<"):
            return (f"a steadier alliance (strength {_strength(shortfall.threshold)} of 5 or "
                    f"more; it was {_strength(shortfall.actual)})")
        return (f"a weaker alliance (strength {_strength(shortfall.threshold)} of 5 or less; "
                f"it was {_strength(shortfall.actual)})")
    name = _measure_name(shortfall.measure, rubric)
    more = shortfall.op in (">=", ">")
    bound = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than",
             "==": "exactly"}[shortfall.op]
    return (f"{shortfall.gap:.2f} {'more' if more else 'less'} {name} (needed {bound} "
            f"{shortfall.threshold:.2f}; you had {shortfall.actual:.2f})")


def describe_gap(door: Door, rubric: Rubric) -> str:
    """What the answer lacked to take this branch, in one sentence."""
    parts = [describe_shortfall(s, rubric) for s in door.unmet]
    if not parts:
        return "This answer already met that branch's conditions."
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed[0].upper()}{listed[1:]} would have taken the conversation another way."


def same_way_words(first: tuple[Door, ...], second: tuple[Door, ...],
                   nearest: Door | None, rubric: Rubric) -> str | None:
    """Why two answers at one moment took the same branch, or None when they did not.

    `first` and `second` are `doors(...)` of each answer; `nearest` is `what_would_change`
    for the second answer. Names that branch's conditions neither answer met, with both values.
    """
    one, two = taken_door(first), taken_door(second)
    if one is None or two is None or one.goto != two.goto:
        return None
    if nearest is None:
        return ("Both answers took the same path, and no answer at this moment would have "
                "opened a better one than this.")
    missed = []
    for after in nearest.unmet:
        if after.measure in ("direction", "salience"):
            continue
        before = next((s for s in first[nearest.index].shortfalls
                       if s.measure == after.measure and s.op == after.op), None)
        before_actual = after.actual if before is None else before.actual
        name = _measure_name(after.measure, rubric)
        bound = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}.get(
            after.op, after.op)
        missed.append(f"{name} {bound} {after.threshold:.2f} "
                      f"({float(before_actual):.2f}, then {float(after.actual):.2f})")
    if not missed:
        return "Both answers took the same path."
    listed = missed[0] if len(missed) == 1 else ", ".join(missed[:-1]) + " or " + missed[-1]
    return f"Both answers took the same path: neither reached {listed}."


__all__ = ["Door", "Shortfall", "describe_gap", "describe_shortfall", "doors", "measures_of",
           "same_way_words", "taken_door", "what_would_change"]
