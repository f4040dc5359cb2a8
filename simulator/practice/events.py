"""What happened in practice, told inside the same transaction to whoever listens.

The xAPI outbox and the LMS grade return listen: each writes its own queued rows in the
transaction that stored the turn, rewind, completion or review, so a rollback drops them with
it and a commit keeps them (nothing is sent from here; simulator.delivery sends after commit).

Listeners are per app (app.extensions[LISTENERS]) and reach a session through its `info`
(simulator.db.get_session puts them there). A session without listeners, such as the demo
seeding's, emits nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

LISTENERS = "simulator.practice_listeners"
KINDS = ("launched", "responded", "rewound", "completed", "reviewed")


@dataclass(frozen=True)
class PracticeEvent:
    """One thing that happened to an attempt.

    launched: an attempt was started (not yet flushed; its id is set).
    responded: turn `turn_id` was stored (a notice step is part of its turn).
    rewound: turn `turn_id` was set aside and the attempt went back to its moment.
    completed: the attempt reached an ending (emitted after the `responded` that ended it).
    reviewed: a supervisor's review `review` (a Review row, maybe not yet flushed) of turn
    `turn_id` changed a criterion's effective level.
    """

    kind: str
    attempt_id: str
    turn_id: int | None = None
    review: object | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown practice event {self.kind!r}")


Listener = Callable[[Session, PracticeEvent], None]


def add_listener(extensions: dict, listener: Listener) -> None:
    """Register `listener` in an app's extensions (called by the app factory)."""
    extensions.setdefault(LISTENERS, []).append(listener)


def emit(session: Session, event: PracticeEvent) -> None:
    """Tell every listener of this session, in registration order, inside its transaction."""
    for listener in session.info.get(LISTENERS, ()):
        listener(session, event)
