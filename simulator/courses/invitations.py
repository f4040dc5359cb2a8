"""Invitations to join a cohort as a trainee. Keyword-only data functions; nothing commits.

A supervisor adds people by invitation: membership starts only when the invitee accepts, so
a cohort never opens anyone's past. Inviting answers the same way whether or not the email
had an account: a link under /join/. For an account that has never had a password (a new
one, made here) the same link also sets the password, and setting it accepts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from simulator.courses.cohorts import role_fits
from simulator.courses.roster import IssuedLink
from simulator.courses.tokens import MAX_TOKEN_LENGTH, TOKEN_BYTES, hash_token, issue_token
from simulator.models import Cohort, CohortInvitation, CohortMember, User, utcnow
from simulator.users import create_user, find_user, normalise_email

ALREADY_ANSWERED = "This invitation has already been answered."
WRONG_ROLE = ("Only trainee accounts can join a cohort by invitation. Ask an administrator "
              "to add you.")


class InvitationError(ValueError):
    """An invitation cannot be answered; the message says why, for the invitee."""


@dataclass(frozen=True)
class InvitationLink(IssuedLink):
    """The link to give one invited person (`…/join/<token>`). The token is a secret."""

    def path(self) -> str:
        return join_path(self.token)


@dataclass(frozen=True)
class Invited:
    """A pending invitation as the inviting cohort's page lists it."""

    invitation: CohortInvitation
    email: str


def join_path(raw: str) -> str:
    """The site-relative path of the page that answers an invitation."""
    return f"/join/{raw}"


def _sets_password(session: Session, user: User, cohort: Cohort) -> bool:
    """Whether this invitation's link may also set the account's first password.

    Only for an active trainee account nobody has ever signed in to (no past to read) that no
    other cohort holds or waits on: otherwise whoever holds this link could choose the password
    of someone another supervisor or an admin already gave a link to, cancel that link, and
    answer their invitations. Such a person sets their password with the link they already
    have, then signs in to accept. Never a supervisor's or an admin's account.
    """
    if user.password_hash is not None or user.role != "trainee" or not user.active:
        return False
    elsewhere = session.exec(select(CohortMember.user_id).where(
        CohortMember.user_id == user.id)).first()
    waiting = session.exec(select(CohortInvitation.id).where(
        CohortInvitation.user_id == user.id, CohortInvitation.cohort_id != cohort.id,
        CohortInvitation.status == "pending")).first()
    return elsewhere is None and waiting is None


def invite(*, session: Session, cohort: Cohort, email: str, name: str,
           invited_by: int | None) -> InvitationLink:
    """Invite `email` into `cohort` as a trainee (not committed), making the account if new.

    Inviting again replaces the earlier link. The caller has checked the email's form.
    """
    email = normalise_email(email)
    user = find_user(session=session, email=email)
    if user is None:
        user = create_user(session=session, email=email, name=name, role="trainee")
        session.flush()
    # The same token opens the invitation and, for an account without a password, sets it.
    raw = (issue_token(session=session, user=user) if _sets_password(session, user, cohort)
           else secrets.token_urlsafe(TOKEN_BYTES))
    shown = name.strip() or email.split("@")[0]
    invitation = session.exec(select(CohortInvitation).where(
        CohortInvitation.cohort_id == cohort.id, CohortInvitation.user_id == user.id)).first()
    if invitation is None:
        invitation = CohortInvitation(cohort_id=cohort.id, user_id=user.id, name=shown,
                                      token_hash="")
    invitation.name, invitation.token_hash = shown, hash_token(raw)
    invitation.status, invitation.invited_by = "pending", invited_by
    invitation.created_at, invitation.answered_at = utcnow(), None
    session.add(invitation)
    return InvitationLink(user.id, email, shown, raw)


def is_member(*, session: Session, cohort: Cohort, email: str) -> bool:
    """True when the account with `email` is already in the cohort (in any role)."""
    user = find_user(session=session, email=email)
    return user is not None and session.get(CohortMember, (cohort.id, user.id)) is not None


def find_invitation(*, session: Session, raw: str) -> CohortInvitation | None:
    """The invitation a link's token opens, if any."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    return session.exec(select(CohortInvitation).where(
        CohortInvitation.token_hash == hash_token(raw))).first()


def _claim(session: Session, invitation: CohortInvitation, status: str) -> None:
    """Move a pending invitation to `status`; a conditional update, so two answers cannot
    both win."""
    now = utcnow()
    claimed = session.exec(
        update(CohortInvitation)
        .where(col(CohortInvitation.id) == invitation.id, CohortInvitation.status == "pending")
        .values(status=status, answered_at=now))
    if claimed.rowcount != 1:
        raise InvitationError(ALREADY_ANSWERED)
    invitation.status, invitation.answered_at = status, now


def accept(*, session: Session, invitation: CohortInvitation, user: User) -> CohortMember:
    """Join the cohort as a trainee from now on (not committed)."""
    if invitation.user_id != user.id:
        raise InvitationError(ALREADY_ANSWERED)  # the view checks first; never say whose it is
    if not role_fits("trainee", user.role):
        raise InvitationError(WRONG_ROLE)
    _claim(session, invitation, "accepted")
    member = session.get(CohortMember, (invitation.cohort_id, user.id))
    if member is None:  # already in the cohort: keep the moment they first joined
        member = CohortMember(cohort_id=invitation.cohort_id, user_id=user.id, role="trainee",
                              added_at=invitation.answered_at)
        session.add(member)
    return member


def decline(*, session: Session, invitation: CohortInvitation, user: User) -> None:
    """Say no to the invitation (not committed); the cohort's supervisors see nothing more."""
    if invitation.user_id != user.id:
        raise InvitationError(ALREADY_ANSWERED)
    _claim(session, invitation, "declined")


def pending_for(*, session: Session, user_id: int) -> list[tuple[CohortInvitation, Cohort]]:
    """The invitations waiting for this person's answer, oldest first, with their cohorts."""
    return [(invitation, cohort) for invitation, cohort in session.exec(
        select(CohortInvitation, Cohort).join(Cohort, col(Cohort.id) == col(
            CohortInvitation.cohort_id))
        .where(CohortInvitation.user_id == user_id, CohortInvitation.status == "pending")
        .order_by(col(CohortInvitation.created_at), col(CohortInvitation.id)))]


def pending_in(*, session: Session, cohort_id: int) -> list[Invited]:
    """The cohort's unanswered invitations, by the name the inviter gave."""
    rows = session.exec(
        select(CohortInvitation, User.email).join(User, col(User.id) == col(
            CohortInvitation.user_id))
        .where(CohortInvitation.cohort_id == cohort_id, CohortInvitation.status == "pending")
        .order_by(col(CohortInvitation.name), col(User.email))).all()
    return [Invited(invitation, email) for invitation, email in rows]
