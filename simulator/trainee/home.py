"""The dashboard and the progress page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from simulator.courses.invitations import pending_for
from simulator.db import get_session
from simulator.library import get_library
from simulator.practice.assignments import assignments_for
from simulator.practice.attempts import attempts_of
from simulator.practice.progress import progress_for
from simulator.trainee import bp
from simulator.trainee.charts import line_chart
from simulator.trainee.practice_views import PractiseMomentForm

RECENT = 5


@bp.get("/")
@bp.get("/dashboard", endpoint="practice_dashboard")  # for staff: `/` takes them to their home
@login_required
def dashboard():
    """Invitations to answer, assignments, the attempt to continue, and recent results."""
    session = get_session()
    attempts = attempts_of(session=session, trainee_id=current_user.id, limit=20)
    unfinished = next((a for a in attempts if a.status == "in_progress"), None)
    finished = [a for a in attempts if a.status == "completed"][:RECENT]
    return render_template(
        "trainee/dashboard.html",
        assignments=assignments_for(session=session, trainee_id=current_user.id),
        unfinished=unfinished, finished=finished, library=get_library(),
        invitations=pending_for(session=session, user_id=current_user.id),
        invitation_message=None,
    )


@bp.get("/progress")
@login_required
def progress():
    """Each criterion across attempts, strongest and weakest skills, and what to try next."""
    data = progress_for(session=get_session(), trainee_id=current_user.id, library=get_library())
    charts = {t.criterion: skill_chart(t.points, data.sessions) for t in data.trends}
    return render_template("trainee/progress.html", progress=data, charts=charts,
                           moment_form=PractiseMomentForm())


def skill_chart(points, sessions):
    """One skill's mean per session (0 to 1), each point named by its scenario and date."""
    return line_chart(points, [s.short_title for s in sessions], low=0, high=1,
                      notes=[s.date for s in sessions], full_labels=[s.title for s in sessions])
