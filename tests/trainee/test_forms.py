"""The trainee's forms refuse what they cannot take, say why beside the field, and save nothing.

The private notice note has a stated limit and is never cut short; hidden numbers that are not
plain whole numbers are a stale page, not a crash or a silent guess.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator.models import Attempt, Turn
from simulator.practice.answers import MAX_NOTE_CHARS
from tests.trainee.conftest import _token, answer, attempt_of, start

ONE_USED_UP = "This assignment allows one attempt, and it has been started."


def _scenario_with_notice_first(library):
    for scenario in library.scenarios.values():
        if scenario.node(scenario.start).notice is not None:
            return scenario
    pytest.fail("no shipped scenario opens with a notice step")


def _noticing(scenario, note: str) -> dict:
    node = scenario.node(scenario.start)
    data = {"notice_family": node.notice.family, "notice_markers": node.notice.markers[0],
            "notice_reaction": note}
    data.update({"choice": "0"} if node.respond == "choice"
                else {"mode": "free", "response": node.exemplars.strong[0]})
    return data


def test_the_note_limit_is_shown_and_a_longer_note_is_refused_beside_the_box(
        client, session, trainee, library):
    scenario = _scenario_with_notice_first(library)
    url = start(client, scenario.id)
    assert f"Up to {MAX_NOTE_CHARS:,} characters." in client.get(url).get_data(as_text=True)
    note = "My chest tightened when she went quiet; I wanted to fill the silence. " * 20
    assert len(note.strip()) > MAX_NOTE_CHARS
    response = answer(client, url, _noticing(scenario, note))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="notice-reaction-error">([^<]+)</p>', page)
    assert error and f"longer than {MAX_NOTE_CHARS:,} characters" in error.group(1)
    assert 'aria-describedby="notice-reaction-hint notice-reaction-error"' in page
    assert note.strip() in page  # still in the box, whole
    assert session.exec(select(Turn)).first() is None


def test_a_note_at_the_limit_is_kept_whole(client, session, trainee, library):
    scenario = _scenario_with_notice_first(library)
    url = start(client, scenario.id)
    note = ("I noticed I wanted to defend myself. " * 40)[:MAX_NOTE_CHARS - 1] + "!"
    assert answer(client, url, _noticing(scenario, note)).status_code in (200, 303)
    assert session.exec(select(Turn)).one().notice["reaction"] == note


@pytest.mark.parametrize("turn", ["1_0", "+0", "٠", "0.0", "-0", "9" * 30, ""])
def test_a_turn_number_that_is_not_plain_digits_is_a_stale_page(client, session, trainee,
                                                                library, turn):
    url = start(client, "you-started-late-again")
    token = _token(client, url)
    response = client.post(f"{url}/turns", data={"turn": turn, "csrf_token": token,
                                                 "response": "Kept words, not lost."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This page is out of date." in page
    assert "Kept words, not lost." in page
    assert session.exec(select(Turn)).first() is None


@pytest.mark.parametrize(("field", "value"), [("mode", "bogus"), ("assignment", "1_0"),
                                              ("assignment", "abc"), ("assignment", "0")])
def test_a_start_form_with_a_bad_field_says_so_beside_it_and_starts_nothing(
        client, session, trainee, field, value):
    path = "/scenarios/you-started-late-again"
    response = client.post(f"{path}/attempts", data={field: value,
                                                     "csrf_token": _token(client, path)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<p class="field-error" id="mode-error">[^<]+</p>', page)
    assert session.exec(select(Attempt)).first() is None


def test_an_assignment_with_no_attempts_left_says_so(client, session, trainee):
    from tests.courses.factories import make_assignment

    assignment = make_assignment(session, trainee_id=trainee.id, attempts_allowed=1)
    path = "/scenarios/you-started-late-again"
    form = {"assignment": str(assignment.id)}
    first = client.post(f"{path}/attempts", data={**form, "csrf_token": _token(client, path)})
    assert first.status_code == 303
    second = client.post(f"{path}/attempts", data={**form, "csrf_token": _token(client, path)})
    assert second.status_code == 409
    assert ONE_USED_UP in second.get_data(as_text=True)
    assert attempt_of(session, first.headers["Location"]).assignment_slot == 1
    assert len(session.exec(select(Attempt)).all()) == 1
