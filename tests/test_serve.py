"""`simulator serve` runs a production WSGI server that answers /healthz."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from simulator import migrate
from simulator.db import make_engine
from tests.helpers import free_port


def wait_for(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_healthz_with_gunicorn(database_url, tmp_path):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    port = free_port()
    env = {**os.environ, "SIMULATOR_DATABASE_URL": database_url,
           "SIMULATOR_INSTANCE_PATH": str(tmp_path / "instance")}
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        body = json.loads(wait_for(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30))
        with contextlib.suppress(OSError):  # a 404 page; only the log line matters here
            urllib.request.urlopen(f"http://127.0.0.1:{port}/set-password/SECRET-TOKEN-42")  # noqa: S310
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert body["status"] == "ok" and body["database"] == "ok" and body["scenarios"] >= 1
    assert f"Holding Space on http://127.0.0.1:{port}/" in output
    assert "gunicorn" in output.lower()
    assert "/set-password/[token]" in output and "SECRET-TOKEN-42" not in output


def test_serve_refuses_production_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SIMULATOR_SECRET_KEY"}
    env.update(SIMULATOR_ENV="production", SIMULATOR_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "serve", "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Error: SIMULATOR_SECRET_KEY is not set." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(autouse=True)
def _no_test_db_leak(monkeypatch):
    monkeypatch.delenv("SIMULATOR_ENV", raising=False)


def test_a_worker_starts_with_templates_compiled_and_start_up_objects_frozen(app):
    from simulator.cli.serve import warmed

    try:
        warmed(app)
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # this test process goes on building apps
    keys = app.jinja_env.cache.keys()  # (loader, template name) pairs
    cached = {name for _loader, name in keys}
    pages = set(app.jinja_env.list_templates(extensions=("html",)))
    assert "trainee/_play.html" in pages and pages <= cached
    assert frozen > 10_000
