"""Test factories: sensible defaults, any field overridable."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from simulator.models import User
from simulator.users import hash_password

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(session: Session, **overrides) -> User:
    """A committed user; the password is PASSWORD unless `password` is given."""
    n = next(_counter)
    password = overrides.pop("password", PASSWORD)
    fields = {"email": f"user{n}@example.org", "name": f"User {n}", "role": "trainee"}
    fields.update(overrides)
    user = User(**fields, password_hash=hash_password(password))
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
