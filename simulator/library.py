"""The scenario library the app serves: loaded once per process from SCENARIOS_DIR."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app

from simulator.scenarios.library import Library, load_library

log = logging.getLogger(__name__)
# Apps built in one process (tests, CLI) share a load while no file has changed.
_loaded: dict[tuple, Library] = {}


def _fingerprint(directory: str) -> tuple:
    files = sorted(Path(directory).rglob("*.y*ml")) if Path(directory).is_dir() else []
    return (directory, *((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))


def load_cached(directory: str) -> Library:
    """The library in `directory`, reloaded only when a file was added, removed or changed."""
    key = _fingerprint(directory)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = load_library(directory)
    return _loaded[key]


def init_app(app: Flask) -> None:
    """Load the library; broken files are logged and skipped, never fatal."""
    library = load_cached(app.config["SCENARIOS_DIR"])
    for problem in library.problems:
        if problem.severity == "error":
            log.warning("scenario problem: %s", problem)
    log.info(
        "loaded %d scenarios and %d rubrics from %s",
        len(library.scenarios),
        len(library.rubrics),
        app.config["SCENARIOS_DIR"],
    )
    app.extensions["simulator.library"] = library


def get_library(app: Flask | None = None) -> Library:
    """The library of `app` (default: the current app)."""
    return (app or current_app).extensions["simulator.library"]
