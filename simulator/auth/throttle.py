"""Throttling of password guesses that holds across workers, servers and parallel bursts.

Flask-Limiter checks a limit before the view and counts a failure after it, so every request
of a parallel burst passes the check before any of them is counted (26 guesses got through
where 20 were allowed). Here a guess first takes a place: one transaction adds one to each of
its counters (the account's and the address's) and is rolled back if any goes over the limit.
Only then is the password checked, and a correct password gives its place back. However many
requests arrive at once, no more than the limit are checked in a window.

The counters live in the database unless RATELIMIT_STORAGE_URI names a `redis://` server (or
`memory://`, which counts per process: tests only), so every worker and every server sees
them. Keys are keyed hashes: no email or address is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import Storage, storage_from_string
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from simulator.config import ConfigError
from simulator.db import get_engine
from simulator.models import FailureCount

log = logging.getLogger(__name__)
DATABASE = "database"
SWEEP_SECONDS = 60  # how often each process removes counters whose window has passed
SWEEP_BATCH = 1000
_TABLE = FailureCount.__table__


class Throttled(Exception):  # noqa: N818 (a refusal, not a fault)
    """Over the limit; `retry_after` is how many seconds until a place is free again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"over the limit; try again in {retry_after} s")
        self.retry_after = max(1, retry_after)


@dataclass(frozen=True, order=True)
class Counter:
    """One counter: its key, and how many checks it allows in how many seconds.

    A window opens at the first check counted and lasts `seconds`, as Redis's expiring keys
    do, rather than at fixed clock times: an allowance is never reset a moment after the first
    failure because a round minute went by.
    """

    key: str
    seconds: int
    allowed: int


@dataclass(frozen=True)
class Place:
    """What one guess added: each counter with the start of the window it counted in."""

    counted: tuple[tuple[Counter, int], ...]


class DatabaseCounters:
    """Counters in the `failure_count` table, changed only by atomic upserts and updates."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._sweep_lock = threading.Lock()
        self._swept_at = 0

    def _add_one(self, counter: Counter, now: int):
        row = _TABLE.c
        open_window = row.expires_at > now  # every SET below reads the row as it was
        statement = self._insert(_TABLE).values(
            key=counter.key, window_start=now, failures=1, expires_at=now + counter.seconds)
        return statement.on_conflict_do_update(index_elements=["key"], set_={
            "failures": case((open_window, row.failures + 1), else_=1),
            "window_start": case((open_window, row.window_start), else_=now),
            "expires_at": case((open_window, row.expires_at), else_=now + counter.seconds),
        }).returning(row.failures, row.window_start, row.expires_at)

    def take(self, counters: Sequence[Counter], now: int) -> Place:
        """Add one to every counter, or to none of them (Throttled) if any goes over."""
        counted, waits = [], []
        # Sorted, so two transactions lock shared rows in the same order and never deadlock.
        with self.engine.connect() as connection, connection.begin() as transaction:
            for counter in sorted(counters):
                failures, started, ends = connection.execute(self._add_one(counter, now)).one()
                counted.append((counter, started))
                if failures > counter.allowed:
                    waits.append(ends - now)
            if waits:
                transaction.rollback()
        if waits:
            raise Throttled(max(waits))
        self._sweep_now_and_then(now)
        return Place(tuple(counted))

    def give_back(self, place: Place) -> None:
        """Take one off each counter, if the window it was counted in is still open."""
        row = _TABLE.c
        with self.engine.begin() as connection:
            for counter, started in sorted(place.counted):
                connection.execute(update(_TABLE).where(
                    row.key == counter.key, row.window_start == started, row.failures > 0,
                ).values(failures=row.failures - 1))

    def _sweep_now_and_then(self, now: int) -> None:
        if now - self._swept_at < SWEEP_SECONDS or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._swept_at = now
            self.sweep(now)
        except DBAPIError as error:  # another process sweeping the same rows: theirs will do
            log.warning("could not remove old sign-in counters (%s)", type(error).__name__)
        finally:
            self._sweep_lock.release()

    def sweep(self, now: int) -> int:
        """Remove counters whose window has closed; how many went."""
        row = _TABLE.c
        # SKIP LOCKED (PostgreSQL): never wait for, or deadlock with, a guess taking a place.
        expired = (select(row.key).where(row.expires_at <= now).limit(SWEEP_BATCH)
                   .with_for_update(skip_locked=True))
        with self.engine.begin() as connection:
            return connection.execute(delete(_TABLE).where(row.key.in_(expired))).rowcount


class StorageCounters:
    """Counters in a `limits` storage (Redis, or memory for tests): expiring keys.

    Redis has no transaction over the two keys here: a guess adds to each and takes back what
    it added when one is over. That never lets more than the limit through; in a burst it may
    refuse a guess that the database's all-or-nothing transaction would have let in.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    @staticmethod
    def _key(counter: Counter) -> str:
        return f"holding-space:{counter.key}"

    def take(self, counters: Sequence[Counter], now: int) -> Place:
        added: list[Counter] = []
        waits: list[int] = []
        for counter in sorted(counters):
            added.append(counter)
            if self.storage.incr(self._key(counter), counter.seconds) > counter.allowed:
                waits.append(int(self.storage.get_expiry(self._key(counter))) - now)
        place = Place(tuple((counter, 0) for counter in added))
        if waits:
            self.give_back(place)
            raise Throttled(max(waits))
        return place

    def give_back(self, place: Place) -> None:
        for counter, _started in place.counted:
            self.storage.incr(self._key(counter), counter.seconds, amount=-1)


class Throttle:
    """Places for password checks per subject (an account, an address) under fixed limits."""

    def __init__(self, *, limits: Sequence[RateLimitItem], counters, secret: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.limits = tuple(limits)
        self.counters = counters
        self._secret = secret.encode("utf-8")
        self._clock = clock

    def _digest(self, scope: str, value: str) -> str:
        message = f"{scope}\x00{value}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:40]

    def counters_for(self, subjects: dict[str, str]) -> tuple[Counter, ...]:
        """Every counter the subjects use: one per subject and limit."""
        found = []
        for scope, value in subjects.items():
            digest = self._digest(scope, value)
            for item in self.limits:
                seconds = item.get_expiry()
                found.append(Counter(f"{scope}:{item.amount}/{seconds}:{digest}", seconds,
                                     item.amount))
        return tuple(found)

    def take(self, **subjects: str) -> Place:
        """A place for one password check for these subjects; Throttled when any is used up."""
        return self.counters.take(self.counters_for(subjects), int(self._clock()))

    def give_back(self, place: Place) -> None:
        """The password was right: the check does not count against the allowance."""
        self.counters.give_back(place)


def parse_limits(text: str) -> list[RateLimitItem]:
    """'10 per minute' (or several, separated by ';'); ValueError for anything else."""
    found = parse_many(text)
    if not found:
        raise ValueError(text)
    return found


def counters_from(uri: str | None, engine: Engine):
    """The counter store a RATELIMIT_STORAGE_URI names: the database unless it says otherwise."""
    if not uri or uri == DATABASE:
        return DatabaseCounters(engine)
    return StorageCounters(storage_from_string(uri))


def wait_words(seconds: int) -> str:
    """How long to wait, as a person would say it: '40 seconds', 'a minute', '3 minutes'."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def init_app(app: Flask) -> None:
    """Give the app its throttle; a limit or storage that cannot work stops start-up, saying why."""
    text = app.config["LOGIN_RATE_LIMIT"]
    try:
        limits = parse_limits(str(text))
    except ValueError:
        raise ConfigError(f"SIMULATOR_LOGIN_RATE_LIMIT is {text!r}; write it like "
                          "'10 per minute' or '10 per minute; 50 per hour'.") from None
    uri = app.config.get("RATELIMIT_STORAGE_URI")
    try:
        counters = counters_from(uri, get_engine(app))
    except ConfigurationError as error:
        raise ConfigError(f"SIMULATOR_RATELIMIT_STORAGE_URI cannot be used: {error} (leave it "
                          "unset to count in the database).") from None
    app.extensions["simulator.throttle"] = Throttle(limits=limits, counters=counters,
                                                    secret=str(app.config["SECRET_KEY"]))


def get_throttle() -> Throttle:
    """The current app's throttle."""
    return current_app.extensions["simulator.throttle"]
