"""Accounts: create, find and authenticate users. Keyword-only data functions, no Flask."""

from __future__ import annotations

import re
import threading

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from simulator.models import ROLES, User
from simulator.models.people import new_session_token

MIN_PASSWORD_LENGTH = 10
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A real hash to compare against when the account does not exist, so a wrong email takes
# as long as a wrong password and timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")
# Each scrypt run holds 32 MB; a burst of sign-ins on a worker's threads would otherwise hold
# that many times over. One at a time per process: with one worker per core, every core can
# still hash, and the others wait a few tens of milliseconds instead of growing the worker.
_SCRYPT_SLOTS = threading.BoundedSemaphore(1)


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding space."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash with Werkzeug's current default (scrypt, N=2^15, r=8, p=1)."""
    with _SCRYPT_SLOTS:
        return generate_password_hash(password)


def check_new_password(password: str) -> None:
    """Raise UserError if the password is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")


def create_user(
    *, session: Session, email: str, name: str = "", role: str = "trainee",
    password: str | None = None,
) -> User:
    """Add a user (not committed). Raises UserError for a bad email, role or password."""
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email):
        raise UserError(f"'{email}' is not an email address.")
    if role not in ROLES:
        raise UserError(f"Unknown role '{role}' (known: {', '.join(ROLES)}).")
    if find_user(session=session, email=email):
        raise UserError(f"A user with the email {email} already exists.")
    user = User(email=email, name=name.strip() or email.split("@")[0], role=role)
    if password is not None:
        set_password(user, password)
    session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """Replace the user's password and sign them out everywhere else."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()


def find_user(*, session: Session, email: str) -> User | None:
    """The user with this email, if any."""
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same cost either way)."""
    user = find_user(session=session, email=email)
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    with _SCRYPT_SLOTS:
        matches = check_password_hash(stored, password)
    if matches and user and user.active and user.password_hash:
        return user
    return None
