"""One step of a conversation: apply the alliance rules, then pick the first branch that holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.engine.alliance import AllianceState, all_hold, apply_rules
from simulator.scenarios.model import ClientNode, Scenario


@dataclass(frozen=True)
class Step:
    """Where the conversation goes next and the alliance after this turn."""

    next_node: str
    alliance: AllianceState
    branch_index: int | None  # index into node.branches; None when a choice's own goto decided

    def fired_otherwise(self, node: ClientNode) -> bool:
        """True when no condition held and the final `otherwise` branch was taken."""
        return self.branch_index is not None and node.branches[self.branch_index].otherwise


def _client_node(scenario: Scenario, node: ClientNode | str) -> ClientNode:
    found = scenario.node(node) if isinstance(node, str) else node
    if not isinstance(found, ClientNode):
        raise ValueError(f"node '{found.id}' is an ending; the conversation is over")
    return found


def advance(scenario: Scenario, node_id: str, measures: Mapping[str, float],
            state: AllianceState, *, choice_index: int | None = None) -> Step:
    """Apply alliance rules, then take the first branch whose conditions all hold."""
    node = _client_node(scenario, node_id)
    alliance = apply_rules(scenario, state, measures)
    if choice_index is not None and node.choices[choice_index].goto:
        return Step(node.choices[choice_index].goto, alliance, None)  # type: ignore[arg-type]
    for index, branch in enumerate(node.branches):
        if branch.otherwise or all_hold(branch.conditions, measures, alliance):
            return Step(branch.goto, alliance, index)
    raise AssertionError("a valid client node always ends with an otherwise branch")


def choice_measures(scenario: Scenario, node: ClientNode | str,
                    choice_index: int) -> dict[str, float]:
    """The measures of a chosen answer: its authored scores (missing ids 0) and `overall`."""
    choice = _client_node(scenario, node).choices[choice_index]
    rubric = scenario.rubric
    criteria = {cid: choice.scores.get(cid, 0.0) for cid in rubric.criterion_ids}
    flags = {fid: choice.scores.get(fid, 0.0) for fid in rubric.flag_ids}
    needs = scenario.needs_of(_client_node(scenario, node))
    return {**criteria, **flags, "overall": rubric.overall(criteria, flags, needs),
            "flagged": max(flags.values(), default=0.0)}
