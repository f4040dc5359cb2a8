"""Where each box and arrow of a branch map goes: layers, order within a layer, coordinates.

Sugiyama's method, cut down. Loops are set aside first (the edges that close a cycle in a walk
from the start), so that a "try again" edge does not pull its target upwards. Each moment then
sits one layer below the deepest moment leading to it, so the drawing reads top to bottom as
the conversation goes; endings share the bottom layer of their part, so the outcomes read as
one row. What the start cannot reach is laid out the same way in further layers below. A long
edge gets a narrow placeholder in every layer it crosses, so it runs between boxes rather than
through them, and a few barycentre sweeps reduce crossings. Loops run up a lane to the right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from simulator.scenarios.branch_routes import Drawn, route

NODE_W, NODE_H = 196, 84
GAP_X, GAP_Y = 44, 100
DUMMY_W, DUMMY_GAP = 16, 14
MARGIN = 36
MAX_ROW = 8  # boxes in one row; a wider layer wraps, so the drawing stays scrollable
DUMMY_BUDGET = 4000  # beyond this many placeholders, long edges are drawn straight across
SWEEPS = 4

Edge = tuple[str, str]  # (source key, target key)


@dataclass(frozen=True)
class Placement:
    """Top-left corner of every box, every edge drawn (in input order), the drawing's size."""

    boxes: dict[str, tuple[float, float]]
    edges: list[Drawn]
    left: float
    width: float
    height: float


def layer_numbers(keys: Sequence[str], edges: Sequence[Edge], start: str | None,
                  bottom: set[str]) -> dict[str, int]:
    """Layer of every key: the start's part first, then each part the start cannot reach.

    `bottom` keys (endings) share the bottom layer of their part.
    """
    adjacency: dict[str, list[str]] = {k: [] for k in keys}
    preds: dict[str, set[str]] = {k: set() for k in keys}
    for source, target in edges:
        adjacency[source].append(target)
        preds[target].add(source)
    layers: dict[str, int] = {}
    roots = [start] if start in adjacency else []
    while len(layers) < len(keys):
        if not roots:
            left = [k for k in keys if k not in layers]
            roots = [k for k in left if not preds[k] - {k} - layers.keys()] or left[:1]
        base = max(layers.values(), default=-1) + 1
        layers.update(_band(adjacency, roots, set(layers), bottom, base))
        roots = []
    return layers


def _band(adjacency: Mapping[str, list[str]], roots: list[str], done: set[str],
          bottom: set[str], base: int) -> dict[str, int]:
    """Longest-path layers of everything reachable from roots (and not done), from `base`."""
    post, back = _walk(adjacency, roots, done)
    depth = {root: 0 for root in roots}
    for node in reversed(post):
        for target in adjacency[node]:
            if target not in done and (node, target) not in back:
                depth[target] = max(depth.get(target, 0), depth.get(node, 0) + 1)
    lowest = max((d for k, d in depth.items() if k not in bottom), default=-1) + 1
    return {k: base + (lowest if k in bottom else d) for k, d in depth.items()}


def _walk(adjacency: Mapping[str, list[str]], roots: list[str], done: set[str]
          ) -> tuple[list[str], set[Edge]]:
    """Depth-first walk: nodes in post-order, and the edges that close a cycle (loops)."""
    state: dict[str, int] = {}  # 1 while on the walk's path, 2 once finished
    post: list[str] = []
    back: set[Edge] = set()
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(adjacency[root]))]
        while stack:
            node, targets = stack[-1]
            for target in targets:
                if target in done:
                    continue
                if state.get(target) == 1:
                    back.add((node, target))
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(adjacency[target])))
                    break
            else:
                state[node] = 2
                post.append(node)
                stack.pop()
    return post, back


def wrap_rows(keys: Sequence[str], layers: dict[str, int]) -> dict[str, int]:
    """Split any layer wider than MAX_ROW boxes into several rows (keys in reading order)."""
    rows: dict[int, list[str]] = {}
    for key in keys:
        rows.setdefault(layers[key], []).append(key)
    wrapped, next_row = {}, 0
    for layer in sorted(rows):
        members = rows[layer]
        for i, key in enumerate(members):
            wrapped[key] = next_row + i // MAX_ROW
        next_row += (len(members) - 1) // MAX_ROW + 1
    return wrapped


def place(keys: Sequence[str], sizes: Mapping[str, tuple[float, float]], layers: dict[str, int],
          edges: Sequence[Edge], label_widths: Sequence[float]) -> Placement:
    """Coordinates for every box and a path and label spot for every edge."""
    layers = dict(layers)  # the long edges' placeholders are added to it
    chains = _chains(edges, layers)
    rows = _order(keys, layers, chains)
    boxes = _coordinates(rows, sizes)
    widths = {k: sizes[k][0] if k in sizes else DUMMY_W for k in boxes}
    drawn = route(chains, boxes, widths, sizes, layers, label_widths, NODE_H)
    right = max([x + sizes[k][0] for k, (x, _) in boxes.items() if k in sizes]
                + [d.label_x + w for d, w in zip(drawn, label_widths, strict=True)], default=0)
    left = min([0.0, *(d.label_x - 8 for d in drawn)])
    height = MARGIN * 2 + len(rows) * NODE_H + max(len(rows) - 1, 0) * GAP_Y + 24
    return Placement({k: v for k, v in boxes.items() if k in sizes}, drawn, left,
                     round(right + MARGIN - left), height)


def _chains(edges: Sequence[Edge], layers: dict[str, int]) -> list[list[str]]:
    """Each forward edge as the keys it passes: source, a placeholder per crossed layer, target.

    Back edges (and, past the budget, long edges) are just [source, target].
    """
    spans = sum(max(layers[t] - layers[s] - 1, 0) for s, t in edges)
    chains = []
    for i, (source, target) in enumerate(edges):
        between = range(layers[source] + 1, layers[target]) if spans <= DUMMY_BUDGET else ()
        dummies = [f"\x00{i}:{layer}" for layer in between]
        for dummy, layer in zip(dummies, between, strict=True):
            layers[dummy] = layer
        chains.append([source, *dummies, target])
    return chains


def _order(keys: Sequence[str], layers: dict[str, int], chains: list[list[str]]
           ) -> list[list[str]]:
    """Rows of keys, ordered by a few barycentre sweeps (down, up, down, up)."""
    rows: list[list[str]] = [[] for _ in range(max(layers.values(), default=-1) + 1)]
    for key in [*keys, *(k for chain in chains for k in chain[1:-1])]:
        rows[layers[key]].append(key)
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains:
        for a, b in zip(chain, chain[1:], strict=False):
            if layers[b] == layers[a] + 1:
                down.setdefault(a, []).append(b)
                up.setdefault(b, []).append(a)
    for sweep in range(SWEEPS):
        going_down = sweep % 2 == 0
        indices = range(1, len(rows)) if going_down else range(len(rows) - 2, -1, -1)
        for i in indices:
            neighbours = up if going_down else down
            other = {k: p for p, k in enumerate(rows[i - 1 if going_down else i + 1])}
            rows[i] = _by_barycentre(rows[i], neighbours, other)
    return rows


def _by_barycentre(row: list[str], neighbours: Mapping[str, list[str]],
                   position: Mapping[str, int]) -> list[str]:
    def centre(item: tuple[int, str]) -> tuple[float, int]:
        index, key = item
        found = [position[n] for n in neighbours.get(key, ()) if n in position]
        return (sum(found) / len(found) if found else float(index), index)
    return [key for _, key in sorted(enumerate(row), key=centre)]


def _coordinates(rows: list[list[str]], sizes: Mapping[str, tuple[float, float]]
                 ) -> dict[str, tuple[float, float]]:
    """Top-left corners: each row packed left to right and centred on the widest row."""
    def width_of(key: str) -> float:
        return sizes[key][0] if key in sizes else DUMMY_W

    def gap(a: str, b: str) -> float:
        return GAP_X if a in sizes and b in sizes else DUMMY_GAP

    totals = [sum(map(width_of, row)) + sum(gap(a, b) for a, b in zip(row, row[1:], strict=False))
              for row in rows]
    widest = max(totals, default=0)
    boxes: dict[str, tuple[float, float]] = {}
    for i, row in enumerate(rows):
        top = MARGIN + i * (NODE_H + GAP_Y)
        x = MARGIN + (widest - totals[i]) / 2
        for j, key in enumerate(row):
            h = sizes[key][1] if key in sizes else NODE_H
            boxes[key] = (round(x, 1), top + (NODE_H - h) / 2)
            x += width_of(key) + (gap(key, row[j + 1]) if j + 1 < len(row) else 0)
    return boxes
