"""Feedback, rewind, resume, assessment mode, and answers the page must refuse kindly."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator.models import Turn
from tests.conftest import sign_in
from tests.trainee.conftest import answer, attempt_of, page_turn, play_to_end, start

SCENARIO = "you-started-late-again"
OWNING = ("You're right, I started late again, and that's on me. I'm sorry. "
          "What was it like waiting?")
DEFENSIVE = "I hear you, but I was only late because my last client ran over, to be fair."


def test_feedback_highlights_the_words_that_earned_credit(client, session, trainee, library):
    url = start(client, SCENARIO)
    answer(client, url, {"response": OWNING})
    page = client.get(url).get_data(as_text=True)
    assert "Feedback on your last response" in page
    assert re.search(r"<mark [^>]*>[^<]*(sorry|on me|started late)[^<]*</mark>", page)
    assert "What worked" in page
    model = library.scenarios[SCENARIO].node(
        library.scenarios[SCENARIO].start).exemplars.strong[0]
    assert "One response that might help here" in page
    assert _escaped(model) in page


def test_a_defensive_answer_is_flagged_with_its_own_words(client, session, trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": DEFENSIVE})
    page = client.get(url).get_data(as_text=True)
    assert "Watch for: defensiveness" in page
    quote = re.search(r"This part may land that way: “([^”]+)”", page).group(1)
    assert _unescape(quote) in DEFENSIVE


def test_rewind_answers_the_same_moment_again_side_by_side(client, session, trainee, library):
    scenario = library.scenarios[SCENARIO]
    url = start(client, SCENARIO)
    answer(client, url, {"response": DEFENSIVE})
    first_reaction = scenario.node(attempt_of(session, url).current_node).say
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    assert client.post(f"{url}/rewind", data={"csrf_token": token}).status_code == 303
    assert attempt_of(session, url).current_node == scenario.start
    answer(client, url, {"response": OWNING})
    page = client.get(url).get_data(as_text=True)
    assert "Two ways through the same moment" in page
    assert _escaped(DEFENSIVE) in page and _escaped(OWNING) in page
    assert _escaped(first_reaction)[:60] in page
    assert re.search(r"Change in overall score: \+0\.\d\d", page)
    turns = session.exec(select(Turn).order_by(Turn.index)).all()
    assert [(t.index, t.superseded) for t in turns] == [(0, True), (1, False)]


def test_closing_the_browser_and_returning_resumes_at_the_same_turn(app, session, login_as):
    user = login_as("trainee")
    first_browser = app.test_client()
    sign_in(first_browser, user.email)
    url = start(first_browser, SCENARIO)
    answer(first_browser, url, {"response": OWNING})
    before = first_browser.get(url).get_data(as_text=True)
    second_browser = app.test_client()
    sign_in(second_browser, user.email)
    dashboard = second_browser.get("/").get_data(as_text=True)
    assert "Continue where you left off" in dashboard and url in dashboard
    after = second_browser.get(url).get_data(as_text=True)
    assert page_turn(after) == page_turn(before) == "1"
    assert _escaped(OWNING) in re.sub(r"</?mark[^>]*>", "", after)  # highlights aside


def test_assessment_mode_hides_feedback_and_rewind_until_the_debrief(
        client, session, trainee, library):
    scenario = library.scenarios[SCENARIO]
    url = start(client, SCENARIO, mode="assessment")
    answer(client, url, {"response": DEFENSIVE})
    page = client.get(url).get_data(as_text=True)
    assert "Feedback on your last response" not in page
    assert "answer that moment again" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(f"{url}/rewind", data={"csrf_token": token})
    assert len(session.exec(select(Turn)).all()) == 1
    assert not session.exec(select(Turn)).one().superseded
    play_to_end(client, session, url, scenario)
    debrief = client.get(f"{url}/debrief").get_data(as_text=True)
    assert "Your skills in this session" in debrief and "Model responses" in debrief


def test_a_replayed_form_creates_exactly_one_turn(client, session, trainee):
    url = start(client, SCENARIO)
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {"turn": page_turn(html), "csrf_token": token, "response": OWNING}
    assert client.post(f"{url}/turns", data=form).status_code == 303
    replay = client.post(f"{url}/turns", data=form)
    assert replay.status_code == 409
    assert "This attempt moved on since this page was loaded." in replay.get_data(as_text=True)
    assert len(session.exec(select(Turn)).all()) == 1


def test_an_empty_response_is_refused_kindly(client, session, trainee):
    url = start(client, SCENARIO)
    response = answer(client, url, {"response": "   "}, htmx=True)
    assert response.status_code == 422
    assert "Take your time." in response.get_data(as_text=True)
    assert session.exec(select(Turn)).first() is None


def test_an_over_long_response_is_refused_and_kept_in_the_box(client, session, trainee):
    url = start(client, SCENARIO)
    long_text = "I hear how frustrating this is. " * 200
    response = answer(client, url, {"response": long_text})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "the limit is 4,000" in page
    assert long_text.strip() in page
    assert session.exec(select(Turn)).first() is None


@pytest.mark.parametrize("payload", ['<script>alert("x")</script>', '"><img src=x onerror=1>'])
def test_responses_and_reflections_are_escaped(client, session, trainee, library, payload):
    url = start(client, SCENARIO)
    answer(client, url, {"response": f"I'm sorry. {payload}"})
    page = client.get(url).get_data(as_text=True)
    assert payload not in page
    assert _escaped(payload) in page


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_the_same_answer_at_a_second_moment_earns_credit_once(client, session, trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": OWNING})
    if attempt_of(session, url).status != "in_progress":
        pytest.fail("the scenario ended after one answer; pick a longer path for this test")
    answer(client, url, {"response": OWNING})
    first, second = session.exec(select(Turn).order_by(Turn.index)).all()
    assert first.scores["criteria"]["ownership"]["score"] > 0.5
    assert second.scores["repeats"] == 0
    assert all(item["score"] == 0 for item in second.scores["criteria"].values())
    assert second.scores["flags"]["formulaic"]["score"] == 1.0
    page = client.get(url).get_data(as_text=True)
    assert "Watch for: stock phrases" in page
    assert "the same answer you gave at an earlier moment" in page


def test_rewinding_and_answering_the_same_moment_again_is_not_a_repeat(client, session,
                                                                        trainee):
    url = start(client, SCENARIO)
    answer(client, url, {"response": OWNING})
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    assert client.post(f"{url}/rewind", data={"csrf_token": token}).status_code == 303
    answer(client, url, {"response": OWNING})
    live = session.exec(select(Turn).where(Turn.superseded.is_(False))).one()
    assert "repeats" not in live.scores
    assert live.scores["criteria"]["ownership"]["score"] > 0.5


def test_a_scorer_that_cannot_load_refuses_the_turn_and_stores_nothing(client, session, trainee,
                                                                      monkeypatch, tmp_path):
    from simulator.scoring import model

    url = start(client, SCENARIO)
    monkeypatch.setattr(model, "WEIGHTS_PATH", tmp_path / "missing.json")
    response = answer(client, url, {"response": OWNING})
    assert response.status_code == 503
    assert "Scoring is unavailable" in response.get_data(as_text=True)
    assert session.exec(select(Turn)).all() == []
