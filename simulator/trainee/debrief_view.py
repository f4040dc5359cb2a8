"""What the debrief shows: the story of this attempt, the alliance curve, the skill summary."""

from __future__ import annotations

from sqlmodel import Session

from simulator.models import Attempt, Turn
from simulator.practice.effective import effective_turns
from simulator.practice.story import Story, compose
from simulator.scenarios.model import ClientNode, Scenario
from simulator.trainee.charts import line_chart


def alliance_chart(story: Story):
    """Alliance strength (1..5, higher is better) from the start through each answered turn."""
    points = story.alliance_points
    return line_chart([p[1] for p in points], [p[0] for p in points], low=1, high=5)


def debrief_context(session: Session, attempt: Attempt, scenario: Scenario,
                    turns_all: list[Turn]) -> dict:
    """The template context for the debrief page; `turns_all` includes rewound turns."""
    story = compose(scenario, attempt, turns_all,
                    effective_turns(session, turns_all, scenario.rubric))
    live = [t for t in turns_all if not t.superseded]
    models = [(node, node.exemplars.strong[0]) for node in
              (scenario.nodes.get(t.node_id) for t in live)
              if isinstance(node, ClientNode) and node.exemplars]
    return {
        "attempt": attempt, "scenario": scenario, "story": story,
        "alliance_chart": alliance_chart(story),
        "models": models,
        # an attempt begun at one moment ("Practise this moment again") starts there
        "began_at": scenario.node(attempt.start_node) if attempt.start_node else None,
        "first_line": scenario.node(attempt.start_node or scenario.start).say,
    }
