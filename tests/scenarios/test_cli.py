"""`simulator validate` and `simulator graph`, run as click commands without an app."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from simulator.scenarios import validate as validate_module
from tests.scenarios.conftest import FIXTURES, run_graph, run_validate

SKIP_NOTE = "exemplar self-test skipped: no scorer in this test"


@pytest.fixture
def no_scorer(monkeypatch):
    monkeypatch.setattr(validate_module, "find_scorer", lambda: (None, SKIP_NOTE))


def fake_scorer(monkeypatch, overall_by_text):
    """Make the self-test use a scorer that returns fixed overall scores per response text."""
    def score_response(*, client, response, rubric, **context):
        overall = overall_by_text(response)
        return SimpleNamespace(overall=overall, measures=lambda: {"overall": overall})

    monkeypatch.setattr(validate_module, "find_scorer", lambda: (score_response, ""))


def test_valid_folder_exits_0_with_a_summary(no_scorer):
    result = run_validate(str(FIXTURES))
    lines = result.stdout.splitlines()
    assert lines[:2] == [SKIP_NOTE, "2 scenarios, 1 rubric: 0 errors, 0 warnings"]
    # then what the folder covers (simulator/scenarios/coverage.py)
    assert lines[2] == "library: 2 scenarios (level 1: 2, level 2: 0, level 3: 0) and 0 drills"
    assert lines[3] == "settings: individual 2"
    assert lines[5].startswith("not yet covered: settings couple, group,")
    assert result.exit_code == 0


def test_a_single_file_has_no_library_report(no_scorer):
    result = run_validate(str(FIXTURES / "tiny.yaml"))
    assert not any(line.startswith("library:") for line in result.stdout.splitlines())


def test_json_output_shape(stage, no_scorer):
    stage("tiny.yaml", "broken/unknown-key.yaml")
    result = run_validate(".", "--format", "json")
    report = json.loads(result.stdout)
    assert report["files"] == [
        {"path": "rubrics/repair-core.yaml", "kind": "rubric"},
        {"path": "tiny.yaml", "kind": "scenario"},
        {"path": "unknown-key.yaml", "kind": "scenario"},
    ]
    assert report["problems"][1] == {
        "path": "unknown-key.yaml", "line": 21, "column": 5, "key": "nodes.opening.sya",
        "message": "unknown key 'sya' (did you mean 'say'?)", "severity": "error"}
    assert (report["errors"], report["warnings"]) == (2, 0)
    assert report["notes"] == [SKIP_NOTE]
    assert result.exit_code == 1


def test_nonexistent_path_is_a_usage_error():
    result = run_validate("no/such/file.yaml")
    assert result.exit_code == 2
    assert "Path 'no/such/file.yaml' does not exist" in result.output


def test_no_path_is_a_usage_error():
    result = run_validate()
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.output


def test_warnings_pass_unless_strict(stage, tmp_path, no_scorer):
    stage()
    text = (FIXTURES / "tiny.yaml").read_text()
    text = text.replace("    inner: Wants to be asked properly.\n", "")
    (tmp_path / "tiny.yaml").write_text(text)
    assert run_validate("tiny.yaml").exit_code == 0
    strict = run_validate("tiny.yaml", "--strict")
    assert strict.stdout.splitlines()[-1] == "1 scenario, 0 rubrics: 0 errors, 1 warning"
    assert strict.exit_code == 1


def test_self_test_flags_a_weak_exemplar_that_outscores_a_strong_one(stage, monkeypatch):
    stage("tiny.yaml")
    fake_scorer(monkeypatch, lambda text: 0.9 if text.startswith("Great") else 0.4)
    result = run_validate("tiny.yaml")
    assert result.stdout.splitlines() == [
        "tiny.yaml:26:5: nodes.opening.exemplars: weak[0] scores 0.90 overall, not below "
        "strong[0] (0.40); the scorer cannot tell them apart, so sharpen the exemplars or add "
        "indicators",
        # and because of it the weak answer also branches to the better ending
        "tiny.yaml:26:5: nodes.opening.exemplars: at salience 3 (away) weak[0] routes better "
        "than strong[0]: 'repaired' (salience 3, best ending repaired) against 'unresolved' "
        "(salience 3, best ending unresolved); adjust the branch conditions or the exemplars",
        "1 scenario, 0 rubrics: 2 errors, 0 warnings",
    ]
    assert result.exit_code == 1


def test_self_test_passes_when_the_scorer_ranks_exemplars(stage, monkeypatch):
    stage("tiny.yaml")
    fake_scorer(monkeypatch, lambda text: 0.1 if text.startswith("Great") else 0.8)
    result = run_validate("tiny.yaml")
    assert result.exit_code == 0


def test_self_test_can_be_turned_off(stage, monkeypatch):
    stage("tiny.yaml")
    fake_scorer(monkeypatch, lambda text: 1.0)
    assert run_validate("tiny.yaml", "--no-self-test").exit_code == 0


def test_a_failing_scorer_is_an_error_not_a_crash(stage, monkeypatch):
    stage("tiny.yaml")
    fake_scorer(monkeypatch, lambda text: 1 / 0)
    result = run_validate("tiny.yaml")
    assert result.stdout.splitlines()[0] == (
        "tiny.yaml:26:5: nodes.opening.exemplars: the scorer failed on these exemplars "
        "(ZeroDivisionError: division by zero)")
    assert result.exit_code == 1


TINY_MERMAID = """\
%% tiny: Tiny
%% endings by outcome: repaired = stadium/green oval, partly-repaired = rounded/yellow, \
unresolved = parallelogram/grey, escalated = hexagon/red
flowchart TD
    start((start))
    start --> n_opening
    n_opening["opening<br/>Fine."]
    n_repaired(["repaired<br/>repaired"])
    n_unresolved[/"unresolved<br/>unresolved"/]
    n_opening -->|"overall >= 0.5"| n_repaired
    n_opening -->|"otherwise"| n_unresolved
"""

TINY_DOT = """\
// tiny: Tiny
// endings by outcome: repaired = stadium/green oval, partly-repaired = rounded/yellow, \
unresolved = parallelogram/grey, escalated = hexagon/red
digraph "tiny" {
    rankdir=TB;
    node [shape=box, fontname="Helvetica"];
    edge [fontname="Helvetica", fontsize=10];
    "__start" [shape=circle, label="start"];
    "__start" -> "opening";
    "opening" [label="opening\\nFine."];
    "repaired" [label="repaired\\nrepaired", shape=oval, style=filled, fillcolor="#c8e6c9"];
    "unresolved" [label="unresolved\\nunresolved", shape=parallelogram, style=filled, \
fillcolor="#e0e0e0"];
    "opening" -> "repaired" [label="overall >= 0.5"];
    "opening" -> "unresolved" [label="otherwise"];
}
"""


def test_graph_mermaid_by_id(stage):
    stage("tiny.yaml")
    result = run_graph("tiny", "--dir", ".")
    assert result.stdout == TINY_MERMAID
    assert result.exit_code == 0


def test_graph_dot_by_path():
    result = run_graph(str(FIXTURES / "tiny.yaml"), "--format", "dot")
    assert result.stdout == TINY_DOT
    assert result.exit_code == 0


def test_graph_uses_the_scenarios_dir_setting(monkeypatch):
    monkeypatch.setenv("SIMULATOR_SCENARIOS_DIR", str(FIXTURES))
    result = run_graph("glance-at-the-clock")
    assert result.exit_code == 0
    assert '    n_opening -->|"ownership >= 0.5 and overall >= 0.5"| n_opens_a_little' \
        in result.stdout.splitlines()
    assert ('    n_repaired_end(["repaired-end<br/>repaired: She was a nurse too, you know. '
            'My mum.…"])') in result.stdout.splitlines()
    assert '    n_polite_retreat -->|"salience >= 4"| n_closes_down' in result.stdout.splitlines()


def test_graph_unknown_id_lists_known_ids():
    result = run_graph("nope", "--dir", str(FIXTURES))
    assert result.exit_code == 1
    assert f"unknown scenario 'nope' in {FIXTURES} (known: glance-at-the-clock, tiny)" \
        in result.output


def test_graph_of_a_broken_file_shows_its_problems(stage):
    stage("broken/dangling-goto.yaml")
    result = run_graph("dangling-goto.yaml")
    assert result.exit_code == 1
    assert "dangling-goto.yaml:30:15: nodes.opening.branches[0].goto: unknown node 'repaird'" \
        in result.output
    assert "dangling-goto.yaml has errors; fix them before drawing it" in result.output
