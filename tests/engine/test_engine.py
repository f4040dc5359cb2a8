"""The pure scenario engine: alliance rules, branching, choices, notice scoring, graph facts."""

from __future__ import annotations

import pytest

from simulator.engine import (
    AllianceState,
    TurnRange,
    advance,
    apply_rules,
    choice_measures,
    paths_to_endings,
    reachable_nodes,
    score_notice,
    turn_range,
)
from simulator.scenarios.library import load_library, load_scenario_text
from simulator.scenarios.model import Scenario
from tests.scenarios.conftest import FIXTURES, fixture_text, mutate, small_rubric

START = AllianceState(3, "away")


@pytest.fixture(scope="module")
def clock() -> Scenario:
    return load_library(FIXTURES).scenarios["glance-at-the-clock"]


def scenario_from(text: str, name: str = "tiny.yaml") -> Scenario:
    scenario, problems = load_scenario_text(text, name=name,
                                            rubrics={"repair-core": small_rubric()})
    assert scenario is not None, [str(p) for p in problems]
    return scenario


# --- alliance rules -------------------------------------------------------------------------

def test_initial_state_comes_from_the_scenario(clock):
    assert AllianceState.initial(clock) == START


def test_every_matching_rule_applies_in_order(clock):
    assert apply_rules(clock, START, {"ownership": 0.8, "metacommunication": 0.6}) == \
        AllianceState(1, "away")


def test_no_rule_matches_leaves_the_state_alone(clock):
    assert apply_rules(clock, START, {"reflection": 0.9}) == START


def test_salience_is_clamped_at_both_ends(clock):
    worse = {"defensiveness": 1.0, "dismissing": 1.0, "blame": 1.0}
    assert apply_rules(clock, AllianceState(4, "away"), worse).salience == 5
    assert apply_rules(clock, AllianceState(1, "away"), {"ownership": 1.0}).salience == 1


def test_a_rule_can_turn_the_rupture_against_the_therapist(clock):
    assert apply_rules(clock, START, {"blame": 0.7}) == AllianceState(4, "against")


def test_missing_measures_count_as_zero(clock):
    assert apply_rules(clock, START, {}) == START


# --- branching --------------------------------------------------------------------------------

@pytest.mark.parametrize(("measures", "next_node", "index"), [
    # defensiveness is checked first, so it wins even when ownership is also high
    ({"defensiveness": 0.6, "ownership": 0.9, "overall": 0.7}, "polite-retreat", 0),
    ({"ownership": 0.6, "overall": 0.6}, "opens-a-little", 1),
    ({"ownership": 0.6, "overall": 0.4}, "polite-retreat", 3),
    ({"reflection": 0.9, "overall": 0.55}, "half-in", 2),
    ({}, "polite-retreat", 3),
])
def test_first_branch_that_holds_wins(clock, measures, next_node, index):
    step = advance(clock, "opening", measures, START)
    assert (step.next_node, step.branch_index) == (next_node, index)


def test_otherwise_is_reported(clock):
    step = advance(clock, "opening", {}, START)
    assert step.fired_otherwise(clock.client_nodes["opening"])
    assert not advance(clock, "opening", {"overall": 0.9}, START).fired_otherwise(
        clock.client_nodes["opening"])


def test_branches_see_the_alliance_after_this_turns_rules(clock):
    # opens-a-little needs salience <= 2; ownership brings 3 down to 2 in this same turn.
    owned = advance(clock, "opens-a-little", {"ownership": 0.7, "overall": 0.6}, START)
    assert owned.alliance == AllianceState(2, "away")
    assert owned.next_node == "repaired-end"
    not_owned = advance(clock, "opens-a-little", {"reflection": 0.9, "overall": 0.6}, START)
    assert not_owned.alliance == START
    assert not_owned.next_node == "partly-end"


def test_salience_condition_after_rules(clock):
    step = advance(clock, "polite-retreat", {"dismissing": 0.9}, START)
    assert step == advance(clock, "polite-retreat", {"dismissing": 0.9}, START)
    assert (step.alliance.salience, step.next_node) == (4, "closes-down")


def test_direction_condition():
    text = mutate(fixture_text("tiny.yaml"), '{overall: ">= 0.5"}', "{direction: against}")
    text = mutate(text, "  direction: away", "  direction: away\n  rules:\n"
                  "    - when: {blame: '>= 0.5'}\n      direction: against")
    tiny = scenario_from(text)
    assert advance(tiny, "opening", {"blame": 0.5}, START).next_node == "repaired"
    assert advance(tiny, "opening", {"blame": 0.4}, START).next_node == "unresolved"


def test_an_ending_cannot_be_advanced(clock):
    with pytest.raises(ValueError, match="node 'repaired-end' is an ending"):
        advance(clock, "repaired-end", {}, START)


# --- choices ----------------------------------------------------------------------------------

def test_choice_measures_fill_missing_ids_and_compute_overall(clock):
    measures = choice_measures(clock, "opening", 0)
    assert measures == {
        "reflection": 0.0, "validation": 0.0, "exploration": 0.5, "ownership": 0.9,
        "metacommunication": 0.6, "collaboration": 0.0, "advice": 0.0, "defensiveness": 0.0,
        "dismissing": 0.0, "blame": 0.0, "self_focus": 0.0, "contradicting": 0.0,
        "formulaic": 0.0,
        # the node needs ownership and metacommunication: 0.75 x the best of them (ownership
        # 0.9) + 0.25 x the best other criterion (metacommunication 0.6), no flags
        "overall": 0.825,
        "flagged": 0.0,  # the strongest flag
    }


def test_choice_flags_subtract_their_penalties(clock):
    # 0.8 defensiveness x 0.3 + 0.6 dismissing x 0.2 = 0.36 off a zero positive score
    assert choice_measures(clock, "opening", 2)["overall"] == 0.0
    # exploration 0.3 is not a move this node needs (ownership, metacommunication): it adds
    # only 0.25 x 0.3 = 0.075, and 0.4 dismissing x 0.2 takes 0.08 off
    assert choice_measures(clock, "opening", 1)["overall"] == 0.0


def test_a_choice_drives_the_branches(clock):
    node = clock.client_nodes["opening"]
    assert advance(clock, node.id, choice_measures(clock, node, 0), START,
                   choice_index=0).next_node == "opens-a-little"
    assert advance(clock, node.id, choice_measures(clock, node, 2), START,
                   choice_index=2).next_node == "polite-retreat"


def test_a_choice_with_its_own_goto_skips_the_branches():
    choices = ("    cue: Shrugs.\n    respond: choice\n    choices:\n"
               "      - {text: A., scores: {reflection: 0.1}, feedback: F., goto: repaired}\n"
               "      - {text: B., scores: {reflection: 0.2}, feedback: F.}")
    text = mutate(fixture_text("tiny.yaml"), "    cue: Shrugs.", choices)
    exemplars = text[text.index("    exemplars:"):text.index("    branches:")]
    text = mutate(text, exemplars, "")  # respond: choice needs no exemplars
    tiny = scenario_from(text)
    first = advance(tiny, "opening", choice_measures(tiny, "opening", 0), START, choice_index=0)
    assert (first.next_node, first.branch_index) == ("repaired", None)
    second = advance(tiny, "opening", choice_measures(tiny, "opening", 1), START, choice_index=1)
    # reflection 0.2 alone gives overall 0.15 (0.75 x 0.2), below the 0.5 branch
    assert (second.next_node, second.branch_index) == ("unresolved", 1)


# --- notice -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("family", "markers", "expected"), [
    ("withdrawal", ["shifting-topic"], (1.0, True, True)),
    ("withdrawal", "therapist-error", (1.0, True, True)),
    ("confrontation", ["shifting-topic"], (0.5, False, True)),
    ("withdrawal", ["shifting-topic", "complaint-about-therapist"], (0.75, True, True)),
    ("withdrawal", [], (0.5, True, False)),
    (None, ["boundary-push"], (0.0, False, False)),
])
def test_notice_scoring(clock, family, markers, expected):
    result = score_notice(clock.client_nodes["opening"], family, markers)
    assert (result.score, result.family_correct, result.marker_correct) == expected


def test_notice_needs_a_notice_step(clock):
    with pytest.raises(ValueError, match="node 'half-in' has no notice step"):
        score_notice(clock.client_nodes["half-in"], "withdrawal", [])


# --- graph facts ------------------------------------------------------------------------------

def test_reachable_nodes(clock):
    assert reachable_nodes(clock) == set(clock.nodes)
    assert reachable_nodes(clock, "closes-down") == {"closes-down", "partly-end",
                                                      "unresolved-end"}


def test_paths_to_endings_and_turn_range(clock):
    paths = paths_to_endings(clock)
    assert ("opening", "polite-retreat", "unresolved-end") in paths
    assert ("opening", "half-in", "polite-retreat", "closes-down", "partly-end") in paths
    assert all(p[0] == "opening" and p[-1] in clock.endings for p in paths)
    assert len(paths) == len(set(paths)) == 12
    assert turn_range(clock) == TurnRange(shortest=2, longest=4)


def test_loops_are_counted_once():
    text = fixture_text("tiny.yaml").replace("      - otherwise: unresolved",
                                             "      - otherwise: again")
    nodes, tail = text.split("\nsetting:", 1)  # the last node, then the keys after `nodes`
    text = nodes + ("\n  again:\n    say: Again.\n    cue: Sighs.\n    inner: Tired.\n"
                    "    exemplars: {strong: [A good answer.], weak: [A poor answer.]}\n"
                    "    branches:\n      - when: {overall: '>= 0.5'}\n        goto: opening\n"
                    "      - otherwise: unresolved") + "\nsetting:" + tail
    tiny = scenario_from(text)
    assert turn_range(tiny) == TurnRange(shortest=1, longest=2)
    assert sorted(paths_to_endings(tiny)) == [("opening", "again", "unresolved"),
                                              ("opening", "repaired")]
