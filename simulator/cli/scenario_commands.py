"""`simulator validate` and `simulator graph`: scenario tools that need no Flask app."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from simulator.scenarios.graph_export import FORMATS
from simulator.scenarios.library import YAML_SUFFIXES, check_scenario_file, yaml_files
from simulator.scenarios.model import Scenario
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
