"""Security headers on every response: no inline script, no framing but by LMSs, no sniffing."""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session

# app.extensions[FRAME_ANCESTORS]() -> the origins that may frame this response, or None
# (set by simulator.lti: LMS platforms frame LTI pages).
FRAME_ANCESTORS = "simulator.frame_ancestors"


def content_security_policy(*, frame_ancestors: list[str] | None = None,
                            form_action: list[str] | None = None) -> str:
    """The policy; framing by and form posts to the given origins, beside 'self' for forms."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        " ".join(["form-action 'self'", *(form_action or [])]),
        "frame-ancestors " + (" ".join(frame_ancestors) if frame_ancestors else "'none'"),
    ])


CONTENT_SECURITY_POLICY = content_security_policy()


def frame_ancestors() -> list[str] | None:
    """The origins allowed to frame the current response (None: nobody)."""
    rule = current_app.extensions.get(FRAME_ANCESTORS)
    return (rule() or None) if rule else None


def _secure(response: Response) -> Response:
    framers = frame_ancestors()
    response.headers.setdefault("Content-Security-Policy",
                                content_security_policy(frame_ancestors=framers))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if framers is None:  # X-Frame-Options cannot name origins: CSP alone governs LMS framing
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static" and "_user_id" in session:
        # Signed-in pages hold trainees' words and scores: keep them out of shared and back-button
        # caches on the shared computers of a training room (ASVS 8.2.1).
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response; mark cookies Secure when served over HTTPS."""
    app.after_request(_secure)
    if str(app.config.get("PREFERRED_URL_SCHEME", "")).lower() == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
