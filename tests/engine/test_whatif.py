"""What would have changed the branch: the nearest better door, in words, with its gaps."""

from __future__ import annotations

import pytest

from simulator.engine import AllianceState, advance
from simulator.engine.whatif import (
    describe_gap,
    doors,
    measures_of,
    same_way_words,
    taken_door,
    what_would_change,
)
from simulator.scenarios.library import load_library
from simulator.scenarios.model import Scenario
from tests.scenarios.conftest import FIXTURES


@pytest.fixture(scope="module")
def clock() -> Scenario:
    return load_library(FIXTURES).scenarios["glance-at-the-clock"]


def _measures(clock: Scenario, **scores: float) -> dict[str, float]:
    measures = {item: 0.0 for item in (*clock.rubric.criterion_ids, *clock.rubric.flag_ids)}
    measures.update(scores)
    measures.setdefault("overall", 0.0)
    return measures


def test_the_taken_door_is_the_branch_the_engine_takes(clock):
    state = AllianceState.initial(clock)
    for scores in ({"ownership": 0.7, "overall": 0.6}, {"overall": 0.55},
                   {"defensiveness": 0.6, "ownership": 0.7, "overall": 0.6}, {}):
        measures = _measures(clock, **scores)
        step = advance(clock, "opening", measures, state)
        assert taken_door(doors(clock, "opening", measures, state)).index == step.branch_index


def test_the_nearest_better_door_names_the_missing_amount(clock):
    state = AllianceState.initial(clock)
    measures = _measures(clock, ownership=0.42, overall=0.55)  # takes "half-in"
    door = what_would_change(clock, "opening", measures, state)
    assert door.goto == "opens-a-little"
    words = describe_gap(door, clock.rubric)
    assert "0.08 more ownership" in words and "at least 0.50" in words and "0.42" in words


def test_a_flag_branch_taken_first_is_undone_by_less_of_the_flag(clock):
    state = AllianceState.initial(clock)
    measures = _measures(clock, defensiveness=0.6, ownership=0.7, overall=0.6)
    door = what_would_change(clock, "opening", measures, state)
    assert door.goto == "opens-a-little"
    assert "less defensiveness" in describe_gap(door, clock.rubric)


def test_never_asks_for_more_of_a_flag(clock):
    state = AllianceState.initial(clock)
    for scores in ({"ownership": 0.7, "overall": 0.6}, {"overall": 0.2}, {"overall": 0.55}):
        door = what_would_change(clock, "opening", _measures(clock, **scores), state)
        if door is not None:
            assert "more defensiveness" not in describe_gap(door, clock.rubric)
            assert door.goto != taken_door(doors(clock, "opening", _measures(clock, **scores),
                                                 state)).goto


def test_the_best_branch_taken_leaves_nothing_to_change(clock):
    state = AllianceState.initial(clock)
    measures = _measures(clock, ownership=0.8, overall=0.7)
    assert what_would_change(clock, "opening", measures, state) is None


def test_two_answers_on_the_same_branch_are_explained_with_both_values(clock):
    state = AllianceState.initial(clock)
    first = _measures(clock, ownership=0.2, overall=0.52)
    second = _measures(clock, ownership=0.41, overall=0.58)
    nearest = what_would_change(clock, "opening", second, state)
    words = same_way_words(doors(clock, "opening", first, state),
                           doors(clock, "opening", second, state), nearest, clock.rubric)
    assert words.startswith("Both answers took the same path")
    assert "ownership at least 0.50 (0.20, then 0.41)" in words


def test_answers_on_different_branches_get_no_same_path_words(clock):
    state = AllianceState.initial(clock)
    first = _measures(clock, overall=0.2)
    second = _measures(clock, ownership=0.8, overall=0.7)
    assert same_way_words(doors(clock, "opening", first, state),
                          doors(clock, "opening", second, state), None, clock.rubric) is None


def test_measures_of_a_stored_turn():
    stored = {"criteria": {"ownership": {"score": 0.4}}, "flags": {"blame": {"score": 0.1}},
              "overall": 0.33}
    assert measures_of(stored) == {"ownership": 0.4, "blame": 0.1, "overall": 0.33, "flagged": 0.1}
