"""One truth for scores: a supervisor's newest review replaces the engine's level everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from simulator.models import Review, Turn
from simulator.practice.alliance_words import change_words, meter, strength
from simulator.practice.effective import apply_reviews
from simulator.scenarios.library import load_library

RUBRIC = load_library(Path(__file__).resolve().parents[2] / "scenarios").rubrics["repair-core"]
T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _turn(**criteria: float) -> Turn:
    scored = {}
    for cid in RUBRIC.criterion_ids:
        score = criteria.get(cid, 0.0)
        level = RUBRIC.item(cid).level_for(score)
        scored[cid] = {"score": score, "level": level.level, "label": level.label,
                       "feedback": level.feedback, "evidence": []}
    flags = {fid: {"score": 0.0, "level": 0, "label": "", "evidence": []}
             for fid in RUBRIC.flag_ids}
    overall = RUBRIC.overall({c: s["score"] for c, s in scored.items()}, {}, None)
    return Turn(id=7, attempt_id="a", index=0, node_id="n", client_line="...",
                response_text="words", scores={"kind": "free", "criteria": scored,
                                               "flags": flags, "overall": overall},
                overall=overall, next_node="m")


def _review(criterion: str, level: int, minutes: int = 0, comment: str = "") -> Review:
    return Review(turn_id=7, criterion=criterion, new_level=level, comment=comment,
                  reviewer_id=None, created_at=T0 + timedelta(minutes=minutes))


def _top(criterion: str) -> int:
    return RUBRIC.item(criterion).levels[-1].level


def test_without_reviews_the_engine_scores_stand():
    turn = _turn(reflection=0.6)
    seen = apply_reviews(turn, RUBRIC, [])
    assert seen.scores == turn.scores and seen.overall == turn.overall and not seen.reviewed
    assert seen.response_text == "words" and seen.id == 7  # a stand-in for the turn


def test_a_raised_level_replaces_score_label_and_feedback_and_the_overall():
    turn = _turn(metacommunication=0.05, reflection=0.3)
    top = RUBRIC.item("metacommunication").levels[-1]
    seen = apply_reviews(turn, RUBRIC, [_review("metacommunication", top.level,
                                                comment="You named what was happening")])
    item = seen.scores["criteria"]["metacommunication"]
    assert (item["level"], item["label"], item["feedback"]) == (top.level, top.label,
                                                                top.feedback)
    assert item["score"] == top.min
    assert item["review"]["comment"] == "You named what was happening"
    assert item["review"]["engine_level"] == 0
    assert seen.reviewed and seen.overall > turn.overall
    # the engine's scores, which decided the branch, are left as they were
    assert turn.scores["criteria"]["metacommunication"]["score"] == 0.05
    assert seen.engine_overall == turn.overall


def test_a_confirmed_level_keeps_the_engine_score():
    turn = _turn(reflection=0.62)
    level = RUBRIC.item("reflection").level_for(0.62).level
    seen = apply_reviews(turn, RUBRIC, [_review("reflection", level)])
    assert seen.scores["criteria"]["reflection"]["score"] == 0.62
    assert seen.overall == turn.overall


def test_a_lowered_level_lowers_the_overall():
    turn = _turn(reflection=0.9)
    seen = apply_reviews(turn, RUBRIC, [_review("reflection", 0)])
    assert seen.scores["criteria"]["reflection"]["level"] == 0
    assert seen.overall < turn.overall


def test_the_newest_review_wins():
    turn = _turn(reflection=0.2)
    seen = apply_reviews(turn, RUBRIC, [_review("reflection", _top("reflection"), 0),
                                        _review("reflection", 1, 5, comment="second look")])
    assert seen.scores["criteria"]["reflection"]["level"] == 1
    assert seen.reviews["reflection"]["comment"] == "second look"


def test_a_level_the_rubric_no_longer_has_leaves_the_engine_score():
    turn = _turn(reflection=0.2)
    seen = apply_reviews(turn, RUBRIC, [_review("reflection", 99)])
    assert seen.scores["criteria"]["reflection"]["score"] == 0.2 and not seen.reviewed


def test_alliance_strength_runs_opposite_to_salience_and_words_follow_the_change():
    assert [strength(s) for s in range(1, 6)] == [5, 4, 3, 2, 1]
    assert "grew stronger" in change_words(4, 3, "Ines")
    assert "weakened" in change_words(2, 3, "Ines")
    assert "held" in change_words(3, 3, "Ines")
    after_repair = meter(2, 3, "Ines")
    assert after_repair.change == "stronger" and after_repair.strength == 4
    assert "against" not in after_repair.text and "away" not in after_repair.text
