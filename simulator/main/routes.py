"""The health check."""

from __future__ import annotations

import logging

from flask import jsonify

from simulator.db import get_engine, ping
from simulator.library import shipped_library
from simulator.main import bp

log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """Liveness and readiness for load balancers: the database answers, scenarios are loaded."""
    body = {"status": "ok", "database": "ok", "scenarios": len(shipped_library().scenarios)}
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
