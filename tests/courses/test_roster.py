"""Roster import: every bad row named with its line, a preview that writes nothing, then apply."""

from __future__ import annotations

import pytest
from sqlmodel import select

from simulator.courses.cohorts import create_cohort, members
from simulator.courses.roster import ADD, CREATE, MAX_BYTES, MAX_ROWS, apply_roster, parse_roster
from simulator.courses.tokens import hash_token
from simulator.models import AuditEvent, CohortMember, SetPasswordToken, User
from tests.helpers import make_user

HEADER = "email,name,role\n"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode("utf-8")


def messages(preview) -> list[str]:
    return [problem.located("roster.csv") for problem in preview.problems]


def test_good_rows_preview_creating_new_accounts_and_adding_existing_ones(session):
    existing = make_user(session, email="known@example.org", role="trainee")
    data = csv_bytes("new@example.org,Nia New,trainee", "KNOWN@example.org ,Kim,trainee",
                     "sup@example.org,Sol Sup,Supervisor")
    preview = parse_roster(data, session=session)
    assert preview.ok
    assert [(r.line, r.email, r.action) for r in preview.rows] == [
        (2, "new@example.org", CREATE), (3, "known@example.org", ADD),
        (4, "sup@example.org", CREATE),
    ]
    assert preview.rows[1].existing_user_id == existing.id
    assert preview.rows[2].role == "supervisor"
    assert [r.email for r in preview.creates] == ["new@example.org", "sup@example.org"]


def test_every_bad_row_is_reported_at_once_with_its_line_and_reason(session):
    make_user(session, email="tina@example.org", role="trainee")
    make_user(session, email="boss@example.org", role="admin")
    data = csv_bytes(
        "ok@example.org,Olu,trainee",        # 2
        ",No Email,trainee",                 # 3
        "x@,Bad Email,trainee",              # 4
        "OK@example.org,Again,trainee",      # 5
        "",                                  # 6: blank, skipped silently
        "role@example.org,Rae,tutor",        # 7
        "noname@example.org,,trainee",       # 8
        "tina@example.org,Tina,supervisor",  # 9
        "boss@example.org,Boss,trainee",     # 10
        "boss@example.org,Boss,supervisor",  # 11: duplicate of 10
        "few@example.org,Few",               # 12
        "both@,,",                           # 13
        "sup@example.org,Sue,supervisor",    # 14
    )
    preview = parse_roster(data, session=session)
    assert messages(preview) == [
        "roster.csv:3: missing email",
        "roster.csv:4: invalid email 'x@'",
        "roster.csv:5: duplicate email 'ok@example.org' (first on line 2)",
        "roster.csv:7: unknown role 'tutor' (known: trainee, supervisor)",
        "roster.csv:8: empty name",
        "roster.csv:9: tina@example.org already has an account with the role trainee, "
        "not supervisor",
        "roster.csv:10: boss@example.org already has an account with the role admin, not trainee",
        "roster.csv:11: duplicate email 'boss@example.org' (first on line 10)",
        "roster.csv:12: expected 3 fields (email, name, role), found 2",
        "roster.csv:13: invalid email 'both@'",
        "roster.csv:13: empty name",
        "roster.csv:13: missing role (known: trainee, supervisor)",
    ]
    assert [row.line for row in preview.rows] == [2, 14]
    assert preview.bad_lines == [3, 4, 5, 7, 8, 9, 10, 11, 12, 13]


def test_an_admin_may_be_listed_as_a_cohort_supervisor(session):
    make_user(session, email="boss@example.org", role="admin")
    preview = parse_roster(csv_bytes("boss@example.org,Boss,supervisor"), session=session)
    assert preview.ok and preview.rows[0].action == ADD


def test_columns_may_come_in_any_order_and_a_bom_is_ignored(session):
    data = "\ufeffRole, Name ,EMAIL\r\ntrainee,\"Lee, Jo\",jo@example.org\r\n".encode()
    preview = parse_roster(data, session=session)
    assert preview.ok, messages(preview)
    assert (preview.rows[0].email, preview.rows[0].name) == ("jo@example.org", "Lee, Jo")


def test_a_quoted_name_over_two_lines_keeps_later_line_numbers_true(session):
    data = csv_bytes('a@example.org,"Ann\nSecond line",trainee', "b@,Bo,trainee")
    assert messages(parse_roster(data, session=session)) == ["roster.csv:4: invalid email 'b@'"]


@pytest.mark.parametrize(("header", "message"), [
    ("email,name", "roster.csv:1: the header must name the columns email, name, role "
                   "(in any order); missing: 'role'"),
    ("email,name,role,phone", "roster.csv:1: the header must name the columns email, name, "
                              "role (in any order); unexpected: 'phone'"),
    ("email,name,role,email", "roster.csv:1: the header must name the columns email, name, "
                              "role (in any order); repeated: 'email'"),
    ("a@example.org,Ann,trainee", "roster.csv:1: the header must name the columns email, name, "
                                  "role (in any order); missing: 'email', 'name', 'role'; "
                                  "unexpected: 'a@example.org', 'Ann', 'trainee'"),
])
def test_the_header_is_required_and_must_name_exactly_the_columns(session, header, message):
    preview = parse_roster(csv_bytes("a@example.org,Ann,trainee", header=header + "\n"),
                           session=session)
    assert messages(preview) == [message]
    assert preview.rows == ()


@pytest.mark.parametrize(("data", "message"), [
    (b"", "roster.csv: the file is empty; its first line must be the header email,name,role"),
    (b"email,name,role\nb@example.org,Bj\xf6rn,trainee\n",
     "roster.csv:2: not UTF-8 text; save the file as 'CSV UTF-8' and try again"),
    (b"email,name,role\n" + b"x" * MAX_BYTES,
     "roster.csv: the file is larger than 512 KiB; split it into smaller files"),
])
def test_unreadable_files_get_one_clear_message(session, data, message):
    assert messages(parse_roster(data, session=session)) == [message]


def test_more_than_the_row_limit_is_refused(session):
    rows = [f"p{n}@example.org,P {n},trainee" for n in range(MAX_ROWS + 1)]
    preview = parse_roster(csv_bytes(*rows), session=session)
    assert messages(preview) == [
        "roster.csv: the file has 2,001 rows; import at most 2,000 at a time"]
    assert parse_roster(csv_bytes(*rows[:MAX_ROWS]), session=session).ok


def test_parsing_writes_nothing(session):
    parse_roster(csv_bytes("new@example.org,Nia,trainee"), session=session)
    session.rollback()
    assert session.exec(select(User)).all() == []


def test_apply_creates_accounts_adds_everyone_and_issues_links_for_new_accounts(session):
    cohort = create_cohort(session=session, name="Spring")
    actor = make_user(session, email="lead@example.org", role="supervisor")
    old = make_user(session, email="old@example.org")
    data = csv_bytes("new@example.org,Nia New,trainee", "old@example.org,Old,trainee",
                     "sup@example.org,Sol,supervisor")
    preview = parse_roster(data, session=session)
    links = apply_roster(session=session, cohort=cohort, preview=preview, actor_id=actor.id)
    session.commit()
    assert [link.email for link in links] == ["new@example.org", "sup@example.org"]
    new = session.exec(select(User).where(User.email == "new@example.org")).one()
    assert (new.name, new.role, new.password_hash) == ("Nia New", "trainee", None)
    roles = {m.user.email: m.role for m in members(session=session, cohort_id=cohort.id)}
    assert roles == {"new@example.org": "trainee", "old@example.org": "trainee",
                     "sup@example.org": "supervisor"}
    assert old.id in {m.user.id for m in members(session=session, cohort_id=cohort.id)}
    stored = session.exec(select(SetPasswordToken.token_hash)).all()
    assert sorted(stored) == sorted(hash_token(link.token) for link in links)
    assert links[0].url("https://hs.example/") == f"https://hs.example/set-password/{links[0].token}"
    assert links[0].token not in repr(links[0])


def test_apply_records_an_audit_event_without_secrets(session):
    cohort = create_cohort(session=session, name="Spring")
    preview = parse_roster(csv_bytes("new@example.org,Nia,trainee"), session=session)
    links = apply_roster(session=session, cohort=cohort, preview=preview, actor_id=None)
    session.commit()
    event = session.exec(select(AuditEvent)).one()
    assert (event.action, event.object_id) == ("cohort.roster_import", str(cohort.id))
    assert event.detail == {"created": 1, "added": 0, "skipped": 0,
                            "created_user_ids": [links[0].user_id]}
    assert links[0].token not in str(event.detail)


def test_apply_does_not_commit_so_the_caller_can_abandon_it(session):
    cohort = create_cohort(session=session, name="Spring")
    session.commit()
    preview = parse_roster(csv_bytes("new@example.org,Nia,trainee"), session=session)
    apply_roster(session=session, cohort=cohort, preview=preview, actor_id=None)
    session.rollback()
    assert session.exec(select(User)).all() == []
    assert session.exec(select(CohortMember)).all() == []


def test_skipping_invalid_rows_applies_only_the_good_ones(session):
    cohort = create_cohort(session=session, name="Spring")
    preview = parse_roster(csv_bytes("x@,Bad,trainee", "good@example.org,Gus,trainee"),
                           session=session)
    assert not preview.ok
    apply_roster(session=session, cohort=cohort, preview=preview, actor_id=None)
    session.commit()
    assert [u.email for u in session.exec(select(User)).all()] == ["good@example.org"]


def test_importing_the_same_roster_twice_creates_nobody_twice(session):
    cohort = create_cohort(session=session, name="Spring")
    data = csv_bytes("new@example.org,Nia,trainee")
    apply_roster(session=session, cohort=cohort, preview=parse_roster(data, session=session),
                 actor_id=None)
    session.commit()
    again = parse_roster(data, session=session)
    assert [row.action for row in again.rows] == [ADD]
    assert apply_roster(session=session, cohort=cohort, preview=again, actor_id=None) == []
    session.commit()
    assert len(session.exec(select(CohortMember)).all()) == 1
