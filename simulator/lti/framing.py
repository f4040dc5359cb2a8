"""Which origins may frame a response: the registered LMS platforms, for LTI pages only.

LTI endpoints and every page served to a session signed in through a launch run inside the
LMS's iframe, so their CSP `frame-ancestors` lists the platform's origins; everything else
keeps `frame-ancestors 'none'` and X-Frame-Options DENY (simulator.headers). A platform's
origins are its issuer's and authorization URL's, and those of the course service URLs its
signed launches sent (stored on LtiContext): Canvas Cloud's issuer and login host are not the
school's own domain (school.instructure.com) that frames the tool, but its course services are
served from it. A launched session is framed by its own platform only; /lti/* endpoints, which
any registered platform may call, by all of them. The list is read once per request, so a
platform added or removed by any worker or by the CLI counts from the next request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, has_request_context, request, session
from sqlmodel import select

from simulator.db import get_session
from simulator.headers import FRAME_ANCESTORS
from simulator.lti import SESSION_MARK
from simulator.models import LtiContext, LtiPlatform


def origin(url: str) -> str | None:
    """scheme://host[:port] of a URL, or None when it has no host."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}".lower()


def platform_origins(platform_id: int | None = None) -> list[str]:
    """The origins of one platform (of every platform when None), read once per request."""
    cache = g.setdefault("lti_origins", {})
    if platform_id not in cache:
        platforms = select(LtiPlatform.issuer, LtiPlatform.auth_url)
        contexts = select(LtiContext.memberships_url, LtiContext.lineitems_url)
        if platform_id is not None:
            platforms = platforms.where(LtiPlatform.id == platform_id)
            contexts = contexts.where(LtiContext.platform_id == platform_id)
        db = get_session()
        urls = [url for query in (platforms, contexts) for row in db.exec(query).all()
                for url in row if url]
        cache[platform_id] = sorted({o for o in map(origin, urls) if o})
    return cache[platform_id]


def frame_ancestors() -> list[str] | None:
    """The platforms' origins for LTI responses and launched sessions; None otherwise."""
    if not has_request_context() or request.endpoint == "static":
        return None
    if request.path.startswith("/lti/"):
        return platform_origins() or None
    launched_by = session.get(SESSION_MARK)
    if isinstance(launched_by, int):
        return platform_origins(launched_by) or None
    return None


def init_app(app: Flask) -> None:
    """Let simulator.headers ask which origins may frame each response."""
    app.extensions[FRAME_ANCESTORS] = frame_ancestors
