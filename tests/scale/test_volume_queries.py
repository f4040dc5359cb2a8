"""The queries that keep supervisor pages fast at volume give the same answers as before."""

from __future__ import annotations

from sqlmodel import col, select

from simulator.courses.dashboard import cohort_view
from simulator.courses.reviews import review_queue, review_queue_length
from simulator.library import shipped_library
from simulator.models import Attempt, Cohort, CohortMember, Turn
from simulator.practice.progress import criterion_means
from simulator.practice.snapshots import scenario_for
from simulator.practice.turns import rewind
from simulator.seeding import cohort_name
from tests.scale.conftest import seed


def _cohort_and_trainees(session):
    cohort = session.exec(select(Cohort).where(Cohort.name == cohort_name(1))).one()
    trainees = session.exec(select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.role == "trainee")).all()
    return cohort, list(trainees)


def _weakest_from_turns(session, trainee_ids, rubric) -> list[tuple[str, float]]:
    session.expire_all()
    turns = session.exec(select(Turn).join(Attempt, col(Attempt.id) == col(Turn.attempt_id))
                         .where(col(Attempt.trainee_id).in_(trainee_ids),
                                col(Turn.superseded).is_(False))).all()
    means = criterion_means(list(turns))
    return sorted(((cid, means[cid]) for cid in rubric.criterion_ids if cid in means),
                  key=lambda pair: (pair[1], pair[0]))


def test_queue_length_counts_what_the_queue_lists_up_to_the_cap(app, session):
    seed(app, session, trainees=2, turns_per_trainee=40)
    _, trainees = _cohort_and_trainees(session)
    listed = review_queue(session=session, trainee_ids=trainees, limit=500, threshold=0.95)
    assert len(listed) > 3
    assert review_queue_length(session=session, trainee_ids=trainees, cap=500,
                               threshold=0.95) == len(listed)
    assert review_queue_length(session=session, trainee_ids=trainees, cap=3,
                               threshold=0.95) == 3
    assert review_queue_length(session=session, trainee_ids=[], cap=3) == 0


def test_cohort_view_matches_the_turns_and_notices_a_rewind(app, session):
    seed(app, session, trainees=3, turns_per_trainee=30)
    library = shipped_library(app)
    rubric = library.rubrics["repair-core"]
    cohort, trainees = _cohort_and_trainees(session)
    before = cohort_view(session=session, cohort_id=cohort.id, rubric=rubric)
    assert before.weakest == _weakest_from_turns(session, trainees, rubric)
    attempt = session.exec(select(Attempt).where(
        Attempt.trainee_id == trainees[0], Attempt.status == "completed")).first()
    rewind(session=session, attempt=attempt,
           scenario=scenario_for(session=session, attempt=attempt, library=library))
    after = cohort_view(session=session, cohort_id=cohort.id, rubric=rubric)
    assert after.weakest == _weakest_from_turns(session, trainees, rubric)
    assert after.weakest != before.weakest
    assert len(after.trends[trainees[0]]) == len(before.trends[trainees[0]]) - 1
