"""The real app for browser tests: a fresh SQLite database, demo accounts, and gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import free_port

START_TIMEOUT = 45  # seconds; two busy cores may be slow to import and fork
STOP_TIMEOUT = 20


@dataclass(frozen=True)
class LiveServer:
    """A running `simulator serve`: where it answers and where it logs."""

    url: str
    log: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for failure messages."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def server_env(workdir: Path) -> dict[str, str]:
    """The environment of every command: this folder's database, never a production setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMULATOR_")}
    env.update(
        SIMULATOR_INSTANCE_PATH=str(workdir / "instance"),
        SIMULATOR_DATABASE_URL=f"sqlite:///{workdir / 'e2e.db'}",
        # The suite signs in more often than a person would in a minute.
        SIMULATOR_LOGIN_RATE_LIMIT="300 per minute",
    )
    return env


def simulator(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run one `simulator` command as a user would; its output, or a failure with it."""
    result = subprocess.run([sys.executable, "-m", "simulator", *args], env=env, input=stdin,
                            capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"simulator {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def launch_server(workdir: Path) -> LiveServer:
    """Start gunicorn with one worker on a free port (it may not answer yet)."""
    port = free_port()
    log = workdir / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--workers", "1"],
            env=server_env(workdir), stdout=sink, stderr=subprocess.STDOUT,
        )
    return LiveServer(f"http://127.0.0.1:{port}", log, process)


def wait_until_healthy(server: LiveServer) -> None:
    """Poll /healthz until it answers; fail with the server's log if it exits or never does."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer within {START_TIMEOUT}s:\n{server.log_tail()}")


def stop_server(server: LiveServer) -> None:
    """Stop gunicorn (and its worker) politely, then firmly."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def served(workdir: Path, *demo_args: str) -> Iterator[LiveServer]:
    """`simulator serve` over a fresh database in `workdir`, seeded by `simulator demo` with
    `demo_args` while gunicorn boots; stopped on leaving."""
    env = server_env(workdir)
    simulator(env, "db", "upgrade")
    server = launch_server(workdir)
    try:
        simulator(env, "demo", *demo_args)
        wait_until_healthy(server)
        yield server
    finally:
        stop_server(server)
