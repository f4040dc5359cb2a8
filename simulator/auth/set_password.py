"""The one-time set-password page that roster imports and reset links lead to.

The token is in the URL, so these responses forbid referrers and caching: the link must not
leak to other sites or linger in shared caches. Nothing here logs the token.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from simulator.auth import bp
from simulator.courses.tokens import (
    DEFAULT_TTL,
    INVALID_LINK,
    TokenError,
    redeem_token,
    user_for_token,
)
from simulator.db import get_session
from simulator.users import MIN_PASSWORD_LENGTH, UserError

SHORT = f"Passwords need at least {MIN_PASSWORD_LENGTH} characters."
MISMATCH = "The two passwords do not match."
DONE = "Your password is set. Please sign in."


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[
        DataRequired(SHORT), Length(min=MIN_PASSWORD_LENGTH, max=512, message=SHORT),
    ])
    confirm = PasswordField("Type the password again", validators=[
        DataRequired("Type the password a second time."), EqualTo("password", message=MISMATCH),
    ])


@bp.after_request
def _keep_link_private(response):
    """Every response at a link's URL, refusals included, sends no referrer and is not cached."""
    if request.endpoint == "auth.set_password":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def _invalid_link():
    # 410 Gone for every unusable link, made-up ones included: a link's holder cannot learn
    # whether it ever existed or whether its owner has used it, and everyone is told what to do.
    return render_template("auth/set_password.html", invalid=INVALID_LINK,
                           ttl_days=DEFAULT_TTL.days), 410


@bp.route("/set-password/<token>", methods=["GET", "POST"], endpoint="set_password")
def set_password_page(token: str):
    """Show the form for a usable link; on a good submission set the password, then sign in."""
    db = get_session()
    try:
        user = user_for_token(session=db, raw=token)
    except TokenError:
        return _invalid_link()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            redeem_token(session=db, raw=token, password=form.password.data)
        except TokenError:
            db.rollback()
            return _invalid_link()
        except UserError as error:
            db.rollback()
            form.password.errors.append(str(error))
        else:
            db.commit()
            flash(DONE, "success")
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, token=token, user=user,
                           min_length=MIN_PASSWORD_LENGTH), status
