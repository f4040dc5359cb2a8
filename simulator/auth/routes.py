"""Sign in and sign out."""

from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from simulator.audit import record
from simulator.auth import bp
from simulator.auth.forms import LoginForm
from simulator.auth.session import SignedInUser
from simulator.db import get_session
from simulator.extensions import limiter
from simulator.models.people import new_session_token
from simulator.safety import safe_next_url
from simulator.users import authenticate, normalise_email

log = logging.getLogger(__name__)
FAILED = "That email and password do not match an active account."


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    return "login:" + normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    """Show the sign-in form; on success rotate the session and go where the user was heading."""
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    db = get_session()
    user = authenticate(session=db, email=form.email.data, password=form.password.data)
    if user is None:
        log.info("failed sign-in")
        return render_template("auth/login.html", form=form, error=FAILED), 401
    session.clear()  # a fresh session: nothing from before sign-in survives (no fixation)
    login_user(SignedInUser(user))
    record(db, actor_id=user.id, action="login", object_type="user", object_id=str(user.id))
    db.commit()
    return redirect(safe_next_url(request.args.get("next")) or url_for("trainee.dashboard"))


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
