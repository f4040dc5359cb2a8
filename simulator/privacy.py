"""A person's data: everything stored about them as JSON, and deleting their account.

Keyword-only data functions on a database session; nothing here commits or touches a request.
The policy these functions implement is written down in docs/privacy.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from simulator.audit import record
from simulator.courses.reviews import history_for
from simulator.models import (
    Assignment,
    Attempt,
    AttemptShare,
    AuditEvent,
    AuthoredScenario,
    Cohort,
    CohortInvitation,
    CohortMember,
    Review,
    RosterImport,
    ScenarioSnapshot,
    ScenarioVersion,
    SetPasswordToken,
    Turn,
    User,
    XapiOutbox,
    utcnow,
)

EXPORT_FORMAT = "holding-space-personal-data"
EXPORT_VERSION = 1


class AccountDeletionRefused(ValueError):
    """The account cannot be deleted; the message says why and what to do instead."""


@dataclass(frozen=True)
class DeletionSummary:
    """What deleting an account removed, in counts only (it is recorded in the audit log)."""

    user_id: int
    attempts: int
    turns: int
    reviews_of_their_turns: int


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_user_data(*, session: Session, user: User) -> dict[str, Any]:
    """Everything stored about `user`, JSON-ready; never password hashes, tokens or others' data."""
    attempts = list(session.exec(select(Attempt).where(Attempt.trainee_id == user.id)
                                 .order_by(col(Attempt.started_at))).all())
    turns = _turns_by_attempt(session, [a.id for a in attempts])
    reviews = history_for(session=session, turn_ids=[t.id for ts in turns.values() for t in ts])
    titles = _titles(session, {a.scenario_hash for a in attempts})
    shares = _shares(session, [a.id for a in attempts])
    return {
        "format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": _when(utcnow()),
        "account": {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
                    "active": user.active, "created_at": _when(user.created_at)},
        "cohorts": _cohorts(session, user),
        "invitations": _invitations(session, user),
        "attempts": [{**_attempt(a, titles, turns.get(a.id, []), reviews),
                      "shared_with_cohorts": shares.get(a.id, [])} for a in attempts],
        "reviews_written": _reviews_written(session, user),
        "activity": _activity(session, user),
        "xapi_statements": _xapi_statements(session, user),
        "scenario_versions_written": _versions_written(session, user),
    }


def _versions_written(session: Session, user: User) -> list[dict]:
    """Scenario versions this person saved in the editor or uploaded, with their text."""
    rows = session.exec(select(AuthoredScenario.scenario_id, ScenarioVersion)
                        .join(ScenarioVersion, ScenarioVersion.authored_id == AuthoredScenario.id)
                        .where(ScenarioVersion.author_id == user.id)
                        .order_by(col(ScenarioVersion.created_at))).all()
    return [{"scenario": scenario_id, "version": v.number, "saved_at": _when(v.created_at),
             "message": v.message, "valid": v.valid, "text": v.source_text}
            for scenario_id, v in rows]


def _turns_by_attempt(session: Session, attempt_ids: list[str]) -> dict[str, list[Turn]]:
    grouped: dict[str, list[Turn]] = defaultdict(list)
    if attempt_ids:
        rows = session.exec(select(Turn).where(col(Turn.attempt_id).in_(attempt_ids))
                            .order_by(col(Turn.attempt_id), col(Turn.index))).all()
        for turn in rows:
            grouped[turn.attempt_id].append(turn)
    return grouped


def _titles(session: Session, hashes: set[str]) -> dict[str, str]:
    if not hashes:
        return {}
    rows = session.exec(select(ScenarioSnapshot.content_hash, ScenarioSnapshot.title)
                        .where(col(ScenarioSnapshot.content_hash).in_(sorted(hashes)))).all()
    return dict(rows)


def _cohorts(session: Session, user: User) -> list[dict]:
    rows = session.exec(
        select(CohortMember, Cohort).join(Cohort, col(Cohort.id) == col(CohortMember.cohort_id))
        .where(CohortMember.user_id == user.id).order_by(col(Cohort.name))).all()
    return [{"id": cohort.id, "name": cohort.name, "role": member.role,
             "added_at": _when(member.added_at)} for member, cohort in rows]


def _invitations(session: Session, user: User) -> list[dict]:
    rows = session.exec(
        select(CohortInvitation, Cohort).join(Cohort, col(Cohort.id) == col(
            CohortInvitation.cohort_id))
        .where(CohortInvitation.user_id == user.id).order_by(col(CohortInvitation.created_at))
    ).all()
    # The inviter is someone else's data: only which cohort, and what became of it.
    return [{"cohort": cohort.name, "status": invitation.status,
             "invited_at": _when(invitation.created_at),
             "answered_at": _when(invitation.answered_at)} for invitation, cohort in rows]


def _shares(session: Session, attempt_ids: list[str]) -> dict[str, list[str]]:
    """Per attempt, the names of the cohorts it is shared with."""
    grouped: dict[str, list[str]] = defaultdict(list)
    if attempt_ids:
        rows = session.exec(
            select(AttemptShare.attempt_id, Cohort.name)
            .join(Cohort, col(Cohort.id) == col(AttemptShare.cohort_id))
            .where(col(AttemptShare.attempt_id).in_(attempt_ids)).order_by(col(Cohort.name)))
        for attempt_id, name in rows:
            grouped[attempt_id].append(name)
    return grouped


def _attempt(attempt: Attempt, titles: dict[str, str], turns: list[Turn],
             reviews: dict[int, list[Review]]) -> dict:
    return {
        "id": attempt.id, "scenario_id": attempt.scenario_id,
        "scenario_title": titles.get(attempt.scenario_hash),
        "scenario_version": attempt.scenario_hash, "assignment_id": attempt.assignment_id,
        "mode": attempt.mode, "status": attempt.status, "outcome": attempt.outcome,
        "started_at": _when(attempt.started_at), "finished_at": _when(attempt.finished_at),
        "reflection": attempt.reflection, "reflection_shared": attempt.reflection_shared,
        "turns": [_turn(t, reviews.get(t.id, [])) for t in turns],
    }


def _turn(turn: Turn, reviews: list[Review]) -> dict:
    return {
        "index": turn.index, "node_id": turn.node_id, "client_line": turn.client_line,
        "response": turn.response_text, "choice_index": turn.choice_index,
        "notice": turn.notice, "scores": turn.scores, "overall": turn.overall,
        "confidence": turn.confidence, "superseded": turn.superseded,
        "created_at": _when(turn.created_at),
        # Who reviewed is the supervisor's data, not the trainee's: only what they decided.
        "supervisor_reviews": [_review(r) for r in reviews],
    }


def _review(review: Review) -> dict:
    return {"criterion": review.criterion, "old_level": review.old_level,
            "new_level": review.new_level, "comment": review.comment, "blind": review.blind,
            "created_at": _when(review.created_at)}


def _reviews_written(session: Session, user: User) -> list[dict]:
    rows = session.exec(select(Review).where(Review.reviewer_id == user.id)
                        .order_by(col(Review.created_at), col(Review.id))).all()
    # The reviewed trainee's words are theirs: a reviewer's export names the turn, not its text.
    return [{"turn_id": r.turn_id, **_review(r)} for r in rows]


def _activity(session: Session, user: User) -> list[dict]:
    rows = session.exec(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                        .order_by(col(AuditEvent.at), col(AuditEvent.id))).all()
    return [{"at": _when(e.at), "action": e.action, "object_type": e.object_type,
             "object_id": e.object_id, "detail": e.detail} for e in rows]


def _xapi_statements(session: Session, user: User) -> list[dict]:
    """Statements about the user for a learning record store: queued, sent or refused."""
    rows = session.exec(select(XapiOutbox).where(XapiOutbox.user_id == user.id)
                        .order_by(col(XapiOutbox.id))).all()
    return [{"status": r.status, "created_at": _when(r.created_at), "sent_at": _when(r.sent_at),
             "statement": r.statement} for r in rows]


def _is_last_admin(session: Session, user: User) -> bool:
    if user.role != "admin":
        return False
    others = session.exec(select(func.count()).select_from(User).where(
        User.role == "admin", col(User.active).is_(True), User.id != user.id)).one()
    return others == 0


def delete_account(*, session: Session, user: User, actor_id: int | None) -> DeletionSummary:
    """Remove the user, their attempts, turns, reflections and the reviews of them (not committed).

    Reviews the user wrote on other people's turns stay with the reviewer set to null; audit
    events stay with ids only. Raises AccountDeletionRefused for the last active admin.
    """
    if _is_last_admin(session, user):
        raise AccountDeletionRefused(
            "This is the only active admin account. Make another account an admin first.")
    user_id = user.id
    attempt_ids = list(session.exec(select(Attempt.id).where(Attempt.trainee_id == user_id)))
    turn_ids = list(session.exec(select(Turn.id).where(col(Turn.attempt_id).in_(
        attempt_ids or ["-"]))))
    reviews = _delete(session, Review, col(Review.turn_id).in_(turn_ids or [-1]))
    _delete(session, AttemptShare, col(AttemptShare.attempt_id).in_(attempt_ids or ["-"]))
    turns = _delete(session, Turn, col(Turn.id).in_(turn_ids or [-1]))
    attempts = _delete(session, Attempt, col(Attempt.id).in_(attempt_ids or ["-"]))
    _forget_user(session, user_id)
    session.delete(user)
    session.flush()
    # The user row is gone, so the event names them by id only (object_id is not a foreign key).
    by_self = actor_id == user_id
    record(session, actor_id=None if by_self else actor_id, action="account.delete",
           object_type="user", object_id=str(user_id), by_self=by_self,
           attempts=attempts, turns=turns, reviews=reviews)
    return DeletionSummary(user_id, attempts, turns, reviews)


def _delete(session: Session, model, condition) -> int:
    return session.exec(delete(model).where(condition)).rowcount or 0


def _forget_user(session: Session, user_id: int) -> None:
    """Detach everything that outlives the account, without relying on database cascades."""
    for model, column in ((Review, Review.reviewer_id), (Assignment, Assignment.created_by),
                          (ScenarioSnapshot, ScenarioSnapshot.uploaded_by),
                          (AuthoredScenario, AuthoredScenario.owner_id),
                          (ScenarioVersion, ScenarioVersion.author_id),
                          (AuditEvent, AuditEvent.actor_id),
                          (CohortInvitation, CohortInvitation.invited_by),
                          (RosterImport, RosterImport.imported_by)):
        session.exec(update(model).where(col(column) == user_id).values({column.key: None}))
    session.exec(delete(Assignment).where(col(Assignment.trainee_id) == user_id))
    session.exec(delete(CohortMember).where(col(CohortMember.user_id) == user_id))
    session.exec(delete(CohortInvitation).where(col(CohortInvitation.user_id) == user_id))
    session.exec(delete(SetPasswordToken).where(col(SetPasswordToken.user_id) == user_id))
    session.exec(delete(XapiOutbox).where(col(XapiOutbox.user_id) == user_id))  # their words
