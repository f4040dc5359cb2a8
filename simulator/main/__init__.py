"""Pages every audience shares: the home page and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from simulator.main import errors, routes  # noqa: E402, F401  (registers the views)
