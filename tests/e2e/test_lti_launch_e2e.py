"""An LMS launches Holding Space in Chromium: an instructor adds a scenario with Deep Linking
(the picker, and the signed answer posted back by the page's own script under our CSP), then
a learner opens that activity and lands on the assigned scenario.

The LMS is tests/lti/platform.py's stand-in on another loopback port, signing real JWTs; the
tool is the suite's `simulator serve`, with the platform registered through the CLI as an
admin would.
"""

from __future__ import annotations

from urllib.parse import urlencode

import jwt
import pytest
import requests
from playwright.sync_api import Page, expect

from tests.e2e.server import LiveServer, server_env, simulator
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform

pytestmark = pytest.mark.e2e

SCENARIO = "you-sound-like-my-father"
COURSE = {"context_id": "e2e-course", "context_title": "Relational skills (e2e)"}


@pytest.fixture
def lms(live_server: LiveServer):
    platform = TestPlatform(client_id="e2e-tool").start()
    platform.redirect_uris = {f"{live_server.url}/lti/launch"}
    env = server_env(live_server.log.parent)
    simulator(env, "lti", "add-platform", "--name", "E2E LMS", "--issuer", platform.issuer,
              "--client-id", platform.client_id, "--auth-url", platform.auth_url,
              "--token-url", platform.token_url, "--jwks-url", platform.jwks_url,
              "--deployment-id", platform.deployment_id)
    yield platform
    platform.stop()


def _launch(page: Page, live_server: LiveServer, lms: TestPlatform, **claims) -> None:
    """The LMS's login initiation in the browser, then the platform's form posted onward."""
    params = lms.login_params(target_link_uri=f"{live_server.url}/lti/launch", **claims)
    page.goto(f"{live_server.url}/lti/login?{urlencode(params)}")
    page.get_by_role("button", name="Continue to the tool").click()


def test_deep_linking_then_a_learner_launch_in_a_real_browser(open_context, live_server, lms,
                                                               look):
    instructor = open_context().new_page()
    _launch(instructor, live_server, lms, message_type="LtiDeepLinkingRequest",
            sub="e2e-teacher", roles=[INSTRUCTOR], name="Tamsin Teacher",
            email="tamsin.teacher@example.edu", **COURSE)
    expect(instructor.locator("h1")).to_be_visible()
    look(instructor, "LTI scenario picker")
    instructor.locator(f"#pick-{SCENARIO}").check()
    instructor.get_by_role("button", name="Add to the course").click()
    # The return page's script posts the signed answer to the LMS (another origin).
    expect(instructor.locator("body")).to_have_text("received")
    assert len(lms.returned) == 1
    keys = requests.get(f"{live_server.url}/lti/jwks.json", timeout=10).json()["keys"]
    header = jwt.get_unverified_header(lms.returned[0])
    key = next(k for k in keys if k["kid"] == header["kid"])
    answer = jwt.decode(lms.returned[0], jwt.PyJWK(key).key, algorithms=["RS256"],
                        audience=lms.issuer)
    items = answer["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assignment_id = items[0]["custom"]["assignment_id"]
    assert items[0]["url"] == f"{live_server.url}/lti/launch"

    learner = open_context().new_page()
    _launch(learner, live_server, lms, sub="e2e-learner", roles=[LEARNER],
            name="Lerato Learner", email="lerato.learner@example.edu",
            resource_link_id="e2e-activity", custom={"assignment_id": assignment_id}, **COURSE)
    expect(learner).to_have_url(f"{live_server.url}/scenarios/{SCENARIO}")
    expect(learner.get_by_role("button", name="Start the assigned session")).to_be_visible()
    look(learner, "scenario page after an LMS launch")
