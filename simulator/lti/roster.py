"""Roster sync (LTI NRPS): bring a cohort's members in from its LMS course.

A cohort made by an LMS launch (LtiContext) has the course's memberships URL. Syncing reads
every page of it, then for each active member: finds their account (by their LMS id, else by
email, else creates one with the LMS's name and email), remembers their LMS id (LtiIdentity),
and puts them in the cohort: Learner -> trainee; Instructor, TeachingAssistant,
ContentDeveloper or Administrator -> supervisor. Nobody is downgraded, no administrator account
is ever linked, and nobody is removed: members the LMS no longer lists are named in the
report and kept. The HTTP reads happen before anything is written; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from flask import Flask
from sqlmodel import Session, col, select

from simulator.audit import record
from simulator.courses.roster import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from simulator.lti.claims import cohort_role
from simulator.lti.provision import join
from simulator.lti.service_token import SCOPE_MEMBERSHIPS, ServiceError, service_request
from simulator.models import (
    Cohort,
    CohortMember,
    LtiContext,
    LtiIdentity,
    LtiPlatform,
    User,
    utcnow,
)
from simulator.users import EMAIL_PATTERN, create_user, find_user, normalise_email

MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MAX_PAGES = 100  # 100 pages of an LMS's default page size is far beyond any course
NO_EMAIL = ("the LMS gave no email address (ask the LMS administrator to share members' "
            "email addresses with this tool)")


@dataclass(frozen=True)
class LmsMember:
    """One person in the LMS course, as NRPS lists them."""

    subject: str
    name: str
    email: str
    roles: tuple[str, ...]
    status: str = "Active"

    @property
    def label(self) -> str:
        return self.name or self.email or f"LMS user {self.subject}"


@dataclass
class RosterReport:
    """What a sync did; people are named as the LMS names them (emails stay out of the audit)."""

    added: list[str] = field(default_factory=list)  # "Name (trainee)"
    promoted: list[str] = field(default_factory=list)  # trainee -> supervisor in this cohort
    already: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (who, why)
    gone: list[str] = field(default_factory=list)  # came from the LMS, no longer listed there
    created_user_ids: list[int] = field(default_factory=list)


def _member(entry: object) -> LmsMember | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("user_id"), str | int):
        return None
    name = entry.get("name") or " ".join(
        part for part in (entry.get("given_name"), entry.get("family_name")) if part)
    roles = entry.get("roles") if isinstance(entry.get("roles"), list) else []
    return LmsMember(subject=str(entry["user_id"]), name=str(name or "").strip(),
                     email=normalise_email(str(entry.get("email") or "")),
                     roles=tuple(str(role) for role in roles),
                     status=str(entry.get("status") or "Active"))


def _next_page(response, current: str) -> str | None:
    """The `Link: <…>; rel="next"` URL, only on the memberships URL's own origin."""
    target = response.links.get("next", {}).get("url")
    if not target:
        return None
    target = urljoin(current, target)
    here, there = urlsplit(current), urlsplit(target)
    if (here.scheme, here.netloc) != (there.scheme, there.netloc):
        raise ServiceError("the LMS pointed the next page at another site")
    return target


def fetch_members(app: Flask, platform: LtiPlatform, url: str) -> list[LmsMember]:
    """Every member on every page of the NRPS memberships URL (ServiceError on failure)."""
    found: dict[str, LmsMember] = {}
    for _ in range(MAX_PAGES):
        response = service_request(app, platform, (SCOPE_MEMBERSHIPS,), "GET", url,
                                   accept=MEMBERSHIPS_TYPE)
        try:
            entries = response.json().get("members")
        except (ValueError, AttributeError):
            raise ServiceError("the LMS answered with something that is not a member list") \
                from None
        for entry in entries if isinstance(entries, list) else []:
            if (member := _member(entry)) is not None:
                found.setdefault(member.subject, member)
        url = _next_page(response, url)
        if url is None:
            return list(found.values())
    raise ServiceError(f"the member list is longer than {MAX_PAGES} pages")


def sync_roster(*, session: Session, app: Flask, context: LtiContext,
                actor_id: int | None) -> RosterReport:
    """Read the LMS course's members and bring them into the cohort (not committed)."""
    platform = session.get(LtiPlatform, context.platform_id)
    if not context.memberships_url or platform is None:
        raise ServiceError("the LMS did not offer this course's member list")
    people = fetch_members(app, platform, context.memberships_url)
    cohort = session.get(Cohort, context.cohort_id)
    report = RosterReport()
    for member in people:
        _bring_in(session, platform, cohort, member, report)
    _list_gone(session, platform, cohort, {m.subject for m in people}, report)
    context.roster_synced_at = utcnow()
    session.add(context)
    session.flush()
    record(session, actor_id=actor_id, action="lti.roster_sync", object_type="cohort",
           object_id=str(cohort.id), context=context.id, added=len(report.added),
           promoted=len(report.promoted), already=len(report.already),
           skipped=len(report.skipped), gone=len(report.gone),
           created_user_ids=report.created_user_ids)
    return report


def _bring_in(session: Session, platform: LtiPlatform, cohort: Cohort, member: LmsMember,
              report: RosterReport) -> None:
    role = cohort_role(list(member.roles))
    why = None
    if member.status != "Active":
        why = f"not active in the LMS course ({member.status})"
    elif role is None:
        why = "neither a Learner nor an Instructor in the LMS course"
    if why:
        report.skipped.append((member.label, why))
        return
    user = _account(session, platform, member, role, report)
    if user is not None:
        _join(session, cohort, user, role, member, report)


def _account(session: Session, platform: LtiPlatform, member: LmsMember, role: str,
             report: RosterReport) -> User | None:
    """The member's account, linked to their LMS id; None (with the reason noted) if refused.

    The rules are a launch's (simulator.lti.provision.account_for), told to the supervisor.
    """
    identity = session.exec(select(LtiIdentity).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.subject == member.subject)).first()
    user = session.get(User, identity.user_id) if identity else None
    why = _unusable(user) if user is not None else None
    if user is None and (why := _email_problem(member)) is None:
        user = find_user(session=session, email=member.email)
        why = _unlinkable(session, platform, user, role) if user is not None else None
        if user is None:
            name = (member.name or member.email.split("@")[0])[:MAX_NAME_LENGTH]
            user = create_user(session=session, email=member.email, name=name, role=role)
            session.flush()
            report.created_user_ids.append(user.id)
        if why is None:
            session.add(LtiIdentity(platform_id=platform.id, subject=member.subject,
                                    user_id=user.id))
    if why:
        report.skipped.append((member.label, why))
        return None
    if role == "supervisor" and user.role == "trainee":
        user.role = "supervisor"  # an LMS instructor supervises here, as a launch would make them
        session.add(user)
    return user


def _email_problem(member: LmsMember) -> str | None:
    if not member.email:
        return NO_EMAIL
    if len(member.email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(member.email):
        return "the LMS gave an email address that is not valid"
    return None


def _unusable(user: User) -> str | None:
    if user.role == "admin":
        return ("an administrator account has this email; administrators are never linked "
                "from an LMS")
    if not user.active:
        return "the account here is switched off"
    return None


def _unlinkable(session: Session, platform: LtiPlatform, user: User, role: str) -> str | None:
    """Why an existing account found by email may not be linked to this LMS user, if so."""
    if (why := _unusable(user)) is not None:
        return why
    if user.role == "supervisor" and role != "supervisor":
        return "has a supervisor account here, which a learner in the LMS is not linked to"
    linked = session.exec(select(LtiIdentity.id).where(
        LtiIdentity.platform_id == platform.id, LtiIdentity.user_id == user.id)).first()
    if linked is not None:
        return "the account with this email is already linked to another user of this LMS"
    return None


def _join(session: Session, cohort: Cohort, user: User, role: str, member: LmsMember,
          report: RosterReport) -> None:
    """Put the account in the cohort as a launch would (never lowering a role held there)."""
    held = session.get(CohortMember, (cohort.id, user.id))
    before = held.role if held is not None else None
    now = join(session=session, cohort=cohort, user=user, role=role)
    if now is None:
        report.skipped.append((member.label, f"has a {user.role} account here, so is not "
                                             f"added as a {role}"))
    elif now == before:
        report.already.append(member.label)
    else:
        (report.promoted if before else report.added).append(f"{member.label} ({now})")


def _list_gone(session: Session, platform: LtiPlatform, cohort: Cohort, listed: set[str],
               report: RosterReport) -> None:
    """Members who came from this LMS but are no longer in its list: named, never removed."""
    rows = session.exec(
        select(User.id, User.name, LtiIdentity.subject)
        .join(LtiIdentity, col(LtiIdentity.user_id) == col(User.id))
        .join(CohortMember, col(CohortMember.user_id) == col(User.id))
        .where(LtiIdentity.platform_id == platform.id, CohortMember.cohort_id == cohort.id)
        .order_by(col(User.name))).all()
    names = {user_id: name for user_id, name, _ in rows}
    still = {user_id for user_id, _, subject in rows if subject in listed}
    report.gone.extend(sorted(names[u] for u in names if u not in still))
