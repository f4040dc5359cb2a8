"""Reviewing attempts: the transcript with scores, overrides, the queue, blind rating, agreement."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from simulator.audit import record
from simulator.branch_maps import map_for
from simulator.courses.agreement import agreement_by_criterion
from simulator.courses.reviews import ReviewError, add_override, history_for, review_queue
from simulator.db import get_session
from simulator.library import get_library, pinned_scenario
from simulator.models import Attempt, Review, Turn, User
from simulator.practice.annotated import AnnotatedExchange, annotate
from simulator.practice.attempts import turns_of
from simulator.practice.effective import apply_reviews
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import (
    attempt_or_404,
    turn_or_404,
    visible_attempts,
    visible_cohorts,
)
from simulator.supervisor.home import SUPERVISORS
from simulator.supervisor.review_forms import (
    OverrideForm,
    blind_form,
    override_form,
    starting_override_forms,
)

BLIND_SAMPLE = 10


@dataclass(frozen=True)
class HistoryLine:
    """One version of a supervisor's rating of a criterion on a turn."""

    at: datetime
    criterion: str
    change: str  # e.g. "Strong (3) → Clear (2)"
    blind: bool
    comment: str


@dataclass(frozen=True)
class ReviewedExchange:
    """One turn on the review and transcript pages: the annotated exchange and its history."""

    turn_id: int
    view: AnnotatedExchange
    history: tuple[HistoryLine, ...]


def _level_words(item, level: int | None) -> str:
    if level is None:
        return "–"
    label = next((step.label for step in item.levels if step.level == level), None)
    return f"{label} ({level})" if label else str(level)


def _history(rubric, reviews: list[Review]) -> tuple[HistoryLine, ...]:
    lines = []
    for r in reviews:
        item = rubric.item(r.criterion)
        lines.append(HistoryLine(r.created_at, item.name, f"{_level_words(item, r.old_level)} → "
                                 f"{_level_words(item, r.new_level)}", r.blind, r.comment))
    return tuple(lines)


def reviewed_exchanges(scenario, turns: list[Turn], history: dict[int, list[Review]]
                       ) -> list[ReviewedExchange]:
    """Each live turn drawn as everywhere else, with the supervisor's reviews applied."""
    rubric = scenario.rubric
    return [ReviewedExchange(
        t.id, annotate(scenario, apply_reviews(t, rubric, history.get(t.id, ())), number=n),
        _history(rubric, history.get(t.id, []))) for n, t in enumerate(turns, start=1)]


def _review_context(attempt_id: str, posted: tuple[int, OverrideForm] | None = None) -> dict:
    """The review page's data; `posted` is a turn's override form as sent, shown with its errors."""
    session = get_session()
    attempt = attempt_or_404(attempt_id)
    scenario = pinned_scenario(attempt)
    turns = turns_of(session=session, attempt_id=attempt.id)
    record(session, actor_id=current_user.id, action="transcript.view", object_type="attempt",
           object_id=attempt.id)
    session.commit()
    history = history_for(session=session, turn_ids=[t.id for t in turns])
    return dict(attempt=attempt, scenario=scenario, trainee=session.get(User, attempt.trainee_id),
                exchanges=reviewed_exchanges(scenario, turns, history),
                history=history, branch_map=map_for(scenario),
                review_error=None, override_forms=dict([posted]) if posted else {},
                blank_overrides=starting_override_forms(scenario.rubric, turns, history))


@bp.get("/attempts/<attempt_id>")
@role_required(*SUPERVISORS)
def review(attempt_id: str):
    """The full transcript with inner notes, scores, evidence and override forms."""
    return render_template("supervisor/review.html", **_review_context(attempt_id))


@bp.get("/attempts/<attempt_id>/transcript")
@role_required(*SUPERVISORS)
def transcript(attempt_id: str):
    """A printable transcript of the attempt."""
    return render_template("supervisor/transcript.html", **_review_context(attempt_id))


@bp.post("/turns/<int:turn_id>/reviews")
@role_required(*SUPERVISORS)
def override(turn_id: int):
    """Record a new version of one criterion's level on one turn."""
    turn, attempt = turn_or_404(turn_id)
    session = get_session()
    scenario = pinned_scenario(attempt)
    form = override_form(scenario.rubric, turn)
    if not form.validate():
        return _refused_override(attempt, turn, form)
    try:
        review_row = add_override(
            session=session, turn=turn, rubric=scenario.rubric, criterion=form.criterion.data,
            new_level=form.level.data, comment=form.comment.data or "",
            reviewer_id=current_user.id, blind=form.blind.data)
    except ReviewError as error:
        session.rollback()
        return _refused_override(attempt, turn, form, str(error))
    session.flush()
    record(session, actor_id=current_user.id, action="review.override", object_type="turn",
           object_id=str(turn.id), criterion=review_row.criterion, level=review_row.new_level)
    session.commit()
    flash("Your rating is saved and shown to the trainee as supervisor feedback.", "info")
    if form.next.data == "blind":
        return redirect(url_for("supervisor.blind"), code=303)
    return redirect(url_for("supervisor.review", attempt_id=attempt.id) + f"#turn-{turn.id}",
                    code=303)


def _refused_override(attempt: Attempt, turn: Turn, form: OverrideForm, message: str = ""):
    """The review page again, nothing saved: the turn's form as sent, each problem beside it."""
    context = _review_context(attempt.id, posted=(turn.id, form))
    context["review_error"] = (turn.id, message) if message else None
    return render_template("supervisor/review.html", **context), 422


@bp.get("/queue")
@role_required(*SUPERVISORS)
def queue():
    """Turns where the engine was least sure, oldest first."""
    rows = review_queue(session=get_session(), attempts_where=visible_attempts())
    return render_template("supervisor/queue.html", rows=rows, library=get_library())


def _blind_candidates(session) -> list[Turn]:
    """Unreviewed free-text turns of supervised trainees, in a stable order per supervisor."""
    reviewed = select(Review.turn_id)
    rows = session.exec(
        select(Turn).join(Attempt, col(Attempt.id) == col(Turn.attempt_id))
        .where(visible_attempts(),
               col(Turn.superseded).is_(False), col(Turn.response_text).is_not(None),
               col(Turn.id).not_in(reviewed))
        .order_by(col(Turn.id)).limit(500)
    ).all()
    sample = list(rows)
    random.Random(current_user.id).shuffle(sample)  # noqa: S311 (a sample order, not a secret)
    return sample[:BLIND_SAMPLE]


@bp.get("/blind")
@role_required(*SUPERVISORS)
def blind():
    """Rate a sample of turns without seeing the engine's scores first."""
    session = get_session()
    sample = _blind_candidates(session)
    if not sample:
        return render_template("supervisor/blind.html", turn=None, remaining=0)
    turn = sample[0]
    scenario = pinned_scenario(session.get(Attempt, turn.attempt_id))
    return render_template("supervisor/blind.html", turn=turn, scenario=scenario,
                           remaining=len(sample),
                           form=blind_form(scenario.rubric, turn, formdata=None))


@bp.post("/blind/<int:turn_id>")
@role_required(*SUPERVISORS)
def blind_rate(turn_id: int):
    """Store blind ratings for every criterion the supervisor rated on this turn."""
    turn, attempt = turn_or_404(turn_id)
    session = get_session()
    scenario = pinned_scenario(attempt)
    form = blind_form(scenario.rubric, turn)
    if not form.validate():  # this turn again, each bad rating's message beside it
        return render_template("supervisor/blind.html", turn=turn, scenario=scenario, form=form,
                               remaining=len(_blind_candidates(session))), 422
    rated = form.rated()
    if not rated:
        flash("Rate at least one criterion, or skip this turn.", "warning")
        return redirect(url_for("supervisor.blind"), code=303)
    try:
        for cid, level in rated:
            add_override(session=session, turn=turn, rubric=scenario.rubric, criterion=cid,
                         new_level=level, comment="", reviewer_id=current_user.id, blind=True)
    except ReviewError as error:
        session.rollback()
        flash(str(error), "warning")
        return redirect(url_for("supervisor.blind"), code=303)
    record(session, actor_id=current_user.id, action="review.blind", object_type="turn",
           object_id=str(turn.id), criteria=len(rated))
    session.commit()
    flash("Ratings saved. The engine's scores for that turn are now on its review page.", "info")
    return redirect(url_for("supervisor.blind"), code=303)


@bp.get("/agreement")
@role_required(*SUPERVISORS)
def agreement():
    """Where the engine and supervisors agree, criterion by criterion, per cohort."""
    cohorts = visible_cohorts()
    wanted = request.args.get("cohort", "")
    chosen = next((c for c in cohorts if str(c.id) == wanted), None)
    if chosen is None and current_user.role != "admin":
        chosen = cohorts[0] if cohorts else None
        if chosen is None:
            return render_template("supervisor/agreement.html", rows=[], cohorts=[],
                                   chosen=None, blind_only=False)
    blind_only = request.args.get("blind") == "yes"
    rubric = get_library().rubrics["repair-core"]
    rows = agreement_by_criterion(session=get_session(), rubric=rubric,
                                  cohort_id=chosen.id if chosen else None, blind_only=blind_only)
    return render_template("supervisor/agreement.html", rows=rows, cohorts=cohorts,
                           chosen=chosen, blind_only=blind_only, rubric=rubric)
