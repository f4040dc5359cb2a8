"""One truth for scores: a supervisor's review shows on every page a trainee reads.

The same reviewed turn is checked on the play page's feedback, the debrief and /progress;
the gradebook and xAPI read it through the same function (tests/courses/test_gradebook.py,
tests/courses/test_xapi.py).
"""

from __future__ import annotations

import re

from sqlmodel import col, select

from simulator.courses.reviews import add_override
from simulator.models import Turn
from tests.trainee.conftest import attempt_of, play_to_end, start

SCENARIO = "you-started-late-again"  # every moment is answered in the trainee's own words
NOTE = "You did own the lateness here: that counts."


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _reviewed_turn(client, session, library):
    scenario = library.scenarios[SCENARIO]
    url = start(client, SCENARIO)
    play_to_end(client, session, url, scenario)
    attempt = attempt_of(session, url)
    last = session.exec(select(Turn).where(Turn.attempt_id == attempt.id,
                                           col(Turn.superseded).is_(False))
                        .order_by(col(Turn.index).desc())).first()
    criteria = last.scores["criteria"]
    weakest = min(criteria, key=lambda cid: (criteria[cid]["score"], cid))
    return url, attempt, last, scenario.rubric.item(weakest)


def _override(session, library, turn, item) -> None:
    top = item.levels[-1]
    assert turn.scores["criteria"][item.id]["level"] < top.level
    add_override(session=session, turn=turn, rubric=library.scenarios[SCENARIO].rubric,
                 criterion=item.id, new_level=top.level, comment=NOTE, reviewer_id=None)
    session.commit()


def test_a_review_replaces_the_score_on_play_debrief_and_progress(client, session, trainee,
                                                                   library):
    url, _attempt, turn, item = _reviewed_turn(client, session, library)
    top = item.levels[-1]
    before = {page: _text(client.get(page).get_data(as_text=True))
              for page in (url, f"{url}/debrief", "/progress")}
    assert NOTE not in before[url] and NOTE not in before[f"{url}/debrief"]
    _override(session, library, turn, item)

    play = _text(client.get(url).get_data(as_text=True))
    debrief = _text(client.get(f"{url}/debrief").get_data(as_text=True))
    progress = _text(client.get("/progress").get_data(as_text=True))
    for name, page in (("play", play), ("debrief", debrief)):
        assert NOTE in page, f"{name}: the supervisor's comment is missing"
        assert "reviewed by your supervisor" in page.lower(), name
        assert f"{item.name}" in page and top.label in page, name
    assert "supervisor" in progress.lower() and progress != before["/progress"]
    assert "includes your supervisor" in progress.lower()


def test_progress_means_move_with_the_review(client, session, trainee, library):
    url, _attempt, turn, item = _reviewed_turn(client, session, library)

    def mean_of(html: str) -> float:
        row = re.search(rf"<th scope=\"row\">\s*{re.escape(item.name)}.*?</tr>", html, re.S)
        assert row, f"no row for {item.name} on /progress"
        cells = re.findall(r"(\d\.\d\d)", row.group(0))
        return float(cells[-1])

    before = mean_of(client.get("/progress").get_data(as_text=True))
    _override(session, library, turn, item)
    after = mean_of(client.get("/progress").get_data(as_text=True))
    assert after > before
