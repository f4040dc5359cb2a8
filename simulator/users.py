"""Accounts: create, find and authenticate users. Keyword-only data functions, no Flask."""

from __future__ import annotations

import re
import threading
from functools import cache

from sqlmodel import Session, col, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from simulator.blocking import off_the_loop
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
# The hash itself runs off the server's event loop (simulator/blocking.py).


@cache
def _scrypt_slots() -> threading.BoundedSemaphore:
    """Made on first use: in a gevent worker that is after `threading` was patched, so a
    greenlet waiting here lets the holder finish (a semaphore made at import, in the master
    before the patch, would block the worker's one thread, holder included)."""
    return threading.BoundedSemaphore(1)


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding space."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash with Werkzeug's current default (scrypt, N=2^15, r=8, p=1)."""
    with _scrypt_slots():
        return off_the_loop(generate_password_hash, password)


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
    with _scrypt_slots():
        matches = off_the_loop(check_password_hash, stored, password)
    if matches and user and user.active and user.password_hash:
        return user
    return None


class LastAdminError(UserError):
    """The change would leave no active admin."""


LAST_ADMIN = ("{email} is the only active admin. Make another account an admin first, then "
              "change this one.")


def lock_admins(*, session: Session) -> None:
    """Hold who-is-an-admin still until this transaction ends, so checks on it stay true.

    PostgreSQL: lock the active admins' rows (in id order, so two changes never deadlock).
    SQLite: take the database's one write lock now (BEGIN IMMEDIATE), before anything is read.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    session.exec(select(User.id).where(User.role == "admin", col(User.active).is_(True))
                 .order_by(User.id).with_for_update()).all()


def active_admins(*, session: Session) -> int:
    """How many active admin accounts there are."""
    return session.exec(select(func.count()).select_from(User).where(
        User.role == "admin", col(User.active).is_(True))).one()


def change_account(*, session: Session, user: User, role: str, active: bool) -> None:
    """Set an account's role and whether it may sign in (not committed).

    Call lock_admins first. Raises LastAdminError when no active admin would be left.
    """
    if role not in ROLES:
        raise UserError(f"Unknown role '{role}' (known: {', '.join(ROLES)}).")
    was_admin = user.role == "admin" and user.active
    user.role, user.active = role, active
    session.add(user)
    session.flush()
    if was_admin and active_admins(session=session) == 0:
        raise LastAdminError(LAST_ADMIN.format(email=user.email))
