"""Your account: what is stored about you, a download of all of it, and deleting the account."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask import session as cookie_session
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from simulator.audit import record
from simulator.auth.throttle import Throttled, get_throttle, wait_words
from simulator.db import forget_deleted, get_engine, get_session
from simulator.privacy import AccountDeletionRefused, delete_account, export_user_data
from simulator.trainee import bp
from simulator.users import authenticate, lock_admins

CONFIRMATION = "delete my account"
WRONG_PASSWORD = "That password is not right. Nothing was deleted."  # noqa: S105 (a message)
WRONG_CONFIRMATION = f"Type the words “{CONFIRMATION}” to confirm. Nothing was deleted."
DELETED = "Your account and everything you practised here have been deleted."
THROTTLED = "Too many wrong passwords. Please wait {wait} before trying again. Nothing was " \
            "deleted."


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[
        DataRequired("Type your password to confirm it is you."), Length(max=512)])
    confirm = StringField(f"Type “{CONFIRMATION}”", validators=[
        DataRequired(WRONG_CONFIRMATION), Length(max=100)])

    def validate_confirm(self, field: StringField) -> None:
        if field.data.strip().lower() != CONFIRMATION:
            raise ValidationError(WRONG_CONFIRMATION)


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


@bp.post("/account/delete")
@login_required
def account_delete():
    """Check the password and the typed confirmation, delete everything, then sign out."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    session = get_session()
    user = current_user.user
    # Guessing the password through this form is throttled like guessing it at sign-in.
    throttle = get_throttle()
    try:
        place = throttle.take(account_delete=str(user.id))
    except Throttled as refused:
        form.password.errors.append(THROTTLED.format(wait=wait_words(refused.retry_after)))
        page, status = _page(form, 429)
        return page, status, {"Retry-After": str(refused.retry_after)}
    if authenticate(session=session, email=user.email, password=form.password.data) is None:
        form.password.errors.append(WRONG_PASSWORD)
        return _page(form, 401)
    throttle.give_back(place)
    lock_admins(session=session)  # the last-admin check below holds against a parallel change
    session.refresh(user)
    try:
        delete_account(session=session, user=user, actor_id=user.id)
    except AccountDeletionRefused as refused:
        session.rollback()
        return _page(form, 409, str(refused))
    session.commit()
    forget_deleted(get_engine())  # the deleted words leave the write-ahead log too
    logout_user()
    cookie_session.clear()
    flash(DELETED, "info")
    return redirect(url_for("auth.login"), code=303)
