"""Supervisor polish: agreement below its minimum, due dates in the past, the year on every due
date, and override forms that start at the current level."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from simulator.courses.agreement import MIN_RATED_TURNS, quadratic_weighted_kappa
from simulator.library import shipped_library
from simulator.models import Assignment, Turn, utcnow
from tests.courses.factories import make_attempt, make_review, make_turn
from tests.supervisor.conftest import browser_for, token_of

# Engine scores that land on reflection levels 0..3 of repair-core.
ENGINE_SCORE = {0: 0.1, 1: 0.4, 2: 0.6, 3: 0.9}


@pytest.fixture
def rubric(app):
    return shipped_library(app).rubrics["repair-core"]


def _rated(app, session, rubric, pairs: list[tuple[int, int]]) -> None:
    """Free-text turns whose reflection the engine and a supervisor put at these levels."""
    attempt = make_attempt(session, app, None)
    for index, (engine, supervisor) in enumerate(pairs):
        turn = make_turn(session, rubric, attempt, index,
                         criteria={"reflection": ENGINE_SCORE[engine]})
        make_review(session, turn, "reflection", supervisor)


def _reflection_line(page: str) -> str:
    section = page.split('id="agree-reflection"', 1)[1]
    return re.search(r"<p>(.*?)</p>", section, re.S).group(1)


def test_one_rated_turn_is_not_enough_for_a_kappa(app, course, session, rubric):
    _rated(app, session, rubric, [(0, 3)])  # one disagreeing pair: kappa would be exactly 0
    page = browser_for(app, course.admin).get("/supervise/agreement").text
    assert _reflection_line(page) == (
        f"1 rated turn · Not enough rated turns yet (1 of the {MIN_RATED_TURNS} needed)")
    assert "0.00" not in page
    assert f"rated on at least {MIN_RATED_TURNS} turns" in page  # the minimum is stated


def test_enough_rated_turns_show_kappa_as_a_number(app, course, session, rubric):
    pairs = [(0, 0), (1, 1), (2, 2), (3, 3), (1, 2), (2, 1), (0, 1), (3, 2), (2, 2), (1, 1),
             (0, 0), (3, 3)]
    _rated(app, session, rubric, pairs)
    kappa = quadratic_weighted_kappa(pairs, [0, 1, 2, 3])
    page = browser_for(app, course.admin).get("/supervise/agreement").text
    assert _reflection_line(page) == f"{len(pairs)} rated turns · kappa {kappa:.2f}"


@pytest.mark.parametrize(("pairs", "why"), [
    ([(1, 1)] * MIN_RATED_TURNS,
     "the engine and supervisors put every rated turn at level 1, so there is no spread to "
     "compare"),
    ([(0, 0), (0, 3)] * (MIN_RATED_TURNS // 2),
     "the engine put every rated turn at level 0, so its agreement cannot be told apart from "
     "chance"),
])
def test_kappa_that_is_undefined_says_why(app, course, session, rubric, pairs, why):
    _rated(app, session, rubric, pairs)
    page = browser_for(app, course.admin).get("/supervise/agreement").text
    assert _reflection_line(page) == f"{len(pairs)} rated turns · kappa undefined ({why})"


# Due dates

def _assign(browser, course, due: str):
    url = f"/supervise/cohorts/{course.cohort_a.id}"
    return browser.post(f"{url}/assignments", data={
        "csrf_token": token_of(browser, url), "scenario": ["the-long-story"], "due": due,
        "mode": "assessment", "attempts_allowed": "2"})


def test_a_due_date_in_the_past_is_refused_beside_the_field(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    response = _assign(browser, course, yesterday)
    assert response.status_code == 422
    html = response.text
    assert (f'<p class="field-error" id="due-error">The due date {yesterday} has already '
            "passed; choose today or a later date.</p>") in html
    control = re.search(r'<input[^>]*id="due"[^>]*>', html).group(0)
    assert f'value="{yesterday}"' in control and 'aria-invalid="true"' in control
    assert re.search(r'id="assign-the-long-story" name="scenario" value="the-long-story" checked',
                     html)  # what was typed and ticked is kept
    assert 'value="2"' in re.search(r'<input[^>]*id="attempts"[^>]*>', html).group(0)
    assert session.exec(select(func.count()).select_from(Assignment)).one() == 0


def test_today_is_a_good_due_date(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    today = utcnow().date()
    assert _assign(browser, course, today.isoformat()).status_code == 303
    assignment = session.exec(select(Assignment)).one()
    assert assignment.due_at.date() == today


def test_every_page_that_shows_a_due_date_shows_its_year(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    assert _assign(browser, course, "2099-12-01").status_code == 303
    trainee = browser_for(app, course.trainee_a)
    pages = {
        "cohort": browser.get(f"/supervise/cohorts/{course.cohort_a.id}").text,
        "dashboard": trainee.get("/").text,
        "scenario": trainee.get("/scenarios/the-long-story").text,
    }
    for name, page in pages.items():
        assert "01 Dec 2099" in page, name


# Override and blind forms

def _selected_level(page: str, turn_id: int) -> str | None:
    select_html = re.search(rf'<select[^>]*id="level-{turn_id}".*?</select>', page, re.S).group(0)
    chosen = re.findall(r'<option selected value="(\d+)"|<option value="(\d+)" selected',
                        select_html)
    assert len(chosen) <= 1
    return next((a or b for a, b in chosen), None)


def test_the_override_form_starts_at_the_current_level(app, course, session):
    reviewer = browser_for(app, course.supervisor_a)
    url = f"/supervise/attempts/{course.attempt_a.rsplit('/', 1)[-1]}"
    turn = session.get(Turn, course.turn_a)
    engine = turn.scores["criteria"]["reflection"]["level"]
    assert _selected_level(reviewer.get(url).text, turn.id) == str(engine)

    changed = (engine + 2) % 4
    response = reviewer.post(f"/supervise/turns/{turn.id}/reviews", data={
        "csrf_token": token_of(reviewer, url), "criterion": "reflection", "level": str(changed),
        "comment": "Closer to this."})
    assert response.status_code == 303
    page = reviewer.get(url).text
    assert _selected_level(page, turn.id) == str(changed)
    criterion = re.search(rf'<select[^>]*id="criterion-{turn.id}".*?</select>', page, re.S)[0]
    assert '<option selected value="reflection">Reflection</option>' in criterion
    # every criterion's current level, for the script that follows a change of criterion
    current = json.loads(html.unescape(re.search(r'data-current-levels="([^"]*)"', criterion)[1]))
    assert current == {cid: (changed if cid == "reflection" else item["level"])
                       for cid, item in turn.scores["criteria"].items()}


def test_the_blind_form_preselects_no_level(app, course):
    page = browser_for(app, course.supervisor_a).get("/supervise/blind").text
    assert 'type="radio"' in page  # there is a turn to rate
    assert "checked" not in page  # blind: the engine's level is not offered as a default
