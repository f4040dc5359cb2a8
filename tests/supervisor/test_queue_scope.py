"""The review queue and its count reach exactly the trainees of the cohorts one supervises."""

from __future__ import annotations

import re

from sqlmodel import select

from simulator.models import Attempt, CohortMember, Turn
from tests.helpers import make_user
from tests.supervisor.conftest import browser_for


def _unsure(session, attempt_url: str) -> list[int]:
    """Make every free-text turn of the attempt one the engine was unsure about."""
    turns = session.exec(select(Turn).where(Turn.attempt_id == attempt_url.rsplit("/", 1)[-1],
                                            Turn.response_text.is_not(None))).all()
    for turn in turns:
        turn.confidence = 0.2
        session.add(turn)
    session.commit()
    return [turn.id for turn in turns]


def _waiting(home_html: str) -> int:
    return int(re.search(r"Review queue</a> — (\d+) turn", home_html).group(1))


def test_each_supervisor_sees_only_their_cohorts_turns_and_the_admin_sees_all(app, course,
                                                                             session):
    turn_ids = _unsure(session, course.attempt_a)
    assert turn_ids
    expected = {"admin": len(turn_ids), "supervisor_a": len(turn_ids), "supervisor_b": 0}
    for who, count in expected.items():
        browser = browser_for(app, getattr(course, who))
        queue = browser.get("/supervise/queue").get_data(as_text=True)
        listed = [int(n) for n in re.findall(r"#turn-(\d+)", queue)]
        assert sorted(listed) == (sorted(turn_ids) if count else []), who
        assert _waiting(browser.get("/supervise/").get_data(as_text=True)) == count, who


def test_a_trainee_in_no_cohort_is_in_nobodys_queue_not_even_the_admins(app, course, session):
    _unsure(session, course.attempt_a)
    attempt = session.get(Attempt, course.attempt_a.rsplit("/", 1)[-1])
    attempt.trainee_id = make_user(session, role="trainee").id
    session.add(attempt)
    session.commit()
    browser = browser_for(app, course.admin)
    assert "#turn-" not in browser.get("/supervise/queue").get_data(as_text=True)
    assert _waiting(browser.get("/supervise/").get_data(as_text=True)) == 0


def test_a_supervisor_of_two_cohorts_sees_both(app, course, session):
    turn_ids = _unsure(session, course.attempt_a)
    session.add(CohortMember(cohort_id=course.cohort_a.id, user_id=course.supervisor_b.id,
                             role="supervisor"))
    session.commit()
    browser = browser_for(app, course.supervisor_b)
    queue = browser.get("/supervise/queue").get_data(as_text=True)
    assert sorted(int(n) for n in re.findall(r"#turn-(\d+)", queue)) == sorted(turn_ids)
    home = browser.get("/supervise/").get_data(as_text=True)
    assert "Section A" in home and "Section B" in home
