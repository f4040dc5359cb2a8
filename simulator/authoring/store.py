"""Authored scenarios in the database: saving versions, ownership, publishing, visibility.

The rules (docs/authoring.md, "Writing in the app"):
- every save is a new version, valid or not, so no typed work is lost;
- an id belongs to the first author who saves it; a save or upload of that id by anyone else
  is refused (admins may save new versions of any authored scenario); shipped ids are reserved;
- a draft (never published, or unpublished) is seen only by its owner and admins;
- publishing puts one valid version in front of chosen cohorts (a supervisor: cohorts they
  supervise; an admin: any cohort, or every trainee); unpublishing stops new attempts, while
  attempts already started stay pinned to the version they began on (by content hash).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from simulator.audit import record
from simulator.authoring.drafts import check_text, declared_id, normalise
from simulator.models import (
    AuthoredScenario,
    CohortMember,
    ScenarioAudience,
    ScenarioVersion,
    utcnow,
)
from simulator.rubric import Rubric
from simulator.scenarios.library import Checked
from simulator.scenarios.problems import Problem
from simulator.scenarios.schema import ID_HINT, ID_PATTERN

MAX_ID = 100  # authored_scenario.scenario_id
RACED = ("another save of this scenario (or of a new one with this id) happened at the same "
         "moment; your text is still here: save again")


class Refused(ValueError):
    """The save or publish cannot happen; the message says why and what to do instead."""


@dataclass(frozen=True)
class Saved:
    """A stored version and the check of its text (problems for the author to see)."""

    authored: AuthoredScenario
    version: ScenarioVersion
    checked: Checked

    @property
    def problems(self) -> list[Problem]:
        return self.checked.problems

    @property
    def valid(self) -> bool:
        return self.version.valid


def find(session: Session, scenario_id: str) -> AuthoredScenario | None:
    """The authored scenario with this id, if anyone has saved one."""
    return session.exec(select(AuthoredScenario)
                        .where(AuthoredScenario.scenario_id == scenario_id)).first()


def may_edit(authored: AuthoredScenario, *, user_id: int, is_admin: bool) -> bool:
    """Its owner, or an admin."""
    return is_admin or authored.owner_id == user_id


def owned_by(session: Session, *, user_id: int, is_admin: bool) -> list[AuthoredScenario]:
    """The authored scenarios this user may edit (all of them for an admin), by id."""
    query = select(AuthoredScenario).order_by(col(AuthoredScenario.scenario_id))
    if not is_admin:
        query = query.where(AuthoredScenario.owner_id == user_id)
    return list(session.exec(query).all())


def versions_of(session: Session, authored: AuthoredScenario) -> list[ScenarioVersion]:
    """Every saved version, newest first."""
    return list(session.exec(select(ScenarioVersion)
                             .where(ScenarioVersion.authored_id == authored.id)
                             .order_by(col(ScenarioVersion.number).desc())).all())


def version(session: Session, authored: AuthoredScenario,
            number: int | None = None) -> ScenarioVersion | None:
    """Version `number`, or the newest when number is None."""
    query = select(ScenarioVersion).where(ScenarioVersion.authored_id == authored.id)
    if number is None:
        query = query.order_by(col(ScenarioVersion.number).desc())
    else:
        query = query.where(ScenarioVersion.number == number)
    return session.exec(query).first()


def newest_versions(session: Session, authored: list[AuthoredScenario]
                    ) -> dict[int, ScenarioVersion]:
    """authored id -> its newest version, for a list of scenarios, in one query."""
    newest = (select(ScenarioVersion.authored_id, func.max(ScenarioVersion.number).label("n"))
              .where(col(ScenarioVersion.authored_id).in_([a.id for a in authored]))
              .group_by(col(ScenarioVersion.authored_id)).subquery())
    rows = session.exec(select(ScenarioVersion).join(
        newest, (ScenarioVersion.authored_id == newest.c.authored_id)
        & (ScenarioVersion.number == newest.c.n))).all()
    return {v.authored_id: v for v in rows}


def save(session: Session, *, text: str, user_id: int, is_admin: bool, message: str,
         rubrics: Mapping[str, Rubric], reserved: Collection[str],
         authored: AuthoredScenario | None = None, checked: Checked | None = None) -> Saved:
    """Check the text and store it as the next version (flushed, not committed).

    `authored` None: a new scenario, or a new version of the author's own scenario with the
    id the text declares (an upload). Refused when the id is missing, shipped, someone else's,
    or differs from the scenario being edited. `checked`: this text's check, when the caller
    has already run it (an upload does, to refuse a file with errors before saving anything).
    """
    text = normalise(text)
    if checked is None:
        checked = check_text(text, rubrics=rubrics)
    text_id = declared_id(checked, text)
    if authored is None:
        authored = _target(session, text_id, user_id=user_id, is_admin=is_admin,
                           reserved=reserved)
    elif text_id is not None and text_id != authored.scenario_id:
        raise Refused(f"this text says id '{text_id}', but you are editing "
                      f"'{authored.scenario_id}'; an id cannot change once saved. Put the id "
                      f"back, or start a new scenario from a copy to give it another id.")
    scenario = checked.result
    number = (session.exec(select(func.max(ScenarioVersion.number))
                           .where(ScenarioVersion.authored_id == authored.id)).one() or 0) + 1
    saved_version = ScenarioVersion(
        authored_id=authored.id, number=number, source_text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        valid=scenario is not None, title=(scenario.title if scenario else "")[:200],
        message=message.strip()[:500], author_id=user_id)
    session.add(saved_version)
    session.flush()
    record(session, actor_id=user_id, action="scenario.save", object_type="scenario",
           object_id=authored.scenario_id, version=number, valid=saved_version.valid)
    return Saved(authored, saved_version, checked)


def _target(session: Session, text_id: str | None, *, user_id: int, is_admin: bool,
            reserved: Collection[str]) -> AuthoredScenario:
    if text_id is None:
        raise Refused("give the scenario an `id:` line (lower-case words joined by hyphens) "
                      "before its first save; the id names it in the library")
    if len(text_id) > MAX_ID or not re.fullmatch(ID_PATTERN, text_id):
        raise Refused(f"the id '{text_id[:MAX_ID]}' is not usable: {ID_HINT}, at most {MAX_ID} "
                      "characters; fix the `id:` line and save again")
    if text_id in reserved:
        raise Refused(f"'{text_id}' is a shipped scenario's id; give yours its own id "
                      f"(for example '{text_id}-our-version')")
    existing = find(session, text_id)
    if existing is None:
        existing = AuthoredScenario(scenario_id=text_id, owner_id=user_id)
        session.add(existing)
        session.flush()
        return existing
    if not may_edit(existing, user_id=user_id, is_admin=is_admin):
        raise Refused(f"the id '{text_id}' belongs to a scenario another author wrote; ids "
                      "are unique across the library, so choose another id for yours "
                      "(nothing was saved)")
    return existing


def publish(session: Session, authored: AuthoredScenario, saved: ScenarioVersion, *,
            cohort_ids: Collection[int], everyone: bool, actor_id: int,
            allowed_cohorts: Collection[int], is_admin: bool) -> None:
    """Make this version the one trainees in these cohorts (or everyone) start on."""
    if not saved.valid:
        raise Refused(f"version {saved.number} has errors; fix them and save before publishing")
    if everyone and not is_admin:
        raise Refused("only an admin can publish to every trainee; choose your cohorts")
    outside = set(cohort_ids) - set(allowed_cohorts)
    if outside:
        raise Refused("you can publish only to cohorts you supervise")
    if not cohort_ids and not everyone:
        raise Refused("choose at least one cohort to publish to")
    for audience in session.exec(select(ScenarioAudience)
                                 .where(ScenarioAudience.authored_id == authored.id)).all():
        session.delete(audience)
    session.flush()
    for cohort_id in sorted(set(cohort_ids)):
        session.add(ScenarioAudience(authored_id=authored.id, cohort_id=cohort_id))
    authored.published_version = saved.number
    authored.everyone = everyone
    authored.published_at = utcnow()
    session.add(authored)
    record(session, actor_id=actor_id, action="scenario.publish", object_type="scenario",
           object_id=authored.scenario_id, version=saved.number, everyone=everyone,
           cohorts=sorted(set(cohort_ids)))


def unpublish(session: Session, authored: AuthoredScenario, *, actor_id: int) -> None:
    """No new attempts; attempts already started finish on their pinned version."""
    for audience in session.exec(select(ScenarioAudience)
                                 .where(ScenarioAudience.authored_id == authored.id)).all():
        session.delete(audience)
    was = authored.published_version
    authored.published_version = None
    authored.everyone = False
    authored.published_at = None
    session.add(authored)
    record(session, actor_id=actor_id, action="scenario.unpublish", object_type="scenario",
           object_id=authored.scenario_id, version=was)


def audience_of(session: Session, authored: AuthoredScenario) -> list[int]:
    """The cohort ids the scenario is published to."""
    return list(session.exec(select(ScenarioAudience.cohort_id)
                             .where(ScenarioAudience.authored_id == authored.id)).all())


def published_for(session: Session, *, user_id: int | None,
                  is_admin: bool = False) -> list[tuple[str, str, str]]:
    """(scenario id, content hash, text) of each published version this user may see.

    Admins see every published scenario; anyone else those published to everyone, to a cohort
    they belong to (as trainee or supervisor), or owned by them.
    """
    query = (select(AuthoredScenario.scenario_id, ScenarioVersion.content_hash,
                    ScenarioVersion.source_text)
             .join(ScenarioVersion, (ScenarioVersion.authored_id == AuthoredScenario.id)
                   & (ScenarioVersion.number == AuthoredScenario.published_version)))
    if not is_admin:
        mine = select(ScenarioAudience.authored_id).join(
            CohortMember, CohortMember.cohort_id == ScenarioAudience.cohort_id
        ).where(CohortMember.user_id == user_id)
        query = query.where(or_(col(AuthoredScenario.everyone),
                                AuthoredScenario.owner_id == user_id,
                                col(AuthoredScenario.id).in_(mine)))
    return [tuple(row) for row in session.exec(query.order_by(
        col(AuthoredScenario.scenario_id))).all()]


def published_to_cohort(session: Session, cohort_id: int) -> list[tuple[str, str, str]]:
    """(scenario id, content hash, text) of each published version a cohort's trainees get."""
    query = (select(AuthoredScenario.scenario_id, ScenarioVersion.content_hash,
                    ScenarioVersion.source_text)
             .join(ScenarioVersion, (ScenarioVersion.authored_id == AuthoredScenario.id)
                   & (ScenarioVersion.number == AuthoredScenario.published_version))
             .where(or_(col(AuthoredScenario.everyone), col(AuthoredScenario.id).in_(
                 select(ScenarioAudience.authored_id)
                 .where(ScenarioAudience.cohort_id == cohort_id)))))
    return [tuple(row) for row in session.exec(query.order_by(
        col(AuthoredScenario.scenario_id))).all()]
