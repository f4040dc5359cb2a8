"""Test factories: sensible defaults, any field overridable."""

from __future__ import annotations

import functools
import itertools
import socket

from sqlmodel import Session

from simulator.models import User
from simulator.users import hash_password

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@functools.cache
def _hash(password: str) -> str:
    # scrypt is slow on purpose; hashing each test password once keeps the suite quick.
    return hash_password(password)


def make_user(session: Session, **overrides) -> User:
    """A committed user; the password is PASSWORD unless `password` is given."""
    n = next(_counter)
    password = overrides.pop("password", PASSWORD)
    fields = {"email": f"user{n}@example.org", "name": f"User {n}", "role": "trainee"}
    fields.update(overrides)
    user = User(**fields, password_hash=_hash(password))
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
