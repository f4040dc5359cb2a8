"""A refused launch: the status, what failed (for the person and the LMS admin), and a log line.

Pages name what failed and what to do; the log gets a short reason code and never the token,
the claims or an email address.
"""

from __future__ import annotations

import logging

from flask import render_template

log = logging.getLogger("simulator.lti")
START_AGAIN = "Go back to your course in the LMS and open the activity again."
ASK_ADMIN = "Ask the LMS administrator, or the administrator of Holding Space, to check the " \
            "tool's registration."


class LaunchRefused(Exception):
    """A launch or login that cannot go on; `message` is safe to show, `reason` to log."""

    def __init__(self, status: int, reason: str, message: str, advice: str = START_AGAIN):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.message = message
        self.advice = advice


def refusal_page(refused: LaunchRefused):
    """The page for a refused launch, logged by reason only."""
    log.warning("LTI launch refused (%s): %s", refused.status, refused.reason)
    return render_template("lti/error.html", message=refused.message,
                           advice=refused.advice), refused.status


def key_unavailable(error: Exception):
    """The tool's signing key cannot be loaded: say so, and log why for the administrator."""
    log.error("LTI signing key unavailable: %s", error)
    return render_template("error.html", title="LMS connection unavailable",
                           message="The tool's signing key cannot be loaded, so LMS launches "
                                   "and keys are unavailable. The administrator can see why in "
                                   "the log."), 503
