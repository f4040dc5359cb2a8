"""The debrief tells the story of this attempt: every statement about the trainee comes from a
stored turn, rewound answers are first tries, the notice note and supervisor reviews appear."""

from __future__ import annotations

import html
import re

from markupsafe import escape
from sqlmodel import select

from simulator.models import Review, Turn
from simulator.practice.effective import effective_turns
from tests.helpers import make_user
from tests.trainee.conftest import answer, attempt_of, start

SCENARIO = "you-started-late-again"
# Scored by the real scorer: ownership at a clear level takes the opening to "not-the-minutes".
OWNING = ("You're right, I started late again, and that's on me. I'm sorry. "
          "What was it like waiting?")
REPAIRING = (
    "It sounds like the waiting stung because you take this seriously, and it left you feeling "
    "foolish for caring. No wonder you're angry. It does matter, and I'm sorry I made it look "
    "otherwise.",
    "I don't want to use that to get myself off the hook. I was late twice and you have every "
    "right to be annoyed. I'm curious, though: what's different between how you raised it here "
    "and how it goes in the kitchen?",
)  # -> the-kitchen -> straight-talk (repaired)
DEFENSIVE = (
    "Well, to be fair, my last client ran over, and the fee hasn't changed in three years, so I "
    "was only trying to explain.",
    "To be fair, I only ran late because my last client needed me, and I did explain that "
    "already.",
)  # defensiveness present -> thinking-of-stopping -> last-month (escalated)
MOMENT = re.compile(r'<li class="moment" id="moment-(\d+)" data-turn="turn-(\d+)">(.*?)</dl>',
                    re.S)
IDS = re.compile(r'\s(?:id|aria-describedby|data-turn)="[^"]*"')


def play(client, answers: tuple[str, ...], **notice) -> str:
    """Play the scenario with these answers (notice fields on the first); the attempt URL."""
    url = start(client, SCENARIO)
    for n, text in enumerate(answers):
        response = answer(client, url, {"response": text, **(notice if n == 0 else {})})
        assert response.status_code == 303, response.get_data(as_text=True)
    return url


def debrief(client, url: str) -> str:
    page = client.get(f"{url}/debrief")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def moments(page: str) -> dict[int, tuple[int, str]]:
    """Turn number -> (turn id, the moment's story markup)."""
    return {int(n): (int(turn_id), body) for n, turn_id, body in MOMENT.findall(page)}


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def rewind(client, url: str) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    assert client.post(f"{url}/rewind", data={"csrf_token": token}).status_code == 303


def test_defensive_and_repairing_debriefs_differ_exactly_where_the_turns_differ(
        client, session, trainee, library):
    repaired = moments(debrief(client, play(client, (OWNING, *REPAIRING))))
    escalated_page = debrief(client, play(client, (OWNING, *DEFENSIVE)))
    escalated = moments(escalated_page)
    assert sorted(repaired) == sorted(escalated) == [1, 2, 3]
    same = [IDS.sub("", repaired[1][1]), IDS.sub("", escalated[1][1])]
    assert same[0] == same[1]  # the same first answer tells the same story
    for n in (2, 3):
        assert IDS.sub("", repaired[n][1]) != IDS.sub("", escalated[n][1])
    two_repaired, two_escalated = text_of(repaired[2][1]), text_of(escalated[2][1])
    assert "Watch for defensiveness" in two_escalated
    assert "Watch for defensiveness" not in two_repaired
    assert "weakened" in two_escalated and "grew stronger" in two_repaired
    assert "Outcome: Escalated" in escalated_page
    # The ending's authored text is the client's side, never presented as what this trainee did.
    assert "How it ended for Mateo Rojas" in escalated_page
    assert "What often leads to this ending" in escalated_page


def test_every_statement_about_the_trainee_traces_to_a_stored_turn(
        client, session, trainee, library):
    scenario = library.scenarios[SCENARIO]
    for answers in ((OWNING, *REPAIRING), (OWNING, *DEFENSIVE)):
        page = debrief(client, play(client, answers))
        found = moments(page)
        assert sorted(found) == [1, 2, 3]
        turns = {t.id: t for t in session.exec(select(Turn)).all()}
        for _n, (turn_id, body) in found.items():
            turn = turns[turn_id]
            scores = turn.scores
            for item_id, said in re.findall(r'<dd class="move" data-item="(\w+)">(.*?)</dd>',
                                            body, re.S):
                assert scores["criteria"][item_id]["level"] >= 2, (item_id, turn.response_text)
                quotes = [html.unescape(q) for q in re.findall(r"<q>(.*?)</q>", said)]
                assert all(q in turn.response_text for q in quotes), quotes
                assert all(len(q.split()) >= 2 for q in quotes), quotes  # whole phrases
            for item_id, said in re.findall(r'<dd class="flag-note" data-item="(\w+)">(.*?)</dd>',
                                            body, re.S):
                item = scenario.rubric.item(item_id)
                stored = scores["flags"][item_id]
                assert item.shown(stored["score"], bool(stored["evidence"])) is not None
                quotes = [html.unescape(q) for q in re.findall(r"<q>(.*?)</q>", said)]
                assert all(q in turn.response_text for q in quotes), quotes
            marked = [html.unescape(m) for m in re.findall(r"<mark [^>]*>(.*?)</mark>", body)]
            assert all(m in turn.response_text for m in marked), marked
            next_line = scenario.node(turn.next_node).say
            assert str(escape(" ".join(next_line.split())))[:40] in " ".join(
                body.split())


def test_a_rewound_answer_is_a_first_try_never_the_answer_that_counted(
        client, session, trainee, library):
    url = start(client, SCENARIO)
    first_try = DEFENSIVE[0].replace("Well, to be fair", "To be fair")
    assert answer(client, url, {"response": first_try}).status_code == 303
    rewind(client, url)
    for text in (OWNING, *REPAIRING):
        assert answer(client, url, {"response": text}).status_code == 303
    page = debrief(client, url)
    found = moments(page)
    turn_id, body = found[1]
    counted = session.get(Turn, turn_id)
    assert counted.response_text == OWNING and not counted.superseded
    assert len(found) == 3
    tries = re.search(r'<ol class="conversation tries">(.*?)</ol>', body, re.S).group(1)
    assert "First try" in tries and str(escape(first_try)) in tries
    assert "Second try: the answer that counted." in body
    assert str(escape(first_try)) not in body.replace(tries, "")
    # The story of what the trainee did at this moment speaks of the answer that counted.
    story = body.split('<dl class="story-notes">')[1]
    assert "Watch for defensiveness" not in story and 'data-item="ownership"' in story


def test_the_private_notice_note_comes_back_in_the_debrief(client, session, trainee, library):
    note = "I felt my face go hot and wanted to explain myself."
    url = play(client, (OWNING, *REPAIRING), notice_family="confrontation",
               notice_markers=["complaint-about-parameters"], notice_reaction=note)
    body = moments(debrief(client, url))[1][1]
    assert "What you noticed in yourself" in body
    assert str(escape(note)) in body
    assert "You named confrontation (complaint about parameters)" in text_of(body)


def test_an_override_shows_in_the_debrief_as_reviewed_by_the_supervisor(
        app, client, session, trainee, library):
    url = play(client, (OWNING, *REPAIRING))
    first = session.exec(select(Turn).where(Turn.index == 0)).one()
    assert first.scores["criteria"]["validation"]["level"] < 2
    supervisor = make_user(session, role="supervisor")
    session.add(Review(turn_id=first.id, criterion="validation", new_level=3, old_level=0,
                       comment="Naming the wait so plainly is validating too.",
                       reviewer_id=supervisor.id))
    session.commit()
    page = debrief(client, url)
    body = moments(page)[1][1]
    move = re.search(r'<dd class="move" data-item="validation">(.*?)</dd>', body, re.S).group(1)
    assert "Validation: Strong" in text_of(move)
    assert "reviewed by your supervisor" in move
    assert "Naming the wait so plainly is validating too." in text_of(move)
    # The skill summary uses the same effective scores, and says who changed them.
    effective = effective_turns(session, [first], library.scenarios[SCENARIO].rubric)[0]
    assert effective.scores["criteria"]["validation"]["level"] == 3
    summary = page.split('id="summary-heading"')[1].split("</table>")[0]
    row = re.search(r"<th scope=\"row\">Validation</th>(.*?)</tr>", summary, re.S).group(1)
    assert "reviewed by your supervisor" in row
    assert "Naming the wait so plainly is validating too." in text_of(row)


def test_the_alliance_chart_plots_strength_higher_is_better(client, session, trainee, library):
    url = play(client, (OWNING, *REPAIRING))
    page = debrief(client, url)
    attempt = attempt_of(session, url)
    assert attempt.outcome == "repaired"
    rows = re.findall(r"<tr><td>(Start|Turn \d)</td><td>(\d) of 5</td></tr>", page)
    strengths = [int(v) for _label, v in rows]
    assert strengths == sorted(strengths) and strengths[-1] > strengths[0]  # a repair climbs
    assert "Alliance strength across the session" in page
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', page)]
    assert ys == sorted(ys, reverse=True) and ys[-1] < ys[0]  # higher on the chart
