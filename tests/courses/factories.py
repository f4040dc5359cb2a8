"""Factories for the course tests: cohorts, assignments, attempts, turns and reviews."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from simulator.library import shipped_library
from simulator.models import Assignment, Attempt, Cohort, CohortMember, Review, Turn
from simulator.practice.answers import RISK_ONLY
from simulator.practice.snapshots import pin_snapshot
from simulator.rubric import Rubric

SCENARIO = "you-started-late-again"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
JOINED = T0 - timedelta(days=30)
_cohorts = itertools.count(1)


def make_cohort(session: Session, *trainees, name: str | None = None,
                joined: datetime = JOINED) -> Cohort:
    """A committed cohort with these users as trainee members, joined at `joined`.

    By default they joined before T0, so the attempts the factories make are work their
    supervisors may see (on the cohort's assignments, or shared with it).
    """
    cohort = Cohort(name=name or f"Cohort {next(_cohorts)}")
    session.add(cohort)
    session.commit()
    session.add_all(CohortMember(cohort_id=cohort.id, user_id=t.id, added_at=joined)
                    for t in trainees)
    session.commit()
    return cohort


def make_assignment(session: Session, **overrides) -> Assignment:
    """A committed assignment of SCENARIO (give cohort_id or trainee_id)."""
    assignment = Assignment(**{"scenario_id": SCENARIO, "mode": "assessment", **overrides})
    session.add(assignment)
    session.commit()
    return assignment


def make_attempt(session: Session, app, trainee, **overrides) -> Attempt:
    """A committed attempt on the pinned library version of SCENARIO (completed by default)."""
    scenario = shipped_library(app).scenarios[overrides.pop("scenario_id", SCENARIO)]
    pin_snapshot(session=session, scenario=scenario)
    fields = {"scenario_id": scenario.id, "scenario_hash": scenario.content_hash,
              "mode": "assessment", "status": "completed", "outcome": "repaired",
              "current_node": scenario.start, "started_at": T0,
              "finished_at": T0 + timedelta(minutes=12)}
    fields.update(overrides)
    attempt = Attempt(trainee_id=trainee.id if trainee else None, **fields)
    session.add(attempt)
    session.commit()
    return attempt


def stored_scores(rubric: Rubric, kind: str, criteria: dict[str, float], overall: float,
                  risk: bool = False) -> dict:
    """Turn.scores as the practice flow stores it: every criterion and flag with its level
    (the risk-only items only at a moment with a risk cue, as simulator.practice.answers)."""
    def item(rubric_item, score: float) -> dict:
        level = rubric_item.level_for(score)
        return {"score": score, "level": level.level, "label": level.label,
                "evidence": [], "feedback": level.feedback}

    skip = set() if risk else {i for ids in RISK_ONLY.values() for i in ids}
    return {"kind": kind, "overall": overall, "confidence": 0.9,
            "criteria": {c.id: item(c, criteria.get(c.id, 0.0)) for c in rubric.criteria
                         if c.id not in skip},
            "flags": {f.id: item(f, 0.0) for f in rubric.flags if f.id not in skip}}


def make_turn(session: Session, rubric: Rubric, attempt: Attempt, index: int, *,
              kind: str = "free", overall: float = 0.5, criteria: dict | None = None,
              **overrides) -> Turn:
    """A committed turn with realistic scores JSON."""
    fields = {"node_id": "opening", "client_line": "You started late again.",
              "response_text": "It sounds like waiting felt like not mattering.",
              "next_node": "opening", "created_at": attempt.started_at + timedelta(minutes=index)}
    if kind == "choice":
        fields.update(response_text=None, choice_index=0)
    fields.update(overrides)
    risk = fields.pop("risk", False)
    turn = Turn(attempt_id=attempt.id, index=index, overall=overall,
                scores=stored_scores(rubric, kind, criteria or {}, overall, risk), **fields)
    session.add(turn)
    session.commit()
    return turn


def make_review(session: Session, turn: Turn, criterion: str, new_level: int, **overrides):
    """A committed supervisor rating of one criterion on one turn."""
    review = Review(turn_id=turn.id, criterion=criterion, new_level=new_level,
                    old_level=turn.scores["criteria"][criterion]["level"],
                    reviewer_id=overrides.pop("reviewer_id", None), **overrides)
    session.add(review)
    session.commit()
    return review
