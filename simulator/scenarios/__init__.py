"""Scenario files: safe YAML loading, validation that reports every problem, and the model.

Pure domain code: nothing here imports Flask. The web app, the CLI and tests all load
scenarios through these functions.
"""

from simulator.scenarios.library import (
    Library,
    load_library,
    load_rubric_file,
    load_scenario_file,
    load_scenario_text,
)
from simulator.scenarios.model import (
    Alliance,
    AllianceRule,
    Branch,
    Choice,
    ClientNode,
    Condition,
    Ending,
    Exemplars,
    Notice,
    Persona,
    Scenario,
)
from simulator.scenarios.problems import ERROR, WARNING, Problem

__all__ = [
    "ERROR",
    "WARNING",
    "Alliance",
    "AllianceRule",
    "Branch",
    "Choice",
    "ClientNode",
    "Condition",
    "Ending",
    "Exemplars",
    "Library",
    "Notice",
    "Persona",
    "Problem",
    "Scenario",
    "load_library",
    "load_rubric_file",
    "load_scenario_file",
    "load_scenario_text",
]
