"""A real learning record store for the tests: Learning Locker's statement service.

`xapi-statements` (npm, GPL-3.0, test-only and never shipped) is pinned in package.json here
and installed on first use with `npm ci`. It runs with in-memory models, so a restarted LRS
starts empty; any Basic credentials are accepted. It validates statements strictly (xAPI
1.0.3), which is the point: what it stores, a production LRS accepts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.helpers import free_port
from tests.npm_tools import npm_ci

HERE = Path(__file__).resolve().parent
SERVICE = HERE / "node_modules" / "xapi-statements" / "dist" / "index.js"
HEADERS = {"X-Experience-API-Version": "1.0.3"}
START_SECONDS = 30
PAGE = 100


def install() -> str | None:
    """Install the pinned LRS with npm if it is missing; the reason when that cannot be done."""
    if shutil.which("node") is None:
        return "node is not installed, so the test LRS cannot run (apt-get install -y nodejs npm)"
    return npm_ci(HERE, SERVICE, "the test LRS")


class Lrs:
    """The LRS process on a fixed loopback port, so the app's LRS_URL outlives a restart."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.root}/xAPI"
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start it and wait until it answers /xAPI/about."""
        storage = self.workdir / "storage"
        storage.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "AUTH_REPO": "test", "EVENTS_REPO": "test",
               "MODELS_REPO": "memory", "STORAGE_REPO": "local",
               "FS_LOCAL_STORAGE_DIR": str(storage), "EXPRESS_PORT": str(self.port),
               "WINSTON_CONSOLE_LEVEL": "error"}
        self.log = open(self.workdir / "lrs.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(["node", str(SERVICE)], env=env, cwd=self.workdir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(f"{self.url}/about", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the test LRS did not start; see {self.workdir / 'lrs.log'}")

    def stop(self) -> None:
        """Stop it; the port refuses connections once this returns."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
            self.log.close()

    def restart(self) -> None:
        """Stop and start again: the in-memory store comes back empty."""
        self.stop()
        self.start()

    def statements(self, registration: str | None = None) -> list[dict]:
        """Every stored statement (of one registration), through the LRS's own GET API."""
        params = {"limit": PAGE, **({"registration": registration} if registration else {})}
        found: list[dict] = []
        url: str | None = f"{self.url}/statements"
        while url:
            response = requests.get(url, params=params, headers=HEADERS,
                                    auth=("reader", "any"), timeout=10)
            response.raise_for_status()
            body = response.json()
            found += body["statements"]
            url, params = (urljoin(self.root, body["more"]), None) if body.get("more") \
                else (None, None)
        return found
