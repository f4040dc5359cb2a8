"""Sessions end after SESSION_IDLE_HOURS without a request and SESSION_MAX_DAYS in any case.

The session cookie carries when its user signed in and when they were last seen. When either
limit has passed, the user is taken out of the session before anything else looks at the
request, CSRF protection included: a trainee whose session ended while they were writing gets
a plain "sign in again" (and, on the play page, their words back) rather than a refusal about
an expired form.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import login_url, user_logged_in

from simulator.auth.forms import LoginForm
from simulator.config import ConfigError
from simulator.extensions import htmx
from simulator.safety import safe_next_url

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
TOUCH_SECONDS = 60  # note activity at most once a minute, so most responses set no cookie
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
IDLE = "Your session ended because it was idle for {hours}. Please sign in again."
TOO_OLD = "Your session ended because you signed in {days} ago. Please sign in again."
ANSWER_KEPT = " The answer you were writing was not sent; it is kept in this browser and will " \
              "be back in the answer box after you sign in."
ANSWER_SHOWN = " The answer you were writing was not sent; it is shown below so you can copy it."
ENDED = "Your session ended. Please sign in again."
PLEASE_SIGN_IN = "Please sign in to continue."
# What Flask-Login and this module keep in the session about the signed-in user.
_USER_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds", SIGNED_IN_AT,
              SEEN_AT)


def _number(app: Flask, name: str) -> float:
    value = app.config[name]
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.0
    if number <= 0:
        raise ConfigError(f"SIMULATOR_{name} is {value!r}; it must be a positive number.")
    return number


def _spoken(amount: float, unit: str) -> str:
    shown = f"{amount:g}"
    return f"{shown} {unit}{'' if shown == '1' else 's'}"


def ended_because(now: float, idle_seconds: float, max_seconds: float) -> str | None:
    """Why the current session has ended (a message), or None while it is still good."""
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return ENDED  # a session from before these limits: its age is unknown
    if now - signed_in >= max_seconds:
        return TOO_OLD.format(days=_spoken(max_seconds / 86400, "day"))
    if now - seen >= idle_seconds:
        return IDLE.format(hours=_spoken(idle_seconds / 3600, "hour"))
    return None


def _came_from() -> str | None:
    """The page the request was sent from, when it is on this site (the place to return to)."""
    for header in ("HX-Current-URL", "Referer"):
        parts = urlsplit(request.headers.get(header, ""))
        if parts.netloc == request.host and parts.path:
            return safe_next_url(parts.path + (f"?{parts.query}" if parts.query else ""))
    return None


def _signed_out_post(message: str):
    """A form sent after the session ended: sign in again, then back to the page it came from."""
    back = _came_from()
    if htmx:  # the script keeps the unsent answer; send the whole page to the sign-in form
        flash(message + (ANSWER_KEPT if "response" in request.form else ""), "info")
        response = make_response(message, 401)
        response.headers["HX-Redirect"] = login_url("auth.login", next_url=back)
        return response
    unsent = request.form.get("response") or None
    page = render_template("auth/login.html", form=LoginForm(formdata=None), next_url=back,
                           error=message + (ANSWER_SHOWN if unsent else ""), unsent=unsent)
    return page, 401


def end_stale_session():
    """Clear a session that has ended; for a form post, answer at once (no CSRF refusal)."""
    if "_user_id" not in session or request.endpoint == "static":
        return None
    now = int(time.time())
    message = ended_because(now, *current_app.extensions["simulator.session_limits"])
    if message is None:
        if now - session.get(SEEN_AT, 0) >= TOUCH_SECONDS:
            session[SEEN_AT] = now
        return None
    g.session_ended = True
    # The user goes; the CSRF token stays, so a sign-in form opened earlier still works.
    for key in _USER_KEYS:
        session.pop(key, None)
    if request.method not in SAFE_METHODS and request.endpoint != "auth.login":
        return _signed_out_post(message)
    if request.method in SAFE_METHODS:
        flash(message, "info")
    return None


def _stamp(_app, user, **_extra) -> None:
    """Every sign-in starts both clocks."""
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def unauthorized():
    """Not signed in: to the sign-in form (the whole page, for an htmx request), then back."""
    if not g.get("session_ended"):
        flash(PLEASE_SIGN_IN, "info")
    target = login_url("auth.login", next_url=request.url)
    if htmx:
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def init_app(app: Flask) -> None:
    """Check the settings and run the session check before every other request hook."""
    idle = _number(app, "SESSION_IDLE_HOURS") * 3600
    lifetime = _number(app, "SESSION_MAX_DAYS") * 86400
    app.extensions["simulator.session_limits"] = (idle, lifetime)
    # First, ahead of CSRF protection: a stale session's form gets "sign in again", not "expired
    # form". before_request_funcs is Flask's public registry of these hooks, in running order.
    app.before_request_funcs.setdefault(None, []).insert(0, end_stale_session)
    user_logged_in.connect(_stamp, app)
