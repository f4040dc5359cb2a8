"""Several app servers share one sign-in allowance: in the database by default, or in Redis.

Two `simulator serve` processes, as two hosts behind a load balancer would be, take turns
answering wrong passwords for one account. Redis is Debian's redis-server, started here on
loopback; the sign-in address is the same for every guess (loopback), so the account and the
address allowances both count.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from simulator import migrate
from simulator.db import make_engine
from tests.helpers import free_port, make_user
from tests.scale.test_two_servers import SHARED_SECRET, STARTUP_SECONDS, Browser
from tests.test_serve import wait_for

LIMIT = 10  # LOGIN_RATE_LIMIT's default: 10 failed sign-ins a minute per account and per address


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server on a free loopback port, stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server; "
                    ".ci/run installs it)")
    redis = pytest.importorskip("redis", reason="the redis extra is not installed "
                                "(pip install -e '.[redis]'; make install includes it)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_redis(redis.Redis(host="127.0.0.1", port=port), server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for_redis(client, server: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"redis-server exited with status {server.returncode} at start-up")
        try:
            if client.ping():
                return
        except Exception:  # connection refused until it listens
            time.sleep(0.05)
    pytest.fail(f"redis-server did not answer within {seconds:.0f} s")


@contextlib.contextmanager
def _two_servers(database_url: str, storage: str | None, tmp_path: Path
                 ) -> Iterator[list[int]]:
    """Two `simulator serve` processes on one database (and `storage`, if given); their ports."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    ports = [free_port(), free_port()]
    env = {**os.environ, "SIMULATOR_DATABASE_URL": database_url, "SIMULATOR_SECRET_KEY":
           SHARED_SECRET, "SIMULATOR_RATELIMIT_STORAGE_URI": storage or ""}
    env.pop("SIMULATOR_ENV", None)
    if storage is None:
        env.pop("SIMULATOR_RATELIMIT_STORAGE_URI")
    servers = [subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--workers", "1"],
        env={**env, "SIMULATOR_INSTANCE_PATH": str(tmp_path / f"instance-{port}")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/healthz", time.monotonic() + STARTUP_SECONDS)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def _guess(port: int, email: str) -> int:
    """One wrong password from a new browser; the response status."""
    browser = Browser()
    _, _, html = browser.request(port, "GET", "/login")
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
    assert token, "no CSRF token on the sign-in page"
    form = {"email": email, "password": "wrong guess!", "csrf_token": token.group(1)}
    return browser.request(port, "POST", "/login", form)[0]


def _guesses_split_across(ports: list[int], database_url: str) -> list[int]:
    """LIMIT wrong passwords for one account, alternating servers, then one more on each."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        email = make_user(session).email
    engine.dispose()
    return [_guess(ports[n % 2], email) for n in range(LIMIT + 2)]


@pytest.mark.redis
def test_servers_sharing_redis_share_one_allowance(database_url, redis_url, tmp_path):
    with _two_servers(database_url, redis_url, tmp_path) as ports:
        statuses = _guesses_split_across(ports, database_url)
    assert statuses == [401] * LIMIT + [429, 429]


def test_servers_share_one_allowance_in_the_database_by_default(database_url, tmp_path):
    # Nothing configured: failures are counted in the database the servers already share.
    with _two_servers(database_url, None, tmp_path) as ports:
        statuses = _guesses_split_across(ports, database_url)
    assert statuses == [401] * LIMIT + [429, 429]
