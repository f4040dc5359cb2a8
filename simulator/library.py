"""The scenario library the app serves: the shipped files plus scenarios published on the web.

Files are loaded once per process from SCENARIOS_DIR; authored scenarios live in the database,
so every app server sees the same library. Which published scenarios a user sees depends on
their cohorts (simulator.authoring.store).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from flask import Flask, current_app, g
from flask_login import current_user

from simulator.authoring.drafts import scenario_of
from simulator.authoring.store import published_for, published_to_cohort
from simulator.db import get_session
from simulator.models import Attempt
from simulator.practice.snapshots import scenario_for
from simulator.scenarios.library import Library, load_library
from simulator.scenarios.model import Scenario

log = logging.getLogger(__name__)
# Apps built in one process (tests, CLI) share a load while no file has changed.
_loaded: dict[tuple, Library] = {}
# Published versions parsed so far, by content hash (a version never changes).
_published: dict[str, Scenario | None] = {}


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

    Attempts are pinned by content hash, so what is published now does not matter: a shipped
    file with that hash, or else the stored snapshot, is that version.
    """
    return scenario_for(session=get_session(), attempt=attempt, library=shipped_library())


def get_library() -> Library:
    """The library for this request's user: shipped scenarios plus the published versions of
    authored scenarios they may see (simulator.authoring.store.published_for)."""
    if "library" not in g:
        # Outside a request (the command line) nobody is signed in: only what is published
        # to everyone is added.
        signed_in = getattr(current_user, "is_authenticated", False)
        rows = published_for(get_session(), user_id=current_user.id if signed_in else None,
                             is_admin=signed_in and current_user.role == "admin")
        g.library = with_published(shipped_library(), rows)
    return g.library


def library_for_cohort(cohort_id: int) -> Library:
    """What a cohort's trainees are offered: shipped plus what is published to them."""
    return with_published(shipped_library(), published_to_cohort(get_session(), cohort_id))


def with_published(shipped: Library, rows: list[tuple[str, str, str]]) -> Library:
    """The shipped library plus these published versions ((id, content hash, text) rows)."""
    if not rows:
        return shipped
    scenarios = dict(shipped.scenarios)
    for scenario_id, content_hash, text in rows:
        if scenario_id in shipped.scenarios:
            continue
        if content_hash not in _published:
            scenario = scenario_of(text, rubrics=shipped.rubrics)
            if scenario is None:
                log.warning("published scenario %s no longer loads", scenario_id)
            _published[content_hash] = scenario
        if _published[content_hash] is not None:
            scenarios[scenario_id] = _published[content_hash]
    return replace(shipped, scenarios=scenarios)
