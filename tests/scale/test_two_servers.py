"""Two app servers on one PostgreSQL database serve one trainee, turn by turn, alternately.

Sessions are signed cookies and everything else lives in the database, so a load balancer may
send each request to either server. Both servers share only SIMULATOR_SECRET_KEY and the
database URL; their instance folders differ on purpose.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from sqlmodel import Session, col, select

from simulator import migrate
from simulator.db import make_engine
from simulator.library import load_cached
from simulator.models import Attempt, Turn
from simulator.resources import resource_dir
from tests.conftest import POSTGRES_URL
from tests.helpers import PASSWORD, make_user
from tests.test_serve import free_port, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: set "
                       "SIMULATOR_TEST_DATABASE_URL to an empty database (.ci/run does)"),
]
SHARED_SECRET = "two-servers-share-this-secret-" + "Kq3vX8mZ1pR6tY0wB4nD7"
SCENARIO = "you-started-late-again"
MAX_TURNS = 20
STARTUP_SECONDS = 60


class Browser:
    """One browser: a single cookie jar, whichever server it talks to."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        """(status, headers, body) of one request to the server on `port`."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return response.status, response.headers, text


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _start_server(port: int, database_url: str, instance: str, log) -> subprocess.Popen:
    env = {**os.environ, "SIMULATOR_DATABASE_URL": database_url,
           "SIMULATOR_SECRET_KEY": SHARED_SECRET, "SIMULATOR_INSTANCE_PATH": instance}
    env.pop("SIMULATOR_ENV", None)
    return subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=log, stderr=subprocess.STDOUT, text=True)


def _stop(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _answer(session: Session, attempt_id: str, scenario) -> dict | None:
    """The author's strong answer for the attempt's current moment; None at an ending."""
    session.expire_all()
    node = scenario.node(session.get(Attempt, attempt_id).current_node)
    if node.is_ending:
        return None
    return {"choice": "0"} if node.respond == "choice" else {"response": node.exemplars.strong[0]}


def _play_alternately(browser: Browser, ports: list[int], session: Session,
                      attempt_id: str) -> int:
    scenario = load_cached(str(resource_dir("scenarios"))).scenarios[SCENARIO]
    for number in range(MAX_TURNS):
        data = _answer(session, attempt_id, scenario)
        if data is None:
            return number
        port = ports[number % 2]
        status, _, html = browser.request(port, "GET", f"/attempts/{attempt_id}")
        assert status == 200, html
        turn = re.search(r'name="turn" value="(\d+)"', html).group(1)
        form = {"turn": turn, "csrf_token": _csrf(html), **data}
        status, headers, html = browser.request(port, "POST", f"/attempts/{attempt_id}/turns",
                                                form)
        assert status == 303, (port, status, html)
    raise AssertionError(f"no ending after {MAX_TURNS} turns")


def test_two_servers_on_one_database_play_one_attempt_alternately(database_url, tmp_path):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    ports = [free_port(), free_port()]
    logs = [open(tmp_path / f"server-{n}.log", "w") for n in (1, 2)]  # noqa: SIM115
    servers = [_start_server(port, database_url, str(tmp_path / f"instance-{n}"), log)
               for n, (port, log) in enumerate(zip(ports, logs, strict=True))]
    try:
        with Session(engine, expire_on_commit=False) as session:
            trainee = make_user(session, role="trainee")
            trainee_id = trainee.id
            for port in ports:
                wait_for(f"http://127.0.0.1:{port}/healthz", time.monotonic() + STARTUP_SECONDS)
            browser = Browser()
            _, _, html = browser.request(ports[0], "GET", "/login")
            status, _, _ = browser.request(ports[0], "POST", "/login", {
                "email": trainee.email, "password": PASSWORD, "csrf_token": _csrf(html)})
            assert status == 302, "sign-in on the first server failed"
            _, _, html = browser.request(ports[1], "GET", f"/scenarios/{SCENARIO}")
            status, headers, _ = browser.request(
                ports[1], "POST", f"/scenarios/{SCENARIO}/attempts",
                {"mode": "practice", "csrf_token": _csrf(html)})
            assert status == 303, "the second server did not accept the first one's session"
            attempt_id = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
            answered = _play_alternately(browser, ports, session, attempt_id)
            status, _, _ = browser.request(ports[answered % 2], "GET",
                                           f"/attempts/{attempt_id}/debrief")
            session.expire_all()
            turns = session.exec(select(Turn).where(Turn.attempt_id == attempt_id)
                                 .order_by(col(Turn.index))).all()
            attempt = session.get(Attempt, attempt_id)
    finally:
        _stop(servers)
        for log in logs:
            log.close()
        engine.dispose()
    assert answered >= 2 and status == 200
    assert [t.index for t in turns] == list(range(answered))
    assert not any(t.superseded for t in turns)
    assert all(t.response_text and t.scores.get("kind") == "free" for t in turns)
    assert attempt.status == "completed" and attempt.trainee_id == trainee_id
    posted = [(tmp_path / f"server-{n}.log").read_text().count(
        f"POST /attempts/{attempt_id}/turns") for n in (1, 2)]
    assert posted == [answered - answered // 2, answered // 2]
