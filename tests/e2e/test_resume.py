"""Closing the page in the middle of a session and coming back resumes at the same moment."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import (
    TRAINEE,
    answer_by_mouse,
    client_line,
    current_node,
    expect_next_moment,
    sign_in,
    start_session,
    turn_number,
)

pytestmark = pytest.mark.e2e

SCENARIO = "you-forgot-her-name"


def test_closing_the_page_mid_attempt_and_returning_resumes_at_the_same_turn(
        open_context, library, look):
    scenario = library.scenarios[SCENARIO]
    context = open_context()
    page = context.new_page()
    sign_in(page, TRAINEE)
    start_session(page, SCENARIO)
    first_turn = turn_number(page)
    answer_by_mouse(page, current_node(page, scenario))
    expect_next_moment(page, first_turn)
    left_at = (page.url, turn_number(page), client_line(page))
    page.close()

    again = context.new_page()
    again.goto("/")
    continue_card = again.locator("section.continue")
    expect(continue_card).to_contain_text(scenario.title)
    look(again, "dashboard with a session to continue")
    continue_card.locator("a:has-text('Continue')").click()

    expect(again.locator("#client-line")).to_contain_text(left_at[2])
    assert (again.url, turn_number(again), client_line(again)) == left_at
    expect(again.locator(".conversation .exchange")).to_have_count(1)
    expect(again.locator("#feedback-heading")).to_be_visible()
