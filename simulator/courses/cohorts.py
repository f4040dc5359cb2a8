"""Cohorts (course sections) and their members. Keyword-only data functions; nothing commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from simulator.models import Cohort, CohortMember, User
from simulator.users import find_user, normalise_email

MAX_NAME_LENGTH = 120
MAX_DESCRIPTION_LENGTH = 2000

# Which account roles may hold each role in a cohort. Admins can supervise a cohort, but
# nobody is quietly demoted or promoted by being listed under another role.
ACCOUNT_ROLES_FOR = {
    "trainee": frozenset({"trainee"}),
    "supervisor": frozenset({"supervisor", "admin"}),
}


class CohortError(ValueError):
    """A cohort could not be created or changed; the message says why, for the user."""


@dataclass(frozen=True)
class Member:
    """One person in a cohort and the role they hold there."""

    user: User
    role: str
    added_at: datetime


@dataclass(frozen=True)
class CohortSummary:
    """A cohort with its head counts, for lists."""

    cohort: Cohort
    trainees: int
    supervisors: int


def role_fits(cohort_role: str, account_role: str) -> bool:
    """True when an account with `account_role` may hold `cohort_role` in a cohort."""
    return account_role in ACCOUNT_ROLES_FOR.get(cohort_role, frozenset())


def _check_name(session: Session, name: str) -> str:
    name = name.strip()
    if not name:
        raise CohortError("A cohort needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise CohortError(f"Cohort names can be at most {MAX_NAME_LENGTH} characters.")
    if name.isdigit():
        # Commands accept a cohort's id or its name; an all-digit name would read as an id.
        raise CohortError("A cohort name cannot be only digits.")
    taken = select(Cohort).where(func.lower(Cohort.name) == name.lower())
    if session.exec(taken).first() is not None:
        raise CohortError(f"A cohort named '{name}' already exists.")
    return name


def _supervisors(session: Session, emails: Iterable[str]) -> list[User]:
    """The accounts behind `emails`; every unknown or unsuitable one is named in one error."""
    found, problems = [], []
    for email in dict.fromkeys(normalise_email(e) for e in emails):
        user = find_user(session=session, email=email)
        if user is None:
            problems.append(f"No account has the email {email}.")
        elif not role_fits("supervisor", user.role):
            problems.append(f"{email} is a {user.role}; only supervisors and admins can supervise.")
        else:
            found.append(user)
    if problems:
        raise CohortError(" ".join(problems))
    return found


def create_cohort(
    *, session: Session, name: str, description: str = "", supervisor_emails: Iterable[str] = (),
) -> Cohort:
    """Add a cohort and its supervisors (not committed); CohortError names each problem."""
    name = _check_name(session, name)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise CohortError(f"Descriptions can be at most {MAX_DESCRIPTION_LENGTH} characters.")
    supervisors = _supervisors(session, supervisor_emails)
    cohort = Cohort(name=name, description=description.strip())
    session.add(cohort)
    session.flush()
    for user in supervisors:
        add_member(session=session, cohort=cohort, user=user, role="supervisor")
    return cohort


def find_cohort(*, session: Session, ref: str) -> Cohort | None:
    """The cohort whose id or name is `ref`, if any."""
    ref = ref.strip()
    if ref.isdigit():
        cohort = session.get(Cohort, int(ref))
        if cohort is not None:
            return cohort
    return session.exec(select(Cohort).where(Cohort.name == ref)).first()


def add_member(*, session: Session, cohort: Cohort, user: User, role: str) -> CohortMember:
    """Put `user` in `cohort` with `role` (not committed); adding again changes nothing else."""
    if role not in ACCOUNT_ROLES_FOR:
        raise CohortError(f"Unknown cohort role '{role}' (known: {', '.join(ACCOUNT_ROLES_FOR)}).")
    if not role_fits(role, user.role):
        raise CohortError(
            f"{user.email} has the account role {user.role} and cannot join a cohort as {role}."
        )
    if cohort.id is None or user.id is None:
        session.flush()
    member = session.get(CohortMember, (cohort.id, user.id))
    if member is None:
        member = CohortMember(cohort_id=cohort.id, user_id=user.id, role=role)
    member.role = role
    session.add(member)
    return member


def cohorts_supervised_by(*, session: Session, user_id: int) -> list[Cohort]:
    """The cohorts this user supervises, by name."""
    query = (
        select(Cohort).join(CohortMember, col(CohortMember.cohort_id) == col(Cohort.id))
        .where(CohortMember.user_id == user_id, CohortMember.role == "supervisor")
        .order_by(Cohort.name)
    )
    return list(session.exec(query).all())


def members(*, session: Session, cohort_id: int, role: str | None = None) -> list[Member]:
    """The cohort's members, supervisors first, then by name."""
    query = (
        select(CohortMember, User).join(User, col(User.id) == col(CohortMember.user_id))
        .where(CohortMember.cohort_id == cohort_id)
        .order_by(col(CohortMember.role), col(User.name), col(User.email))
    )
    if role is not None:
        query = query.where(CohortMember.role == role)
    return [Member(user=user, role=m.role, added_at=m.added_at) for m, user in session.exec(query)]


def list_cohorts(*, session: Session) -> list[CohortSummary]:
    """Every cohort by name, with how many trainees and supervisors it has."""
    counts = session.exec(
        select(CohortMember.cohort_id, CohortMember.role, func.count())
        .group_by(CohortMember.cohort_id, CohortMember.role)
    ).all()
    tally = {(cohort_id, role): n for cohort_id, role, n in counts}
    return [
        CohortSummary(cohort, tally.get((cohort.id, "trainee"), 0),
                      tally.get((cohort.id, "supervisor"), 0))
        for cohort in session.exec(select(Cohort).order_by(Cohort.name)).all()
    ]
