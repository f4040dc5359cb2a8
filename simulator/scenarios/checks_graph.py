"""Whole-scenario checks on the node graph: reachability, endings and outcomes."""

from __future__ import annotations

from typing import Any

from simulator.scenarios.graph import can_reach, reachable
from simulator.scenarios.schema import is_ending
from simulator.scenarios.specs import Ctx


def raw_targets(node: Any) -> list[str]:
    """Every node id a raw client node can lead to (branches and choice gotos), in order."""
    if not isinstance(node, dict) or is_ending(node):
        return []
    targets = []
    for key, field in (("branches", "goto"), ("branches", "otherwise"), ("choices", "goto")):
        items = node.get(key)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get(field), str):
                targets.append(item[field])
    return targets


def raw_adjacency(nodes: dict) -> dict[str, list[str]]:
    """node id -> known target ids, for raw (possibly invalid) nodes."""
    return {nid: [t for t in raw_targets(node) if t in nodes] for nid, node in nodes.items()}


def check_graph(ctx: Ctx, scenario: dict) -> None:
    """Reachability from start, a path to an ending from every node, and the outcome mix."""
    nodes = scenario.get("nodes")
    # A node that is not a mapping has unknown exits; reachability would only add noise.
    if not isinstance(nodes, dict) or not all(isinstance(n, dict) for n in nodes.values()):
        return
    endings = {nid for nid, node in nodes.items() if is_ending(node)}
    if nodes and not endings:
        ctx.error(("nodes",), "the scenario has no endings (nodes with 'ending:')", at_key=True)
    else:
        _check_outcomes(ctx, nodes, endings)
    adjacency = raw_adjacency(nodes)
    start = scenario.get("start")
    if isinstance(start, str) and start in nodes:
        seen = reachable(adjacency, start)
        for nid in nodes:
            if nid not in seen:
                ctx.error(("nodes", nid), f"node '{nid}' cannot be reached from start '{start}'",
                          at_key=True)
    if endings:
        finishing = can_reach(adjacency, endings)
        for nid in nodes:
            if nid not in finishing:
                ctx.error(("nodes", nid), f"no path from node '{nid}' leads to an ending "
                                          "(the conversation could never finish)", at_key=True)


def _check_outcomes(ctx: Ctx, nodes: dict, endings: set[str]) -> None:
    outcomes = {nodes[nid]["ending"] for nid in endings if isinstance(nodes[nid]["ending"], str)}
    if "repaired" not in outcomes:
        ctx.error(("nodes",), "no ending has outcome 'repaired'; each scenario needs at least one",
                  at_key=True)
    if outcomes == {"repaired"}:
        ctx.error(("nodes",), "every ending is 'repaired'; add at least one ending that is "
                              "partly-repaired, unresolved or escalated", at_key=True)
