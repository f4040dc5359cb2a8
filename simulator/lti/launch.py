"""PyLTI1p3's launch validation, made strict where the library is lenient.

PyLTI1p3 checks the state, the nonce, the registration, the signature against the platform's
JWKS, the deployment and the message's shape. This subclass also: requires exp, iat, aud and
nonce and checks aud/azp against the client id (the library skips the audience); fetches the
platform's keys with a timeout and caches them per app for a few minutes (refetching once when
a key id is new, as after a platform's rotation); uses each nonce once; stores no launch data
in the session cookie (it would grow past a cookie's size, and would let the same form post be
accepted again); and turns every failure into a LaunchRefused that says what failed.
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import requests
from flask import Flask
from jwcrypto.jwk import JWK
from pylti1p3.contrib.flask import FlaskMessageLaunch
from pylti1p3.exception import LtiException

from simulator.lti.errors import ASK_ADMIN, LaunchRefused

HTTP_TIMEOUT = 10  # seconds, for the platform's JWKS
KEYS_TTL = 300  # seconds a platform's JWKS is reused
LEEWAY = 60  # seconds of clock difference allowed on exp/iat
_KEY_CACHE = "simulator.lti_platform_keys"
EXPIRED = "The launch has expired: the LMS's message is only valid for a few minutes."
REPLAYED = ("This launch was already used or did not start in this browser (its nonce is "
            "unknown). Launches cannot be replayed.")
WRONG_STATE = ("The launch's state does not match this browser: it was replayed, took more "
               "than five minutes, or the browser blocked the tool's cookies in the LMS frame.")


def _refuse(status: int, reason: str, message: str, advice: str | None = None) -> LaunchRefused:
    return LaunchRefused(status, reason, message, *(() if advice is None else (advice,)))


class StrictLaunch(FlaskMessageLaunch):
    """A FlaskMessageLaunch whose every check is strict and whose failures say what failed."""

    def __init__(self, request, tool_config, *, app: Flask, **kwargs):
        super().__init__(request, tool_config, **kwargs)
        self._app = app

    def body(self) -> dict[str, Any]:
        """The validated claims."""
        return dict(self.get_launch_data())

    @property
    def registration(self):
        return self._registration

    def validate_state(self):
        try:
            return super().validate_state()
        except LtiException:
            raise _refuse(403, "state", WRONG_STATE) from None

    def validate_jwt_format(self):
        try:
            super().validate_jwt_format()
        except LtiException:
            raise _refuse(400, "format", "The id_token the LMS sent is not a JWT.") from None
        if not all(isinstance(self._jwt.get(part), dict) for part in ("header", "body")):
            raise _refuse(400, "format", "The id_token the LMS sent is not a JWT.")
        return self

    def validate_nonce(self):
        try:
            super().validate_nonce()
        except LtiException:
            raise _refuse(403, "nonce", REPLAYED) from None
        nonce = self._get_jwt_body().get("nonce")
        self._request.session.pop(self._session_service._get_key("nonce", nonce), None)
        return self

    def validate_registration(self):
        body = self._get_jwt_body()
        try:
            return super().validate_registration()
        except LtiException:
            raise _refuse(403, "registration", (
                f"No LMS is registered here with issuer {body.get('iss')!r} and client id "
                f"{self.get_client_id()!r}."), ASK_ADMIN) from None

    def validate_deployment(self):
        try:
            return super().validate_deployment()
        except LtiException:
            deployment = self._get_jwt_body().get(
                "https://purl.imsglobal.org/spec/lti/claim/deployment_id")
            raise _refuse(403, "deployment", (
                f"The deployment {deployment!r} is not registered for this LMS."),
                ASK_ADMIN) from None

    def validate_message(self):
        try:
            return super().validate_message()
        except LtiException as error:
            raise _refuse(400, "message", f"The launch message is incomplete: {error}.") from None

    def validate_jwt_signature(self):
        public_key, algorithm = self.get_public_key()
        client_id = self.get_client_id()
        try:
            jwt.decode(self._get_id_token(), public_key, algorithms=[algorithm],
                       audience=client_id, issuer=self._registration.get_issuer(),
                       leeway=LEEWAY,
                       options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]})
        except jwt.ExpiredSignatureError:
            raise _refuse(403, "expired", EXPIRED) from None
        except jwt.InvalidAudienceError:
            raise _refuse(403, "audience", "The launch was meant for another tool "
                          "(its audience is not this tool's client id).") from None
        except jwt.InvalidTokenError as error:
            raise _refuse(403, "signature", "The launch's signature could not be verified "
                          f"with the LMS's public keys ({type(error).__name__}).") from None
        aud = self._get_jwt_body().get("aud")
        if isinstance(aud, list) and len(aud) > 1 and self._get_jwt_body().get("azp") != client_id:
            raise _refuse(403, "azp", "The launch names several audiences but not this tool "
                          "as its authorized party (azp).")
        return self

    def get_public_key(self) -> tuple[str, str]:
        header = self._jwt.get("header", {})
        kid, algorithm = header.get("kid"), header.get("alg")
        if not kid or algorithm != "RS256":
            raise _refuse(403, "header", "The launch's header must name a key (kid) and the "
                          "RS256 algorithm.")
        url = self._registration.get_key_set_url()
        key = _find(_platform_keys(self._app, url, fresh=False), kid) \
            or _find(_platform_keys(self._app, url, fresh=True), kid)
        if key is None:
            raise _refuse(403, "signature", "The launch was signed with a key the LMS does not "
                          "publish at its JWKS URL.", ASK_ADMIN)
        return JWK.from_json(json.dumps(key)).export_to_pem().decode("ascii"), "RS256"

    def save_launch_data(self):
        return self  # nothing in the session: see the module docstring


def _find(keyset: dict, kid: str) -> dict | None:
    for key in keyset.get("keys", []) if isinstance(keyset, dict) else []:
        if isinstance(key, dict) and key.get("kid") == kid and key.get("alg", "RS256") == "RS256":
            return key
    return None


def _platform_keys(app: Flask, url: str, *, fresh: bool) -> dict:
    """The platform's JWKS, cached per app for KEYS_TTL seconds (fresh: fetched now)."""
    cache = app.extensions.setdefault(_KEY_CACHE, {})
    now = time.monotonic()
    cached = cache.get(url)
    if cached and not fresh and cached[0] > now:
        return cached[1]
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        keyset = response.json()
    except (requests.RequestException, ValueError) as error:
        raise _refuse(403, "jwks", f"The LMS's public keys could not be fetched from {url} "
                      f"({type(error).__name__}).", ASK_ADMIN) from None
    if len(cache) > 100:
        cache.clear()
    cache[url] = (now + KEYS_TTL, keyset)
    return keyset
