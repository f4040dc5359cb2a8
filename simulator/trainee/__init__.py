"""The trainee's pages: dashboard, scenario library, play, debrief and progress."""

from flask import Blueprint

bp = Blueprint("trainee", __name__)

from simulator.trainee import (  # noqa: E402, F401  (registers the views)
    account,
    debrief,
    home,
    invitation_views,
    library_views,
    play,
    practice_views,
)
