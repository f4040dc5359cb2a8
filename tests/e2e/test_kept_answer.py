"""An answer written while the session ran out is kept: sign in again and it is back in the box.

The session is ended the way a night away would end it: its last-seen time, inside the signed
session cookie, is set 13 hours back (the server's own secret signs the changed cookie).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from playwright.sync_api import BrowserContext, expect

from tests.e2e.pages import (
    ACCOUNTS,
    ANSWER_LABEL,
    TRAINEE,
    sign_in,
    start_session,
    turn_number,
    type_text,
)

pytestmark = pytest.mark.e2e

SCENARIO = "you-sound-like-my-father"
ANSWER = ("I can hear how much that stung, and I don't want to brush it aside. Can you tell me "
          "what it was about the way I said it that felt like him?")
DRAFTS = "() => Object.keys(sessionStorage).filter((k) => k.startsWith('holding-space:draft:'))"


def _age_session(context: BrowserContext, secret_file: Path, hours: float) -> None:
    """Rewrite the session cookie as if the browser had been idle for `hours`."""
    signer = Flask(__name__)
    signer.secret_key = secret_file.read_text(encoding="utf-8").strip()
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    cookie = next(c for c in context.cookies() if c["name"] == "session")
    data = serializer.loads(cookie["value"])
    data["seen_at"] = int(time.time() - hours * 3600)
    context.add_cookies([{**cookie, "value": serializer.dumps(data)}])


def test_an_answer_typed_when_the_session_ended_is_back_after_signing_in(
        open_context, live_server, look):
    context = open_context()
    page = context.new_page()
    sign_in(page, TRAINEE)
    attempt_url, turn = start_session(page, SCENARIO), turn_number(page)
    page.get_by_label(ANSWER_LABEL).click()
    type_text(page, ANSWER)

    _age_session(context, live_server.log.parent / "instance" / "secret_key", hours=13)
    page.click("form.answer-form button[type=submit]")

    page.wait_for_url("**/login?next=*")
    expect(page.locator("#messages")).to_contain_text(
        "Your session ended because it was idle for 12 hours.")
    expect(page.locator("#messages")).to_contain_text("kept in this browser")
    look(page, "sign-in after the session ended")
    page.fill("#email", TRAINEE)
    page.fill("#password", ACCOUNTS[TRAINEE])
    page.click("button:has-text('Sign in')")

    page.wait_for_url(attempt_url)
    assert turn_number(page) == turn  # nothing was sent
    expect(page.get_by_label(ANSWER_LABEL)).to_have_value(ANSWER)
    expect(page.locator("#draft-note")).to_be_visible()

    page.click("form.answer-form button[type=submit]")
    expect(page.locator(f"input[name=turn][value='{turn}']")).to_have_count(0)
    # Accepted: the kept copy goes (when htmx has finished with the response, so wait for it).
    page.wait_for_function(f"() => ({DRAFTS})().length === 0", timeout=5000)
    assert page.evaluate(DRAFTS) == []
