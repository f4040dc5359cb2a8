"""README lists the shipped library by family, setting and level, as the files say."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.resources import scenarios_dir
from simulator.scenarios.library import load_library

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
LIBRARY = load_library(scenarios_dir()).scenarios


def test_every_shipped_scenario_and_drill_is_listed_with_its_setting_and_level():
    for scenario in LIBRARY.values():
        row = next((line for line in README.splitlines() if f"(`{scenario.id}`)" in line), None)
        assert row, f"README does not list {scenario.id}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert str(scenario.difficulty) in cells, row
        if not scenario.is_drill:
            assert scenario.setting in cells, row


def test_readme_says_it_is_a_training_tool_and_real_risk_needs_real_supervision():
    assert re.search(r"real risk needs real supervision", README, re.IGNORECASE)
