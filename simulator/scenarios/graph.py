"""Graph algorithms over a scenario's node graph, given as plain adjacency (node -> targets)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

Adjacency = Mapping[str, Sequence[str]]
MAX_PATHS = 10_000  # enough for any authored scenario; stops a pathological graph from hanging


def reachable(adjacency: Adjacency, start: str) -> set[str]:
    """Every node reachable from start (start included)."""
    seen = {start}
    queue = deque([start])
    while queue:
        for target in adjacency.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def can_reach(adjacency: Adjacency, goals: Iterable[str]) -> set[str]:
    """Every node from which some goal node can be reached (the goals included)."""
    reverse: dict[str, list[str]] = {}
    for source, targets in adjacency.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    seen = set(goals)
    queue = deque(seen)
    while queue:
        for source in reverse.get(queue.popleft(), ()):
            if source not in seen:
                seen.add(source)
                queue.append(source)
    return seen


def simple_paths(adjacency: Adjacency, start: str, goals: set[str]) -> list[tuple[str, ...]]:
    """Paths from start to a goal that visit no node twice (at most MAX_PATHS of them)."""
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
    while stack and len(paths) < MAX_PATHS:
        node, path = stack.pop()
        if node in goals:
            paths.append(path)
            continue
        for target in reversed(list(dict.fromkeys(adjacency.get(node, ())))):
            if target not in path:
                stack.append((target, (*path, target)))
    return paths


def shortest_distance(adjacency: Adjacency, start: str, goals: set[str]) -> int | None:
    """Fewest edges from start to any goal, or None if no goal is reachable."""
    distance = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node in goals:
            return distance[node]
        for target in adjacency.get(node, ()):
            if target not in distance:
                distance[target] = distance[node] + 1
                queue.append(target)
    return None
