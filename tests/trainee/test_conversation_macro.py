"""One drawing of a conversation: play, debrief, review and transcript pages all draw an
exchange with the one macro in templates/_conversation.html, from view data made in Python."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sqlmodel import select

from simulator.models import Turn
from simulator.resources import resource_dir
from tests.supervisor.conftest import browser_for, course  # noqa: F401  (the course fixture)

TEMPLATES = Path(resource_dir("templates"))
MACRO = TEMPLATES / "_conversation.html"


def drawn(page: str, turn_id: int) -> dict[str, str]:
    """The client's line and the trainee's annotated words of one turn as a page draws them."""
    start = page.index(f'<li class="exchange" data-exchange id="turn-{turn_id}">')
    block = page[start:]
    client = re.search(r'<div class="said client-said">\s*<p class="speaker">[^<]*</p>\s*'
                       r'<p class="line">(.*?)</p>', block, re.S).group(1)
    said = re.search(r'<div class="said trainee-said">\s*<p class="speaker">[^<]*</p>\s*'
                     r'<p class="line">(.*?)</p>', block, re.S).group(1)
    return {"client": client, "said": said}


def pages_of(app, course) -> dict[str, str]:  # noqa: F811
    trainee = browser_for(app, course.trainee_a)
    supervisor = browser_for(app, course.supervisor_a)
    attempt_id = course.attempt_a.rsplit("/", 1)[-1]
    found = {
        "play": trainee.get(course.attempt_a),
        "debrief": trainee.get(f"{course.attempt_a}/debrief"),
        "review": supervisor.get(f"/supervise/attempts/{attempt_id}"),
        "transcript": supervisor.get(f"/supervise/attempts/{attempt_id}/transcript"),
    }
    assert {name: r.status_code for name, r in found.items()} == dict.fromkeys(found, 200)
    return {name: r.get_data(as_text=True) for name, r in found.items()}


def test_play_debrief_review_and_transcript_draw_each_exchange_the_same_way(
        app, session, course):  # noqa: F811
    pages = pages_of(app, course)
    attempt_id = course.attempt_a.rsplit("/", 1)[-1]
    turns = session.exec(select(Turn).where(Turn.attempt_id == attempt_id,
                                            Turn.superseded == False)  # noqa: E712
                         .order_by(Turn.index)).all()
    assert len(turns) >= 2
    for name, page in pages.items():
        assert page.count("data-exchange") == len(turns), name
    marked = 0
    for turn in turns:
        drawings = {name: drawn(page, turn.id) for name, page in pages.items()}
        first = drawings["debrief"]
        annotated = {name: d for name, d in drawings.items() if name != "play"}
        assert all(d == first for d in annotated.values()), (turn.id, drawings)
        text = html.unescape(re.sub(r"<[^>]+>", "", first["said"]))
        assert text == turn.response_text
        marked += first["said"].count("<mark")
        # the play page's list is the plain transcript (the feedback panel highlights the
        # last answer): the same words, the same client line, no marks
        assert drawings["play"]["client"] == first["client"]
        assert html.unescape(drawings["play"]["said"]) == turn.response_text
    assert marked > 0  # the strong exemplars earn credit, so there is evidence to draw


def test_every_highlight_carries_its_reason_as_a_tooltip_and_as_text(app, course):  # noqa: F811
    for name, page in pages_of(app, course).items():
        marks = re.findall(r'<mark title="([^"]+)" aria-describedby="([^"]+)">', page)
        assert marks, name
        for reason, target in marks:
            note = re.search(rf'<li id="{re.escape(target)}">(.*?)</li>', page, re.S)
            assert note, (name, target)
            assert html.unescape(reason) in html.unescape(re.sub(r"<[^>]+>", "", note.group(1)))


def test_the_macro_is_the_only_drawing_and_templates_compute_nothing():
    others = [p for p in TEMPLATES.rglob("*.html") if p != MACRO]
    for path in others:
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(TEMPLATES))
        assert "data-exchange" not in source, name
        # only the macro marks up a response (an SVG <marker>, an arrowhead, is not a <mark>)
        assert not re.search(r"<mark[\s>]", source), name
        assert not re.search(r"response_text\s*\[", source), name  # nor slices one
        assert "| highlight(" not in source and "credited_spans(" not in source, name
        assert ".shown(" not in source, name  # rubric levels are worked out in Python
    for page in ("trainee/_exchange.html", "trainee/debrief.html", "supervisor/review.html",
                 "supervisor/transcript.html"):
        assert '{% from "_conversation.html" import exchange' in (TEMPLATES / page).read_text(
            encoding="utf-8"), page
