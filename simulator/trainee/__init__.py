"""The trainee's pages: dashboard, scenario library, play, debrief and progress."""

from flask import Blueprint

bp = Blueprint("trainee", __name__)

from simulator.trainee import account, debrief, home, library_views, play  # noqa: E402, F401
