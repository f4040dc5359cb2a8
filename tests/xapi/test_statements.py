"""The statement builders: stable ids, one registration per attempt, the words only when allowed,
and every kind accepted by a strict LRS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import requests

from simulator.courses.xapi import statement_uuid
from simulator.models import Attempt, Review, Turn, User
from simulator.practice.answers import Answer, score_answer, score_notice_answer
from simulator.practice.choice_order import shown_record
from simulator.practice.feedback import feedback_for
from simulator.resources import resource_dir
from simulator.scenarios.library import load_library
from simulator.xapi import statements
from simulator.xapi.statements import Played, Site

SCENARIO = load_library(resource_dir("scenarios")).scenarios["you-must-be-sick-of-me"]
NODE = SCENARIO.node(SCENARIO.start)
BASE = "https://sim.example.ac.uk"
WORDS = "It sounds like you worry you're a burden to me, and I'm glad you said so."
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _played(attempt_id: str = "attempt-one") -> Played:
    trainee = User(id=7, email="tess@example.org", name="Tess Trainee")
    attempt = Attempt(id=attempt_id, trainee_id=7, scenario_id=SCENARIO.id,
                      scenario_hash=SCENARIO.content_hash, current_node="repaired",
                      status="completed", outcome="repaired", started_at=T0,
                      finished_at=T0 + timedelta(minutes=9))
    return Played(attempt, trainee, SCENARIO, cohorts=((3, "Section A"),))


def _turn(turn_id: int, *, choice: int | None = None, attempt_id: str = "attempt-one") -> Turn:
    answer = Answer(response=None if choice is not None else WORDS, choice=choice,
                    mode="choice" if choice is not None else "free", notice_family="testing",
                    notice_markers=("reassurance-seeking",))
    scored = score_answer(SCENARIO, NODE, answer)
    return Turn(id=turn_id, attempt_id=attempt_id, index=turn_id, node_id=NODE.id,
                client_line=NODE.say, response_text=answer.response, choice_index=choice,
                notice=score_notice_answer(NODE, answer),
                scores={**scored.stored, **shown_record(attempt_id, NODE, choice)},
                overall=scored.measures["overall"], next_node="repaired",
                created_at=T0 + timedelta(minutes=turn_id))


def _every_kind(site: Site, played: Played | None = None) -> list[dict]:
    played = played or _played()
    free, chosen = _turn(1), _turn(2, choice=0)
    supervisor = User(id=9, email="sam@example.org", name="Sam Supervisor")
    review = Review(id=5, turn_id=2, criterion="ownership", old_level=0, new_level=2,
                    comment="Owned at last.", reviewer_id=9, created_at=T0 + timedelta(hours=1))
    return [
        statements.launched(site, played),
        statements.noticed(site, played, free),
        statements.responded(site, played, free, feedback_for(SCENARIO, NODE, free.scores,
                                                              free.response_text)),
        statements.rewound(site, played, free, T0 + timedelta(minutes=2)),
        statements.responded(site, played, chosen, feedback_for(SCENARIO, NODE, chosen.scores,
                                                                None)),
        statements.completed(site, played, 0.71),
        statements.scored(site, played, chosen, review, supervisor, SCENARIO.rubric),
        statements.completed(site, played, 0.74, review_id=review.id),
    ]


def test_ids_are_stable_distinct_and_one_registration_is_the_exports():
    site = Site(BASE)
    built = _every_kind(site)
    assert [s["id"] for s in built] == [s["id"] for s in _every_kind(site)]
    assert len({s["id"] for s in built}) == len(built)
    registration = statement_uuid(BASE, "attempt/attempt-one")
    assert {s["context"]["registration"] for s in built} == {registration}
    elsewhere = _every_kind(Site("https://other.example.org"))
    assert not {s["id"] for s in built} & {s["id"] for s in elsewhere}
    other_attempt = _every_kind(site, _played("attempt-two"))
    assert {s["context"]["registration"] for s in other_attempt} == {
        statement_uuid(BASE, "attempt/attempt-two")}


def test_statements_name_the_account_cohort_scenario_and_moment_never_the_email():
    launched, noticed, free, rewound, chosen, *_ = _every_kind(Site(BASE))
    text = json.dumps(launched) + json.dumps(free)
    assert "@" not in text
    assert free["actor"] == {"objectType": "Agent", "name": "Tess Trainee",
                             "account": {"homePage": BASE, "name": "7"}}
    assert free["object"]["id"] == f"{BASE}/scenarios/{SCENARIO.id}/moments/opening"
    assert free["object"]["definition"]["name"] == {"en-US": f"{SCENARIO.title}: opening"}
    activities = free["context"]["contextActivities"]
    assert activities["parent"] == [{"objectType": "Activity",
                                     "id": f"{BASE}/scenarios/{SCENARIO.id}"}]
    assert activities["grouping"] == [{"objectType": "Activity", "id": f"{BASE}/cohorts/3",
                                       "definition": {"name": {"en-US": "Section A"}}}]
    assert rewound["context"]["statement"] == {"objectType": "StatementRef", "id": free["id"]}
    assert noticed["verb"]["id"] == f"{BASE}/xapi/verbs/noticed"
    choice = chosen["result"]["extensions"][f"{BASE}/xapi/extensions/choice"]
    assert choice["authored_index"] == 0 and choice["shown_order"][choice["shown_position"]] == 0


def test_the_trainees_words_go_only_where_allowed():
    with_words = _every_kind(Site(BASE, with_text=True))
    assert with_words[2]["result"]["response"] == WORDS
    assert with_words[4]["result"]["response"] == NODE.choices[0].text
    feedback = with_words[2]["result"]["extensions"][f"{BASE}/xapi/extensions/feedback"]
    assert any(WORDS[:40] in line for line in feedback)  # a strength quotes the words

    without = json.dumps(_every_kind(Site(BASE, with_text=False)))
    assert '"response"' not in without
    assert WORDS[:40] not in without and "glad you said so" not in without
    assert NODE.choices[0].text not in without


def test_a_supervisors_score_is_on_the_criterions_scale_without_their_comment():
    scored = _every_kind(Site(BASE))[6]
    assert scored["actor"]["account"] == {"homePage": BASE, "name": "9"}
    assert scored["result"]["score"] == {"scaled": 0.6667, "raw": 2, "min": 0, "max": 3}
    assert scored["result"]["extensions"][f"{BASE}/xapi/extensions/old-level"] == 0
    assert scored["context"]["statement"]["id"] == statements.responded_id(Site(BASE),
                                                                         "attempt-one", 2)
    assert "Owned at last." not in json.dumps(scored)


def test_every_kind_is_accepted_by_a_strict_lrs(lrs):
    built = _every_kind(Site(BASE), _played("attempt-for-the-lrs"))
    response = requests.post(f"{lrs.url}/statements", json=built, auth=("a", "b"), timeout=10,
                             headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 200, response.text
    stored = lrs.statements(registration=built[0]["context"]["registration"])
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in built)
