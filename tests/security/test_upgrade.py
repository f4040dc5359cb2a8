"""Upgrading a database made by the previous release (revision 0001) loses nothing.

The rows are written with plain SQL against the 0001 schema, exactly as that release stored
them (the review table had no `blind` column yet), then the database is upgraded to head and
every row is read back and compared, value by value.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, bindparam, inspect, text
from sqlalchemy.types import Boolean

from simulator import migrate
from simulator.db import make_engine
from simulator.models.types import UTCDateTime

AT = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
SCORES = {"kind": "free", "overall": 0.62, "confidence": 0.55,
          "criteria": {"reflection": {"score": 0.7, "level": 2, "evidence": [[0, 12]]}},
          "flags": {"advice": {"score": 0.1, "level": 0, "evidence": []}}}
NOTICE = {"family": "confrontation", "markers": ["complaint-about-therapist"],
          "reaction": "I felt accused — and a bit ashamed.", "score": 1.0}

ROWS = {
    "user": [
        dict(id=1, email="rosa@example.org", name="Rosa Trainee", role="trainee", active=True,
             password_hash="scrypt:32768:8:1$salt$hash", session_token="tok-rosa", created_at=AT),
        dict(id=2, email="sam@example.org", name="Sam Supervisor", role="supervisor",
             active=True, password_hash=None, session_token="tok-sam", created_at=AT),
        dict(id=3, email="ada@example.org", name="Ada Admin", role="admin", active=False,
             password_hash=None, session_token="tok-ada", created_at=AT),
    ],
    "cohort": [dict(id=1, name="Spring 2026 — Group A", description="Tuesdays, room 4",
                    created_at=AT)],
    "cohort_member": [dict(cohort_id=1, user_id=1, role="trainee", added_at=AT),
                      dict(cohort_id=1, user_id=2, role="supervisor", added_at=AT)],
    "scenario_snapshot": [dict(content_hash="a" * 64, scenario_id="you-started-late-again",
                               title="You started late again", source_text="id: x\n",
                               origin="library", uploaded_by=None, created_at=AT)],
    "assignment": [dict(id=1, scenario_id="you-started-late-again", cohort_id=1, trainee_id=None,
                        due_at=AT, mode="assessment", attempts_allowed=2, created_by=2,
                        created_at=AT)],
    "attempt": [dict(id="attempt-0001-abcdefghij", trainee_id=1,
                     scenario_id="you-started-late-again", scenario_hash="a" * 64,
                     assignment_id=1, mode="assessment", status="completed",
                     current_node="repaired-ending", salience=2, direction="toward",
                     outcome="repaired", reflection="I rushed to explain myself.",
                     reflection_shared=True, started_at=AT, finished_at=AT)],
    "turn": [
        dict(id=1, attempt_id="attempt-0001-abcdefghij", index=0, node_id="opening",
             client_line="Eleven minutes. Again.", response_text="You're right, I'm sorry.",
             choice_index=None, notice=NOTICE, scores=SCORES, overall=0.62, confidence=0.55,
             next_node="softening", salience=3, direction="against", superseded=True,
             created_at=AT),
        dict(id=2, attempt_id="attempt-0001-abcdefghij", index=1, node_id="opening",
             client_line="Eleven minutes. Again.", response_text=None, choice_index=1,
             notice=None, scores=SCORES, overall=0.8, confidence=1.0, next_node="softening",
             salience=2, direction="toward", superseded=False, created_at=AT),
    ],
    "review": [dict(id=1, turn_id=1, criterion="reflection", old_level=2, new_level=3,
                    comment="Good ownership — say more about their experience.",
                    reviewer_id=2, created_at=AT)],
    "audit_event": [dict(id=1, at=AT, actor_id=2, action="transcript.view",
                         object_type="attempt", object_id="attempt-0001-abcdefghij",
                         detail={"via": "queue"})],
}
TYPED = {"created_at": UTCDateTime(), "added_at": UTCDateTime(), "due_at": UTCDateTime(),
         "started_at": UTCDateTime(), "finished_at": UTCDateTime(), "at": UTCDateTime(),
         "notice": JSON(), "scores": JSON(), "detail": JSON(), "active": Boolean(),
         "reflection_shared": Boolean(), "superseded": Boolean()}


def _quoted(name: str) -> str:
    return f'"{name}"'  # "user" and "index" are reserved words in PostgreSQL


def _insert(connection, table: str, row: dict) -> None:
    columns = ", ".join(_quoted(c) for c in row)
    values = ", ".join(f":{c}" for c in row)
    # Table and column names come from ROWS above, never from input.
    statement = text(f"INSERT INTO {_quoted(table)} ({columns}) VALUES ({values})")  # noqa: S608
    statement = statement.bindparams(*(bindparam(c, type_=TYPED[c]) for c in row if c in TYPED))
    connection.execute(statement, row)


def _read(connection, table: str, columns: list[str]) -> list[dict]:
    listed = ", ".join(_quoted(c) for c in columns)
    statement = text(f"SELECT {listed} FROM {_quoted(table)} ORDER BY 1, 2").columns(  # noqa: S608
        *(c for c in columns if c not in TYPED),
        **{c: TYPED[c] for c in columns if c in TYPED})
    return [dict(row._mapping) for row in connection.execute(statement)]


def test_a_previous_release_database_upgrades_with_every_row_intact(database_url):
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0001")
        assert "blind" not in {c["name"] for c in inspect(engine).get_columns("review")}
        with engine.begin() as connection:
            for table, rows in ROWS.items():
                for row in rows:
                    _insert(connection, table, row)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            for table, rows in ROWS.items():
                assert _read(connection, table, list(rows[0])) == rows, table
            blind = connection.execute(text("SELECT blind FROM review")).scalars().all()
        assert [bool(b) for b in blind] == [False]
        assert "set_password_token" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_the_upgraded_database_works_in_the_app(database_url, app_config):
    from sqlmodel import Session

    from simulator import create_app
    from simulator.db import get_engine
    from simulator.models import Attempt, Review, User
    from simulator.privacy import export_user_data

    engine = make_engine(database_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        for table, rows in ROWS.items():
            for row in rows:
                _insert(connection, table, row)
    engine.dispose()
    app = create_app(app_config)
    migrate.upgrade(get_engine(app))
    with Session(get_engine(app)) as session:
        rosa = session.get(User, 1)
        data = export_user_data(session=session, user=rosa)
        assert session.get(Review, 1).blind is False
        assert session.get(Attempt, "attempt-0001-abcdefghij").reflection_shared is True
    get_engine(app).dispose()
    turns = data["attempts"][0]["turns"]
    assert [t["response"] for t in turns] == ["You're right, I'm sorry.", None]
    assert turns[0]["notice"] == NOTICE and turns[0]["scores"] == SCORES
    assert turns[0]["supervisor_reviews"][0]["new_level"] == 3
