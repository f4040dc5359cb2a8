"""A stand-in LMS for LTI 1.3 tests: a real HTTP server on 127.0.0.1 with its own RSA key.

    platform = TestPlatform().start()        # the `platform` fixture does this and stops it
    platform.register(app)                   # an LtiPlatform row for it (issuer, client id, URLs)
    params = platform.login_params(sub="s-1", roles=[LEARNER])   # the LMS's OIDC initiation
    # GET /lti/login?<params> -> 302 to platform.auth_url; `platform.authorize(location)` fetches
    # it over HTTP and returns the form_post (action, {"id_token", "state"}) the browser would send.

`/auth` checks what a real platform checks (response type, scope, form_post, client id, a
registered redirect URI, the login hint, nonce and state) and answers with the id_token of the
launch `login_params` prepared, signed with the platform's key (published at `/jwks`).
`id_token(...)` builds and signs launches and deep-linking requests directly for the negative
cases. `routes` maps a path to `handler(werkzeug Request) -> Response`; tests/lti/services.py
adds the token, line-item and membership endpoints. A key ending in `*` matches a path prefix.
Every request is appended to `requests` as (method, path).
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import requests
from jwcrypto.jwk import JWK
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
TEACHING_ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/score",
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"]
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
TOOL_LAUNCH_URL = "https://localhost/lti/launch"  # the tool as the Flask test client serves it
_hints = itertools.count(1)


@functools.cache
def platform_key() -> JWK:
    """The platform's RSA key, made once per test run (key generation is the slow part)."""
    return JWK.generate(kty="RSA", size=2048)


@functools.cache
def _signing_key(key: JWK):
    """The key as a `cryptography` object (loading PEM again on every signature is slow)."""
    return key.get_op_key("sign")


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # query strings hold nonces and hints
        pass


class TestPlatform:
    """An LMS on a loopback port: OIDC authorization, JWKS, and whatever `routes` adds."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, *, client_id: str = "holding-space", deployment_id: str = "deployment-1",
                 key: JWK | None = None) -> None:
        self.key = key or platform_key()
        self.kid = self.key.thumbprint()
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.redirect_uris = {TOOL_LAUNCH_URL}
        self.routes: dict[str, Callable[[Request], Response]] = {
            "/jwks": self._jwks, "/auth": self._auth, "/deep-link-return": self._deep_link_return}
        self.requests: list[tuple[str, str]] = []
        self.pending: dict[str, dict[str, Any]] = {}  # lti_message_hint -> launch
        self.returned: list[str] = []  # JWTs posted back to the deep-link return URL
        self._server = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- the server ------------------------------------------------------------------------
    def start(self) -> TestPlatform:
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True,
                                   request_handler=_Quiet)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        self.requests.append((request.method, request.path))
        handler = self.routes.get(request.path) or self._prefix_route(request.path)
        response = handler(request) if handler else Response("no such endpoint", status=404)
        return response(environ, start_response)

    def _prefix_route(self, path: str):
        prefixes = [key for key in self.routes if key.endswith("*") and path.startswith(key[:-1])]
        return self.routes[max(prefixes, key=len)] if prefixes else None

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def auth_url(self) -> str:
        return self.url("/auth")

    @property
    def token_url(self) -> str:
        return self.url("/token")

    @property
    def jwks_url(self) -> str:
        return self.url("/jwks")

    # -- registration with the tool ---------------------------------------------------------
    def register(self, app_or_session, **overrides):
        """Add this platform as an LtiPlatform (committed) and return the row."""
        from flask import Flask
        from sqlmodel import Session

        from simulator.db import get_engine
        from simulator.models import LtiPlatform

        fields = {"name": "Test LMS", "issuer": self.issuer, "client_id": self.client_id,
                  "auth_url": self.auth_url, "token_url": self.token_url,
                  "jwks_url": self.jwks_url, "deployment_ids": [self.deployment_id]}
        fields.update(overrides)
        if isinstance(app_or_session, Flask):
            with Session(get_engine(app_or_session), expire_on_commit=False) as session:
                return _add(session, LtiPlatform(**fields))
        return _add(app_or_session, LtiPlatform(**fields))

    # -- messages ---------------------------------------------------------------------------
    def claims(self, *, nonce: str, message_type: str = "LtiResourceLinkRequest",
               sub: str = "learner-1", roles: list[str] | None = None,
               name: str | None = "Lee Learner", email: str | None = "lee@example.edu",
               context_id: str = "course-1", context_title: str = "Counselling skills 101",
               resource_link_id: str = "link-1", custom: dict[str, str] | None = None,
               ags: bool = True, nrps: bool = True, deployment_id: str | None = None,
               audience: str | None = None, expires_in: int = 300,
               **extra: Any) -> dict[str, Any]:
        """The claims of a resource-link launch or (message_type) a deep-linking request.

        `extra` adds or replaces claims by name; a value of None removes the claim.
        """
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer, "aud": audience or self.client_id, "sub": sub,
            "nonce": nonce, "iat": now, "exp": now + expires_in,
            LTI + "deployment_id": deployment_id or self.deployment_id,
            LTI + "message_type": message_type, LTI + "version": "1.3.0",
            LTI + "roles": roles if roles is not None else [LEARNER],
            LTI + "context": {"id": context_id, "title": context_title, "label": "CS101",
                              "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
            LTI + "target_link_uri": TOOL_LAUNCH_URL,
            LTI + "tool_platform": {"guid": "test-lms", "name": "Test LMS"},
            LTI + "custom": custom or {},
        }
        if name is not None:
            body.update(name=name, given_name=name.split()[0], family_name=name.split()[-1])
        if email is not None:
            body["email"] = email
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": resource_link_id, "title": "Practice"}
        if ags:
            lineitems = self.url(f"/contexts/{context_id}/lineitems")
            body[AGS_CLAIM] = {"scope": list(AGS_SCOPES), "lineitems": lineitems}
            if message_type == "LtiResourceLinkRequest":
                body[AGS_CLAIM]["lineitem"] = f"{lineitems}/{resource_link_id}/lineitem"
        if nrps:
            body[NRPS_CLAIM] = {"context_memberships_url":
                                self.url(f"/contexts/{context_id}/memberships"),
                                "service_versions": ["2.0"]}
        if message_type == "LtiDeepLinkingRequest":
            body[DL_SETTINGS] = {
                "deep_link_return_url": self.url("/deep-link-return"),
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False, "data": "platform-opaque-data"}
        for claim, value in extra.items():
            if value is None:
                body.pop(claim, None)
            else:
                body[claim] = value
        return body

    def sign(self, body: dict[str, Any], key: JWK | None = None, kid: str | None = None) -> str:
        """A JWT signed with the platform's key (or `key`), its header naming `kid`."""
        signer = _signing_key(key or self.key)
        return jwt.encode(body, signer, algorithm="RS256", headers={"kid": kid or self.kid})

    def id_token(self, **claims: Any) -> str:
        """A signed launch: `claims` as for claims(); a nonce of its own unless given."""
        claims.setdefault("nonce", uuid.uuid4().hex)
        return self.sign(self.claims(**claims))

    def login_params(self, *, target_link_uri: str = TOOL_LAUNCH_URL,
                     **claims: Any) -> dict[str, str]:
        """Prepare a launch (claims as for claims(), without nonce) and return the OIDC
        third-party login initiation parameters an LMS sends the tool for it."""
        hint = f"launch-{next(_hints)}"
        login_hint = str(claims.get("sub", "learner-1"))
        self.pending[hint] = {"login_hint": login_hint, "claims": claims}
        return {"iss": self.issuer, "login_hint": login_hint, "target_link_uri": target_link_uri,
                "lti_message_hint": hint, "client_id": self.client_id,
                "lti_deployment_id": claims.get("deployment_id") or self.deployment_id}

    def authorize(self, location: str) -> tuple[str, dict[str, str]]:
        """Follow the tool's redirect to /auth over HTTP; the form_post the browser would send."""
        response = requests.get(location, timeout=10)
        assert response.status_code == 200, response.text
        action = re.search(r'<form[^>]* action="([^"]+)"', response.text)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                 response.text))
        assert action, response.text
        return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in fields.items()}

    # -- endpoints --------------------------------------------------------------------------
    def _jwks(self, request: Request) -> Response:
        public = self.key.export_public(as_dict=True)
        public.update(kid=self.kid, alg="RS256", use="sig")
        return Response(json.dumps({"keys": [public]}), mimetype="application/json")

    def _auth(self, request: Request) -> Response:
        args = request.args
        problem = _auth_problem(args, self.client_id, self.redirect_uris)
        pending = self.pending.get(args.get("lti_message_hint", ""))
        if problem is None and pending is None:
            problem = "unknown lti_message_hint"
        if problem is None and args.get("login_hint") != pending["login_hint"]:
            problem = "login_hint does not match the launch"
        if problem:
            return Response(problem, status=400)
        token = self.id_token(nonce=args["nonce"], **pending["claims"])
        form = (f'<form method="post" action="{html.escape(args["redirect_uri"])}">'
                f'<input type="hidden" name="id_token" value="{html.escape(token)}">'
                f'<input type="hidden" name="state" value="{html.escape(args["state"])}">'
                "<button type=\"submit\">Continue to the tool</button></form>")
        return Response(form, mimetype="text/html")

    def _deep_link_return(self, request: Request) -> Response:
        self.returned.append(request.form.get("JWT", ""))
        return Response("received", mimetype="text/plain")


def _auth_problem(args, client_id: str, redirect_uris: set[str]) -> str | None:
    """What a platform would refuse in an OIDC authorization request, or None."""
    expected = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
                "prompt": "none", "client_id": client_id}
    for name, value in expected.items():
        if args.get(name) != value:
            return f"{name} must be {value!r}"
    if args.get("redirect_uri") not in redirect_uris:
        return "redirect_uri is not registered"
    for name in ("login_hint", "nonce", "state"):
        if not args.get(name):
            return f"{name} is missing"
    return None


def _add(session, row):
    session.add(row)
    session.commit()
    session.refresh(row)
    return row

