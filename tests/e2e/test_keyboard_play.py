"""A trainee does a whole practice session with the keyboard alone, and every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    ACCOUNTS,
    MAX_TURNS,
    TRAINEE,
    answer_posted,
    client_line,
    current_node,
    expect_next_moment,
    good_answer,
    press_on,
    squash,
    tab_to,
    turn_number,
    type_text,
)

pytestmark = pytest.mark.e2e

SCENARIO = "thought-records-are-pointless"  # beginner level: choices and free text together
REFLECTION = "I noticed I wanted to defend the homework instead of hearing her."


def test_keyboard_only_session_with_feedback_rewind_debrief_and_reflection(
        open_context, look, library):
    scenario = library.scenarios[SCENARIO]
    page = open_context().new_page()
    page.goto("/login")
    look(page, "login", shot="login")
    sign_in_by_keyboard(page)
    look(page, "dashboard", shot="dashboard")
    find_scenario_by_keyboard(page, library, look)
    first = start_and_answer_first_moment(page, scenario, look)
    rewind_by_keyboard(page, first.say)
    answer_by_keyboard(page, good_answer(first))
    expect(page.locator("#comparison-heading")).to_be_visible()
    look(page, "play after a rewind")
    play_rest_by_keyboard(page, scenario)

    press_on(page, "a", "Read the debrief")
    expect(page.locator("h1")).to_have_text(f"Debrief: {scenario.title}")
    look(page, "debrief", shot="debrief", crop_from="body")
    reflect_by_keyboard(page)
    press_on(page, "nav a", "Progress")
    expect(page.locator("h1")).to_have_text("Your progress")
    look(page, "progress", shot="progress")


def sign_in_by_keyboard(page: Page) -> None:
    tab_to(page, "#email")
    page.keyboard.type(TRAINEE)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(ACCOUNTS[TRAINEE])
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Welcome")


def find_scenario_by_keyboard(page: Page, library, look) -> None:
    """Open the library from the menu, filter it (an htmx swap), and open the scenario."""
    press_on(page, "nav a", "Scenarios")
    expect(page.locator("h1")).to_have_text("Scenario library")
    tab_to(page, "#difficulty")
    page.keyboard.press("ArrowDown")  # difficulty 1: the list is swapped without a reload
    beginners = sum(1 for s in library.scenarios.values() if s.difficulty == 1)
    expect(page.locator(".scenario-card")).to_have_count(beginners)
    look(page, "library", shot="library")
    press_on(page, f"a[href='/scenarios/{SCENARIO}']")
    expect(page.locator("h1")).to_have_text(library.scenarios[SCENARIO].title)
    look(page, "scenario", shot="scenario")


def start_and_answer_first_moment(page: Page, scenario, look):
    """Start, name what is noticed, answer; feedback follows. Returns the first moment."""
    press_on(page, "button[type=submit]", "Start the session")
    expect(page.locator("#client-line")).to_contain_text(squash(scenario.node(scenario.start).say))
    look(page, "play")
    first = current_node(page, scenario)
    notice_by_keyboard(page)
    answer_by_keyboard(page, good_answer(first))
    expect(page.locator(".feedback")).to_contain_text("What you noticed")
    look(page, "play with feedback", shot="play-feedback", crop_from=".conversation .exchange")
    return first


def notice_by_keyboard(page: Page) -> None:
    """Open 'what do you notice', name the family with Space, and tick a marker."""
    press_on(page, "summary", "what do you notice")
    tab_to(page, "input[name=notice_family]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=notice_markers]")
    page.keyboard.press("Space")


def answer_by_keyboard(page: Page, text: str) -> None:
    """Type an answer, press Respond, and check focus and the live region follow the client."""
    before = turn_number(page)
    if page.locator("input[name=mode]").count():  # options are offered too: say which counts
        tab_to(page, "#mode-choice")  # Tab enters a group with nothing ticked at its first
        page.keyboard.press("ArrowDown")  # arrows move within the group and tick
        expect(page.locator("#mode-free")).to_be_checked()
    tab_to(page, "#response")
    type_text(page, text)
    with answer_posted(page):
        press_on(page, "button[type=submit]", "Respond")
    expect_next_moment(page, before)
    check_focus_and_announcement(page)


def check_focus_and_announcement(page: Page) -> None:
    """After an htmx turn, focus is on the client's new line and the live region speaks it."""
    expect(page.locator("#client-line"),
           "focus did not move to the client's new line after the turn").to_be_focused()
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer, "the live region does not announce the client's new line"
           ).to_contain_text(client_line(page))
    assert announcer.count() == 1, "the live region was duplicated"


def rewind_by_keyboard(page: Page, earlier_line: str) -> None:
    """Shift+Tab back to 'go back' (it sits above the client's line) and press Space."""
    press_on(page, "button", "Go back and answer that moment again", "Space", backwards=True)
    expect(page.locator("#client-line")).to_contain_text(squash(earlier_line))
    expect(page.locator(".conversation .exchange")).to_have_count(0)
    check_focus_and_announcement(page)


def play_rest_by_keyboard(page: Page, scenario) -> None:
    for _ in range(MAX_TURNS):
        node = current_node(page, scenario)
        if node is None:
            expect(page.locator("#ending-heading")).to_be_visible()
            return
        answer_by_keyboard(page, good_answer(node))
    raise AssertionError(f"{scenario.id}: no ending after {MAX_TURNS} answers")


def reflect_by_keyboard(page: Page) -> None:
    """Write a reflection, share it with Space, save with Enter; it is there after the reload."""
    tab_to(page, "#reflection-text")
    type_text(page, REFLECTION)
    page.keyboard.press("Tab")
    expect(page.locator("#share")).to_be_focused()
    page.keyboard.press("Space")
    press_on(page, "button[type=submit]", "Save reflection")
    expect(page.locator("#messages")).to_contain_text(
        "Your reflection and sharing choices are saved.")
    expect(page.locator("#reflection-text")).to_have_value(REFLECTION)
    expect(page.locator("#share")).to_be_checked()
