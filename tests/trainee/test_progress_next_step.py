"""What progress suggests next: supervisor reviews count, and the difficulty ladder is kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from simulator.practice.ladder import clear_threshold
from tests.courses.factories import T0, make_attempt, make_review, make_turn

LOW = {"reflection": 0.2, "validation": 0.25, "exploration": 0.15, "ownership": 0.2,
       "metacommunication": 0.3, "collaboration": 0.05}
HIGH = {**LOW, "reflection": 0.8, "collaboration": 0.1}


@pytest.fixture
def rubric(library):
    return library.rubrics["repair-core"]


@pytest.fixture
def play(app, session, trainee, rubric):
    """Record a finished session: (scenario, criteria, overall) -> its one live answer."""
    days = iter(range(1, 28))

    def _play(scenario_id: str, criteria: dict, overall: float):
        attempt = make_attempt(session, app, trainee, scenario_id=scenario_id, mode="practice",
                               finished_at=T0 + timedelta(days=next(days)))
        return make_turn(session, rubric, attempt, 0, node_id="opening", overall=overall,
                         criteria=criteria)

    return _play


def recommended(client) -> str:
    page = client.get("/progress").get_data(as_text=True)
    return re.search(r'Recommended next: <a href="/scenarios/([^"]+)"', page).group(1)


def test_clear_is_the_rubrics_threshold(rubric):
    assert clear_threshold(rubric) == 0.55


def test_a_struggling_beginner_is_recommended_level_1(client, play, library):
    play("thought-records-are-pointless", LOW, 0.2)
    play("you-forgot-her-name", LOW, 0.25)
    chosen = recommended(client)
    assert library.scenarios[chosen].difficulty == 1
    page = client.get("/progress").get_data(as_text=True)
    assert "You are on level 1 of 3. Level 2 opens when one of your level 1 sessions " \
           "averages 0.55 (Clear) or more." in page


def test_level_2_opens_once_level_1_is_met_and_level_3_only_after_level_2(client, play,
                                                                         library):
    play("thought-records-are-pointless", LOW, 0.2)
    play("thought-records-are-pointless", HIGH, 0.6)  # level 1 met
    assert library.scenarios[recommended(client)].difficulty == 2
    play("you-started-late-again", LOW, 0.3)  # level 2 tried, not met
    assert library.scenarios[recommended(client)].difficulty == 2
    play("you-started-late-again", HIGH, 0.7)  # level 2 met
    assert library.scenarios[recommended(client)].difficulty == 3


def test_a_supervisor_review_changes_the_mean_shown(client, session, play):
    turn = play("you-must-be-sick-of-me", LOW, 0.2)
    before = client.get("/progress").get_data(as_text=True)
    assert "<strong>Reflection</strong>" not in before.split("Skill to practise")[0]
    make_review(session, turn, "reflection", 3, comment="A clear complex reflection.")
    after = client.get("/progress").get_data(as_text=True)
    strongest = after.split("Skill to practise")[0]
    assert "<strong>Reflection</strong> — mean 0.80" in strongest
    assert "includes your supervisor’s review" in strongest
    row = re.search(r'<th scope="row">Reflection</th>.*?</tr>', after, flags=re.S).group(0)
    assert "0.80" in row and "includes your supervisor’s review" in row


def test_a_supervisor_review_counts_towards_the_ladder(client, session, play, library):
    turn = play("thought-records-are-pointless", LOW, 0.2)
    assert library.scenarios[recommended(client)].difficulty == 1
    make_review(session, turn, "reflection", 3, comment="Strong.")
    make_review(session, turn, "metacommunication", 2, comment="Clear.")
    assert library.scenarios[recommended(client)].difficulty == 2
