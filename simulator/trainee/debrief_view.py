"""What the debrief shows: an annotated transcript, the alliance curve and a skill summary."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.models import Attempt, Turn
from simulator.practice.progress import criterion_means
from simulator.scenarios.model import ClientNode, Ending, Scenario
from simulator.trainee.charts import line_chart
from simulator.trainee.play_view import exchange


@dataclass(frozen=True)
class Summary:
    criterion: str
    name: str
    score: float
    label: str
    feedback: str


def skill_summary(scenario: Scenario, turns: list[Turn]) -> list[Summary]:
    """Mean score per criterion over the free-text turns, with the rubric's feedback."""
    means = criterion_means(turns)
    summaries = []
    for item in scenario.rubric.criteria:
        if item.id in means:
            level = item.level_for(means[item.id])
            summaries.append(Summary(item.id, item.name, means[item.id], level.label,
                                     level.feedback))
    return summaries


def alliance_points(scenario: Scenario, turns: list[Turn]) -> list[tuple[str, int]]:
    """(label, salience) from the start through each answered turn."""
    points = [("Start", scenario.alliance.salience)]
    points += [(f"Turn {n}", turn.salience) for n, turn in enumerate(turns, start=1)]
    return points


def debrief_context(attempt: Attempt, scenario: Scenario, turns: list[Turn]) -> dict:
    """The template context for the debrief page."""
    ending = scenario.node(attempt.current_node)
    points = alliance_points(scenario, turns)
    models = [(node, node.exemplars.strong[0]) for node in
              (scenario.nodes.get(t.node_id) for t in turns)
              if isinstance(node, ClientNode) and node.exemplars]
    return {
        "attempt": attempt, "scenario": scenario,
        "ending": ending if isinstance(ending, Ending) else None,
        "exchanges": [exchange(scenario, t) for t in turns],
        "nodes": scenario.nodes,
        "alliance_points": points,
        "alliance_chart": line_chart([p[1] for p in points], [p[0] for p in points],
                                     low=1, high=5, invert=True),
        "summary": skill_summary(scenario, turns),
        "models": models,
        "first_line": scenario.node(scenario.start).say if scenario.start else "",
    }
