"""Scorer agreement: quadratic weighted kappa and the engine-vs-supervisor pairs it is fed."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.courses.agreement import (
    AgreementRow,
    agreement_by_criterion,
    confusion_table,
    quadratic_weighted_kappa,
)
from simulator.library import shipped_library
from tests.courses.factories import (
    T0,
    make_assignment,
    make_attempt,
    make_cohort,
    make_review,
    make_turn,
)
from tests.helpers import make_user

THREE = (0, 1, 2)
FOUR = (0, 1, 2, 3)
EXAMPLE = [(0, 0), (1, 1), (2, 1), (2, 2)]


@pytest.fixture
def rubric(app):
    return shipped_library(app).rubrics["repair-core"]


def test_kappa_on_a_hand_computed_example():
    """Pairs (engine, supervisor): (0,0) (1,1) (2,1) (2,2); levels 0..2, so k = 3, n = 4.

    Weights w[i][j] = (i - j)² / (k - 1)²: 0 on the diagonal, 1/4 one step off, 1 two steps off.
    Table (rows engine): [1 0 0] [0 1 0] [0 1 1]; row totals r = 1 1 2; column totals c = 1 2 1.
    Observed weighted disagreement: only (2,1), weight 1/4, count 1 -> (1/4) / 4 = 1/16.
    Expected, Σ w·r_i·c_j / n²:
      i=0: j=1 1/4·1·2 = 1/2, j=2 1·1·1 = 1 -> 3/2
      i=1: j=0 1/4·1·1 = 1/4, j=2 1/4·1·1 = 1/4 -> 1/2
      i=2: j=0 1·2·1 = 2, j=1 1/4·2·2 = 1 -> 3
      total 5, / 16 -> 5/16.
    kappa = 1 - (1/16) / (5/16) = 1 - 1/5 = 0.8.
    """
    assert confusion_table(EXAMPLE, THREE) == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
    assert quadratic_weighted_kappa(EXAMPLE, THREE) == pytest.approx(0.8)


def test_an_unused_level_leaves_kappa_unchanged():
    """With levels 0..3 every weight is scaled by 4/9 and level 3 adds nothing: still 0.8."""
    assert quadratic_weighted_kappa(EXAMPLE, FOUR) == pytest.approx(0.8)


def test_perfect_agreement_is_one():
    assert quadratic_weighted_kappa([(0, 0), (1, 1), (3, 3), (3, 3)], FOUR) == pytest.approx(1.0)


def test_systematic_disagreement_is_negative():
    """(0,2) and (2,0): observed (1 + 1) / 2 = 1, expected (1·1·1 + 1·1·1) / 4 = 1/2 -> -1."""
    assert quadratic_weighted_kappa([(0, 2), (2, 0)], THREE) == pytest.approx(-1.0)
    assert quadratic_weighted_kappa([(0, 3), (1, 2), (2, 1), (3, 0)], FOUR) < 0


@pytest.mark.parametrize(("pairs", "levels"), [
    ([], FOUR),  # nothing to compare
    ([(1, 1), (1, 1)], FOUR),  # both raters on one level: zero expected disagreement
    ([(0, 0)], (0,)),  # a one-level scale has no disagreement to weigh
])
def test_undefined_kappa_is_none(pairs, levels):
    assert quadratic_weighted_kappa(pairs, levels) is None


def test_confusion_table_rows_are_engine_and_columns_supervisor():
    assert confusion_table([(0, 2), (0, 2), (1, 0)], THREE) == [[0, 0, 2], [1, 0, 0], [0, 0, 0]]


def test_a_level_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match=r"pair \(4, 1\) has a level outside \[0, 1, 2\]"):
        confusion_table([(4, 1)], THREE)


def _reference_kappa(pairs, k):
    """Textbook matrix form, written independently: 1 - Σ(W∘O) / Σ(W∘E)."""
    observed = np.zeros((k, k))
    for a, b in pairs:
        observed[a, b] += 1
    expected = np.outer(observed.sum(1), observed.sum(0)) / len(pairs)
    weights = np.subtract.outer(np.arange(k), np.arange(k)) ** 2 / (k - 1) ** 2
    return 1 - (weights * observed).sum() / (weights * expected).sum()


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40))
def test_kappa_matches_the_matrix_formula_and_is_symmetric(pairs):
    kappa = quadratic_weighted_kappa(pairs, FOUR)
    swapped = quadratic_weighted_kappa([(b, a) for a, b in pairs], FOUR)
    if kappa is None:
        assert len({a for a, _ in pairs} | {b for _, b in pairs}) == 1
        return
    assert kappa == pytest.approx(_reference_kappa(pairs, 4))
    assert swapped == pytest.approx(kappa)
    assert -1.0 <= kappa <= 1.0 + 1e-9


# From the database

def _rated_turn(session, rubric, attempt, index, engine_score, *ratings, kind="free", **kw):
    """A turn whose reflection the engine scored, rated by a supervisor at these levels in order."""
    turn = make_turn(session, rubric, attempt, index, kind=kind,
                     criteria={"reflection": engine_score}, **kw)
    for minutes, (level, blind) in enumerate(ratings):
        make_review(session, turn, "reflection", level, blind=blind,
                    created_at=T0 + timedelta(days=1, minutes=minutes))
    return turn


def test_pairs_the_engine_level_with_the_newest_supervisor_level(app, session, rubric):
    ana = make_user(session)
    attempt = make_attempt(session, app, ana)
    _rated_turn(session, rubric, attempt, 0, 0.1, (2, False), (0, False))  # engine 0, newest 0
    _rated_turn(session, rubric, attempt, 1, 0.4, (1, False))  # engine 1
    _rated_turn(session, rubric, attempt, 2, 0.6, (1, False))  # engine 2, supervisor 1
    _rated_turn(session, rubric, attempt, 3, 0.6, (2, False))  # engine 2
    _rated_turn(session, rubric, attempt, 4, 0.9, (0, False), superseded=True)  # rewound
    _rated_turn(session, rubric, attempt, 5, 0.9, (0, False), kind="choice")  # authored scores

    rows = agreement_by_criterion(session=session, rubric=rubric)

    assert [r.criterion for r in rows] == list(rubric.criterion_ids)
    reflection = rows[0]
    assert reflection == AgreementRow("reflection", 4, pytest.approx(0.8), [
        [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0]])
    assert rows[1] == AgreementRow("validation", 0, None, [[0] * 4 for _ in range(4)])


def test_cohort_and_blind_filters(app, session, rubric):
    ana, ben = make_user(session), make_user(session)
    cohort = make_cohort(session, ana)
    other = make_cohort(session, ben)
    mine, theirs = (make_assignment(session, cohort_id=c.id).id for c in (cohort, other))

    def attempt(trainee, assignment_id):
        return make_attempt(session, app, trainee, assignment_id=assignment_id)

    _rated_turn(session, rubric, attempt(ana, mine), 0, 0.1, (0, True))
    _rated_turn(session, rubric, attempt(ana, mine), 0, 0.9, (3, True), (2, False))
    _rated_turn(session, rubric, attempt(ben, theirs), 0, 0.9, (0, True))
    _rated_turn(session, rubric, attempt(ana, None), 0, 0.9, (0, True))  # practice, not shared

    def reflection(**filters) -> AgreementRow:
        return agreement_by_criterion(session=session, rubric=rubric, **filters)[0]

    assert reflection().n == 4
    # Ana's pairs (0,0) and (3,2): observed (1/9)/2 = 1/18; expected (4/9 + 1 + 1/9)/4 = 7/18.
    mine = reflection(cohort_id=cohort.id)
    assert (mine.n, mine.table[3][2], mine.kappa) == (2, 1, pytest.approx(1 - 1 / 7))
    blind = reflection(cohort_id=cohort.id, blind_only=True)
    assert (blind.n, blind.table[3][3], blind.kappa) == (2, 1, pytest.approx(1.0))
