"""The server under test for the benchmarks: a fresh database, `simulator serve` in production
mode on loopback, a browser that times its requests, and what /proc says about the workers."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

from _pg import free_port, throwaway_postgres

IDLE_RECONNECT = 1.5  # gunicorn closes keep-alive connections idle for 2 s
CSRF_FIELD = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


# --- a browser that times its requests ------------------------------------------------------

class LatencyLog:
    """Milliseconds per request kind, and failures (an error status or no answer)."""

    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[int]] = defaultdict(list)  # kind -> statuses (0: no answer)
        self.lock = threading.Lock()

    def add(self, kind: str, ms: float, status: int) -> None:
        """Record one request."""
        with self.lock:
            if 0 < status < 400:
                self.timings[kind].append(ms)
            else:
                self.errors[kind].append(status)


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    """(p50, p95, p99) by nearest rank."""
    ordered = sorted(timings)
    return tuple(ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # type: ignore[return-value]
                 for q in (0.50, 0.95, 0.99))


class Browser:
    """One user: a kept-alive connection to 127.0.0.1:port and a cookie jar."""

    def __init__(self, port: int, log: LatencyLog | None = None) -> None:
        self.port, self.log = port, log
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.used = 0.0

    def get(self, path: str, kind: str | None = None) -> tuple[int, str]:
        """(status, body, or the Location of a redirect)."""
        return self.request("GET", path, None, kind)

    def post(self, path: str, form: dict, kind: str | None = None,
             htmx: bool = False) -> tuple[int, str]:
        """Post a form as a browser (or htmx, with HX-Request) would."""
        return self.request("POST", path, form, kind, htmx)

    def request(self, method: str, path: str, form: dict | None, kind: str | None,
                htmx: bool = False) -> tuple[int, str]:
        """One timed request; a failure is logged and returns status 0."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urllib.parse.urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        if started - self.used > IDLE_RECONNECT:
            self.close()  # the server has dropped an idle connection by now, as a browser knows
        try:
            self.connection = self.connection or http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8")
        except (OSError, http.client.HTTPException):
            self.close()
            status, text = 0, ""
        else:
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
            if 300 <= status < 400:
                text = response.headers.get("Location", "")
        self.used = time.perf_counter()
        if kind and self.log:
            self.log.add(kind, (time.perf_counter() - started) * 1000, status)
        return status, text

    def close(self) -> None:
        """Drop the connection (a new one opens on the next request)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# --- the server under test --------------------------------------------------------------------

def simulator_command() -> list[str]:
    """The `simulator` console script of this interpreter's environment."""
    return [sys.executable, "-m", "simulator"]


@contextlib.contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file in workdir, or a throwaway PostgreSQL."""
    if kind == "postgres":
        with throwaway_postgres() as url:
            yield url
    else:
        yield f"sqlite:///{workdir / 'bench.db'}"


def server_env(url: str, workdir: Path) -> dict[str, str]:
    """Environment for `simulator` commands against this database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMULATOR_")}
    env.update(SIMULATOR_DATABASE_URL=url, SIMULATOR_INSTANCE_PATH=str(workdir / "instance"),
               SIMULATOR_SECRET_KEY=secrets.token_urlsafe(48))
    return env


def prepare(env: dict[str, str], trainees: int, turns: int) -> str:
    """Migrate and seed; returns the seeding summary line."""
    for args in (["db", "upgrade"], ["demo", "--scale", str(trainees),
                                     "--turns-per-trainee", str(turns)]):
        done = subprocess.run(simulator_command() + args, env=env, capture_output=True,
                              text=True, timeout=3600, check=False)
        if done.returncode != 0:
            raise SystemExit(f"simulator {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return next((line for line in done.stdout.splitlines() if line.startswith("Seeded")), "")


@contextlib.contextmanager
def running_server(env: dict[str, str], workdir: Path, workers: int) -> Iterator[tuple]:
    """`simulator serve` in production mode; yields (port, gunicorn master pid)."""
    port = free_port()
    log = open(workdir / "server.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        simulator_command() + ["serve", "--port", str(port), "--workers", str(workers)],
        env={**env, "SIMULATOR_ENV": "production"}, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_ready(port, server, workers)
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def _wait_ready(port: int, server: subprocess.Popen, workers: int, seconds: float = 90) -> None:
    """Until /healthz answers and every worker has booted."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up; see its log")
        probe = Browser(port)
        answered = probe.get("/healthz")[0] == 200
        probe.close()
        if answered and len(worker_pids(server.pid)) == workers:
            time.sleep(2)  # the last worker to fork may still be importing the app
            return
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer /healthz within {seconds:.0f} s")


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def proc_status(pid: int, field: str) -> int:
    """A /proc/<pid>/status value in kB (VmHWM: peak resident memory, VmRSS: current)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time these processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def sign_in(browser: Browser, email: str, password: str, kind: str | None = None) -> bool:
    """Post the sign-in form as a person would; True when the server signed them in."""
    token = CSRF_FIELD.search(browser.get("/login")[1])
    form = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    return browser.post("/login", form, kind=kind)[0] == 302
