"""Administrators: the scenario library's health and the user accounts."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from simulator.admin import routes  # noqa: E402, F401  (registers the views)
