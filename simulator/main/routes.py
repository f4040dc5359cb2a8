"""The health check, and where each role lands."""

from __future__ import annotations

import logging

from flask import jsonify, redirect, request, url_for
from flask_login import current_user

from simulator.db import get_engine, ping
from simulator.library import shipped_library
from simulator.main import bp
from simulator.scoring.model import ScorerUnavailable, load_model

log = logging.getLogger(__name__)
# Each role's home; everyone else (trainees) lands on the trainee dashboard at `/`.
HOMES = {"admin": "admin.overview", "supervisor": "supervisor.home"}


def home_url(role: str | None = None) -> str:
    """The home page of `role` (by default the signed-in user's): /admin, /supervise or `/`."""
    if role is None and current_user.is_authenticated:
        role = current_user.role
    return url_for(HOMES.get(role or "", "trainee.dashboard"))


@bp.app_template_global("home_url")
def _home_url_global(role: str | None = None) -> str:
    return home_url(role)


@bp.before_app_request
def land_by_role():
    """`/` is each role's home: admins and supervisors go on to theirs.

    The trainee dashboard stays open to them at /dashboard (trainee.practice_dashboard).
    """
    if request.endpoint == "trainee.dashboard" and current_user.is_authenticated \
            and current_user.role in HOMES:
        return redirect(home_url(current_user.role))
    return None


@bp.get("/healthz")
def healthz():
    """Liveness and readiness: the database answers, scenarios and the scorer are loaded."""
    body = {"status": "ok", "database": "ok", "scenarios": len(shipped_library().scenarios)}
    try:
        ping(get_engine())
    except Exception as exc:  # any driver error means "not ready"; the log says which
        log.error("health check: database unavailable: %s", type(exc).__name__)
        body["database"] = "unavailable"
    body["scorer"] = scorer_status()
    if body["scorer"] != "ok":
        body["status"] = "error"
        body["failing"] = "scorer"
    if body["scenarios"] == 0:
        body["status"] = "error"
        body["failing"] = "scenarios"
    if body["database"] != "ok":
        body["status"] = "error"
        body["failing"] = "database"
    return jsonify(body), 200 if body["status"] == "ok" else 503


def scorer_status() -> str:
    """ "ok" when the scorer's weights load, else "failing" (and the log says why)."""
    try:
        load_model()
    except ScorerUnavailable as exc:
        log.error("health check: %s", exc)
        return "failing"
    return "ok"
