"""Which authored scenarios the signed-in supervisor may open: their own (all for an admin).

Anyone else's draft or version is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from simulator.authoring import store
from simulator.db import get_session
from simulator.models import AuthoredScenario, ScenarioVersion


def is_admin() -> bool:
    return current_user.role == "admin"


def authored_or_404(scenario_id: str) -> AuthoredScenario:
    """An authored scenario the signed-in user owns (any, for an admin), or 404."""
    authored = store.find(get_session(), scenario_id)
    if authored is None or not store.may_edit(authored, user_id=current_user.id,
                                              is_admin=is_admin()):
        abort(404)
    return authored


def version_or_404(authored: AuthoredScenario, number: int | None = None) -> ScenarioVersion:
    """Version `number` of it (the newest when None), or 404."""
    found = store.version(get_session(), authored, number)
    if found is None:
        abort(404)
    return found
