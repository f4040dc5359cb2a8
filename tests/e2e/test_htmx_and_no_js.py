"""The same session completes through htmx swaps and through plain form posts (no JavaScript)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import OTHER_TRAINEE, play_by_mouse, sign_in, start_session

pytestmark = pytest.mark.e2e

SCENARIO = "you-must-be-sick-of-me"


def finish_at_debrief(page: Page, title: str) -> None:
    page.click("a:has-text('Read the debrief')")
    expect(page.locator("h1")).to_have_text(f"Debrief: {title}")
    expect(page.locator("#outcome-heading")).to_contain_text("Outcome:")


def test_htmx_path_swaps_each_turn_in_place(open_context, library, look):
    scenario = library.scenarios[SCENARIO]
    page = open_context().new_page()
    sign_in(page, OTHER_TRAINEE)
    url = start_session(page, SCENARIO)
    loads = []
    page.on("load", lambda: loads.append(page.url))

    answered = play_by_mouse(page, scenario, htmx=True)

    assert answered >= 1
    assert loads == [], f"an htmx turn reloaded the page: {loads}"
    assert page.url == url
    expect(page.locator("#ending-heading")).to_be_visible()
    look(page, "play at an ending")
    finish_at_debrief(page, scenario.title)


def test_no_javascript_path_posts_forms_and_redirects(open_context, library):
    scenario = library.scenarios[SCENARIO]
    page = open_context(java_script_enabled=False).new_page()
    sign_in(page, OTHER_TRAINEE)
    url = start_session(page, SCENARIO)
    loads = []
    page.on("load", lambda: loads.append(page.url))

    answered = play_by_mouse(page, scenario, htmx=False)

    assert answered >= 1
    assert loads == [url] * answered, "each answer should post, redirect and load the page"
    expect(page.locator("#ending-heading")).to_be_visible()
    finish_at_debrief(page, scenario.title)
