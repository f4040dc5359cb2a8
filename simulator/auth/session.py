"""Flask-Login wiring: the session carries the user id and a token that logout rotates."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager, UserMixin
from sqlalchemy import bindparam, select

from simulator.auth import expiry
from simulator.db import MAX_DATABASE_ID, get_session
from simulator.models import User

_USERS = User.__table__
# Every signed-in request runs this: a plain row, not an ORM object (a third of the cost).
_SIGNED_IN = select(_USERS.c.id, _USERS.c.role, _USERS.c.name, _USERS.c.email,
                    _USERS.c.active, _USERS.c.session_token).where(
    _USERS.c.id == bindparam("user_id"))


class SignedInUser(UserMixin):
    """The Flask-Login view of a user; the full User row is loaded only when a view asks."""

    def __init__(self, user) -> None:
        self._row = user
        self.id = user.id
        self.role = user.role
        self.name = user.name
        self.email = user.email

    @property
    def user(self) -> User:
        """The User row, from this request's database session."""
        if not isinstance(self._row, User):
            self._row = get_session().get(User, self.id)
        return self._row

    def get_id(self) -> str:
        return f"{self._row.id}:{self._row.session_token}"

    @property
    def is_active(self) -> bool:
        return self._row.active


def load_user(session_id: str) -> SignedInUser | None:
    """Resolve the cookie's id; a rotated token means the session was signed out."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or not token or int(user_id) > MAX_DATABASE_ID:
        return None
    row = get_session().connection().execute(_SIGNED_IN, {"user_id": int(user_id)}).first()
    if row is None or not row.active or row.session_token != token:
        return None
    return SignedInUser(row)


def init_login(app: Flask, manager: LoginManager) -> None:
    """Bind Flask-Login to the app, with idle and absolute session limits."""
    manager.init_app(app)
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.unauthorized_handler(expiry.unauthorized)
    manager.session_protection = "strong"
    expiry.init_app(app)
