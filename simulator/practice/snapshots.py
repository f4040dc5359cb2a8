"""Pinning attempts to the exact scenario text they were played on."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from simulator.models import Attempt, ScenarioSnapshot
from simulator.scenarios.library import Library, load_scenario_text
from simulator.scenarios.model import Scenario

# Snapshots are immutable (keyed by content hash), so a parse can be kept for the process.
_parsed: dict[str, Scenario] = {}


class SnapshotUnreadable(RuntimeError):
    """A stored snapshot no longer loads (for example its rubric was removed)."""


def pin_snapshot(*, session: Session, scenario: Scenario) -> None:
    """Store the scenario's text under its content hash, once."""
    if session.get(ScenarioSnapshot, scenario.content_hash) is not None:
        return
    try:
        with session.begin_nested():  # flushed now, so an attempt may refer to it
            session.add(ScenarioSnapshot(
                content_hash=scenario.content_hash, scenario_id=scenario.id,
                title=scenario.title, source_text=scenario.source_text,
            ))
    except IntegrityError:
        pass  # another request pinned the same version a moment ago


def scenario_for(*, session: Session, attempt: Attempt, library: Library) -> Scenario:
    """The scenario exactly as it was when the attempt started, whatever the library holds now."""
    current = library.scenarios.get(attempt.scenario_id)
    if current is not None and current.content_hash == attempt.scenario_hash:
        return current
    if attempt.scenario_hash not in _parsed:
        snapshot = session.get(ScenarioSnapshot, attempt.scenario_hash)
        if snapshot is None:
            raise SnapshotUnreadable(f"no snapshot {attempt.scenario_hash[:12]} is stored")
        scenario, problems = load_scenario_text(
            snapshot.source_text, name=f"{snapshot.scenario_id}.yaml", rubrics=library.rubrics,
            stored=True)
        if scenario is None:
            first = problems[0] if problems else "unknown problem"
            raise SnapshotUnreadable(f"snapshot of {snapshot.scenario_id} no longer loads: {first}")
        _parsed[attempt.scenario_hash] = scenario
    return _parsed[attempt.scenario_hash]
