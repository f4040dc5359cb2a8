"""The shipped library covers the field (issue 16): size, levels, settings, every 3RS marker as
a headline, every 3RS resolution strategy as a repairing move, risk, drills, and apology that
colludes; the rubric carries the safety layer with accurate sources."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulator import seeding
from simulator.cli.score_command import load_rubric
from simulator.engine import AllianceState, advance
from simulator.practice.answers import Answer, score_answer
from simulator.resources import scenarios_dir
from simulator.scenarios.coverage import coverage
from simulator.scenarios.library import load_library
from simulator.scenarios.model import ClientNode, Ending, Scenario
from simulator.scenarios.vocabulary import RUPTURE_TYPES
from tests.scoring.test_gaming import PLAIN

LIBRARY = load_library(scenarios_dir()).scenarios
FOUND = coverage(LIBRARY.values())
DRILLS = sorted(sid for sid, s in LIBRARY.items() if s.is_drill)


def test_the_library_is_big_enough_and_every_level_is_filled():
    assert FOUND.scenarios >= 24 and FOUND.drills >= 3, FOUND.lines()
    assert all(count >= 6 for count in FOUND.levels.values()), FOUND.levels


def test_every_setting_headline_marker_and_repair_strategy_is_covered():
    assert not FOUND.missing_settings, FOUND.missing_settings
    assert not FOUND.missing_headlines, FOUND.missing_headlines
    assert not FOUND.missing_strategies, FOUND.missing_strategies


def test_every_scenario_states_why_it_sits_at_its_level_and_its_clients_age_band():
    for scenario in LIBRARY.values():
        assert len(scenario.difficulty_reason.split()) >= 6, scenario.id
        assert scenario.client.age_band, scenario.id


def test_drills_cover_every_rupture_family():
    families = {LIBRARY[sid].rupture for sid in DRILLS}
    assert {"withdrawal", "confrontation", "testing"} <= families, families
    assert set(families) <= set(RUPTURE_TYPES)


def test_the_rubric_carries_the_safety_layer_with_accurate_sources():
    rubric = load_rubric("repair-core")
    assert "safety" in rubric.criterion_ids
    assert {"safety_missed", "boundary_violation"} <= set(rubric.flag_ids)
    assert "Columbia" in rubric.item("safety").source
    # the three mis-citations the review found
    assert "affirm" not in rubric.item("validation").source.lower()
    assert "clarifying a misunderstanding" not in rubric.item("exploration").source.lower()
    for item in rubric.flags:
        assert "3rs therapist" not in item.source.lower(), item.id


# ---- apology that colludes ------------------------------------------------------------------

COLLUDING = sorted((sid, nid) for sid, s in LIBRARY.items() for nid, n in s.client_nodes.items()
                   if n.apology_colludes)


def test_at_least_two_scenarios_need_more_than_an_apology():
    assert len({sid for sid, _ in COLLUDING}) >= 2, COLLUDING


def _apology(scenario: Scenario, node: ClientNode) -> str:
    """A specific, first-person apology for what this moment is about, and nothing more."""
    thing = node.about[0] if node.about else "this"
    return (f"I'm so sorry about {thing}. That's on me, and I apologise; I got that wrong "
            "and I'm sorry for how it has been for you.")


def _best_branch(scenario: Scenario, node: ClientNode, state: AllianceState) -> str:
    step = advance(scenario, node.id, score_answer(scenario, node, Answer(
        response=PLAIN[scenario.id][node.id])).measures, state)
    return step.next_node


@pytest.mark.parametrize(("scenario_id", "node_id"), COLLUDING)
def test_an_apology_alone_does_not_take_the_repairing_branch(scenario_id, node_id):
    scenario = LIBRARY[scenario_id]
    node = scenario.client_nodes[node_id]
    state = AllianceState.initial(scenario)
    apology = score_answer(scenario, node, Answer(response=_apology(scenario, node)))
    assert apology.measures["ownership"] >= 0.3, "the apology should at least read as one"
    step = advance(scenario, node_id, apology.measures, state)
    assert step.next_node != _best_branch(scenario, node, state), step.next_node


# ---- drills ---------------------------------------------------------------------------------

def _play(scenario: Scenario, answer_for: Callable[[ClientNode], str]) -> tuple[str, list[str]]:
    node_id, state, path = scenario.start, AllianceState.initial(scenario), []
    earlier: list[str] = []
    for _ in range(40):
        node = scenario.node(node_id)
        if isinstance(node, Ending):
            return node.outcome, path
        text = answer_for(node)
        scored = score_answer(scenario, node, Answer(response=text), earlier)
        earlier.append(text)
        path.append(node_id)
        step = advance(scenario, node_id, scored.measures, state)
        node_id, state = step.next_node, step.alliance
    raise AssertionError(f"{scenario.id}: no ending: {path}")


@pytest.mark.parametrize("drill_id", DRILLS)
def test_a_drill_is_stated_levelled_and_mastered_by_plain_strong_answers(drill_id):
    drill = LIBRARY[drill_id]
    assert drill.mastery is not None and drill.mastery.statement
    levels = [n.level for n in drill.client_nodes.values()]
    assert levels == sorted(levels) and levels[0] == 1 and max(levels) >= 2, levels
    outcome, path = _play(drill, lambda node: PLAIN[drill_id][node.id])
    assert outcome == "repaired", path
    assert len(path) == len(drill.client_nodes)  # no statement needed repeating


@pytest.mark.parametrize("drill_id", DRILLS)
def test_a_missed_statement_comes_again_and_enough_misses_end_the_round(drill_id):
    drill = LIBRARY[drill_id]
    outcome, path = _play(drill, lambda node: "Okay. Let's move on to something else then.")
    assert outcome != "repaired", path
    assert path[0] == path[1] == drill.start  # the same statement again after a miss
    assert len(path) == drill.mastery.misses + 1, path  # the miss after the allowed ones ends it


def test_every_scripted_play_reaches_an_ending():
    """Strong, weak, mixed and chosen answers each end every scenario and drill within the
    demo's turn limit: no pair of moments hands the conversation back and forth for ever
    (the demo data and the supervisor pages depend on finished sessions)."""
    unfinished = [(s.scenario.id, [t.node_id for t in s.turns][:6])
                  for s in seeding.scripted_plays(load_library(scenarios_dir()))
                  if s.outcome is None]
    assert not unfinished, unfinished


@pytest.mark.parametrize("drill_id", DRILLS)
def test_each_drill_statement_is_judged_against_its_own_client(drill_id):
    """A drill's `client:` block holds only its first client: the other statements are judged
    against their own cue and inner, never against the first client's story."""
    drill = LIBRARY[drill_id]
    story = (drill.client.background or "", drill.client.context, drill.client.history)
    for node in drill.client_nodes.values():
        shown = drill.moment_of(node)["shown"]
        assert node.cue in shown
        assert not any(part and part in shown for part in story), node.id
