"""The practice-event listener: each event's xAPI statements, queued in the event's transaction.

Rows are added to the session that stored the turn, rewind, start or review, so they commit or
roll back with it; the sender runs after commit (simulator.delivery). Nothing here flushes
before its rows are added (except for a review, whose id names its statement): a start at an
assignment's slot must meet its unique index at the caller's own flush, where it is handled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from simulator.delivery import request_delivery
from simulator.library import shipped_library
from simulator.models import (
    Assignment,
    Attempt,
    Cohort,
    CohortMember,
    Review,
    Turn,
    User,
    XapiOutbox,
    utcnow,
)
from simulator.practice.effective import effective_turns
from simulator.practice.events import PracticeEvent
from simulator.practice.feedback import feedback_for
from simulator.practice.progress import attempt_score
from simulator.practice.snapshots import SnapshotUnreadable, scenario_for
from simulator.scenarios.model import ClientNode
from simulator.xapi import statements
from simulator.xapi.statements import Played, Site

log = logging.getLogger(__name__)
SENDER = "xapi"
WARNED = "simulator.xapi.warned_no_base"  # app.extensions key: the missing base was logged
Queued = list[tuple[int, str, dict]]  # (user id, verb, statement)


def listener(app: Flask) -> Callable[[Session, PracticeEvent], None]:
    """The listener the app factory registers when an LRS is configured."""
    return lambda session, event: queue_event(app, session, event)


def site_of(app: Flask) -> Site | None:
    """BASE_URL, else the request's own address; None outside a request without BASE_URL."""
    base = app.config.get("BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    if not base:
        return None
    return Site(str(base).rstrip("/"), with_text=enabled(app.config.get("XAPI_RESPONSE_TEXT")))


def enabled(value: object) -> bool:
    """A yes/no setting: false, 0, no and off (any case) are no, as SIMULATOR_* env text too."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off", "")
    return bool(value)


def queue_event(app: Flask, session: Session, event: PracticeEvent) -> None:
    """Add the statements `event` makes to `session` and ask for delivery after commit."""
    site = site_of(app)
    if site is None:
        if not app.extensions.get(WARNED):
            app.extensions[WARNED] = True
            log.warning("xAPI statements are not queued outside a request while "
                        "SIMULATOR_BASE_URL is unset (their ids need the site's address)")
        return
    if event.kind == "reviewed":
        session.flush()  # the review's id names its statement
    with session.no_autoflush:
        try:
            played = _played(session, app, event.attempt_id)
            queued = BUILDERS[event.kind](session, site, played, event) if played else []
        except SQLAlchemyError:
            raise  # the transaction itself failed: the caller's answer cannot stand either
        except Exception:  # a reporting bug must not cost the trainee their answer
            log.exception("xAPI statements for a %s event could not be built; none were "
                          "queued", event.kind)
            return
        if queued and _add(session, played.attempt.id, queued):
            request_delivery(session, SENDER)


def _played(session: Session, app: Flask, attempt_id: str) -> Played | None:
    attempt = _attempt(session, attempt_id)
    if attempt is None or attempt.trainee_id is None:
        return None
    trainee = session.get(User, attempt.trainee_id)
    try:
        scenario = scenario_for(session=session, attempt=attempt, library=shipped_library(app))
    except SnapshotUnreadable as error:
        log.warning("xAPI statements for an attempt skipped: %s", error)
        return None
    return Played(attempt, trainee, scenario, _cohorts(session, attempt))


def _attempt(session: Session, attempt_id: str) -> Attempt | None:
    """The attempt, also when it was just added and not yet flushed (a launch)."""
    for pending in session.new:
        if isinstance(pending, Attempt) and pending.id == attempt_id:
            return pending
    return session.get(Attempt, attempt_id)


def _cohorts(session: Session, attempt: Attempt) -> tuple[tuple[int, str], ...]:
    """The assignment's cohort, else every cohort the trainee belongs to as a trainee."""
    assignment = session.get(Assignment, attempt.assignment_id) if attempt.assignment_id else None
    cohort_id = assignment and (assignment.cohort_id or assignment.within_cohort_id)
    cohort = session.get(Cohort, cohort_id) if cohort_id else None
    if cohort is not None:
        return ((cohort.id, cohort.name),)
    rows = session.exec(
        select(Cohort.id, Cohort.name).join(CohortMember, col(CohortMember.cohort_id) == col(
            Cohort.id)).where(CohortMember.user_id == attempt.trainee_id,
                              CohortMember.role == "trainee").order_by(col(Cohort.id)))
    return tuple((cohort_id, name) for cohort_id, name in rows)


def _launched(_session: Session, site: Site, played: Played, _event: PracticeEvent) -> Queued:
    return [(played.trainee.id, "launched", statements.launched(site, played))]


def _responded(session: Session, site: Site, played: Played, event: PracticeEvent) -> Queued:
    turn = session.get(Turn, event.turn_id)
    node = played.scenario.nodes.get(turn.node_id)
    feedback = None
    if played.attempt.mode == "practice" and isinstance(node, ClientNode):  # as the page shows
        feedback = feedback_for(played.scenario, node, turn.scores, turn.response_text)
    queued = []
    notice = statements.noticed(site, played, turn)
    if notice is not None:
        queued.append((played.trainee.id, "noticed", notice))
    queued.append((played.trainee.id, "responded",
                   statements.responded(site, played, turn, feedback)))
    return queued


def _rewound(session: Session, site: Site, played: Played, event: PracticeEvent) -> Queued:
    turn = session.get(Turn, event.turn_id)
    return [(played.trainee.id, "rewound", statements.rewound(site, played, turn, utcnow()))]


def _completed(session: Session, site: Site, played: Played, _event: PracticeEvent) -> Queued:
    return [(played.trainee.id, "completed",
             statements.completed(site, played, effective_score(session, played)))]


def effective_score(session: Session, played: Played) -> float | None:
    """The attempt's score with supervisors' reviews applied, as the gradebook and export."""
    live = session.exec(select(Turn).where(Turn.attempt_id == played.attempt.id,
                                           col(Turn.superseded).is_(False))
                        .order_by(col(Turn.index))).all()
    return attempt_score(effective_turns(session, live, played.scenario.rubric))


def _reviewed(session: Session, site: Site, played: Played, event: PracticeEvent) -> Queued:
    review: Review = event.review
    supervisor = session.get(User, review.reviewer_id) if review.reviewer_id else None
    turn = session.get(Turn, event.turn_id)
    queued: Queued = []
    if supervisor is not None and review.criterion in played.scenario.rubric.criterion_ids:
        queued.append((supervisor.id, "scored", statements.scored(
            site, played, turn, review, supervisor, played.scenario.rubric)))
    if played.attempt.status == "completed":  # a changed score is a new completion statement
        again = statements.completed(site, played, effective_score(session, played),
                                     review_id=review.id)
        if _scaled(again) != _last_completed_score(session, played.attempt.id):
            queued.append((played.trainee.id, "completed", again))
    return queued


def _scaled(statement: dict | None) -> float | None:
    return ((statement or {}).get("result") or {}).get("score", {}).get("scaled")


def _last_completed_score(session: Session, attempt_id: str) -> float | None:
    """The scaled score of the attempt's newest "completed" statement in the outbox, if any."""
    newest = session.exec(select(XapiOutbox.statement).where(
        XapiOutbox.attempt_id == attempt_id, XapiOutbox.verb == "completed")
        .order_by(col(XapiOutbox.id).desc()).limit(1)).first()
    return _scaled(newest)


BUILDERS = {"launched": _launched, "responded": _responded, "rewound": _rewound,
            "completed": _completed, "reviewed": _reviewed}


def _add(session: Session, attempt_id: str, queued: Queued) -> int:
    """Add rows for statements not queued yet (checked first: a failed insert would spoil the
    caller's transaction); the number added."""
    ids = [statement["id"] for _, _, statement in queued]
    taken = set(session.exec(select(XapiOutbox.statement_id).where(
        col(XapiOutbox.statement_id).in_(ids))))
    taken |= {row.statement_id for row in session.new if isinstance(row, XapiOutbox)}
    added = 0
    for user_id, verb, statement in queued:
        if statement["id"] in taken:
            continue
        taken.add(statement["id"])
        session.add(XapiOutbox(statement_id=statement["id"], user_id=user_id,
                               attempt_id=attempt_id, verb=verb, statement=statement))
        added += 1
    return added
