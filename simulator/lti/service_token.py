"""Calling a platform's LTI services (AGS grades, NRPS rosters) with an OAuth 2 bearer token.

The token comes from the platform's token endpoint by the client-credentials grant, the
client proven by a short JWT assertion signed with the tool's current key (LTI 1.3 Security
Framework §4.1). Tokens are cached per app, per (platform, scopes), until shortly before they
expire.

PyLTI1p3's ServiceConnector does the same exchange, but it sets no timeout (a hung LMS would
hold a worker forever), caches tokens with no expiry, and puts the response body into its
exception's message (which would reach our logs). So the exchange is done here, in its shape.

Nothing here logs or stores a token, an assertion or a response body: a failure is a
ServiceError whose `reason` is short and safe to store and show ("HTTP 500", "ConnectTimeout").
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import jwt
import requests
from flask import Flask

from simulator.lti.keys import tool_keys
from simulator.models import LtiPlatform

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
TIMEOUT_SECONDS = 10
ASSERTION_SECONDS = 60  # how long our signed client assertion is valid
RENEW_BEFORE_SECONDS = 60  # a cached token is replaced this long before it expires
DEFAULT_LIFETIME_SECONDS = 3600  # when the platform does not say (expires_in)
CACHE_KEY = "simulator.lti_service_tokens"
USER_AGENT = "HoldingSpace-LTI"


class ServiceError(Exception):
    """A platform service call failed; `reason` is short and safe to store and show."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class TokenCache:
    """Bearer tokens by (platform id, client id, token URL, scopes), with their expiry."""

    tokens: dict[tuple, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple, now: float) -> str | None:
        with self.lock:
            found = self.tokens.get(key)
        return found[0] if found and found[1] > now else None

    def put(self, key: tuple, token: str, expires_at: float) -> None:
        with self.lock:
            self.tokens[key] = (token, expires_at)

    def drop(self, key: tuple) -> None:
        with self.lock:
            self.tokens.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self.tokens.clear()


def token_cache(app: Flask) -> TokenCache:
    """The app's token cache (state lives with the app, STYLE rule 15)."""
    return app.extensions.setdefault(CACHE_KEY, TokenCache())


def client_assertion(app: Flask, platform: LtiPlatform) -> str:
    """A JWT proving we are the platform's client: iss = sub = client id, aud = token URL."""
    keys = tool_keys(app)
    now = int(time.time())
    claims = {"iss": platform.client_id, "sub": platform.client_id, "aud": platform.token_url,
              "iat": now - 5, "exp": now + ASSERTION_SECONDS,
              "jti": f"hs-service-{uuid.uuid4()}"}
    return jwt.encode(claims, keys.current_private_pem, algorithm="RS256",
                      headers={"kid": keys.current_kid})


def _key(platform: LtiPlatform, scopes: tuple[str, ...]) -> tuple:
    return (platform.id, platform.client_id, platform.token_url, scopes)


def access_token(app: Flask, platform: LtiPlatform, scopes: tuple[str, ...] | list[str]) -> str:
    """A bearer token for these scopes: the cached one, or a fresh one from the platform."""
    wanted = tuple(sorted(set(scopes)))
    cache, key = token_cache(app), _key(platform, wanted)
    now = time.monotonic()
    if (cached := cache.get(key, now)) is not None:
        return cached
    form = {"grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion(app, platform), "scope": " ".join(wanted)}
    response = _send("POST", platform.token_url, data=form,
                     headers={"Accept": "application/json"})
    if not 200 <= response.status_code < 300:
        raise ServiceError(f"token refused (HTTP {response.status_code})", response.status_code)
    try:
        body = response.json()
        token = body["access_token"]
        lifetime = float(body.get("expires_in") or DEFAULT_LIFETIME_SECONDS)
    except (ValueError, KeyError, TypeError):
        raise ServiceError("the token endpoint answered without an access token") from None
    if not isinstance(token, str) or not token:
        raise ServiceError("the token endpoint answered without an access token")
    # Renew a minute early; a token that lives under two minutes is kept for half its life.
    margin = RENEW_BEFORE_SECONDS if lifetime > 2 * RENEW_BEFORE_SECONDS else lifetime / 2
    cache.put(key, token, now + lifetime - margin)
    return token


def _send(method: str, url: str, **kwargs) -> requests.Response:
    """One HTTP request with our timeout and no redirects; network failures become ServiceError."""
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    try:
        return requests.request(method, url, headers=headers, timeout=TIMEOUT_SECONDS,
                                allow_redirects=False, **kwargs)
    except requests.RequestException as error:
        raise ServiceError(type(error).__name__) from None


def service_request(app: Flask, platform: LtiPlatform, scopes: tuple[str, ...] | list[str],
                    method: str, url: str, *, data: bytes | None = None,
                    content_type: str | None = None, accept: str = "application/json",
                    ) -> requests.Response:
    """Call a platform service with a bearer token; a non-2xx answer raises ServiceError.

    A 401 with a cached token is retried once with a fresh token (the platform may have
    revoked it early).
    """
    headers = {"Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    for attempt in (1, 2):
        token = access_token(app, platform, scopes)
        response = _send(method, url, data=data,
                         headers={**headers, "Authorization": f"Bearer {token}"})
        if response.status_code == 401 and attempt == 1:
            token_cache(app).drop(_key(platform, tuple(sorted(set(scopes)))))
            continue
        break
    if not 200 <= response.status_code < 300:
        raise ServiceError(f"HTTP {response.status_code}", response.status_code)
    return response
