"""`simulator demo --scale N`: cohorts of trainees with realistic, scored history."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import col, select

from simulator import seeding
from simulator.cli import cli
from simulator.cli.demo import DEMO_ACCOUNTS
from simulator.library import shipped_library
from simulator.models import Attempt, Cohort, CohortMember, Turn, User
from tests.conftest import sign_in


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(cli, ["demo", *args])


def test_plans_split_trainees_into_even_cohorts():
    assert [(p.number, p.first_trainee, p.trainees) for p in seeding.plans(60, 10, 25)] == [
        (1, 1, 20), (2, 21, 20), (3, 41, 20)]
    assert [p.trainees for p in seeding.plans(3, 10, 25)] == [3]


def test_demo_scale_seeds_cohorts_with_attempts_and_prints_them(run, session):
    result = run("--scale", "3", "--turns-per-trainee", "12")
    assert result.exit_code == 0, result.output
    assert "Seeded 3 trainees in 1 cohorts (1 supervisors, 3 assignments)" in result.output
    assert f"{seeding.trainee_email(1)} … {seeding.trainee_email(3)}" in result.output
    cohort = session.exec(select(Cohort).where(Cohort.name == seeding.cohort_name(1))).one()
    roles = Counter(session.exec(select(CohortMember.role).where(
        CohortMember.cohort_id == cohort.id)).all())
    assert roles == {"trainee": 3, "supervisor": 1}
    trainees = session.exec(select(User).where(col(User.email).like(f"%@{seeding.DOMAIN}"),
                                               User.role == "trainee")).all()
    for trainee in trainees:
        live = session.exec(select(Turn).join(Attempt, col(Attempt.id) == col(Turn.attempt_id))
                            .where(Attempt.trainee_id == trainee.id,
                                   col(Turn.superseded).is_(False))).all()
        assert len(live) == 12


def test_seeded_scores_look_like_the_scorer_made_them(run, app, session):
    assert run("--scale", "2", "--turns-per-trainee", "30").exit_code == 0
    rubric = shipped_library(app).rubrics["repair-core"]
    free = session.exec(select(Turn).where(col(Turn.response_text).is_not(None))).all()
    assert len(free) > 20
    for turn in free:
        criteria = {cid: item["score"] for cid, item in turn.scores["criteria"].items()}
        flags = {fid: item["score"] for fid, item in turn.scores["flags"].items()}
        # every item the scorer judges at that moment (safety only where a risk cue is)
        risk_only = {"safety", "safety_missed"}
        assert set(criteria) | risk_only == set(rubric.criterion_ids) | risk_only
        assert set(flags) | risk_only == set(rubric.flag_ids) | risk_only
        assert ("safety" in criteria) == ("safety_missed" in flags)
        for item_id, item in {**turn.scores["criteria"], **turn.scores["flags"]}.items():
            assert item["level"] == rubric.item(item_id).level_for(item["score"]).level
        needs = turn.scores["needs"]
        assert turn.overall == turn.scores["overall"] == rubric.overall(criteria, flags, needs)
    # jittered, not copies (answers whose penalties take overall to the floor of 0 all tie)
    above_floor = [turn.overall for turn in free if turn.overall > 0]
    assert len(set(above_floor)) > len(above_floor) // 2


def test_seeded_trainee_and_supervisor_sign_in_with_the_demo_passwords(run, app, session):
    assert run("--scale", "2", "--turns-per-trainee", "10").exit_code == 0
    trainee = app.test_client()
    assert sign_in(trainee, seeding.trainee_email(1), DEMO_ACCOUNTS[2][3]).status_code == 302
    assert trainee.get("/").status_code == 200
    supervisor = app.test_client()
    assert sign_in(supervisor, seeding.supervisor_email(1), DEMO_ACCOUNTS[1][3]).status_code == 302
    cohort = session.exec(select(Cohort).where(Cohort.name == seeding.cohort_name(1))).one()
    page = supervisor.get(f"/supervise/cohorts/{cohort.id}")
    assert page.status_code == 200 and seeding.trainee_email(1).encode() in page.data


def test_demo_scale_refuses_to_seed_twice(run, session):
    assert run("--scale", "1", "--turns-per-trainee", "5").exit_code == 0
    again = run("--scale", "1", "--turns-per-trainee", "5")
    assert again.exit_code == 1
    assert "already holds seeded cohorts; seed a fresh database" in again.output
    seeded = session.exec(select(User).where(col(User.email).like(f"%@{seeding.DOMAIN}"))).all()
    assert len(seeded) == 2  # one trainee and one supervisor, not twice that
