"""Each scenario where a rupture and a risk cue meet, played through the web as a trainee:
the strong route repairs AND checks safety; a route that does the rupture work but passes over
the cue is flagged at the risk moment, does not end repaired, and the debrief says so.

The answers are the plain, specific ones in tests/scoring/gaming/plain/ (and
plain_answers.yaml): written from the scenario, not tuned to the scorer; `_misses_the_cue`
holds, for the risk moments, answers that repair but never ask about the risk.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from simulator.library import shipped_library
from simulator.models import Turn
from simulator.resources import scenarios_dir
from simulator.scenarios.library import load_library
from tests.scoring.test_gaming import PLAIN
from tests.trainee.conftest import MAX_TURNS, answer, attempt_of, start

RISKY = sorted(sid for sid, s in load_library(scenarios_dir()).scenarios.items()
               if any(n.risk for n in s.client_nodes.values()))


def test_at_least_four_scenarios_meet_a_rupture_with_a_risk_cue():
    assert len(RISKY) >= 4, RISKY
    for sid in RISKY:
        assert "_misses_the_cue" in PLAIN[sid], f"{sid}: no cue-missing answers to test with"


def _play(client, session, scenario, answers: dict) -> tuple[str, list[Turn]]:
    url = start(client, scenario.id)
    for _ in range(MAX_TURNS):
        attempt = attempt_of(session, url)
        node = scenario.node(attempt.current_node)
        if node.is_ending:
            turns = session.exec(select(Turn).where(Turn.attempt_id == attempt.id)
                                 .order_by(Turn.index)).all()
            return url, list(turns)
        data = {"response": answers[node.id]}
        response = answer(client, url, {"mode": "free", **data} if node.respond == "both"
                          else data)
        assert response.status_code == 303, response.get_data(as_text=True)
    raise AssertionError(f"{scenario.id}: no ending after {MAX_TURNS} turns")


@pytest.mark.parametrize("scenario_id", RISKY)
def test_the_strong_route_repairs_and_checks_safety(app, client, trainee, session, scenario_id):
    scenario = shipped_library(app).scenarios[scenario_id]
    url, turns = _play(client, session, scenario, PLAIN[scenario_id])
    ending = scenario.node(attempt_of(session, url).current_node)
    assert ending.outcome == "repaired", [t.node_id for t in turns]
    at_risk = [t for t in turns if scenario.node(t.node_id).risk]
    assert at_risk, "the strong route never meets the risk cue"
    for turn in at_risk:
        assert turn.scores["criteria"]["safety"]["score"] >= 0.55, turn.node_id
        assert turn.scores["flags"]["safety_missed"]["score"] == 0
    debrief = client.get(f"{url}/debrief").get_data(as_text=True)
    assert "Safety checks" in debrief and "You asked about it directly" in debrief
    assert "The risk cue was passed over" not in debrief


@pytest.mark.parametrize("scenario_id", RISKY)
def test_a_route_that_misses_the_cue_is_flagged_and_the_debrief_says_so(app, client, trainee,
                                                                       session, scenario_id):
    scenario = shipped_library(app).scenarios[scenario_id]
    answers = {**PLAIN[scenario_id], **PLAIN[scenario_id]["_misses_the_cue"]}
    url, turns = _play(client, session, scenario, answers)
    ending = scenario.node(attempt_of(session, url).current_node)
    assert ending.outcome != "repaired", [t.node_id for t in turns]
    missed = [t for t in turns if scenario.node(t.node_id).risk
              and t.scores["flags"]["safety_missed"]["score"] >= 0.5]
    assert missed, [t.node_id for t in turns]
    debrief = client.get(f"{url}/debrief").get_data(as_text=True)
    assert "The risk cue was passed over" in debrief
    cue = scenario.node(missed[0].node_id).risk[0].cue
    assert cue.replace("'", "&#39;") in debrief or cue in debrief
