"""Sign-in and sign-out for every audience."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from simulator.auth import routes, set_password  # noqa: E402, F401  (registers the views)
