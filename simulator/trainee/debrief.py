"""The debrief: outcome, annotated transcript, the client's inner notes, and a reflection."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from simulator.audit import record
from simulator.courses.reviews import history_for
from simulator.db import get_session
from simulator.practice.attempts import turns_of
from simulator.trainee import bp
from simulator.trainee.access import own_attempt_or_404
from simulator.trainee.debrief_view import debrief_context

MAX_REFLECTION_CHARS = 6000


@bp.get("/attempts/<attempt_id>/debrief")
@login_required
def debrief(attempt_id: str):
    """Bring the attempt together once it has ended."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    if attempt.status != "completed":
        flash("The debrief opens when the conversation reaches an ending.", "info")
        return redirect(url_for("trainee.play", attempt_id=attempt.id))
    session = get_session()
    turns = turns_of(session=session, attempt_id=attempt.id)
    reviews = history_for(session=session, turn_ids=[t.id for t in turns])
    return render_template("trainee/debrief.html", reviews=reviews,
                           **debrief_context(attempt, scenario, turns))


@bp.post("/attempts/<attempt_id>/reflection")
@login_required
def save_reflection(attempt_id: str):
    """Keep the trainee's reflection with the attempt (shared with supervisors only if chosen)."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    text = request.form.get("reflection", "").strip()
    if len(text) > MAX_REFLECTION_CHARS:
        turns = turns_of(session=get_session(), attempt_id=attempt.id)
        error = (f"Your reflection is {len(text):,} characters; the limit is "
                 f"{MAX_REFLECTION_CHARS:,}. It is still in the box below.")
        context = debrief_context(attempt, scenario, turns)
        context.update(reflection_error=error, reflection_draft=text)
        return render_template("trainee/debrief.html", reviews={}, **context), 422
    session = get_session()
    attempt.reflection = text or None
    attempt.reflection_shared = request.form.get("share") == "yes"
    session.add(attempt)
    record(session, actor_id=current_user.id, action="reflection.save", object_type="attempt",
           object_id=attempt.id, shared=attempt.reflection_shared)
    session.commit()
    flash("Your reflection is saved.", "info")
    return redirect(url_for("trainee.debrief", attempt_id=attempt.id) + "#reflection", code=303)
