"""Domain commands from their own modules; a placeholder stands in until a module lands."""

from __future__ import annotations

import importlib

import click

# name -> (module, attribute) of the real command.
DOMAIN_COMMANDS = {
    "validate": ("simulator.cli.scenario_commands", "validate"),
    "graph": ("simulator.cli.scenario_commands", "graph"),
    "score": ("simulator.cli.score_command", "score"),
    "export": ("simulator.cli.export_commands", "export"),
}


def _placeholder(name: str) -> click.Command:
    @click.command(name, context_settings={"ignore_unknown_options": True},
                   help=f"({name}: not implemented yet.)")
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: tuple[str, ...]) -> None:
        click.echo(f"simulator {name}: not implemented yet.", err=True)
        raise SystemExit(2)

    return command


def domain_commands() -> list[click.Command]:
    """The real command where its module exists, else a placeholder that exits 2."""
    commands = []
    for name, (module_name, attribute) in DOMAIN_COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            commands.append(_placeholder(name))
            continue
        commands.append(getattr(module, attribute))
    return commands
