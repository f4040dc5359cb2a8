"""A scenario's branch map: its moments, endings and exits, placed for drawing as SVG.

Works from the raw YAML mapping, not a validated Scenario, because the editor draws drafts
that do not validate yet: whatever can be read is drawn, and what is wrong with the graph
(a moment the start cannot reach, a moment from which no ending can be reached, an exit to a
node that does not exist) is marked on it. Pure: no Flask; the page draws it with
templates/_branch_map.html.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from simulator.scenarios import branch_layout as layout
from simulator.scenarios.conditions import parse_comparison
from simulator.scenarios.graph import can_reach, reachable
from simulator.scenarios.problems import Reporter
from simulator.scenarios.schema import is_ending
from simulator.scenarios.vocabulary import OUTCOMES
from simulator.scenarios.yaml_loader import load_yaml

BOX_CHARS = 25  # of the client's words in a box (the outline has more)
OUTLINE_CHARS = 160
ID_CHARS = 22
LABEL_CHARS = 27
LABEL_CHAR_W = 6.8  # a monospace character at the label's size, in SVG units
MISSING_H = 56
PLACEHOLDER = "\x00missing\x00"  # no id read from YAML text holds a NUL


@dataclass(frozen=True)
class Exit:
    """One way out of a moment: a choice's goto or a branch, in the order the engine tries."""

    label: str  # "choice 1", "otherwise", "ownership >= 0.5 and overall >= 0.5"
    target: str
    missing: bool  # the target is no node of the scenario

    @property
    def words(self) -> str:
        """How the outline says it: "if ownership >= 0.5", "otherwise", "choice 1"."""
        plain = self.label == "otherwise" or self.label.startswith("choice ")
        return self.label if plain else f"if {self.label}"


@dataclass(frozen=True)
class MapNode:
    """A box: a moment (kind client), an ending, or a placeholder for a missing target."""

    id: str
    kind: str  # client | ending | missing
    outcome: str | None  # an ending's outcome as written
    excerpt: str  # the start of what the client says, for the box
    words: str  # more of it, for the outline
    x: float
    y: float
    w: float
    h: float
    unreachable: bool = False
    dead_end: bool = False
    start: bool = False
    readable: bool = True  # False: the node is not a mapping, so its exits are unknown
    exits: tuple[Exit, ...] = ()

    @property
    def short_id(self) -> str:
        return _cut(self.id, ID_CHARS)

    @property
    def tag(self) -> str:
        """The kind in words, so the box does not rely on colour: "ENDING · REPAIRED"."""
        if self.kind == "missing":
            return "MISSING NODE"
        if self.kind == "ending":
            return _cut(f"ENDING · {self.outcome}".upper(), ID_CHARS + 3)
        return "START · MOMENT" if self.start else "MOMENT"

    @property
    def status(self) -> tuple[str, ...]:
        """What is wrong with the node, in words ("unreachable", "dead end", "not a mapping")."""
        return tuple(word for word, on in (("unreachable", self.unreachable),
                                           ("dead end", self.dead_end),
                                           ("not a mapping", not self.readable)) if on)

    @property
    def outcome_class(self) -> str:
        return self.outcome if self.outcome in OUTCOMES else "other"


@dataclass(frozen=True)
class MapEdge:
    """An arrow: every exit from source to target (merged), its path and its label."""

    source: str
    target: str
    label: str  # every exit's label, joined with " or "
    short: str  # what fits on the drawing (the full label is the arrow's tooltip)
    d: str
    label_x: float
    label_y: float
    label_w: float
    missing: bool
    back: bool  # runs back up: a loop such as "try again"


@dataclass(frozen=True)
class BranchMap:
    """Everything the template draws, plus the counts for its description."""

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    left: float  # the drawing's left edge (a label may stick out left of the boxes)
    width: float
    height: float
    start: str | None

    @property
    def view_box(self) -> str:
        return f"{self.left:g} 0 {self.width:g} {self.height:g}"

    def anchor(self, node_id: str) -> str:
        """The outline item's id for a node, for links between items."""
        return f"bm-node-{list(n.id for n in self.nodes).index(node_id) + 1}"

    def outline(self) -> list[MapNode]:
        """The moments and endings in reading order (row by row, left to right)."""
        return sorted((n for n in self.nodes if n.kind != "missing"), key=lambda n: (n.y, n.x))

    @property
    def counts(self) -> dict[str, int]:
        kinds = Counter(n.kind for n in self.nodes)
        return {"moments": kinds["client"], "endings": kinds["ending"],
                "missing": kinds["missing"],
                "unreachable": sum(n.unreachable for n in self.nodes),
                "dead_ends": sum(n.dead_end for n in self.nodes),
                "exits": sum(len(n.exits) for n in self.nodes)}

    @property
    def outcomes(self) -> list[tuple[str, int]]:
        """(outcome, number of endings) in the vocabulary's order, unknown outcomes last."""
        found = Counter(n.outcome or "" for n in self.nodes if n.kind == "ending")
        order = [o for o in OUTCOMES if o in found] + sorted(set(found) - set(OUTCOMES))
        return [(o, found[o]) for o in order]


def map_of_text(text: str) -> BranchMap | None:
    """The map of a scenario's YAML text; None if it does not read as a mapping with nodes.

    Parsed with the loader that refuses alias bombs and oversized drafts; the problems it finds
    are the editor's to show, not the map's.
    """
    loaded = load_yaml(text.encode("utf-8", errors="replace"), Reporter("map"))
    return map_of_data(loaded.data) if loaded is not None else None


def map_of_data(data: Any) -> BranchMap | None:
    """The map of already parsed YAML data (any shape); None without readable nodes."""
    if not isinstance(data, dict):
        return None
    raw = _node_items(data.get("nodes"))
    if not raw:
        return None
    start = _name(data.get("start"))
    return _draw(raw, start if start in raw else None)


def _draw(raw: dict[str, Any], start: str | None) -> BranchMap:
    exits = {nid: _exits(node, raw) for nid, node in raw.items()}
    adjacency = {nid: [e.target for e in out if not e.missing] for nid, out in exits.items()}
    endings = {nid for nid, node in raw.items() if is_ending(node)}
    seen = reachable(adjacency, start) if start else set()
    finishing = can_reach(adjacency, endings)
    arrows = _arrows(exits)
    missing = list(dict.fromkeys(t for _, t, _ in arrows if t not in raw))
    shorts = [_short(labels) for _, _, labels in arrows]
    widths = [round(len(s) * LABEL_CHAR_W + 10, 1) for s in shorts]
    placed = _place(list(raw), arrows, missing, start, endings, widths)
    nodes = [_node(nid, raw[nid], exits[nid], placed.boxes[nid], start=nid == start,
                   unreachable=nid not in seen,
                   dead_end=nid not in finishing and nid not in endings) for nid in raw]
    nodes += [MapNode(t, "missing", None, "", "", *placed.boxes[_placeholder(t)],
                      layout.NODE_W, MISSING_H) for t in missing]
    edges = [MapEdge(s, t, " or ".join(labels), short, drawn.d, drawn.label_x, drawn.label_y,
                     w, t not in raw, drawn.back)
             for (s, t, labels), short, w, drawn in zip(arrows, shorts, widths, placed.edges,
                                                         strict=True)]
    return BranchMap(tuple(nodes), tuple(edges), placed.left, placed.width, placed.height,
                     start)


def _place(ids: list[str], arrows: list[tuple[str, str, list[str]]], missing: list[str],
           start: str | None, endings: set[str], label_widths: list[float]
           ) -> layout.Placement:
    """The layout of the nodes plus a box for each missing target, a row below its sources."""
    known = set(ids)
    keys = [*ids, *(_placeholder(t) for t in missing)]
    pairs = [(s, t if t in known else _placeholder(t)) for s, t, _ in arrows]
    layers = layout.layer_numbers(ids, [p for p in pairs if p[1] in known], start, endings)
    for target in missing:
        key = _placeholder(target)
        layers[key] = 1 + max(layers[s] for s, t in pairs if t == key)
    sizes = {k: (layout.NODE_W, MISSING_H if k.startswith(PLACEHOLDER) else layout.NODE_H)
             for k in keys}
    return layout.place(keys, sizes, layout.wrap_rows(keys, layers), pairs, label_widths)


def _node(nid: str, node: Any, exits: list[Exit], box: tuple[float, float], **marks: bool
          ) -> MapNode:
    ending = is_ending(node)
    say = node.get("say") if isinstance(node, dict) else None
    say = " ".join(say.split()) if isinstance(say, str) else ""
    outcome = (_name(node.get("ending")) or "?") if ending else None
    return MapNode(nid, "ending" if ending else "client", outcome, _cut(say, BOX_CHARS),
                   _cut(say, OUTLINE_CHARS), *box, layout.NODE_W, layout.NODE_H,
                   readable=isinstance(node, dict), exits=tuple(exits), **marks)


def _placeholder(target: str) -> str:
    return PLACEHOLDER + target


def _node_items(nodes: Any) -> dict[str, Any]:
    """id -> raw node; a list of nodes (a common slip) is read by each item's `id`."""
    if isinstance(nodes, dict):
        items = list(nodes.items())
    elif isinstance(nodes, list):
        items = [(item.get("id") if isinstance(item, dict) else None, item) for item in nodes]
        items = [(key if _name(key) else f"item {i}", item)
                 for i, (key, item) in enumerate(items, start=1)]
    else:
        return {}
    read: dict[str, Any] = {}
    for key, node in items:
        name = _name(key)
        if name is not None and name not in read:
            read[name] = node
    return read


def _exits(node: Any, known: dict[str, Any]) -> list[Exit]:
    """Choices with their own goto first (they override the branches), then the branches."""
    if not isinstance(node, dict) or is_ending(node):
        return []
    found: list[tuple[str, Any]] = []
    choices = node.get("choices")
    for i, choice in enumerate(choices if isinstance(choices, list) else (), start=1):
        if isinstance(choice, dict) and "goto" in choice:
            found.append((f"choice {i}", choice["goto"]))
    branches = node.get("branches")
    for branch in branches if isinstance(branches, list) else ():
        if isinstance(branch, dict) and "otherwise" in branch:
            found.append(("otherwise", branch["otherwise"]))
        elif isinstance(branch, dict) and "goto" in branch:
            found.append((_condition(branch.get("when")), branch["goto"]))
    named = [(label, _name(target)) for label, target in found]
    return [Exit(label, target, target not in known) for label, target in named if target]


def _condition(when: Any) -> str:
    """`ownership >= 0.5 and overall >= 0.5`, as graph_export.condition_label writes it."""
    if not isinstance(when, dict):
        return "(unreadable condition)"
    if not when:
        return "(no condition)"
    return " and ".join(_comparison(str(measure), value) for measure, value in when.items())


def _comparison(measure: str, value: Any) -> str:
    if measure == "direction":
        return f"direction = {value}"
    parsed = parse_comparison(value) if isinstance(value, str) else None
    if parsed is None:
        return _cut(f"{measure} {value}", OUTLINE_CHARS)
    return f"{measure} {parsed[0]} {parsed[1]:g}"


def _arrows(exits: dict[str, list[Exit]]) -> list[tuple[str, str, list[str]]]:
    """(source, target, labels): the exits of each source merged by target, in order."""
    merged: dict[tuple[str, str], list[str]] = {}
    for source, out in exits.items():
        for e in out:
            merged.setdefault((source, e.target), []).append(e.label)
    return [(s, t, labels) for (s, t), labels in merged.items()]


def _short(labels: list[str]) -> str:
    """The first label, cut at a whole condition where it can be, and how many more there are."""
    more = f" (+{len(labels) - 1})" if len(labels) > 1 else ""
    room = LABEL_CHARS - len(more)
    parts = labels[0].split(" and ")
    kept = parts[0]
    if len(kept) > room - 6:  # not even the first condition fits beside " and …"
        return _cut(labels[0], room) + more
    for part in parts[1:]:
        if len(f"{kept} and {part}") > room - 6:
            return _cut(kept, room - 6) + " and …" + more
        kept = f"{kept} and {part}"
    return _cut(kept, room) + more


def _name(value: Any) -> str | None:
    """A node id as text: written text or a number; anything else names nothing."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(str(value).split())
    return text or None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
