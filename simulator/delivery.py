"""Sending what the database has queued for another system (an LRS, an LMS), after commit.

Queued rows are written in the transaction that made them (simulator.practice.events); once it
commits, the integration asks for its sender to run (`request_delivery`). How it runs is the
setting SIMULATOR_DELIVERY_MODE:

- "background" (the default): a daemon thread per process wakes on request, and every
  DELIVERY_POLL_SECONDS in any case, to send what is due (so retries happen without traffic);
- "inline": right after the commit, in the request's own thread (the tests use this, so what
  was sent is known when the response arrives; a slow remote slows the response);
- "off": nothing is sent by the app; `simulator xapi send` (or the LMS's) sends on demand.

A sender never raises into a request: it records the failure on its rows with the next try
time from `next_try_after`, and logs one line without response text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import event
from sqlmodel import Session

log = logging.getLogger(__name__)

MODES = ("background", "inline", "off")
SENDERS = "simulator.senders"
APP_KEY = "simulator.app"  # session.info key: the app whose senders a commit may wake
REQUESTED = "simulator.delivery_requested"  # session.info key: senders to run after commit
FIRST_RETRY = timedelta(seconds=15)
LONGEST_WAIT = timedelta(hours=1)

Sender = Callable[[Flask], int]  # sends what is due within an app context; returns rows sent


def next_try_after(tries: int, now: datetime) -> datetime:
    """When a row that failed `tries` times is tried again: 15 s, 30 s, 1 min … at most 1 h."""
    wait = FIRST_RETRY * (2 ** max(0, min(tries - 1, 12)))
    return now + min(wait, LONGEST_WAIT)


def init_app(app: Flask) -> None:
    """In background mode, the first request after start-up wakes every sender, so what an
    earlier run left queued (or waiting for a retry) goes without waiting for new practice."""
    if app.config.get("DELIVERY_MODE", "background") != "background":
        return
    started: list[bool] = []

    @app.before_request
    def _wake_every_sender_once() -> None:
        if started:
            return
        started.append(True)
        for name in sorted(app.extensions.get(SENDERS, {})):
            _worker(app).wake(name)


def register_sender(app: Flask, name: str, sender: Sender) -> None:
    """Make `sender` runnable by name for this app (called by the app factory)."""
    app.extensions.setdefault(SENDERS, {})[name] = sender


def request_delivery(session: Session, name: str) -> None:
    """Ask for sender `name` to run once this session's transaction commits."""
    session.info.setdefault(REQUESTED, set()).add(name)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    names = session.info.pop(REQUESTED, None)
    app = session.info.get(APP_KEY)
    if names and app is not None:
        for name in sorted(names):
            wake(app, name)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(REQUESTED, None)  # the queued rows went with the transaction


def wake(app: Flask, name: str) -> None:
    """Run sender `name` as the app's delivery mode says (see the module's docstring)."""
    mode = app.config.get("DELIVERY_MODE", "background")
    if mode == "off" or name not in app.extensions.get(SENDERS, {}):
        return
    if mode == "inline":
        run_sender(app, name)
        return
    _worker(app).wake(name)


def run_sender(app: Flask, name: str) -> int:
    """Run one sender now in a fresh app context; failures are logged, never raised."""
    sender = app.extensions.get(SENDERS, {}).get(name)
    if sender is None:
        return 0
    try:
        with app.app_context():
            return sender(app)
    except Exception:  # a sender's own bug must not take a request or the thread down
        log.exception("delivery %s failed; its rows stay queued", name)
        return 0


class _Worker:
    """One daemon thread per app and process: runs requested senders, and all of them on a
    timer so failed rows are retried when their time comes."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.poll = float(app.config.get("DELIVERY_POLL_SECONDS", 30))
        self.event = threading.Event()
        self.lock = threading.Lock()
        self.pending: set[str] = set()
        self.thread = threading.Thread(target=self._loop, name="simulator-delivery", daemon=True)
        self.thread.start()

    def wake(self, name: str) -> None:
        with self.lock:
            self.pending.add(name)
        self.event.set()

    def _loop(self) -> None:
        while True:
            woken = self.event.wait(self.poll)
            self.event.clear()
            with self.lock:
                names, self.pending = self.pending, set()
            if not woken:
                names = set(self.app.extensions.get(SENDERS, {}))
            for name in sorted(names):
                run_sender(self.app, name)


_workers: dict[int, _Worker] = {}
_workers_lock = threading.Lock()


def _worker(app: Flask) -> _Worker:
    with _workers_lock:
        worker = _workers.get(id(app))
        if worker is None or worker.app is not app:
            worker = _workers[id(app)] = _Worker(app)
        return worker
