"""Every main page at a phone's width (390 px) with realistic data: nothing scrolls sideways.

The server has its own database: the demo accounts, one seeded cohort with months of history
(`simulator demo --scale`), and a scenario with a long title and a long word uploaded through
the web. One browser context visits every page as trainee, supervisor and admin; each page is
photographed at phone width and every page that scrolls sideways is named at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from simulator.cli.demo import DEMO_ACCOUNTS
from simulator.seeding import supervisor_email, trainee_email
from tests.e2e.looking import OVERFLOWING, PHONE, SHOT_OPTIONS
from tests.e2e.pages import (
    answer_by_mouse,
    current_node,
    expect_next_moment,
    good_answer,
    play_by_mouse,
    sign_in,
    sign_out,
    turn_number,
)
from tests.e2e.server import LiveServer, served

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
ADMIN = "admin@example.org"
# Seeded accounts share the demo passwords of their role.
TRAINEE, TRAINEE_PASSWORD = trainee_email(1), DEMO_ACCOUNTS[2][3]
SUPERVISOR, SUPERVISOR_PASSWORD = supervisor_email(1), DEMO_ACCOUNTS[1][3]
BASED_ON = "you-started-late-again"  # free text only: the answers are the author's exemplars
UPLOADED = "phone-long-title"
LONG_TITLE = ("You started late again: eleven minutes on a Thursday afternoon, with the fee "
              "going up to seventy pounds next month")
# A word no phone can fit on one line, in the scenario, an answer, and a supervisor's comment.
LONG_WORD = "Küchenchefstellvertretersvertragsverhandlungsprotokollführung"
LONG_URL = ("https://example.org/supervision/notes/owning-the-lateness-before-anything-else-"
            "without-excuses-or-reassurance")
NEWCOMER = "maximiliano.featherstonehaugh@postgraduate-counselling-training.example.org"
ROSTER = (b"email,name,role\n"
          b"maximiliana.featherstonehaugh-cholmondeley@training-institute.example.org,"
          b"Maximiliana Featherstonehaugh-Cholmondeley,trainee\n"
          b"not-an-email,Nobody,trainee\n")

# Scroll boxes a keyboard and a screen reader can reach: focusable, a region, with a name.
UNREACHABLE_SCROLL_BOXES = """() => [...document.querySelectorAll(".table-scroll")]
  .filter((el) => !(el.getAttribute("tabindex") === "0" && el.getAttribute("role") === "region"
                    && (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"))))
  .map((el) => el.outerHTML.slice(0, 100))"""


def uploaded_scenario() -> bytes:
    """A shipped scenario under a new id, with a long title and a long word in its summary."""
    text = (ROOT / "scenarios" / f"{BASED_ON}.yaml").read_text(encoding="utf-8")
    for old, new in ((f"id: {BASED_ON}\n", f"id: {UPLOADED}\n"),
                     ("title: You started late again\n", f'title: "{LONG_TITLE}"\n'),
                     ("  Mateo, a head chef", f"  Mateo ({LONG_WORD}), a head chef")):
        assert old in text, f"{BASED_ON}.yaml no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return text.encode()


@pytest.fixture(scope="module")
def live_server(axe_source: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[LiveServer]:
    """This module's own server: demo accounts plus a seeded cohort with history."""
    with served(tmp_path_factory.mktemp("phone-server"), "--scale", "2", "--cohort-size", "2",
                "--turns-per-trainee", "40") as server:
        yield server


class Phone:
    """Looks at pages at 390 px: a screenshot each, and every sideways scroll noted."""

    def __init__(self, page: Page, axe) -> None:
        self.page, self.axe, self.problems = page, axe, []
        page.set_viewport_size(PHONE)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        """Check the page as it is now; problems are collected, so every page gets looked at."""
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=SCREENSHOTS / f"phone-{slug}.png", **SHOT_OPTIONS)
        wide = self.page.evaluate(OVERFLOWING)
        if wide:
            self.problems.append(f"{name} ({self.page.url}) scrolls sideways: {', '.join(wide)}")
        for box in self.page.evaluate(UNREACHABLE_SCROLL_BOXES):
            self.problems.append(f"{name}: a scroll box without tabindex=0, role=region and a "
                                 f"label: {box}")
        try:
            self.axe.check(self.page, f"{name}, phone width")
        except AssertionError as found:
            self.problems.append(str(found))

    def go(self, path: str, name: str) -> None:
        """Open a page by its address and check it."""
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self(name)


def supervisor_pages(page: Page, phone: Phone) -> tuple[str, str]:
    """Upload, assign, import a roster, override a score, and look at every supervisor page;
    returns the reviewed attempt's id and the cohort page's address."""
    sign_in(page, SUPERVISOR, SUPERVISOR_PASSWORD)
    phone.go("/supervise/", "supervise home")
    cohort = upload_and_assign(page, phone)
    import_roster(page, phone)
    page.goto(cohort)
    # A finished session, so the trainee can read the reviewed debrief later.
    page.locator("td:has(.status-completed) a:has-text('Review')").first.click()
    page.wait_for_url("**/supervise/attempts/*")
    attempt_id = page.url.rsplit("/", 1)[-1].split("#")[0]
    override_first_turn(page)
    phone("review")
    page.click("a:has-text('Printable transcript')")
    phone("transcript")
    phone.go("/supervise/queue", "review queue")
    phone.go("/supervise/blind", "blind rating")
    phone.go("/supervise/agreement", "agreement")
    sign_out(page)
    return attempt_id, cohort


def upload_and_assign(page: Page, phone: Phone) -> str:
    """Upload the long-titled scenario and assign it with a due date; the cohort's address."""
    page.goto("/supervise/scenarios/upload")
    page.set_input_files("#scenario-file", files=[{
        "name": f"{UPLOADED}.yaml", "mimeType": "application/yaml", "buffer": uploaded_scenario()}])
    page.click("button:has-text('Check and upload')")
    expect(page.locator("#messages")).to_contain_text("a draft")
    phone("scenario editor, after the upload")
    page.check("label:has-text('Scale cohort 001') >> xpath=preceding-sibling::input")
    page.click("button:has-text('Publish')")
    expect(page.locator("#messages")).to_contain_text("is published")
    phone.go(f"/supervise/scenarios/{UPLOADED}/versions", "scenario history")
    phone.go(f"/supervise/scenarios/{UPLOADED}/versions/1", "scenario version")
    phone.go(f"/supervise/scenarios/{UPLOADED}/preview", "scenario preview")
    phone.go("/supervise/scenarios", "your scenarios")

    page.goto("/supervise/")
    page.click("a:has-text('Scale cohort 001')")
    page.check(f"#assign-{UPLOADED}")
    page.fill("#due", (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%d"))
    page.click("button:has-text('Assign')")
    expect(page.locator("#messages")).to_contain_text("assignment")
    phone("supervisor cohort")
    return page.url


def import_roster(page: Page, phone: Phone) -> None:
    """Preview a roster with a long email and a bad line, then import the good row."""
    page.set_input_files("#roster", files=[
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}])
    page.click("button:has-text('Preview the roster')")
    expect(page.locator("h1")).to_have_text("Roster preview")
    phone("roster preview")
    page.check("#skip-invalid")
    page.click("button:has-text('Import 1 row')")
    expect(page.locator("h1")).to_have_text("Roster imported")
    phone("roster imported")


def override_first_turn(page: Page) -> None:
    """Rate the first turn's first criterion at the lowest level, with a comment holding a URL."""
    first = page.locator("li.exchange").first
    first.locator("select[name=level]").select_option(index=0)
    first.locator("textarea[name=comment]").fill(f"Name the lateness first. See {LONG_URL}")
    first.locator("button:has-text('Save override')").click()
    expect(page.locator("#messages")).to_contain_text("Your rating is saved")


def trainee_pages(page: Page, phone: Phone, library, reviewed: str) -> None:
    """Dashboard, library, the uploaded scenario played with a rewind, debriefs, progress."""
    sign_in(page, TRAINEE, TRAINEE_PASSWORD)
    phone.go("/", "dashboard")
    assignments = page.locator("section[aria-labelledby=assignments-heading] tbody tr")
    assert assignments.count() >= 3, "the seeded trainee should have several assignments"
    finished = page.locator("section[aria-labelledby=recent-heading] li")
    assert finished.count() >= 3, "the seeded trainee should have three finished sessions"
    phone.go("/scenarios", "library")
    phone.go(f"/scenarios/{UPLOADED}", "scenario")
    page.click("button:has-text('Start the assigned session')")
    page.wait_for_url("**/attempts/*")
    phone("play")
    play_with_rewind(page, phone, library.scenarios[BASED_ON])
    page.click("a:has-text('Read the debrief')")
    phone("debrief")
    phone.go(f"/attempts/{reviewed}/debrief", "debrief reviewed by a supervisor")
    phone.go("/progress", "progress")
    phone.go("/account", "account")
    sign_out(page)


def play_with_rewind(page: Page, phone: Phone, scenario) -> None:
    """Answer with a long word, see feedback, go back, answer again, then play to the end."""
    first = current_node(page, scenario)
    before = turn_number(page)
    page.get_by_label("What would you say to").fill(f"{good_answer(first)} {LONG_WORD}")
    page.click("form.answer-form button[type=submit]")
    expect_next_moment(page, before)
    phone("play with feedback")
    page.click("button:has-text('Go back and answer that moment again')")
    expect(page.locator(".conversation .exchange")).to_have_count(0)
    answer_by_mouse(page, first)
    expect(page.locator("#comparison-heading")).to_be_visible()
    phone("play after a rewind")
    play_by_mouse(page, scenario, htmx=True)


def admin_pages(page: Page, phone: Phone, cohort: str) -> None:
    """A person added to the cohort directly, their one-time links, and the overview."""
    sign_in(page, ADMIN)
    page.goto(cohort)
    page.fill("#member-email", NEWCOMER)
    page.fill("#member-name", "Maximiliano Featherstonehaugh")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#links-heading")).to_be_visible()
    phone("cohort page with a new account's link")
    member = page.locator("#members-heading + ul li").filter(has_text=NEWCOMER)
    member.locator("button:has-text('New set-password link')").click()
    expect(member.locator(".secret-link")).to_be_visible()
    phone("cohort page with a one-time link")
    phone.go("/admin/", "admin overview")
    page.locator("button:has-text('New set-password link')").last.click()
    expect(page.locator(".secret-link")).to_be_visible()
    phone("admin overview with a one-time link")
    phone.go("/admin/lti", "LMS platforms")
    page.fill("#platform-name", "Moodle at the Faculty of Health and Social Care Professions")
    page.fill("#platform-issuer", "https://moodle.health-and-social-care.example.ac.uk")
    page.fill("#platform-client-id", "8cQH1dTjG3r7XkA")
    page.fill("#platform-auth-url", "https://moodle.health-and-social-care.example.ac.uk/mod/lti/auth.php")
    page.fill("#platform-token-url", "https://moodle.health-and-social-care.example.ac.uk/mod/lti/token.php")
    page.fill("#platform-jwks-url", "https://moodle.health-and-social-care.example.ac.uk/mod/lti/certs.php")
    page.fill("#platform-deployments", "3")
    page.get_by_role("button", name="Add platform").click()
    expect(page.locator("#platforms-heading + *")).to_contain_text("8cQH1dTjG3r7XkA")
    phone("LMS platforms with one registered")
    sign_out(page)


def test_no_page_scrolls_sideways_on_a_phone(open_context, library, axe):
    page = open_context().new_page()
    phone = Phone(page, axe)
    phone.go("/login", "sign in")
    reviewed, cohort = supervisor_pages(page, phone)
    trainee_pages(page, phone, library, reviewed)
    admin_pages(page, phone, cohort)
    assert not phone.problems, (
        f"{len(phone.problems)} problem(s) at {PHONE['width']} px wide (WCAG 1.4.10 reflow; "
        f"screenshots in {SCREENSHOTS}):\n" + "\n".join(phone.problems))
