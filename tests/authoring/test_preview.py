"""Preview play: an author plays a saved version as a trainee would, and nothing is stored."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from sqlmodel import func, select

from simulator.authoring import preview
from simulator.authoring.preview import AT_AN_ENDING, TOO_MANY, PreviewBroken
from simulator.models import Attempt, AuditEvent, ScenarioSnapshot, Turn, XapiOutbox
from simulator.practice.answers import (
    MAX_RESPONSE_CHARS,
    PICK_A_MODE,
    Answer,
    AnswerRefused,
    score_answer,
)
from simulator.practice.attempts import start_attempt
from simulator.practice.turns import submit_turn
from simulator.scenarios.library import check_rubric_file, load_scenario_text
from simulator.scenarios.model import ClientNode, Scenario
from tests.authoring.conftest import copy_text, save_draft
from tests.helpers import make_user
from tests.supervisor.conftest import browser_for, token_of

LATE = "you-started-late-again"
MINE = "late-again-preview"
HTMX = {"HX-Request": "true"}
STRONG = ("You're right. I kept you waiting again, and I'm sorry. Your time here is tight and you "
          "pay for every minute of it, so can we work out together how I make that up, and talk "
          "about the fee as well?")
WEAK = ("My previous session ran over and there wasn't anything I could do about it. To be fair, "
        "the fee is going up for all my clients; it hasn't changed in three years.")


SHIPPED = Path(__file__).resolve().parents[2] / "scenarios"


@cache
def shipped(scenario_id: str) -> Scenario:
    """A shipped scenario loaded from its file, with no app (the replay needs none)."""
    rubric = check_rubric_file(SHIPPED / "rubrics" / "repair-core.yaml").result
    scenario, problems = load_scenario_text(
        (SHIPPED / f"{scenario_id}.yaml").read_text(encoding="utf-8"),
        name=f"{scenario_id}.yaml", rubrics={rubric.id: rubric})
    assert scenario is not None, problems
    return scenario


@pytest.fixture
def late() -> Scenario:
    return shipped(LATE)


@pytest.fixture
def both() -> Scenario:
    """A scenario whose first moment takes a choice or words, and whose options lead on."""
    return shipped("thought-records-are-pointless")


def exemplar(node: ClientNode) -> Answer:
    if node.respond == "choice":
        return Answer(choice=0)
    return Answer(response=node.exemplars.strong[0],
                  mode="free" if node.respond == "both" else None)


# --- replay (simulator.authoring.preview, no Flask, no database) ---------------------------

def test_replay_loads_no_web_or_database_code():
    """The replay is domain code: importing it pulls in no Flask, no ORM, no app module."""
    probe = ("import sys, simulator.authoring.preview as p; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('flask', 'werkzeug', 'sqlmodel', 'sqlalchemy') or m.startswith(("
             "'simulator.models', 'simulator.db', 'simulator.web', 'simulator.supervisor'))))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           cwd=SHIPPED.parent, check=True).stdout.strip()
    assert found == "[]"


def test_strong_and_weak_answers_take_the_branches_their_conditions_choose(late):
    strong = preview.answer(preview.start(late), Answer(response=STRONG)).turns[0]
    weak = preview.answer(preview.start(late), Answer(response=WEAK)).turns[0]

    assert (strong.fired.label, strong.fired.goto, strong.fired.branch) == (
        "ownership >= 0.5 and overall >= 0.5", "not-the-minutes", 4)
    assert (weak.fired.label, weak.fired.goto, weak.fired.branch) == (
        "defensiveness >= 0.5", "in-my-kitchen", 0)
    # The four flag branches before it were weighed and did not hold; the fifth held.
    assert [(b.number, b.held, b.taken) for b in strong.branches] == [
        (1, False, False), (2, False, False), (3, False, False), (4, False, False),
        (5, True, True)]
    assert strong.branches[4].label.startswith("ownership >= 0.5 (had ")
    assert len(weak.branches) == 1 and weak.branches[0].taken


def test_alliance_starts_as_a_fresh_attempt_and_moves_by_the_rules(late):
    start = preview.start(late)
    assert (start.state.salience, start.state.direction) == (
        late.alliance.salience, late.alliance.direction)
    strong = preview.answer(start, Answer(response=STRONG))
    weak = preview.answer(start, Answer(response=WEAK))
    assert strong.turns[0].before == weak.turns[0].before == start.state
    assert strong.state.salience < start.state.salience < weak.state.salience
    assert strong.node_id == "not-the-minutes" and weak.node_id == "in-my-kitchen"


def test_scores_are_the_real_scorers_with_earlier_answers(late):
    first = preview.answer(preview.start(late), Answer(response=STRONG))
    second = preview.answer(first, Answer(response=STRONG))  # the same words again
    node = late.node(first.node_id)
    real = score_answer(late, node, Answer(response=STRONG), earlier=[STRONG])
    turn = second.turns[1]
    assert turn.overall == real.measures["overall"]
    assert {r.item_id: r.score for r in turn.measures} == {
        i: item["score"] for g in ("criteria", "flags") for i, item in real.stored[g].items()}
    assert turn.response_text == STRONG and turn.node_id == "not-the-minutes"


def test_a_preview_follows_the_same_path_as_real_play(app, session, late):
    """The same answers through real play (stored) and through a preview (not) agree."""
    trainee = make_user(session, role="trainee")
    answers, shown = [], preview.start(late)
    while not shown.ended and len(answers) < 12:
        answers.append(exemplar(shown.node))
        shown = preview.answer(shown, answers[-1])
    assert shown.ended
    with app.app_context():
        attempt = start_attempt(session=session, trainee_id=trainee.id, scenario=late)
        session.commit()
        for index, sent in enumerate(answers):
            submit_turn(session=session, attempt=attempt, scenario=late, expected_index=index,
                        answer=sent)
    stored = session.exec(select(Turn).where(Turn.attempt_id == attempt.id)
                          .order_by(Turn.index)).all()
    assert [(t.node_id, t.next_node, t.salience, t.direction, t.overall) for t in stored] == [
        (t.node_id, t.next_node, t.after.salience, t.after.direction, t.overall)
        for t in shown.turns]
    assert attempt.outcome == shown.node.outcome


def test_a_chosen_option_with_its_own_goto_says_so(both):
    node = both.node(both.start)
    taken = preview.answer(preview.start(both), Answer(choice=1, mode="choice")).turns[0]
    assert taken.fired.label == "choice 2's own goto"
    assert taken.fired.goto == node.choices[1].goto and taken.fired.branch is None
    assert taken.branches == ()  # no branch was weighed
    assert taken.response_text is None and taken.choice_index == 1


def test_words_at_a_both_moment_count_only_when_chosen(both):
    with pytest.raises(AnswerRefused, match=re.escape(PICK_A_MODE)):
        preview.answer(preview.start(both), Answer(response="I hear you", choice=0))
    words = preview.answer(preview.start(both),
                           Answer(response="It sounds pointless to you.", choice=0, mode="free"))
    assert words.turns[0].choice_index is None and words.turns[0].fired.branch is not None


def test_the_notice_step_is_scored_as_in_real_play(late):
    named = Answer(response=STRONG, notice_family="confrontation",
                   notice_markers=("complaint-about-therapist",))
    notice = preview.answer(preview.start(late), named).turns[0].notice
    assert notice["family_correct"] and notice["expected_family"] == "confrontation"
    assert preview.answer(preview.start(late), Answer(response=STRONG)).turns[0].notice is None


def test_bad_answers_get_the_real_refusals(late):
    with pytest.raises(AnswerRefused, match="write what you would say"):
        preview.answer(preview.start(late), Answer(response="   "))
    with pytest.raises(AnswerRefused, match=f"the limit is {MAX_RESPONSE_CHARS:,}"):
        preview.answer(preview.start(late), Answer(response="x" * (MAX_RESPONSE_CHARS + 1)))


def test_an_ending_reports_its_outcome_and_takes_no_more_answers(late):
    shown = preview.start(late)
    while not shown.ended:
        shown = preview.answer(shown, exemplar(shown.node))
    assert shown.node.outcome in ("repaired", "partly-repaired", "unresolved", "escalated")
    with pytest.raises(AnswerRefused, match=re.escape(AT_AN_ENDING)):
        preview.answer(shown, Answer(response=STRONG))
    with pytest.raises(PreviewBroken, match="no longer fits"):
        preview.replay(late, [*shown.answers, Answer(response=STRONG)])


def test_replay_is_deterministic(late):
    answers = [Answer(response=WEAK), Answer(response=STRONG)]
    assert preview.replay(late, answers) == preview.replay(late, answers)
    assert preview.replay(late, answers).answers == tuple(answers)


def test_turns_are_capped(late):
    one = preview.answer(preview.start(late), Answer(response=STRONG))
    full = replace(one, turns=one.turns * preview.MAX_TURNS, node_id=one.turns[0].node_id)
    with pytest.raises(AnswerRefused, match=re.escape(TOO_MANY)):
        preview.answer(full, Answer(response=STRONG))
    with pytest.raises(PreviewBroken, match=f"stops at {preview.MAX_TURNS}"):
        preview.replay(late, [Answer(response=STRONG)] * (preview.MAX_TURNS + 1))


def test_carried_answers_round_trip(late):
    sent = Answer(response="Ça « va » \"quoted\"\n", choice=None, mode="free",
                  notice_family="confrontation", notice_markers=("complaint-about-therapist",),
                  notice_reaction="tense")
    assert preview.decode(preview.encode(sent)) == sent


@pytest.mark.parametrize("carried", [
    "not json", "[1, 2]", '"text"', '{"choice": "1"}', '{"choice": true}',
    '{"response": 5}', '{"mode": "telepathy"}', '{"notice_family": "anger"}',
    '{"notice_markers": "all"}', '{"notice_markers": [1]}', '{"notice_reaction": 3}',
    json.dumps({"response": "x" * (preview.MAX_CARRIED_CHARS + 1)}),
])
def test_anything_the_page_never_wrote_is_refused(carried):
    with pytest.raises(PreviewBroken):
        preview.decode(carried)


def test_a_carried_choice_out_of_range_does_not_replay(both):
    with pytest.raises(PreviewBroken, match="answer 1 no longer fits.*not one of the choices"):
        preview.replay(both, [Answer(choice=99, mode="choice")])


# --- the page --------------------------------------------------------------------------------

@pytest.fixture
def author(app, session):
    return make_user(session, role="supervisor", name="Author")


@pytest.fixture
def draft(app, session, author):
    """The author's saved draft (version 1): a copy of a shipped scenario under its own id."""
    authored, version = save_draft(app, session, author, copy_text(app, MINE))
    assert version.valid
    return authored


def url(version: int | None = None) -> str:
    return f"/supervise/scenarios/{MINE}/preview" + (f"?version={version}" if version else "")


def hidden_fields(page: str) -> dict:
    """The answer form's hidden inputs (token, turn, node, carried answers), as a browser sends."""
    return {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}


def text_of(page: str) -> str:
    """The page's words as read: inline markup dropped, other tags a space."""
    inline = re.sub(r"</?(?:code|strong|em|a|span|mark|q)\b[^>]*>", "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)))


def respond(browser, page: str, target: str | None = None, **answer):
    return browser.post(target or url(1), data={**hidden_fields(page), **answer})


def test_the_preview_page_looks_like_play_and_says_nothing_is_saved(app, author, draft):
    browser = browser_for(app, author)
    page = browser.get(url()).get_data(as_text=True)
    shown = text_of(page)
    assert "Preview — nothing is saved." in shown
    assert "Eleven minutes. Again." in shown  # the client's first line
    assert f'href="{url(1)}"' in page  # start again, pinned to the version shown
    assert f'href="/supervise/scenarios/{MINE}/edit"' in page
    fields = hidden_fields(page)
    assert fields["turn"] == "0" and fields["node"] == "opening" and "csrf_token" in fields
    assert not any(name.startswith("prior-") for name in fields)


def test_strong_and_weak_answers_show_the_branch_scores_and_alliance(app, author, draft, late):
    browser = browser_for(app, author)
    start = browser.get(url()).get_data(as_text=True)
    strong = respond(browser, start, response=STRONG)
    weak = respond(browser, start, response=WEAK)
    assert strong.status_code == weak.status_code == 200
    strong_text, weak_text = text_of(strong.get_data(as_text=True)), text_of(
        weak.get_data(as_text=True))
    assert "branch: ownership >= 0.5 and overall >= 0.5 → not-the-minutes" in strong_text
    assert "branch: defensiveness >= 0.5 → in-my-kitchen" in weak_text
    begin = late.alliance.salience
    assert f"Alliance: salience {begin} (against) → 2 (against)" in strong_text
    assert f"Alliance: salience {begin} (against) → 5 (against)" in weak_text
    assert re.search(r"Ownership ownership 1\.00 3: Strong", strong_text)
    assert re.search(r"Flag: Defensiveness defensiveness 0\.[5-9]\d 1: Present", weak_text)
    assert "branch 1: defensiveness >= 0.5 (had 0.00) → in-my-kitchen: did not hold" \
        in strong_text
    assert "Feedback on your last response" in strong_text  # what the trainee would see


def test_the_page_carries_the_answers_and_plays_on_to_an_ending(app, author, draft, late):
    browser = browser_for(app, author)
    page = browser.get(url()).get_data(as_text=True)
    for _ in range(12):
        fields = hidden_fields(page)
        if "node" not in fields:
            break
        sent = exemplar(late.node(fields["node"]))
        data = {"response": sent.response, "mode": sent.mode or "",
                "choice": "" if sent.choice is None else str(sent.choice)}
        response = respond(browser, page, **data)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
    shown = text_of(page)
    assert "Ending reached:" in shown
    outcome = re.search(r"Outcome: (\S+) after (\d+) answers", shown)
    assert outcome and outcome.group(1) in ("repaired", "partly-repaired")
    assert 'name="response"' not in page


def test_a_preview_stores_nothing(app, session, author, draft):
    browser = browser_for(app, author)
    audit_before = session.exec(select(func.count()).select_from(AuditEvent)).one()
    snapshots_before = session.exec(select(func.count()).select_from(ScenarioSnapshot)).one()
    page = respond(browser, browser.get(url()).get_data(as_text=True),
                   response=STRONG).get_data(as_text=True)
    assert respond(browser, page, response=WEAK).status_code == 200
    assert session.exec(select(func.count()).select_from(Attempt)).one() == 0
    assert session.exec(select(func.count()).select_from(Turn)).one() == 0
    assert session.exec(select(func.count()).select_from(XapiOutbox)).one() == 0
    assert session.exec(select(func.count()).select_from(ScenarioSnapshot)).one() \
        == snapshots_before
    events = session.exec(select(AuditEvent)).all()
    assert len(events) == audit_before
    for event in events:
        stored = json.dumps(event.detail) + event.action + event.object_id
        assert "kept you waiting" not in stored and "previous session" not in stored


def test_the_second_answer_is_replayed_from_the_carried_first(app, author, draft):
    browser = browser_for(app, author)
    page = respond(browser, browser.get(url()).get_data(as_text=True),
                   response=STRONG).get_data(as_text=True)
    fields = hidden_fields(page)
    assert (fields["turn"], fields["node"]) == ("1", "not-the-minutes")
    assert preview.decode(fields["prior-0"]).response == STRONG
    second = respond(browser, page, response="It matters. What was it like out there?")
    shown = text_of(second.get_data(as_text=True))
    assert "Debug, answer 1:" in shown and "Debug, answer 2:" in shown
    assert hidden_fields(second.get_data(as_text=True)).get("turn", "2") == "2"


def test_a_refused_answer_keeps_the_text_and_says_why(app, author, draft):
    browser = browser_for(app, author)
    start = browser.get(url()).get_data(as_text=True)
    empty = respond(browser, start, response="  ")
    assert empty.status_code == 422
    assert "write what you would say to the client" in text_of(empty.get_data(as_text=True))
    long_text = "word " * 900
    too_long = respond(browser, start, response=long_text)
    assert too_long.status_code == 422
    body = too_long.get_data(as_text=True)
    assert f"the limit is {MAX_RESPONSE_CHARS:,}" in text_of(body)
    assert long_text.strip() in html.unescape(body)  # still in the box


def test_what_the_author_writes_is_escaped(app, author, draft):
    browser = browser_for(app, author)
    start = browser.get(url()).get_data(as_text=True)
    page = respond(browser, start, response='<script>alert("x")</script> I kept you waiting.'
                   ).get_data(as_text=True)
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
    carried = hidden_fields(page)["prior-0"]
    assert preview.decode(carried).response.startswith("<script>")  # carried intact


def test_the_fragment_is_served_to_htmx(app, author, draft):
    browser = browser_for(app, author)
    start = browser.get(url()).get_data(as_text=True)
    response = browser.post(url(1), data={**hidden_fields(start), "response": STRONG},
                            headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in body and "Preview — nothing is saved" not in body
    assert 'id="preview-play"' in body and "not-the-minutes" in body


TAMPERED = (
    {"prior-0": "garbage"},
    {"prior-0": json.dumps({"choice": 42})},
    {"prior-0": json.dumps({"response": ""})},
    {"prior-7": preview.encode(Answer(response=STRONG))},
    {"turn": "3"},
    {"turn": "x"},
    {"node": "in-my-kitchen"},
)


def test_tampered_carried_answers_are_a_clear_400(app, author, draft):
    browser = browser_for(app, author)
    page = respond(browser, browser.get(url()).get_data(as_text=True),
                   response=STRONG).get_data(as_text=True)
    for tamper in TAMPERED:
        response = browser.post(url(1), data={**hidden_fields(page), **tamper,
                                              "response": STRONG})
        assert response.status_code == 400, tamper
        shown = text_of(response.get_data(as_text=True))
        assert "could not be replayed on version 1" in shown, tamper
        assert "Start the preview again" in shown


def test_a_form_at_an_ending_is_refused(app, author, draft, late):
    shown = preview.start(late)
    while not shown.ended:
        shown = preview.answer(shown, exemplar(shown.node))
    browser = browser_for(app, author)
    fields = hidden_fields(browser.get(url()).get_data(as_text=True))
    carried = {f"prior-{i}": preview.encode(a) for i, a in enumerate(shown.answers)}
    response = browser.post(url(1), data={**fields, **carried, "turn": len(shown.answers),
                                          "node": shown.node_id, "response": STRONG})
    assert response.status_code == 400
    assert AT_AN_ENDING in text_of(response.get_data(as_text=True))


def test_a_post_without_its_csrf_token_is_refused(app, author, draft):
    browser = browser_for(app, author)
    fields = hidden_fields(browser.get(url()).get_data(as_text=True))
    del fields["csrf_token"]
    assert browser.post(url(1), data={**fields, "response": STRONG}).status_code == 400


def test_someone_elses_draft_is_not_found(app, session, draft):
    other = make_user(session, role="supervisor")
    trainee = make_user(session, role="trainee")
    for user in (other, trainee):
        browser = browser_for(app, user)
        assert browser.get(url()).status_code == 404
        token = token_of(browser, "/account" if user.role == "trainee" else "/supervise")
        assert browser.post(url(1), data={"csrf_token": token, "turn": "0", "node": "opening",
                                          "response": STRONG}).status_code == 404
    assert app.test_client().get(url()).status_code == 302  # signed out: to the sign-in page


def test_an_admin_may_preview_any_draft(app, session, draft):
    admin = make_user(session, role="admin")
    assert browser_for(app, admin).get(url()).status_code == 200


def test_an_invalid_version_points_to_the_editor(app, session, author, draft):
    broken = copy_text(app, MINE).replace("start: opening", "start: nowhere")
    _, version = save_draft(app, session, author, broken)
    assert not version.valid and version.number == 2
    browser = browser_for(app, author)
    for response in (browser.get(url()), browser.get(url(2))):
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Version 2 has errors; fix them in the editor" in text_of(page)
        assert f'href="/supervise/scenarios/{MINE}/edit"' in page
        assert 'name="response"' not in page
    assert browser.get(url(1)).status_code == 200  # the earlier valid version still plays
    assert "Eleven minutes" in browser.get(url(1)).get_data(as_text=True)


def test_an_unknown_version_is_not_found(app, author, draft):
    browser = browser_for(app, author)
    for version in ("99", "abc", "-1", "١", "1.0"):
        response = browser.get(f"/supervise/scenarios/{MINE}/preview?version={version}")
        assert response.status_code == 404, version


def test_the_author_sees_what_the_client_feels_inside_and_a_trainee_does_not(app, session,
                                                                             author, draft,
                                                                             late):
    inner = " ".join(late.node(late.start).inner.split())
    page = text_of(browser_for(app, author).get(url()).get_data(as_text=True))
    assert f"Inside: {inner}" in page
    trainee = browser_for(app, make_user(session))
    started = trainee.post(f"/scenarios/{LATE}/attempts", data={
        "mode": "practice", "csrf_token": token_of(trainee, f"/scenarios/{LATE}")})
    play = text_of(trainee.get(started.headers["Location"]).get_data(as_text=True))
    assert inner not in play
