"""Home page and health check."""

from __future__ import annotations

import logging

from flask import jsonify, render_template
from flask_login import current_user, login_required

from simulator.db import get_engine, ping
from simulator.library import get_library
from simulator.main import bp

log = logging.getLogger(__name__)


@bp.get("/")
@login_required
def index():
    """The signed-in user's home page."""
    library = get_library()
    return render_template(
        "main/index.html", user=current_user, scenario_count=len(library.scenarios)
    )


@bp.get("/healthz")
def healthz():
    """Liveness and readiness for load balancers: the database answers, scenarios are loaded."""
    body = {"status": "ok", "database": "ok", "scenarios": len(get_library().scenarios)}
    try:
        ping(get_engine())
    except Exception as exc:  # any driver error means "not ready"; the log says which
        log.error("health check: database unavailable: %s", type(exc).__name__)
        body["database"] = "unavailable"
    if body["scenarios"] == 0:
        body["status"] = "error"
        body["failing"] = "scenarios"
    if body["database"] != "ok":
        body["status"] = "error"
        body["failing"] = "database"
    return jsonify(body), 200 if body["status"] == "ok" else 503
