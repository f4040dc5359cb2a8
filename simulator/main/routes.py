"""The health check."""

from __future__ import annotations

import logging

from flask import jsonify

from simulator.db import get_engine, ping
from simulator.library import shipped_library
from simulator.main import bp
from simulator.scoring.model import ScorerUnavailable, load_model

log = logging.getLogger(__name__)


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
