"""Override and blind-rating forms: typed fields, each bad field's message beside it, no save."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator.models import Review, Turn
from tests.supervisor.conftest import browser_for, token_of

SCALE = "(0–3)"


@pytest.fixture
def reviewer(app, course):
    return browser_for(app, course.supervisor_a)


def _review_url(course) -> str:
    return f"/supervise/attempts/{course.attempt_a.rsplit('/')[-1]}"


def _override(reviewer, course, **form):
    data = {"csrf_token": token_of(reviewer, _review_url(course)), "criterion": "ownership",
            "level": "2", "comment": "", **form}
    return reviewer.post(f"/supervise/turns/{course.turn_a}/reviews", data=data)


def _error_beside(page: str, control_id: str) -> str:
    """The message of the error a control points to, asserting the control is marked invalid."""
    control = re.search(rf'<(?:select|textarea|input)[^>]*\bid="{control_id}"[^>]*>', page)
    assert control, f"no control {control_id}"
    assert 'aria-invalid="true"' in control.group(0)
    assert f'aria-describedby="{control_id}-error"' in control.group(0) or \
        f'{control_id}-error"' in control.group(0)
    error = re.search(rf'<p class="field-error" id="{control_id}-error">([^<]*)</p>', page)
    assert error, f"no error for {control_id}"
    return error.group(1)


def _saved(session) -> list[Review]:
    session.expire_all()
    return list(session.exec(select(Review)).all())


@pytest.mark.parametrize("level", ["x", "²", "٣", " ", "1.5", "9" * 40])
def test_a_level_that_is_no_whole_number_is_refused_beside_the_level(reviewer, course, session,
                                                                     level):
    response = _override(reviewer, course, level=level)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error_beside(page, f"level-{course.turn_a}") == f"Choose a level on the scale {SCALE}."
    others = [int(t) for t in re.findall(r'id="level-(\d+)"', page) if int(t) != course.turn_a]
    assert others and all(f'id="level-{t}-error"' not in page for t in others)  # still blank
    assert _saved(session) == []


def test_every_bad_field_gets_its_own_message_and_the_comment_is_kept(reviewer, course, session):
    comment = "Kept-comment " + "c" * 2000
    response = _override(reviewer, course, criterion="nope", level="7", comment=comment,
                         next="https://elsewhere.example")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    turn = course.turn_a
    assert _error_beside(page, f"criterion-{turn}") == "Unknown criterion &#39;nope&#39;."
    assert _error_beside(page, f"level-{turn}") == f"Level 7 is not on the scale {SCALE}."
    assert _error_beside(page, f"comment-{turn}") == "Comments are limited to 2,000 characters."
    assert ("After saving, the page to go to is &#39;review&#39; or &#39;blind&#39;, not "
            "&#39;https://elsewhere.example&#39;.") in page
    assert comment in page  # what the supervisor wrote is still in the box
    assert _saved(session) == []
    # Corrected, the same form is saved (and may lead back to blind rating).
    response = _override(reviewer, course, level="1", comment=" Fine. ", next="blind")
    assert response.status_code == 303 and response.headers["Location"].endswith("/blind")
    [review] = _saved(session)
    assert (review.criterion, review.new_level, review.comment, review.blind) == (
        "ownership", 1, "Fine.", False)


def _blind(reviewer, turn_id: int, **levels):
    data = {"csrf_token": token_of(reviewer, "/supervise/blind"), **levels}
    return reviewer.post(f"/supervise/blind/{turn_id}", data=data)


@pytest.fixture
def unsure(course, session) -> int:
    turn = session.get(Turn, course.turn_a)
    return turn.id


def test_a_bad_blind_rating_is_refused_beside_its_skill_and_nothing_is_saved(reviewer, session,
                                                                            unsure):
    response = _blind(reviewer, unsure, level_ownership="2", level_reflection="x",
                      level_exploration="9")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'<fieldset aria-describedby="level_reflection-error">', page)
    assert (f'<p class="field-error" id="level_reflection-error">Choose a level on the scale '
            f"{SCALE}.</p>") in page
    assert (f'<p class="field-error" id="level_exploration-error">Level 9 is not on the scale '
            f"{SCALE}.</p>") in page
    assert re.search(r'<input checked[^>]*id="ownership-2"|<input[^>]*id="ownership-2"[^>]*checked',
                     page)  # the good rating is still chosen
    assert _saved(session) == []
    response = _blind(reviewer, unsure, level_ownership="2", level_reflection="0")
    assert response.status_code == 303
    assert {(r.criterion, r.new_level, r.blind) for r in _saved(session)} == {
        ("ownership", 2, True), ("reflection", 0, True)}
