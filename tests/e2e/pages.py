"""What a person does in the browser: sign in, move by keyboard, answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from simulator.cli.demo import DEMO_ACCOUNTS
from simulator.scenarios.model import ClientNode, Scenario

ACCOUNTS = {email: password for email, _name, _role, password in DEMO_ACCOUNTS}
TRAINEE, OTHER_TRAINEE, SUPERVISOR = ("trainee@example.org", "trainee2@example.org",
                                      "supervisor@example.org")
MAX_TABS = 150  # the longest page (a debrief) has fewer focusable elements than this
MAX_TURNS = 12  # every shipped scenario ends within 5 answers
ANSWER_LABEL = re.compile(r"^What would you say to ")
TYPED = 24  # characters typed key by key before the rest of an answer is inserted

# Whether the focused element matches a selector (and contains a text). A function, not a
# string, so the page's Content-Security-Policy (no eval) lets Playwright run it.
FOCUS_MATCHES = """([selector, text]) => {
  const el = document.activeElement;
  return !!el && el.matches(selector) && (!text || el.textContent.includes(text));
}"""
FOCUS_DESCRIPTION = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "<body>";
  return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " +
    (el.textContent || el.value || "").trim().slice(0, 40);
}"""


def squash(text: str) -> str:
    """Whitespace collapsed, as a browser renders it."""
    return re.sub(r"\s+", " ", text).strip()


def start_session(page: Page, scenario_id: str) -> str:
    """Start a practice attempt from the scenario page; the attempt's URL."""
    page.goto(f"/scenarios/{scenario_id}")
    page.click("button:has-text('Start the session')")
    page.wait_for_url("**/attempts/*")
    return page.url


def sign_in(page: Page, email: str, password: str | None = None) -> None:
    """Sign in through the form and land on the account's home (its role decides which)."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password or ACCOUNTS[email])
    page.click("button:has-text('Sign in')")
    page.wait_for_url(lambda url: "/login" not in url)


def tab_to(page: Page, selector: str, text: str = "", *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches; fails if it never does."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(FOCUS_MATCHES, [selector, text]):
            return
        visited.append(page.evaluate(FOCUS_DESCRIPTION))
    raise AssertionError(f"{key} never reached {selector} {text!r} on {page.url}; focus went "
                         f"through: {visited[:12]} ... {visited[-6:]}")


def press_on(page: Page, selector: str, text: str = "", key: str = "Enter", *,
             backwards: bool = False) -> None:
    """Move focus to an element with the keyboard, then press a key on it."""
    tab_to(page, selector, text, backwards=backwards)
    page.keyboard.press(key)


def type_text(page: Page, text: str) -> None:
    """Type into the focused field: real key presses first, then the rest as one input event.

    Pressing every key of a 300-character answer costs seconds per turn on a busy machine;
    the key presses show typing reaches the field, the rest is what a paste would do.
    """
    page.keyboard.type(text[:TYPED])
    page.keyboard.insert_text(text[TYPED:])


def client_line(page: Page) -> str:
    """What the client is saying now."""
    line = page.locator("#client-line .line")
    return squash(line.inner_text()) if line.count() else ""


def current_node(page: Page, scenario: Scenario) -> ClientNode | None:
    """The scenario's node whose line is on the page; None at an ending."""
    if page.locator("input[name=turn]").count() == 0:
        return None
    said = client_line(page)
    for node in scenario.nodes.values():
        if isinstance(node, ClientNode) and squash(node.say) == said:
            return node
    raise AssertionError(f"no node of {scenario.id} says {said!r}")


def good_answer(node: ClientNode) -> str:
    """The author's strong exemplar: a deterministic answer that should score well."""
    assert node.exemplars and node.exemplars.strong, f"{node.id} has no exemplar"
    return node.exemplars.strong[0]


def expect_next_moment(page: Page, before: str) -> None:
    """The page moved past turn `before` and shows feedback on the answer."""
    expect(page.locator(f"input[name=turn][value='{before}']"),
           "the page still shows the moment just answered: the answer was not swapped in"
           ).to_have_count(0)
    expect(page.locator("#feedback-heading"), "no feedback after the answer").to_be_visible()


def turn_number(page: Page) -> str:
    """The hidden turn index of the answer form."""
    return page.locator("input[name=turn]").get_attribute("value") or ""


@contextmanager
def answer_posted(page: Page) -> Iterator:
    """Wait for the answer the block sends; a clear failure when pressing Respond sent none."""
    pressed = False
    try:
        with page.expect_response(lambda r: r.url.endswith("/turns")) as posted:
            yield posted
            pressed = True  # timeouts inside the block are the block's own failures
    except PlaywrightTimeoutError:
        if not pressed:
            raise
        raise AssertionError(
            f"pressing Respond sent no answer to the server from {page.url} (is the form's "
            "htmx target missing, or the form broken?)") from None


def answer_by_mouse(page: Page, node: ClientNode) -> Response:
    """Write the exemplar (or pick the first choice), press Respond; the server's response."""
    if node.respond == "choice":
        page.check("#choice-0")
    else:  # found by its label, as a screen reader user finds it
        if node.respond == "both":  # the moment offers options too: say which counts
            page.get_by_label("Write my own").check()
        box = page.get_by_label(ANSWER_LABEL)
        expect(box, "the answer box has no label 'What would you say to ...'").to_be_visible()
        box.fill(good_answer(node))
    with answer_posted(page) as posted:
        page.click("form.answer-form button[type=submit]")
    return posted.value


def play_by_mouse(page: Page, scenario: Scenario, *, htmx: bool) -> int:
    """Answer every moment until an ending, checking feedback after each; returns answers."""
    for answered in range(MAX_TURNS):
        node = current_node(page, scenario)
        if node is None:
            return answered
        before = turn_number(page)
        response = answer_by_mouse(page, node)
        assert (response.request.headers.get("hx-request") == "true") == htmx, (
            f"expected {'an htmx' if htmx else 'a plain form'} request, got {response.request}")
        expect_next_moment(page, before)
    raise AssertionError(f"{scenario.id}: no ending after {MAX_TURNS} answers")


def sign_out(page: Page) -> None:
    """Press 'Sign out' in the header and land on the sign-in page."""
    page.click("nav button:has-text('Sign out')")
    page.wait_for_url("**/login")
