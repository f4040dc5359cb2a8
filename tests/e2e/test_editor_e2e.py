"""A supervisor writes a scenario in the browser: types, sees a problem appear beside the text
with its line, jumps to it, fixes it, saves, previews the draft with its debug panel, and
publishes it to a cohort. Every state of the editor passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import SUPERVISOR, sign_in

pytestmark = pytest.mark.e2e

SCENARIO = "editor-e2e-clock"
COHORT = "Editor test group"
STRONG = ("I noticed I glanced at the clock just then, and you stopped. I'm sorry, that was "
          "me, not you. I'd like to hear more about your mother, if you're willing.")


def test_write_check_fix_preview_and_publish(open_context, look):
    page = open_context().new_page()
    sign_in(page, SUPERVISOR)
    page.goto("/supervise/")
    page.fill("#cohort-name", COHORT)
    page.click("button:has-text('Create cohort')")
    expect(page.locator("h1")).to_have_text(COHORT)

    page.goto("/supervise/scenarios")
    page.click("a:has-text('New scenario')")
    expect(page.locator("h1")).to_have_text("New scenario")
    editor = page.locator("#scenario-yaml")
    problems = page.locator("#draft-problems")
    expect(problems).to_contain_text("No problems")
    expect(page.locator(".line-numbers")).to_contain_text("180")  # numbered by the script
    look(page, "editor: a new scenario from the guide's example")

    # Type a mistake, key by key, into the rupture line: the problem list shows it, located.
    text = editor.input_value().replace("id: my-new-scenario", f"id: {SCENARIO}", 1)
    editor.fill(text)
    line = next(n for n, row in enumerate(text.splitlines(), start=1)
                if row.startswith("rupture: withdrawal"))
    editor.focus()
    page.evaluate("""([line]) => {
        const box = document.getElementById("scenario-yaml");
        const start = box.value.split("\\n").slice(0, line - 1).join("\\n").length + 1;
        box.setSelectionRange(start + "rupture: ".length, start + "rupture: withdrawal".length);
    }""", [line])
    page.keyboard.type("withdrawl")
    expect(problems).to_contain_text(f"line {line}:10")
    expect(problems).to_contain_text("did you mean 'withdrawal'?")
    look(page, "editor: a problem found as you type", shot="editor-problem")

    # Choosing the problem puts the caret on it; fix it by typing; the list clears.
    problems.locator(".problem-link").first.click()
    caret = page.evaluate("""() => {
        const box = document.getElementById("scenario-yaml");
        const before = box.value.slice(0, box.selectionStart).split("\\n");
        return [before.length, before[before.length - 1].length + 1];
    }""")
    assert caret == [line, 10]
    page.keyboard.press("Shift+End")
    page.keyboard.type("withdrawal")
    expect(problems).to_contain_text("No problems")

    page.fill("#version-message", "first draft from the example")
    page.click("button:has-text('Save version')")
    expect(page.locator("#messages")).to_contain_text("Saved version 1")
    expect(page.locator("h1")).to_contain_text(SCENARIO)
    expect(page.locator("#draft-map svg")).to_be_visible()
    look(page, "editor: a saved valid version with its branch map")

    # Preview: play the draft as a trainee; the debug panel says which branch chose.
    page.click("a:has-text('preview the newest valid version')")
    expect(page.locator("body")).to_contain_text("nothing is saved")
    if page.locator("#mode-free").count():  # the example's first moment offers both ways
        page.check("#mode-free")
    page.fill("#response", STRONG)
    page.click("button:has-text('Respond')")
    panel = page.locator(".preview-debug").first
    expect(panel).to_contain_text("branch:")
    expect(panel).to_contain_text("Alliance: salience")
    expect(panel.locator(".preview-measures")).to_contain_text("Overall")
    look(page, "preview: one answer with its debug panel")

    # Publish version 1 to the new cohort.
    page.goto(f"/supervise/scenarios/{SCENARIO}/edit")
    page.check(f"label:has-text('{COHORT}') >> xpath=preceding-sibling::input")
    page.click("button:has-text('Publish')")
    expect(page.locator("#messages")).to_contain_text("Version 1 is published")
    expect(page.locator(".lede")).to_contain_text(f"Published: version 1, to {COHORT}")

    # Unsaved typing survives a reload (a save refused after the session ended would reload).
    saved_text = page.locator("#scenario-yaml").input_value()
    page.locator("#scenario-yaml").press("Control+End")
    page.keyboard.type("# not saved yet\n")
    page.reload()
    expect(page.locator(".draft-note")).to_contain_text("had not been saved")
    assert page.locator("#scenario-yaml").input_value().endswith("# not saved yet\n")
    page.click("button:has-text('Show the saved text instead')")
    assert page.locator("#scenario-yaml").input_value() == saved_text
    expect(page.locator(".draft-note")).to_have_count(0)

    page.click("a:has-text('history and changes')")
    expect(page.locator("table")).to_contain_text("first draft from the example")
    look(page, "scenario history")
    assert page.url.endswith(f"/supervise/scenarios/{SCENARIO}/versions")
