"""`simulator scenarios export ID [--version N]`: the YAML exactly as saved, or a clear refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import create_app
from simulator.cli import cli
from tests.authoring.conftest import SHIPPED, copy_text, save_draft, shipped_text
from tests.helpers import make_user

MINE = "late-again-our-version"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def two_saves(app, session):
    """An authored scenario saved twice: a valid copy, then a draft with an error in it."""
    owner = make_user(session, role="supervisor")
    first = copy_text(app, MINE).replace("Mateo", "Mateo (café, “late” — again)", 1)
    assert first != copy_text(app, MINE), "the shipped text no longer names Mateo"
    _, v1 = save_draft(app, session, owner, first, message="first")
    _, v2 = save_draft(app, session, owner, first + "nodes_typo: {}\n", message="second")
    assert (v1.valid, v2.valid) == (True, False)
    return v1, v2


def test_a_shipped_scenario_exports_its_file_byte_for_byte(app, runner):
    result = runner.invoke(cli, ["scenarios", "export", SHIPPED])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == shipped_text(app).encode("utf-8")
    assert runner.invoke(cli, ["scenarios", "export", SHIPPED, "--version", "1"]
                         ).stdout_bytes == result.stdout_bytes


def test_a_shipped_scenario_has_no_second_version(runner):
    result = runner.invoke(cli, ["scenarios", "export", SHIPPED, "--version", "2"])
    assert result.exit_code == 1
    assert (f"Error: '{SHIPPED}' is a shipped scenario, and shipped scenarios have one "
            "version: the file") in result.stderr
    assert result.stdout == ""


def test_an_authored_scenario_exports_its_newest_version_draft_or_not(runner, two_saves):
    result = runner.invoke(cli, ["scenarios", "export", MINE])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == two_saves[1].source_text.encode("utf-8")
    assert result.stdout_bytes.endswith(b"nodes_typo: {}\n")


def test_version_n_exports_that_version(runner, two_saves):
    result = runner.invoke(cli, ["scenarios", "export", MINE, "--version", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == two_saves[0].source_text.encode("utf-8")
    assert "Mateo (café, “late” — again)" in result.stdout_bytes.decode("utf-8")


def test_output_writes_a_file_and_nothing_to_stdout(runner, two_saves, tmp_path: Path):
    target = tmp_path / "mine.yaml"
    result = runner.invoke(cli, ["scenarios", "export", MINE, "--version",
                                 "1", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_bytes() == two_saves[0].source_text.encode("utf-8")


def test_an_unknown_version_lists_the_versions_that_exist(runner, two_saves, tmp_path: Path):
    target = tmp_path / "never.yaml"
    result = runner.invoke(cli, ["scenarios", "export", MINE, "--version", "3", "-o",
                                 str(target)])
    assert result.exit_code == 1
    assert f"Error: '{MINE}' has no version 3; its versions are 1-2" in result.stderr
    assert not target.exists(), "a refused export must not leave an empty file behind"


@pytest.mark.parametrize(("typed", "hint"), [
    ("you-started-late-agian", f"(did you mean '{SHIPPED}'?)"),
    ("late-again-our-verison", f"(did you mean '{MINE}'?)"),
])
def test_an_unknown_id_suggests_the_nearest_shipped_or_authored_one(runner, two_saves, typed,
                                                                    hint):
    result = runner.invoke(cli, ["scenarios", "export", typed])
    assert result.exit_code == 1
    assert f"Error: unknown scenario '{typed}' {hint}" in result.stderr


def test_version_must_be_a_positive_number(runner):
    result = runner.invoke(cli, ["scenarios", "export", SHIPPED, "--version", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--version'" in result.stderr


def test_a_shipped_scenario_exports_before_the_database_exists(app_config):
    fresh = create_app(app_config).test_cli_runner()
    shipped = fresh.invoke(cli, ["scenarios", "export", SHIPPED])
    assert shipped.exit_code == 0, shipped.output
    authored = fresh.invoke(cli, ["scenarios", "export", MINE])
    assert authored.exit_code == 1
    assert "run `simulator db upgrade` first" in authored.stderr
