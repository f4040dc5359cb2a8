"""A small course: two cohorts with their supervisors and trainees, and some finished work.

Trainee A's finished practice attempt is shared with Section A, so Section A's supervisor sees
it (a supervisor sees only work given or shared in their cohort, done after joining it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlmodel import select

from simulator.models import AttemptShare, Cohort, CohortMember, Turn, User
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.trainee.conftest import play_to_end, start


@dataclass
class Course:
    admin: User
    supervisor_a: User
    supervisor_b: User
    trainee_a: User
    trainee_b: User
    cohort_a: Cohort
    cohort_b: Cohort
    attempt_a: str  # URL of trainee A's finished attempt
    turn_a: int  # one of its turns


def _cohort(session, name: str, supervisor: User, trainee: User) -> Cohort:
    cohort = Cohort(name=name)
    session.add(cohort)
    session.flush()
    session.add(CohortMember(cohort_id=cohort.id, user_id=supervisor.id, role="supervisor"))
    session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id, role="trainee"))
    session.commit()
    return cohort


@pytest.fixture
def course(app, session) -> Course:
    from simulator.library import shipped_library

    people = {role: make_user(session, role=role.split("_")[0], name=role.replace("_", " "))
              for role in ("admin", "supervisor_a", "supervisor_b", "trainee_a", "trainee_b")}
    cohort_a = _cohort(session, "Section A", people["supervisor_a"], people["trainee_a"])
    cohort_b = _cohort(session, "Section B", people["supervisor_b"], people["trainee_b"])
    browser = app.test_client()
    sign_in(browser, people["trainee_a"].email)
    scenario = shipped_library(app).scenarios["you-started-late-again"]
    url = start(browser, scenario.id)
    play_to_end(browser, session, url, scenario)
    session.add(AttemptShare(attempt_id=url.rsplit("/", 1)[-1], cohort_id=cohort_a.id))
    session.commit()
    turn = session.exec(select(Turn).where(Turn.attempt_id == url.rsplit("/", 1)[-1])).first()
    return Course(**people, cohort_a=cohort_a, cohort_b=cohort_b, attempt_a=url, turn_a=turn.id)


def browser_for(app, user: User):
    """A signed-in test client for `user`."""
    browser = app.test_client()
    assert sign_in(browser, user.email).status_code == 302
    return browser


def token_of(browser, path: str = "/") -> str:
    html = browser.get(path, follow_redirects=True).get_data(as_text=True)  # `/` sends staff home
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
