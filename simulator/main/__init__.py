"""What every audience shares: the health check and the error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from simulator.main import errors, help_views, routes  # noqa: E402, F401  (registers the views)
