"""xAPI delivery: practice reported to a learning record store as it happens.

Off unless SIMULATOR_LRS_URL is set, and then nothing is registered, queued or sent: the turn
path pays nothing. When set, a practice-event listener queues each event's statements in its
own transaction (simulator.xapi.outbox) and a sender named "xapi" delivers them after commit
(simulator.xapi.sender, run as simulator.delivery's mode says). The heavy parts are imported
only then, so commands that never send do not load them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

from simulator.config import ConfigError
from simulator.delivery import register_sender
from simulator.practice.events import add_listener

SENDER = "xapi"
EXAMPLES = {"LRS_URL": "https://lrs.example.org/xAPI", "BASE_URL": "https://sim.example.ac.uk"}


def init_app(app: Flask) -> None:
    """With an LRS configured: check the settings, listen to practice, register the sender."""
    if not app.config.get("LRS_URL"):
        return
    for name in ("LRS_URL", "BASE_URL"):
        _check_url(name, app.config.get(name))
    from simulator.xapi.outbox import listener
    from simulator.xapi.sender import send_queued

    add_listener(app.extensions, listener(app))
    register_sender(app, SENDER, send_queued)


def _check_url(name: str, value: object) -> None:
    if not value:
        return
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        # The value is not repeated: an LRS address may carry credentials.
        raise ConfigError(f"SIMULATOR_{name} is not an absolute http(s) URL; it should look "
                          f"like {EXAMPLES[name]}.")

