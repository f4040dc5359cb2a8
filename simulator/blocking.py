"""CPU work that must not stall the server's other connections.

`simulator serve` runs gevent workers: one thread serves every connection of a worker, so a
password hash (scrypt, tens of milliseconds) computed on it would hold them all. scrypt
releases the GIL, so under gevent it runs on gevent's pool of real threads while the worker
goes on; anywhere else (tests, the CLI, other WSGI servers) it is a plain call.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _on_gevent() -> bool:
    if "gevent" not in sys.modules:
        return False
    from gevent import monkey

    return monkey.is_module_patched("threading")


def off_the_loop(work: Callable[..., T], *args) -> T:
    """`work(*args)`, on a real thread when this process serves requests with gevent."""
    if _on_gevent():
        import gevent

        return gevent.get_hub().threadpool.apply(work, args)
    return work(*args)

