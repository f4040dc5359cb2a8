"""The scenario library, a scenario's page, the dashboard, progress, and pinned versions."""

from __future__ import annotations

import shutil
from datetime import timedelta

from simulator import create_app
from simulator.db import get_engine
from simulator.models import Assignment, Cohort, CohortMember, utcnow
from simulator.resources import resource_dir
from tests.conftest import sign_in
from tests.trainee.conftest import HTMX, answer, attempt_of, play_to_end, start


def test_library_lists_every_valid_scenario_with_its_facts(client, trainee, library):
    page = client.get("/scenarios").get_data(as_text=True)
    for scenario in library.scenarios.values():
        assert f'href="/scenarios/{scenario.id}"' in page
    drills = sum(1 for s in library.scenarios.values() if s.is_drill)
    assert f"{len(library.scenarios) - drills} scenarios, {drills} drills" in page
    assert "Difficulty" in page and "Marker" in page and "turns, about" in page


def test_library_filters_by_family_and_difficulty(client, trainee, library):
    page = client.get("/scenarios?family=confrontation&difficulty=2").get_data(as_text=True)
    expected = {s.id for s in library.scenarios.values()
                if s.rupture == "confrontation" and s.difficulty == 2}
    assert expected
    for scenario in library.scenarios.values():
        assert (f'href="/scenarios/{scenario.id}"' in page) == (scenario.id in expected)


def test_library_filter_via_htmx_returns_only_the_list(client, trainee):
    response = client.get("/scenarios?family=testing", headers=HTMX)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="scenario-list"')
    assert "<form" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_scenario_page_shows_the_client_and_objectives(client, trainee, library):
    scenario = library.scenarios["the-long-story"]
    page = client.get("/scenarios/the-long-story").get_data(as_text=True)
    assert scenario.client.name in page
    for objective in scenario.objectives:
        assert objective.replace("'", "&#39;") in page
    assert 'action="/scenarios/the-long-story/attempts"' in page
    assert client.get("/scenarios/no-such-scenario").status_code == 404


def test_dashboard_lists_assignments_direct_and_through_a_cohort(client, session, trainee):
    cohort = Cohort(name="Counselling skills 2026")
    session.add(cohort)
    session.flush()
    session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id, role="trainee"))
    session.add(Assignment(scenario_id="the-long-story", cohort_id=cohort.id,
                           due_at=utcnow() + timedelta(days=7)))
    session.add(Assignment(scenario_id="smiling-agreement", trainee_id=trainee.id,
                           due_at=utcnow() - timedelta(days=1), mode="assessment"))
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "The long story" in page or "the-long-story" in page
    assert "overdue" in page and "not started" in page


def test_progress_charts_each_skill_and_recommends_practice(client, session, trainee, library):
    scenario = library.scenarios["you-must-be-sick-of-me"]
    play_to_end(client, session, start(client, scenario.id), scenario)
    page = client.get("/progress").get_data(as_text=True)
    assert '<svg viewBox="0 0 560 220" role="img"' in page
    assert "Strongest skill" in page and "Skill to practise" in page
    assert "Recommended next:" in page
    assert "<caption>Mean score per skill and session" in page


def test_progress_before_any_session_invites_a_first_one(client, trainee):
    page = client.get("/progress").get_data(as_text=True)
    assert "Finish a scenario with written responses" in page


def test_editing_a_scenario_never_changes_a_started_attempt(app_config, session, tmp_path):
    library_dir = tmp_path / "library"
    shutil.copytree(resource_dir("scenarios"), library_dir)
    from simulator import migrate
    from tests.helpers import make_user

    app = create_app({**app_config, "SCENARIOS_DIR": str(library_dir)})
    migrate.upgrade(get_engine(app))
    user = make_user(session)
    browser = app.test_client()
    sign_in(browser, user.email)
    url = start(browser, "you-must-be-sick-of-me")
    path = library_dir / "you-must-be-sick-of-me.yaml"
    original = app.extensions["simulator.library"].scenarios["you-must-be-sick-of-me"]
    first_line = original.node(original.start).say
    path.write_text(path.read_text().replace(first_line.strip()[:30], "EDITED LINE "))
    edited_app = create_app({**app_config, "SCENARIOS_DIR": str(library_dir)})
    edited = edited_app.extensions["simulator.library"].scenarios["you-must-be-sick-of-me"]
    assert edited.content_hash != original.content_hash
    browser = edited_app.test_client()
    sign_in(browser, user.email)
    page = browser.get(url).get_data(as_text=True)
    assert "EDITED LINE" not in page
    answer(browser, url, {"mode": "free",
                          "response": "It sounds like you worry I'm tired of you."})
    assert attempt_of(session, url).scenario_hash == original.content_hash
