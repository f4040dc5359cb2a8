"""The play page: the conversation, the client's new line, and the answer form."""

from __future__ import annotations

import logging

from flask import flash, redirect, url_for
from flask_login import login_required

from simulator.db import get_session
from simulator.practice.answers import AnswerRefused
from simulator.practice.turns import AttemptClosed, AttemptMovedOn, rewind, submit_turn
from simulator.trainee import bp
from simulator.trainee.access import own_attempt_or_404
from simulator.trainee.forms import NOTE_LIMIT, AnswerForm
from simulator.trainee.play_view import play_context
from simulator.web import render_page_or_fragment, wants_fragment

log = logging.getLogger(__name__)


def _render(attempt, scenario, *, status: int = 200, **extra):
    context = play_context(get_session(), attempt, scenario, note_limit=NOTE_LIMIT, **extra)
    return render_page_or_fragment("trainee/play.html", "trainee/_play.html", status, **context)


@bp.get("/attempts/<attempt_id>")
@login_required
def play(attempt_id: str):
    """The conversation so far and the current moment; reopens where the trainee left off."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    return _render(attempt, scenario)


@bp.post("/attempts/<attempt_id>/turns")
@login_required
def answer(attempt_id: str):
    """Score and store one answer, then show the client's reaction."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    form = AnswerForm()
    answer = form.answer()
    if not form.validate():  # nothing is stored; the typed words stay in the boxes
        return _render(attempt, scenario, status=422, form_error=form.first_error(),
                       draft=answer, answer_form=form)
    try:
        submit_turn(session=get_session(), attempt=attempt, scenario=scenario,
                    expected_index=form.turn.data, answer=answer,
                    expected_node=form.node.data or None)
    except AnswerRefused as refused:
        return _render(attempt, scenario, status=422, form_error=str(refused), draft=answer)
    except (AttemptMovedOn, AttemptClosed) as moved:
        get_session().refresh(attempt)
        message = f"{moved} Here is where it stands now."
        return _render(attempt, scenario, status=409, form_error=message)
    log.debug("turn stored for attempt %s", attempt.id)
    if wants_fragment():
        return _render(attempt, scenario, just_answered=True)
    return redirect(url_for("trainee.play", attempt_id=attempt.id), code=303)


@bp.post("/attempts/<attempt_id>/rewind")
@login_required
def rewind_turn(attempt_id: str):
    """Answer the last moment again; the earlier answer is kept for comparison."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    try:
        rewind(session=get_session(), attempt=attempt, scenario=scenario)
    except AttemptClosed as closed:
        flash(str(closed), "warning")
    if wants_fragment():
        return _render(attempt, scenario, just_answered=True)
    return redirect(url_for("trainee.play", attempt_id=attempt.id), code=303)
