"""Grade return (LTI AGS): a trainee's grade for a linked assignment goes to the LMS's line item.

When an attempt at an assignment completes, or a supervisor's review changes a score in a
completed one, the trainee's grade for the assignment is worked out again: the best effective
score of their completed attempts, exactly as the gradebook's `best_overall`
(simulator.courses.gradebook). For every LMS placement (LtiLink) of that assignment with a
line item, and a trainee the LMS knows (LtiIdentity on that platform), the score owed is
written to LtiGradeSync in the same transaction, and the "lti-grades" sender posts it after
commit (simulator.delivery). A failed post is retried with back-off; after MAX_TRIES it stops
and waits for a supervisor's "Retry now" or `simulator lti sync-grades`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app
from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from simulator.courses import gradebook
from simulator.db import get_engine
from simulator.delivery import next_try_after, register_sender, request_delivery
from simulator.library import shipped_library
from simulator.lti.service_token import SCOPE_SCORE, ServiceError, service_request
from simulator.models import (
    Assignment,
    Attempt,
    LtiGradeSync,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
    User,
    utcnow,
)
from simulator.practice.events import PracticeEvent, add_listener
from simulator.practice.progress import default_rubric
from simulator.rubric import Rubric

SENDER = "lti-grades"
MAX_TRIES = 8
CLAIM_SECONDS = 120  # a claimed row is left alone this long (two 10 s calls fit many times)
BATCH = 200
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
CLAIMED = "claimed_until"  # detail key: a worker is posting this row until then
SAME = 1e-9
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Listen to practice events and make the "lti-grades" sender runnable."""
    add_listener(app.extensions, on_practice_event)
    register_sender(app, SENDER, lambda app: send_due(app).sent)


def assignment_grade(*, session: Session, trainee_id: int, assignment: Assignment,
                     rubric: Rubric) -> float | None:
    """The trainee's grade for the assignment, 0..1: the gradebook's best_overall, or None."""
    cohort_id = assignment.cohort_id or assignment.within_cohort_id
    trainee = session.get(User, trainee_id)
    if cohort_id is None or trainee is None:
        return None
    # The gradebook's own steps: the same attempts (seen through the cohort), the same
    # reviews applied, the same best-attempt rule.
    return gradebook.best_overall_for(session=session, cohort_id=cohort_id, trainee=trainee,
                                      assignment=assignment, rubric=rubric)


def on_practice_event(session: Session, event: PracticeEvent) -> None:
    """A completion, or a review in a completed attempt: owe the LMS the trainee's new grade."""
    if event.kind not in ("completed", "reviewed"):
        return
    attempt = session.get(Attempt, event.attempt_id)
    if attempt is None or attempt.assignment_id is None or attempt.trainee_id is None:
        return
    if attempt.status != "completed":  # a review in an unfinished attempt changes no grade
        return
    links = session.exec(select(LtiLink).where(
        LtiLink.assignment_id == attempt.assignment_id,
        col(LtiLink.lineitem_url).is_not(None))).all()
    for link in links:
        queue_grade(session=session, link=link, user_id=attempt.trainee_id,
                    attempt_id=attempt.id)


def queue_grade(*, session: Session, link: LtiLink, user_id: int, attempt_id: str | None = None,
                again: bool = False) -> str:
    """Owe `link`'s line item the user's current grade (not committed); say what happened.

    Returns "queued", "unchanged" (that score is already owed or sent), "no-account" (the LMS
    has not told us who they are there) or "nothing" (no scored, completed attempt). `again`
    queues even an unchanged score, due now, with its tries reset (a supervisor's retry).
    """
    if _subject(session, link.platform_id, user_id) is None:
        return "no-account"
    assignment = session.get(Assignment, link.assignment_id) if link.assignment_id else None
    rubric = default_rubric(shipped_library(current_app))
    if assignment is None or rubric is None:
        return "nothing"
    score = assignment_grade(session=session, trainee_id=user_id, assignment=assignment,
                             rubric=rubric)
    if score is None:
        return "nothing"
    owed = session.exec(select(LtiGradeSync).where(
        LtiGradeSync.link_id == link.id, LtiGradeSync.user_id == user_id)).first()
    if owed is not None and not again and abs(owed.score - score) < SAME:
        return "unchanged"
    _upsert(session, link.id, user_id, score, attempt_id or (owed.attempt_id if owed else None))
    if owed is not None:
        session.expire(owed)
    request_delivery(session, SENDER)
    return "queued"


def _subject(session: Session, platform_id: int, user_id: int) -> str | None:
    """The user's id in that LMS (`sub`), the newest if they have several."""
    return session.exec(select(LtiIdentity.subject).where(
        LtiIdentity.platform_id == platform_id, LtiIdentity.user_id == user_id)
        .order_by(col(LtiIdentity.id).desc())).first()


def _upsert(session: Session, link_id: int, user_id: int, score: float,
            attempt_id: str | None) -> None:
    """Insert or replace the owed score in one statement, so two requests never collide."""
    now = utcnow()
    values = dict(link_id=link_id, user_id=user_id, attempt_id=attempt_id, score=score,
                  status="pending", tries=0, next_try_at=now, updated_at=now, detail={})
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LtiGradeSync).values(**values)
    changed = {k: v for k, v in values.items() if k not in ("link_id", "user_id")}
    session.execute(statement.on_conflict_do_update(
        index_elements=["link_id", "user_id"], set_=changed))


@dataclass(frozen=True)
class SendCounts:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send_due(app: Flask, *, everything: bool = False, now: datetime | None = None) -> SendCounts:
    """Post every due score; `everything` also those waiting for a later retry (the CLI).

    Each row is claimed by a compare-and-set on its next try time, so no two workers post one
    score at once; a claimed row is marked as such until CLAIM_SECONDS have passed.
    """
    sent = retrying = failed = 0
    with Session(get_engine(app), expire_on_commit=False) as session:
        now = now or utcnow()
        query = select(LtiGradeSync.id, LtiGradeSync.next_try_at, LtiGradeSync.detail).where(
            LtiGradeSync.status == "pending")
        if not everything:
            query = query.where(or_(col(LtiGradeSync.next_try_at).is_(None),
                                    col(LtiGradeSync.next_try_at) <= now))
        due = session.exec(query.order_by(col(LtiGradeSync.next_try_at)).limit(BATCH)).all()
        session.commit()
        for row_id, seen, detail in due:
            if _in_flight(detail, now) or not _claim(session, row_id, seen, now):
                continue  # another worker has it, or it changed
            outcome = _deliver(app, session, row_id)
            sent += outcome == "sent"
            retrying += outcome == "pending"
            failed += outcome == "failed"
    return SendCounts(sent, retrying, failed)


def _in_flight(detail: dict | None, now: datetime) -> bool:
    """Claimed by a worker that may still be posting it (the CLI must not post it again)."""
    until = (detail or {}).get(CLAIMED)
    return bool(until) and datetime.fromisoformat(until) > now


def requeue_failed(*, session: Session) -> int:
    """Make the scores that gave up due again now, with fresh tries (not committed)."""
    now = utcnow()
    return session.execute(update(LtiGradeSync).where(LtiGradeSync.status == "failed").values(
        status="pending", tries=0, next_try_at=now, updated_at=now)).rowcount


def _claim(session: Session, row_id: int, seen: datetime | None, now: datetime) -> bool:
    """Move the row's next try past the claim window if it is as we read it; one UPDATE wins."""
    until = now + timedelta(seconds=CLAIM_SECONDS)
    claimed = session.execute(update(LtiGradeSync).where(
        LtiGradeSync.id == row_id, LtiGradeSync.status == "pending",
        col(LtiGradeSync.next_try_at).is_not_distinct_from(seen),
    ).values(next_try_at=until, detail={CLAIMED: until.isoformat()}))
    session.commit()
    return claimed.rowcount == 1


def _deliver(app: Flask, session: Session, row_id: int) -> str:
    """Post one claimed row's score and record the outcome; returns the row's new status."""
    row = session.get(LtiGradeSync, row_id, populate_existing=True)
    link = session.get(LtiLink, row.link_id) if row is not None else None
    if link is None:  # removed with its platform or placement since it was claimed
        return "gone"
    platform = session.get(LtiPlatform, link.platform_id)
    subject = _subject(session, link.platform_id, row.user_id)
    score, tries = row.score, row.tries
    session.commit()  # no transaction stays open while the LMS answers
    try:
        if not link.lineitem_url or subject is None:
            raise ServiceError("the LMS line item or the trainee's LMS account is gone")
        status = post_score(app, platform, link.lineitem_url, subject, score)
    except ServiceError as error:
        return _record_failure(session, row_id, score, tries + 1, error.reason)
    except Exception as error:  # noqa: BLE001 (our own fault, kept on the row, not raised)
        log.warning("lti-grades: row %s failed with %s", row_id, type(error).__name__)
        return _record_failure(session, row_id, score, tries + 1, type(error).__name__)
    now = utcnow()
    _finish(session, row_id, score, status="sent", sent_at=now, tries=0, next_try_at=None,
            last_error=None, updated_at=now, detail={"http_status": status})
    return "sent"


def _record_failure(session: Session, row_id: int, score: float, tries: int, reason: str) -> str:
    now = utcnow()
    status = "failed" if tries >= MAX_TRIES else "pending"
    _finish(session, row_id, score, status=status, tries=tries, last_error=reason[:200],
            next_try_at=None if status == "failed" else next_try_after(tries, now),
            updated_at=now, detail={})
    log.info("lti-grades: row %s not sent (%s), try %s", row_id, reason, tries)
    return status


def _finish(session: Session, row_id: int, score: float, **values) -> None:
    """Record the outcome unless a newer score replaced the one posted (that one stays due)."""
    session.execute(update(LtiGradeSync).where(
        LtiGradeSync.id == row_id, LtiGradeSync.status == "pending",
        and_(LtiGradeSync.score >= score - SAME, LtiGradeSync.score <= score + SAME),
    ).values(**values))
    session.commit()


def scores_url(lineitem_url: str) -> str:
    """The line item's scores endpoint: `/scores` appended to its path, its query kept."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def score_message(subject: str, score: float, now: datetime | None = None) -> dict:
    """The AGS score for a completed, fully graded attempt: 0..1 posted out of 100."""
    return {"userId": subject, "scoreGiven": round(score * 100, 2), "scoreMaximum": 100,
            "activityProgress": "Completed", "gradingProgress": "FullyGraded",
            "timestamp": (now or utcnow()).isoformat(timespec="milliseconds")}


def post_score(app: Flask, platform: LtiPlatform, lineitem_url: str, subject: str,
               score: float) -> int:
    """POST one score to the line item; returns the HTTP status (ServiceError otherwise)."""
    body = json.dumps(score_message(subject, score)).encode("utf-8")
    response = service_request(app, platform, (SCOPE_SCORE,), "POST", scores_url(lineitem_url),
                               data=body, content_type=SCORE_TYPE)
    return response.status_code


@dataclass(frozen=True)
class GradeStatus:
    """Where one trainee's grade for one LMS placement stands, as a supervisor sees it.

    state: sent | waiting (due, or to be retried at `at`) | failed (gave up) | unsent (no
    score owed yet) | no-account (the LMS has not told us who the trainee is there).
    """

    link_id: int
    user_id: int
    state: str
    at: datetime | None = None  # sent_at, or the next try
    reason: str | None = None  # the last failure, short
    score: float | None = None

    @property
    def retryable(self) -> bool:
        return self.state in ("failed", "unsent") or (self.state == "waiting" and bool(self.reason))


def grade_statuses(*, session: Session, assignment_ids: list[int], user_ids: list[int],
                   link_id: int | None = None) -> dict[tuple[int, int], list[GradeStatus]]:
    """(user id, assignment id) -> the status per LMS placement with a line item (3 queries)."""
    query = select(LtiLink).where(col(LtiLink.assignment_id).in_(assignment_ids or [-1]),
                                  col(LtiLink.lineitem_url).is_not(None))
    links = session.exec(query if link_id is None else query.where(LtiLink.id == link_id)).all()
    if not links or not user_ids:
        return {}
    rows = {(r.link_id, r.user_id): r for r in session.exec(select(LtiGradeSync).where(
        col(LtiGradeSync.link_id).in_([link.id for link in links]),
        col(LtiGradeSync.user_id).in_(user_ids)).execution_options(populate_existing=True))}
    known = set(session.exec(select(LtiIdentity.platform_id, LtiIdentity.user_id).where(
        col(LtiIdentity.platform_id).in_({link.platform_id for link in links}),
        col(LtiIdentity.user_id).in_(user_ids))).all())
    statuses: dict[tuple[int, int], list[GradeStatus]] = {}
    for link in sorted(links, key=lambda found: found.id):
        for user_id in user_ids:
            status = _status(link, user_id, rows.get((link.id, user_id)),
                             (link.platform_id, user_id) in known)
            statuses.setdefault((user_id, link.assignment_id), []).append(status)
    return statuses


def _status(link: LtiLink, user_id: int, row: LtiGradeSync | None, known: bool) -> GradeStatus:
    if row is None:
        return GradeStatus(link.id, user_id, "unsent" if known else "no-account")
    if row.status == "sent":
        return GradeStatus(link.id, user_id, "sent", row.sent_at, None, row.score)
    if row.status == "failed":
        return GradeStatus(link.id, user_id, "failed", None, row.last_error, row.score)
    return GradeStatus(link.id, user_id, "waiting", row.next_try_at, row.last_error, row.score)
