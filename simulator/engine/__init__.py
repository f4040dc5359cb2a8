"""The pure scenario engine: alliance rules, branching, choices, notice scoring, graph facts.

Takes plain data (a Scenario and a measures mapping) and returns dataclasses; it never imports
Flask, touches a request or commits anything, so the web app and the CLI share it.
"""

from simulator.engine.advance import Step, advance, choice_measures
from simulator.engine.alliance import AllianceState, apply_rules, condition_holds
from simulator.engine.notice import NoticeResult, score_notice
from simulator.engine.paths import (
    TurnRange,
    longest_turns,
    paths_to_endings,
    reachable_nodes,
    shortest_turns,
    turn_range,
)

__all__ = [
    "AllianceState",
    "NoticeResult",
    "Step",
    "TurnRange",
    "advance",
    "apply_rules",
    "choice_measures",
    "condition_holds",
    "longest_turns",
    "paths_to_endings",
    "reachable_nodes",
    "score_notice",
    "shortest_turns",
    "turn_range",
]
