"""The queries that keep supervisor pages fast at volume give the same answers as before."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import event
from sqlalchemy.exc import InvalidRequestError
from sqlmodel import col, select

from simulator.courses import dashboard
from simulator.courses.dashboard import cohort_view
from simulator.courses.reviews import review_queue, review_queue_length
from simulator.library import shipped_library
from simulator.models import Attempt, Cohort, CohortMember, Review, Turn
from simulator.practice.progress import attempt_score, criterion_means
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


def _live_turns(session, trainee_ids) -> dict[str, list[Turn]]:
    """Each attempt's live turns, read the plain way."""
    session.expire_all()
    turns = session.exec(select(Turn).join(Attempt, col(Attempt.id) == col(Turn.attempt_id))
                         .where(col(Attempt.trainee_id).in_(trainee_ids),
                                col(Turn.superseded).is_(False))).all()
    grouped: dict[str, list[Turn]] = defaultdict(list)
    for turn in turns:
        grouped[turn.attempt_id].append(turn)
    return grouped


def test_cohort_view_adds_up_in_the_database_as_the_turns_do_cold_and_warm(app, session):
    seed(app, session, trainees=3, turns_per_trainee=40)
    rubric = shipped_library(app).rubrics["repair-core"]
    cohort, trainees = _cohort_and_trainees(session)
    dashboard._summaries.clear()
    cold = cohort_view(session=session, cohort_id=cohort.id, rubric=rubric)
    warm = cohort_view(session=session, cohort_id=cohort.id, rubric=rubric)
    assert (cold.heatmap, cold.weakest, cold.trends, cold.cells) == (
        warm.heatmap, warm.weakest, warm.trends, warm.cells)
    turns = _live_turns(session, trainees)
    attempts = session.exec(select(Attempt).where(col(Attempt.trainee_id).in_(trainees))
                            .order_by(col(Attempt.started_at))).all()
    expected_trends = defaultdict(list)
    by_scenario = defaultdict(list)
    for attempt in attempts:
        by_scenario[attempt.scenario_id] += turns[attempt.id]
        score = attempt_score(turns[attempt.id])
        if attempt.status == "completed" and score is not None:
            expected_trends[attempt.trainee_id].append(score)
    assert cold.trends == expected_trends
    assert set(cold.heatmap) == {sid for sid, found in by_scenario.items()
                                 if any(t.scores["kind"] == "free" for t in found)}
    for sid, means in cold.heatmap.items():
        # Summed per attempt first, so the last rounded digit may differ at an exact tie.
        assert means == pytest.approx(criterion_means(by_scenario[sid]), abs=1.01e-4)


def test_review_queue_lists_the_oldest_unreviewed_unsure_free_text_turns(app, session):
    seed(app, session, trainees=3, turns_per_trainee=40)
    _, trainees = _cohort_and_trainees(session)
    session.expire_all()
    reviewed = set(session.exec(select(Review.turn_id)).all())
    every = [t for ts in _live_turns(session, trainees).values() for t in ts]
    expected = sorted((t for t in every if t.response_text is not None and t.confidence < 0.95
                       and t.id not in reviewed), key=lambda t: (t.created_at, t.id))
    assert len(expected) > 12
    by_list = review_queue(session=session, trainee_ids=trainees, limit=12, threshold=0.95)
    assert [turn.id for turn, _ in by_list] == [t.id for t in expected[:12]]
    assert all(attempt.id == turn.attempt_id for turn, attempt in by_list)
    as_select = select(CohortMember.user_id).where(col(CohortMember.user_id).in_(trainees))
    by_select = review_queue(session=session, trainee_ids=as_select, limit=12, threshold=0.95)
    assert [turn.id for turn, _ in by_select] == [t.id for t in expected[:12]]
    assert review_queue_length(session=session, trainee_ids=as_select, cap=500,
                               threshold=0.95) == len(expected)
    assert review_queue(session=session, trainee_ids=[], threshold=0.95) == []


def test_review_queue_never_loads_a_score_document(app, session):
    seed(app, session, trainees=2, turns_per_trainee=40)
    _, trainees = _cohort_and_trainees(session)
    session.expire_all()
    [(turn, attempt)] = review_queue(session=session, trainee_ids=trainees, limit=1,
                                     threshold=0.95)
    assert turn.response_text and attempt.scenario_id
    # Reading a column the queue does not load raises instead of querying once per row.
    with pytest.raises(InvalidRequestError):
        _ = turn.scores


def test_the_queue_reads_its_turns_from_the_partial_index_on_sqlite(app, session):
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses its plan from statistics; SQLite's choice is fixed")
    sent = []

    def _keep(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _keep)
    try:
        review_queue(session=session, trainee_ids=[1, 2])
        review_queue_length(session=session, trainee_ids=[1, 2])
    finally:
        event.remove(engine, "before_cursor_execute", _keep)
    assert len(sent) == 2
    # A condition spelled differently from the index's would leave SQLite reading every turn.
    for statement, parameters in sent:
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                    parameters).all()
        assert "ix_turn_review_queue" in " ".join(row[3] for row in plan), plan
