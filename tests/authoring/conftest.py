"""Helpers for the authoring tests: an authored scenario saved (and published) as the app does."""

from __future__ import annotations

from pathlib import Path

from simulator.authoring import store
from simulator.authoring.drafts import with_id
from simulator.library import shipped_library
from simulator.models import AuthoredScenario, ScenarioVersion, User
from tests.supervisor.conftest import course  # noqa: F401  (the two-cohort course fixture)

SHIPPED = "you-started-late-again"


def shipped_text(app, scenario_id: str = SHIPPED) -> str:
    """The YAML text of a shipped scenario file."""
    return Path(shipped_library(app).scenarios[scenario_id].path).read_text(encoding="utf-8")


def copy_text(app, new_id: str, scenario_id: str = SHIPPED) -> str:
    """A shipped scenario's text under its own id: a valid draft."""
    return with_id(shipped_text(app, scenario_id), new_id)


def save_draft(app, session, owner: User, text: str, message: str = "draft"
               ) -> tuple[AuthoredScenario, ScenarioVersion]:
    """Save text as the owner's next version (committed), as the editor does."""
    library = shipped_library(app)
    saved = store.save(session, text=text, user_id=owner.id, is_admin=owner.role == "admin",
                       message=message, rubrics=library.rubrics,
                       reserved=set(library.scenarios))
    session.commit()
    return saved.authored, saved.version


def publish_to(session, owner: User, authored: AuthoredScenario, version: ScenarioVersion,
               *cohorts, everyone: bool = False) -> None:
    """Publish this version to these cohorts (committed)."""
    ids = [c.id for c in cohorts]
    store.publish(session, authored, version, cohort_ids=ids, everyone=everyone,
                  actor_id=owner.id, allowed_cohorts=ids, is_admin=owner.role == "admin")
    session.commit()
