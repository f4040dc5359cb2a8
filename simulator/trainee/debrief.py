"""The debrief: outcome, annotated transcript, the client's inner notes, and a reflection.

The trainee also decides here who sees the session: which of their cohorts it is shared with
(only those they had joined when it started), and whether their reflection is shared with the
supervisors who see it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from simulator.audit import record
from simulator.courses.sharing import assigned_in, cohorts_open_to_share, share, shared_with
from simulator.db import get_session
from simulator.fields import ascii_int
from simulator.practice.attempts import turns_of
from simulator.trainee import bp
from simulator.trainee.access import own_attempt_or_404
from simulator.trainee.debrief_view import debrief_context

MAX_REFLECTION_CHARS = 6000
NOT_OPEN = "Choose from the cohorts listed: you had joined them when this session started."


def _within_limit(_form, field) -> None:
    text = (field.data or "").strip()
    if len(text) > MAX_REFLECTION_CHARS:
        raise ValidationError(f"Your reflection is {len(text):,} characters; the limit is "
                              f"{MAX_REFLECTION_CHARS:,}. It is still in the box below.")


class ReflectionForm(FlaskForm):
    """The reflection, whether it is shared, and which cohorts see the session."""

    reflection = TextAreaField(id="reflection-text", validators=[_within_limit])
    share = BooleanField("Share this reflection with the supervisors who see this session "
                         "(otherwise only you can read it)", id="share")
    # Present when the page listed cohorts: an unticked box then means "stop sharing".
    sharing = HiddenField()
    cohorts = SelectMultipleField("Share this session with", coerce=ascii_int,
                                  invalid_value_message=NOT_OPEN,
                                  invalid_choice_message=NOT_OPEN)

    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


def _sharing_form(attempt, *, bound: bool = True) -> ReflectionForm:
    session = get_session()
    if bound:
        form = ReflectionForm()
    else:
        form = ReflectionForm(formdata=None, reflection=attempt.reflection or "",
                              share=attempt.reflection_shared,
                              cohorts=sorted(shared_with(session=session, attempt=attempt)))
    form.cohorts.choices = [SelectChoice(c.id, c.name)
                            for c in cohorts_open_to_share(session=session, attempt=attempt)]
    return form


def _page(attempt, scenario, form: ReflectionForm, status: int = 200):
    session = get_session()
    turns = turns_of(session=session, attempt_id=attempt.id, include_superseded=True)
    context = debrief_context(session, attempt, scenario, turns)
    return render_template("trainee/debrief.html", form=form,
                           assigned_cohort=assigned_in(session=session, attempt=attempt),
                           **context), status


@bp.get("/attempts/<attempt_id>/debrief")
@login_required
def debrief(attempt_id: str):
    """Bring the attempt together once it has ended."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    if attempt.status != "completed":
        flash("The debrief opens when the conversation reaches an ending.", "info")
        return redirect(url_for("trainee.play", attempt_id=attempt.id))
    return _page(attempt, scenario, _sharing_form(attempt, bound=False))


@bp.post("/attempts/<attempt_id>/reflection")
@login_required
def save_reflection(attempt_id: str):
    """Keep the reflection and who may see the session and the reflection."""
    attempt, scenario = own_attempt_or_404(attempt_id)
    form = _sharing_form(attempt)
    session = get_session()
    if not form.validate_on_submit():
        return _page(attempt, scenario, form, 422)
    attempt.reflection = (form.reflection.data or "").strip() or None
    attempt.reflection_shared = form.share.data
    session.add(attempt)
    cohorts = (share(session=session, attempt=attempt, cohort_ids=form.cohorts.data or [])
               if form.sharing.data else shared_with(session=session, attempt=attempt))
    record(session, actor_id=current_user.id, action="reflection.save", object_type="attempt",
           object_id=attempt.id, shared=attempt.reflection_shared, cohorts=sorted(cohorts))
    session.commit()
    flash("Your reflection and sharing choices are saved.", "info")
    return redirect(url_for("trainee.debrief", attempt_id=attempt.id) + "#reflection", code=303)
