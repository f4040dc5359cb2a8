"""`flagged`: the strongest flag of an answer, as one measure ("no flag present" in one
condition, which drills use to count misses)."""

from __future__ import annotations

from simulator.cli.score_command import load_rubric
from simulator.engine.whatif import measures_of
from simulator.scoring import score_response


def test_flagged_is_the_strongest_flag_of_a_scored_answer():
    rubric = load_rubric("repair-core")
    calm = score_response(client="I don't know.", rubric=rubric,
                          response="It sounds like it's hard to find words for it today.")
    lecturing = score_response(client="I don't know.", rubric=rubric,
                               response="You're being resistant, and you're not trying at all.")
    for result in (calm, lecturing):
        measures = result.measures()
        assert measures["flagged"] == max(item.score for item in result.flags.values())
    assert calm.measures()["flagged"] < 0.5 <= lecturing.measures()["flagged"]


def test_a_stored_turn_branches_on_the_same_flagged_value():
    scores = {"overall": 0.4, "criteria": {"reflection": {"score": 0.6}},
              "flags": {"advice": {"score": 0.2}, "blame": {"score": 0.7}}}
    assert measures_of(scores)["flagged"] == 0.7
    assert measures_of({"overall": 0.1})["flagged"] == 0.0
