"""The branch map in a real browser: opened by keyboard, and passing axe with and without
faults marked (unreachable, dead-end and missing nodes) in the editor."""

from __future__ import annotations

import textwrap

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import SUPERVISOR, press_on, sign_in, tab_to

pytestmark = pytest.mark.e2e

SCENARIO = "you-started-late-again"
DRAFT = textwrap.dedent("""\
    start: opening
    nodes:
      opening:
        say: "Fine. Whatever you think."
        branches:
          - when: {ownership: ">= 0.5"}
            goto: repaired
          - when: {direction: against}
            goto: typo-node
          - otherwise: opening
      repaired: {ending: repaired, debrief: Good.}
      stray:
        say: Nobody gets here, and nothing leads on.
        branches: [{otherwise: circle}]
      circle:
        say: Round again.
        branches: [{otherwise: stray}]
    """)
def open_map(page: Page) -> None:
    """Open the map's details with the keyboard, and reach its scrolling drawing."""
    press_on(page, "#branch-map summary")
    expect(page.locator("#branch-map svg[role=img]")).to_be_visible()
    tab_to(page, ".branch-map-scroll")


def test_supervisor_reads_the_library_map_by_keyboard(open_context, look):
    page = open_context().new_page()
    sign_in(page, SUPERVISOR)
    page.goto(f"/scenarios/{SCENARIO}")
    expect(page.locator("#branch-map svg")).to_be_hidden()
    open_map(page)
    expect(page.locator("#branch-map-desc")).to_contain_text("7 moments and 4 endings")
    outline = page.locator(".branch-map-outline > li")
    expect(outline).to_have_count(11)
    look(page, "library page, branch map open", shot="branch-map")


def test_a_draft_map_with_faults_passes_axe_in_the_editor(open_context, look):
    """A draft that does not validate is drawn in the editor as it is typed, faults marked."""
    page = open_context().new_page()
    sign_in(page, SUPERVISOR)
    page.goto("/supervise/scenarios/new")
    page.locator("#scenario-yaml").fill("id: draft-map-faults\n" + DRAFT)
    drawing = page.locator("#draft-map svg")
    expect(drawing.locator(".bm-node.bm-missing")).to_contain_text("typo-node")
    expect(drawing.locator(".bm-flagged")).to_have_count(2)
    expect(page.locator(".branch-map-outline")).to_contain_text("missing node typo-node")
    expect(page.locator(".branch-map-outline")).to_contain_text("unreachable, dead end")
    expect(page.locator("#draft-problems")).to_contain_text("cannot be reached from start")
    tab_to(page, "#draft-map .branch-map-scroll")
    look(page, "editor: a draft's branch map with unreachable, dead-end and missing nodes",
         shot="branch-map-faults")
