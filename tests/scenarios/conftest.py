"""Fixtures for the scenario loader tests: staged fixture files, the test rubric, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.cli.scenario_commands import graph, validate
from simulator.rubric import Rubric
from simulator.scenarios.library import check_rubric_file, load_scenario_text
from simulator.scenarios.problems import Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


def fixture_text(name: str) -> str:
    """The text of a fixture file, e.g. `tiny.yaml` or `broken/unknown-key.yaml`."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def mutate(text: str, old: str, new: str) -> str:
    """text with `old` (which must occur exactly once) replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@cache
def small_rubric() -> Rubric:
    """The small repair-core copy in tests/fixtures/scenarios/rubrics/."""
    rubric = check_rubric_file(FIXTURES / "rubrics" / "repair-core.yaml").result
    assert isinstance(rubric, Rubric)
    return rubric


def problems_in(text: str, name: str = "tiny.yaml") -> list[str]:
    """Every problem line for scenario text, in file order."""
    _, problems = load_scenario_text(text, name=name, rubrics={"repair-core": small_rubric()})
    return [str(p) for p in sorted(problems, key=_position)]


def _position(problem: Problem) -> tuple[int, int]:
    return problem.line or 0, problem.column or 0


@pytest.fixture
def stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Copy fixture files and the test rubric into an empty folder and work from there."""

    def copy(*names: str) -> Path:
        shutil.copytree(FIXTURES / "rubrics", tmp_path / "rubrics", dirs_exist_ok=True)
        for name in names:
            shutil.copy(FIXTURES / name, tmp_path / Path(name).name)
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return copy


def run_validate(*args: str) -> Result:
    """`simulator validate ARGS` without an app."""
    return CliRunner().invoke(validate, list(args))


def run_graph(*args: str) -> Result:
    """`simulator graph ARGS` without an app."""
    return CliRunner().invoke(graph, list(args))
