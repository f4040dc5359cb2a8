"""The editor: a start from the guide's example or a copy, the live check's problem list with
line:column and did-you-mean, saving drafts with problems, and refusals that keep the text."""

from __future__ import annotations

import html
import re

from sqlmodel import select

from simulator.models import AuthoredScenario, ScenarioVersion
from tests.authoring.conftest import copy_text
from tests.supervisor.conftest import browser_for, token_of

HTMX = {"HX-Request": "true"}
NEW = "clock-glance-our-take"


def _check(browser, text: str):
    return browser.post("/supervise/scenarios/check", data={"text": text}, headers={
        **HTMX, "X-CSRFToken": token_of(browser, "/supervise/scenarios")})


def _textarea(page: str) -> str:
    found = re.search(r'<textarea[^>]*id="scenario-yaml"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "no editor text area on the page"
    return re.sub(r"^\r?\n", "", html.unescape(found.group(1)), count=1)


def test_a_new_scenario_starts_from_the_guides_example_under_a_new_id(app, course):
    browser = browser_for(app, course.supervisor_a)
    page = browser.get("/supervise/scenarios/new").get_data(as_text=True)
    text = _textarea(page)
    assert text.startswith("id: my-new-scenario\n")
    assert "title: A glance at the clock" in text
    assert "No problems: this text is a valid scenario." in page
    assert 'href="/help/authoring"' in page


def test_a_copy_of_a_shipped_scenario_gets_its_own_id(app, course):
    browser = browser_for(app, course.supervisor_a)
    page = browser.get("/supervise/scenarios/new?from=you-started-late-again").get_data(
        as_text=True)
    assert _textarea(page).startswith("id: you-started-late-again-copy\n")
    assert "No problems" in page


def test_the_live_check_lists_every_problem_with_its_line_and_a_suggestion(app, course):
    browser = browser_for(app, course.supervisor_a)
    broken = copy_text(app, NEW).replace("rupture: ", "ruptur: ", 1)
    lines = broken.splitlines()
    line_of_typo = next(i for i, line in enumerate(lines, start=1) if line.startswith("ruptur:"))
    response = _check(browser, broken)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="draft-problems"')
    assert f'data-line="{line_of_typo}" data-column="1"' in fragment
    assert f"line {line_of_typo}:1" in fragment
    assert "did you mean &#39;rupture&#39;?" in fragment
    assert "missing required key &#39;rupture&#39;" in fragment
    # The branch map of the text as typed comes with it, out of band.
    assert '<div id="draft-map" class="card" hx-swap-oob="true">' in fragment


def test_the_live_check_says_so_when_the_text_is_valid_and_survives_hostile_yaml(app, course):
    browser = browser_for(app, course.supervisor_a)
    assert "No problems" in _check(browser, copy_text(app, NEW)).get_data(as_text=True)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    response = _check(browser, bomb)
    assert response.status_code == 200
    assert "error" in response.get_data(as_text=True)
    script = _check(browser, "id: x\ntitle: <script>alert(1)</script>\n")
    assert "<script>alert(1)</script>" not in script.get_data(as_text=True)


def test_the_live_check_needs_a_supervisor_and_a_csrf_token(app, course):
    trainee = browser_for(app, course.trainee_a)
    assert trainee.post("/supervise/scenarios/check", data={"text": "id: x"}, headers={
        **HTMX, "X-CSRFToken": token_of(trainee, "/scenarios")}).status_code == 404
    supervisor = browser_for(app, course.supervisor_a)
    assert supervisor.post("/supervise/scenarios/check", data={"text": "id: x"},
                           headers=HTMX).status_code == 400


def test_a_draft_with_problems_is_saved_and_comes_back_in_the_editor(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    broken = copy_text(app, NEW).replace("goto: ", "goto: nowhere-", 1)
    response = browser.post("/supervise/scenarios/new", data={
        "text": broken.replace("\n", "\r\n"), "message": "half done",
        "csrf_token": token_of(browser, "/supervise/scenarios")})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/supervise/scenarios/{NEW}/edit")
    version = session.exec(select(ScenarioVersion)).one()
    assert (version.number, version.valid, version.message) == (1, False, "half done")
    assert version.source_text == broken  # line ends as typed, stored as LF
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "a draft with 1 problem" in page
    assert _textarea(page) == broken
    assert "unknown node &#39;nowhere-" in page
    assert "preview the newest valid version" not in page
    assert "No saved version is valid yet" in page


def test_a_save_without_an_id_or_with_a_changed_id_is_refused_and_the_text_kept(app, course,
                                                                                 session):
    browser = browser_for(app, course.supervisor_a)
    token = token_of(browser, "/supervise/scenarios")
    no_id = "title: Nothing yet\n"
    refused = browser.post("/supervise/scenarios/new", data={"text": no_id, "csrf_token": token})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "give the scenario an `id:` line" in html.unescape(page)
    assert _textarea(page) == no_id
    browser.post("/supervise/scenarios/new", data={"text": copy_text(app, NEW),
                                                   "csrf_token": token})
    renamed = browser.post(f"/supervise/scenarios/{NEW}/edit", data={
        "text": copy_text(app, "something-else"), "csrf_token": token})
    assert renamed.status_code == 409
    assert "an id cannot change once saved" in renamed.get_data(as_text=True)
    assert len(session.exec(select(ScenarioVersion)).all()) == 1
    assert session.exec(select(AuthoredScenario)).one().scenario_id == NEW


def test_an_empty_editor_is_refused_beside_the_field(app, course):
    browser = browser_for(app, course.supervisor_a)
    response = browser.post("/supervise/scenarios/new", data={
        "text": "", "csrf_token": token_of(browser, "/supervise/scenarios")})
    assert response.status_code == 422
    assert 'id="scenario-yaml-error"' in response.get_data(as_text=True)


def test_a_first_save_needs_an_id_that_can_name_the_scenario(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    token = token_of(browser, "/supervise/scenarios")
    for bad in ('"Two words"', '"line\\nbreak"', "x" * 101, "UPPER-case"):
        text = copy_text(app, NEW).replace(f"id: {NEW}", f"id: {bad}", 1)
        refused = browser.post("/supervise/scenarios/new", data={"text": text,
                                                                 "csrf_token": token})
        assert refused.status_code == 409, bad
        assert "is not usable: lowercase-with-hyphens" in refused.get_data(as_text=True), bad
    assert session.exec(select(AuthoredScenario)).first() is None
