"""Cohorts: the data functions, and `simulator cohorts create | list | import`."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from simulator import create_app
from simulator.cli.cohort_commands import cohorts
from simulator.courses.cohorts import (
    ACCOUNT_ROLES_FOR,
    CohortError,
    add_member,
    cohorts_supervised_by,
    create_cohort,
    find_cohort,
    members,
)
from simulator.courses.tokens import hash_token
from simulator.models import COHORT_ROLES, Cohort, CohortMember, SetPasswordToken, User
from tests.helpers import make_user

LINK = re.compile(r"(\S+@\S+)\s+(http\S+/set-password/([\w-]+))")


@pytest.fixture
def run(app):
    """Invoke `cohorts ...` as the shell would; returns click's Result."""
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(cohorts, list(args))


@pytest.fixture
def roster(tmp_path, monkeypatch):
    """Write roster.csv in the working directory, so messages name it as a user would type it."""
    monkeypatch.chdir(tmp_path)

    def _write(*lines: str) -> str:
        (tmp_path / "roster.csv").write_text("\n".join(("email,name,role", *lines)) + "\n",
                                             encoding="utf-8")
        return "roster.csv"

    return _write


# --- the data functions -------------------------------------------------------------------


def test_every_cohort_role_says_which_accounts_may_hold_it():
    assert set(ACCOUNT_ROLES_FOR) == set(COHORT_ROLES)


def test_create_cohort_adds_its_supervisors(session):
    sue = make_user(session, email="sue@example.org", name="Sue", role="supervisor")
    ada = make_user(session, email="ada@example.org", name="Ada", role="admin")
    cohort = create_cohort(session=session, name=" Spring 2027 ", description="MSc year 1",
                           supervisor_emails=["SUE@example.org", "ada@example.org"])
    session.commit()
    assert cohort.name == "Spring 2027"
    assert [m.user.id for m in members(session=session, cohort_id=cohort.id)] == [ada.id, sue.id]
    assert cohorts_supervised_by(session=session, user_id=sue.id) == [cohort]


def test_create_cohort_names_every_unsuitable_supervisor_and_adds_nothing(session):
    make_user(session, email="tim@example.org", role="trainee")
    with pytest.raises(CohortError) as caught:
        create_cohort(session=session, name="Spring",
                      supervisor_emails=["ghost@example.org", "tim@example.org"])
    assert str(caught.value) == (
        "No account has the email ghost@example.org. "
        "tim@example.org is a trainee; only supervisors and admins can supervise."
    )
    session.rollback()
    assert session.exec(select(Cohort)).all() == []


@pytest.mark.parametrize(("name", "message"), [
    ("spring", "A cohort named 'spring' already exists."),
    ("  ", "A cohort needs a name."),
    ("2027", "A cohort name cannot be only digits."),
    ("x" * 121, "Cohort names can be at most 120 characters."),
])
def test_create_cohort_refuses_a_bad_or_taken_name(session, name, message):
    create_cohort(session=session, name="Spring")
    session.commit()
    with pytest.raises(CohortError, match=f"^{re.escape(message)}$"):
        create_cohort(session=session, name=name)


def test_find_cohort_by_id_or_name(session):
    cohort = create_cohort(session=session, name="Spring")
    session.commit()
    assert find_cohort(session=session, ref=str(cohort.id)) == cohort
    assert find_cohort(session=session, ref="Spring") == cohort
    assert find_cohort(session=session, ref="Autumn") is None
    assert find_cohort(session=session, ref="99") is None


def test_add_member_is_idempotent(session):
    cohort = create_cohort(session=session, name="Spring")
    user = make_user(session)
    add_member(session=session, cohort=cohort, user=user, role="trainee")
    add_member(session=session, cohort=cohort, user=user, role="trainee")
    session.commit()
    assert len(session.exec(select(CohortMember)).all()) == 1


@pytest.mark.parametrize(("account_role", "cohort_role", "message"), [
    ("trainee", "supervisor", "trainee and cannot join a cohort as supervisor"),
    ("admin", "trainee", "has the account role admin and cannot join a cohort as trainee"),
    ("trainee", "observer", "Unknown cohort role 'observer' (known: trainee, supervisor)."),
])
def test_add_member_refuses_a_role_the_account_cannot_hold(session, account_role, cohort_role,
                                                          message):
    cohort = create_cohort(session=session, name="Spring")
    user = make_user(session, role=account_role)
    with pytest.raises(CohortError, match=re.escape(message)):
        add_member(session=session, cohort=cohort, user=user, role=cohort_role)


def test_members_can_be_filtered_by_role(session):
    sue = make_user(session, email="sue@example.org", role="supervisor")
    cohort = create_cohort(session=session, name="Spring", supervisor_emails=[sue.email])
    tam = make_user(session, name="Tam")
    add_member(session=session, cohort=cohort, user=tam, role="trainee")
    session.commit()
    assert [m.user for m in members(session=session, cohort_id=cohort.id, role="trainee")] == [tam]
    assert cohorts_supervised_by(session=session, user_id=tam.id) == []


# --- the command line ---------------------------------------------------------------------


def test_cohorts_create_with_repeated_supervisors_then_list(run, session):
    make_user(session, email="sue@example.org", role="supervisor")
    make_user(session, email="ada@example.org", role="admin")
    result = run("create", "Spring 2027", "--supervisor", "sue@example.org",
                 "--supervisor", "ada@example.org")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Created cohort 'Spring 2027' (id 1). Supervisors: ada@example.org, sue@example.org.\n")
    run("create", "Autumn")
    assert run("list").output == ("   2  Autumn       0 trainees, 0 supervisors\n"
                                  "   1  Spring 2027  0 trainees, 2 supervisors\n")


def test_cohorts_create_explains_a_refusal(run):
    result = run("create", "Spring", "--supervisor", "ghost@example.org")
    assert result.exit_code == 1
    assert result.output == "Error: No account has the email ghost@example.org.\n"


def test_cohorts_list_when_there_are_none(run):
    assert run("list").output == (
        "No cohorts yet. Create one with `simulator cohorts create NAME`.\n")


def test_import_with_a_bad_row_names_every_one_and_writes_nothing(run, session, roster):
    run("create", "Spring")
    path = roster("ok@example.org,Olu,trainee", "x@,Xan,trainee", "", "ok@example.org,O,trainee")
    result = run("import", "Spring", path)
    assert result.exit_code == 1
    assert result.stderr == (
        "roster.csv:3: invalid email 'x@'\n"
        "roster.csv:5: duplicate email 'ok@example.org' (first on line 2)\n"
        "Error: Nothing imported: 2 problems. Fix the file, or pass --skip-invalid to import "
        "the 1 good row and skip the rest.\n"
    )
    assert result.stdout == ""
    assert session.exec(select(User)).all() == []
    assert session.exec(select(SetPasswordToken)).all() == []


def test_import_prints_a_secret_link_per_new_account_and_adds_existing_users(
    run, session, roster,
):
    old = make_user(session, email="old@example.org")
    run("create", "Spring")
    path = roster("new@example.org,Nia New,trainee", "old@example.org,Old,trainee")
    result = run("import", "1", path, "--base-url", "https://hs.example/")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Imported 2 rows into 'Spring': 1 new account created, 1 existing account added.\n")
    assert "SECRET" in result.stdout and "privately" in result.stdout
    links = LINK.findall(result.stdout)
    assert [(email, url.split("/set-password/")[0]) for email, url, _ in links] == [
        ("new@example.org", "https://hs.example")]
    stored = session.exec(select(SetPasswordToken)).one()
    assert stored.token_hash == hash_token(links[0][2])
    cohort = find_cohort(session=session, ref="Spring")
    assert {m.user.email for m in members(session=session, cohort_id=cohort.id)} == {
        "new@example.org", old.email}


def test_import_skip_invalid_imports_the_good_rows_and_reports_the_rest(run, session, roster):
    run("create", "Spring")
    path = roster("good@example.org,Gus,trainee", "bad@example.org,Bea,tutor")
    result = run("import", "Spring", path, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "roster.csv:3: unknown role 'tutor' (known: trainee, supervisor)\n"
        "Skipping 1 bad row.\n")
    assert "http://127.0.0.1:5000/set-password/" in result.stdout
    assert [u.email for u in session.exec(select(User)).all()] == ["good@example.org"]


def test_import_skip_invalid_with_no_good_rows_fails(run, session, roster):
    run("create", "Spring")
    result = run("import", "Spring", roster("x@,Xan,trainee"), "--skip-invalid")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: Nothing imported: the roster has no good rows.\n")
    assert session.exec(select(User)).all() == []


@pytest.mark.parametrize(("args", "message"), [
    (["import", "Nope", "roster.csv"], "Error: No cohort 'Nope'. See `simulator cohorts list`."),
    (["import", "Spring", "roster.csv", "--base-url", "hs.example"],
     "Invalid value for '--base-url': must start with http:// or https://"),
])
def test_import_explains_bad_arguments(run, roster, args, message):
    run("create", "Spring")
    roster("a@example.org,Ann,trainee")
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output


def test_cohort_commands_ask_for_an_upgrade_on_an_empty_database(app_config):
    result = create_app(app_config).test_cli_runner().invoke(cohorts, ["list"])
    assert result.exit_code == 1
    assert "The database is empty; run `simulator db upgrade` first." in result.output
