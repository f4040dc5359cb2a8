"""The scenario library the app serves: the shipped files plus scenarios uploaded on the web.

Files are loaded once per process from SCENARIOS_DIR; uploads live in the database, so every
app server sees the same library.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from flask import Flask, current_app, g
from sqlmodel import col, select

from simulator.db import get_session
from simulator.models import Attempt, ScenarioSnapshot
from simulator.practice.snapshots import scenario_for
from simulator.scenarios.library import Library, load_library, load_scenario_text
from simulator.scenarios.model import Scenario

log = logging.getLogger(__name__)
# Apps built in one process (tests, CLI) share a load while no file has changed.
_loaded: dict[tuple, Library] = {}
# Uploaded versions parsed so far, by content hash (a version never changes).
_uploads: dict[str, Scenario | None] = {}


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
    """Load the shipped library; broken files are logged and skipped, never fatal."""
    library = load_cached(app.config["SCENARIOS_DIR"])
    for problem in library.problems:
        if problem.severity == "error":
            log.warning("scenario problem: %s", problem)
    log.info("loaded %d scenarios and %d rubrics from %s", len(library.scenarios),
             len(library.rubrics), app.config["SCENARIOS_DIR"])
    app.extensions["simulator.library"] = library


def shipped_library(app: Flask | None = None) -> Library:
    """The scenarios and rubrics loaded from files (no uploads)."""
    return (app or current_app).extensions["simulator.library"]


def pinned_scenario(attempt: Attempt) -> Scenario:
    """The scenario exactly as the attempt was played (raises SnapshotUnreadable).

    Attempts are pinned by content hash, so the uploads list is never needed: a shipped file
    with that hash, or else the stored snapshot (uploads included), is that version.
    """
    return scenario_for(session=get_session(), attempt=attempt, library=shipped_library())


def get_library() -> Library:
    """The library for this request: shipped scenarios plus the newest version of each upload."""
    if "library" not in g:
        g.library = _with_uploads(shipped_library())
    return g.library


# Built once: most pages run it.
_UPLOADS = (select(ScenarioSnapshot.scenario_id, ScenarioSnapshot.content_hash)
            .where(ScenarioSnapshot.origin == "upload")
            .order_by(col(ScenarioSnapshot.created_at), col(ScenarioSnapshot.content_hash)))


def _with_uploads(shipped: Library) -> Library:
    rows = get_session().exec(_UPLOADS).all()
    newest = {scenario_id: content_hash for scenario_id, content_hash in rows}
    if not newest:
        return shipped
    scenarios = dict(shipped.scenarios)
    for scenario_id, content_hash in newest.items():
        uploaded = _parsed_upload(content_hash, shipped)
        if uploaded is not None and scenario_id not in shipped.scenarios:
            scenarios[scenario_id] = uploaded
    return replace(shipped, scenarios=scenarios)


def _parsed_upload(content_hash: str, shipped: Library) -> Scenario | None:
    if content_hash not in _uploads:
        snapshot = get_session().get(ScenarioSnapshot, content_hash)
        scenario, problems = load_scenario_text(
            snapshot.source_text, name=f"{snapshot.scenario_id}.yaml", rubrics=shipped.rubrics,
            stored=True)
        if scenario is None:
            log.warning("uploaded scenario %s no longer loads: %s", snapshot.scenario_id,
                        problems[0] if problems else "unknown problem")
        _uploads[content_hash] = scenario
    return _uploads[content_hash]
