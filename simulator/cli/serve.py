"""`simulator serve`: the production WSGI server (gunicorn), never Flask's development server.

Workers are gunicorn's gevent workers: each connection waits for its bytes on its own
greenlet, so clients that send a request slowly (a trickled body, headers a byte at a time)
hold no thread and cannot starve the others. A thread-per-request server would hand each of
them a worker thread for as long as they take (see docs/deploy.md, "Slow clients").
psycopg cooperates with gevent by itself (3.1.14 and later); SQLite calls are short.
"""

from __future__ import annotations

import gc
import logging
import os

import click
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from simulator import create_app, logs
from simulator.config import ConfigError
from simulator.library import shipped_library


def mask_path(path: str) -> str:
    """The request path as it may be logged: secrets replaced, control characters escaped.

    Gunicorn logs the decoded path, so `%0a` in a URL would otherwise start a new log line.
    """
    return logs.escape_controls(logs.redact(path))


class MaskingLogger(Logger):
    """Gunicorn's logger: secrets removed from logged paths, every record redacted."""

    def setup(self, cfg):
        super().setup(cfg)
        logs.install(*self.error_log.handlers, *self.access_log.handlers)

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        found["U"] = mask_path(found.get("U") or "")
        found["r"] = mask_path(found.get("r") or "")
        return found


class _Server(BaseApplication):
    """Gunicorn run from code; each worker builds its own app (no state shared across forks)."""

    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # older gunicorn releases lack some settings
                self.cfg.set(key, value)

    def load(self):
        return warmed(create_app())


def _exit_quietly(_arbiter, _worker) -> None:
    """End a stopped worker once its logs are flushed, skipping interpreter teardown.

    Teardown of a gevent worker collects logging handlers after gevent's modules are gone and
    prints a harmless but alarming "Exception ignored" traceback for each; every request has
    finished by now and nothing else waits for the end of the process.
    """
    logging.shutdown()
    os._exit(0)


def warmed(app):
    """The app ready for its first request: templates compiled, start-up objects out of the GC.

    Compiling every template now spares the first visitor of each page 100-250 ms. Freezing
    moves the ~100,000 objects that live as long as the worker (modules, routes, scenarios,
    compiled templates) out of the collector's reach, so a full collection no longer walks
    them: measured, that removed 100 ms pauses every 15-20 large pages.
    """
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    gc.collect()
    gc.freeze()
    return app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=lambda: int(os.environ.get("SIMULATOR_WORKERS", "2")),
              show_default="2, or SIMULATOR_WORKERS", type=click.IntRange(1, 64))
@click.option("--connections", default=1000, show_default=True,
              type=click.IntRange(10, 100_000),
              help="Open connections each worker holds at most (slow ones included).")
def serve(host: str, port: int, workers: int, connections: int) -> None:
    """Serve the web app with gunicorn."""
    try:
        app = create_app()  # fail fast, in the foreground, on a bad configuration
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    count = len(shipped_library(app).scenarios)
    click.echo(f"Holding Space on http://{host}:{port}/ ({count} scenarios, {workers} workers)")
    _Server({
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gevent",
        "worker_connections": connections,
        "accesslog": "-",
        "logger_class": MaskingLogger,
        # Query strings may carry search text; the access log keeps the path only.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        "control_socket_disable": True,  # one fixed path per machine would be shared by all
        "graceful_timeout": 20,
        "timeout": 60,
        "worker_exit": _exit_quietly,
    }).run()
