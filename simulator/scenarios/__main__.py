"""`python -m simulator.scenarios PATH...`: validate scenario files without the app."""

from simulator.cli.scenario_commands import validate

validate(prog_name="python -m simulator.scenarios")
