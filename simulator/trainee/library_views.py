"""The scenario library, one scenario's page, and starting an attempt."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from simulator.audit import record
from simulator.branch_maps import staff_map
from simulator.db import get_session
from simulator.engine import turn_range
from simulator.library import get_library
from simulator.practice.assignments import assignments_for
from simulator.practice.attempts import AttemptsUsedUp, start_assigned_attempt, start_attempt
from simulator.scenarios.vocabulary import KINDS, RUPTURE_TYPES, SETTINGS
from simulator.trainee import bp
from simulator.trainee.access import scenario_or_404
from simulator.trainee.forms import StartForm
from simulator.web import render_page_or_fragment


def _filters() -> tuple[str, int | None, str, str]:
    """(family, difficulty, setting, kind) from the query; anything unknown means "all"."""
    family = request.args.get("family", "")
    difficulty = request.args.get("difficulty", "")
    setting = request.args.get("setting", "")
    kind = request.args.get("kind", "")
    return (family if family in RUPTURE_TYPES else "",
            int(difficulty) if difficulty in ("1", "2", "3") else None,
            setting if setting in SETTINGS else "", kind if kind in KINDS else "")


@bp.get("/scenarios")
@login_required
def library():
    """Every valid scenario and drill, filtered by rupture family, level, setting and kind."""
    family, difficulty, setting, kind = _filters()
    scenarios = sorted(get_library().scenarios.values(), key=lambda s: (s.difficulty, s.title))
    shown = [s for s in scenarios
             if (not family or s.rupture == family)
             and (difficulty is None or s.difficulty == difficulty)
             and (not setting or s.setting == setting) and (not kind or s.kind == kind)]
    return render_page_or_fragment(
        "trainee/library.html", "trainee/_scenario_list.html", scenarios=shown,
        family=family, difficulty=difficulty, families=RUPTURE_TYPES, setting=setting,
        settings=SETTINGS, kind=kind, turns={s.id: turn_range(s) for s in shown},
    )


@bp.get("/scenarios/<scenario_id>")
@login_required
def scenario(scenario_id: str):
    """The client, the context, the objectives, and a start button."""
    return _scenario_page(scenario_or_404(scenario_id))


def _assignment(session, scenario_id: str, wanted: int):
    """The assignment, if it reaches this trainee and is for this scenario; else 404."""
    for status in assignments_for(session=session, trainee_id=current_user.id):
        if status.assignment.id == wanted and status.assignment.scenario_id == scenario_id:
            return status.assignment
    abort(404)


def _scenario_page(found, status: int = 200, *, form: StartForm | None = None,
                   error: str | None = None):
    assigned = [a for a in assignments_for(session=get_session(), trainee_id=current_user.id)
                if a.assignment.scenario_id == found.id and a.attempts_left > 0]
    return render_template("trainee/scenario.html", scenario=found, turns=turn_range(found),
                           assigned=assigned, form=form or StartForm(), error=error,
                           branch_map=staff_map(found)), status


def _start(session, found, form: StartForm):
    """A new attempt (flushed), at the named assignment or on the trainee's own."""
    if form.assignment.data is None:
        return start_attempt(session=session, trainee_id=current_user.id, scenario=found,
                             mode=form.mode.data or "practice")
    assignment = _assignment(session, found.id, form.assignment.data)
    return start_assigned_attempt(session=session, trainee_id=current_user.id,
                                  scenario=found, assignment=assignment)


@bp.post("/scenarios/<scenario_id>/attempts")
@login_required
def start(scenario_id: str):
    """Start an attempt pinned to this version of the scenario."""
    found = scenario_or_404(scenario_id)
    form = StartForm()
    if not form.validate():
        return _scenario_page(found, 422, form=form)
    session = get_session()
    try:
        attempt = _start(session, found, form)
    except AttemptsUsedUp as used_up:
        return _scenario_page(found, 409, error=f"{used_up} Your supervisor can allow more.")
    session.flush()
    record(session, actor_id=current_user.id, action="attempt.start", object_type="attempt",
           object_id=attempt.id, scenario=found.id, mode=attempt.mode)
    session.commit()
    return redirect(url_for("trainee.play", attempt_id=attempt.id), code=303)
