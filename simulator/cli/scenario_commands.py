"""`simulator validate` and `simulator graph` (scenario files, no Flask app), and
`simulator scenarios export` (a shipped or authored scenario's text, from the app's library)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from flask.cli import AppGroup

from simulator.scenarios.graph_export import FORMATS
from simulator.scenarios.library import YAML_SUFFIXES, check_scenario_file, yaml_files
from simulator.scenarios.model import Scenario
from simulator.scenarios.problems import suggest
from simulator.scenarios.validate import validate_paths


@click.command("validate")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Plain lines for people, or JSON for tools.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--self-test/--no-self-test", default=True, show_default=True,
              help="Check that the scorer ranks each node's weak exemplars below its strong ones.")
def validate(paths: tuple[Path, ...], output: str, strict: bool, self_test: bool) -> None:
    """Check scenario and rubric files (folders: every *.yaml, and rubrics/ inside)."""
    report = validate_paths(paths, self_test=self_test)
    if output == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(str(problem))
        for note in report.notes:
            click.echo(note)
        click.echo(report.summary())
        for line in report.coverage.lines() if report.coverage else ():
            click.echo(line)
    errors, warnings = report.counts()
    raise SystemExit(1 if errors or (strict and warnings) else 0)


def _default_dir() -> Path:
    return Path(os.environ.get("SIMULATOR_SCENARIOS_DIR") or "scenarios")


def _scenario_path(ident: str, directory: Path) -> Path:
    """The file for a scenario id or path; exits 1 naming the known ids when there is none."""
    as_path = Path(ident)
    if as_path.suffix in YAML_SUFFIXES or as_path.is_file():
        if not as_path.is_file():
            raise click.ClickException(f"no such file: {ident}")
        return as_path
    for suffix in YAML_SUFFIXES:
        if (directory / f"{ident}{suffix}").is_file():
            return directory / f"{ident}{suffix}"
    known = ", ".join(p.stem for p in yaml_files(directory)) or "none"
    raise click.ClickException(f"unknown scenario '{ident}' in {directory} (known: {known})")


@click.command("graph")
@click.argument("scenario")
@click.option("--format", "output", type=click.Choice(sorted(FORMATS)), default="mermaid",
              show_default=True, help="Mermaid (paste into Markdown) or Graphviz dot.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Scenario folder (default: $SIMULATOR_SCENARIOS_DIR or ./scenarios).")
def graph(scenario: str, output: str, directory: Path | None) -> None:
    """Draw SCENARIO (an id or a .yaml path) as a graph of nodes, branches and endings."""
    path = _scenario_path(scenario, directory or _default_dir())
    checked = check_scenario_file(path)
    if not isinstance(checked.result, Scenario):
        for problem in checked.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{path} has errors; fix them before drawing it")
    click.echo(FORMATS[output](checked.result), nl=False)


@click.group(cls=AppGroup)
def scenarios() -> None:
    """Scenarios in the library: shipped files and those written in the app."""


@scenarios.command("export")
@click.argument("scenario_id", metavar="ID")
@click.option("--version", "number", type=click.IntRange(min=1), default=None,
              help="An authored scenario's version (default: the newest, valid or not).")
@click.option("--output", "-o", type=click.File("wb"), default="-",
              help="Write the YAML here instead of standard output.")
def export(scenario_id: str, number: int | None, output) -> None:
    """Print scenario ID's YAML exactly as saved: a shipped file, or an authored version."""
    # Imported here, not at the top: `validate` and `graph` share this module and stay quick.
    from simulator.library import shipped_library

    shipped = shipped_library().scenarios.get(scenario_id)
    if shipped is not None:
        if number not in (None, 1):
            raise click.ClickException(f"'{scenario_id}' is a shipped scenario, and shipped "
                                       "scenarios have one version: the file")
        output.write(Path(shipped.path).read_bytes())
        return
    text = _authored_text(scenario_id, number)  # before touching `output`: a refusal
    output.write(text.encode("utf-8"))  # leaves no empty file behind (it opens lazily)


def _authored_text(scenario_id: str, number: int | None) -> str:
    """The text of an authored scenario's version; exits 1 saying what exists instead."""
    from sqlmodel import select

    from simulator.authoring import store
    from simulator.cli.common import require_schema
    from simulator.db import get_session
    from simulator.library import shipped_library
    from simulator.models import AuthoredScenario

    require_schema()
    session = get_session()
    authored = store.find(session, scenario_id)
    if authored is None:
        known = sorted({*shipped_library().scenarios,
                        *session.exec(select(AuthoredScenario.scenario_id)).all()})
        raise click.ClickException(
            f"unknown scenario '{scenario_id}'{suggest(scenario_id, known)}")
    found = store.version(session, authored, number)
    if found is None:
        numbers = sorted(v.number for v in store.versions_of(session, authored))
        if not numbers:
            raise click.ClickException(f"'{scenario_id}' has no saved version yet")
        raise click.ClickException(f"'{scenario_id}' has no version {number}; its versions "
                                   f"are {_ranges(numbers)}")
    return found.source_text


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5": a long history stays one short line."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
