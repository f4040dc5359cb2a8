"""Files holding personal data are readable by their owner only, and deleted words leave them.

These tests use their own SQLite file, whichever database the rest of the suite uses, and a
permissive umask (022), so that owner-only modes come from the code, not the environment.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from simulator import create_app, migrate
from simulator.cli import cli
from simulator.db import get_engine
from simulator.library import shipped_library
from simulator.models import User
from tests.conftest import TEST_SECRET, csrf_token, sign_in
from tests.courses.factories import make_assignment, make_attempt, make_cohort, make_turn
from tests.helpers import PASSWORD, make_user

ANSWER = "Xylophonist-unique I hear how much it hurt to wait for me again."
REFLECTION = "Quetzalcoatl-unique my chest tightened when she went quiet."
WORDS = (b"Xylophonist-unique", b"Quetzalcoatl-unique",
         "Xylophonist-unique".encode("utf-16-le"), "Quetzalcoatl-unique".encode("utf-16-le"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def sqlite_app(tmp_path: Path):
    """An app on its own SQLite file in a fresh folder."""
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'simulator.db'}",
                      "INSTANCE_PATH": str(tmp_path / "instance"), "RATELIMIT_ENABLED": False})
    (tmp_path / "data").mkdir()
    migrate.upgrade(get_engine(app))
    yield app
    get_engine(app).dispose()


def _database_files(app) -> list[Path]:
    database = Path(get_engine(app).url.database)
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


# --- modes ----------------------------------------------------------------------------------

def test_the_database_and_its_log_files_are_owner_only(sqlite_app):
    with Session(get_engine(sqlite_app)) as session:
        make_user(session)
    files = _database_files(sqlite_app)
    assert all(path.exists() for path in files)
    assert [mode(path) for path in files] == [0o600, 0o600, 0o600]


def test_an_existing_database_that_others_could_read_is_made_owner_only(tmp_path):
    database = tmp_path / "old.db"
    database.touch()
    database.chmod(0o644)
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                      "DATABASE_URL": f"sqlite:///{database}",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    get_engine(app).connect().close()
    get_engine(app).dispose()
    assert mode(database) == 0o600


@pytest.fixture
def filled(sqlite_app):
    """A trainee with an answer and a reflection, in a cohort with an assignment."""
    with Session(get_engine(sqlite_app), expire_on_commit=False) as session:
        trainee = make_user(session, email="erase-me@example.org")
        cohort = make_cohort(session, trainee, name="Files")
        make_assignment(session, cohort_id=cohort.id)
        attempt = make_attempt(session, sqlite_app, trainee, reflection=REFLECTION,
                               reflection_shared=True)
        rubric = shipped_library(sqlite_app).rubrics["repair-core"]
        make_turn(session, rubric, attempt, 0, response_text=ANSWER)
    return trainee


@pytest.mark.parametrize("command", [
    ["users", "export", "erase-me@example.org", "-o"],
    ["export", "gradebook", "Files", "-o"],
    ["export", "xapi", "--since", "2000-01-01", "-o"],
])
@pytest.mark.parametrize("existing", [False, True])
def test_exports_written_by_the_command_line_are_owner_only(sqlite_app, filled, tmp_path,
                                                            command, existing):
    target = tmp_path / "export.out"
    if existing:
        target.write_text("old")
        target.chmod(0o644)
    result = sqlite_app.test_cli_runner().invoke(cli, [*command, str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10 and mode(target) == 0o600


def test_a_backup_is_owner_only(sqlite_app, filled, tmp_path):
    target = tmp_path / "copy.db"
    result = sqlite_app.test_cli_runner().invoke(cli, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600


# --- deleted words leave the disk -----------------------------------------------------------

def _on_disk(app) -> bytes:
    return b"".join(path.read_bytes() for path in _database_files(app) if path.exists())


def _assert_gone(app) -> None:
    data = _on_disk(app)
    for word in WORDS:
        assert word not in data, f"{word!r} is still on disk"


def test_an_account_deleted_on_the_command_line_leaves_no_words_on_disk(sqlite_app, filled):
    assert WORDS[0] in _on_disk(sqlite_app) and WORDS[1] in _on_disk(sqlite_app)  # they were
    result = sqlite_app.test_cli_runner().invoke(
        cli, ["users", "delete", "erase-me@example.org", "--yes"])
    assert result.exit_code == 0, result.output
    _assert_gone(sqlite_app)


def test_an_account_deleted_by_its_owner_leaves_no_words_on_disk(sqlite_app, filled):
    client = sqlite_app.test_client()
    assert sign_in(client, "erase-me@example.org").status_code == 302
    assert WORDS[0] in _on_disk(sqlite_app)
    response = client.post("/account/delete", data={
        "password": PASSWORD, "confirm": "delete my account",
        "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 303, response.get_data(as_text=True)
    with Session(get_engine(sqlite_app)) as session:
        assert session.get(User, filled.id) is None
    _assert_gone(sqlite_app)
