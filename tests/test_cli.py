"""The `simulator` command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from simulator.cli import cli
from simulator.cli.demo import DEMO_ACCOUNTS, DEMO_COHORT
from simulator.db import get_engine, make_engine
from simulator.models import Cohort, CohortMember, User
from tests.conftest import sign_in
from tests.helpers import make_user
from tests.trainee.conftest import answer, start


@pytest.fixture
def runner(empty_app):
    return empty_app.test_cli_runner()


@pytest.fixture
def empty_app(app_config):
    from simulator import create_app

    return create_app(app_config)  # no tables at all


@pytest.fixture
def migrated(empty_app):
    from simulator import migrate

    migrate.upgrade(get_engine(empty_app))
    return empty_app


def test_help_lists_every_command(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("serve", "db", "demo", "users", "cohorts", "validate", "score", "graph",
                 "export"):
        assert f"  {name}" in result.output


def test_db_upgrade_creates_then_reports_up_to_date(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Database upgraded from empty to ")
    again = runner.invoke(cli, ["db", "upgrade"])
    assert again.output.startswith("Database is up to date (revision ")


def test_users_add_reads_password_from_stdin_and_user_can_sign_in(migrated):
    runner = migrated.test_cli_runner()
    result = runner.invoke(
        cli, ["users", "add", "a@example.org", "--role", "trainee", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Created trainee a@example.org (a).\n"
    client = migrated.test_client()
    assert sign_in(client, "a@example.org", "a long enough password").status_code == 302


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "add", "not-an-email", "--password-stdin"], "long enough pw\n",
         "Error: 'not-an-email' is not an email address."),
        (["users", "add", "b@example.org", "--password-stdin"], "short\n",
         "Error: Passwords need at least 10 characters."),
    ],
)
def test_users_add_explains_bad_input(migrated, args, stdin, message):
    result = migrated.test_cli_runner().invoke(cli, args, input=stdin)
    assert result.exit_code == 1
    assert message in result.output


def test_users_add_refuses_a_duplicate_email(migrated):
    runner = migrated.test_cli_runner()
    args = ["users", "add", "dup@example.org", "--password-stdin"]
    runner.invoke(cli, args, input="long enough pw\n")
    again = runner.invoke(cli, args, input="long enough pw\n")
    assert again.exit_code == 1
    assert "A user with the email dup@example.org already exists." in again.output


def test_users_commands_ask_for_an_upgrade_on_an_empty_database(empty_app):
    result = empty_app.test_cli_runner().invoke(cli, ["users", "list"])
    assert result.exit_code == 1
    assert "The database is empty; run `simulator db upgrade` first." in result.output


def test_users_list_shows_accounts(migrated):
    runner = migrated.test_cli_runner()
    runner.invoke(cli, ["users", "add", "s@example.org", "--role", "supervisor", "--name",
                        "Sue", "--password-stdin"], input="long enough pw\n")
    result = runner.invoke(cli, ["users", "list"])
    assert result.output == "s@example.org  supervisor  Sue\n"


def test_demo_seeds_accounts_and_cohort_and_prints_them(migrated):
    result = migrated.test_cli_runner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    for email, _name, _role, password in DEMO_ACCOUNTS:
        assert f"{email:<24}  password: {password}" in result.output
    engine = make_engine(migrated.config["DATABASE_URL"])
    from sqlmodel import Session

    with Session(engine) as db:
        assert len(db.exec(select(User)).all()) == len(DEMO_ACCOUNTS)
        cohort = db.exec(select(Cohort).where(Cohort.name == DEMO_COHORT)).one()
        members = db.exec(select(CohortMember).where(CohortMember.cohort_id == cohort.id)).all()
        assert sorted(m.role for m in members) == ["supervisor", "trainee", "trainee"]
    engine.dispose()
    email, _, _, password = DEMO_ACCOUNTS[2]
    assert sign_in(migrated.test_client(), email, password).status_code == 302


def test_demo_is_repeatable(migrated):
    runner = migrated.test_cli_runner()
    runner.invoke(cli, ["demo"])
    assert runner.invoke(cli, ["demo"]).exit_code == 0


def test_demo_refuses_production_unless_asked(app_config):
    from simulator import create_app

    config = {**app_config, "ENV": "production", "SECRET_KEY": "Zq8-rV2nW7xK1pL4sT9yB3mC6fH0jD5gA"}
    result = create_app(config).test_cli_runner().invoke(cli, ["demo"])
    assert result.exit_code == 1
    assert "Refusing to create demo accounts with known passwords in production" in result.output


@pytest.fixture
def practised(migrated):
    """A trainee who has answered one moment, signed in through the web app."""
    with Session(get_engine(migrated)) as session:
        email = make_user(session, email="practised@example.org").email
    client = migrated.test_client()
    assert sign_in(client, email).status_code == 302
    answer(client, start(client, "you-must-be-sick-of-me"),
           {"mode": "free", "response": "That sounds lonely."})
    return migrated, email


def test_users_export_writes_everything_stored_about_one_person(practised):
    app, email = practised
    result = app.test_cli_runner().invoke(cli, ["users", "export", email.upper()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["account"]["email"] == email
    assert [t["response"] for t in data["attempts"][0]["turns"]] == ["That sounds lonely."]
    missing = app.test_cli_runner().invoke(cli, ["users", "export", "nobody@example.org"])
    assert missing.exit_code == 1
    assert "No account has the email nobody@example.org." in missing.output


def test_users_delete_asks_first_then_removes_the_account_and_its_practice(practised):
    app, email = practised
    runner = app.test_cli_runner()
    kept = runner.invoke(cli, ["users", "delete", email], input="n\n")
    assert kept.exit_code == 1 and "Aborted" in kept.output
    assert sign_in(app.test_client(), email).status_code == 302
    done = runner.invoke(cli, ["users", "delete", email, "--yes"])
    assert done.exit_code == 0, done.output
    assert done.output == f"Deleted {email}: 1 attempt, 1 turn and 0 reviews of their turns.\n"
    assert sign_in(app.test_client(), email).status_code == 401
    with get_engine(app).connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM attempt")).scalar()
    assert left == 0


def test_users_delete_refuses_the_last_admin(migrated):
    runner = migrated.test_cli_runner()
    runner.invoke(cli, ["users", "add", "boss@example.org", "--role", "admin",
                        "--password-stdin"], input="a long enough password\n")
    refused = runner.invoke(cli, ["users", "delete", "boss@example.org", "--yes"])
    assert refused.exit_code == 1
    assert "This is the only active admin account." in refused.output
    assert "boss@example.org" in runner.invoke(cli, ["users", "list"]).output
