"""Draw a scenario's node graph as Mermaid or Graphviz dot text, for authors and reviewers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from simulator.scenarios.model import ClientNode, Condition, Ending, Scenario

EXCERPT = 40
# Ending outcome -> (mermaid shape open/close, dot attributes); one table drives both formats.
OUTCOME_STYLES: dict[str, tuple[str, str, str]] = {
    "repaired": ("([", "])", 'shape=oval, style=filled, fillcolor="#c8e6c9"'),
    "partly-repaired": ("(", ")", 'shape=box, style="rounded,filled", fillcolor="#fff3c4"'),
    "unresolved": ("[/", "/]", 'shape=parallelogram, style=filled, fillcolor="#e0e0e0"'),
    "escalated": ("{{", "}}", 'shape=hexagon, style=filled, fillcolor="#ffcdd2"'),
}
LEGEND = ("endings by outcome: repaired = stadium/green oval, partly-repaired = rounded/yellow, "
          "unresolved = parallelogram/grey, escalated = hexagon/red")


def condition_label(condition: Condition) -> str:
    """`ownership >= 0.5`, or `direction = against`."""
    if condition.measure == "direction":
        return f"direction = {condition.value}"
    return f"{condition.measure} {condition.op} {condition.value:g}"


def edges(scenario: Scenario) -> Iterator[tuple[str, str, str]]:
    """(source, target, label) for every branch and every choice with its own goto."""
    for node in scenario.client_nodes.values():
        for i, choice in enumerate(node.choices, start=1):
            if choice.goto:
                yield node.id, choice.goto, f"choice {i}"
        for branch in node.branches:
            label = ("otherwise" if branch.otherwise
                     else " and ".join(condition_label(c) for c in branch.conditions))
            yield node.id, branch.goto, label


def _excerpt(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _label(node: ClientNode | Ending) -> tuple[str, str]:
    """(first line, second line) of a node's label."""
    if isinstance(node, Ending):
        return node.id, f"{node.outcome}" + (f": {_excerpt(node.say)}" if node.say else "")
    return node.id, _excerpt(node.say)


def _mermaid_id(node_id: str) -> str:
    # Mermaid ids may not contain hyphens safely, and `end` is reserved: prefix and sanitise.
    return "n_" + re.sub(r"\W", "_", node_id)


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(scenario: Scenario) -> str:
    """A Mermaid flowchart of the scenario."""
    lines = [f"%% {scenario.id}: {scenario.title}", f"%% {LEGEND}", "flowchart TD",
             "    start((start))", f"    start --> {_mermaid_id(scenario.start)}"]
    for node in scenario.nodes.values():
        first, second = (_mermaid_text(t) for t in _label(node))
        opening, closing = (("[", "]") if isinstance(node, ClientNode)
                            else OUTCOME_STYLES[node.outcome][:2])
        lines.append(f'    {_mermaid_id(node.id)}{opening}"{first}<br/>{second}"{closing}')
    for source, target, label in edges(scenario):
        lines.append(f'    {_mermaid_id(source)} -->|"{_mermaid_text(label)}"| '
                     f"{_mermaid_id(target)}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(scenario: Scenario) -> str:
    """A Graphviz digraph of the scenario."""
    lines = [f"// {scenario.id}: {scenario.title}", f"// {LEGEND}",
             f'digraph "{_dot_text(scenario.id)}" {{', "    rankdir=TB;",
             '    node [shape=box, fontname="Helvetica"];',
             '    edge [fontname="Helvetica", fontsize=10];',
             '    "__start" [shape=circle, label="start"];',
             f'    "__start" -> "{_dot_text(scenario.start)}";']
    for node in scenario.nodes.values():
        first, second = (_dot_text(t) for t in _label(node))
        style = "" if isinstance(node, ClientNode) else ", " + OUTCOME_STYLES[node.outcome][2]
        lines.append(f'    "{_dot_text(node.id)}" [label="{first}\\n{second}"{style}];')
    for source, target, label in edges(scenario):
        lines.append(f'    "{_dot_text(source)}" -> "{_dot_text(target)}" '
                     f'[label="{_dot_text(label)}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Scenario], str]] = {"mermaid": to_mermaid, "dot": to_dot}
