"""Loading a library of scenarios and rubrics: valid files load, broken ones are reported."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from simulator.cli.score_command import load_rubric
from simulator.rubric import Rubric
from simulator.scenarios.library import check_rubric_bytes, load_library, load_scenario_text
from simulator.scenarios.model import ClientNode, Ending
from simulator.scenarios.problems import Reporter
from simulator.scenarios.self_test import check_exemplars, find_scorer
from simulator.scenarios.validate import validate_paths
from tests.scenarios.conftest import FIXTURES, fixture_text, mutate, small_rubric

REPO = Path(__file__).resolve().parents[2]


def test_fixture_library_loads_every_valid_scenario():
    library = load_library(FIXTURES)
    assert sorted(library.scenarios) == ["glance-at-the-clock", "tiny"]
    assert sorted(library.rubrics) == ["repair-core"]
    assert library.problems == []


def test_broken_files_are_reported_and_skipped_without_hiding_valid_ones(tmp_path):
    shutil.copytree(FIXTURES / "rubrics", tmp_path / "rubrics")
    shutil.copy(FIXTURES / "tiny.yaml", tmp_path)
    for name in ("alias-bomb", "python-tag", "unknown-key"):
        shutil.copy(FIXTURES / "broken" / f"{name}.yaml", tmp_path)
    library = load_library(tmp_path)
    assert list(library.scenarios) == ["tiny"]
    assert sorted({Path(p.path).name for p in library.problems}) == [
        "alias-bomb.yaml", "python-tag.yaml", "unknown-key.yaml"]


def test_a_missing_folder_is_a_problem_not_an_exception(tmp_path):
    library = load_library(tmp_path / "nowhere")
    assert library.scenarios == {}
    assert [str(p) for p in library.problems] == [
        f"{tmp_path / 'nowhere'}: scenario folder does not exist"]


def test_a_broken_rubric_is_named_by_the_scenarios_that_use_it(tmp_path):
    (tmp_path / "rubrics").mkdir()
    rubric = (FIXTURES / "rubrics" / "repair-core.yaml").read_text()
    (tmp_path / "rubrics" / "repair-core.yaml").write_text(rubric.replace("source:", "sauce:", 1))
    shutil.copy(FIXTURES / "tiny.yaml", tmp_path)
    library = load_library(tmp_path)
    assert library.scenarios == {}
    rubric_path = tmp_path / "rubrics" / "repair-core.yaml"
    assert [str(p) for p in library.problems] == [
        f"{rubric_path}:8:5: criteria[0]: missing required key 'source'",
        f"{rubric_path}:11:5: criteria[0].sauce: unknown key 'sauce' (did you mean 'source'?)",
        f"{tmp_path / 'tiny.yaml'}:8:9: rubric: rubric 'repair-core' has errors; fix "
        f"{rubric_path} first",
    ]


def test_scenario_carries_its_source_and_hash():
    library = load_library(FIXTURES)
    scenario = library.scenarios["tiny"]
    raw = (FIXTURES / "tiny.yaml").read_bytes()
    assert scenario.content_hash == hashlib.sha256(raw).hexdigest()
    assert scenario.source_text == raw.decode("utf-8")
    assert isinstance(scenario.rubric, Rubric)


def test_a_snapshot_reloads_to_an_equal_scenario():
    scenario = load_library(FIXTURES).scenarios["glance-at-the-clock"]
    again, problems = load_scenario_text(scenario.source_text, name="glance-at-the-clock.yaml",
                                         rubrics={"repair-core": scenario.rubric})
    assert problems == []
    assert again is not None
    assert again.nodes == scenario.nodes
    assert again.content_hash == scenario.content_hash


def test_model_is_built_from_the_file():
    scenario = load_library(FIXTURES).scenarios["glance-at-the-clock"]
    opening = scenario.node("opening")
    assert isinstance(opening, ClientNode)
    assert opening.respond == "both"
    assert [c.goto for c in opening.choices] == [None, None, None]
    assert opening.branches[-1].otherwise and opening.branches[-1].goto == "polite-retreat"
    assert opening.branches[1].conditions[0].measure == "ownership"
    assert opening.notice is not None and opening.notice.family == "withdrawal"
    assert opening.indicators == {"ownership": (r"\bclock\b", r"\bI (looked|glanced)\b")}
    assert opening.about == ("the clock", "glanced", "how long have we got")
    assert scenario.needs_of(opening) == ("ownership", "metacommunication")
    assert isinstance(scenario.node("repaired-end"), Ending)
    assert scenario.alliance.rules[-1].direction == "against"
    assert scenario.markers == ("shifting-topic", "denial-of-feeling", "therapist-error")
    assert scenario.minutes == 10
    tiny = load_library(FIXTURES).scenarios["tiny"]
    assert tiny.minutes == 2  # default: two minutes per client node


def test_uploaded_text_must_be_named_after_its_id():
    scenario, problems = load_scenario_text(fixture_text("tiny.yaml"), name="upload.yaml",
                                            rubrics={"repair-core": small_rubric()})
    assert scenario is None
    assert [str(p) for p in problems] == [
        "upload.yaml:2:5: id: id 'tiny' does not match the file name 'upload'"]


def test_the_authoring_guide_example_is_the_valid_fixture():
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
    example = next(b for b in blocks if b.startswith("id: glance-at-the-clock"))
    assert example == fixture_text("glance-at-the-clock.yaml")
    scenario, problems = load_scenario_text(example, name="glance-at-the-clock.yaml",
                                            rubrics={"repair-core": small_rubric()})
    assert problems == [] and scenario is not None


RUBRIC = fixture_text("rubrics/repair-core.yaml")


@pytest.mark.parametrize(("old", "new", "messages"), [
    ("{level: 1, min: 0.5, label: Present, feedback: The client can hear you understood.}",
     "{level: 1, min: 0.0, label: Present, feedback: The client can hear you understood.}",
     ["repair-core.yaml:14:25: criteria[0].levels[1].min: 0.0 is not above the previous "
      "level's min 0.0"]),
    ("{level: 0, min: 0.0, label: Not yet, feedback: Name the feeling you heard.}",
     "{level: 0, min: 0.1, label: Not yet, feedback: Name the feeling you heard.}",
     ["repair-core.yaml:13:25: criteria[0].levels[0].min: the first level must have min 0, "
      "got 0.1"]),
    ("{level: 1, min: 0.5, label: Present, feedback: Hold the advice until asked.}",
     "{level: 2, min: 0.5, label: Present, feedback: Hold the advice until asked.}",
     ["repair-core.yaml:58:17: flags[0].levels[1].level: levels count up from 0: expected 1, "
      "got 2"]),
    ("  - id: self_focus", "  - id: reflection",
     ["repair-core.yaml:50:1: flags: repair-core must have the flags self_focus (missing)",
      "repair-core.yaml:82:9: flags[4].id: duplicate id 'reflection' (also criteria[0])"]),
    ("  - id: collaboration", "  - id: teamwork",
     ["repair-core.yaml:7:1: criteria: repair-core must have the criteria collaboration "
      "(missing)"]),
    ('    source: "MITI 4.2 persuade"\n', "",
     ["repair-core.yaml:51:5: flags[0]: missing required key 'source'"]),
    ("id: repair-core", "id: repair-other",
     ["repair-core.yaml:4:5: id: id 'repair-other' does not match the file name "
      "'repair-core'"]),
    ("    penalty: 0.25", "    penalty: 2",
     ["repair-core.yaml:55:14: flags[0].penalty: must be between 0 and 1, got 2"]),
    ("      - {level: 1, min: 0.5, label: Present, feedback: Hold the advice until asked.}\n",
     "", ["repair-core.yaml:57:7: flags[0].levels: needs 2 to 5 items, got 1"]),
])
def test_rubric_mistakes(old, new, messages):
    checked = check_rubric_bytes(mutate(RUBRIC, old, new).encode(), name="repair-core.yaml")
    assert checked.result is None
    assert [str(p) for p in checked.problems] == messages


def test_the_test_rubric_is_valid():
    checked = check_rubric_bytes(RUBRIC.encode(), name="repair-core.yaml")
    assert checked.problems == []
    assert isinstance(checked.result, Rubric)
    assert checked.result.item("advice").penalty == 0.25


def test_shipped_library_is_valid():
    # Fails until the scenario writers finish; it checks structure, not the scorer.
    report = validate_paths([REPO / "scenarios"], self_test=False)
    errors = [str(p) for p in report.problems if p.is_error]
    assert errors == []
    assert any(f.kind == "rubric" for f in report.files)


def test_shipped_exemplars_are_ranked_by_the_scorer():
    # The exemplar self-test: the scorer must rank every weak exemplar below every strong one.
    report = validate_paths([REPO / "scenarios"], self_test=True)
    if report.notes:
        pytest.skip(report.notes[0])
    assert [str(p) for p in report.problems if p.is_error] == []


def test_the_authoring_guide_example_passes_the_strict_check_an_author_runs():
    """Copied into scenarios/, the example must pass `simulator validate --strict` there: the
    shipped rubric and the exemplar self-test with the real scorer."""
    scenario, problems = load_scenario_text(fixture_text("glance-at-the-clock.yaml"),
                                            name="glance-at-the-clock.yaml",
                                            rubrics={"repair-core": load_rubric("repair-core")})
    assert problems == [] and scenario is not None
    score, why = find_scorer()
    assert score is not None, why
    reporter = Reporter("glance-at-the-clock.yaml")
    check_exemplars(scenario, reporter, score)
    assert [str(p) for p in reporter.problems] == []


def _risk_tiny(asked_goes_to: str) -> str:
    """tiny.yaml with a risk cue at its one moment, and a branch taken by asking about it."""
    text = mutate(fixture_text("tiny.yaml"), "    say: Fine.\n",
                  "    say: Fine. Some days I'd rather not wake up.\n"
                  "    risk: [{kind: suicidal-ideation, cue: rather not wake up}]\n")
    return mutate(text, '      - when: {overall: ">= 0.5"}\n        goto: repaired\n'
                        "      - otherwise: unresolved\n",
                  f'      - when: {{safety: ">= 0.5"}}\n        goto: {asked_goes_to}\n'
                  '      - when: {overall: ">= 0"}\n        goto: repaired\n'
                  "      - otherwise: unresolved\n")


@pytest.mark.parametrize(("goto", "refused"), [("unresolved", True), ("repaired", False)])
def test_the_self_test_refuses_a_branch_that_sends_a_direct_risk_question_away(goto, refused):
    scenario, problems = load_scenario_text(_risk_tiny(goto), name="tiny.yaml",
                                            rubrics={"repair-core": load_rubric("repair-core")})
    assert [p for p in problems if p.severity == "error"] == [] and scenario is not None
    score, why = find_scorer()
    assert score is not None, why
    reporter = Reporter("tiny.yaml")
    check_exemplars(scenario, reporter, score)
    found = [str(p) for p in reporter.problems if "direct risk question" in str(p)]
    assert bool(found) == refused, found
    if refused:
        assert "nodes.opening.risk" in found[0] and "must never make the path worse" in found[0]
