"""The order a moment's options are shown in: shuffled per attempt and moment, the same on reload.

Authors list the best option first; shown in that order, position becomes a tell to learn
instead of the skill. The order is derived from the attempt and the node, so it needs no
storage to stay put on reload, and it is recorded on the turn so a reviewer sees what the
trainee saw. Pure: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import random

from simulator.scenarios.model import ClientNode


def shown_order(attempt_id: str, node_id: str, count: int) -> list[int]:
    """The authored indices of `count` options, in the order this attempt shows them."""
    digest = hashlib.sha256(f"{attempt_id}\x00{node_id}".encode()).digest()
    order = list(range(count))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)  # noqa: S311 (not a secret)
    return order


def shown_position(order: list[int], authored_index: int | None) -> int | None:
    """Where (0-based) the picked option stood on the trainee's screen; None if none was picked."""
    if authored_index is None or authored_index not in order:
        return None
    return order.index(authored_index)


def shown_record(attempt_id: str, node: ClientNode, choice: int | None) -> dict:
    """What a turn keeps of the options' order: the order shown and where the pick stood."""
    if node.respond not in ("choice", "both") or not node.choices:
        return {}
    order = shown_order(attempt_id, node.id, len(node.choices))
    return {"shown_order": order, "shown_position": shown_position(order, choice)}


def describe_shown(scores: dict) -> str | None:
    """For a reviewer, in words: the order the options were shown in and where the pick stood."""
    order = scores.get("shown_order")
    if not order:
        return None
    as_written = ", ".join(str(i + 1) for i in order)
    position = scores.get("shown_position")
    if position is None:
        return (f"Options shown in the order {as_written} (as written); the trainee wrote "
                "their own answer instead.")
    return (f"Options shown in the order {as_written} (as written); the trainee picked the "
            f"{_ordinal(position + 1)} shown, option {order[position] + 1} as written.")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
