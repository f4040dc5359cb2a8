"""A real server (`simulator serve`, gunicorn) on a loopback port, and a cookie-keeping browser.

Each server runs in its own process group so that killing it (even with SIGKILL) takes its
workers too. Callers stop every server they start in a `finally`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.helpers import free_port

START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def stop(self) -> None:
        """Stop gracefully, then firmly; never leaves a worker behind."""
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        _signal_group(self.process, signal.SIGKILL)  # stray workers, if any

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a crash or OOM kill would."""
        _signal_group(self.process, signal.SIGKILL)
        self.process.wait(timeout=20)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, sig)  # the group this test created (start_new_session=True)


def start_server(database_url: str, instance: Path, *, workers: int = 2) -> Server:
    """Start `simulator serve` against `database_url` and wait until /healthz answers."""
    port = free_port()
    log = instance / f"serve-{port}.log"
    instance.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SIMULATOR_DATABASE_URL": database_url,
           "SIMULATOR_INSTANCE_PATH": str(instance),
           "SIMULATOR_LOGIN_RATE_LIMIT": "1000 per minute"}
    env.pop("SIMULATOR_ENV", None)
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", str(port),
             "--workers", str(workers)],
            env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(process, port, log)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if Browser(port).get("/healthz").status == 200:
                return server
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"server did not start:\n{server.output()}")
        time.sleep(0.2)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Browser:
    """Enough of a browser: keeps the session cookie, sends forms, does not follow redirects."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Reply(response.status, dict(response.headers.items()), text)
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict, headers: dict | None = None) -> Reply:
        return self.request("POST", path, form, headers)

    def token(self, path: str) -> str:
        return form_token(self.get(path).body)

    def sign_in(self, email: str, password: str) -> None:
        reply = self.post("/login", {"email": email, "password": password,
                                     "csrf_token": self.token("/login")})
        assert reply.status == 302, reply.body[:500]

    def clone(self) -> Browser:
        """Another tab of the same browser: same cookies."""
        return Browser(self.port, dict(self.cookies))


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no csrf_token in the page"
    return match.group(1)


def form_turn(html: str) -> str:
    match = re.search(r'name="turn" value="(\d+)"', html)
    assert match, "no answer form in the page"
    return match.group(1)
