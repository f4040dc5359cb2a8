"""The admin overview: library problems and user accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from simulator.admin import bp
from simulator.audit import record
from simulator.db import get_session
from simulator.library import get_library
from simulator.models import ROLES, User
from simulator.roles import role_required


@bp.get("/")
@role_required("admin")
def overview():
    """The scenario library with every problem found, and the list of accounts."""
    library = get_library()
    users = get_session().exec(select(User).order_by(User.role, User.email)).all()
    errors = [p for p in library.problems if p.severity == "error"]
    warnings = [p for p in library.problems if p.severity != "error"]
    return render_template("admin/overview.html", library=library, errors=errors,
                           warnings=warnings, users=users, roles=ROLES)


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int):
    """Change an account's role or switch it on or off (never one's own)."""
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        return render_template("error.html", title="Not found",
                               message="There is no such account."), 404
    if user.id == current_user.id:
        flash("You cannot change your own account here.", "warning")
        return redirect(url_for("admin.overview"))
    role = request.form.get("role", user.role)
    if role in ROLES:
        user.role = role
    user.active = request.form.get("active") == "yes"
    session.add(user)
    record(session, actor_id=current_user.id, action="user.update", object_type="user",
           object_id=str(user.id), role=user.role, active=user.active)
    session.commit()
    flash(f"Updated {user.email}.", "info")
    return redirect(url_for("admin.overview"))
