"""Friendly error pages: every refusal says what happened and what to do next."""

from __future__ import annotations

import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError

from simulator.main import bp
from simulator.scoring.model import ScorerUnavailable

log = logging.getLogger(__name__)
MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: ("Not allowed", "Your account cannot open this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "That action is not possible on this page."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Please wait", "Too many attempts in a short time. Wait a minute, then try again."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
    503: ("Scoring is unavailable", "The scorer could not load, so answers cannot be scored "
                                    "right now. Nothing you wrote was stored as a turn; the "
                                    "site's administrator has been told (see /healthz)."),
}


def _page(status: int, message: str | None = None):
    title, default = MESSAGES.get(status, MESSAGES[500])
    return render_template("error.html", title=title, message=message or default), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """An expired or missing form token: explain and invite a reload."""
    return _page(400, "This form had expired or was sent from elsewhere. Reload the page and "
                      "send it again.")


@bp.app_errorhandler(429)
def too_many(error):
    """Throttled: on the sign-in page, keep the user on the form with a clear message."""
    if request.endpoint == "auth.login":
        from simulator.auth.forms import LoginForm

        message = "Too many sign-in attempts. Please wait a minute before trying again."
        return render_template("auth/login.html", form=LoginForm(), error=message), 429
    return _page(429)


@bp.app_errorhandler(ScorerUnavailable)
def scorer_unavailable(error: ScorerUnavailable):
    """The scorer's weights did not load: say so plainly instead of scoring with anything else."""
    log.error("scoring refused: %s", error)
    return _page(503)


def _register_plain() -> None:
    for status in (400, 403, 404, 405, 413, 500):
        bp.app_errorhandler(status)(lambda error, status=status: _page(status))


_register_plain()
