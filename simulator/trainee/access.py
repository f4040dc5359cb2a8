"""Loading the objects a trainee may touch; anything else is a 404, never a 403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from simulator.db import get_session
from simulator.library import get_library, pinned_scenario
from simulator.models import Attempt
from simulator.practice.attempts import find_own_attempt
from simulator.practice.snapshots import SnapshotUnreadable
from simulator.scenarios.model import Scenario


def own_attempt_or_404(attempt_id: str) -> tuple[Attempt, Scenario]:
    """The signed-in trainee's attempt and its pinned scenario, or 404."""
    session = get_session()
    attempt = find_own_attempt(session=session, attempt_id=attempt_id, trainee_id=current_user.id)
    if attempt is None:
        abort(404)
    try:
        return attempt, pinned_scenario(attempt)
    except SnapshotUnreadable:
        abort(500)


def scenario_or_404(scenario_id: str) -> Scenario:
    """A scenario of the current library, or 404."""
    scenario = get_library().scenarios.get(scenario_id)
    if scenario is None:
        abort(404)
    return scenario
