"""A roster is applied to a cohort once: confirming the same rows again (a double click, two
tabs, a retried request) finds it applied instead of creating anyone twice.

The database decides, on SQLite and PostgreSQL alike: the first confirm inserts the roster's
digest under a unique constraint before it writes anything else, and any other confirm of the
same rows waits for that transaction and then fails the same insert.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from simulator.courses.roster import RosterPreview
from simulator.models import Cohort, RosterImport


def roster_digest(cohort_id: int, preview: RosterPreview) -> str:
    """A fingerprint of what applying the preview to the cohort would do."""
    rows = [[row.email, row.name, row.role] for row in preview.rows]
    text = json.dumps([cohort_id, preview.invite, rows], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def claim_roster(*, session: Session, cohort: Cohort, preview: RosterPreview,
                 actor_id: int | None) -> bool:
    """Record the roster as applied (not committed); False when it already was.

    Call it before any other write of the transaction: on False the session is rolled back.
    """
    session.add(RosterImport(cohort_id=cohort.id, digest=roster_digest(cohort.id, preview),
                             imported_by=actor_id))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def applied_at(*, session: Session, cohort: Cohort, preview: RosterPreview) -> datetime | None:
    """When this roster was applied to the cohort, if it was."""
    digest = roster_digest(cohort.id, preview)
    return session.exec(select(RosterImport.created_at).where(
        RosterImport.cohort_id == cohort.id, RosterImport.digest == digest)).first()
