"""Branch maps for pages: only staff see them, and each version is drawn once per app.

Reading a scenario's YAML with marks takes a tenth of a second, the layout a few milliseconds;
a version never changes, so the map is kept by content hash in a small per-app cache.
"""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from simulator.scenarios.branch_map import BranchMap, map_of_text
from simulator.scenarios.model import Scenario

STAFF = ("supervisor", "admin")
_CACHE = "simulator.branch_maps"
CACHE_SIZE = 64


def map_for(scenario: Scenario) -> BranchMap | None:
    """The map of this exact version of the scenario."""
    cache: dict[str, BranchMap | None] = current_app.extensions.setdefault(_CACHE, {})
    if scenario.content_hash not in cache:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[scenario.content_hash] = map_of_text(scenario.source_text)
    return cache[scenario.content_hash]


def staff_map(scenario: Scenario) -> BranchMap | None:
    """The map for a supervisor or admin; None for anyone else (trainees play unspoiled)."""
    signed_in = current_user.is_authenticated
    return map_for(scenario) if signed_in and current_user.role in STAFF else None
