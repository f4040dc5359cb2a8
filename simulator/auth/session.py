"""Flask-Login wiring: the session carries the user id and a token that logout rotates."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager, UserMixin

from simulator.db import get_session
from simulator.models import User


class SignedInUser(UserMixin):
    """The Flask-Login view of a User row."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.id = user.id
        self.role = user.role
        self.name = user.name
        self.email = user.email

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"

    @property
    def is_active(self) -> bool:
        return self.user.active


def load_user(session_id: str) -> SignedInUser | None:
    """Resolve the cookie's id; a rotated token means the session was signed out."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return SignedInUser(user)


def init_login(app: Flask, manager: LoginManager) -> None:
    """Bind Flask-Login to the app."""
    manager.init_app(app)
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = "Please sign in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "strong"
