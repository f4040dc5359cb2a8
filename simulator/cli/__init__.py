"""The `simulator` command: one shell around the same functions the web app uses."""

from __future__ import annotations

import importlib

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from simulator import __version__, create_app

# name -> "module:attribute". Commands are imported only when used, so a quick command
# such as `simulator score` does not pay for the web stack at start-up.
COMMANDS = {
    "serve": "simulator.cli.serve:serve",
    "db": "simulator.cli.db_commands:db",
    "demo": "simulator.cli.demo:demo",
    "users": "simulator.cli.users:users",
    "cohorts": "simulator.cli.cohort_commands:cohorts",
    "validate": "simulator.cli.scenario_commands:validate",
    "graph": "simulator.cli.scenario_commands:graph",
    "scenarios": "simulator.cli.scenario_commands:scenarios",
    "score": "simulator.cli.score_command:score",
    "export": "simulator.cli.export_commands:export",
    "backup": "simulator.cli.backup:backup",
    "lti": "simulator.cli.lti_commands:lti",
    "xapi": "simulator.cli.xapi_commands:xapi",
}


def _make_app(*_args, **_kwargs):
    return create_app()


class LazyGroup(FlaskGroup):
    """A FlaskGroup whose own commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, _, attribute = COMMANDS[name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, create_app=_make_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
@click.version_option(__version__, prog_name="simulator")
def cli() -> None:
    """Holding Space: practise repairing ruptures in the therapeutic alliance."""


cli.add_command(shell_command)
cli.add_command(routes_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="simulator")
