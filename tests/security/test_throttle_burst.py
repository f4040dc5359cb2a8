"""Sign-in throttling holds out of the box: across workers, in a parallel burst, in any encoding.

The live tests start the real server (`simulator serve`, two workers) with no throttle storage
configured, so failures are counted in the database, and fire every guess at once from
threads. Addresses come from X-Forwarded-For (SIMULATOR_PROXY_FIX=1), as behind a proxy.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from simulator import migrate
from simulator.db import make_engine
from simulator.models import FailureCount
from tests.conftest import csrf_token
from tests.helpers import PASSWORD, free_port, make_user
from tests.security.live import Browser, Server, form_token

LIMIT = 6  # SIMULATOR_LOGIN_RATE_LIMIT for the live server: 6 per hour
BURST = 24
THROTTLED = "Too many sign-in attempts."


# --- in one process -----------------------------------------------------------------------


def _json_sign_in(client, email: str, password: str, address: str):
    token = csrf_token(client)
    return client.post("/login", data=json.dumps({"email": email, "password": password}),
                       content_type="application/json", headers={"X-CSRFToken": token},
                       environ_base={"REMOTE_ADDR": address})


def _form_sign_in(client, email: str, password: str, address: str):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client)},
                       environ_base={"REMOTE_ADDR": address})


def test_json_sign_ins_are_counted_against_their_account(client, session):
    user, bystander = make_user(session), make_user(session)
    statuses = [_json_sign_in(client, user.email, "wrong guess!", f"10.3.0.{n}").status_code
                for n in range(10)]
    assert statuses == [401] * 10
    throttled = _json_sign_in(client, user.email, PASSWORD, "10.3.1.1")
    assert throttled.status_code == 429 and THROTTLED in throttled.get_data(as_text=True)
    # Counted against that account only, not against every JSON sign-in.
    assert _json_sign_in(client, bystander.email, PASSWORD, "10.3.1.2").status_code == 302


def test_form_and_json_guesses_share_one_allowance(client, session):
    user = make_user(session)
    for n in range(10):
        send = _json_sign_in if n % 2 else _form_sign_in
        # The form's email in another case and with spaces: the parsed, normalised one counts.
        email = f"  {user.email.upper()} " if n % 3 == 0 else user.email
        assert send(client, email, "wrong guess!", f"10.4.0.{n}").status_code == 401
    for send in (_form_sign_in, _json_sign_in):
        assert send(client, user.email, PASSWORD, "10.4.1.1").status_code == 429


def test_the_database_holds_no_email_or_address(client, session):
    user = make_user(session)
    _form_sign_in(client, user.email, "wrong guess!", "10.6.0.1")
    keys = [row.key for row in session.exec(select(FailureCount))]
    assert len(keys) == 2
    assert not any(user.email in key or "10.6.0.1" in key for key in keys)


def test_counts_from_a_closed_window_are_swept_away(app, client, session):
    user = make_user(session)
    _form_sign_in(client, user.email, "wrong guess!", "10.7.0.1")
    throttle = app.extensions["simulator.throttle"]
    session.expire_all()
    closes = max(row.expires_at for row in session.exec(select(FailureCount)))
    assert throttle.counters.sweep(closes - 1) == 0
    assert throttle.counters.sweep(closes) == 2
    session.expire_all()
    assert session.exec(select(FailureCount)).all() == []


# --- against the real server, in a burst --------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """`simulator serve` with 2 workers on SQLite, throttle storage left at its default."""
    folder = tmp_path_factory.mktemp("burst")
    url = f"sqlite:///{folder / 'burst.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    port, log = free_port(), folder / "serve.log"
    env = {**os.environ, "SIMULATOR_DATABASE_URL": url, "SIMULATOR_INSTANCE_PATH": str(folder),
           "SIMULATOR_LOGIN_RATE_LIMIT": f"{LIMIT} per hour", "SIMULATOR_PROXY_FIX": "1"}
    for name in ("SIMULATOR_ENV", "SIMULATOR_RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    running = Server(process, port, log)
    try:
        _wait_until_up(running)
        yield running, url
    finally:
        running.stop()


def _wait_until_up(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Browser(server.port).get("/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start:\n{server.output()}")


def _account(url: str) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        email = make_user(session).email
    engine.dispose()
    return email


def _burst(port: int, guesses: list[tuple[str, str]]) -> Counter:
    """Send every (email, address) guess at once, each from its own browser; count statuses."""
    browsers = [Browser(port) for _ in guesses]
    tokens = [form_token(b.get("/login").body) for b in browsers]
    start, statuses = threading.Barrier(len(guesses)), []

    def guess(n: int) -> None:
        email, address = guesses[n]
        start.wait()
        statuses.append(browsers[n].post("/login", {
            "email": email, "password": "wrong guess!", "csrf_token": tokens[n]},
            headers={"X-Forwarded-For": address}).status)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(len(guesses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(statuses)


def test_a_burst_at_one_account_from_many_addresses_gets_exactly_the_limit(server):
    running, url = server
    email = _account(url)
    statuses = _burst(running.port, [(email, f"10.8.{n}.1") for n in range(BURST)])
    assert statuses == {401: LIMIT, 429: BURST - LIMIT}, running.output()[-2000:]


def test_a_burst_from_one_address_at_many_accounts_gets_exactly_the_limit(server):
    running, _url = server
    statuses = _burst(running.port, [(f"guess{n}@example.org", "10.9.0.1")
                                     for n in range(BURST)])
    assert statuses == {401: LIMIT, 429: BURST - LIMIT}, running.output()[-2000:]


def test_a_throttled_sign_in_says_how_long_to_wait(server):
    running, url = server
    email = _account(url)
    _burst(running.port, [(email, f"10.10.{n}.1") for n in range(LIMIT)])
    browser = Browser(running.port)
    reply = browser.post("/login", {"email": email, "password": PASSWORD,
                                    "csrf_token": form_token(browser.get("/login").body)},
                         headers={"X-Forwarded-For": "10.10.99.1"})
    assert reply.status == 429
    wait = re.search(r"Please wait (\d+) minutes before trying again\.", reply.body)
    assert wait and 55 <= int(wait.group(1)) <= 60
    assert 3000 < int(reply.headers["Retry-After"]) <= 3600
