"""Sign in and sign out."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from simulator.audit import record
from simulator.auth import bp
from simulator.auth.forms import LoginForm
from simulator.auth.session import SignedInUser
from simulator.auth.throttle import Throttled, get_throttle, wait_words
from simulator.db import get_session
from simulator.main.routes import home_url
from simulator.models.people import new_session_token
from simulator.safety import safe_next_url
from simulator.users import authenticate, normalise_email

log = logging.getLogger(__name__)
FAILED = "That email and password do not match an active account."
THROTTLED = "Too many sign-in attempts. Please wait {wait} before trying again."


def _page(form: LoginForm, status: int = 200, **context):
    return render_template("auth/login.html", form=form, **context), status


def throttled_page(form: LoginForm, refused: Throttled):
    """The sign-in form with how long to wait, as a 429 with Retry-After."""
    page, status = _page(form, 429, error=THROTTLED.format(wait=wait_words(refused.retry_after)))
    return page, status, {"Retry-After": str(refused.retry_after)}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; on success rotate the session and go where the user was heading.

    That is a safe `next` if one was given, else the role's home (simulator.main.routes.home_url).
    """
    form = LoginForm()
    if not form.validate_on_submit():
        return _page(form, 400 if request.method == "POST" else 200)
    # The account's counter is keyed on the email the form parsed, whatever the body's encoding.
    throttle = get_throttle()
    try:
        place = throttle.take(account=normalise_email(form.email.data),
                              address=request.remote_addr or "")
    except Throttled as refused:
        log.info("sign-in refused: too many attempts")
        return throttled_page(form, refused)
    db = get_session()
    user = authenticate(session=db, email=form.email.data, password=form.password.data)
    if user is None:
        log.info("failed sign-in")
        return _page(form, 401, error=FAILED)
    throttle.give_back(place)
    session.clear()  # a fresh session: nothing from before sign-in survives (no fixation)
    login_user(SignedInUser(user))
    record(db, actor_id=user.id, action="login", object_type="user", object_id=str(user.id))
    db.commit()
    # A safe `next` wins; otherwise each role lands on its own home.
    return redirect(safe_next_url(request.args.get("next")) or home_url(user.role))


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and everywhere: the stored session token changes."""
    db = get_session()
    user = current_user.user
    user.session_token = new_session_token()
    db.add(user)
    record(db, actor_id=user.id, action="logout", object_type="user", object_id=str(user.id))
    db.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
