"""Your account: what is stored about you, a download of all of it, and deleting the account."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from simulator.audit import record
from simulator.db import get_session
from simulator.extensions import limiter
from simulator.privacy import AccountDeletionRefused, delete_account, export_user_data
from simulator.trainee import bp
from simulator.users import authenticate

CONFIRMATION = "delete my account"
WRONG_PASSWORD = "That password is not right. Nothing was deleted."  # noqa: S105 (a message)
WRONG_CONFIRMATION = f"Type the words “{CONFIRMATION}” to confirm. Nothing was deleted."
DELETED = "Your account and everything you practised here have been deleted."


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[
        DataRequired("Type your password to confirm it is you."), Length(max=512)])
    confirm = StringField(f"Type “{CONFIRMATION}”", validators=[
        DataRequired(WRONG_CONFIRMATION), Length(max=100)])


def _summary(data: dict) -> dict[str, int]:
    attempts = data["attempts"]
    return {
        "attempts": len(attempts),
        "turns": sum(len(a["turns"]) for a in attempts),
        "reflections": sum(1 for a in attempts if a["reflection"]),
        "shared_reflections": sum(1 for a in attempts if a["reflection"]
                                  and a["reflection_shared"]),
        "reviews": sum(len(t["supervisor_reviews"]) for a in attempts for t in a["turns"]),
        "cohorts": len(data["cohorts"]),
        "reviews_written": len(data["reviews_written"]),
        "activity": len(data["activity"]),
    }


def _page(form: DeleteAccountForm, status: int = 200, error: str | None = None):
    data = export_user_data(session=get_session(), user=current_user.user)
    return render_template("trainee/account.html", account=data["account"],
                           cohorts=data["cohorts"], summary=_summary(data), form=form,
                           confirmation=CONFIRMATION, error=error), status


@bp.get("/account")
@login_required
def account():
    """What the simulator stores about you, a download button, and the delete form."""
    return _page(DeleteAccountForm())


@bp.get("/account/data.json")
@login_required
def account_data():
    """Everything stored about you, as a JSON file."""
    session = get_session()
    data = export_user_data(session=session, user=current_user.user)
    record(session, actor_id=current_user.id, action="account.export", object_type="user",
           object_id=str(current_user.id))
    session.commit()
    body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="holding-space-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _delete_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _delete_key() -> str:
    # Guessing the password through this form is throttled like guessing it at sign-in.
    return f"account-delete:{current_user.get_id() or request.remote_addr}"


@bp.post("/account/delete")
@limiter.limit(_delete_limit, key_func=_delete_key, deduct_when=lambda r: r.status_code == 401)
@login_required
def account_delete():
    """Check the password and the typed confirmation, delete everything, then sign out."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    if form.confirm.data.strip().lower() != CONFIRMATION:
        return _page(form, 422, WRONG_CONFIRMATION)
    session = get_session()
    user = current_user.user
    if authenticate(session=session, email=user.email, password=form.password.data) is None:
        return _page(form, 401, WRONG_PASSWORD)
    try:
        delete_account(session=session, user=user, actor_id=user.id)
    except AccountDeletionRefused as refused:
        session.rollback()
        return _page(form, 409, str(refused))
    session.commit()
    logout_user()
    cookie_session.clear()
    flash(DELETED, "info")
    return redirect(url_for("auth.login"), code=303)
