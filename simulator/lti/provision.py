"""What a launch maps to: the account, the course's cohort and membership, and the placement.

Keyword-only data functions on a database session; nothing commits, nothing touches Flask.

Accounts. An LMS user (`sub`) is linked to one account per platform. On the first launch the
account is found by the LMS's email or created with the LMS's name and email. Without an email
the launch is refused (a made-up address could never receive a set-password link, and would
split the person in two the day the LMS starts sharing emails). Admin accounts are never linked
or created, so an LMS can never sign anyone in as an admin; a supervisor account is linked only
by a launch with a supervising role, and an account already linked to another user of the same
LMS is not linked again. A trainee launched as an instructor becomes a supervisor; nobody is
ever downgraded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from simulator.courses.cohorts import MAX_NAME_LENGTH, add_member, role_fits
from simulator.lti.claims import LaunchClaims
from simulator.lti.errors import ASK_ADMIN, LaunchRefused
from simulator.models import (
    Assignment,
    Cohort,
    CohortMember,
    LtiContext,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
    User,
)
from simulator.users import UserError, create_user, find_user

NO_EMAIL = ("The LMS did not share your email address, and Holding Space needs it to create "
            "your account. The LMS administrator can share the launcher's email with this tool "
            "(Moodle: the tool's Privacy settings, \"Share launcher's email with the tool: "
            "Always\"; Canvas: the developer key's Privacy Level \"Public\").")
NO_ADMINS = ("Administrator accounts cannot be signed in through an LMS. Sign in to Holding "
             "Space directly, or launch with another LMS account.")
SUPERVISOR_AS_LEARNER = ("This email belongs to a supervisor's account in Holding Space, which "
                         "a learner's launch cannot open. Sign in to Holding Space directly.")
TAKEN = ("The Holding Space account with this email is already linked to another user of this "
         "LMS. Ask the administrator of Holding Space.")
SWITCHED_OFF = "Your Holding Space account is switched off. Ask the administrator of Holding Space."


@dataclass(frozen=True)
class Placement:
    """Where a launch lands: who, in which cohort as what, and which assignment."""

    user: User
    created: bool
    context: LtiContext
    cohort: Cohort
    joined_as: str | None  # the cohort role now held, or None when the account cannot hold it
    link: LtiLink | None
    assignment: Assignment | None


def provision(*, session: Session, platform: LtiPlatform, claims: LaunchClaims) -> Placement:
    """Find or create everything the launch names (flushed, not committed)."""
    user, created = account_for(session=session, platform=platform, claims=claims)
    context = context_for(session=session, platform=platform, claims=claims)
    cohort = session.get(Cohort, context.cohort_id)
    joined_as = join(session=session, cohort=cohort, user=user, role=claims.role)
    link = link_for(session=session, platform=platform, context=context, claims=claims)
    assignment = session.get(Assignment, link.assignment_id) \
        if link is not None and link.assignment_id else None
    session.flush()
    return Placement(user, created, context, cohort, joined_as, link, assignment)


def account_for(*, session: Session, platform: LtiPlatform,
                claims: LaunchClaims) -> tuple[User, bool]:
    """The account this LMS user is, linked or created on first launch; promoted if needed."""
    identity = session.exec(select(LtiIdentity).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.subject == claims.subject)).first()
    created = False
    if identity is not None:
        user = session.get(User, identity.user_id)
    else:
        user, created = _first_launch(session, platform, claims)
        session.add(LtiIdentity(platform_id=platform.id, subject=claims.subject,
                                user_id=user.id))
    if user.role == "admin":
        raise LaunchRefused(403, "admin", NO_ADMINS)
    if not user.active:
        raise LaunchRefused(403, "inactive", SWITCHED_OFF)
    if claims.role == "supervisor" and user.role == "trainee":
        user.role = "supervisor"
        session.add(user)
    return user, created


def _first_launch(session: Session, platform: LtiPlatform,
                  claims: LaunchClaims) -> tuple[User, bool]:
    if not claims.email:
        raise LaunchRefused(400, "no-email", NO_EMAIL, ASK_ADMIN)
    user = find_user(session=session, email=claims.email)
    if user is None:
        try:
            user = create_user(session=session, email=claims.email, name=claims.name,
                               role=claims.role)
        except UserError:
            raise LaunchRefused(400, "bad-email", "The email address the LMS sent is not a "
                                "valid address.", ASK_ADMIN) from None
        session.flush()
        return user, True
    if user.role == "admin":
        raise LaunchRefused(403, "admin", NO_ADMINS)
    if user.role == "supervisor" and claims.role != "supervisor":
        raise LaunchRefused(403, "supervisor-as-learner", SUPERVISOR_AS_LEARNER)
    linked = session.exec(select(LtiIdentity.id).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.user_id == user.id)).first()
    if linked is not None:
        raise LaunchRefused(403, "linked-elsewhere", TAKEN)
    return user, False


def unique_cohort_name(session: Session, title: str, context_id: str) -> str:
    """The course title as a cohort name no cohort has yet: "Title", "Title (2)", ..."""
    base = " ".join(title.split()) or f"LMS course {context_id}"
    if base.isdigit():
        base = f"Course {base}"
    for n in range(1, 1000):
        suffix = "" if n == 1 else f" ({n})"
        name = base[:MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
        taken = select(Cohort.id).where(func.lower(Cohort.name) == name.lower())
        if session.exec(taken).first() is None:
            return name
    raise LaunchRefused(409, "cohort-name", "No free cohort name was found for this course.",
                        ASK_ADMIN)


def context_for(*, session: Session, platform: LtiPlatform, claims: LaunchClaims) -> LtiContext:
    """The course's LtiContext and cohort (made on first launch), with this launch's URLs."""
    context = session.exec(select(LtiContext).where(
        LtiContext.platform_id == platform.id,
        LtiContext.context_id == claims.context_id)).first()
    if context is None:
        cohort = Cohort(name=unique_cohort_name(session, claims.context_title, claims.context_id),
                        description=f"Course from {platform.name or platform.issuer}"[:2000])
        session.add(cohort)
        session.flush()
        context = LtiContext(platform_id=platform.id, context_id=claims.context_id,
                             cohort_id=cohort.id)
    context.title = claims.context_title
    context.deployment_id = claims.deployment_id
    context.memberships_url = claims.memberships_url or context.memberships_url
    context.lineitems_url = claims.lineitems_url or context.lineitems_url
    session.add(context)
    session.flush()
    return context


def join(*, session: Session, cohort: Cohort, user: User, role: str) -> str | None:
    """Put the user in the cohort with `role`; a supervisor there stays one."""
    member = session.get(CohortMember, (cohort.id, user.id))
    if member is not None and member.role == "supervisor":
        return "supervisor"
    if not role_fits(role, user.role):
        return member.role if member else None
    add_member(session=session, cohort=cohort, user=user, role=role)
    return role


def link_for(*, session: Session, platform: LtiPlatform, context: LtiContext,
             claims: LaunchClaims) -> LtiLink | None:
    """The placement (made on first launch), bound to the assignment its custom field names."""
    if claims.resource_link_id is None:
        return None
    link = session.exec(select(LtiLink).where(
        LtiLink.platform_id == platform.id,
        LtiLink.resource_link_id == claims.resource_link_id)).first()
    if link is None:
        link = LtiLink(platform_id=platform.id, resource_link_id=claims.resource_link_id,
                       context_id=context.id)
    elif link.context_id != context.id:
        raise LaunchRefused(400, "link-context", "This activity belongs to another course in "
                            "the LMS; add it to this course again.")
    wanted = claims.custom.get("assignment_id")
    if wanted is not None:
        link.assignment_id = _course_assignment(session, context, wanted).id
    if claims.lineitem_url:
        link.lineitem_url = claims.lineitem_url
        link.scopes = list(claims.ags_scopes)
    session.add(link)
    return link


def _course_assignment(session: Session, context: LtiContext, wanted: str) -> Assignment:
    assignment = session.get(Assignment, int(wanted)) if wanted.isascii() and wanted.isdigit() \
        and len(wanted) < 10 else None
    if assignment is None or assignment.cohort_id != context.cohort_id:
        raise LaunchRefused(400, "assignment", (
            f"This activity names assignment {wanted!r}, which is not one of this course's "
            "assignments in Holding Space. Add the activity again through the tool's picker."))
    return assignment
