"""Registering LMS platforms: checked values, every problem at once, and the URLs to paste.

Keyword-only data functions; nothing commits. A problem names its field (the CLI prints the
flag, the admin page shows it beside the input). URLs must use https; plain http is allowed only
to this machine (127.0.0.1, localhost, ::1), for trying the tool against a local LMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import url_for
from sqlmodel import Session, func, select

from simulator.models import LtiContext, LtiIdentity, LtiLink, LtiPlatform

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
URL_FIELDS = ("issuer", "auth_url", "token_url", "jwks_url")
LIMITS = {"name": 120, "issuer": 500, "client_id": 255, "auth_url": 1000, "token_url": 1000,
          "jwks_url": 1000}
# field -> its CLI flag, used to locate messages for the command line
FLAGS = {"name": "--name", "issuer": "--issuer", "client_id": "--client-id",
         "auth_url": "--auth-url", "token_url": "--token-url", "jwks_url": "--jwks-url",
         "deployment_ids": "--deployment-id"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a registration: which field, and what."""

    field: str
    message: str


class PlatformError(ValueError):
    """A registration that cannot be saved; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def url_problem(value: str) -> str | None:
    """Why `value` is not an acceptable platform URL, or None."""
    if not value:
        return "is required."
    parts = urlsplit(value)
    try:
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return f"{value!r} is not a valid URL."
    if parts.scheme not in ("https", "http") or not host:
        return f"{value!r} is not an absolute https URL."
    if parts.username or parts.password:
        return "must not contain a user name or password."
    if parts.scheme == "http" and host not in LOOPBACK:
        return (f"must use https ({value!r} uses http, which is allowed only to 127.0.0.1, "
                "localhost or ::1 for testing).")
    return None


def check_platform(*, session: Session, fields: dict) -> list[Problem]:
    """Every problem with a registration's values (empty when it can be saved)."""
    problems = []
    for name in URL_FIELDS:
        message = url_problem(fields.get(name) or "")
        if message:
            problems.append(Problem(name, message))
    if not fields.get("client_id"):
        problems.append(Problem("client_id", "is required."))
    for name, limit in LIMITS.items():
        if len(fields.get(name) or "") > limit:
            problems.append(Problem(name, f"can be at most {limit} characters."))
    deployments = fields.get("deployment_ids") or []
    if not deployments:
        problems.append(Problem("deployment_ids", "at least one deployment id is required."))
    for deployment in deployments:
        if len(deployment) > 255:
            problems.append(Problem("deployment_ids", f"{deployment[:40]!r}... is longer than "
                                                      "255 characters."))
    if not problems:
        taken = session.exec(select(LtiPlatform.id).where(
            LtiPlatform.issuer == fields["issuer"],
            LtiPlatform.client_id == fields["client_id"])).first()
        if taken is not None:
            problems.append(Problem("client_id", (
                f"a platform with issuer {fields['issuer']!r} and client id "
                f"{fields['client_id']!r} is already registered (id {taken}).")))
    return problems


def add_platform(*, session: Session, name: str = "", issuer: str, client_id: str,
                 auth_url: str, token_url: str, jwks_url: str,
                 deployment_ids: list[str]) -> LtiPlatform:
    """A new registration (flushed); PlatformError lists every problem."""
    fields = {"name": name.strip(), "issuer": issuer.strip(),
              "client_id": client_id.strip(), "auth_url": auth_url.strip(),
              "token_url": token_url.strip(), "jwks_url": jwks_url.strip(),
              "deployment_ids": list(dict.fromkeys(d.strip() for d in deployment_ids
                                                   if d.strip()))}
    problems = check_platform(session=session, fields=fields)
    if problems:
        raise PlatformError(problems)
    platform = LtiPlatform(**fields)
    session.add(platform)
    session.flush()
    return platform


def list_platforms(*, session: Session) -> list[LtiPlatform]:
    return list(session.exec(select(LtiPlatform).order_by(LtiPlatform.id)).all())


@dataclass(frozen=True)
class Footprint:
    """What removing a platform removes with it."""

    people: int
    courses: int
    links: int


def footprint(*, session: Session, platform_id: int) -> Footprint:
    def count(model) -> int:
        return session.exec(select(func.count()).select_from(model)
                            .where(model.platform_id == platform_id)).one()

    return Footprint(count(LtiIdentity), count(LtiContext), count(LtiLink))


def remove_platform(*, session: Session, platform: LtiPlatform) -> None:
    """Delete a registration; its identities, courses, links and owed grades go with it
    (the accounts, cohorts and assignments stay)."""
    session.delete(platform)
    session.flush()


@dataclass(frozen=True)
class ToolUrls:
    """What an LMS admin pastes into the LMS."""

    login: str
    launch: str
    jwks: str
    deep_linking: str


def tool_urls() -> ToolUrls:
    """The tool's URLs as this request (or a test_request_context with a base URL) sees them."""
    launch = url_for("lti.launch", _external=True)
    return ToolUrls(login=url_for("lti.login", _external=True), launch=launch,
                    jwks=url_for("lti.jwks", _external=True), deep_linking=launch)
