"""The alliance state (3RS salience and direction) and the rules that move it after each turn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.scenarios.conditions import OPERATORS
from simulator.scenarios.model import Condition, Scenario

MIN_SALIENCE = 1
MAX_SALIENCE = 5


@dataclass(frozen=True)
class AllianceState:
    """How salient the rupture is (1 not salient .. 5 very salient) and which way it moves."""

    salience: int
    direction: str  # "away" (withdrawal) | "against" (confrontation)

    @classmethod
    def initial(cls, scenario: Scenario) -> AllianceState:
        """The state a scenario starts in."""
        return cls(scenario.alliance.salience, scenario.alliance.direction)


def condition_holds(condition: Condition, measures: Mapping[str, float],
                    state: AllianceState) -> bool:
    """Whether one condition holds; rubric ids missing from measures count as 0."""
    if condition.measure == "direction":
        return state.direction == condition.value
    if condition.measure == "salience":
        actual = float(state.salience)
    else:
        actual = float(measures.get(condition.measure, 0.0))
    return OPERATORS[condition.op](actual, float(condition.value))


def all_hold(conditions: tuple[Condition, ...], measures: Mapping[str, float],
             state: AllianceState) -> bool:
    """Whether every condition holds."""
    return all(condition_holds(c, measures, state) for c in conditions)


def apply_rules(scenario: Scenario, state: AllianceState,
                measures: Mapping[str, float]) -> AllianceState:
    """Apply every matching alliance rule in order; salience is clamped to 1..5 after each."""
    for rule in scenario.alliance.rules:
        # Each rule sees the state left by the rules before it, as the format doc promises.
        if all_hold(rule.conditions, measures, state):
            salience = min(MAX_SALIENCE, max(MIN_SALIENCE, state.salience + rule.salience))
            state = AllianceState(salience, rule.direction or state.direction)
    return state
