"""The admin overview: library problems and user accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import select

from simulator.admin import bp
from simulator.admin.forms import AccountForm
from simulator.audit import record
from simulator.auth.reset_links import issue_and_show
from simulator.db import get_session
from simulator.library import get_library
from simulator.models import User
from simulator.roles import role_required
from simulator.users import LastAdminError, change_account, lock_admins

NOT_YOURS = "You cannot change your own account here; ask another admin."
NO_LONGER_ADMIN = "You are no longer an admin, so nothing was changed."


def _page(status: int = 200, posted: tuple[int, AccountForm] | None = None):
    library = get_library()
    users = get_session().exec(select(User).order_by(User.role, User.email)).all()
    forms = {user.id: AccountForm.showing(user) for user in users}
    if posted:
        forms[posted[0]] = posted[1]
    errors = [p for p in library.problems if p.severity == "error"]
    warnings = [p for p in library.problems if p.severity != "error"]
    return render_template("admin/overview.html", library=library, errors=errors,
                           warnings=warnings, users=users, forms=forms), status


@bp.get("/")
@role_required("admin")
def overview():
    """The scenario library with every problem found, and the list of accounts."""
    return _page()


def _account(user_id: int) -> User | None:
    """The account as stored now (not as this request's session first saw it)."""
    return get_session().get(User, user_id, populate_existing=True)


def _not_found():
    return render_template("error.html", title="Not found",
                           message="There is no such account."), 404


def _refusal(actor: User | None, user: User) -> str | None:
    if actor is None or actor.role != "admin" or not actor.active:
        return NO_LONGER_ADMIN
    return NOT_YOURS if user.id == actor.id else None


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int):
    """Change an account's role or switch it on or off (never one's own; never the last admin)."""
    session = get_session()
    lock_admins(session=session)  # before reading: two admins demoting each other at once
    user = _account(user_id)
    if user is None:
        return _not_found()
    form = AccountForm()
    refusal = _refusal(_account(current_user.id), user)
    if refusal:
        form.role.errors = [refusal]
    elif form.validate_on_submit():
        try:
            change_account(session=session, user=user, role=form.role.data,
                           active=form.active.data)
        except LastAdminError as refused:
            # Beside the field that would have removed the last admin.
            (form.active if form.role.data == "admin" else form.role).errors = [str(refused)]
        else:
            record(session, actor_id=current_user.id, action="user.update", object_type="user",
                   object_id=str(user.id), role=user.role, active=user.active)
            session.commit()
            flash(f"Updated {user.email}.", "info")
            return redirect(url_for("admin.overview"), code=303)
    session.rollback()  # nothing saved
    return _page(422, posted=(user_id, form))


@bp.post("/users/<int:user_id>/reset-link")
@role_required("admin")
def reset_link(user_id: int):
    """A fresh one-time set-password link for any account; earlier links stop working."""
    user = _account(user_id)
    if user is None:
        return _not_found()
    return issue_and_show(user, action=url_for("admin.reset_link", user_id=user.id),
                          via="admin", back=(url_for("admin.overview"), "Administration"))


from simulator.lti import admin_views  # noqa: E402, F401  (the LMS platforms pages)
