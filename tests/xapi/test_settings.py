"""What the settings do: the privacy switch, off when unset, background delivery, deletion, the
site's address outside a request, and the CLI's messages."""

from __future__ import annotations

import json
import logging
import time

import pytest
from sqlmodel import func, select

from simulator import create_app
from simulator.cli import cli
from simulator.config import ConfigError
from simulator.db import get_session
from simulator.library import shipped_library
from simulator.models import Attempt, Turn, User, XapiOutbox
from simulator.practice.attempts import start_attempt
from simulator.privacy import export_user_data
from simulator.xapi import outbox as xapi_outbox
from tests.helpers import PASSWORD, make_user
from tests.trainee.conftest import answer, attempt_of, start
from tests.xapi.conftest import SCENARIO, WORDS, first_attempt, outbox, small_statement, token

POLL_SECONDS = 15


@pytest.mark.parametrize("xapi_settings", [{"XAPI_RESPONSE_TEXT": False}])
def test_without_response_text_no_words_reach_the_outbox(app, client, session, login_as, lrs):
    login_as("trainee")
    scenario = shipped_library(app).scenarios[SCENARIO]
    first_attempt(client, session, scenario)
    rows = outbox(session)
    assert {"launched", "noticed", "responded", "rewound", "completed"} <= {r.verb for r in rows}
    assert {row.status for row in rows} == {"sent"}
    queued = json.dumps([row.statement for row in rows], ensure_ascii=False)
    assert '"response"' not in queued
    assert "glad you said so" not in queued
    assert scenario.node(scenario.start).choices[0].text not in queued
    # play_to_end answers in the authors' model words, which the feedback shows as the model
    authored = {words for node in scenario.client_nodes.values() if node.exemplars
                for words in node.exemplars.strong}
    answers = {t.response_text for t in session.exec(select(Turn))} - authored - {None}
    assert answers and not any(words in queued for words in answers)


@pytest.mark.parametrize("xapi_settings", [{"LRS_URL": None}])
def test_without_an_lrs_nothing_is_queued_and_send_says_why(app, client, session, login_as):
    login_as("trainee")
    first_attempt(client, session, shipped_library(app).scenarios[SCENARIO])
    assert session.exec(select(Turn)).first() is not None
    assert outbox(session) == []
    runner = app.test_cli_runner()
    sent = runner.invoke(cli, ["xapi", "send"])
    assert sent.exit_code == 1
    assert "SIMULATOR_LRS_URL is not set" in sent.output
    status = runner.invoke(cli, ["xapi", "status"])
    assert status.exit_code == 0 and "LRS: none." in status.output


@pytest.mark.parametrize("xapi_settings", [{"DELIVERY_MODE": "background"}])
def test_background_delivery_needs_no_command(app, client, session, login_as, lrs):
    left_over = small_statement()  # queued before this process started: the first request sends it
    session.add(XapiOutbox(statement_id=left_over["id"], user_id=make_user(session).id,
                           verb="responded", statement=left_over))
    session.commit()
    client.get("/login")
    _wait_for(lrs, lambda: any(s["id"] == left_over["id"] for s in lrs.statements()))
    login_as("trainee")
    url = start(client, SCENARIO)
    assert answer(client, url, {"mode": "free", "response": WORDS}).status_code == 303
    rows = outbox(session, attempt_id=attempt_of(session, url).id)
    assert [row.verb for row in rows] == ["launched", "responded"]
    registration = rows[0].statement["context"]["registration"]
    _wait_for(lrs, lambda: len(lrs.statements(registration=registration)) >= len(rows))
    assert sorted(s["id"] for s in lrs.statements(registration=registration)) == sorted(
        row.statement_id for row in rows)


def _wait_for(lrs, arrived) -> None:
    deadline = time.monotonic() + POLL_SECONDS
    while not arrived():
        assert time.monotonic() < deadline, "the background sender sent nothing in time"
        time.sleep(0.05)


@pytest.mark.parametrize("xapi_settings", [{"DELIVERY_MODE": "off"}])
def test_the_export_holds_queued_statements_and_deleting_the_account_removes_them(
        app, client, session, login_as):
    trainee = login_as("trainee")
    first_attempt(client, session, shipped_library(app).scenarios[SCENARIO])
    rows = outbox(session, user_id=trainee.id)
    assert rows and {row.status for row in rows} == {"queued"}
    exported = export_user_data(session=session, user=session.get(User, trainee.id))
    assert [s["statement"]["id"] for s in exported["xapi_statements"]] == [
        row.statement_id for row in rows]
    other = make_user(session)  # someone else's queued statement stays
    session.add(XapiOutbox(statement_id="00000000-0000-4000-8000-000000000001",
                           user_id=other.id, verb="launched", statement={}))
    session.commit()
    response = client.post("/account/delete", data={
        "csrf_token": token(client, "/account"), "password": PASSWORD,
        "confirm": "delete my account"})
    assert response.status_code == 303
    assert [row.user_id for row in outbox(session)] == [other.id]


@pytest.mark.parametrize("base_url", [None, "https://sim.example.ac.uk/"])
def test_outside_a_request_the_site_address_must_be_configured(app, session, base_url,
                                                               caplog):
    app.config["BASE_URL"] = base_url
    trainee = make_user(session)
    scenario = shipped_library(app).scenarios[SCENARIO]
    with app.app_context(), caplog.at_level(logging.WARNING, logger="simulator.xapi.outbox"):
        db = get_session()
        for _ in range(2):
            start_attempt(session=db, trainee_id=trainee.id, scenario=scenario)
            db.commit()
    assert session.exec(select(func.count()).select_from(Attempt)).one() == 2
    rows = outbox(session)
    warnings = [r for r in caplog.records if "SIMULATOR_BASE_URL is unset" in r.getMessage()]
    if base_url is None:
        assert rows == [] and len(warnings) == 1  # logged once, nothing broke
    else:
        assert [row.verb for row in rows] == ["launched", "launched"] and not warnings
        actor = rows[0].statement["actor"]["account"]
        assert actor == {"homePage": "https://sim.example.ac.uk", "name": str(trainee.id)}


@pytest.mark.parametrize("xapi_settings", [{"DELIVERY_MODE": "off"}])
def test_status_shows_the_queue_without_the_lrs_credentials(app, client, session, login_as,
                                                            lrs):
    app.config["LRS_URL"] = lrs.url.replace("http://", "http://holding-space:s3cret@")
    login_as("trainee")
    start(client, SCENARIO)
    session.add(XapiOutbox(statement_id="00000000-0000-4000-8000-000000000002",
                           user_id=outbox(session)[0].user_id, verb="responded", statement={},
                           status="rejected", last_error="HTTP 400: Problem in 'statements.0'"))
    session.commit()
    result = app.test_cli_runner().invoke(cli, ["xapi", "status"])
    assert result.exit_code == 0, result.output
    assert f"LRS: {lrs.url}\n" in result.output and "s3cret" not in result.output
    assert "queued 1 · sent 0 · rejected 1" in result.output
    assert "Oldest queued: " in result.output
    assert "Next try: 1 due now, sent as soon as the sender runs" in result.output
    assert ("Rejected 00000000-0000-4000-8000-000000000002 (responded, "
            in result.output)
    assert "HTTP 400: Problem in 'statements.0'" in result.output


def test_a_bad_since_names_the_flag_and_the_format(app):
    result = app.test_cli_runner().invoke(cli, ["xapi", "send", "--since", "last tuesday"])
    assert result.exit_code == 2
    assert "Invalid value for '--since'" in result.output
    assert "is not an ISO 8601 date or date-time (for example 2025-03-01" in result.output


@pytest.mark.parametrize("setting", ["LRS_URL", "BASE_URL"])
def test_a_malformed_address_stops_the_app_with_the_setting_named(app_config, setting):
    with pytest.raises(ConfigError, match=f"SIMULATOR_{setting} is not an absolute http"):
        create_app({**app_config, setting: "lrs.example.org/xAPI"})


def test_a_fault_in_reporting_never_costs_the_trainee_their_answer(
        app, client, session, login_as, monkeypatch, caplog):
    def broken(*_args):
        raise KeyError("a bug in a statement builder")

    monkeypatch.setitem(xapi_outbox.BUILDERS, "responded", broken)
    login_as("trainee")
    url = start(client, SCENARIO)
    assert answer(client, url, {"mode": "free", "response": WORDS}).status_code == 303
    assert session.exec(select(Turn)).one().response_text == WORDS
    assert [row.verb for row in outbox(session)] == ["launched"]
    assert "xAPI statements for a responded event could not be built" in caplog.text
