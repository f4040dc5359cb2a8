"""`simulator backup PATH`: a consistent SQLite copy while turns are being written."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from simulator import create_app, migrate
from simulator.cli.backup import backup
from simulator.db import get_engine
from simulator.library import shipped_library
from simulator.models import Attempt, utcnow
from simulator.practice.snapshots import pin_snapshot
from tests.conftest import TEST_SECRET
from tests.helpers import make_user

MAX_WRITES = 3000  # the writer stops after this many turns even if the copy is slow


@pytest.fixture
def sqlite_app(tmp_path: Path):
    """An app on its own SQLite file, whichever database the rest of the suite uses."""
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'live.db'}",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    migrate.upgrade(get_engine(app))
    yield app
    get_engine(app).dispose()


def _attempt(app) -> str:
    scenario = shipped_library(app).scenarios["you-started-late-again"]
    with Session(get_engine(app)) as session:
        user = make_user(session)
        pin_snapshot(session=session, scenario=scenario)
        attempt = Attempt(trainee_id=user.id, scenario_id=scenario.id,
                          scenario_hash=scenario.content_hash, current_node=scenario.start)
        session.add(attempt)
        session.commit()
        return attempt.id


def _write_turns(app, attempt_id: str, stop: threading.Event, written: list[int]) -> None:
    insert = text("INSERT INTO turn (attempt_id, \"index\", node_id, client_line, response_text, "
                  "scores, overall, confidence, next_node, salience, direction, superseded, "
                  "created_at) VALUES (:a, :i, 'opening', 'line', :r, '{}', 0.5, 1.0, "
                  "'opening', 3, 'away', 0, :at)")
    for index in range(MAX_WRITES):
        if stop.is_set():
            return
        with get_engine(app).begin() as connection:
            connection.execute(insert, {"a": attempt_id, "i": index, "at": str(utcnow()),
                                        "r": f"answer {index} " + "words " * 50})
        written.append(index)


def test_a_copy_made_while_turns_are_written_is_consistent(sqlite_app, tmp_path):
    attempt_id = _attempt(sqlite_app)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_write_turns, args=(sqlite_app, attempt_id, stop, written))
    writer.start()
    try:
        while len(written) < 50 and writer.is_alive():
            writer.join(timeout=0.01)
        target = tmp_path / "copy.db"
        result = sqlite_app.test_cli_runner().invoke(backup, [str(target)])
    finally:
        stop.set()
        writer.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output and "bytes" in result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        indexes = [row[0] for row in copy.execute("SELECT \"index\" FROM turn ORDER BY 1")]
    finally:
        copy.close()
    assert indexes == list(range(len(indexes))) and len(indexes) >= 50  # a gap-free prefix
    assert not Path(f"{target}-wal").exists()
    assert target.stat().st_mode & 0o077 == 0


def test_an_existing_file_is_kept_unless_forced(sqlite_app, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    runner = sqlite_app.test_cli_runner()
    refused = runner.invoke(backup, [str(target)])
    assert refused.exit_code == 1
    assert "already exists; choose a new file name or add --force" in refused.output
    assert target.read_text() == "precious"
    forced = runner.invoke(backup, [str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM user").fetchone()[0] == 0


def test_postgresql_is_told_the_pg_dump_command(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                      "DATABASE_URL": "postgresql+psycopg://sim:s3cret@db.internal:5433/sim",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    result = app.test_cli_runner().invoke(backup, [str(tmp_path / "dump.pgc")])
    assert result.exit_code == 2
    expected = (f"pg_dump --format=custom --no-owner --file={tmp_path / 'dump.pgc'} "
                "--host=db.internal --port=5433 --username=sim sim")
    assert expected in result.output
    assert "s3cret" not in result.output
