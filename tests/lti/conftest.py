"""LTI fixtures: a running test LMS, an https test client, and the whole launch as a helper."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jwcrypto.jwk import JWK

from tests.lti.platform import TOOL_LAUNCH_URL, TestPlatform

TOOL_BASE = "https://localhost"


class HttpsClient(FlaskClient):
    """A test client that talks to the app as https://localhost, so Secure cookies apply.

    Like a browser, it sends a same-origin Referer with form posts: over https Flask-WTF's
    CSRF check insists on one (WTF_CSRF_SSL_STRICT).
    """

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", TOOL_BASE)
            if kwargs.get("method", "GET") != "GET":
                headers = dict(kwargs.pop("headers", None) or {})
                headers.setdefault("Referer", TOOL_BASE + "/")
                kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@functools.cache
def _tool_key_pem() -> str:
    return JWK.generate(kty="RSA", size=2048).export_to_pem(
        private_key=True, password=None).decode("ascii")


@pytest.fixture(autouse=True)
def tool_key(app_config: dict) -> str:
    """The tool's first key, put where simulator.lti.keys keeps keys (one generation per run:
    making a 2048-bit key is the slowest step of a launch). Returns its kid."""
    from simulator.lti.keys import CURRENT, parse_key

    key = parse_key(_tool_key_pem(), "test key")
    folder = Path(app_config["INSTANCE_PATH"]) / "lti" / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder.parent, 0o700)
    os.chmod(folder, 0o700)
    (folder / f"{key.kid}.pem").write_text(key.private_pem, encoding="ascii")
    os.chmod(folder / f"{key.kid}.pem", 0o600)
    (folder / CURRENT).write_text(key.kid, encoding="ascii")
    return key.kid


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The app's test client over https (the tool runs behind TLS in an LMS frame)."""
    app.test_client_class = HttpsClient
    return app.test_client()


@pytest.fixture
def platform() -> Iterator[TestPlatform]:
    """A test LMS listening on 127.0.0.1 for this test."""
    lms = TestPlatform().start()
    yield lms
    lms.stop()


@pytest.fixture
def registered(app: Flask, platform: TestPlatform):
    """The test LMS registered with the tool; returns its LtiPlatform row."""
    return platform.register(app)


def start_launch(client: FlaskClient, platform: TestPlatform, **claims) -> dict[str, str]:
    """The LMS's login initiation, the tool's redirect, and the platform's answer:
    the form fields (id_token, state) the browser would post to the launch URL."""
    login = client.get("/lti/login", query_string=platform.login_params(**claims))
    assert login.status_code == 302, login.get_data(as_text=True)
    action, fields = platform.authorize(login.headers["Location"])
    assert action == TOOL_LAUNCH_URL
    return fields


def launch(client: FlaskClient, platform: TestPlatform, **claims):
    """A whole launch, as a browser in the LMS frame makes it; returns the launch response."""
    return client.post("/lti/launch", data=start_launch(client, platform, **claims))
