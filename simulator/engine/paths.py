"""Graph facts about a scenario: what can be reached, the ways to an ending, how long it takes."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.scenarios.graph import reachable, shortest_distance, simple_paths
from simulator.scenarios.model import Scenario


@dataclass(frozen=True)
class TurnRange:
    """Fewest and most client turns (answered nodes) from start to an ending, loops taken once."""

    shortest: int
    longest: int


def reachable_nodes(scenario: Scenario, start: str | None = None) -> set[str]:
    """Node ids reachable from start (default: the scenario's start)."""
    return reachable(scenario.adjacency, start or scenario.start)


def paths_to_endings(scenario: Scenario, start: str | None = None) -> list[tuple[str, ...]]:
    """Every loop-free path of node ids from start to an ending (the ending included)."""
    return simple_paths(scenario.adjacency, start or scenario.start, set(scenario.endings))


def shortest_turns(scenario: Scenario, start: str | None = None) -> int:
    """Fewest client turns before an ending (each client node answered counts one)."""
    distance = shortest_distance(scenario.adjacency, start or scenario.start,
                                 set(scenario.endings))
    if distance is None:
        raise ValueError(f"no ending can be reached in scenario '{scenario.id}'")
    return distance


def longest_turns(scenario: Scenario, start: str | None = None) -> int:
    """Most client turns on a loop-free path to an ending."""
    paths = paths_to_endings(scenario, start)
    if not paths:
        raise ValueError(f"no ending can be reached in scenario '{scenario.id}'")
    return max(len(path) - 1 for path in paths)


def turn_range(scenario: Scenario) -> TurnRange:
    """Shortest and longest play-through, in client turns."""
    return TurnRange(shortest_turns(scenario), longest_turns(scenario))
