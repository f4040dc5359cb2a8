"""The `simulator` command: one shell around the same functions the web app uses."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from simulator import __version__, create_app


def _make_app(*_args, **_kwargs):
    return create_app()


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
@click.version_option(__version__, prog_name="simulator")
def cli() -> None:
    """Holding Space: practise repairing ruptures in the therapeutic alliance."""


def _register() -> None:
    from simulator.cli import cohort_commands, db_commands, demo, serve, stubs, users

    cli.add_command(serve.serve)
    cli.add_command(db_commands.db)
    cli.add_command(demo.demo)
    cli.add_command(users.users)
    cli.add_command(cohort_commands.cohorts)
    for command in stubs.domain_commands():
        cli.add_command(command)
    cli.add_command(shell_command)
    cli.add_command(routes_command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="simulator")
