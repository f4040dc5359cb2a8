"""Style warnings: things that are allowed but usually make a weaker training scenario."""

from __future__ import annotations

from simulator.scenarios.checks_graph import raw_targets
from simulator.scenarios.schema import is_ending
from simulator.scenarios.specs import Ctx

MAX_SAY = 400


def check_style(ctx: Ctx, scenario: dict) -> None:
    """Warn about no inner line, long speech, no notice step, and answers that don't matter."""
    nodes = scenario.get("nodes")
    if not isinstance(nodes, dict):
        return
    client_nodes = {nid: n for nid, n in nodes.items() if isinstance(n, dict) and not is_ending(n)}
    for nid, node in client_nodes.items():
        _check_node(ctx, nid, node)
    if client_nodes and not any("notice" in node for node in client_nodes.values()):
        ctx.warning(("nodes",), "no node has a notice step; consider asking the trainee to name "
                                "the rupture at least once", at_key=True)


def _check_node(ctx: Ctx, nid: str, node: dict) -> None:
    path = ("nodes", nid)
    if "inner" not in node:
        ctx.warning(path, "no 'inner' (what the client feels); the debrief and supervisors "
                          "rely on it", at_key=True)
    say = node.get("say")
    if isinstance(say, str) and len(say) > MAX_SAY:
        ctx.warning((*path, "say"), f"say is {len(say)} characters long; keep client lines under "
                                    f"{MAX_SAY} so they read as speech")
    targets = set(raw_targets(node))
    if len(targets) == 1:
        ctx.warning((*path, "branches"), f"every branch leads to '{targets.pop()}', so the "
                                         "trainee's answer makes no difference here", at_key=True)
