"""The gaming guard: paste-anywhere answers never repair a shipped scenario; plain, specific
strong answers (tests/scoring/gaming/) do.

Each scenario is played as the app plays it (simulator.practice.answers.score_answer with the
trainee's earlier answers, then simulator.engine.advance), from the start to an ending.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from simulator.engine import AllianceState, advance
from simulator.practice.answers import Answer, score_answer
from simulator.resources import scenarios_dir
from simulator.scenarios.library import load_library
from simulator.scenarios.model import ClientNode, Ending, Scenario

GAMING = Path(__file__).with_name("gaming")
TEMPLATES = [t["text"] for t in yaml.safe_load((GAMING / "templates.yaml").read_text())
             ["templates"]]
# One file per scenario under plain/ (older scenarios share plain_answers.yaml).
PLAIN = yaml.safe_load((GAMING / "plain_answers.yaml").read_text())
for _file in sorted((GAMING / "plain").glob("*.yaml")):
    PLAIN[_file.stem] = yaml.safe_load(_file.read_text())
LIBRARY = load_library(scenarios_dir()).scenarios
MAX_TURNS = 30


def play(scenario: Scenario, answer_for: Callable[[ClientNode, int], str]) -> tuple[str, list]:
    """Play to an ending; the outcome and the path (node, overall) taken."""
    node_id, state = scenario.start, AllianceState.initial(scenario)
    earlier: list[str] = []
    path = []
    for turn in range(MAX_TURNS):
        node = scenario.node(node_id)
        if isinstance(node, Ending):
            return node.outcome, path
        text = answer_for(node, turn)
        scored = score_answer(scenario, node, Answer(response=text), earlier)
        step = advance(scenario, node_id, scored.measures, state)
        path.append((node_id, round(scored.measures["overall"], 2)))
        earlier.append(text)
        node_id, state = step.next_node, step.alliance
    raise AssertionError(f"{scenario.id}: no ending after {MAX_TURNS} turns: {path}")


def test_the_library_and_the_gaming_data_are_there():
    assert len(LIBRARY) >= 12 and len(TEMPLATES) >= 20
    for scenario_id, scenario in LIBRARY.items():
        missing = set(scenario.client_nodes) - set(PLAIN.get(scenario_id, {}))
        assert not missing, f"{scenario_id}: no plain answer for {sorted(missing)}"


@pytest.mark.parametrize("scenario_id", sorted(LIBRARY))
@pytest.mark.parametrize("template", range(len(TEMPLATES)))
def test_one_template_pasted_at_every_moment_never_repairs(scenario_id, template):
    outcome, path = play(LIBRARY[scenario_id], lambda node, turn: TEMPLATES[template])
    assert outcome != "repaired", path


@pytest.mark.parametrize("scenario_id", sorted(LIBRARY))
def test_a_different_template_at_each_moment_never_repairs(scenario_id):
    for offset in range(len(TEMPLATES)):
        def rotating(node, turn, offset=offset):
            return TEMPLATES[(offset + turn) % len(TEMPLATES)]
        outcome, path = play(LIBRARY[scenario_id], rotating)
        assert outcome != "repaired", (offset, path)


@pytest.mark.parametrize("scenario_id", sorted(LIBRARY))
def test_plain_specific_strong_answers_repair(scenario_id):
    answers = PLAIN[scenario_id]
    outcome, path = play(LIBRARY[scenario_id], lambda node, turn: answers[node.id])
    assert outcome == "repaired", path
