"""Choice moments in a real browser: one mode at a time, and a choice that can be cleared."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import (
    ANSWER_LABEL,
    OTHER_TRAINEE,
    answer_posted,
    sign_in,
    squash,
    start_session,
    tab_to,
)

pytestmark = pytest.mark.e2e

SCENARIO = "you-must-be-sick-of-me"  # opens with three options and a box for one's own words
WORDS = "It sounds like you worry you take up too much room here. What makes you think so?"


def test_clear_my_choice_unticks_it_by_mouse_and_by_keyboard(open_context, look):
    page = open_context().new_page()
    sign_in(page, OTHER_TRAINEE)
    start_session(page, SCENARIO)
    options, clear = page.locator("input[name=choice]"), page.get_by_role(
        "button", name="Clear my choice")
    expect(clear).to_be_visible()
    look(page, "play with choices")

    options.nth(1).check()
    clear.click()
    expect(page.locator("input[name=choice]:checked")).to_have_count(0)

    options.nth(2).check()
    tab_to(page, "[data-clear-choice]")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=choice]:checked")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="No response is ticked now.")
           ).to_have_count(1)


def test_picking_a_mode_shows_only_its_section_and_only_it_counts(open_context, library):
    node = library.scenarios[SCENARIO].node(library.scenarios[SCENARIO].start)
    page = open_context().new_page()
    sign_in(page, OTHER_TRAINEE)
    start_session(page, SCENARIO)
    choices, box = page.locator("#choices"), page.get_by_label(ANSWER_LABEL)
    expect(choices).to_be_visible()
    expect(box).to_be_visible()

    page.get_by_label("Choose one of the responses").check()
    expect(box).to_be_hidden()
    page.locator("#choice-2").check()
    page.get_by_label("Write my own").check()
    expect(choices).to_be_hidden()
    box.fill(WORDS)
    with answer_posted(page):
        page.click("form.answer-form button[type=submit]")
    said = page.locator(".conversation .exchange").first
    expect(said).to_contain_text(WORDS)
    expect(said).not_to_contain_text(squash(node.choices[2].text))


def test_without_javascript_both_sections_show_and_the_mode_decides(open_context, library):
    node = library.scenarios[SCENARIO].node(library.scenarios[SCENARIO].start)
    page = open_context(java_script_enabled=False).new_page()
    sign_in(page, OTHER_TRAINEE)
    start_session(page, SCENARIO)
    expect(page.locator("#choices")).to_be_visible()
    expect(page.get_by_label(ANSWER_LABEL)).to_be_visible()
    expect(page.get_by_role("button", name="Clear my choice")).to_be_hidden()
    expect(page.locator("#choices-hint")).to_contain_text("pick “Write my own” above")

    page.locator("#choice-0").check()
    page.get_by_label(ANSWER_LABEL).fill(WORDS)
    page.click("form.answer-form button[type=submit]")  # no mode picked: asked for one
    expect(page.locator("#answer-mode-error")).to_contain_text("Please say how you want to answer")
    expect(page.get_by_label(ANSWER_LABEL)).to_have_value(WORDS)

    page.get_by_label("Choose one of the responses").check()
    page.locator("#choice-0").check()
    page.click("form.answer-form button[type=submit]")
    said = page.locator(".conversation .exchange").first
    expect(said).to_contain_text(squash(node.choices[0].text))
    expect(said).not_to_contain_text(WORDS)


def test_words_kept_in_the_browser_come_back_with_write_my_own_picked(open_context):
    page = open_context().new_page()
    sign_in(page, OTHER_TRAINEE)
    start_session(page, SCENARIO)
    page.get_by_label("Write my own").check()
    page.get_by_label(ANSWER_LABEL).fill(WORDS)
    page.reload()  # the page comes back with nothing picked; the words are in this tab's store

    expect(page.get_by_label(ANSWER_LABEL)).to_have_value(WORDS)
    expect(page.get_by_label("Write my own")).to_be_checked()
    expect(page.locator("#choices")).to_be_hidden()
