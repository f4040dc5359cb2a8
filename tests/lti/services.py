"""The test LMS's services: an OAuth 2 token endpoint, AGS line-item scores, NRPS memberships.

    services = LmsServices(platform, tool_jwks=client.get("/lti/jwks.json").get_json())

adds to `platform.routes`:

- `POST /token`: the client-credentials grant with a JWT client assertion, verified against
  the tool's JWKS (signature by kid, aud = this URL, iss = sub = the client id, exp, a fresh
  jti); answers a bearer token holding the scopes asked for (of those this LMS offers);
- `POST /contexts/<course>/lineitems/<link>/lineitem/scores`: checks the bearer token has the
  score scope and the score content type, validates the score and records it in `scores`;
  `fail_scores = N` makes the next N posts answer 500; `hold = threading.Event()` makes them
  wait (`arrived` is set) until the test sets it;
- `GET /contexts/<course>/memberships`: needs the NRPS scope; serves `members` in two pages
  joined by `Link: <…?page=2>; rel="next"`.

Whatever is refused is recorded in `refusals` with the reason, so a test can say why.
"""

from __future__ import annotations

import json
import secrets
import threading
from typing import Any

import jwt
from werkzeug.wrappers import Request, Response

from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
RESULT_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
OFFERED = {SCORE_SCOPE, LINEITEM_SCOPE, RESULT_SCOPE, NRPS_SCOPE}
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def member(sub: str, name: str, email: str | None, roles: list[str] | None = None,
           **extra: Any) -> dict[str, Any]:
    """One NRPS member entry as an LMS sends it."""
    entry = {"user_id": sub, "name": name, "roles": roles or [LEARNER], "status": "Active",
             **extra}
    if email is not None:
        entry["email"] = email
    return entry


DEFAULT_MEMBERS = [
    member("nrps-learner-1", "Ada Learner", "ada@example.edu"),
    member("nrps-learner-2", "Ben Learner", "ben@example.edu"),
    member("nrps-teacher-1", "Cleo Teacher", "cleo@example.edu", [INSTRUCTOR]),
    member("nrps-learner-3", "Dee Noemail", None),
]


class LmsServices:
    """The token, scores and memberships endpoints of one TestPlatform."""

    def __init__(self, platform: TestPlatform, *, tool_jwks: dict[str, Any]) -> None:
        self.platform = platform
        self.tool_keys = {key["kid"]: jwt.PyJWK(key) for key in tool_jwks["keys"]}
        self.tokens: dict[str, set[str]] = {}  # bearer token -> granted scopes
        self.token_requests = 0
        self.jtis: set[str] = set()
        self.scores: list[dict[str, Any]] = []  # {"lineitem": path, **score}
        self.fail_scores = 0
        self.hold: threading.Event | None = None  # when set: score posts wait for it (slow LMS)
        self.arrived = threading.Event()  # a score post is waiting on `hold`
        self.members: list[dict[str, Any]] = list(DEFAULT_MEMBERS)
        self.next_page: str | None = None  # the first page's `next` link, if not page 2 here
        self.refusals: list[str] = []
        platform.routes["/token"] = self._token
        platform.routes["/contexts/*"] = self._contexts

    # -- token ------------------------------------------------------------------------------
    def _token(self, request: Request) -> Response:
        self.token_requests += 1
        form = request.form
        if request.method != "POST" or form.get("grant_type") != "client_credentials":
            return self._refuse(400, "grant_type must be client_credentials (POST)")
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return self._refuse(400, "client_assertion_type must be jwt-bearer")
        problem = self._assertion_problem(form.get("client_assertion", ""))
        if problem:
            return self._refuse(401, problem)
        granted = set(form.get("scope", "").split()) & OFFERED
        token = secrets.token_urlsafe(24)
        self.tokens[token] = granted
        body = {"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                "scope": " ".join(sorted(granted))}
        return Response(json.dumps(body), mimetype="application/json")

    def _assertion_problem(self, assertion: str) -> str | None:
        try:
            kid = jwt.get_unverified_header(assertion).get("kid")
            key = self.tool_keys.get(kid)
            if key is None:
                return f"unknown kid {kid!r}"
            claims = jwt.decode(assertion, key.key, algorithms=["RS256"],
                                audience=self.platform.token_url,
                                options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]})
        except jwt.PyJWTError as error:
            return f"bad client assertion: {type(error).__name__}: {error}"
        if claims["iss"] != self.platform.client_id or claims["sub"] != self.platform.client_id:
            return "iss and sub must be the client id"
        if claims["jti"] in self.jtis:
            return "replayed jti"
        self.jtis.add(claims["jti"])
        return None

    def _bearer(self, request: Request, scope: str) -> Response | None:
        header = request.headers.get("Authorization", "")
        token = header[len("Bearer "):] if header.startswith("Bearer ") else ""
        if token not in self.tokens:
            return self._refuse(401, "no valid bearer token")
        if scope not in self.tokens[token]:
            return self._refuse(403, f"the token lacks {scope}")
        return None

    def _refuse(self, status: int, reason: str) -> Response:
        self.refusals.append(reason)
        return Response(json.dumps({"error": reason}), status=status,
                        mimetype="application/json")

    # -- course services --------------------------------------------------------------------
    def _contexts(self, request: Request) -> Response:
        if request.path.endswith("/lineitem/scores"):
            return self._score(request)
        if request.path.endswith("/memberships"):
            return self._memberships(request)
        return Response("no such endpoint", status=404)

    def _score(self, request: Request) -> Response:
        if request.method != "POST":
            return self._refuse(405, "scores take POST")
        if (refused := self._bearer(request, SCORE_SCOPE)) is not None:
            return refused
        if request.mimetype != SCORE_TYPE:
            return self._refuse(415, f"content type must be {SCORE_TYPE}")
        score = json.loads(request.get_data(as_text=True))
        missing = [k for k in ("userId", "scoreGiven", "scoreMaximum", "activityProgress",
                               "gradingProgress", "timestamp") if k not in score]
        if missing:
            return self._refuse(400, f"score without {missing}")
        if self.hold is not None:
            self.arrived.set()
            self.hold.wait(timeout=10)
        if self.fail_scores > 0:
            self.fail_scores -= 1
            return Response("internal error with details nobody should log", status=500)
        lineitem = request.path[: -len("/scores")]
        self.scores.append({"lineitem": lineitem, **score})
        return Response(status=204)

    def _memberships(self, request: Request) -> Response:
        if (refused := self._bearer(request, NRPS_SCOPE)) is not None:
            return refused
        half = (len(self.members) + 1) // 2
        page = request.args.get("page", "1")
        chosen = self.members[:half] if page == "1" else self.members[half:]
        body = {"id": request.base_url, "context": {"id": request.path.split("/")[2]},
                "members": chosen}
        response = Response(json.dumps(body),
                            mimetype="application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
        if page == "1":
            response.headers["Link"] = f'<{self.next_page or request.base_url + "?page=2"}>; ' \
                                       'rel="next"'
        return response
