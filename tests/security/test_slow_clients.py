"""Clients that send their request slowly cannot stall the server `make run` starts.

Twenty connections trickle a request to the real server (`simulator serve`, 2 workers) — ten
a sign-in body announced as 100 kB and sent a few bytes at a time, ten their headers a line
at a time — and `/healthz` must still answer, each time, within a second. With threaded
workers (one thread per connection until its request is read) the tricklers took every thread
and `/healthz` waited until they closed.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from simulator import migrate
from simulator.db import make_engine
from tests.security.live import start_server

TRICKLERS = 20
BODY_BYTES = 100_000
PROBES = 10
ANSWER_WITHIN = 1.0  # seconds: the bar for "the site stays up"


def _trickle(port: int, stop: threading.Event, *, slow_headers: bool) -> None:
    """Open a connection and send a request as slowly as a hostile client would."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port),
                                                                timeout=30) as conn:
        head = (f"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {BODY_BYTES}\r\n\r\n").encode()
        if slow_headers:
            for line in head.split(b"\r\n"):
                if stop.wait(0.5):
                    return
                conn.sendall(line + b"\r\n")
            return
        conn.sendall(head)
        while not stop.wait(0.2):
            conn.sendall(b"email=a")


def _healthz(port: int) -> int | str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except OSError as error:  # a timeout is the failure this test is about
        return f"no answer ({error})"
    finally:
        connection.close()


@pytest.fixture
def server(database_url: str, tmp_path) -> Iterator:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    running = start_server(database_url, tmp_path / "instance", workers=2)
    try:
        yield running
    finally:
        running.stop()


def test_healthz_answers_within_a_second_while_twenty_clients_trickle(server):
    stop = threading.Event()
    tricklers = [threading.Thread(target=_trickle, args=(server.port, stop),
                                  kwargs={"slow_headers": n % 2 == 0}, daemon=True)
                 for n in range(TRICKLERS)]
    for thread in tricklers:
        thread.start()
    waits = []
    try:
        time.sleep(1.0)  # every trickler connected and holding its request open
        for _ in range(PROBES):
            began = time.monotonic()
            status = _healthz(server.port)
            waits.append((status, round(time.monotonic() - began, 3)))
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in tricklers:
            thread.join(timeout=10)
    assert all(status == 200 for status, _ in waits), waits
    assert max(seconds for _, seconds in waits) < ANSWER_WITHIN, waits
