"""`simulator export gradebook` and `simulator export xapi`: output, files and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from simulator.cli import cli
from simulator.models import AuditEvent
from tests.courses.factories import make_assignment, make_attempt, make_cohort
from tests.helpers import make_user


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def cohort(app, session):
    ana = make_user(session, name="=cmd|' /C calc'!A0", email="ana@example.org")
    cohort = make_cohort(session, ana, name="Spring 2025")
    make_assignment(session, cohort_id=cohort.id)
    return cohort


def _csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("key", ["Spring 2025", "id"])
def test_gradebook_by_name_or_id_goes_to_standard_output(runner, session, cohort, key):
    result = runner.invoke(cli, ["export", "gradebook", str(cohort.id) if key == "id" else key])
    assert result.exit_code == 0, result.output
    [row] = _csv(result.stdout_bytes)
    assert (row["trainee_email"], row["trainee_name"]) == ("ana@example.org",
                                                           "'=cmd|' /C calc'!A0")
    assert "reflection" in row
    event = session.exec(select(AuditEvent)).one()
    assert (event.action, event.object_id, event.detail["rows"]) == (
        "export.gradebook", str(cohort.id), 1)


def test_gradebook_to_a_file(runner, cohort, tmp_path):
    target = tmp_path / "grades.csv"
    result = runner.invoke(cli, ["export", "gradebook", "Spring 2025", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(_csv(target.read_bytes())) == 1


def test_unknown_cohort_exits_1_naming_the_known_ones(runner, session, cohort):
    make_cohort(session, name="Autumn 2024")
    result = runner.invoke(cli, ["export", "gradebook", "Sprnig"])
    assert result.exit_code == 1
    assert "Unknown cohort 'Sprnig'. Known cohorts: Autumn 2024, Spring 2025." in result.stderr


def test_xapi_writes_a_json_array_of_statements(app, runner, session):
    make_attempt(session, app, make_user(session))
    result = runner.invoke(cli, ["export", "xapi", "--since", "2025-01-01",
                                 "--base-url", "https://training.example.org/"])
    assert result.exit_code == 0, result.output
    statements = json.loads(result.stdout_bytes)
    assert [s["verb"]["display"]["en-US"] for s in statements] == ["launched", "completed"]
    assert statements[0]["actor"]["account"]["homePage"] == "https://training.example.org"


@pytest.mark.parametrize(("since", "count"), [
    ("2025-03-01T09:00:00", 2),  # naive means UTC: exactly the launch time
    ("2025-03-01T10:00:00+01:00", 2),  # the same instant, written in another zone
    ("2025-03-01T09:00:00.001Z", 1),  # a millisecond later: only the completion
])
def test_xapi_since_takes_dates_times_and_zones(app, runner, session, tmp_path, since, count):
    make_attempt(session, app, make_user(session))
    target = tmp_path / "statements.json"
    result = runner.invoke(cli, ["export", "xapi", "--since", since, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(target.read_text("utf-8"))) == count


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "last tuesday"],
     "Invalid value for '--since': 'last tuesday' is not an ISO 8601 date or date-time"),
    (["--since", "2025-13-01"],
     "Invalid value for '--since': '2025-13-01' is not an ISO 8601 date or date-time"),
    (["--since", "2025-01-01", "--base-url", "training.example.org"],
     "Invalid value for '--base-url': 'training.example.org' is not an absolute http(s) URL"),
    ([], "Missing option '--since'"),
])
def test_xapi_bad_arguments_exit_2_with_a_clear_message(runner, args, message):
    result = runner.invoke(cli, ["export", "xapi", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_export_stops_clearly_when_the_database_is_not_set_up(app_config, tmp_path):
    from simulator import create_app

    config = {**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = create_app(config).test_cli_runner().invoke(cli, ["export", "gradebook", "x"])
    assert result.exit_code == 1
    assert "run `simulator db upgrade` first" in result.stderr


def test_help_lists_both_exports(runner):
    result = runner.invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "  gradebook" in result.output and "  xapi" in result.output
