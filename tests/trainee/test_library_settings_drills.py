"""The library as a trainee meets it after issue 16: the training-tool notice on every scenario
page, filters by setting and kind, and a drill that states its mastery and shows its progress."""

from __future__ import annotations

import pytest

from tests.trainee.conftest import answer, start

NOTICE = "Real risk needs real supervision"


def test_every_scenario_page_and_the_library_say_it_is_a_training_tool(client, trainee, library):
    assert NOTICE in client.get("/scenarios").get_data(as_text=True)
    for scenario_id in library.scenarios:
        page = client.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
        assert NOTICE in page, scenario_id


def test_the_play_page_says_it_too(client, trainee, library):
    url = start(client, sorted(library.scenarios)[0])
    assert NOTICE in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("setting", ["couple", "group", "telehealth", "school", "inpatient",
                                     "interpreted", "mandated"])
def test_the_setting_filter_shows_only_that_setting(client, trainee, library, setting):
    page = client.get(f"/scenarios?setting={setting}").get_data(as_text=True)
    wanted = [s for s in library.scenarios.values() if s.setting == setting]
    assert wanted, setting
    for scenario in library.scenarios.values():
        shown = f'href="/scenarios/{scenario.id}"' in page
        assert shown == (scenario.setting == setting), (scenario.id, scenario.setting)


def test_the_kind_filter_lists_the_drills(client, trainee, library):
    page = client.get("/scenarios?kind=drill").get_data(as_text=True)
    drills = [s for s in library.scenarios.values() if s.is_drill]
    assert len(drills) >= 3
    for scenario in library.scenarios.values():
        assert (f'href="/scenarios/{scenario.id}"' in page) == scenario.is_drill, scenario.id
    assert f"0 scenarios, {len(drills)} drills" in page


def test_a_drill_states_its_mastery_and_counts_statements_and_misses(client, trainee, library):
    drill = next(s for s in sorted(library.scenarios.values(), key=lambda s: s.id) if s.is_drill)
    page = client.get(f"/scenarios/{drill.id}").get_data(as_text=True)
    assert "Mastery:" in page
    url = start(client, drill.id)
    play = client.get(url).get_data(as_text=True)
    total = len(drill.client_nodes)
    assert f"statement 1 of {total}" in play and f"misses 0 of {drill.mastery.misses}" in play
    assert 'class="alliance' not in play  # the meter would read misses as a weakening alliance
    answer(client, url, {"response": "Okay. Let's move on to something else then."})
    again = client.get(url).get_data(as_text=True)
    assert f"statement 1 of {total}" in again and f"misses 1 of {drill.mastery.misses}" in again
