"""Practise this moment again: a new practice attempt at the moment of an earlier answer."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from simulator.audit import record
from simulator.db import get_session
from simulator.library import get_library, pinned_scenario
from simulator.models import Turn
from simulator.practice.attempts import find_own_attempt, start_from_turn
from simulator.practice.snapshots import SnapshotUnreadable
from simulator.scenarios.model import ClientNode
from simulator.trainee import bp


class PractiseMomentForm(FlaskForm):
    """No fields: the turn is in the URL; the form carries the CSRF token."""


def _own_moment_or_404(session, turn_id: int):
    """The trainee's own turn, its attempt and pinned scenario; 404 for anything else, a
    scenario no longer offered, or a version that no longer loads."""
    turn = session.get(Turn, turn_id)
    attempt = turn and find_own_attempt(session=session, attempt_id=turn.attempt_id,
                                        trainee_id=current_user.id)
    if attempt is None or attempt.scenario_id not in get_library().scenarios:
        abort(404)
    try:
        scenario = pinned_scenario(attempt)
    except SnapshotUnreadable:
        abort(404)
    if not isinstance(scenario.nodes.get(turn.node_id), ClientNode):
        abort(404)
    return turn, attempt, scenario


@bp.post("/moments/<int:turn_id>/practice")
@login_required
def practise_moment(turn_id: int):
    """Start a practice attempt at this answer's moment, with the alliance as it stood then."""
    session = get_session()
    turn, earlier, scenario = _own_moment_or_404(session, turn_id)
    if not PractiseMomentForm().validate():
        abort(400)
    attempt = start_from_turn(session=session, turn=turn, attempt=earlier, scenario=scenario)
    session.flush()
    record(session, actor_id=current_user.id, action="attempt.start", object_type="attempt",
           object_id=attempt.id, scenario=scenario.id, mode=attempt.mode,
           start_node=attempt.start_node)
    session.commit()
    return redirect(url_for("trainee.play", attempt_id=attempt.id), code=303)
