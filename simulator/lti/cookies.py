"""Session cookies that an LMS frame can send back: SameSite=None; Secure where LTI needs it.

Inside an LMS iframe the tool is a third party, and browsers send a SameSite=Lax cookie only to
top-level navigations. So the session cookie is SameSite=None; Secure on /lti/* responses (the
OIDC nonce travels in it from /lti/login to the platform's cross-site form post to /lti/launch)
and for a session signed in through a launch (its pages run in the frame). Every other session
keeps the configured Lax cookie, and a normal sign-in clears the launch's mark. Over plain HTTP
nothing changes: a browser drops a Secure cookie sent without TLS.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface

from simulator.lti import SESSION_MARK


def in_lms_frame() -> bool:
    """True when this response's cookies must work in a third-party frame."""
    if not has_request_context() or not request.is_secure:
        return False
    return request.path.startswith("/lti/") or bool(session.get(SESSION_MARK))


class LtiSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookie's attributes chosen per response."""

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if in_lms_frame() else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return True if in_lms_frame() else super().get_cookie_secure(app)
