"""The cohort gradebook: rows, scores with supervisor overrides, lateness, and a safe CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from simulator.courses.csv_safety import neutralise, safe_cell
from simulator.courses.gradebook import (
    BOM,
    gradebook_csv,
    gradebook_rows,
    header,
    write_gradebook_csv,
)
from simulator.db import get_engine
from simulator.library import shipped_library
from simulator.models import Cohort
from simulator.rubric import Rubric
from tests.courses.factories import (
    SCENARIO,
    T0,
    make_assignment,
    make_attempt,
    make_cohort,
    make_review,
    make_turn,
)
from tests.helpers import make_user

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)





@pytest.fixture
def rubric(app) -> Rubric:
    return shipped_library(app).rubrics["repair-core"]


# Rows

def test_one_row_per_trainee_and_assignment_of_the_cohort(app, session, rubric):
    ana, ben, outsider = (make_user(session, name=n) for n in ("Ana", "Ben", "Cy"))
    cohort = make_cohort(session, ana, ben)
    other = make_cohort(session, outsider)
    shared = make_assignment(session, cohort_id=cohort.id)
    own = make_assignment(session, trainee_id=ana.id, within_cohort_id=cohort.id,
                          scenario_id="smiling-agreement")
    make_assignment(session, trainee_id=outsider.id, within_cohort_id=other.id)
    make_assignment(session, trainee_id=ana.id, within_cohort_id=other.id)  # given elsewhere
    make_assignment(session, cohort_id=other.id)
    rows = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric, now=NOW)
    assert [(r.trainee_name, r.assignment_id, r.scenario_id) for r in rows] == [
        ("Ana", shared.id, SCENARIO), ("Ana", own.id, "smiling-agreement"),
        ("Ben", shared.id, SCENARIO)]


def test_best_and_last_scores_use_live_turns_and_overrides_replace_criterion_scores(
        app, session, rubric):
    ana = make_user(session, name="Ana")
    cohort = make_cohort(session, ana)
    due = T0 + timedelta(days=1, hours=12)
    assignment = make_assignment(session, cohort_id=cohort.id, due_at=due)
    day = timedelta(days=1)
    later = make_attempt(session, app, ana, assignment_id=assignment.id,
                         finished_at=T0 + 2 * day, started_at=T0 + 2 * day - timedelta(hours=1))
    best = make_attempt(session, app, ana, assignment_id=assignment.id, finished_at=T0 + day)
    make_attempt(session, app, ana, assignment_id=assignment.id, status="in_progress",
                 outcome=None, finished_at=None)
    make_turn(session, rubric, later, 0, overall=0.4, criteria={"reflection": 0.3})
    make_turn(session, rubric, later, 1, kind="choice", overall=0.6)
    make_turn(session, rubric, best, 0, overall=0.1, criteria={"reflection": 0.0},
              superseded=True)
    first = make_turn(session, rubric, best, 1, overall=0.9,
                      criteria={"reflection": 0.9, "validation": 0.6})
    second = make_turn(session, rubric, best, 2, overall=0.7,
                       criteria={"reflection": 0.5, "validation": 0.2})
    make_review(session, second, "reflection", 0, created_at=T0 + 3 * day)
    make_review(session, second, "reflection", 3, created_at=T0 + 4 * day)  # newest counts
    make_review(session, first, "validation", 1, created_at=T0 + 3 * day)

    [row] = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric, now=NOW)

    # Overall is worked out again from the reviewed scores (3/4 the best criterion + 1/4 the
    # next): first 0.75 * 0.9 + 0.25 * 0.3 = 0.75, second 0.75 * 0.8 + 0.25 * 0.2 = 0.65;
    # the engine's 0.9 and 0.7 no longer count. The unreviewed attempt keeps (0.4 + 0.6) / 2.
    assert (row.attempts, row.best_overall, row.last_overall) == (3, 0.7, 0.5)
    # reflection: 0.9 and the override's level-3 floor 0.8; validation: level-1 floor 0.3 and 0.2
    assert row.criteria["reflection"] == pytest.approx(0.85)
    assert row.criteria["validation"] == pytest.approx(0.25)
    assert row.criteria["ownership"] == 0.0
    assert list(row.criteria) == list(rubric.criterion_ids)
    # Submitted when first completed, on time; practising again after the deadline is not late.
    assert row.submitted_at == T0 + day
    assert (row.late, row.status) == (False, "completed")


@pytest.mark.parametrize(("due", "attempt_status", "late", "status"), [
    (NOW - timedelta(days=1), None, True, "overdue"),
    (NOW - timedelta(days=1), "in_progress", True, "overdue"),
    (NOW + timedelta(days=1), "in_progress", False, "in progress"),
    (None, None, False, "not started"),
    (NOW + timedelta(days=1), "completed", False, "completed"),
])
def test_lateness_and_status(app, session, rubric, due, attempt_status, late, status):
    ana = make_user(session)
    cohort = make_cohort(session, ana)
    assignment = make_assignment(session, cohort_id=cohort.id, due_at=due)
    if attempt_status:
        finished = NOW - timedelta(hours=1) if attempt_status == "completed" else None
        make_attempt(session, app, ana, assignment_id=assignment.id, status=attempt_status,
                     finished_at=finished)
    [row] = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric, now=NOW)
    assert (row.late, row.status) == (late, status)
    assert row.best_overall is None and set(row.criteria.values()) == {None}


def test_attempts_outside_the_assignment_do_not_count(app, session, rubric):
    ana = make_user(session)
    cohort = make_cohort(session, ana)
    make_assignment(session, cohort_id=cohort.id)
    free_practice = make_attempt(session, app, ana)
    make_turn(session, rubric, free_practice, 0, overall=1.0)
    [row] = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric, now=NOW)
    assert (row.attempts, row.best_overall, row.status) == (0, None, "not started")


def _count_queries(app, action) -> int:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = get_engine(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def _cohort_of(app, session: Session, rubric: Rubric, size: int) -> Cohort:
    trainees = [make_user(session) for _ in range(size)]
    cohort = make_cohort(session, *trainees)
    shared = make_assignment(session, cohort_id=cohort.id)
    for trainee in trainees:
        own = make_assignment(session, trainee_id=trainee.id, within_cohort_id=cohort.id)
        for assignment in (shared, own):
            attempt = make_attempt(session, app, trainee, assignment_id=assignment.id)
            turn = make_turn(session, rubric, attempt, 0, criteria={"reflection": 0.4})
            make_review(session, turn, "reflection", 2)
    return cohort


def test_query_count_does_not_grow_with_the_number_of_trainees(app, session, rubric):
    small, large = _cohort_of(app, session, rubric, 2), _cohort_of(app, session, rubric, 10)
    counts = {}
    for cohort in (small, large):
        def build(cohort=cohort):
            rows = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric)
            assert len(rows) == 2 * len({r.trainee_email for r in rows})
            assert {r.criteria["reflection"] for r in rows} == {0.55}  # level-2 floor
        counts[cohort.id] = _count_queries(app, build)
    assert counts[small.id] == counts[large.id] <= 5


# CSV

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_could_start_a_formula_is_prefixed_with_a_quote(payload):
    assert neutralise(payload) == "'" + payload
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(("value", "text"), [
    ("Ana O'Neil", "Ana O'Neil"), ("a=b", "a=b"), (0.5, "0.50"), (-0.25, "-0.25"), (1.0, "1.00"),
    (3, "3"), (None, ""),
])
def test_numbers_stay_numbers_and_plain_text_is_unchanged(value, text):
    assert safe_cell(value) == text


def test_csv_neutralises_formula_names_and_parses_back(app, session, rubric):
    names = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(1)", "Zoë, \"Z\" Ng"]
    trainees = [make_user(session, name=n) for n in names]
    cohort = make_cohort(session, *trainees)
    assignment = make_assignment(session, cohort_id=cohort.id, due_at=T0 + timedelta(days=2))
    attempt = make_attempt(session, app, trainees[0], assignment_id=assignment.id)
    make_turn(session, rubric, attempt, 0, overall=0.756, criteria={"reflection": 0.333})
    rows = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric, now=NOW)

    data = gradebook_csv(rows, criterion_ids=rubric.criterion_ids)

    assert data.startswith(BOM.encode("utf-8"))
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == len(rows) + 1 and "\n" not in text.replace("\r\n", "")
    parsed = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(parsed[0]) == header(rubric.criterion_ids)
    by_name = {r["trainee_name"]: r for r in parsed}
    assert set(by_name) == {"'" + n for n in names[:4]} | {names[4]}
    scored = by_name["'" + names[0]]
    assert (scored["best_overall"], scored["reflection"], scored["attempts"]) == (
        "0.76", "0.33", "1")
    assert (scored["due"], scored["submitted"]) == ("2025-03-03T09:00:00Z", "2025-03-01T09:12:00Z")
    assert (scored["late"], scored["status"]) == ("no", "completed")
    assert by_name["'+1"]["best_overall"] == "" and by_name["'+1"]["late"] == "yes"


def test_an_empty_gradebook_keeps_its_columns(app, session, rubric):
    stream = io.StringIO(newline="")
    cohort = make_cohort(session)
    rows = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric)
    write_gradebook_csv(rows, stream, criterion_ids=rubric.criterion_ids)
    assert stream.getvalue() == BOM + ",".join(header(rubric.criterion_ids)) + "\r\n"
