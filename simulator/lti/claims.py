"""What a validated launch says, read once into plain data, and how LMS roles map to ours.

Roles: a context (course) role of Instructor, TeachingAssistant, ContentDeveloper or
Administrator makes a supervisor of the course's cohort; Learner makes a trainee. Institution
and system roles say nothing about this course and are ignored; any other context role (Mentor,
Member, Manager, Officer) alone is refused, since it is neither trainee nor supervisor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.lti.errors import LaunchRefused

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
SUB_MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership/"
SUPERVISING = frozenset({"Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator"})
LEARNING = frozenset({"Learner"})


def context_role(uri: str) -> str | None:
    """The context role a roles-claim entry names (a sub-role counts as its principal role)."""
    if uri.startswith(MEMBERSHIP):
        return uri[len(MEMBERSHIP):]
    if uri.startswith(SUB_MEMBERSHIP):
        return uri[len(SUB_MEMBERSHIP):].partition("#")[0]
    if uri and not any(mark in uri for mark in "/#:"):
        return uri  # LTI 1.3 allows a context role's simple name
    return None


def cohort_role(roles: list[str]) -> str | None:
    """supervisor, trainee, or None when no role fits this course."""
    names = {context_role(r) for r in roles if isinstance(r, str)}
    if names & SUPERVISING:
        return "supervisor"
    if names & LEARNING:
        return "trainee"
    return None


@dataclass(frozen=True)
class LaunchClaims:
    """The claims a launch is acted on by."""

    subject: str
    name: str
    email: str | None
    role: str  # supervisor | trainee
    message_type: str
    deployment_id: str
    context_id: str
    context_title: str
    resource_link_id: str | None
    custom: dict[str, str] = field(default_factory=dict)
    memberships_url: str | None = None
    lineitems_url: str | None = None
    lineitem_url: str | None = None
    ags_scopes: list[str] = field(default_factory=list)
    deep_linking: dict[str, Any] | None = None

    @property
    def is_deep_linking(self) -> bool:
        return self.message_type == DEEP_LINKING_REQUEST


def _text(value: Any, limit: int = 255) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _name(body: Mapping[str, Any]) -> str:
    given = " ".join(_text(body.get(k), 60) for k in ("given_name", "family_name")).strip()
    return _text(body.get("name"), 120) or given[:120]


def read_claims(body: Mapping[str, Any]) -> LaunchClaims:
    """The launch's claims as LaunchClaims; LaunchRefused when the course or role is missing."""
    roles = body.get(LTI + "roles") or []
    role = cohort_role(roles if isinstance(roles, list) else [])
    if role is None:
        raise LaunchRefused(403, "role", "Holding Space is for learners and instructors; your "
                            "role in this course is neither.")
    context = body.get(LTI + "context") or {}
    if not isinstance(context, dict) or not _text(context.get("id")):
        raise LaunchRefused(400, "context", "The launch names no course (the context claim is "
                            "missing), so there is no cohort to open.")
    ags = body.get(AGS) if isinstance(body.get(AGS), dict) else {}
    nrps = body.get(NRPS) if isinstance(body.get(NRPS), dict) else {}
    link = body.get(LTI + "resource_link") or {}
    custom = body.get(LTI + "custom") or {}
    email = _text(body.get("email"), 254) or None
    subject = body.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise LaunchRefused(400, "sub", "The launch's user id (sub) must be 1 to 255 characters.")
    return LaunchClaims(
        subject=subject, name=_name(body), email=email, role=role,
        message_type=_text(body.get(LTI + "message_type")),
        deployment_id=_text(body.get(LTI + "deployment_id")),
        context_id=_text(context.get("id")),
        context_title=_text(context.get("title")) or _text(context.get("label")),
        resource_link_id=_text(link.get("id")) or None if isinstance(link, dict) else None,
        custom={str(k): str(v) for k, v in custom.items()} if isinstance(custom, dict) else {},
        memberships_url=_text(nrps.get("context_memberships_url"), 1000) or None,
        lineitems_url=_text(ags.get("lineitems"), 1000) or None,
        lineitem_url=_text(ags.get("lineitem"), 1000) or None,
        ags_scopes=[s for s in ags.get("scope", []) if isinstance(s, str)],
        deep_linking=body.get(DEEP_LINKING) if isinstance(body.get(DEEP_LINKING), dict) else None,
    )
